"""The matcher's image tower on ONNX Runtime: export once, check its verdicts, cache it.

On a CPU the image tower dominates a cold rerank (BLIP-base's ViT-B/16 at 384 px, ~110 GFLOP per
photo). This module exports what :class:`engine.models.matcher.BlipMatcher` runs for image
features (``vision_model(pixel_values).last_hidden_state``, with BLIP's scale-and-normalise in
front, so the graph takes the uint8 squares of :func:`engine.models.matcher.image_to_square`)
with a dynamic batch axis, the way :mod:`engine.models.export` exports CLIP's towers, and keeps it
only where its verdicts match torch fp32's:

* calibration: photo-like images with shapes (:func:`engine.models.export.calibration_images`)
  and captions, compositional twins (the kind of query the matcher exists for) and everyday
  ones, each caption a query against every image (the demo compositional split itself is
  checked by tests/engine/test_matcher_onnx.py and bench/rerank_latency.py; this layer cannot
  import the demo data generator);
* fp32 must keep a minimum feature cosine of :data:`MIN_COSINE` to torch fp32 and every match
  probability within :data:`MAX_PROB_CHANGE`, or the image tower stays on torch
  (:class:`~engine.models.export.ExportUnsupportedError`);
* int8 (:data:`INT8_CANDIDATES`) is kept only if its largest log-odds change is within fp32's
  own noise (the larger of torch fp32 batched vs one photo at a time and ONNX fp32 vs torch
  fp32) and no query's top-:data:`TOP_K` order changes beyond that noise
  (:func:`order_changes`: near-ties may go either way, as between two fp32 runs). Otherwise
  the tower runs in fp32.

The folder (``<onnx cache>/matcher-vision_<matcher id>-<hash>``, next to the CLIP exports) holds
``vision.onnx`` and :data:`MANIFEST` with every candidate's figures; it is written whole or not
at all. Features stay float16 (tokens, width), like the torch path's.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.models.export import (
    CALIBRATION_TEXTS,
    OPSET,
    ExportUnsupportedError,
    calibration_images,
    export_folder_for,
    folder_written_whole,
    make_session,
    quantize,
    read_manifest,
)

log = logging.getLogger(__name__)

MANIFEST = "photosearch_matcher_onnx.json"
MANIFEST_VERSION = 1
MODEL = "vision.onnx"
MIN_COSINE = 0.999
# fp32 ONNX vs torch fp32: match probabilities may differ by at most this much.
MAX_PROB_CHANGE = 0.005
# The u8u8 kind export.py prefers on CPUs without VNNI (see export.INT8_CANDIDATES).
INT8_CANDIDATES = ("int8_u8u8",)
TOP_K = 10
# Calibration: each text a query against every image. Its cost is a first rerank's: BLIP-base on
# a 2-core CPU pays 0.45-3.7 s per image and tower pass (four passes) and 0.06-0.5 s per pair
# and score pass (four passes), plus 1-2 min to export and quantise. With 20 images x 10 texts
# that took 13.6 min on a busy machine (load 5 on 2 cores), hence this small set (16 x 8 = 128
# pairs); the demo compositional split is checked by the tests and the bench.
CALIBRATION_IMAGES = 16
CALIBRATION_EVERYDAY_TEXTS = 2
COMPOSITIONAL_TEXTS = (
    "a red circle left of a blue square",
    "a blue circle left of a red square",
    "two green triangles above a yellow star",
    "a yellow star above two green triangles",
    "one black square on the right of three white circles",
    "three black circles on the right of one white square",
)

# (features of uint8 squares (n, S, S, 3), as float32 (n, tokens, width))
Encode = Callable[[Sequence[np.ndarray]], np.ndarray]
# (float16 features, texts) -> log-odds, the matcher's torch text side
Match = Callable[[Sequence[np.ndarray], Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class MatcherCandidate:
    """One precision of the image tower, checked against torch fp32."""

    precision: str
    min_cosine: float
    max_log_odds_change: float
    max_prob_change: float
    order_changes: int  # queries whose top-K order it changes beyond fp32's noise (see below)
    size_bytes: int
    passed: bool


def matcher_export_folder(matcher_id: str) -> Path:
    """Where the image tower of ``matcher_id`` is exported (the user's ONNX cache)."""
    from engine.models.runtime import onnx_cache_root

    return onnx_cache_root() / export_folder_for(f"matcher-vision:{matcher_id}", Path()).name


def is_current_matcher_export(folder: Path, matcher_id: str, image_size: int) -> bool:
    """Whether ``folder`` holds a finished export of ``matcher_id`` at ``image_size``."""
    manifest = read_manifest_of(folder)
    return bool(manifest and manifest.get("matcher_id") == matcher_id
                and manifest.get("manifest_version") == MANIFEST_VERSION
                and manifest.get("image_size") == image_size
                and (Path(folder) / MODEL).is_file())


def read_manifest_of(folder: Path) -> dict[str, Any] | None:
    """The manifest of a matcher export folder, or None."""
    return read_manifest(folder, MANIFEST)


def calibration_set(size: int) -> tuple[list[np.ndarray], list[str]]:
    """uint8 squares of photo-like images with shapes (:func:`calibration_images`) and
    captions: compositional twins (the same words, swapped roles) and everyday queries."""
    from engine.models.matcher import image_to_square

    images = calibration_images(CALIBRATION_IMAGES, max(size, 128))
    texts = [*COMPOSITIONAL_TEXTS, *CALIBRATION_TEXTS[:CALIBRATION_EVERYDAY_TEXTS]]
    return [image_to_square(im, size) for im in images], texts


def export_matcher_vision(
    vision_model: Any, image_size: int, mean: Sequence[float], std: Sequence[float],
    encode_torch: Encode, match: Match, folder: Path, *, matcher_id: str,
    int8_candidates: Sequence[str] = INT8_CANDIDATES, keep_candidates: bool = False,
) -> dict[str, Any]:
    """Export, check and write ``folder`` atomically; returns the manifest.

    ``vision_model`` is the fp32 torch module, ``encode_torch`` its features of uint8 squares as
    the matcher computes them, ``match`` the matcher's torch text side. Raises
    ExportUnsupportedError when the fp32 export does not reproduce torch fp32's verdicts.
    With ``keep_candidates``, every other candidate stays in the folder as ``vision.<p>.onnx``.
    """
    start = time.perf_counter()
    squares, texts = calibration_set(image_size)
    reference = encode_torch(squares)
    # fp32's own noise: the same photos one at a time (another batch, other reductions)
    alone = np.concatenate([encode_torch([sq]) for sq in squares])
    ref_scores = _scores(reference, texts, match)
    noise = _compare(ref_scores, _scores(alone, texts, match), 0.0)

    folder = Path(folder)
    with folder_written_whole(folder) as work:
        fp32_path = work / "vision.fp32.onnx"
        _export(vision_model, image_size, mean, std, fp32_path)
        batch = np.stack(squares)
        figures = []
        fp32 = _check("fp32", fp32_path, batch, reference, ref_scores, texts, match,
                      noise["max_log_odds_change"])
        fp32 = _with_pass(fp32, fp32.min_cosine >= MIN_COSINE
                          and fp32.max_prob_change <= MAX_PROB_CHANGE)
        figures.append(fp32)
        if not fp32.passed:
            raise ExportUnsupportedError(
                f"the ONNX image tower drifts from torch fp32 (minimum feature cosine "
                f"{fp32.min_cosine:.5f}, largest probability change {fp32.max_prob_change:.4f})")
        tolerance = max(noise["max_log_odds_change"], fp32.max_log_odds_change)
        chosen = "fp32"
        for precision in int8_candidates:
            path = work / f"vision.{precision}.onnx"
            quantize(fp32_path, path, precision)
            cand = _check(precision, path, batch, reference, ref_scores, texts, match,
                          tolerance)
            cand = _with_pass(cand, cand.min_cosine >= MIN_COSINE and cand.order_changes == 0
                              and cand.max_log_odds_change <= tolerance)
            figures.append(cand)
            if cand.passed and chosen == "fp32":
                chosen = precision
        os.replace(work / f"vision.{chosen}.onnx", work / MODEL)
        if not keep_candidates:
            for leftover in work.glob("vision.*.onnx"):
                leftover.unlink()
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "matcher_id": matcher_id,
            "image_size": image_size,
            "mean": list(mean),
            "std": list(std),
            "opset": OPSET,
            "min_cosine": MIN_COSINE,
            "max_prob_change": MAX_PROB_CHANGE,
            "top_k": TOP_K,
            "calibration": {"images": len(squares), "texts": len(texts)},
            "fp32_noise": noise,
            "int8_tolerance_log_odds": tolerance,
            "chosen": chosen,
            "candidates": [asdict(c) for c in figures],
            "export_seconds": round(time.perf_counter() - start, 1),
            "versions": _versions(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    log.info("exported the image tower of %s to %s in %.0f s (%s; fp32 noise %.2g log-odds)",
             matcher_id, folder, manifest["export_seconds"], chosen,
             noise["max_log_odds_change"])
    return manifest


class OnnxImageTower:
    """A matcher export's image tower: uint8 squares -> float16 tokens, on ONNX Runtime."""

    def __init__(self, folder: Path, threads: int, precision: str | None = None) -> None:
        """The chosen precision's ``vision.onnx``, or (benchmarks) a candidate the export kept
        with ``keep_candidates``: ``vision.<precision>.onnx``."""
        self.folder = Path(folder)
        self.manifest = read_manifest_of(self.folder) or {}
        chosen = str(self.manifest.get("chosen", "fp32"))
        self.precision = precision or chosen
        name = MODEL if self.precision == chosen else f"vision.{self.precision}.onnx"
        self._session = make_session(self.folder / name, threads)

    def __call__(self, squares: Sequence[np.ndarray]) -> np.ndarray:
        """(n, tokens, width) float16 features of (S, S, 3) uint8 squares."""
        out = self._session.run(None, {"pixels": np.ascontiguousarray(np.stack(squares))})[0]
        return np.asarray(out).astype(np.float16)


def fidelity_of(manifest: dict[str, Any] | None) -> dict[str, Any]:
    """The chosen precision's figures against torch fp32 (for the library's status)."""
    if not manifest:
        return {}
    chosen = manifest.get("chosen")
    for cand in manifest.get("candidates") or []:
        if cand.get("precision") == chosen:
            return {"precision": chosen, "min_cosine": cand.get("min_cosine"),
                    "max_log_odds_change": cand.get("max_log_odds_change"),
                    "order_changes": cand.get("order_changes"),
                    "calibration": manifest.get("calibration")}
    return {}


# -- internals ------------------------------------------------------------------------------------


def _export(vision_model: Any, size: int, mean: Sequence[float], std: Sequence[float],
            path: Path) -> None:
    import contextlib
    import io
    import warnings

    import torch

    class Tower(torch.nn.Module):
        """uint8 (n, S, S, 3) -> last_hidden_state, BlipMatcher._encode's arithmetic."""

        def __init__(self) -> None:
            super().__init__()
            self.vision = vision_model
            self.mean = torch.nn.Parameter(
                torch.tensor(mean, dtype=torch.float32)[:, None, None], requires_grad=False)
            self.std = torch.nn.Parameter(
                torch.tensor(std, dtype=torch.float32)[:, None, None], requires_grad=False)

        def forward(self, pixels: torch.Tensor) -> torch.Tensor:
            x = pixels.permute(0, 3, 1, 2).to(torch.float32)
            x = (x * (1 / 255) - self.mean) / self.std
            return self.vision(pixel_values=x).last_hidden_state

    module = Tower().eval()
    example = torch.zeros(2, size, size, 3, dtype=torch.uint8)
    batch = torch.export.Dim("batch", min=1, max=4096)
    # The dynamo exporter, as export.py uses for CLIP (TorchScript's bakes shapes into reshapes).
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        torch.onnx.export(module, (example,), str(path), input_names=["pixels"],
                          opset_version=OPSET, dynamo=True, external_data=False,
                          dynamic_shapes={"pixels": {0: batch}})


def _scores(features: np.ndarray, texts: Sequence[str], match: Match) -> np.ndarray:
    """(texts, images) log-odds from float16 features, as the matcher sees them."""
    feats = [f.astype(np.float16) for f in features]
    return np.stack([match(feats, [t]) for t in texts]).astype(np.float64)


def order_changes(reference: np.ndarray, other: np.ndarray, tolerance: float,
                  top_k: int = TOP_K) -> int:
    """How many queries (rows) ``other`` reorders within the reference's top ``top_k``: an
    image of the reference's top K swapped with any other image that the reference puts more
    than ``tolerance`` log-odds apart. Near-ties (closer than fp32's own noise) may go either
    way, as they do between two fp32 runs; exact ties never count."""
    changed = 0
    for ref, oth in zip(reference, other, strict=True):
        top = np.argsort(-ref, kind="stable")[:top_k]
        gap = ref[top][:, None] - ref[None, :]  # (K, n): how far ahead the reference puts i
        flipped = (gap > tolerance) & (oth[top][:, None] < oth[None, :])
        changed += bool(flipped.any())
    return changed


def _compare(reference: np.ndarray, other: np.ndarray, tolerance: float) -> dict[str, Any]:
    from engine.models.matcher import sigmoid

    return {"max_log_odds_change": float(np.max(np.abs(reference - other))),
            "max_prob_change": float(np.max(np.abs(sigmoid(reference) - sigmoid(other)))),
            "order_changes": order_changes(reference, other, tolerance)}


def _check(precision: str, path: Path, batch: np.ndarray, reference: np.ndarray,
           ref_scores: np.ndarray, texts: Sequence[str], match: Match,
           tolerance: float) -> MatcherCandidate:
    session = make_session(path, threads=os.cpu_count() or 1)
    feats = np.concatenate([session.run(None, {"pixels": batch[i:i + 8]})[0]
                            for i in range(0, len(batch), 8)]).astype(np.float32)
    a = feats.reshape(len(feats), -1)
    b = reference.reshape(len(reference), -1).astype(np.float32)
    cos = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1),
                                      1e-12)
    scores = _scores(feats, texts, match)
    cmp = _compare(ref_scores, scores, tolerance)
    changes = cmp["order_changes"]
    log.info("matcher image tower %s: min cosine %.6f, log-odds change %.4f, %d order changes",
             precision, cos.min(), cmp["max_log_odds_change"], changes)
    return MatcherCandidate(precision, float(cos.min()), cmp["max_log_odds_change"],
                            cmp["max_prob_change"], int(changes), path.stat().st_size, False)


def _with_pass(cand: MatcherCandidate, passed: bool) -> MatcherCandidate:
    return MatcherCandidate(**{**asdict(cand), "passed": bool(passed)})


def _versions() -> dict[str, str]:
    import onnx
    import onnxruntime
    import torch
    import transformers

    return {"torch": torch.__version__, "transformers": transformers.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__}
