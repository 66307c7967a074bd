"""Duplicates: list groups of copies with the one to keep, and move copies to the trash."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import Handler, library
from engine.i18n import _


def register(sub: Any) -> dict[str, Handler]:
    """Add the duplicates and trash commands."""
    s = sub.add_parser("duplicates", help="list copies of the same photo, and which to keep")
    s.add_argument("--similar", action="store_true",
                   help="also list similar shots (bursts: the same moment, not copies)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s = sub.add_parser("trash", help="move photos to the system trash (undo from the trash)")
    s.add_argument("paths", nargs="+", type=Path)
    return {"duplicates": _cmd_duplicates, "trash": _cmd_trash}


def _photo(p: Any) -> dict[str, Any]:
    return {"path": str(p.path), "folder": str(p.folder) if p.folder else None,
            "size_bytes": p.size_bytes, "width": p.width, "height": p.height,
            "taken_at": p.taken_at, "format": p.file_format}


def _cmd_duplicates(args: argparse.Namespace) -> int:
    with library(args) as lib:
        groups = lib.duplicates(similar=args.similar)
    if args.json:
        print(json.dumps([{"kind": g.kind, "keep": str(g.keeper.path), "why": g.keeper_reason,
                           "photos": [_photo(p) for p in g.photos]} for g in groups],
                         indent=1))
        return 0
    if not groups:
        print(_("no duplicates found (photos join once indexing has finished its passes)"),
              file=sys.stderr)
    titles = {"exact": "identical files", "near": "near-duplicates", "similar": "similar shots"}
    for g in groups:
        print(f"{titles.get(g.kind, g.kind)} ({len(g.photos)}): keep {g.keeper.path.name}, "
              f"{g.keeper_reason}")
        for n, p in enumerate(g.photos):
            size = f"{p.width}\u00d7{p.height}" if p.width and p.height else "?"
            mark = "keep" if n == 0 else "    "
            print(f"  {mark} {size:>11} {p.size_bytes / 1e6:7.2f} MB  {p.taken_at or '':19}  "
                  f"{p.path}")
    return 0


def _cmd_trash(args: argparse.Namespace) -> int:
    with library(args) as lib:
        report = lib.trash(args.paths)
    for path in report.moved:
        print(f"moved to the trash: {path}")
    for path, reason in report.failed:
        print(f"photosearch: {path}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0
