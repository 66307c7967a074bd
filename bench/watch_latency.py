"""Watch latency: from a photo file's completion (close after write) to it being searchable.

A library on the default architecture (ViT-B-32, random weights: compute does not depend on the
weights) watches an empty folder. Realistic 12-megapixel JPEGs are then written into it one at
a time, a few seconds apart (someone saving or importing photos), and then as one burst. For
each file the clock starts when the writer closes it and stops when ``Library.search`` with that
photo as the query returns it as the top hit (so it is in the catalog and in the vectors the
search reads). Model loading and the catch-up pass at start are excluded.

Usage: python bench/watch_latency.py [--photos 20] [--burst 8] [--gap 2.0] [--work DIR];
last line: ``p50_s: X`` (single photos).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_support import random_weight_model, realistic_jpeg  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def searchable_at(lib: object, path: Path, timeout: float = 120.0) -> float:
    """Poll until ``path`` is the top hit of a search for itself; returns that moment."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        # Cheap until the catalog knows the photo; the search then reuses its stored vector.
        if lib.catalog.photo_id_for_path(str(path)) is not None:  # type: ignore[attr-defined]
            hits = lib.search(str(path), k=1, cut_off=False)  # type: ignore[attr-defined]
            if hits and hits[0].path == path:
                return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError(f"{path} was not searchable after {timeout} s")


def write_photo(source: Path, target: Path) -> float:
    """Write ``target`` like a photo app or a copy does; returns when it was closed."""
    data = source.read_bytes()
    with open(target, "wb") as f:
        f.write(data)
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20, help="single photos, one at a time")
    parser.add_argument("--burst", type=int, default=8, help="photos written at once after")
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between single photos")
    parser.add_argument("--work", type=Path, default=None,
                        help="reuse this folder for source photos and the model between runs")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-watch-bench-"))
    sources = work / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    total = args.photos + args.burst
    t0 = time.perf_counter()
    todo = [(sources / f"IMG_{i:04d}.jpg", 1000 + i) for i in range(total)]
    todo = [(p, i) for p, i in todo if not p.exists()]
    with ProcessPoolExecutor() as pool:
        list(pool.map(realistic_jpeg, [p for p, _ in todo], [i for _, i in todo]))
    paths = [sources / f"IMG_{i:04d}.jpg" for i in range(total)]
    mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
    print(f"{total} photos, 4000x3000, {mb:.1f} MB each (made in "
          f"{time.perf_counter() - t0:.0f} s); cpus: {os.cpu_count()}")
    model_dir = random_weight_model(work / "vit-b-32-random")

    from engine.api import Library

    run = Path(tempfile.mkdtemp(prefix="ps-watch-run-"))
    watched = run / "watched"
    watched.mkdir()
    lib = Library.open(run / "home", model=f"local-dir:{model_dir}", device="cpu")
    indexed_at: dict[str, float] = {}
    lock = threading.Lock()

    def on_event(event: object) -> None:
        if getattr(event, "kind", "") == "indexed":
            with lock:
                indexed_at.setdefault(str(event.path), time.perf_counter())  # type: ignore[attr-defined]

    try:
        lib.add_folder(watched)
        lib.load_model().result()
        print(f"model: {lib.encoder.description}")
        watch = lib.watch(on_event=on_event)
        assert watch.wait_reconciled(300)
        watched = watched.resolve()

        singles: list[float] = []
        for i in range(args.photos):
            target = watched / paths[i].name
            closed = write_photo(paths[i], target)
            found = searchable_at(lib, target)
            singles.append(found - closed)
            time.sleep(args.gap)
        burst: list[float] = []
        if args.burst:
            closed_at = {}
            for src in paths[args.photos:]:
                closed_at[watched / src.name] = write_photo(src, watched / src.name)
            for target, closed in closed_at.items():
                burst.append(searchable_at(lib, target) - closed)
        watch.stop()
        event_lag = [indexed_at[str(watched / p.name)] for p in paths[: args.photos]
                     if str(watched / p.name) in indexed_at]
    finally:
        lib.close()

    print(f"single photos ({len(singles)}, {args.gap:g} s apart): "
          f"p50 {statistics.median(singles):.2f} s, p95 {percentile(singles, 0.95):.2f} s, "
          f"max {max(singles):.2f} s")
    if burst:
        print(f"burst of {len(burst)} written at once: p50 {statistics.median(burst):.2f} s, "
              f"p95 {percentile(burst, 0.95):.2f} s, last {max(burst):.2f} s")
    print(f"('indexed' events received for {len(event_lag)} of {len(singles)} single photos)")
    print(f"p95_s: {percentile(singles, 0.95):.2f}")
    print(f"p50_s: {statistics.median(singles):.2f}")


if __name__ == "__main__":
    main()
