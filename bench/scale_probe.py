"""Measure again, on a library ``bench/scale.py`` built and kept (``--work``), the figures a change
to the open, the search breadth or the filters moves, without building it again (2,500 s at a
million photos): each in a fresh process of its own, as a user meets it.

    python bench/scale_probe.py --work /tmp/scale1m/lib [--model vit-b-32-random]

* ``open``: ``Library.open`` plus the vector index, as scale.py times it, twice: the first
  open after the probe forgets the recorded match (the full reconciliation: every searchable
  id read and compared), then, after that library was closed normally, the open that finds
  its saved index proven to match the catalog;
* ``recall``: recall@10 and p50 of the HNSW search at several ef against exact search (the
  catalog's vectors), on scale.py's held-out queries;
* ``filters``: ``Library.search`` p50 over 24 text queries with each of scale.py's filters
  (the first query apart: it reads what later ones reuse);
* ``status``: the first ``Library.status()`` after the open (what the app's first repaint and
  ``photosearch status`` wait for), then each of its parts again with the catalog's cache
  cleared (the counts, the folder list, the failures, each analysis's coverage), and
  ``photosearch status`` as a user runs it (a new process: Python's start and imports too).

    python bench/scale_probe.py --work /tmp/scale1m/lib --probes status   # that figure alone

Last line: ``open_s: X`` (the open with the recorded match), or ``status_s: X`` (the first
``Library.status()``) with ``--probes status``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import engine  # noqa: E402,F401,I001  (first, as in the CLI and app)

QUERIES = ["a dog on the beach", "snowy mountain", "birthday cake", "city at night",
           "a cat asleep", "sunset over the sea", "wedding in a church", "kids in a park"] * 3


def library_home(work: Path) -> Path:
    homes = sorted(work.glob("library-*"))
    if not homes:
        raise SystemExit(f"no library under {work}: run bench/scale.py --work {work} first")
    return homes[-1]


def probe_open(home: Path, spec: str, forget: bool) -> dict[str, float]:
    from scale import open_timed

    from engine.store.catalog import Catalog
    from engine.store.photo_vectors import INDEX_MATCHES

    if forget:
        catalog = Catalog(home / "catalog.db")
        for (key,) in catalog._query("SELECT key FROM settings WHERE key LIKE ?",
                                     (INDEX_MATCHES + "%",)):
            catalog.delete_setting(key)
        catalog.close()
    lib, open_s, _model_load_s = open_timed(home, spec)
    live = len(lib._photo_vectors())
    lib.close()  # records the match the next open finds
    return {"open_s": open_s, "live": live}


def probe_recall(home: Path, spec: str, work: Path) -> list[dict[str, float]]:
    from scale import exact_truth

    from engine.api import Library

    queries = np.load(work / "queries.npy")
    lib = Library.open(home, model=spec)
    encoder = lib.encoder.load()
    truth = exact_truth(home, encoder.spec.model_id, encoder.dim, queries)
    index = lib._photo_vectors().index
    rows = []
    for ef in (256, 512, 1024, 2048):
        times, recalls = [], []
        for q, want in zip(queries, truth, strict=True):
            start = time.perf_counter()
            ids, _ = index.search(q, 10, ef=ef)
            times.append(time.perf_counter() - start)
            recalls.append(len(set(ids.tolist()) & set(want[:10].tolist())) / 10)
        rows.append({"ef": ef, "recall": float(np.mean(recalls)),
                     "p50_ms": float(np.median(times) * 1000)})
    lib.close()
    return rows


def probe_filters(home: Path, spec: str, work: Path) -> dict[str, dict[str, float]]:
    from engine.api import Library, SearchFilters

    kinds = {"folder": Path, "after": dt.date.fromisoformat, "before": dt.date.fromisoformat,
             "camera": str}
    lib = Library.open(home, model=spec)
    lib.load_model().result()
    out = {}
    for name, given in json.loads((work / "filters.json").read_text()).items():
        filters = SearchFilters(**{k: kinds[k](v) for k, v in given.items()})
        times = []
        for query in QUERIES:
            start = time.perf_counter()
            lib.search(query, k=20, filters=filters)
            times.append(time.perf_counter() - start)
        out[name] = {"first_ms": times[0] * 1000, "p50_ms": float(np.median(times[1:]) * 1000)}
    lib.close()
    return out


def probe_status(home: Path, spec: str) -> dict[str, object]:
    from engine.analyses.coverage import analysis_coverage
    from engine.api import Library

    lib = Library.open(home, model=spec)
    start = time.perf_counter()
    status = lib.status()
    status_s = time.perf_counter() - start
    catalog, model_id = lib.catalog, lib.encoder.spec.model_id
    analyses = lib._analyses(bound=False)
    parts: dict[str, Any] = {
        "counts": lambda: catalog.counts(model_id),
        "folders": lambda: catalog.folders(model_id),
        "failures": lambda: catalog.failures(50),
        **{f"coverage {a.name}": (lambda a=a: analysis_coverage(catalog, a, True))
           for a in analyses},
    }
    parts_s = {}
    catalog._cache.clear()
    for name, part in parts.items():
        start = time.perf_counter()
        part()
        parts_s[name] = time.perf_counter() - start
    lib.close()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "engine.cli", "--home", str(home), "--model", spec,
                    "status"], check=True, capture_output=True, cwd=ROOT)
    return {"status_s": status_s, "photos": status.photos, "videos": status.videos,
            "parts_s": parts_s, "cli_s": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="scale.py's --work folder")
    parser.add_argument("--model", default="vit-b-32-random",
                        help="vit-b-32-random (scale.py's default) or demo")
    parser.add_argument("--probes", default="open,recall,filters,status",
                        help="which to run, comma-separated (default: all)")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    home = library_home(args.work)
    if args.model == "demo":
        spec = "demo"
    else:
        from bench_support import random_weight_model

        spec = f"local-dir:{random_weight_model(Path(tempfile.gettempdir()) / 'ps-vit-b-32')}"
    if args.probe:  # one figure, in this fresh process
        result: object = {
            "open-full": lambda: probe_open(home, spec, forget=True),
            "open-matched": lambda: probe_open(home, spec, forget=False),
            "recall": lambda: probe_recall(home, spec, args.work),
            "filters": lambda: probe_filters(home, spec, args.work),
            "status": lambda: probe_status(home, spec),
        }[args.probe]()
        print(json.dumps(result))
        return

    def run(probe: str) -> object:
        done = subprocess.run([sys.executable, __file__, "--work", str(args.work), "--model",
                               args.model, "--probe", probe], check=True, capture_output=True,
                              text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    probes = set(args.probes.split(","))
    unknown = probes - {"open", "recall", "filters", "status"}
    if unknown:
        parser.error(f"unknown probes: {', '.join(sorted(unknown))}")
    print(f"library {home}")
    last = ""
    if "open" in probes:
        full, matched = run("open-full"), run("open-matched")
        print(f"open, full reconciliation: {full['open_s']:.2f} s ({full['live']:,} vectors)")  # type: ignore[index]
        print(f"open, saved index proven to match: {matched['open_s']:.2f} s")  # type: ignore[index]
        last = f"open_s: {matched['open_s']:.2f}"  # type: ignore[index]
    if "recall" in probes:
        for row in run("recall"):  # type: ignore[attr-defined]
            print(f"ef {row['ef']}: recall@10 {row['recall']:.4f}, p50 {row['p50_ms']:.2f} ms")
    if "filters" in probes:
        for name, row in run("filters").items():  # type: ignore[attr-defined]
            print(f"filtered ({name}): p50 {row['p50_ms']:.1f} ms "
                  f"(first {row['first_ms']:.0f} ms)")
    if "status" in probes:
        status: Any = run("status")
        print(f"Library.status(), first after the open: {status['status_s']:.2f} s "
              f"({status['photos']:,} files, {status['videos']:,} videos); "
              f"photosearch status (new process): {status['cli_s']:.2f} s")
        print("  parts: " + ", ".join(f"{name} {1000 * t:.1f} ms"
                                      for name, t in status["parts_s"].items()))
        last = last or f"status_s: {status['status_s']:.2f}"
    print(last)


if __name__ == "__main__":
    main()
