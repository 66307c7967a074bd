"""Searching: by text, by image, and captions."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import Handler, date_arg, filters, library


def register(sub: Any) -> dict[str, Handler]:
    """Add the search, similar and caption commands."""
    for name, helptext in (("search", "find photos by a text query"),
                           ("similar", "find photos that look like an image file")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("query" if name == "search" else "image")
        s.add_argument("-k", type=int, default=20, help="how many results (default 20)")
        s.add_argument("--after", type=date_arg, help="taken on or after YYYY-MM-DD")
        s.add_argument("--before", type=date_arg, help="taken before YYYY-MM-DD")
        s.add_argument("--folder", type=Path, help="only photos inside this folder")
        s.add_argument("--camera", help="camera make/model contains this text")
        s.add_argument("--place", action="append",
                       help="taken in this city, region or country (repeat for any of several)")
        s.add_argument("--all", action="store_true",
                       help="keep the low-scoring tail (no relevance cut-off)")
        s.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "similar":
            s.add_argument("--at", type=float, metavar="SECONDS",
                           help="for a video: look like its frame at this time")
        if name == "search":
            _rerank_options(s)
            s.add_argument("--person", action="append", default=[], metavar="NAME",
                           help="only photos of this person (repeat: together)")
            s.add_argument("--lang", metavar="LANG",
                           help="the query's language (zh, es, ja, or an NLLB code such as "
                           "zho_Hant), for models that ask for it; default: detected")
            s.add_argument("--literal", action="store_true",
                           help="search the words as typed: no dates, places, people or quoted "
                           "text understood")

    s = sub.add_parser("caption", help="set (or show, or --clear) your caption of a photo")
    s.add_argument("photo", type=Path)
    s.add_argument("text", nargs="?", help="the caption; without it, show the photo's captions")
    s.add_argument("--clear", action="store_true", help="remove your caption")

    s = sub.add_parser("captions", help="the captions that best describe an image file")
    s.add_argument("image", type=Path)
    s.add_argument("-k", type=int, default=10, help="how many captions (default 10)")
    s.add_argument("--lang", default="en",
                   help="language of the vocabulary captions: en (default), zh, es or ja")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    _rerank_options(s)
    return {"search": _cmd_search, "similar": _cmd_similar, "caption": _cmd_caption,
            "captions": _cmd_captions}


def _rerank_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=None,
                   help="reorder the top K with the cross-attention matcher (default: the "
                   "rerank setting)")
    s.add_argument("--rerank-k", type=int, help="how many candidates the matcher reorders")


def _print_hits(hits: list[Any], as_json: bool, query: Any = None) -> None:
    if as_json:
        results = [{"path": str(h.path), "score": round(h.score, 5),
                    "taken_at": h.taken_at, "width": h.width, "height": h.height}
                   | ({"match_probability": round(h.match_probability, 4)}
                      if h.match_probability is not None else {})
                   | ({"keyword_match": True} if h.keyword_match else {})
                   | ({"text_match": True} if getattr(h, "text_match", False) else {})
                   | ({"kind": "video", "time_s": h.time_s, "duration_s": h.duration_s}
                      if h.kind == "video" else {"kind": h.kind})
                   for h in hits]
        understood = list(getattr(query, "understood", ()))
        if understood:  # an object only when something was understood (else the plain list)
            print(json.dumps({"understood": _understood_json(query), "results": results},
                             indent=1, ensure_ascii=False))
        else:
            print(json.dumps(results, indent=1))
        return
    if not hits:
        print("no matching photos", file=sys.stderr)
    for h in hits:
        match = f" {h.match_probability:5.3f}" if h.match_probability is not None else ""
        at = f" @ {h.time_s:.1f}s" if h.kind == "video" and h.time_s is not None else ""
        print(f"{h.score:6.3f}{match}  {h.path}{at}" + (
            "  (text in photo)" if getattr(h, "text_match", False)
            else "  (caption/name match)" if h.keyword_match else ""))


def _understood_summary(query: Any) -> str:
    """``beach · place Lisbon · 2019``: the words left, then each understood thing."""
    # A quoted query's words are its chip: they search the text in photos, not the meaning.
    words = [] if query.quoted else [t.text for t in query.terms if t.image is None]
    parts = words + [u.label if u.kind in ("date", "text") else f"{u.kind} {u.label}"
                     for u in query.understood]
    return " · ".join(parts)


def _understood_json(query: Any) -> dict[str, Any]:
    return {"words": "" if query.quoted else " ".join(t.text for t in query.terms
                                                      if t.image is None),
            "chips": [{"kind": u.kind, "label": u.label, "source": u.source}
                      for u in query.understood],
            "after": query.after.isoformat() if query.after else None,
            "before": query.before.isoformat() if query.before else None,
            "places": list(query.places), "people": list(query.people),
            "quoted": list(query.quoted)}


def _cmd_search(args: argparse.Namespace) -> int:
    with library(args) as lib:
        if args.lang:
            lib.set_query_language(args.lang)
        query = lib.parse(args.query, literal=args.literal, people=tuple(args.person))
        if query.understood:
            print(f"understood: {_understood_summary(query)}", file=sys.stderr)
        rerank = args.rerank if args.rerank is not None else lib.settings.rerank
        if rerank and args.rerank_k:
            hits = lib.search(query, k=max(args.k, args.rerank_k), filters=filters(args),
                              cut_off=not args.all, rerank=False)
            hits = lib.rerank(query, hits, k=args.rerank_k)[:args.k]
        else:
            hits = lib.search(query, k=args.k, filters=filters(args),
                              cut_off=not args.all, rerank=rerank)
        _print_hits(hits, args.json, query)
    return 0


def _cmd_caption(args: argparse.Namespace) -> int:
    with library(args) as lib:
        if args.clear or args.text is not None:
            lib.set_caption(args.photo, None if args.clear else args.text)
            print("caption removed" if args.clear else "caption saved")
            return 0
        captions = lib.photo_captions(args.photo)
        if not captions:
            print("no captions", file=sys.stderr)
        for c in captions:
            print(f"{c.source:10} {c.text}")
    return 0


def _cmd_captions(args: argparse.Namespace) -> int:
    with library(args) as lib:
        rerank = args.rerank if args.rerank is not None else lib.settings.rerank
        hits = lib.describe(args.image, k=max(args.k, args.rerank_k or 0) if rerank
                            else args.k, rerank=rerank, lang=args.lang)[:args.k]
        if args.json:
            print(json.dumps([{"text": h.text, "score": round(h.score, 5), "source": h.source,
                               "photo_id": h.photo_id}
                              | ({"match_probability": round(h.match_probability, 4)}
                                 if h.match_probability is not None else {})
                              for h in hits], indent=1))
            return 0
        for h in hits:
            match = f" {h.match_probability:5.3f}" if h.match_probability is not None else ""
            print(f"{h.score:6.3f}{match}  {h.source:10}  {h.text}")
    return 0


def _cmd_similar(args: argparse.Namespace) -> int:
    with library(args) as lib:
        _print_hits(lib.similar(args.image, k=args.k, filters=filters(args),
                                cut_off=not args.all, time_s=args.at), args.json)
    return 0
