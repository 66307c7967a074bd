"""Time ``photosearch duplicates`` on a 100k-photo catalog: read + group, from stored pairs.

What the engine does when the user asks for duplicates (:func:`engine.search.duplicates.
find_duplicates`, which ``Library.duplicates`` calls): read every photo's row with its
perceptual hashes, read the neighbour pairs the "neighbours" background analysis stored when
each photo was indexed, propose more pairs from the pHash blocks, fetch the vectors of only the
pairs that need a cosine, then group (union-find) and choose each group's keeper. That whole
call is timed.

The catalog is synthetic and built once (cached under the temp dir, not timed): 100k photos,
512-d vectors like CLIP ViT-B/32 (clustered random: 200 themes), 5% exact copies, 8%
near-duplicates (vector noise giving cos ~0.98, 0-6 pHash bits flipped), 4% bursts (cos ~0.9,
20-30 bits flipped, capture times seconds apart), 20% without a capture time. The stored
neighbour rows stand in for what the analysis stores (pairs with cos >= 0.80 among each photo's
16 nearest): each planted copy with its source, plus 3 random photos of the same theme per
photo, kept when their true cosine clears 0.80 (so the grouping sees realistic look-alike
candidates too). Querying the index for every photo at this moment instead costs 30-80 s for
100k on a shared 2-core CPU (research figures, FINDINGS.md), which is why it is stored.

    python bench/duplicates.py [--n 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.analyses.neighbours import SCHEMA as NEIGHBOURS_SCHEMA  # noqa: E402
from engine.analyses.phash import SCHEMA as HASH_SCHEMA  # noqa: E402
from engine.analyses.phash import to_signed  # noqa: E402
from engine.search.duplicates import find_duplicates  # noqa: E402
from engine.store.catalog import Catalog  # noqa: E402

DIM = 512
MODEL = "bench/synthetic-512"
THEMES = 200


def synthetic(n: int, seed: int = 0) -> dict[str, object]:
    """Arrays of a synthetic library and its planted (row, source) pairs."""
    rng = np.random.default_rng(seed)
    themes = rng.normal(size=(THEMES, DIM)).astype(np.float32)
    theme = rng.integers(0, THEMES, n)
    base = themes[theme] * 0.6 + rng.normal(size=(n, DIM)).astype(np.float32)
    phash = rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64) * np.uint64(2)
    dhash = rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64) * np.uint64(2)
    taken = rng.uniform(0, 3e8, n)
    taken[rng.random(n) < 0.2] = np.nan
    content = [f"h{i:08d}" for i in range(n)]
    planted: list[tuple[int, int]] = []
    order = rng.permutation(n)
    cursor = 0
    while cursor < n:
        kind = rng.random()
        src = int(order[cursor])
        cursor += 1
        for _ in range(int(rng.integers(1, 4))):
            if cursor >= n or kind >= 0.17:
                break
            i = int(order[cursor])
            cursor += 1
            theme[i] = theme[src]
            if kind < 0.05:
                content[i], base[i], phash[i], dhash[i], taken[i] = (
                    content[src], base[src], phash[src], dhash[src], taken[src])
            elif kind < 0.13:
                base[i] = base[src] + rng.normal(size=DIM).astype(np.float32) * 0.2
                phash[i] = _flip(phash[src], int(rng.integers(0, 7)), rng)
                dhash[i] = _flip(dhash[src], int(rng.integers(0, 7)), rng)
                taken[i] = taken[src]
            else:
                base[i] = base[src] + rng.normal(size=DIM).astype(np.float32) * 0.45
                phash[i] = _flip(phash[src], int(rng.integers(20, 31)), rng)
                dhash[i] = _flip(dhash[src], int(rng.integers(20, 31)), rng)
                taken[i] = (taken[src] if not np.isnan(taken[src]) else 0) + rng.uniform(1, 20)
            planted.append((i, src))
    vectors = base / np.linalg.norm(base, axis=1, keepdims=True)
    return {"content": content, "vectors": vectors.astype(np.float32), "phash": phash,
            "dhash": dhash, "taken": taken, "theme": theme, "planted": planted}


def _flip(value: np.uint64, bits: int, rng: np.random.Generator) -> np.uint64:
    mask = 0
    for b in rng.choice(64, size=bits, replace=False):
        mask |= 1 << int(b)
    return np.uint64(int(value) ^ mask)


def build_catalog(path: Path, n: int) -> None:
    """Write the synthetic library into a catalog as the engine would have (not timed)."""
    lib = synthetic(n)
    content: list[str] = lib["content"]  # type: ignore[assignment]
    vectors: np.ndarray = lib["vectors"]  # type: ignore[assignment]
    taken: np.ndarray = lib["taken"]  # type: ignore[assignment]
    theme: np.ndarray = lib["theme"]  # type: ignore[assignment]
    rng = np.random.default_rng(1)
    catalog = Catalog(path)
    catalog.apply_schema("analysis:phash", [HASH_SCHEMA])
    catalog.apply_schema("analysis:neighbours", [NEIGHBOURS_SCHEMA])
    epoch = datetime(1970, 1, 1)
    by_theme: dict[int, np.ndarray] = {t: np.flatnonzero(theme == t) for t in range(THEMES)}
    pairs = {(a, b) for a, b in lib["planted"]}  # type: ignore[attr-defined]
    for i in range(n):
        for j in rng.choice(by_theme[int(theme[i])], 3):
            pairs.add((i, int(j)))
    with catalog.transaction() as conn:
        conn.execute("INSERT INTO folders(id, path, added_at) VALUES (1, '/bench', 'now')")
        conn.executemany(
            "INSERT INTO photos(id, folder_id, path, size, mtime_ns, content_hash, width, "
            "height, taken_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 'now')",
            [(i + 1, f"/bench/{i // 1000}/IMG_{i:06d}.jpg", 2_000_000 + i, 10**18 + i,
              content[i], 4032, 3024,
              None if np.isnan(taken[i]) else (epoch + timedelta(seconds=float(taken[i])))
              .isoformat(timespec="seconds"))
             for i in range(n)])
        seen: set[str] = set()
        rows = []
        for i in range(n):
            if content[i] not in seen:
                seen.add(content[i])
                rows.append((content[i], MODEL, vectors[i].tobytes(), "now"))
        conn.executemany("INSERT INTO embeddings VALUES (?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT OR IGNORE INTO photo_hashes VALUES (?, ?, ?, 'bench')",
            [(content[i], to_signed(int(lib["phash"][i])),  # type: ignore[index]
              to_signed(int(lib["dhash"][i])))  # type: ignore[index]
             for i in range(n)])
        stored = []
        for a, b in pairs:
            cos = float(vectors[a] @ vectors[b])
            if content[a] != content[b] and cos >= 0.80:
                stored.append((content[a], MODEL, content[b], cos))
        conn.executemany("INSERT OR IGNORE INTO photo_neighbours VALUES (?, ?, ?, ?)", stored)
    catalog.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = Path(tempfile.gettempdir()) / f"photosearch_dupbench_{args.n}.db"
    if not path.exists():
        start = time.perf_counter()
        partial = path.with_suffix(".partial.db")
        partial.unlink(missing_ok=True)
        build_catalog(partial, args.n)
        partial.rename(path)
        print(f"built the catalog in {time.perf_counter() - start:.0f} s (not timed)")
    catalog = Catalog(path)
    stored = catalog._query("SELECT COUNT(*) FROM photo_neighbours")[0][0]
    print(f"{args.n} photos, {stored} stored neighbour pairs (cos >= 0.80)")
    times, cpu = [], []
    groups = []
    for _ in range(args.repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        groups = find_duplicates(catalog, MODEL, similar=True)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    catalog.close()
    counts = {kind: sum(1 for g in groups if g.kind == kind)
              for kind in ("exact", "near", "similar")}
    print(f"groups: {counts}")
    print(f"find_duplicates (read + group + keepers): {min(times):.2f} / "
          f"{statistics.median(times):.2f} s wall (best / median of {args.repeats}); "
          f"{statistics.median(cpu):.2f} s CPU (median; wall > CPU means a shared, busy CPU); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"group_100k_s: {statistics.median(times) * 100_000 / args.n:.2f}")


if __name__ == "__main__":
    main()
