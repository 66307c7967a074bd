"""Recall and latency of the HNSW vector index (engine.store.vector_index) on clustered
synthetic vectors.

    python bench/ann_recall.py --n 100000 --dim 512 --queries 200

For each (M, ef_construction) it builds a VectorIndex, saves and reloads it, and measures
recall@10 against exact search and the single-query latency for several ef; then it deletes
10% of the photos, adds as many new ones (which reuse the deleted slots) and measures again.
The vectors are 1000 Gaussian clusters of varying spread, normalised (uniformly random vectors
are a misleading benchmark: HNSW recall on them is far lower). Queries are held-out points of the
same clusters. The last line is ``recall_at_10: <value>`` for the IndexParams defaults at their
default ef.

Results on the 2-core AMD EPYC dev machine, hnswlib 0.8.0, numpy 2.4, one search thread;
n=100000, dim=512, 200 queries, 1000 clusters in 50 themes, 10% churn. build_s/add/s:
VectorIndex.add of all vectors on 2 threads; load_s: VectorIndex.open (with the checksum);
churn_*: recall and latency after deleting 10% of the photos and adding as many new ones (which
reuse the deleted slots), before any rebuild. Run 1, machine lightly shared (exact search took
11.2 ms median), by the script before it printed a churn_s column::

      M  efC build_s add/s file_MB load_s   ef recall@10 p50_ms p95_ms | churn_rec churn_p50
     16  200    30.9  3239   219.6   0.33   64    0.8975   0.24   0.44 |    0.8820      0.35
     16  200    30.9  3239   219.6   0.33  128    0.9575   0.39   0.76 |    0.9290      0.47
     16  200    30.9  3239   219.6   0.33  256    0.9880   0.50   1.13 |    0.9705      0.64
     16  200    30.9  3239   219.6   0.33  512    0.9945   0.77   1.82 |    0.9915      0.81
     24  200    41.1  2431   226.0   0.29   64    0.9430   0.32   0.67 |    0.9305      0.32
     24  200    41.1  2431   226.0   0.29  128    0.9770   0.46   1.14 |    0.9610      0.49
     24  200    41.1  2431   226.0   0.29  256    0.9940   0.66   1.78 |    0.9925      0.66
     24  200    41.1  2431   226.0   0.29  512    0.9965   1.07   2.83 |    0.9980      0.89
     32  200    44.8  2230   232.4   0.35   64    0.9435   0.45   1.05 |    0.9445      0.31
     32  200    44.8  2230   232.4   0.35  128    0.9815   0.65   1.64 |    0.9665      0.43
     32  200    44.8  2230   232.4   0.35  256    0.9970   0.86   2.52 |    0.9900      0.65
     32  200    44.8  2230   232.4   0.35  512    0.9990   1.27   3.78 |    0.9980      1.19
     48  200    46.2  2165   245.2   0.32   64    0.9700   0.37   1.05 |    0.9045      0.30
     48  200    46.2  2165   245.2   0.32  128    0.9880   0.52   1.69 |    0.9480      0.51
     48  200    46.2  2165   245.2   0.32  256    0.9995   0.83   2.72 |    0.9835      0.72
     48  200    46.2  2165   245.2   0.32  512    1.0000   1.38   4.45 |    0.9945      1.06

Run 2 with this script, on a machine loaded by other jobs (load average 5-7, exact search 26.9
ms; fresh recall within 0.01 of run 1, latencies 1.5-3x higher): churn_s, the time to delete
10,000 photos and add 10,000 new ones into the freed slots, was 35 / 87 / 181 / 225 s for
M = 16 / 24 / 32 / 48 (reusing a slot makes hnswlib repair the neighbours' links: 8-50x the cost
of a fresh insert), and churn_rec at ef 256 was 0.9875 / 0.9820 / 0.9745 / 0.9930: recall after
churn varies by run, since hnswlib's multithreaded inserts are not deterministic.

Chosen defaults: IndexParams(M=32, ef_construction=200, ef_search=256): recall@10 0.997, median
0.86 ms, p95 2.5 ms; the file is 232 MB and loads in 0.35 s. ef=128 stays near 0.98 on this data
whatever M; M=48 gains 0.003 for a slower build. After 10% churn recall fell to 0.990 / 0.975 in
the two runs, hence the rebuild once churn passes 10%
(engine.store.vector_index.REBUILD_CHURN_FRACTION).
This data is harder than real CLIP embeddings (the largest cluster holds 13% of the photos, with
isotropic 512-d noise), so real libraries should do at least as well. The command at the top
prints this table (the default --configs and --efs) in about 6 minutes on a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.store.vector_index import (
    DEFAULT_PARAMS,
    IndexParams,
    VectorIndex,
    exact_search,
)  # noqa: E402

K = 10


@dataclass
class Dataset:
    """Clustered vectors: the indexed ones, the queries and the vectors added during churn."""

    ids: np.ndarray
    vectors: np.ndarray
    queries: np.ndarray
    churn_ids: np.ndarray
    churn_vectors: np.ndarray


@dataclass
class Measure:
    recall: float
    p50_ms: float
    p95_ms: float


def clustered(
    rng: np.random.Generator, n: int, centres: np.ndarray, weights: np.ndarray, spreads: np.ndarray
) -> np.ndarray:
    """n normalised points: a cluster drawn by weight, its centre plus Gaussian noise."""
    dim = centres.shape[1]
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 20_000):
        m = min(20_000, n - start)
        which = rng.choice(len(centres), m, p=weights)
        noise = rng.standard_normal((m, dim), dtype=np.float32)
        block = centres[which] + noise * (spreads[which] / np.sqrt(dim))[:, None]
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def make_dataset(
    n: int, dim: int, queries: int, clusters: int, themes: int, churn: float, seed: int
) -> Dataset:
    """Clusters (events, scenes) grouped under themes, so that neighbouring clusters overlap;
    cluster sizes follow a power law, as in a photo library (a few huge trips, many small sets).
    """
    rng = np.random.default_rng(seed)
    theme_centres = rng.standard_normal((themes, dim), dtype=np.float32)
    theme_centres /= np.linalg.norm(theme_centres, axis=1, keepdims=True)
    offsets = rng.standard_normal((clusters, dim), dtype=np.float32) / np.sqrt(dim)
    centres = theme_centres[rng.integers(0, themes, clusters)] + offsets
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    weights = 1.0 / np.arange(1, clusters + 1)
    weights /= weights.sum()
    spreads = rng.uniform(0.6, 1.4, clusters).astype(np.float32)  # tight and loose clusters
    n_churn = int(n * churn)
    vectors = clustered(rng, n + queries + n_churn, centres, weights, spreads)
    ids = np.arange(1, n + 1, dtype=np.int64)
    return Dataset(
        ids=ids,
        vectors=vectors[:n],
        queries=vectors[n : n + queries],
        churn_ids=np.arange(n + 1, n + 1 + n_churn, dtype=np.int64),
        churn_vectors=vectors[n + queries :],
    )


def ground_truth(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray) -> tuple[list, float]:
    truth, times = [], []
    for query in queries:
        start = time.perf_counter()
        top, _ = exact_search(vectors, ids, query, K)
        times.append(time.perf_counter() - start)
        truth.append(set(top.tolist()))
    return truth, 1000 * statistics.median(times)


def measure(index: VectorIndex, queries: np.ndarray, truth: list, ef: int | None) -> Measure:
    for query in queries[:10]:
        index.search(query, K, ef=ef)  # warm up
    hits, times = 0, []
    for query, want in zip(queries, truth, strict=True):
        start = time.perf_counter()
        got, _ = index.search(query, K, ef=ef)
        times.append(time.perf_counter() - start)
        hits += len(want & set(got.tolist()))
    times_ms = np.array(times) * 1000
    return Measure(
        hits / (K * len(queries)),
        float(np.percentile(times_ms, 50)),
        float(np.percentile(times_ms, 95)),
    )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="vectors in the index")
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--themes", type=int, default=50, help="groups of related clusters")
    parser.add_argument("--churn", type=float, default=0.1, help="fraction deleted and re-added")
    parser.add_argument(
        "--configs",
        default="16:200,24:200,32:200,48:200",
        help="comma-separated M:ef_construction pairs (the defaults are always included)",
    )
    parser.add_argument("--efs", default="64,128,256,512", help="comma-separated search ef")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    configs = [tuple(int(x) for x in c.split(":")) for c in args.configs.split(",")]
    default_config = (DEFAULT_PARAMS.M, DEFAULT_PARAMS.ef_construction)
    if default_config not in configs:
        configs.append(default_config)
    efs = [int(x) for x in args.efs.split(",")]

    progress(f"generating {args.n} clustered {args.dim}-d vectors")
    data = make_dataset(
        args.n, args.dim, args.queries, args.clusters, args.themes, args.churn, args.seed
    )
    truth, exact_ms = ground_truth(data.vectors, data.ids, data.queries)
    rng = np.random.default_rng(args.seed + 1)
    victims = rng.choice(data.ids, len(data.churn_ids), replace=False)
    keep = np.isin(data.ids, victims, invert=True)
    churned_ids = np.concatenate([data.ids[keep], data.churn_ids])
    churned_vectors = np.concatenate([data.vectors[keep], data.churn_vectors])
    churn_truth, _ = ground_truth(churned_vectors, churned_ids, data.queries)
    del churned_vectors

    header = (
        f"{'M':>3} {'efC':>4} {'build_s':>7} {'add/s':>5} {'file_MB':>7} {'load_s':>6} {'ef':>4} "
        f"{'recall@10':>9} {'p50_ms':>6} {'p95_ms':>6} | {'churn_s':>7} {'churn_rec':>9} "
        f"{'churn_p50':>9}"
    )
    rows = []
    default_recall = float("nan")
    for m, ef_construction in configs:
        params = IndexParams(
            M=m, ef_construction=ef_construction, ef_search=DEFAULT_PARAMS.ef_search
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.hnsw"
            progress(f"building M={m} ef_construction={ef_construction}")
            index = VectorIndex.open(path, args.dim, params)
            start = time.perf_counter()
            index.add(data.ids, data.vectors)
            build_s = time.perf_counter() - start
            index.save()
            file_mb = path.stat().st_size / 1e6
            del index
            start = time.perf_counter()
            index = VectorIndex.open(path, args.dim, params)
            load_s = time.perf_counter() - start
            assert len(index) == args.n
            fresh = {ef: measure(index, data.queries, truth, ef) for ef in efs}
            if (m, ef_construction) == default_config:
                default_recall = measure(index, data.queries, truth, None).recall
            progress(f"churn: deleting {len(victims)} and adding {len(data.churn_ids)}")
            start = time.perf_counter()
            index.remove(victims.tolist())
            index.add(data.churn_ids, data.churn_vectors)
            churn_s = time.perf_counter() - start
            assert len(index) == args.n and index.element_count == args.n
            churned = {ef: measure(index, data.queries, churn_truth, ef) for ef in efs}
            del index
        for ef in efs:
            f, c = fresh[ef], churned[ef]
            rows.append(
                f"{m:>3} {ef_construction:>4} {build_s:>7.1f} {args.n / build_s:>5.0f} "
                f"{file_mb:>7.1f} {load_s:>6.2f} {ef:>4} {f.recall:>9.4f} {f.p50_ms:>6.2f} "
                f"{f.p95_ms:>6.2f} | {churn_s:>7.1f} {c.recall:>9.4f} {c.p50_ms:>9.2f}"
            )
            progress(rows[-1])

    print(
        f"n={args.n} dim={args.dim} queries={args.queries} clusters={args.clusters} "
        f"themes={args.themes} "
        f"churn={args.churn:.0%}; exact search median {exact_ms:.1f} ms"
    )
    print(header)
    print("\n".join(rows))
    print(f"defaults: {DEFAULT_PARAMS}")
    print(f"recall_at_10: {default_recall:.4f}")


if __name__ == "__main__":
    main()
