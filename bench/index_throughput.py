"""Indexing throughput: ``photosearch index`` against two baselines, on the same photos.

All run the same ViT-B-32 architecture (random weights; compute does not depend on them) on
the same realistic 12-megapixel JPEGs, in one run, interleaved round by round:

(a) naive (rclip 3 as it was, kept for continuity): full decode, PIL resize (open_clip's
    transform), torch fp32, batches of 8, one thread of work after another;
(c) rclip-4-style, the strongest peer on the CPU: reduced-scale JPEG decoding (PIL ``draft``)
    on loader threads running ahead of the model, open_clip's preprocessing, ONNX Runtime fp32
    on our ONNX export of the same weights, batches of 8;
(b) the engine's indexer: reduced-scale decoding in a pool overlapped with batched embedding on
    the runtime the engine picks (ONNX Runtime on the CPU, int8 where the fidelity check keeps
    it; torch with ``--runtime torch``, bf16 weights on CPUs with native bf16), plus hashing and
    catalog writes.

``--no-bf16`` treats the CPU as a typical laptop's (no native bf16: the torch path stays fp32);
it changes nothing on a CPU without native bf16. Model loading and the one-time ONNX exports are
excluded from every rate. Embedding fidelity: the cosine between each photo's vectors and the
naive fp32 reference.

Usage: python bench/index_throughput.py [--photos 96] [--rounds 1] [--no-bf16]
[--runtime auto|torch|onnx]; last line: ``speedup: X`` (vs naive), or with ``--no-bf16``
``speedup_vs_rclip4: X``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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


def rclip4_style(paths: list[Path], onnx_folder: Path, batch_size: int = 8,
                 loaders: int | None = None) -> tuple[float, np.ndarray]:
    """rclip-4-style: draft decode + EXIF turn + preprocessing on loader threads, ORT fp32
    (all cores, as rclip leaves onnxruntime's default), batches of 8; (photos/s, vectors)."""
    from PIL import Image, ImageOps

    from engine.models.onnx_clip import OnnxClipEncoder

    enc = OnnxClipEncoder(onnx_folder, threads=os.cpu_count() or 1)
    size = enc.image_size
    enc.encode_pixel_batch(np.zeros((1, 3, size, size), np.float32))  # load + warm up

    def load(path: Path) -> np.ndarray:
        with Image.open(path) as im:
            im.draft("RGB", (size, size))  # JPEG: decode at 1/2..1/8 scale, still >= size
            image = ImageOps.exif_transpose(im).convert("RGB")
        return enc.preprocess(image)

    out = []
    start = time.perf_counter()
    with ThreadPoolExecutor(loaders or os.cpu_count() or 1) as pool:
        batch: list[np.ndarray] = []
        for item in pool.map(load, paths):  # submitted at once: decoding runs ahead
            batch.append(item)
            if len(batch) == batch_size:
                out.append(enc.encode_pixel_batch(np.stack(batch)))
                batch = []
        if batch:
            out.append(enc.encode_pixel_batch(np.stack(batch)))
    elapsed = time.perf_counter() - start
    return len(paths) / elapsed, np.concatenate(out)


def fp32_export(model_dir: Path, folder: Path) -> Path:
    """Our ONNX export of the weights at fp32 (what rclip 4 runs), made once."""
    from engine.models.export import export_clip, is_current_export

    if not is_current_export(folder, "bench-fp32"):
        export_clip(f"local-dir:{model_dir}", folder, model_id="bench-fp32", int8_candidates=())
    return folder


def engine_run(folder: Path, model_dir: Path, home: Path,
           device: str | None = None) -> tuple[float, dict[str, np.ndarray], str]:
    """The engine's indexer; returns (photos/s, path -> vector, encoder description)."""
    from engine.api import Library

    lib = Library.open(home, model=f"local-dir:{model_dir}", device=device)
    try:
        lib.add_folder(folder)
        lib.load_model().result()  # model loading is not indexing throughput
        start = time.perf_counter()
        # The meaning pass alone: the baselines only embed, and the background analyses
        # (text in photos, faces) have benches of their own.
        report = lib.index(background=False).result()
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
    parser.add_argument("--rounds", type=int, default=1,
                        help="interleaved rounds of (a), (c), (b); the median rate is reported")
    parser.add_argument("--work", type=Path, default=None,
                        help="reuse this folder for photos, the model and exports between runs")
    parser.add_argument("--device", default=None, help="device for (b); (a), (c) use the CPU")
    parser.add_argument("--runtime", default=None, choices=("auto", "torch", "onnx"),
                        help="runtime for (b) (default: the engine's choice)")
    parser.add_argument("--no-bf16", action="store_true",
                        help="treat the CPU as a laptop's without native bf16")
    parser.add_argument("--skip-naive", action="store_true", help="leave out (a)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ps-bench-"))
    os.environ.setdefault("PHOTOSEARCH_ONNX_CACHE", str(work / "onnx-cache"))
    if args.runtime:
        os.environ["PHOTOSEARCH_RUNTIME"] = args.runtime
    if args.no_bf16:
        from engine.models import clip

        clip.cpu_has_native_bf16 = lambda: False  # type: ignore[assignment]
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
          f"{time.perf_counter() - t0:.0f} s); cpus: {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    model_dir = random_weight_model(work / "vit-b-32-random")
    t0 = time.perf_counter()
    onnx_fp32 = fp32_export(model_dir, work / "onnx-fp32")
    warm = warm_engine(model_dir, work)  # (b)'s own export, once, before any timing
    print(f"ONNX exports ready in {time.perf_counter() - t0:.0f} s ({warm})")

    rates: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    ref = vecs_c = None
    vecs: dict[str, np.ndarray] = {}
    desc = ""
    for _ in range(args.rounds):
        if not args.skip_naive:
            rate, ref = naive(paths, model_dir)
            rates["a"].append(rate)
        rate, vecs_c = rclip4_style(paths, onnx_fp32)
        rates["c"].append(rate)
        home = Path(tempfile.mkdtemp(prefix="ps-bench-home-"))
        rate, vecs, desc = engine_run(photos, model_dir, home, args.device)
        rates["b"].append(rate)
    med = {k: float(np.median(v)) if v else float("nan") for k, v in rates.items()}
    if rates["a"]:
        print(f"(a) naive (full decode, PIL resize, torch fp32, batch 8): {med['a']:.2f} photos/s"
              f" {_spread(rates['a'])}")
    print(f"(c) rclip-4-style (draft decode on loader threads, ORT fp32, batch 8): "
          f"{med['c']:.2f} photos/s {_spread(rates['c'])}")
    print(f"(b) photosearch index ({desc}): {med['b']:.2f} photos/s {_spread(rates['b'])}")
    if ref is not None:
        cos_b = np.array([float(ref[i] @ vecs[p.name]) for i, p in enumerate(paths)])
        cos_c = (ref * vecs_c).sum(1)
        print(f"embedding fidelity vs naive fp32: (b) min cosine {cos_b.min():.5f}, mean "
              f"{cos_b.mean():.5f}; (c) min {cos_c.min():.5f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    vs_rclip4 = med["b"] / med["c"]
    if args.no_bf16:
        if rates["a"]:
            print(f"speedup: {med['b'] / med['a']:.2f}")
        print(f"speedup_vs_rclip4: {vs_rclip4:.2f}")
    else:
        print(f"speedup_vs_rclip4: {vs_rclip4:.2f}")
        if rates["a"]:
            print(f"speedup: {med['b'] / med['a']:.2f}")


def _spread(values: list[float]) -> str:
    return f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} rounds)" if len(
        values) > 1 else ""


def warm_engine(model_dir: Path, work: Path) -> str:
    """Load (b)'s model once so a first-use ONNX export is not timed; its description."""
    from engine.api import Library

    lib = Library.open(work / "warm-home", model=f"local-dir:{model_dir}")
    try:
        return str(lib.load_model().result())
    finally:
        lib.close()


if __name__ == "__main__":
    main()
