"""Per-worker indexing throughput on a Ray cluster (``photosearch index --ray``) against the
local indexer, on the same realistic 12-megapixel JPEGs and the ViT-B-32 architecture (random
weights: compute does not depend on them).

A real Ray head is started on this machine, bound to 127.0.0.1 (tests/engine/ray_cluster.py),
and stopped by its own processes afterwards. Its one node is one "worker" of the plan in
docs/scale.md: the rate through it is what one worker of this size adds. Each run starts its
model replicas (actors) anew, so the figure includes their start and model load, as the
first minutes of a real run do (a long run amortises them).

Usage: python bench/cluster_throughput.py [--photos 24] [--replicas 1] [--cpus 2]
[--runtime torch|onnx|auto]; last line: ``cluster_photos_per_s: X``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "engine"))

import engine  # noqa: E402,F401,I001  (first, as in the CLI: it sets up the thread runtime)
from bench_support import random_weight_model, realistic_jpeg  # noqa: E402
from ray_cluster import local_ray_cluster  # noqa: E402


def run(folder: Path, model_dir: Path, home: Path, address: str | None, replicas: int,
        cpus: float) -> tuple[float, float, int]:
    """Index ``folder`` into a new library (locally, or on the cluster at ``address``);
    returns (photos/s overall, photos/s after the first photo came back, photos embedded)."""
    from engine.api import ClusterOptions, Library

    first: list[tuple[float, int]] = []

    def progress(p: object) -> None:
        done = int(getattr(p, "done", 0))
        if not first and getattr(p, "phase", "") == "embedding" and done > 0:
            first.append((time.perf_counter(), done))

    lib = Library.open(home, model=f"local-dir:{model_dir}")
    try:
        lib.add_folder(folder)
        lib.load_model().result()  # the local model load is not indexing throughput
        start = time.perf_counter()
        if address is None:
            report = lib.index(progress, background=False).result()
        else:
            options = ClusterOptions(address, replicas=replicas, cpus_per_replica=cpus,
                                     cpus_per_read=0.25, batch_size=8)
            report = lib.index_on_cluster(options, progress, background=False).result()
        end = time.perf_counter()
        steady = ((report.embedded - first[0][1]) / (end - first[0][0])
                  if first and end > first[0][0] else 0.0)
        return report.embedded / (end - start), steady, report.embedded
    finally:
        lib.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the Ray node")
    parser.add_argument("--runtime", default="torch", choices=("auto", "torch", "onnx"))
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-cluster-bench-"))
    os.environ.setdefault("PHOTOSEARCH_ONNX_CACHE", str(work / "onnx-cache"))
    os.environ["PHOTOSEARCH_RUNTIME"] = args.runtime
    photos = work / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    todo = [photos / f"IMG_{i:04d}.jpg" for i in range(args.photos)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(realistic_jpeg, [p for p in todo if not p.exists()],
                      [i for i, p in enumerate(todo) if not p.exists()]))
    model_dir = random_weight_model(work / "vit-b-32-random")
    print(f"{args.photos} photos, 4000x3000; cpus: {os.cpu_count()}; load average "
          f"{os.getloadavg()[0]:.1f}; runtime {args.runtime}")
    local, local_steady, n = run(photos, model_dir, Path(tempfile.mkdtemp(prefix="ps-home-")),
                                 None, 0, 0)
    print(f"local indexer: {local:.2f} photos/s ({n} photos; {local_steady:.2f} after the "
          "first)")
    per_replica = max(0.25, (args.cpus - 0.5) / args.replicas)
    with local_ray_cluster(cpus=args.cpus) as address:
        rate, steady, n = run(photos, model_dir, Path(tempfile.mkdtemp(prefix="ps-home-")),
                              address, args.replicas, per_replica)
    print(f"ray, one node of {args.cpus} CPUs, {args.replicas} replica(s) of "
          f"{per_replica:g} CPUs: {rate:.2f} photos/s ({n} photos, actor start and model load "
          f"included); {steady:.2f} photos/s after the first batch came back")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"cluster_photos_per_s: {steady:.2f}")


if __name__ == "__main__":
    main()
