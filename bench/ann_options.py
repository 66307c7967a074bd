"""ANN options side by side on one library's vectors (``bench/scale.py --compare``).

Each option is built from the same vectors and asked the same held-out queries; recall@10 is
against exact search. Options:

* ``hnswlib`` at M 16 / 32 (float32 in the graph; the engine's index);
* ``faiss HNSW-SQ8 + rescore``: faiss-cpu's HNSW over 8-bit scalar-quantised vectors (a quarter
  of the memory), its top 50 rescored exactly from a memory-mapped float32 file;
* ``faiss IVF-SQ8 + rescore``: faiss-cpu's inverted lists (k-means cells, about 4 sqrt(n) of
  them) over 8-bit vectors, probing a share of the cells, its top 50 rescored the same way;
* ``faiss IVF-PQ4fs``: the same lists over 4-bit product codes (one per 8 or 2 dimensions,
  faiss's SIMD fast scan), alone with a rescored top 200, and as the engine's quantized index
  uses them (engine.store.quantized_index): their top 800-3,200 re-ranked by 8-bit codes in
  memory, the top 50 of those rescored;
* ``usearch i8 + rescore``: usearch's HNSW over int8 vectors, rescored the same way;
* ``binary + rescore``: a brute-force Hamming scan of sign bits (64 bytes a photo at 512-d), its
  top 1000 rescored from the float32 file.

faiss-cpu and usearch are optional (``pip install faiss-cpu usearch``): an option whose library
is missing is skipped with a note.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.store.quantized_index import ivf_lists  # the engine's rule, shared

K = 10
Search = Callable[[np.ndarray], np.ndarray]


def _catalog_vectors(home: Path, model_id: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    from engine.store.catalog import Catalog

    catalog = Catalog(home / "catalog.db")
    try:
        return catalog.searchable_vectors(model_id, dim)
    finally:
        catalog.close()


def _truth(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    out = np.empty((len(queries), K), np.int64)
    for i, q in enumerate(queries):
        scores = vectors @ q
        top = np.argpartition(-scores, K)[:K]
        out[i] = top[np.argsort(-scores[top])]
    return out


def _run(search: Search, queries: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    times, hits = [], 0
    for q, want in zip(queries, truth, strict=True):
        start = time.perf_counter()
        got = search(q)
        times.append(1000 * (time.perf_counter() - start))
        hits += len(set(got[:K].tolist()) & set(want.tolist()))
    return hits / (K * len(queries)), statistics.median(times)


def _rescorer(floats: np.ndarray) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    def rescore(q: np.ndarray, rows: np.ndarray) -> np.ndarray:
        rows = np.sort(rows[rows >= 0])
        scores = floats[rows] @ q
        return rows[np.argsort(-scores)[:K]]

    return rescore


def _fast_scan_options(faiss: Any, coarse: Any, vectors: np.ndarray, sample: np.ndarray,
                       threads: int, row: Callable[..., None],
                       rescore: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """4-bit product codes in the same inverted lists (the IVF-SQ8 option's centroids, so only
    the codes differ): alone with a rescored shortlist of 200, and as the engine uses them,
    their candidates re-ranked by 8-bit codes in memory (IndexRefine) down to 50 rescored."""
    n, dim = vectors.shape
    nlist = coarse.ntotal
    centroids = coarse.reconstruct_n(0, nlist)
    probes = max(1, round(nlist * 0.048))  # the engine's default breadth (480 / 10,000)
    for width in (8, 2):
        if dim % width:
            continue
        faiss.omp_set_num_threads(threads)
        start = time.perf_counter()
        quantizer = faiss.IndexFlatIP(dim)
        quantizer.add(centroids)
        lists = faiss.IndexIVFPQFastScan(quantizer, dim, nlist, dim // width, 4,
                                         faiss.METRIC_INNER_PRODUCT)
        lists.by_residual = False
        codes = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_8bit,
                                           faiss.METRIC_INNER_PRODUCT)
        refined = faiss.IndexRefine(lists, codes)
        refined.train(np.ascontiguousarray(vectors[sample]))
        refined.add(vectors)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        pq_mb = n * dim / width / 2 / 2**20

        def p_search(q: np.ndarray, ix: Any = lists) -> np.ndarray:
            params = faiss.SearchParametersIVF()
            params.nprobe = probes
            _, rows = ix.search(q[None, :], 200, params=params)
            return rescore(q, rows[0])

        row(f"faiss IVF-PQ{width}d4fs + rescore 200", build, pq_mb, probes, p_search)
        if width != 2:
            continue
        for candidates in (800, 1600, 3200):

            def r_search(q: np.ndarray, ix: Any = refined, c: int = candidates) -> np.ndarray:
                params = faiss.SearchParametersIVF()
                params.nprobe = probes
                both = faiss.IndexRefineSearchParameters(k_factor=c // 50,
                                                         base_index_params=params)
                _, rows = ix.search(q[None, :], 50, params=both)
                return rescore(q, rows[0])

            row("  + SQ8 refine (engine) + rescore 50", build, pq_mb + n * dim / 2**20,
                f"{probes}/{candidates}", r_search)
        del refined, lists, codes, quantizer


def compare_options(home: Path, model_id: str, dim: int, queries: np.ndarray,
                    work: Path) -> None:
    """Print one row per option and breadth: build time, memory, recall@10, p50."""
    _, vectors = _catalog_vectors(home, model_id, dim)
    n = len(vectors)
    truth = _truth(vectors, queries)
    float_path = work / "vectors.f32"
    vectors.tofile(float_path)
    floats = np.memmap(float_path, np.float32, "r", shape=(n, dim))
    rescore = _rescorer(floats)
    threads = os.cpu_count() or 1
    print(f"\nANN options on {n:,} vectors ({dim}-d), {len(queries)} queries, one search thread")
    print(f"{'option':34} {'build_s':>8} {'mem_MB':>7} {'breadth':>8} {'recall@10':>9} "
          f"{'p50_ms':>7}")

    def row(name: str, build_s: float, mem_mb: float, breadth: object, search: Search) -> None:
        recall, p50 = _run(search, queries, truth)
        print(f"{name:34} {build_s:8.0f} {mem_mb:7.0f} {breadth!s:>8} {recall:9.4f} {p50:7.2f}",
              flush=True)

    import hnswlib

    for m in (16, 32):
        start = time.perf_counter()
        index = hnswlib.Index(space="ip", dim=dim)
        index.init_index(max_elements=n, M=m, ef_construction=200)
        index.set_num_threads(threads)
        index.add_items(vectors, np.arange(n))
        build = time.perf_counter() - start
        mem = n * (dim * 4 + 2 * m * 4 + 16) / 2**20
        for ef in (128, 256, 512):
            index.set_ef(ef)
            row(f"hnswlib M={m}", build, mem, ef,
                lambda q, ix=index: ix.knn_query(q, k=K, num_threads=1)[0][0].astype(np.int64))
        del index

    try:
        import faiss
    except ImportError:
        print("faiss HNSW-SQ8: skipped (pip install faiss-cpu)")
    else:
        faiss.omp_set_num_threads(threads)
        start = time.perf_counter()
        fx = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32,
                               faiss.METRIC_INNER_PRODUCT)
        fx.hnsw.efConstruction = 200
        fx.train(vectors[: min(n, 100_000)])
        fx.add(vectors)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        mem = n * (dim + 2 * 32 * 4 + 16) / 2**20
        for ef in (128, 256, 512):
            fx.hnsw.efSearch = ef

            def f_search(q: np.ndarray, ix: object = fx) -> np.ndarray:
                _, rows = ix.search(q[None, :], 50)  # type: ignore[attr-defined]
                return rescore(q, rows[0])

            row("faiss HNSW-SQ8 M=32 + rescore 50", build, mem, ef, f_search)
        del fx

    try:
        import faiss
    except ImportError:
        print("faiss IVF-SQ8: skipped (pip install faiss-cpu)")
    else:
        faiss.omp_set_num_threads(threads)
        nlist = ivf_lists(n)
        start = time.perf_counter()
        coarse = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFScalarQuantizer(coarse, dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                            faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(1)
        sample = np.sort(rng.choice(n, min(n, 64 * nlist), replace=False))
        ivf.train(np.ascontiguousarray(vectors[sample]))
        ivf.add(vectors)
        build = time.perf_counter() - start
        faiss.omp_set_num_threads(1)
        mem = (n * (dim + 8) + nlist * dim * 4) / 2**20
        for share in (0.02, 0.04, 0.06):
            ivf.nprobe = max(1, round(nlist * share))

            def i_search(q: np.ndarray, ix: object = ivf) -> np.ndarray:
                _, rows = ix.search(q[None, :], 50)  # type: ignore[attr-defined]
                return rescore(q, rows[0])

            row(f"faiss IVF{nlist}-SQ8 + rescore 50", build, mem, ivf.nprobe, i_search)
        _fast_scan_options(faiss, coarse, vectors, sample, threads, row, rescore)
        del ivf, coarse

    try:
        from usearch.index import Index as UIndex
    except ImportError:
        print("usearch i8: skipped (pip install usearch)")
    else:
        start = time.perf_counter()
        ux = UIndex(ndim=dim, metric="ip", dtype="i8", connectivity=32, expansion_add=200)
        ux.add(np.arange(n), vectors, threads=threads)
        build = time.perf_counter() - start
        mem = ux.memory_usage / 2**20
        for ef in (128, 256, 512):
            ux.expansion_search = ef

            def u_search(q: np.ndarray, ix: UIndex = ux) -> np.ndarray:
                found = ix.search(q, 50, threads=1)
                return rescore(q, np.asarray(found.keys, np.int64))

            row("usearch i8 M=32 + rescore 50", build, mem, ef, u_search)
        del ux

    start = time.perf_counter()
    bits = np.packbits(vectors > 0, axis=1)
    build = time.perf_counter() - start
    for shortlist in (1000, 4000):

        def b_search(q: np.ndarray, short: int = shortlist) -> np.ndarray:
            qb = np.packbits(q > 0)
            dist = np.bitwise_count(bits ^ qb).sum(axis=1, dtype=np.int32)
            short = min(short, len(dist) - 1)  # a library smaller than the shortlist
            rows = np.argpartition(dist, short)[:short]
            return rescore(q, rows)

        row("binary scan + rescore", build, bits.nbytes / 2**20, shortlist, b_search)
    del floats
    float_path.unlink(missing_ok=True)
