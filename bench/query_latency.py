"""Warm text-query latency at 10k and 100k photos, and ANN recall@10 against exact search.

The catalog is filled with synthetic photos whose vectors are clustered (like real embeddings;
uniform random vectors make HNSW look far worse than it is); the text tower is ViT-B-32's with
random weights (its cost does not depend on the weights). Latency is ``Library.search`` end to
end: parse, tokenise, text tower, vector search, relevance cut-off, catalog lookups.

``--models english multilingual`` also times ``xlm-roberta-base-ViT-B-32`` (the multilingual
model: an XLM-RoBERTa base text tower) with random weights of its real architecture and a
stand-in tokenizer of the real vocabulary size (bench_support.random_weight_multilingual_model),
on the English queries and on the same queries in Chinese. The multilingual model runs on
PyTorch (the ONNX path does not take Hugging Face text towers); ``--runtime torch`` times the
English model on PyTorch too, for a like-for-like comparison.

Usage: python bench/query_latency.py [--sizes 10000 100000] [--models english multilingual]
[--runtime auto|torch|onnx] [--text-tower]; last line: ``p50_ms: X`` (the last size, the first
model).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine  # noqa: E402,F401,I001  (first, as in the CLI and app: it sets up the thread runtime)
from bench_support import random_weight_model, random_weight_multilingual_model  # noqa: E402

QUERIES = [
    "two dogs on a beach at sunset", "kids on a red slide at dusk", "birthday cake",
    "snowy mountains", "a cat sleeping on a sofa", "city skyline at night", "wedding",
    "receipt", "forest trail in autumn", "people laughing at a dinner table",
]
QUERIES_ZH = [
    "日落时海滩上的两只狗", "黄昏时红色滑梯上的孩子", "生日蛋糕", "雪山", "沙发上睡觉的猫",
    "夜晚的城市天际线", "婚礼", "收据", "秋天的林间小路", "在餐桌旁大笑的人们",
]


def clustered(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    """Normalised vectors around n/100 random centres."""
    centres = rng.normal(size=(max(1, n // 100), dim)).astype(np.float32)
    noise = rng.normal(size=(n, dim)).astype(np.float32)
    vecs = centres[rng.integers(0, len(centres), n)] + 0.5 * noise
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def fill_catalog(home: Path, model_id: str, n: int, dim: int) -> None:
    """Write n photos with clustered vectors straight into a new library's catalog."""
    from engine.store.catalog import Catalog, PhotoRecord

    rng = np.random.default_rng(n)
    vecs = clustered(n, dim, rng)
    cat = Catalog(home / "catalog.db")
    folder = home / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    fid = cat.add_folder(folder)
    with cat.transaction() as conn:
        for start in range(0, n, 5000):
            recs = [PhotoRecord(path=str(folder / f"IMG_{i:06d}.jpg"), folder_id=fid,
                                size=3_000_000, mtime_ns=i, content_hash=f"h{i:08d}",
                                width=4000, height=3000,
                                taken_at=f"20{10 + i % 15:02d}-06-01T12:00:00")
                    for i in range(start, min(n, start + 5000))]
            cat.upsert_photos(recs, conn)
            cat.put_embeddings([(f"h{i:08d}", vecs[i]) for i in range(start, min(n, start
                                                                                 + 5000))],
                               model_id, conn)
    cat.close()


def measure(n: int, model_dir: Path, queries: list[str] = QUERIES) -> dict[str, Any]:
    from engine.api import Library
    from engine.models.clip import parse_model_spec
    from engine.store.vector_index import exact_search

    spec = f"local-dir:{model_dir}"
    home = Path(tempfile.mkdtemp(prefix=f"ps-q{n}-"))
    fill_catalog(home, parse_model_spec(spec).model_id, n, 512)
    lib = Library.open(home, model=spec)
    t0 = time.perf_counter()
    lib.load_model().result()
    build = time.perf_counter() - t0
    for q in queries[:3]:
        lib.search(q, k=20)  # warm-up
    times = []
    for _ in range(5):
        for q in queries:
            t = time.perf_counter()
            lib.search(q, k=20)
            times.append((time.perf_counter() - t) * 1000)
    runtime = lib.encoder.runtime
    # ANN recall@10 against exact search, on queries near the data (as real queries are).
    ids, vecs = lib.catalog.searchable_vectors(lib.encoder.spec.model_id, 512)
    vindex = lib._vector_index()
    rng = np.random.default_rng(1)
    recalls = []
    for i in rng.choice(len(ids), 200, replace=False):
        q = vecs[i] + 0.05 * rng.normal(size=512).astype(np.float32)
        q /= np.linalg.norm(q)
        exact_ids, _ = exact_search(vecs, ids, q, 10)
        ann_ids, _ = vindex.search(q, 10)
        recalls.append(len(set(exact_ids) & set(ann_ids)) / 10)
    lib.close()
    return {"n": n, "p50": float(np.percentile(times, 50)), "p95": float(np.percentile(times, 95)),
            "recall": float(np.mean(recalls)), "load_s": build,
            "path": "exact" if n <= 20000 else "hnsw", "runtime": runtime}


def text_tower_only(english: Path, multilingual: Path, rounds: int = 7) -> None:
    """The text tower alone (tokenise + encode one query), the models interleaved round by
    round so that a busy machine slows them alike; medians over every query of every round."""
    from engine.models.clip import ClipEncoder, parse_model_spec
    from engine.models.runtime import OnnxEncoder

    en_spec = parse_model_spec(f"local-dir:{english}")
    ml_spec = parse_model_spec(f"local-dir:{multilingual}")
    encoders: list[tuple[str, Any, list[str]]] = [
        ("ViT-B-32 [onnx], en", OnnxEncoder(en_spec, "cpu").load(), QUERIES),
        ("ViT-B-32 [torch fp32], en", ClipEncoder(en_spec, "cpu", "fp32").load(), QUERIES),
    ]
    xlmr = ClipEncoder(ml_spec, "cpu", "fp32").load()
    encoders += [("xlm-roberta-base-ViT-B-32 [torch fp32], en", xlmr, QUERIES),
                 ("xlm-roberta-base-ViT-B-32 [torch fp32], zh", xlmr, QUERIES_ZH)]
    times: dict[str, list[float]] = {label: [] for label, _, _ in encoders}
    for _label, encoder, queries in encoders:  # warm-up
        encoder.encode_texts(queries[:2])
    for _ in range(rounds):
        for label, encoder, queries in encoders:
            for q in queries:
                t = time.perf_counter()
                encoder.encode_texts([q])
                times[label].append((time.perf_counter() - t) * 1000)
    for label, encoder, queries in encoders:
        tokens = ""
        if isinstance(encoder, ClipEncoder):
            ids = encoder.tokenize(queries)
            pad = 1 if "xlm" in label else 0
            tokens = f", {float((ids != pad).sum(1).float().mean()):.1f} tokens per query"
        print(f"text tower only, {label}: median {np.median(times[label]):.1f} ms, "
              f"p90 {np.percentile(times[label], 90):.1f} ms{tokens}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ps-qbench")
    parser.add_argument("--models", nargs="+", default=["english"],
                        choices=["english", "multilingual"])
    parser.add_argument("--runtime", choices=["auto", "torch", "onnx"],
                        help="PHOTOSEARCH_RUNTIME for this run (default: as set, else auto)")
    parser.add_argument("--text-tower", action="store_true",
                        help="also time the text towers alone, English and multilingual "
                        "interleaved")
    args = parser.parse_args()
    if args.runtime:
        os.environ["PHOTOSEARCH_RUNTIME"] = args.runtime
    runs: list[tuple[str, Path, str, list[str]]] = []
    for name in args.models:
        if name == "english":
            runs.append(("ViT-B-32 (English)", random_weight_model(args.work / "vit-b-32-random"),
                         "en", QUERIES))
        else:
            folder = random_weight_multilingual_model(args.work / "xlm-roberta-base-b32-random")
            runs += [("xlm-roberta-base-ViT-B-32", folder, "en", QUERIES),
                     ("xlm-roberta-base-ViT-B-32", folder, "zh", QUERIES_ZH)]
    first: list[float] = []
    for label, model_dir, language, queries in runs:
        for n in args.sizes:
            r = measure(n, model_dir, queries)
            if not first or (label, language) == (runs[0][0], runs[0][2]):
                first.append(r["p50"])
            print(f"{label} [{r['runtime']}], {language} queries, {n:>7} photos ({r['path']}): "
                  f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, recall@10 {r['recall']:.3f}, "
                  f"first load + index build {r['load_s']:.1f} s", flush=True)
    if args.text_tower:
        text_tower_only(random_weight_model(args.work / "vit-b-32-random"),
                        random_weight_multilingual_model(
                            args.work / "xlm-roberta-base-b32-random"))
    print(f"p50_ms: {first[-1]:.1f}")


if __name__ == "__main__":
    main()
