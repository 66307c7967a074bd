"""The ``photosearch`` command line, over :mod:`engine.api` only.

Prints one clear line per problem and exits non-zero; ``--json`` gives machine-readable output.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

from engine.errors import Cancelled, EngineError

EXAMPLES = """\
examples:
  photosearch add ~/Pictures ~/Phone
  photosearch index
  photosearch watch
  photosearch search "two dogs on a beach at sunset" -k 20
  photosearch similar ~/Downloads/that.jpg -k 20
  photosearch search "beach + sunset - people"
  photosearch search "birthday cake" --after 2023-01-01 --before 2024-01-01 --camera Pixel
  photosearch status --json
  photosearch --model demo demo-data ~/demo-photos
  photosearch search "a red circle left of a blue square" --rerank
  photosearch caption ~/Pictures/IMG_1234.jpg "grandma's 80th birthday"
  photosearch captions ~/Downloads/that.jpg -k 10 --json
"""


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2024-01-31") from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    p = argparse.ArgumentParser(
        prog="photosearch", description="Find your photos by meaning, locally.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--home", type=Path, help="library folder (env PHOTOSEARCH_HOME)")
    p.add_argument("--model", help="open_clip NAME/PRETRAINED, hf-hub:ORG/REPO, "
                   "local-dir:PATH or demo (env PHOTOSEARCH_MODEL; default "
                   "ViT-B-32/laion2b_s34b_b79k)")
    p.add_argument("--device", help="auto, cpu, cuda or mps (env PHOTOSEARCH_DEVICE)")
    p.add_argument("--matcher", help="reranking model: a BLIP ITM Hugging Face repo, "
                   "local-dir:PATH or demo (env PHOTOSEARCH_MATCHER; default demo with the "
                   "demo model, else Salesforce/blip-itm-base-coco)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    s = sub.add_parser("add", help="remember photo folders")
    s.add_argument("folders", nargs="+", type=Path)
    s = sub.add_parser("remove", help="forget folders (files are not touched)")
    s.add_argument("folders", nargs="+", type=Path)
    sub.add_parser("folders", help="list library folders")

    s = sub.add_parser("index", help="embed new and changed photos")
    s.add_argument("--retry-failed", action="store_true", help="try failed files again")
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    s = sub.add_parser("watch", help="keep the index current while folders change (Ctrl+C "
                       "stops)")
    s.add_argument("--quiet", action="store_true", help="print only problems")

    for name, helptext in (("search", "find photos by a text query"),
                           ("similar", "find photos that look like an image file")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("query" if name == "search" else "image")
        s.add_argument("-k", type=int, default=20, help="how many results (default 20)")
        s.add_argument("--after", type=_date, help="taken on or after YYYY-MM-DD")
        s.add_argument("--before", type=_date, help="taken before YYYY-MM-DD")
        s.add_argument("--folder", type=Path, help="only photos inside this folder")
        s.add_argument("--camera", help="camera make/model contains this text")
        s.add_argument("--all", action="store_true",
                       help="keep the low-scoring tail (no relevance cut-off)")
        s.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "search":
            _rerank_options(s)

    s = sub.add_parser("caption", help="set (or show, or --clear) your caption of a photo")
    s.add_argument("photo", type=Path)
    s.add_argument("text", nargs="?", help="the caption; without it, show the photo's captions")
    s.add_argument("--clear", action="store_true", help="remove your caption")

    s = sub.add_parser("captions", help="the captions that best describe an image file")
    s.add_argument("image", type=Path)
    s.add_argument("-k", type=int, default=10, help="how many captions (default 10)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    _rerank_options(s)

    s = sub.add_parser("status", help="photos, indexed, pending, failed, model, index size")
    s.add_argument("--json", action="store_true")
    s.add_argument("--failures", action="store_true", help="list every failed file")

    s = sub.add_parser("demo-data", help="write procedurally generated demo photos + "
                       "dataset.json")
    s.add_argument("dir", type=Path)
    s.add_argument("--train", type=int, default=0)
    s.add_argument("--val", type=int, default=0)
    s.add_argument("--test", type=int, default=1000)
    s.add_argument("--compositional", type=int, default=300,
                   help="pair scenes (each written with its 2 swapped twins)")
    s.add_argument("--seed", type=int, default=1234)

    s = sub.add_parser("eval", help="retrieval recall on a Karpathy-format dataset")
    s.add_argument("dataset", type=Path)
    s.add_argument("--images", type=Path, required=True, help="folder holding the images")
    s.add_argument("--split", default="test")
    s.add_argument("--reference", action="store_true",
                   help="also evaluate with open_clip's own preprocessing, for comparison")
    s.add_argument("--rerank", action="store_true",
                   help="also measure text->image recall of the two-stage search (first stage "
                   "+ matcher on the top K)")
    s.add_argument("--rerank-k", type=int, help="candidates the matcher reorders per caption")
    s.add_argument("--json", action="store_true")
    return p


def _rerank_options(s: argparse.ArgumentParser) -> None:
    s.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=None,
                   help="reorder the top K with the cross-attention matcher (default: the "
                   "rerank setting)")
    s.add_argument("--rerank-k", type=int, help="how many candidates the matcher reorders")


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # file names that are not valid UTF-8 print as is
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        logging.getLogger("root").setLevel(logging.WARNING)
    try:
        return _COMMANDS[args.command](args)
    except EngineError as exc:
        print(f"photosearch: {exc.user_message}", file=sys.stderr)
        if args.verbose and exc.details:
            print(exc.details, file=sys.stderr)
        return 1
    except (Cancelled, KeyboardInterrupt):
        print("photosearch: cancelled", file=sys.stderr)
        return 130


def _library(args: argparse.Namespace) -> Any:
    from engine.api import Library

    return Library.open(args.home, model=args.model, device=args.device,
                        matcher=getattr(args, "matcher", None))


def _cmd_add(args: argparse.Namespace) -> int:
    with _library(args) as lib:
        for folder in args.folders:
            info = lib.add_folder(folder)
            print(f"added {info.path}")
    print("run `photosearch index` to embed their photos")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    with _library(args) as lib:
        for folder in args.folders:
            lib.remove_folder(folder)
            print(f"removed {folder}")
    return 0


def _cmd_folders(args: argparse.Namespace) -> int:
    with _library(args) as lib:
        for f in lib.folders():
            flags = (" (paused)" if f.paused else "") + ("" if f.online else " (offline)")
            print(f"{f.path}{flags}: {f.indexed}/{f.photos} indexed, {f.failed} failed")
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with _library(args) as lib:
        if not lib.folders():
            print("photosearch: no folders yet; add some with `photosearch add FOLDER`",
                  file=sys.stderr)
            return 1
        bars: dict[str, Any] = {}  # one progress line per pass: meaning first, then each
                                   # background analysis

        def progress(p: Any) -> None:
            if args.quiet or p.phase == "done":
                return
            bar = bars.get(p.pass_name)
            if bar is None:
                for other in bars.values():  # the earlier pass is over: leave its line as is
                    other.refresh()
                bar = bars[p.pass_name] = tqdm(total=0, unit="photo", dynamic_ncols=True,
                                               desc=p.title, file=sys.stderr,
                                               position=len(bars), leave=True)
            if p.phase == "scanning":
                bar.set_description("scanning")
                return
            bar.set_description(p.title)
            if bar.total != p.total:
                bar.total = p.total
            bar.n = p.done
            if p.pass_name == "meaning":
                bar.set_postfix(failed=p.failed, reused=p.reused, refresh=False)
            else:
                bar.set_postfix(failed=p.failed, refresh=False)
            bar.refresh()

        job = lib.index(on_progress=progress, retry_failed=args.retry_failed)
        try:
            report = job.result()
        except KeyboardInterrupt:
            job.cancel()
            with contextlib.suppress(Cancelled):  # the job's normal end after cancel()
                job.result()
            raise
        finally:
            for bar in bars.values():
                bar.close()
        rate = report.embedded / report.seconds if report.seconds else 0.0
        print(f"{report.scanned} photos: {report.embedded} embedded ({rate:.1f}/s), "
              f"{report.reused} reused, {report.unchanged} unchanged, {report.removed} removed, "
              f"{report.failed} failed in {report.seconds:.1f} s")
        for a in report.analyses:
            if a.error:
                print(f"{a.title}: not run: {a.error}", file=sys.stderr)
            elif a.done or a.failed:
                print(f"{a.title}: {a.done} analysed, {a.failed} failed in {a.seconds:.1f} s")
        if report.raw_alternates:
            print(f"{report.raw_alternates} RAW files are indexed once, through their JPEG twin")
        if report.failed:
            print(f"{report.failed} files could not be indexed; see `photosearch status "
                  "--failures`", file=sys.stderr)
    return 0


def _cmd_watch(args: argparse.Namespace) -> int:
    import signal
    import threading

    with _library(args) as lib:
        if not lib.folders():
            print("photosearch: no folders yet; add some with `photosearch add FOLDER`",
                  file=sys.stderr)
            return 1

        def show(event: Any) -> None:
            quiet_kinds = ("failed", "error", "offline", "online")
            if args.quiet and event.kind not in quiet_kinds:
                return
            text = event.kind if event.path is None else f"{event.kind} {event.path}"
            if event.kind == "moved":
                text += f" -> {event.detail}"
            elif event.detail:
                text += f": {event.detail}"
            print(text, file=sys.stderr if event.kind in ("failed", "error") else sys.stdout,
                  flush=True)

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        watch = lib.watch(on_event=show)
        print("watching; press Ctrl+C to stop", flush=True)
        try:
            while watch.running and not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        watch.stop()
        c = watch.counts
        print(f"stopped: {c.indexed} indexed ({c.embedded} embedded), {c.moved} moved, "
              f"{c.removed} removed, {c.failed} failed", flush=True)
        if watch.error is not None:
            raise watch.error
    return 0


def _filters(args: argparse.Namespace) -> Any:
    from engine.api import SearchFilters

    folder = args.folder.expanduser().resolve() if args.folder else None
    return SearchFilters(after=args.after, before=args.before, folder=folder, camera=args.camera)


def _print_hits(hits: list[Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps([{"path": str(h.path), "score": round(h.score, 5),
                           "taken_at": h.taken_at, "width": h.width, "height": h.height}
                          | ({"match_probability": round(h.match_probability, 4)}
                             if h.match_probability is not None else {})
                          | ({"keyword_match": True} if h.keyword_match else {})
                          for h in hits], indent=1))
        return
    if not hits:
        print("no matching photos", file=sys.stderr)
    for h in hits:
        match = f" {h.match_probability:5.3f}" if h.match_probability is not None else ""
        print(f"{h.score:6.3f}{match}  {h.path}" + ("  (caption/name match)"
                                                    if h.keyword_match else ""))


def _cmd_search(args: argparse.Namespace) -> int:
    with _library(args) as lib:
        rerank = args.rerank if args.rerank is not None else lib.settings.rerank
        if rerank and args.rerank_k:
            hits = lib.search(args.query, k=max(args.k, args.rerank_k), filters=_filters(args),
                              cut_off=not args.all, rerank=False)
            hits = lib.rerank(args.query, hits, k=args.rerank_k)[:args.k]
        else:
            hits = lib.search(args.query, k=args.k, filters=_filters(args),
                              cut_off=not args.all, rerank=rerank)
        _print_hits(hits, args.json)
    return 0


def _cmd_caption(args: argparse.Namespace) -> int:
    with _library(args) as lib:
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
    with _library(args) as lib:
        rerank = args.rerank if args.rerank is not None else lib.settings.rerank
        hits = lib.describe(args.image, k=max(args.k, args.rerank_k or 0) if rerank
                            else args.k, rerank=rerank)[:args.k]
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
    with _library(args) as lib:
        _print_hits(lib.similar(args.image, k=args.k, filters=_filters(args),
                                cut_off=not args.all), args.json)
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    with _library(args) as lib:
        st = lib.status()
        failures = lib.failures() if args.failures else st.failures
        if args.json:
            print(json.dumps({
                "home": str(st.home), "photos": st.photos, "indexed": st.indexed,
                "pending": st.pending, "failed": st.failed, "offline": st.offline,
                "model": st.model, "device": st.device, "index_bytes": st.index_bytes,
                "folders": [{"path": str(f.path), "photos": f.photos, "indexed": f.indexed,
                             "failed": f.failed, "paused": f.paused, "online": f.online}
                            for f in st.folders],
                "failures": [{"path": str(f.path), "reason": f.reason} for f in failures],
                "analyses": [{"name": a.name, "title": a.title, "stage": a.stage,
                              "version": a.version, "enabled": a.enabled, "done": a.done,
                              "pending": a.pending, "failed": a.failed,
                              "failures": [{"path": str(f.path), "reason": f.reason}
                                           for f in a.failures]}
                             for a in st.analyses],
            }, indent=1))
            return 0
        print(f"library  {st.home}")
        print(f"model    {st.model} on {st.device}")
        print(f"photos   {st.photos}: {st.indexed} indexed, {st.pending} pending, "
              f"{st.failed} failed, {st.offline} offline")
        print(f"index    {st.index_bytes / 1e6:.1f} MB")
        for a in st.analyses:
            state = "" if a.enabled else " (off)"
            print(f"analysis {a.title}{state}: {a.done} done, {a.pending} pending, "
                  f"{a.failed} failed")
            for f in a.failures if args.failures else a.failures[:3]:
                print(f"         {f.path}: {f.reason}")
        for f in st.folders:
            print(f"folder   {f.path}: {f.indexed}/{f.photos}"
                  + (" (paused)" if f.paused else "") + ("" if f.online else " (offline)"))
        for f in failures:
            print(f"failed   {f.path}: {f.reason}")
        if st.failed > len(failures):
            print(f"... and {st.failed - len(failures)} more (photosearch status --failures)")
    return 0


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

    counts = DemoSplits(train=args.train, val=args.val, test=args.test,
                        compositional=args.compositional)
    path = write_demo_dataset(args.dir, counts, seed=args.seed)
    print(f"wrote {path} and the photos under {args.dir}")
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from engine.api import Library
    from engine.evaluation.retrieval import evaluate_library, evaluate_reference, load_split

    images = load_split(args.dataset, args.images, args.split)
    model = args.model or Library.open(args.home).model_spec
    metrics = evaluate_library(images, model, open_library=Library.open, device=args.device,
                               rerank=args.rerank,
                               rerank_k=args.rerank_k, matcher=args.matcher)
    result: dict[str, Any] = {"t2i": metrics["t2i"], "i2t": metrics["i2t"],
                              "rsum": metrics["rsum"]}
    if args.rerank:
        result["rerank"] = metrics["rerank"]
    if args.reference:
        ref = evaluate_reference(images, model)
        result["reference"] = {"t2i": ref["t2i"], "i2t": ref["i2t"], "rsum": ref["rsum"]}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    n = metrics["images"]
    setting = "1K" if n == 1000 else ("5K" if n == 5000 else f"{n}-image")
    print(f"{args.split} split: {n} images, {metrics['captions']} captions ({setting} test), "
          f"model {model} ({metrics['device']})")
    rows = [("engine", result)] + ([("open_clip", result["reference"])] if args.reference
                                   else [])
    print(f"{'':10} {'t2i R@1':>8} {'R@5':>6} {'R@10':>6} {'i2t R@1':>8} {'R@5':>6} "
          f"{'R@10':>6} {'rSum':>7}")
    for name, r in rows:
        t, i = r["t2i"], r["i2t"]
        print(f"{name:10} {t['R@1']:8.3f} {t['R@5']:6.3f} {t['R@10']:6.3f} {i['R@1']:8.3f} "
              f"{i['R@5']:6.3f} {i['R@10']:6.3f} {r['rsum']:7.1f}")
    if args.rerank:
        rr = result["rerank"]
        t = rr["t2i"]
        print(f"{'+ rerank':10} {t['R@1']:8.3f} {t['R@5']:6.3f} {t['R@10']:6.3f}   "
              f"(top {rr['k']} reordered by {rr['matcher']}, {rr['ms_per_query']} ms/query)")
    return 0


_COMMANDS = {
    "add": _cmd_add, "remove": _cmd_remove, "folders": _cmd_folders, "index": _cmd_index,
    "watch": _cmd_watch,
    "search": _cmd_search, "similar": _cmd_similar, "status": _cmd_status,
    "demo-data": _cmd_demo_data, "eval": _cmd_eval, "caption": _cmd_caption,
    "captions": _cmd_captions,
}


if __name__ == "__main__":
    sys.exit(main())
