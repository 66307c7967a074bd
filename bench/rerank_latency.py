"""Second-stage (rerank) latency for K = 10, 20, 50 candidates.

Two matchers: BLIP ITM base (ViT-B/16 at 384 px + a 12-layer BERT that cross-attends to the
577 image tokens), built from ``BlipConfig()`` with random weights (the cost does not depend on
the weights; nothing is downloaded), and the tiny demo matcher shipped in
``resources/models/demo-matcher``. The path timed is the library's: decode the photo files
(JPEG draft mode), the image tower, the text encoder with cross-attention and the ITM head,
through :class:`engine.search.second_stage.SecondStage`.

* cold: no cached image features (a query that reaches photos for the first time);
* prepared: the features are on disk, as the background preparation leaves them for the most
  recent photos (:mod:`engine.search.rerank_prepare`), and not in memory: the first rerank of
  those photos in a new session;
* warm: the image features are in the feature cache's memory (a repeated or refined query).

Image towers (``--image-runtimes``, CPU only): ``torch``; ``onnx``, the ONNX Runtime export the
library uses on the CPU (:mod:`engine.models.matcher_export`, made here into a temporary folder
with every candidate kept, its fidelity manifest printed); ``int8``, that export's int8 u8u8
candidate even when the fidelity rule rejects it (to time it). With more than one, the
compositional check renders demo pair scenes with their swapped twins and reports each tower's
largest log-odds change and top-10 order changes against torch fp32 (and torch fp32's own, one
photo at a time).

Usage: python bench/rerank_latency.py [--device cpu|cuda] [--ks 10 20 50] [--no-base]
       [--image-runtimes torch onnx int8]
Last line: ``cpu_k20_s: X`` (BLIP-base, K = 20, cold, the last image tower) or ``gpu_k50_s: X``;
the line before it ``cpu_k20_prepared_s: X``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine  # noqa: E402,F401  (first, as in the CLI and app: it sets up the thread runtime)

QUERY = "two children building a sandcastle on a beach at sunset"


def write_photos(folder: Path, n: int, size: int = 1600) -> list[Path]:
    """n camera-sized JPEGs of demo scenes (decoding them is part of the cost)."""
    from engine.evaluation import demo_data

    rng = random.Random(0)
    singles = demo_data.all_scenes()
    paths = []
    for i in range(n):
        scene = demo_data.sample_training_scene(rng, 0.5, singles)
        path = folder / f"IMG_{i:04d}.jpg"
        demo_data.render(scene, 512, rng).resize((size, size * 3 // 4)).save(path, quality=90)
        paths.append(path)
    return paths


def base_matcher(device: str, precision: str, runtime: str = "torch",
                 onnx_folder: Path | None = None) -> object:
    """BLIP ITM base with random weights and a BERT-sized tokenizer, built offline (seeded:
    every call builds the same weights)."""
    import torch
    from transformers import BertTokenizer, BlipConfig, BlipForImageTextRetrieval

    from engine.models.matcher import BlipMatcher

    torch.manual_seed(0)
    config = BlipConfig()
    words = sorted({w for w in QUERY.split()})
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    tokens += [f"[unused{i}]" for i in range(config.text_config.vocab_size - len(tokens))]
    tokenizer = BertTokenizer(vocab={t: i for i, t in enumerate(tokens)})
    model = BlipForImageTextRetrieval(config)
    return BlipMatcher.from_model(model, tokenizer, matcher_id="blip-itm-base-random",
                                  device=device, precision=precision, image_runtime=runtime,
                                  onnx_folder=onnx_folder)


def demo_matcher(device: str, precision: str, runtime: str = "torch",
                 onnx_folder: Path | None = None) -> object:
    from engine.models.matcher import BlipMatcher, parse_matcher_spec

    return BlipMatcher(parse_matcher_spec("demo"), device, precision, runtime,
                       onnx_folder).load()


def with_image_runtime(make: object, device: str, precision: str, runtime: str,
                       folder: Path) -> object:
    """The matcher with its image tower on ``runtime`` (torch, onnx or int8); the first ONNX
    one exports into ``folder`` keeping every candidate and prints the manifest's figures."""
    from engine.models.matcher_export import (
        OnnxImageTower,
        export_matcher_vision,
        is_current_matcher_export,
    )
    from engine.models.runtime import _threads

    matcher = make("cpu" if runtime != "torch" else device, precision)  # type: ignore
    if runtime == "torch":
        return matcher
    if not is_current_matcher_export(folder, matcher.matcher_id, matcher.image_size):
        start = time.perf_counter()
        manifest = export_matcher_vision(
            matcher._model.vision_model, matcher.image_size, matcher.mean, matcher.std,
            matcher._torch_features, matcher._match, folder, matcher_id=matcher.matcher_id,
            keep_candidates=True)
        print(f"  export + fidelity check: {time.perf_counter() - start:.0f} s on "
              f"{manifest['calibration']['images']} images x {manifest['calibration']['texts']} "
              f"texts; fp32 noise {manifest['fp32_noise']['max_log_odds_change']:.2g} log-odds, "
              f"int8 tolerance {manifest['int8_tolerance_log_odds']:.2g}; "
              f"chosen {manifest['chosen']}", flush=True)
        for cand in manifest["candidates"]:
            print(f"    {cand['precision']}: min cosine {cand['min_cosine']:.6f}, log-odds "
                  f"change {cand['max_log_odds_change']:.4f}, probability change "
                  f"{cand['max_prob_change']:.4f}, top-10 order changes {cand['order_changes']}"
                  f", {cand['size_bytes'] / 1e6:.0f} MB, "
                  f"{'kept' if cand['passed'] else 'rejected'}", flush=True)
    # Point the torch-built matcher at the export (the library's load does this itself).
    matcher._tower = OnnxImageTower(folder, _threads(), "int8_u8u8" if runtime == "int8"
                                    else "fp32")
    return matcher


def compositional_fidelity(matchers: dict[str, object], groups: int = 5) -> None:
    """Largest log-odds change and top-10 order changes against torch fp32 on demo pair scenes
    with their swapped twins, every caption a query against every image."""
    from engine.evaluation import demo_data
    from engine.search.second_stage import Candidate, FeatureCache, SecondStage

    rng = random.Random(3)
    images, texts = [], []
    for _ in range(groups):
        scene = demo_data.random_pair_scene(rng)
        images += [demo_data.render(s, 512, rng) for s in [scene, *demo_data.swapped_twins(scene)]]
        texts += demo_data.captions(scene, rng, 2)

    def scores(matcher: object, one_at_a_time: bool = False) -> object:
        import numpy as np

        stage = SecondStage(matcher, FeatureCache())  # type: ignore[arg-type]
        cands = [Candidate(None, lambda im=im: im) for im in images]
        if one_at_a_time:
            feats = [matcher.encode_images([im])[0] for im in images]  # type: ignore
            return np.stack([matcher.match(feats, [t]) for t in texts])  # type: ignore
        return np.stack([stage.text_against_images(t, cands) for t in texts])

    def compare(a: object, b: object, tolerance: float) -> str:
        import numpy as np

        from engine.models.matcher_export import order_changes

        changes = order_changes(a, b, tolerance)  # type: ignore[arg-type]
        return (f"log-odds change {float(np.max(np.abs(a - b))):.2g}, top-10 order "  # type: ignore
                f"changes beyond {tolerance:.2g} {changes}/{len(texts)}")

    import numpy as np

    reference = scores(matchers["torch"])
    alone = scores(matchers["torch"], True)
    noise = float(np.max(np.abs(reference - alone)))  # type: ignore[operator]
    print(f"  compositional check ({len(images)} images x {len(texts)} captions):", flush=True)
    print(f"    torch fp32, one photo at a time: {compare(reference, alone, 0.0)}", flush=True)
    for name, matcher in matchers.items():
        if name != "torch":
            print(f"    {name}: {compare(reference, scores(matcher), noise)}", flush=True)


def measure(matcher: object, photos: list[Path], ks: list[int], repeats: int,
            cache_dir: Path) -> dict:
    """{k: (cold_s, prepared_s, warm_s)}: the best of ``repeats`` runs each."""
    import shutil

    from engine.media import imaging
    from engine.search.second_stage import Candidate, FeatureCache, SecondStage

    size = matcher.image_size  # type: ignore[attr-defined]

    def candidates(n: int) -> list[Candidate]:
        return [Candidate(f"h{i}", lambda p=p: imaging.decode_photo(p, size).image)
                for i, p in enumerate(photos[:n])]

    sync = _synchronizer(matcher)
    SecondStage(matcher, FeatureCache()).text_against_images(QUERY, candidates(2))  # warm-up
    out = {}
    for k in ks:
        cold, prepared, warm = [], [], []
        for _ in range(repeats):
            shutil.rmtree(cache_dir, ignore_errors=True)
            stage = SecondStage(matcher, FeatureCache(cache_dir))  # empty cache: cold
            start = time.perf_counter()
            stage.text_against_images(QUERY, candidates(k))
            sync()
            cold.append(time.perf_counter() - start)
            # A new session's cache: the features on disk only (as prepared in the background)
            stage = SecondStage(matcher, FeatureCache(cache_dir))
            start = time.perf_counter()
            stage.text_against_images(QUERY, candidates(k))
            sync()
            prepared.append(time.perf_counter() - start)
            start = time.perf_counter()
            stage.text_against_images(QUERY, candidates(k))
            sync()
            warm.append(time.perf_counter() - start)
        out[k] = (min(cold), min(prepared), min(warm))
    return out


def breakdown(matcher: object, photos: list[Path], k: int) -> tuple[float, float, float]:
    """Where a cold rerank of K photos goes: (decode + prepare on the thread pool, image tower,
    text + cross-attention), seconds each."""
    from concurrent.futures import ThreadPoolExecutor

    from engine.media import imaging
    from engine.search.second_stage import decode_threads

    sync = _synchronizer(matcher)
    size = matcher.image_size  # type: ignore[attr-defined]
    start = time.perf_counter()
    with ThreadPoolExecutor(decode_threads(k)) as ex:
        squares = list(ex.map(
            lambda p: matcher.prepare(imaging.decode_photo(p, size).image),  # type: ignore
            photos[:k]))
    decoded = time.perf_counter()
    feats = matcher.encode_prepared(squares)  # type: ignore[attr-defined]
    sync()
    encoded = time.perf_counter()
    matcher.match(feats, [QUERY])  # type: ignore[attr-defined]
    sync()
    return decoded - start, encoded - decoded, time.perf_counter() - encoded


def _synchronizer(matcher: object) -> object:
    import torch

    if str(getattr(matcher, "device", "cpu")).startswith("cuda"):
        return torch.cuda.synchronize
    return lambda: None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--ks", type=int, nargs="+", default=[10, 20, 50])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-base", action="store_true", help="skip BLIP-base (slow on CPU)")
    parser.add_argument("--image-runtimes", nargs="+", default=["torch"],
                        choices=["torch", "onnx", "int8"],
                        help="image towers to time (onnx, int8: CPU only)")
    args = parser.parse_args()
    import torch

    kind = "gpu" if args.device.startswith("cuda") else "cpu"
    print(f"device {args.device}, torch {torch.__version__}, {torch.get_num_threads()} threads",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="rerank-bench-") as tmp:
        photos = write_photos(Path(tmp), max(args.ks))
        rows = []
        makers = [("demo matcher", demo_matcher)]
        if not args.no_base:
            makers.append(("BLIP-base", base_matcher))
        for name, make in makers:
            built = {}
            for runtime in args.image_runtimes:
                start = time.perf_counter()
                matcher = with_image_runtime(make, args.device, args.precision, runtime,
                                             Path(tmp) / f"onnx-{name}")
                built[runtime] = matcher
                params = sum(p.numel() for p in matcher._model.parameters())  # type: ignore
                print(f"{name}: {params / 1e6:.1f} M parameters, "
                      f"{matcher.description} "  # type: ignore[attr-defined]
                      f"(built in {time.perf_counter() - start:.1f} s)", flush=True)
                label = name if len(args.image_runtimes) == 1 else f"{name}, {runtime} tower"
                timed = measure(matcher, photos, args.ks, args.repeats,
                                Path(tmp) / f"cache-{name}-{runtime}")
                for k, (cold, prepared, warm) in timed.items():
                    rows.append((label, k, cold, prepared, warm))
                    print(f"  K={k:3d}: cold {cold:7.3f} s   prepared {prepared:7.3f} s   warm "
                          f"{warm:7.3f} s", flush=True)
                k = max(args.ks)
                parts = breakdown(matcher, photos, k)
                print(f"  K={k:3d} cold, by step: decode+resize {parts[0]:.3f} s, image tower "
                      f"{parts[1]:.3f} s, text+cross-attention {parts[2]:.3f} s", flush=True)
            if "torch" in built and len(built) > 1:
                compositional_fidelity(built)
    print("\n| matcher | K | cold (s) | prepared, features on disk (s) | warm, in memory (s) |"
          "\n|---|---|---|---|---|")
    for name, k, cold, prepared, warm in rows:
        print(f"| {name} ({kind}) | {k} | {cold:.3f} | {prepared:.3f} | {warm:.3f} |")
    base = {k: (c, p, w) for n, k, c, p, w in rows if n.startswith("BLIP-base")}
    demo = {k: (c, p, w) for n, k, c, p, w in rows if n.startswith("demo matcher")}
    key = 20 if kind == "cpu" else 50
    table = base or demo
    if key in table:
        print(f"{kind}_k{key}_warm_s: {table[key][2]:.3f}")
        print(f"{kind}_k{key}_prepared_s: {table[key][1]:.3f}")
        print(f"{kind}_k{key}_s: {table[key][0]:.3f}")


if __name__ == "__main__":
    main()
