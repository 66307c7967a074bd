"""People: list, name, merge, correct and hide the people found in photos; list a photo's
faces; delete all face data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import Handler, library
from engine.i18n import N_, _

DELETE_WARNING = N_("This deletes every face, person, name and correction from the library "
                    "and switches faces off. Names are not kept.")


def register(sub: Any) -> dict[str, Handler]:
    """Add the people and faces commands."""
    p = sub.add_parser("people", help="the people found in your photos (name, merge, hide)",
                       description="Faces are grouped into people by the faces analysis "
                       "(runs after 'photosearch index'). Without an action: list them.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true",
                   help="also hidden people and people seen only once")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    s = actions.add_parser("name", help="name a person: people name ID NAME ('' unnames)")
    s.add_argument("id", type=int)
    s.add_argument("name")
    s = actions.add_parser("merge", help="merge the second person into the first")
    s.add_argument("keep", type=int)
    s.add_argument("gone", type=int)
    s = actions.add_parser("remove-face", help="'not this person': take face INDEX of PHOTO "
                           "out of its person (see 'photosearch faces PHOTO')")
    s.add_argument("photo", type=Path)
    s.add_argument("index", type=int)
    s = actions.add_parser("hide", help="hide a person (--show shows them again)")
    s.add_argument("id", type=int)
    s.add_argument("--show", action="store_true")
    actions.add_parser("regroup", help="re-cluster all faces now")
    s = actions.add_parser("photos", help="a person's photos")
    s.add_argument("id", type=int)
    s = actions.add_parser("delete-all", help="delete all face data (and switch faces off)")
    s.add_argument("--yes", action="store_true", help="do it (without it: say what it does)")

    f = sub.add_parser("faces", help="the faces found in a photo, with their index and person")
    f.add_argument("photo", type=Path)
    f.add_argument("--json", action="store_true", help="machine-readable output")
    return {"people": _cmd_people, "faces": _cmd_faces}


def _cmd_people(args: argparse.Namespace) -> int:
    if args.action == "delete-all" and not args.yes:
        print(_(DELETE_WARNING) + "\n" + _("Run 'photosearch people delete-all --yes' to do it."),
              file=sys.stderr)
        return 2
    with library(args) as lib:
        if args.action is None:
            people = lib.people(include_hidden=args.all, min_faces=1 if args.all else 2)
            if args.json:
                print(json.dumps([{"id": p.id, "name": p.name, "photos": p.photo_count,
                                   "faces": p.face_count, "hidden": p.hidden}
                                  for p in people], indent=1))
                return 0
            if not people:
                print(_("no people yet (index first; faces are found after the meaning pass)"),
                      file=sys.stderr)
            for p in people:
                hidden = "  (hidden)" if p.hidden else ""
                photos = "photo " if p.photo_count == 1 else "photos"
                print(f"{p.id:5}  {p.name or '(unnamed)':24} {p.photo_count:6} {photos}{hidden}")
        elif args.action == "name":
            lib.name_person(args.id, args.name)
            print(f"person {args.id} named {args.name}" if args.name.strip()
                  else f"person {args.id} unnamed")
        elif args.action == "merge":
            lib.merge_people(args.keep, args.gone)
            print(f"person {args.gone} merged into {args.keep}")
        elif args.action == "remove-face":
            now = lib.remove_face(args.photo, args.index)
            print(f"face {args.index} removed from its person"
                  + (f"; it is now person {now}" if now is not None else ""))
        elif args.action == "hide":
            lib.hide_person(args.id, not args.show)
            print(f"person {args.id} {'shown' if args.show else 'hidden'}")
        elif args.action == "regroup":
            counts = lib.regroup_people()
            print(f"{counts['moved']} faces regrouped, {counts['removed']} empty groups removed")
        elif args.action == "photos":
            for hit in lib.person_photos(args.id):
                print(hit.path)
        elif args.action == "delete-all":
            lib.delete_face_data()
            print("all face data deleted (faces, people, names, corrections); faces are off")
    return 0


def _cmd_faces(args: argparse.Namespace) -> int:
    with library(args) as lib:
        faces = lib.faces(args.photo)
        if args.json:
            print(json.dumps([{"index": f.index, "box": [round(x, 4) for x in f.box],
                               "score": round(f.score, 3), "person": f.person_id,
                               "name": f.person_name} for f in faces], indent=1))
            return 0
        if not faces:
            print(_("no faces found in this photo (or faces have not run on it yet)"),
                  file=sys.stderr)
        for f in faces:
            who = (f"person {f.person_id}" + (f" {f.person_name}" if f.person_name else "")
                   if f.person_id is not None else "not grouped (too small)")
            box = ", ".join(f"{x:.3f}" for x in f.box)
            print(f"face {f.index}: {who}  box ({box})  score {f.score:.2f}")
    return 0
