"""Indexing throughput: a naive pipeline (as rclip does it) against ``photosearch index``.

Both run the same ViT-B-32 architecture (random weights; compute does not depend on them) on
the same realistic 12-megapixel JPEGs, in one run:

(a) naive: full decode, PIL resize (open_clip's transform), fp32, batches of 8, one thread of
    work after another;
(b) the engine's indexer: reduced-scale JPEG decoding in a pool overlapped with batched
    embedding at the precision the encoder picks (bf16 weights on CPUs with native bf16), plus
    hashing and catalog writes.

Model loading is excluded from both rates (it happens once per process). Embedding fidelity:
the cosine between each photo's engine vector and the naive fp32 reference.

Usage: python bench/index_throughput.py [--photos 96]; last line: ``speedup: X``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine  # noqa: E402,F401,I001  (first, as in the CLI and app: it sets up the thread runtime)
from bench_support import random_weight_model, realistic_jpeg  # noqa: E402


def naive(paths: list[Path], model_dir: Path) -> tuple[float, np.ndarray]:
    """rclip-style: full decode + resize + fp32 in batches of 8; returns (photos/s, vectors)."""
    import open_clip
    import torch
    from PIL import Image

    model, _, preprocess = open_clip.create_model_and_transforms(f"local-dir:{model_dir}")
    model.eval()
    out = []
    start = time.perf_counter()
    with torch.inference_mode():
        for b in range(0, len(paths), 8):
            batch = torch.stack([preprocess(Image.open(p).convert("RGB"))
                                 for p in paths[b:b + 8]])
            out.append(model.encode_image(batch, normalize=True).numpy())
    elapsed = time.perf_counter() - start
    return len(paths) / elapsed, np.concatenate(out)


def engine_run(folder: Path, model_dir: Path, home: Path,
           device: str | None = None) -> tuple[float, dict[str, np.ndarray], str]:
    """The engine's indexer; returns (photos/s, path -> vector, encoder description)."""
    from engine.api import Library

    lib = Library.open(home, model=f"local-dir:{model_dir}", device=device)
    try:
        lib.add_folder(folder)
        lib.load_model().result()  # model loading is not indexing throughput
        start = time.perf_counter()
        report = lib.index().result()
        elapsed = time.perf_counter() - start
        assert report.embedded == report.scanned, report
        enc = lib.encoder
        vectors = {}
        for p in folder.iterdir():
            pid = lib.catalog.photo_id_for_path(str(p))
            vectors[p.name] = lib.catalog.vectors_for_ids(np.array([pid]), enc.spec.model_id,
                                                          enc.dim)[0]
        return report.scanned / elapsed, vectors, enc.description
    finally:
        lib.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=96)
    parser.add_argument("--work", type=Path, default=None,
                        help="reuse this folder for photos and the model between runs")
    parser.add_argument("--device", default=None, help="device for (b); (a) runs on the CPU")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-bench-"))
    photos = work / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    todo = [(photos / f"IMG_{i:04d}.jpg", i) for i in range(args.photos)]
    todo = [(p, i) for p, i in todo if not p.exists()]
    with ProcessPoolExecutor() as pool:
        list(pool.map(realistic_jpeg, [p for p, _ in todo], [i for _, i in todo]))
    paths = sorted(photos.glob("*.jpg"))[: args.photos]
    mb = sum(p.stat().st_size for p in paths) / len(paths) / 1e6
    print(f"{len(paths)} photos, 4000x3000, {mb:.1f} MB each (made in "
          f"{time.perf_counter() - t0:.0f} s); cpus: {os.cpu_count()}")
    model_dir = random_weight_model(work / "vit-b-32-random")

    rate_a, ref = naive(paths, model_dir)
    print(f"(a) naive (full decode, PIL resize, fp32, batch 8): {rate_a:.2f} photos/s")
    home = Path(tempfile.mkdtemp(prefix="ps-bench-home-"))
    rate_b, vecs, desc = engine_run(photos, model_dir, home, args.device)
    print(f"(b) photosearch index ({desc}): {rate_b:.2f} photos/s")
    cos = np.array([float(ref[i] @ vecs[p.name]) for i, p in enumerate(paths)])
    print(f"embedding fidelity vs fp32 reference: min cosine {cos.min():.5f}, "
          f"mean {cos.mean():.5f}")
    print(f"speedup: {rate_b / rate_a:.2f}")


if __name__ == "__main__":
    main()
