"""The matcher of the second stage: a cross-attention image-text model that judges how well a
query describes a photo.

Why one module past 500 lines: the matcher's spec, its loading (local folder, cache, Hub
download with progress), its precision choice by measured drift and its batched encoding are
one model's life cycle; how its verdict reorders results lives in
:mod:`engine.search.second_stage`.

The dual encoder (:mod:`engine.models.clip`) gives every photo and every query one vector, which
is fast and indexable but blind to who is where doing what: "a red circle left of a blue square"
and "a blue circle left of a red square" get nearly the same vector. A *matcher* reads the query
and the photo together, the query's words attending to the photo's regions, and says how well
they match. It must see every (photo, query) pair, so it only reorders the top K of the first
stage.

* :class:`Matcher` is the small interface: ``encode_images`` (query-independent image features)
  and ``match`` (log-odds that texts describe images, from those features). :class:`BlipMatcher`
  implements it with BLIP's image-text matching head (``transformers``
  ``BlipForImageTextRetrieval``, ``use_itm_head=True``); ``Salesforce/blip-itm-base-coco`` is
  the default and ``demo`` is the tiny matcher bundled under ``resources/models/demo-matcher``
  (trained on the demo scenes by :mod:`engine.evaluation.training.train_demo_matcher`).
* :class:`engine.search.second_stage.FeatureCache` keeps its image features per photo content,
  and :func:`engine.search.second_stage.fuse` combines its verdict with the first stage's score
  so that a poor rerank can never bury an exact hit.

torch and transformers are imported lazily, inside :meth:`BlipMatcher.load`.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import Cancelled, InvalidModelSpecError, ModelUnavailableError
from engine.i18n import N_, _
from engine.models import hub
from engine.records import ModelProgress
from engine.store.paths import resources_dir

log = logging.getLogger(__name__)

DEFAULT_MATCHER = "Salesforce/blip-itm-base-coco"
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# A lower precision is kept only if the log-odds it gives stay this close to fp32's.
MAX_LOW_PRECISION_DRIFT = 0.25
# Below this many parameters bf16 on a CPU saves nothing (the work is dominated by overheads).
BF16_MIN_PARAMS = 20_000_000
PAIR_BATCH = 32
IMAGE_BATCH = 16

# Second-stage K per device, from bench/rerank_latency.py (docs/benchmarks.md). BLIP-base
# (ViT-B/16 at 384 px + 12 cross-attention layers, 224 M weights) on our 2-core Zen 4 CPU in
# bf16: ~0.45 s per candidate for the image tower (compute-bound, ~110 GFLOP per photo, flat in
# batch size), 0.06 s once its image features are cached. K = 10 gives 4-7 s cold / 0.7 s warm
# (K = 20: 12 s / 1.2 s), so the CPU default is 10. On an H100 in fp16, K = 50 takes 0.175 s
# cold (decode+resize 0.07 s on 16 threads, tower 0.08 s, text 0.05 s) and 0.03 s warm, so the
# GPU default is 50. The tiny demo matcher takes 0.12 s cold / 0.03 s warm for K = 50 on the CPU.
DEFAULT_K = {"cpu": 10, "cuda": 50, "mps": 20}
# What BlipForImageTextRetrieval and its tokenizer read from a Hub repository (the first name
# of each group that exists; the weights in safetensors rather than the .bin twin).
BLIP_FILES: tuple[tuple[str, ...], ...] = (
    ("config.json",), ("model.safetensors", "pytorch_model.bin"), ("preprocessor_config.json",),
    ("tokenizer_config.json",), ("vocab.txt",), ("tokenizer.json",), ("special_tokens_map.json",),
)
SMALL_MATCHER_K = 50


def _demo_matcher_dir() -> Path:
    return resources_dir() / "models" / "demo-matcher"


# ---------------------------------------------------------------------------------------------
# Specs


@dataclass(frozen=True)
class MatcherSpec:
    """A parsed ``--matcher`` value: a Hugging Face repo or a local folder."""

    raw: str
    repo: str | None  # Hugging Face Hub repo id
    local_dir: Path | None

    @property
    def matcher_id(self) -> str:
        """A stable identifier, recorded with every cached image feature."""
        if self.local_dir is not None:
            from engine.models.clip import _fingerprint_dir

            return f"local:{self.local_dir.name}:{_fingerprint_dir(self.local_dir)}"
        return f"hf:{self.repo}"


_SPEC_HELP = N_(
    "Use a Hugging Face repo of a BLIP image-text matching model (e.g. {matcher}), "
    "local-dir:/path/to/folder (a save_pretrained folder with config.json, the weights and the "
    "tokenizer), or demo for the bundled tiny matcher."
)


def _spec_help() -> str:
    return _(_SPEC_HELP).format(matcher=DEFAULT_MATCHER)


def parse_matcher_spec(spec: str) -> MatcherSpec:
    """Turn a ``--matcher`` value into a :class:`MatcherSpec`; raises InvalidModelSpecError."""
    spec = (spec or "").strip()
    if not spec:
        raise InvalidModelSpecError(_("The matcher name is empty. ") + _spec_help())
    if spec == "demo":
        return MatcherSpec(spec, None, _demo_matcher_dir())
    if spec.startswith("local-dir:"):
        return MatcherSpec(spec, None, Path(spec[len("local-dir:"):]).expanduser().resolve())
    repo = spec[len("hf-hub:"):] if spec.startswith("hf-hub:") else spec
    parts = repo.strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        raise InvalidModelSpecError(_("'{spec}' is not a matcher PhotoSearch knows. ").format(
                                        spec=spec) + _spec_help())
    return MatcherSpec(spec, repo.strip("/"), None)


def default_matcher_for(model_spec: str) -> str:
    """The matcher that goes with a dual-encoder model: the demo pair, or BLIP.

    Both demo models get the bundled demo matcher (offline; it reads English only)."""
    return "demo" if model_spec.strip() in ("demo", "demo-multilingual") else DEFAULT_MATCHER


def resolve_matcher(explicit: str | None, setting: str | None, model_spec: str) -> str:
    """``--matcher``, then ``$PHOTOSEARCH_MATCHER``, then the setting, then the default."""
    return (explicit or os.environ.get("PHOTOSEARCH_MATCHER") or setting
            or default_matcher_for(model_spec))


# ---------------------------------------------------------------------------------------------
# Preprocessing


def image_to_square(image: Image.Image, size: int) -> np.ndarray:
    """The CPU half of BLIP's preprocessing: RGB, bicubic resize to ``size`` x ``size``.

    Returns a uint8 (size, size, 3) array. Pillow releases the GIL while it resizes, so a thread
    pool prepares many photos at once; the float work (:func:`normalise_pixels`) then runs on
    the matcher's device.
    """
    if image.mode != "RGB":
        image = image.convert("RGB")
    if image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.BICUBIC)
    return np.asarray(image, dtype=np.uint8)


def image_to_pixels(image: Image.Image, size: int, mean: tuple[float, ...] = CLIP_MEAN,
                    std: tuple[float, ...] = CLIP_STD) -> np.ndarray:
    """BLIP's preprocessing: RGB, bicubic resize to ``size`` x ``size``, scale, normalise.

    Returns a float32 (3, size, size) array. Identical to ``BlipImageProcessor``'s PIL path
    (resize to a square, rescale by 1/255, normalise by mean and std). The demo matcher was
    trained on exactly this function's output; :meth:`BlipMatcher.encode_prepared` computes the
    same float32 arithmetic on the device.
    """
    arr: np.ndarray = image_to_square(image, size).astype(np.float32) * np.float32(1 / 255)
    arr = (arr - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return np.ascontiguousarray(arr.transpose(2, 0, 1))


# ---------------------------------------------------------------------------------------------
# Matchers


class Matcher(ABC):
    """Scores how well texts describe images by reading both together (cross-attention).

    ``encode_images`` gives query-independent features (cache them); ``match`` turns features
    and texts into log-odds that the text describes the image (``sigmoid`` gives the
    probability). ``score`` does both. Implementations are thread-safe.
    """

    matcher_id: str = "matcher"
    image_size: int = 224
    device: str = "cpu"
    precision: str = "fp32"

    def __init__(self) -> None:
        self.images_encoded = 0  # how many images went through the image tower (for tests)

    @property
    def encode_chunk(self) -> int:
        """Images per call of :meth:`encode_prepared` when many are waiting: a cancelled rerank
        stops after at most one chunk, so this is small where images are slow."""
        return IMAGE_BATCH

    @property
    def loaded(self) -> bool:
        """Whether the weights are in memory."""
        return True

    @property
    def description(self) -> str:
        """E.g. ``demo on cpu (fp32)``."""
        return f"{self.matcher_id} on {self.device} ({self.precision})"

    @property
    def feature_id(self) -> str:
        """What the feature cache keys this matcher's image features by: features under one
        id are interchangeable (the same model, within float16 storage's rounding)."""
        return self.matcher_id

    @property
    def image_tower(self) -> str:
        """What encodes images: ``torch`` or ``onnx <precision>``."""
        return "torch"

    @property
    def image_fidelity(self) -> dict[str, Any]:
        """An ONNX image tower's check against torch fp32 (empty on torch)."""
        return {}

    @property
    def parameters(self) -> int:
        """Number of weights (0 when unknown)."""
        return 0

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None, *,
             download: bool = True) -> Matcher:
        """Load weights (idempotent); ``on_progress`` hears of a download's bytes. With
        ``download`` False, weights that are not on this computer raise
        ModelUnavailableError instead of being fetched (background work never downloads)."""
        return self

    def prepare(self, image: Image.Image) -> Any:
        """The CPU-side, thread-safe part of encoding one image (resizing, say).

        :class:`SecondStage` calls it on its decode threads, so that only the device work
        (:meth:`encode_prepared`) is serial. The default does nothing.
        """
        return image

    def encode_prepared(self, prepared: Sequence[Any]) -> list[np.ndarray]:
        """:meth:`encode_images` for what :meth:`prepare` returned."""
        return self.encode_images(prepared)

    @abstractmethod
    def encode_images(self, images: Sequence[Image.Image]) -> list[np.ndarray]:
        """Query-independent features of RGB images, one array per image."""

    @abstractmethod
    def match(self, features: Sequence[np.ndarray], texts: Sequence[str]) -> np.ndarray:
        """Log-odds that ``texts[i]`` describes the image of ``features[i]``.

        Either sequence may have length 1 and is then paired with every item of the other.
        """

    def score(self, images: Sequence[Image.Image], text: str) -> np.ndarray:
        """Match probabilities of one text against several images."""
        return sigmoid(self.match(self.encode_images(images), [text]))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Log-odds to probabilities."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


class BlipMatcher(Matcher):
    """BLIP's image-text matching head (``BlipForImageTextRetrieval``, ``use_itm_head=True``).

    Image features are the vision encoder's output tokens (``last_hidden_state``, e.g.
    577 x 768 for BLIP-base at 384 px), kept as float16. Matching runs the BERT text encoder
    over the query with cross-attention to those tokens and reads the ITM head on [CLS]; the
    log-odds are ``logit[match] - logit[no match]``, exactly what ``softmax(itm_score)[:, 1]``
    gives as a probability.

    On the CPU the image tower runs on ONNX Runtime where an export proves it gives torch fp32's
    verdicts (:mod:`engine.models.matcher_export`; exported once into the user's ONNX cache),
    else on torch with the reason in the log. ``image_runtime``: ``auto`` (that), ``torch``,
    or ``onnx`` (an export failure is a ModelUnavailableError); None reads
    ``$PHOTOSEARCH_RUNTIME``. On a GPU the tower stays on torch.
    """

    def __init__(self, spec: MatcherSpec, device: str = "auto", precision: str = "auto",
                 image_runtime: str | None = None, onnx_folder: Path | None = None) -> None:
        super().__init__()
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}")
        if image_runtime is None:
            from engine.models.runtime import resolve_runtime

            image_runtime = resolve_runtime(None)
        if image_runtime not in ("auto", "torch", "onnx"):
            raise ValueError("image_runtime must be auto, torch or onnx")
        self.image_runtime = image_runtime
        self.onnx_folder = onnx_folder
        self._tower: Any = None  # the ONNX image tower (OnnxImageTower), when in use
        self.image_fallback_reason = ""
        self.spec = spec
        self.matcher_id = spec.matcher_id
        self.requested_device = device
        self.requested_precision = precision
        self.mean = CLIP_MEAN
        self.std = CLIP_STD
        self._model: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self.load_seconds = 0.0

    @classmethod
    def from_model(cls, model: Any, tokenizer: Any, *, matcher_id: str, device: str = "cpu",
                   precision: str = "fp32", image_size: int | None = None,
                   image_runtime: str = "torch", onnx_folder: Path | None = None
                   ) -> BlipMatcher:
        """Wrap an already built model (benchmarks and tests: random weights, no files).

        The image tower stays on torch unless ``image_runtime`` says otherwise: ``matcher_id``
        does not identify random weights, so give an ONNX export its own ``onnx_folder``."""
        self = cls(MatcherSpec(matcher_id, None, None), device, precision, image_runtime,
                   onnx_folder)
        self.matcher_id = matcher_id
        self._install(model, tokenizer, image_size or _vision_size(model.config), CLIP_MEAN,
                      CLIP_STD)
        return self

    # -- loading ------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the weights are in memory."""
        return self._model is not None

    @property
    def parameters(self) -> int:
        """Number of weights of the loaded model."""
        return 0 if self._model is None else sum(p.numel() for p in self._model.parameters())

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None, *,
             download: bool = True) -> BlipMatcher:
        """Import transformers, load weights, choose the precision; idempotent.

        Raises ModelUnavailableError (fast, without hanging on a dead network) when the weights
        are neither on this computer nor downloadable, or not on this computer and
        ``download`` is False. With ``on_progress``, missing Hub files are downloaded first
        with byte progress, and whatever it raises (``Cancelled``) stops the download
        (:func:`engine.models.download.download_files`).
        """
        with self._load_lock:
            if self._model is None:
                start = time.perf_counter()
                model, tokenizer, size, mean, std = _load_blip(self.spec, on_progress, download)
                self._install(model, tokenizer, size, mean, std, on_progress)
                self.load_seconds = time.perf_counter() - start
                log.info("loaded matcher %s in %.1f s", self.description, self.load_seconds)
        return self

    def _install(self, model: Any, tokenizer: Any, size: int, mean: tuple, std: tuple,
                 on_progress: Callable[[ModelProgress], None] | None = None) -> None:
        import torch

        from engine.models.clip import choose_device

        self.device = choose_device(self.requested_device)
        model.eval()
        self.image_size = int(size)
        self.mean, self.std = tuple(mean), tuple(std)
        self._tokenizer = tokenizer
        self._model = model.to(self.device, torch.float32)
        if self.device == "cpu" and self.image_runtime != "torch":
            self._use_onnx_tower(on_progress)
        self._choose_precision()

    # -- the image tower on ONNX Runtime ----------------------------------------------------------

    @property
    def image_tower(self) -> str:
        """``torch`` or ``onnx <precision>`` (e.g. ``onnx fp32``): what encodes images."""
        return "torch" if self._tower is None else f"onnx {self._tower.precision}"

    @property
    def image_fidelity(self) -> dict[str, Any]:
        """The ONNX image tower's check against torch fp32 (empty on torch)."""
        from engine.models.matcher_export import fidelity_of

        return {} if self._tower is None else fidelity_of(self._tower.manifest)

    @property
    def description(self) -> str:
        """E.g. ``local:demo-matcher:… on cpu (fp32, image tower onnx fp32)``."""
        return (f"{self.matcher_id} on {self.device} ({self.precision}, image tower "
                f"{self.image_tower})")

    @property
    def feature_id(self) -> str:
        """The matcher id; with an int8 ONNX image tower, that id plus the tower's precision:
        fp32 ONNX features equal torch fp32's within float16 storage (cosine ~1 - 1e-7, the
        check's figure), as torch bf16's already share the id, so they share the cache; int8
        ones are checked for their verdicts only, so they never mix with fp32 features."""
        if self._tower is None or self._tower.precision == "fp32":
            return self.matcher_id
        return f"{self.matcher_id}#onnx-{self._tower.precision}"

    def _use_onnx_tower(self, on_progress: Callable[[ModelProgress], None] | None = None
                        ) -> None:
        """Load (exporting first if needed, with a "prepare" ``on_progress`` report) the ONNX
        image tower; on failure, stay on torch."""
        from engine.models.matcher_export import (
            OnnxImageTower,
            export_matcher_vision,
            is_current_matcher_export,
            matcher_export_folder,
        )
        from engine.models.runtime import _threads

        try:
            if importlib.util.find_spec("onnxruntime") is None:
                raise ModelUnavailableError(_("ONNX Runtime is not installed."))
            folder = self.onnx_folder or matcher_export_folder(self.matcher_id)
            if not is_current_matcher_export(folder, self.matcher_id, self.image_size):
                log.info("exporting the matcher's image tower to ONNX in %s (once)", folder)
                if on_progress is not None:
                    on_progress(ModelProgress("prepare", self.matcher_id))
                export_matcher_vision(
                    self._model.vision_model, self.image_size, self.mean, self.std,
                    self._torch_features, self._match, folder, matcher_id=self.matcher_id)
            self._tower = OnnxImageTower(folder, _threads())
            log.info("matcher image tower on ONNX Runtime (%s) from %s", self._tower.precision,
                     folder)
        except Cancelled:
            raise  # the load was cancelled (a newer query): nothing to fall back to
        except Exception as exc:
            self._tower = None
            self.image_fallback_reason = str(getattr(exc, "user_message", None) or exc)
            if self.image_runtime == "onnx":
                raise ModelUnavailableError(
                    _("The matcher's image tower cannot run on ONNX Runtime: {exc}. Unset "
                      "PHOTOSEARCH_RUNTIME or set it to auto or torch.").format(exc=exc),
                    details=repr(exc), reason=ModelUnavailableError.LOAD_FAILED) from exc
            log.warning("the matcher's image tower stays on PyTorch: %s",
                        self.image_fallback_reason)

    def _torch_features(self, squares: Sequence[np.ndarray]) -> np.ndarray:
        """The torch fp32 image tower's features, float32 (the export's reference; not counted
        in :attr:`images_encoded`)."""
        tower, self._tower, count = self._tower, None, self.images_encoded
        try:
            return np.stack([f.astype(np.float32) for f in self._encode(squares, np.float32)])
        finally:
            self._tower, self.images_encoded = tower, count

    def _choose_precision(self) -> None:
        import torch

        from engine.models.clip import auto_precision, torch_dtype

        wanted = self.requested_precision
        if wanted == "auto":
            wanted = auto_precision(self.device, bf16_pays=self.parameters >= BF16_MIN_PARAMS)
        if wanted == "fp32":
            self.precision = "fp32"
            return
        images, texts = _calibration_inputs(self.image_size)
        reference = self._calibrate(images, texts)
        self._model.to(torch_dtype(wanted))
        self.precision = wanted
        low = self._calibrate(images, texts)
        drift = float(np.max(np.abs(reference - low)))
        if drift > MAX_LOW_PRECISION_DRIFT and self.requested_precision == "auto":
            log.warning("matcher in %s drifts from fp32 by %.3f log-odds; using fp32", wanted,
                        drift)
            self._model.to(torch.float32)
            self.precision = "fp32"
        else:
            log.info("matcher in %s stays within %.3f log-odds of fp32", wanted, drift)
        self.calibration_drift = drift

    def _calibrate(self, images: list[Image.Image], texts: list[str]) -> np.ndarray:
        feats = self._encode([self.prepare(im) for im in images])
        return self._match(feats, texts)

    # -- scoring ------------------------------------------------------------------------------

    def _dtype(self) -> Any:
        from engine.models.clip import torch_dtype

        return torch_dtype(self.precision)

    def encode_images(self, images: Sequence[Image.Image]) -> list[np.ndarray]:
        """The vision encoder's output tokens per image, float16 (tokens, width)."""
        self.load()
        if not images:
            return []
        return self._encode([self.prepare(im) for im in images])

    @property
    def encode_chunk(self) -> int:
        """A full batch on a GPU; on a CPU a big tower costs the same per image at any batch
        size (~0.45 s for BLIP-base), so chunks of 2 keep a cancelled rerank's tail short."""
        if self.device == "cpu" and self.parameters >= BF16_MIN_PARAMS:
            return 2
        return IMAGE_BATCH

    def prepare(self, image: Image.Image) -> np.ndarray:
        """The photo as a uint8 square of the vision tower's size (see :func:`image_to_square`)."""
        return image_to_square(image, self.image_size)

    def encode_prepared(self, prepared: Sequence[np.ndarray]) -> list[np.ndarray]:
        """:meth:`encode_images` for squares from :meth:`prepare`."""
        self.load()
        if not prepared:
            return []
        return self._encode(prepared)

    def _encode(self, squares: Sequence[np.ndarray], out_dtype: Any = np.float16
                ) -> list[np.ndarray]:
        import torch

        out: list[np.ndarray] = []
        if self._tower is not None:
            for start in range(0, len(squares), IMAGE_BATCH):
                chunk = squares[start:start + IMAGE_BATCH]
                arr = self._tower(chunk)
                self.images_encoded += len(chunk)
                out.extend(arr[i] for i in range(len(chunk)))
            return out
        mean = torch.tensor(self.mean, dtype=torch.float32, device=self.device)[:, None, None]
        std = torch.tensor(self.std, dtype=torch.float32, device=self.device)[:, None, None]
        for start in range(0, len(squares), IMAGE_BATCH):
            chunk = squares[start:start + IMAGE_BATCH]
            batch = torch.from_numpy(np.stack(chunk))  # uint8 (n, h, w, 3): 1/4 of float's bytes
            with self._run_lock, torch.inference_mode():
                # image_to_pixels' float32 arithmetic, on the device
                pixels = batch.to(self.device).permute(0, 3, 1, 2).to(torch.float32)
                pixels = (pixels * (1 / 255) - mean) / std
                tokens = self._model.vision_model(
                    pixel_values=pixels.to(self._dtype())).last_hidden_state
                arr = tokens.float().cpu().numpy().astype(out_dtype)
            self.images_encoded += len(chunk)
            out.extend(arr[i] for i in range(len(chunk)))
        return out

    def match(self, features: Sequence[np.ndarray], texts: Sequence[str]) -> np.ndarray:
        """Log-odds per (features, text) pair; a length-1 side is broadcast."""
        self.load()
        return self._match(features, texts)

    def _match(self, features: Sequence[np.ndarray], texts: Sequence[str]) -> np.ndarray:
        import torch

        n = max(len(features), len(texts))
        if n == 0:
            return np.zeros(0, np.float32)
        if len(features) not in (1, n) or len(texts) not in (1, n):
            raise ValueError(f"cannot pair {len(features)} images with {len(texts)} texts")
        unique = list(dict.fromkeys(texts))
        tok = self._tokenizer(unique, padding=True, truncation=True, max_length=64,
                              return_tensors="pt")
        row_of = {t: i for i, t in enumerate(unique)}
        text_rows = [row_of[texts[0 if len(texts) == 1 else i]] for i in range(n)]
        out = np.empty(n, np.float32)
        dtype = self._dtype()
        for start in range(0, n, PAIR_BATCH):
            stop = min(n, start + PAIR_BATCH)
            if len(features) == 1:
                feats = torch.from_numpy(np.asarray(features[0]))[None].expand(
                    stop - start, -1, -1)
            else:
                feats = torch.from_numpy(np.stack(features[start:stop]))
            rows = torch.tensor(text_rows[start:stop])
            ids = tok["input_ids"][rows]
            mask = tok["attention_mask"][rows]
            length = int(mask.sum(1).max())  # drop padding columns no pair in the batch needs
            with self._run_lock, torch.inference_mode():
                embeds = feats.to(self.device, dtype)
                hidden = self._model.text_encoder(
                    input_ids=ids[:, :length].to(self.device),
                    attention_mask=mask[:, :length].to(self.device),
                    encoder_hidden_states=embeds,
                    encoder_attention_mask=torch.ones(embeds.shape[:-1], dtype=torch.long,
                                                      device=self.device),
                ).last_hidden_state
                logits = self._model.itm_head(hidden[:, 0, :]).float()
                out[start:stop] = (logits[:, 1] - logits[:, 0]).cpu().numpy()
        return out


def _vision_size(config: Any) -> int:
    size = config.vision_config.image_size
    return int(size[0] if isinstance(size, (tuple, list)) else size)


def _calibration_inputs(size: int) -> tuple[list[Image.Image], list[str]]:
    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)).resize(
        (size, size), Image.Resampling.BICUBIC) for _ in range(2)]
    return images, ["a red circle left of a blue square", "a dog on a beach at sunset"]


def _read_preprocessing(folder: Path | None, default_size: int) -> tuple[int, tuple, tuple]:
    """Size, mean and std from a ``preprocessor_config.json`` (BlipImageProcessor's keys)."""
    if folder is None or not (folder / "preprocessor_config.json").is_file():
        return default_size, CLIP_MEAN, CLIP_STD
    cfg = json.loads((folder / "preprocessor_config.json").read_text(encoding="utf-8"))
    size = cfg.get("size", default_size)
    if isinstance(size, dict):
        size = size.get("height") or size.get("shortest_edge") or default_size
    return (int(size), tuple(cfg.get("image_mean", CLIP_MEAN)),
            tuple(cfg.get("image_std", CLIP_STD)))


def matcher_unavailable_reason() -> str | None:
    """Why this installation cannot run the matcher (None when it can), without importing
    anything: the lean edition of PhotoSearch leaves out PyTorch and transformers."""
    import importlib.util

    if all(importlib.util.find_spec(name) is not None for name in ("torch", "transformers")):
        return None
    return _("Reranking is not available in this edition of PhotoSearch: its second model "
             "needs PyTorch and transformers, which the lean edition leaves out to stay small. "
             "Search works without it; install the full edition of PhotoSearch to rerank.")


def _load_blip(spec: MatcherSpec, on_progress: Callable[[ModelProgress], None] | None = None,
               download: bool = True) -> tuple[Any, Any, int, tuple, tuple]:
    """(model, tokenizer, image size, mean, std) for a spec; ModelUnavailableError if missing."""
    missing_runtime = matcher_unavailable_reason()
    if missing_runtime is not None:
        raise ModelUnavailableError(missing_runtime, reason=ModelUnavailableError.LOAD_FAILED)
    if spec.local_dir is not None:
        _check_local_dir(spec)
        return _from_pretrained(str(spec.local_dir), spec, local_only=True, folder=spec.local_dir)
    assert spec.repo is not None
    try:
        return _from_pretrained(spec.repo, spec, local_only=True, folder=None)
    except ModelUnavailableError:
        if not download or hub.offline_requested() or not hub.hub_reachable():
            raise _missing_weights(spec) from None
    log.info("downloading the matcher %s into the Hugging Face cache", spec.repo)
    if on_progress is not None:
        from engine.models.download import download_files

        try:
            download_files(spec.raw, [(spec.repo, names) for names in BLIP_FILES], on_progress)
        except Cancelled:
            raise
        except Exception as exc:  # the network went away, the Hub refused, a disk filled up
            raise _missing_weights(spec, exc) from exc
        try:  # everything it needs is cached now: no further requests
            return _from_pretrained(spec.repo, spec, local_only=True, folder=None)
        except ModelUnavailableError:
            log.info("the matcher needs more files than %s; transformers fetches them",
                     [names[0] for names in BLIP_FILES])
    return _from_pretrained(spec.repo, spec, local_only=False, folder=None)


def _from_pretrained(source: str, spec: MatcherSpec, *, local_only: bool,
                     folder: Path | None) -> tuple[Any, Any, int, tuple, tuple]:
    import torch
    from transformers import AutoTokenizer, BlipForImageTextRetrieval
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    if local_only:  # a download shows its progress; reading local files needs no bar
        hf_logging.disable_progress_bar()
    try:
        model = BlipForImageTextRetrieval.from_pretrained(source, local_files_only=local_only,
                                                          dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    except Exception as exc:
        if folder is not None:
            raise ModelUnavailableError(
                _("Could not load the matcher in {folder}: {exc}. It must be a "
                  "BlipForImageTextRetrieval save_pretrained folder (config.json, weights, "
                  "tokenizer).").format(folder=folder, exc=exc), details=repr(exc)) from exc
        raise _missing_weights(spec, exc) from exc
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    if folder is None:
        folder = _cached_snapshot(source)
    size, mean, std = _read_preprocessing(folder, _vision_size(model.config))
    return model, tokenizer, size, mean, std


def _cached_snapshot(repo: str) -> Path | None:
    try:
        from huggingface_hub import hf_hub_download

        return Path(hf_hub_download(repo, "preprocessor_config.json",
                                    local_files_only=True)).parent
    except Exception:
        return None


def _check_local_dir(spec: MatcherSpec) -> None:
    folder = spec.local_dir
    assert folder is not None
    if not folder.is_dir():
        hint = (_("The bundled demo matcher is missing from this installation; reinstall "
                  "PhotoSearch.") if spec.raw == "demo" else
                _("Pass the folder written by save_pretrained (config.json, model.safetensors, "
                  "tokenizer files)."))
        raise ModelUnavailableError(
            _("The matcher folder {folder} does not exist.").format(folder=folder) + " " + hint)
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(
            _("The matcher folder {folder} has no config.json: it must be a "
              "BlipForImageTextRetrieval save_pretrained folder.").format(folder=folder))


def _missing_weights(spec: MatcherSpec, exc: Exception | None = None) -> ModelUnavailableError:
    from engine.models.hub import current_endpoint, endpoint_advice

    cache = os.environ.get("HF_HOME") or str(Path.home() / ".cache" / "huggingface")
    return ModelUnavailableError(
        _("The reranking model '{repo}' is not on this computer and could not be "
          "downloaded (no internet connection?). Connect to the internet and search once "
          "with --rerank to fetch it into the Hugging Face cache ({cache}); or download "
          "{current_endpoint}/{repo} into a folder and pass --matcher "
          "local-dir:/that/folder; or search without --rerank (the first stage alone works "
          "offline). {endpoint_advice}").format(
            repo=spec.repo, cache=cache, current_endpoint=current_endpoint(),
            endpoint_advice=endpoint_advice()),
        details=repr(exc) if exc is not None else "")
