"""One machine, N photos: build a synthetic library of N photos through the engine's own write
path, then measure what a user of an archive that size waits for.

    nice -n 10 python bench/scale.py --photos 1000000          # last line: p50_ms_1m: X
    python bench/scale.py --photos 100000 --compare             # also the ANN options table
    PHOTOSEARCH_VECTOR_INDEX=sq8 python bench/scale.py ...      # force an index kind

The library: photos in events (a power law of sizes: a few huge trips, many small sets), each
event in its own nested folder (``<root>/<year>/<year>-<month> <place>/IMG_n.jpg``), on one
day, with one camera of twelve, GPS on a third of them and a caption on a tenth. An event's
vectors are one scene of 2000 (Gaussian clusters of varying spread grouped under 50 themes, as in
bench/ann_recall.py: harder than real CLIP embeddings). Rows go in through ``Catalog``'s writes
(``upsert_photos``, ``put_embeddings``, ``store_photo_captions`` inside one transaction per batch),
vectors through ``PhotoVectors.upsert`` and ``save``, as the indexer's CLIP analysis does.

Measured in a fresh process (so the open is the open a user sees; the page cache is warm, since
dropping it needs root): the library's open (catalog plus vector index, without the model, whose
load is reported apart), resident memory after the open and after 100 text queries, text query
p50/p95 end to end (``Library.search``: parse, text tower, vector search, cut-off, catalog rows),
ANN recall@10 against exact search and the vector search p50 (held-out points of the same
scenes), filtered queries p50 (a folder, a date range, a camera, a filter keeping 0.1%),
``photosearch status``, the folder list and counts the app repaints; then 10% churn (deletions,
new photos, moves) through the same writes, a fresh open and recall again.

The text tower is ViT-B-32 with random weights (bench_support): its cost does not depend on the
weights. ``--model demo`` uses the bundled 128-d demo model instead (the test of this bench).
The vector index kind is the one the engine picks for the library's size (hnsw below 100,000
photos, sq8 from there: engine.store.photo_vectors) unless PHOTOSEARCH_VECTOR_INDEX forces one;
the report names the kind measured. A library that crosses the threshold while it is built or
churned switches kind in the background at a save; the build waits for that switch (its time
counts as the vector index's), so what is measured is the kind the library ends with.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import engine  # noqa: E402,F401,I001  (first, as in the CLI and app: it sets up the thread runtime)

K = 10
BATCH = 5000
CAMERAS = [("Canon", "EOS 5D Mark IV"), ("Apple", "iPhone 12"), ("Apple", "iPhone 15 Pro"),
           ("Nikon", "D750"), ("Sony", "ILCE-7M3"), ("Fujifilm", "X-T3"), ("Google", "Pixel 7"),
           ("Samsung", "SM-G991B"), ("Olympus", "E-M10"), ("Panasonic", "DMC-GX80"),
           ("Canon", "PowerShot G7 X"), ("Leica", "Q2")]
PLACES = ["Lisbon", "Kyoto", "Paris", "home", "garden", "Alps", "beach", "school", "Berlin",
          "office", "wedding", "Rome", "lake", "Oslo", "zoo"]
CAPTIONS = ["a dog running on the beach", "birthday party with cake", "snowy mountain peak",
            "family dinner at home", "city street at night", "children playing in a park",
            "a cat asleep on the sofa", "sunset over the sea", "wedding ceremony in a church",
            "a receipt on a table"]
QUERIES = ["two dogs on a beach at sunset", "kids on a red slide at dusk", "birthday cake",
           "snowy mountains", "a cat sleeping on a sofa", "city skyline at night", "wedding",
           "receipt", "forest trail in autumn", "people laughing at a dinner table"]
SCENES, THEMES = 2000, 50


# --------------------------------------------------------------------------------- the data


class Scenes:
    """Clustered unit vectors: scenes (centre, spread) grouped under themes."""

    def __init__(self, dim: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        themes = rng.standard_normal((THEMES, dim), dtype=np.float32)
        themes /= np.linalg.norm(themes, axis=1, keepdims=True)
        offsets = rng.standard_normal((SCENES, dim), dtype=np.float32) / np.sqrt(dim)
        centres = themes[rng.integers(0, THEMES, SCENES)] + offsets
        self.centres = centres / np.linalg.norm(centres, axis=1, keepdims=True)
        self.spreads = rng.uniform(0.6, 1.4, SCENES).astype(np.float32)
        weights = 1.0 / np.arange(1, SCENES + 1)
        self.weights = weights / weights.sum()
        self.dim = dim

    def draw(self, rng: np.random.Generator, scenes: np.ndarray) -> np.ndarray:
        """One unit vector per scene index."""
        noise = rng.standard_normal((len(scenes), self.dim), dtype=np.float32)
        block = self.centres[scenes] + noise * (self.spreads[scenes] / np.sqrt(self.dim))[:, None]
        return block / np.linalg.norm(block, axis=1, keepdims=True)


class Events:
    """The library's events: folder, day, camera, scene and size of each."""

    def __init__(self, n: int, scenes: Scenes, seed: int) -> None:
        rng = np.random.default_rng(seed + 1)
        sizes: list[int] = []
        total = 0
        while total < n:  # power law: most events are small, a few are huge
            sizes.append(int(min(5000, 3 + rng.pareto(1.3) * 20)))
            total += sizes[-1]
        sizes[-1] -= total - n
        self.sizes = np.array([s for s in sizes if s > 0])
        count = len(self.sizes)
        start = date(2005, 1, 1).toordinal()
        days = np.sort(rng.integers(start, date(2025, 12, 31).toordinal(), count))
        self.days = [date.fromordinal(int(d)) for d in days]
        self.cameras = rng.choice(len(CAMERAS), count, p=_power_weights(len(CAMERAS)))
        self.scenes = rng.choice(SCENES, count, p=scenes.weights)
        self.places = rng.integers(0, len(PLACES), count)
        self.gps = rng.random(count) < 0.33
        self.first = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])

    def folder(self, root: Path, e: int) -> Path:
        day = self.days[e]
        return root / f"{day.year}" / f"{day:%Y-%m} {PLACES[self.places[e]]} {e}"


def _power_weights(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1)
    return w / w.sum()


# --------------------------------------------------------------------------------- building


def build_library(home: Path, root: Path, model_id: str, n: int, scenes: Scenes,
                  events: Events, seed: int) -> dict[str, float]:
    """Write n photos (rows, vectors, captions) through the engine's writes; the vector index
    is kept current and saved every 100,000 photos (as a long indexing run saves it)."""
    from engine.media.caption_sources import PhotoCaption
    from engine.store.captions import store_photo_captions
    from engine.store.catalog import Catalog, PhotoRecord
    from engine.store.photo_vectors import PhotoVectors

    rng = np.random.default_rng(seed + 2)
    catalog = Catalog(home / "catalog.db")
    folder_id = catalog.add_folder(root)
    vectors = PhotoVectors.open(catalog, home, model_id, scenes.dim)
    t_rows = t_vectors = 0.0
    written = 0
    event_of = np.repeat(np.arange(len(events.sizes)), events.sizes)
    for start in range(0, n, BATCH):
        stop = min(n, start + BATCH)
        evs = event_of[start:stop]
        vecs = scenes.draw(rng, events.scenes[evs])
        t0 = time.perf_counter()
        records, captions = [], {}
        for i, e in zip(range(start, stop), evs.tolist(), strict=True):
            day = events.days[e]
            make, model = CAMERAS[events.cameras[e]]
            path = str(events.folder(root, e) / f"IMG_{i:07d}.jpg")
            lat, lon = ((float(38 + e % 20), float(-9 + e % 30)) if events.gps[e]
                        else (None, None))
            records.append(PhotoRecord(
                path=path, folder_id=folder_id, size=2_000_000 + i % 3_000_000, mtime_ns=i,
                content_hash=f"{i:016x}", width=4000, height=3000,
                taken_at=f"{day.isoformat()}T{8 + i % 12:02d}:{i % 60:02d}:00",
                camera_make=make, camera_model=model, gps_lat=lat, gps_lon=lon))
            if i % 10 == 0:
                captions[path] = CAPTIONS[(i // 10) % len(CAPTIONS)]
        with catalog.transaction() as conn:
            ids = catalog.upsert_photos(records, conn)
            catalog.put_embeddings(
                [(r.content_hash or "", v) for r, v in zip(records, vecs, strict=True)],
                model_id, conn)
            for path, text in captions.items():
                store_photo_captions(conn, ids[path], [PhotoCaption(text, "bench")])
        t1 = time.perf_counter()
        vectors.upsert(np.array([ids[r.path] for r in records], np.int64), vecs)
        written += len(records)
        if written % 100_000 == 0 or stop == n:
            vectors.save()
            if vectors.rebuilding is not None:  # a switch of index kind: see the docstring
                vectors.rebuilding.join()
        t_vectors += time.perf_counter() - t1
        t_rows += t1 - t0
        if written % 100_000 == 0:
            print(f"  built {written:,} photos (rows {t_rows:.0f} s, vectors {t_vectors:.0f} s)",
                  flush=True)
    vectors.record_match()  # as closing the library does
    catalog.close()
    return {"rows_s": t_rows, "vectors_s": t_vectors}


def exact_truth(home: Path, model_id: str, dim: int, queries: np.ndarray) -> np.ndarray:
    """The exact top-K ids of each query over the catalog's searchable vectors."""
    from engine.store.catalog import Catalog

    catalog = Catalog(home / "catalog.db")
    best_ids = np.full((len(queries), K), -1, np.int64)
    best = np.full((len(queries), K), -np.inf, np.float32)
    cursor = catalog.conn.execute(
        "SELECT p.id, e.vector FROM photos p JOIN folders f ON f.id = p.folder_id "
        "JOIN embeddings e ON e.content_hash = p.content_hash AND e.model_id = ? "
        "WHERE p.error IS NULL AND f.online = 1", (model_id,))
    while rows := cursor.fetchmany(50_000):
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        vecs = np.frombuffer(b"".join(r[1] for r in rows), np.float32).reshape(len(rows), dim)
        scores = queries @ vecs.T
        all_scores = np.concatenate([best, scores], axis=1)
        all_ids = np.concatenate([best_ids, np.broadcast_to(ids, scores.shape)], axis=1)
        top = np.argsort(-all_scores, axis=1, kind="stable")[:, :K]
        best = np.take_along_axis(all_scores, top, axis=1)
        best_ids = np.take_along_axis(all_ids, top, axis=1)
    catalog.close()
    return best_ids


def churn(home: Path, root: Path, model_id: str, n: int, scenes: Scenes, events: Events,
          fraction: float, seed: int) -> dict[str, float]:
    """Delete ``fraction`` of the photos, add as many new ones, move as many to a new folder
    (moves keep a photo's id and vector), through the same writes as the indexer's."""
    from engine.store.catalog import Catalog, PhotoRecord
    from engine.store.photo_vectors import PhotoVectors

    rng = np.random.default_rng(seed + 3)
    catalog = Catalog(home / "catalog.db")
    folder_id = catalog.folder_ids()[str(root)]
    vectors = PhotoVectors.open(catalog, home, model_id, scenes.dim)
    all_ids = np.array([r[0] for r in catalog.conn.execute("SELECT id FROM photos")], np.int64)
    m = int(n * fraction)
    picked = rng.choice(all_ids, 2 * m, replace=False)
    gone, moved = picked[:m], picked[m:]
    t0 = time.perf_counter()
    for part in np.array_split(gone, max(1, m // BATCH)):
        with catalog.transaction() as conn:
            catalog.delete_photos(part.tolist(), conn)
        vectors.remove(part.tolist())
    t1 = time.perf_counter()
    new_events = rng.integers(0, len(events.sizes), m)
    for start in range(0, m, BATCH):
        evs = new_events[start:start + BATCH]
        vecs = scenes.draw(rng, events.scenes[evs])
        records = [PhotoRecord(
            path=str(events.folder(root, e) / f"NEW_{start + j:07d}.jpg"), folder_id=folder_id,
            size=3_000_000, mtime_ns=start + j, content_hash=f"new{start + j:013x}", width=4000,
            height=3000, taken_at=f"{events.days[e].isoformat()}T12:00:00",
            camera_make=CAMERAS[events.cameras[e]][0], camera_model=CAMERAS[events.cameras[e]][1])
            for j, e in enumerate(evs.tolist())]
        with catalog.transaction() as conn:
            ids = catalog.upsert_photos(records, conn)
            catalog.put_embeddings([(r.content_hash or "", v)
                                    for r, v in zip(records, vecs, strict=True)], model_id, conn)
        vectors.upsert(np.array([ids[r.path] for r in records], np.int64), vecs)
    t2 = time.perf_counter()
    paths = dict(catalog.conn.execute(
        f"SELECT id, path FROM photos WHERE id IN ({','.join(map(str, moved.tolist()))})"))
    with catalog.transaction() as conn:
        for pid, path in paths.items():
            catalog.move_photo(pid, str(root / "sorted" / Path(path).name), folder_id, 1, 1, conn)
    t3 = time.perf_counter()
    vectors.save()
    t4 = time.perf_counter()
    if vectors.rebuilding is not None:  # a rebuild or a switch of index kind: wait for it
        vectors.rebuilding.join()
    vectors.record_match()  # as closing the library does
    catalog.close()
    return {"delete_s": t1 - t0, "add_s": t2 - t1, "move_s": t3 - t2, "save_s": t4 - t3}


# --------------------------------------------------------------------------------- measuring


def rss_mb() -> float:
    """Resident memory of this process now (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def index_description(index: Any) -> str:
    """The kind of vector index measured and its search parameters."""
    from engine.store.photo_vectors import kind_of

    params = index.params
    if hasattr(params, "shortlist"):  # the quantized kind: inverted lists, no graph
        return (f"{kind_of(index)} ({index.nlist} lists trained on {index.trained_on:,}, "
                f"ef {params.ef_search}, refine {params.refine}, shortlist {params.shortlist})")
    return f"{kind_of(index)} (M={params.M}, ef {params.ef_search})"


def open_timed(home: Path, spec: str) -> tuple[Any, float, float]:
    """(the library, seconds to open it with its vector index, seconds to load the model): the
    open a user waits for, the model's load reported apart."""
    from engine.api import Library

    t0 = time.perf_counter()
    lib = Library.open(home, model=spec)
    encoder = lib.encoder
    t1 = time.perf_counter()
    encoder.load()
    t2 = time.perf_counter()
    lib._photo_vectors()
    t3 = time.perf_counter()
    return lib, (t1 - t0) + (t3 - t2), t2 - t1


def measure(home: Path, spec: str, work: Path, queries_n: int) -> dict[str, object]:
    """Everything measured in a fresh process (see the module docstring)."""
    from engine.api import SearchFilters

    out: dict[str, object] = {"rss_start_mb": rss_mb()}
    queries = np.load(work / "queries.npy")
    truth = np.load(work / "truth.npy")
    filters = json.loads((work / "filters.json").read_text())
    lib, out["open_s"], out["model_load_s"] = open_timed(home, spec)
    vectors = lib._photo_vectors()
    out["rss_open_mb"] = rss_mb()
    out["index_live"] = len(vectors)

    index = vectors.index
    out["index_kind"] = index_description(index)
    times, recalls = [], []
    for q, want in zip(queries, truth, strict=True):
        s = time.perf_counter()
        got, _ = index.search(q, K)
        times.append(1000 * (time.perf_counter() - s))
        recalls.append(len(set(got.tolist()) & set(want.tolist())) / K)
    out["recall_at_10"] = float(np.mean(recalls))
    out["vector_p50_ms"] = _p(times, 50)
    out["vector_p95_ms"] = _p(times, 95)
    sweep = {}
    for ef in (128, 512, 1024):  # the engine's index at other search breadths
        times, recalls = [], []
        for q, want in zip(queries, truth, strict=True):
            s = time.perf_counter()
            got, _ = index.search(q, K, ef=ef)
            times.append(1000 * (time.perf_counter() - s))
            recalls.append(len(set(got.tolist()) & set(want.tolist())) / K)
        sweep[ef] = (float(np.mean(recalls)), _p(times, 50))
    out["ef_sweep"] = sweep

    for q in QUERIES[:3]:
        lib.search(q, k=20, rerank=False)  # warm-up: the first query builds caches
    text_times = []
    for i in range(queries_n):
        s = time.perf_counter()
        lib.search(QUERIES[i % len(QUERIES)], k=20, rerank=False)
        text_times.append(1000 * (time.perf_counter() - s))
    out["text_p50_ms"] = _p(text_times, 50)
    out["text_p95_ms"] = _p(text_times, 95)
    out["rss_queries_mb"] = rss_mb()

    for name, f in filters.items():
        sf = SearchFilters(
            folder=Path(f["folder"]) if f.get("folder") else None,
            after=date.fromisoformat(f["after"]) if f.get("after") else None,
            before=date.fromisoformat(f["before"]) if f.get("before") else None,
            camera=f.get("camera"))
        ftimes, hits = [], 0
        for i in range(10):
            s = time.perf_counter()
            hits = len(lib.search(QUERIES[i % len(QUERIES)], k=20, filters=sf, rerank=False,
                                  cut_off=False))
            ftimes.append(1000 * (time.perf_counter() - s))
        out[f"filter_{name}_p50_ms"] = _p(ftimes, 50)
        out[f"filter_{name}_hits"] = hits

    calls = (("folders", lib.folders), ("status_api", lib.status), ("cameras", lib.cameras))
    for name, call in calls:
        first = time.perf_counter()
        call()
        out[f"{name}_first_ms"] = 1000 * (time.perf_counter() - first)
    for _, call in calls:  # the first status() of a library built here creates the analyses'
        call()  # tables (a write: every figure is computed again once)
    for name, call in calls:
        again = time.perf_counter()
        call()
        out[f"{name}_repaint_ms"] = 1000 * (time.perf_counter() - again)
    lib.close()
    return out


def cli_status_s(home: Path, spec: str) -> float:
    """Wall time of ``photosearch status`` (a new process, as a user runs it)."""
    s = time.perf_counter()
    subprocess.run([sys.executable, "-m", "engine.cli", "--home", str(home), "--model", spec,
                    "status"], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - s


def run_measure(home: Path, spec: str, work: Path, queries_n: int) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--measure", str(home), "--spec", spec, "--work", str(work),
         "--queries", str(queries_n)], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pick_filters(root: Path, events: Events, n: int) -> dict[str, dict[str, str]]:
    """A folder, a year, a camera, half the library (past FILTER_EXACT_LIMIT: filtered inside
    the graph search) and a date window keeping about 0.1% of the photos."""
    biggest = int(np.argmax(events.sizes))
    tiny = max(1, n // 1000)
    # consecutive events from the middle of the library until 0.1% of it is covered
    first = len(events.sizes) // 2
    last = first
    while last < len(events.sizes) - 1 and events.sizes[first:last + 1].sum() < tiny:
        last += 1
    year = events.days[len(events.days) // 2].year
    return {
        "folder": {"folder": str(events.folder(root, biggest))},
        "year": {"after": f"{year}-01-01", "before": f"{year + 1}-01-01"},
        "camera": {"camera": CAMERAS[3][1].lower()},
        "half": {"after": events.days[len(events.days) // 2].isoformat()},  # inside the graph
        "window_0.1pct": {"after": events.days[first].isoformat(),
                          "before": (events.days[last] + timedelta(days=1)).isoformat()},
    }


def size_label(n: int) -> str:
    """1m, 100k, 3k: the suffix of the last line's name."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--churn", type=float, default=0.1)
    parser.add_argument("--model", default="vit-b-32-random",
                        help="'demo' for the bundled 128-d model; else a random ViT-B-32")
    parser.add_argument("--work", type=Path, default=None, help="keep the library here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compare", action="store_true",
                        help="also compare ANN options on the library's vectors")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spec", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.spec, args.work, args.queries)))
        return
    from bench_support import random_weight_model

    from engine.models.clip import parse_model_spec

    keep = args.work is not None
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.model == "demo":
        spec = "demo"
    else:
        spec = f"local-dir:{random_weight_model(Path(tempfile.gettempdir()) / 'ps-vit-b-32')}"
    model = parse_model_spec(spec)
    model_id = model.model_id
    dim = 128 if args.model == "demo" else 512
    home = work / f"library-{args.photos}"
    shutil.rmtree(home, ignore_errors=True)
    root = (work / "archive").resolve()
    n = args.photos
    scenes = Scenes(dim, args.seed)
    events = Events(n, scenes, args.seed)
    print(f"building {n:,} photos in {len(events.sizes):,} events at {home}", flush=True)
    t = time.perf_counter()
    built = build_library(home, root, model_id, n, scenes, events, args.seed)
    build_s = time.perf_counter() - t
    qrng = np.random.default_rng(args.seed + 9)
    queries = scenes.draw(qrng, qrng.choice(SCENES, args.queries, p=scenes.weights))
    np.save(work / "queries.npy", queries)
    np.save(work / "truth.npy", exact_truth(home, model_id, dim, queries))
    (work / "filters.json").write_text(json.dumps(pick_filters(root, events, n)))
    fresh = run_measure(home, spec, work, args.queries)
    status_s = cli_status_s(home, spec)
    t = time.perf_counter()
    churned = churn(home, root, model_id, n, scenes, events, args.churn, args.seed)
    churn_s = time.perf_counter() - t
    np.save(work / "truth.npy", exact_truth(home, model_id, dim, queries))
    after = run_measure(home, spec, work, 10)
    index_files = sorted((home / "index").glob("*"))
    index_mb = sum(p.stat().st_size for p in index_files) / 2**20

    print(f"\n{n:,} photos, {dim}-d, {args.queries} queries, machine load "
          f"{os.getloadavg()[0]:.1f}")
    print(f"build: {build_s:.0f} s (catalog rows {built['rows_s']:.0f} s, vector index "
          f"{built['vectors_s']:.0f} s); index files {index_mb:.0f} MB")
    print(f"open: {fresh['open_s']:.2f} s (model load apart: {fresh['model_load_s']:.1f} s)")
    print(f"resident: {fresh['rss_open_mb']:.0f} MB after open, "
          f"{fresh['rss_queries_mb']:.0f} MB after {args.queries} queries")
    print(f"text query: p50 {fresh['text_p50_ms']:.1f} ms, p95 {fresh['text_p95_ms']:.1f} ms")
    print(f"vector search: recall@10 {fresh['recall_at_10']:.4f}, p50 "
          f"{fresh['vector_p50_ms']:.2f} ms, p95 {fresh['vector_p95_ms']:.2f} ms")
    print(f"  (index {fresh['index_kind']}; other ef: " + ", ".join(
        f"{ef}: recall {r:.4f} p50 {p:.2f} ms" for ef, (r, p) in fresh["ef_sweep"].items()) + ")")
    for key in sorted(k for k in fresh if k.startswith("filter_") and k.endswith("_p50_ms")):
        name = key[len("filter_"):-len("_p50_ms")]
        print(f"filtered ({name}): p50 {fresh[key]:.1f} ms, "
              f"{fresh[f'filter_{name}_hits']} hits")
    print(f"photosearch status: {status_s:.2f} s (new process)")
    for name in ("folders", "status_api", "cameras"):
        print(f"Library.{name.removesuffix('_api')}(): first {fresh[f'{name}_first_ms']:.1f} ms, "
              f"repaint {fresh[f'{name}_repaint_ms']:.2f} ms")
    parts = ", ".join(f"{k} {v:.1f}" for k, v in churned.items())
    print(f"churn {args.churn:.0%}: {churn_s:.0f} s ({parts}); "
          f"then open {after['open_s']:.2f} s, resident {after['rss_open_mb']:.0f} MB, "
          f"recall@10 {after['recall_at_10']:.4f}, vector p50 {after['vector_p50_ms']:.2f} ms, "
          f"text p50 {after['text_p50_ms']:.1f} ms")
    if args.compare:
        from ann_options import compare_options

        compare_options(home, model_id, dim, queries, work)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"p50_ms_{size_label(n)}: {fresh['text_p50_ms']:.1f}")


if __name__ == "__main__":
    main()
