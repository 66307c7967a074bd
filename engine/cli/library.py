"""Folders, indexing, watching and status."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from engine.cli.common import Handler, library
from engine.errors import Cancelled
from engine.i18n import _


def register(sub: Any) -> dict[str, Handler]:
    """Add the folder, indexing, watching and status commands."""
    s = sub.add_parser("add", help="remember photo folders")
    s.add_argument("folders", nargs="+", type=Path)
    s = sub.add_parser("remove", help="forget folders (files are not touched)")
    s.add_argument("folders", nargs="+", type=Path)
    sub.add_parser("folders", help="list library folders")

    s = sub.add_parser("index", help="embed new and changed photos, then run the background "
                       "analyses")
    s.add_argument("--retry-failed", action="store_true", help="try failed files again")
    s.add_argument("--quiet", action="store_true", help="no progress bars")
    s.add_argument("--ray", metavar="ADDRESS", help="decode and embed on the running Ray "
                   "cluster at ADDRESS (HOST:PORT or ray://HOST:PORT); this machine writes")
    s.add_argument("--ray-path-map", action="append", default=[], metavar="LOCAL=WORKER",
                   help="the workers see the photos under LOCAL at WORKER (repeatable)")
    s.add_argument("--ray-replicas", type=int, default=0, metavar="N",
                   help="model replicas on the cluster (default: one per node; one per GPU)")
    s.add_argument("--ray-cpus", type=float, default=1.0, metavar="X",
                   help="CPUs per model replica (fractions allowed; default 1)")

    s = sub.add_parser("publish", help="publish the library's vectors to the Milvus server "
                       "of --vectors (the catalog is only read)")

    s = sub.add_parser("watch", help="keep the index current while folders change (Ctrl+C "
                       "stops)")
    s.add_argument("--quiet", action="store_true", help="print only problems")

    s = sub.add_parser("status", help="photos, indexed, pending, failed, model, index size, "
                       "each analysis's coverage")
    s.add_argument("--json", action="store_true")
    s.add_argument("--failures", action="store_true", help="list every failed file")
    return {"add": _cmd_add, "remove": _cmd_remove, "folders": _cmd_folders,
            "index": _cmd_index, "watch": _cmd_watch, "status": _cmd_status,
            "publish": _cmd_publish}


def _cmd_add(args: argparse.Namespace) -> int:
    with library(args) as lib:
        for folder in args.folders:
            info = lib.add_folder(folder)
            print(f"added {info.path}")
    print("run `photosearch index` to embed their photos")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    with library(args) as lib:
        for folder in args.folders:
            lib.remove_folder(folder)
            print(f"removed {folder}")
    return 0


def _cmd_folders(args: argparse.Namespace) -> int:
    with library(args) as lib:
        for f in lib.folders():
            flags = (" (paused)" if f.paused else "") + ("" if f.online else " (offline)")
            print(f"{f.path}{flags}: {f.indexed}/{f.photos} indexed, {f.failed} failed")
    return 0


def _cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with library(args) as lib:
        if not lib.folders():
            print("photosearch: " + _("no folders yet; add some with `photosearch add FOLDER`"),
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

        if args.ray:
            from engine.api import ClusterOptions
            from engine.ingest.cluster import parse_path_map

            options = ClusterOptions(args.ray, parse_path_map(args.ray_path_map),
                                     replicas=args.ray_replicas, cpus_per_replica=args.ray_cpus)
            job = lib.index_on_cluster(options, on_progress=progress,
                                       retry_failed=args.retry_failed)
        else:
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
                print(_("{analysis}: not run: {error}").format(analysis=a.title, error=a.error),
                      file=sys.stderr)
            elif a.done or a.failed:
                print(f"{a.title}: {a.done} analysed, {a.failed} failed in {a.seconds:.1f} s")
        if report.raw_alternates:
            print(f"{report.raw_alternates} RAW files and Live Photo motions are indexed once, "
                  "through their JPEG or HEIC twin")
        if report.failed:
            print(_("{count} files could not be indexed; see `photosearch status "
                    "--failures`").format(count=report.failed), file=sys.stderr)
        if lib.vectors_uri not in ("", "local", "hnswlib"):  # searches use a server: update it
            _print_published(lib.publish())
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    with library(args) as lib:
        _print_published(lib.publish())
    return 0


def _print_published(report: Any) -> None:
    print(f"published {report.total} photos to {report.collection}: {report.upserted} new or "
          f"changed, {report.deleted} deleted")


def _cmd_watch(args: argparse.Namespace) -> int:
    import signal
    import threading

    with library(args) as lib:
        if not lib.folders():
            print("photosearch: " + _("no folders yet; add some with `photosearch add FOLDER`"),
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


def _cmd_status(args: argparse.Namespace) -> int:
    from engine.api import edition

    with library(args) as lib:
        st = lib.status()
        failures = lib.failures() if args.failures else st.failures
        if args.json:
            print(json.dumps({
                "home": str(st.home), "photos": st.photos, "videos": st.videos,
                "indexed": st.indexed,
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
                "runtime": st.runtime, "fidelity": st.fidelity, "edition": edition(),
                "rerank_unavailable": lib.rerank_unavailable,
                "rerank_prepared": lib.reranking_prepared(),
            }, indent=1))
            return 0
        print(f"library  {st.home}")
        print(f"model    {st.model} on {st.device}")
        # videos apart: "photos   103 (100 photos, 3 videos): ..." (all counts cover both)
        kinds = f" ({st.photos - st.videos} photos, {st.videos} videos)" if st.videos else ""
        print(f"photos   {st.photos}{kinds}: {st.indexed} indexed, {st.pending} pending, "
              f"{st.failed} failed, {st.offline} offline")
        print(f"index    {st.index_bytes / 1e6:.1f} MB")
        print(f"runtime  {_runtime_line(st.runtime, st.fidelity)}")
        if tower := st.fidelity.get("matcher_image"):
            print(f"matcher  image tower {_matcher_tower_line(tower)}")
        if (prepared := lib.reranking_prepared()) is not None:
            print(f"matcher  features ready for {prepared[0]} of the {prepared[1]} most recent "
                  "photos (prepared after indexing; setting rerank_prepare)")
        if edition() == "lean":
            print("edition  lean (ONNX Runtime only: no GPU, no reranking, no exporting "
                  "new models; the full edition has them)")
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


def _matcher_tower_line(tower: dict[str, Any]) -> str:
    """E.g. ``onnx fp32 (min cos 1.00000, 0 top-10 order changes vs torch fp32)``."""
    if "min_cosine" not in tower:
        return str(tower["runtime"])
    return (f"{tower['runtime']} (min cos {tower['min_cosine']:.5f}, {tower['order_changes']} "
            f"top-10 order changes vs torch fp32)")


def _runtime_line(runtime: str, fidelity: dict[str, Any]) -> str:
    """E.g. ``onnx (image int8_u8u8 min cos 0.99981, text fp32 min cos 1.00000 vs fp32)``."""
    towers = [f"{name} {fig['precision']} min cos {fig['min_cosine']:.5f}"
              for name in ("image", "text") if (fig := fidelity.get(name))]
    if not towers:
        return runtime
    return f"{runtime} ({', '.join(towers)} vs open_clip fp32)"
