"""What a photo says and where: ``photosearch text IMAGE``, ``photosearch places``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import Handler, library
from engine.i18n import _


def register(sub: Any) -> dict[str, Handler]:
    """Add the text and places commands."""
    s = sub.add_parser("text", help="print the text in a photo (the catalog's for a library "
                       "photo, else read now)")
    s.add_argument("image", type=Path)
    s.add_argument("--json", action="store_true", help="lines with boxes and confidences")
    s = sub.add_parser("places", help="the places of the library's photos, with counts")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    return {"text": _cmd_text, "places": _cmd_places}


def _cmd_text(args: argparse.Namespace) -> int:
    with library(args) as lib:
        found = lib.photo_text(args.image)
    if args.json:
        print(json.dumps({"path": str(found.path), "from_catalog": found.from_catalog,
                          "note": found.note,
                          "lines": [{"text": ln.text, "box": [list(p) for p in ln.box],
                                     "confidence": ln.confidence} for ln in found.lines]},
                         indent=1, ensure_ascii=False))
        return 0
    if not found.lines:
        print(_("no text found") + (f" ({found.note})" if found.note else ""), file=sys.stderr)
    for line in found.lines:
        print(line.text)
    return 0


def _cmd_places(args: argparse.Namespace) -> int:
    with library(args) as lib:
        places = lib.places()
    if args.json:
        print(json.dumps([{"city": p.city, "country": p.country, "photos": p.photos}
                          for p in places], indent=1, ensure_ascii=False))
        return 0
    if not places:
        print(_("no places yet (photos need GPS; the places pass runs after indexing)"),
              file=sys.stderr)
    for p in places:
        print(f"{p.photos:6}  {p.city}, {p.country}")
    return 0
