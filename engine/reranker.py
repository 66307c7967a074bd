"""Second stage of a search: a cross-attention image-text matcher reorders the first K results.

The dual encoder (:mod:`engine.encoder`) gives every photo and every query one vector, which is
fast and indexable but blind to who is where doing what: "a red circle left of a blue square"
and "a blue circle left of a red square" get nearly the same vector. A *matcher* reads the query
and the photo together, the query's words attending to the photo's regions, and says how well
they match. It must see every (photo, query) pair, so it only reorders the top K of the first
stage.

* :class:`Matcher` is the small interface: ``encode_images`` (query-independent image features)
  and ``match`` (log-odds that texts describe images, from those features). :class:`BlipMatcher`
  implements it with BLIP's image-text matching head (``transformers``
  ``BlipForImageTextRetrieval``, ``use_itm_head=True``); ``Salesforce/blip-itm-base-coco`` is
  the default and ``demo`` is the tiny matcher bundled under ``resources/models/demo-matcher``
  (trained on the demo scenes by :mod:`engine.training.train_demo_matcher`).
* :class:`FeatureCache` keeps the matcher's image features (the vision encoder's output tokens)
  per photo content, in memory (LRU) and on disk under the library folder: they do not depend
  on the query, so a repeated or refined query over the same photos skips the image tower.
* :func:`fuse` combines the matcher's verdict with the first stage's score so that a poor rerank
  can never bury an exact hit (see its docstring for the rule and its guarantees).

torch and transformers are imported lazily, inside :meth:`BlipMatcher.load`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engine import hub
from engine.errors import Cancelled, EngineError, InvalidModelSpecError, ModelUnavailableError
from engine.jobs import CancelToken
from engine.paths import resources_dir
from engine.records import ModelProgress

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
            from engine.encoder import _fingerprint_dir

            return f"local:{self.local_dir.name}:{_fingerprint_dir(self.local_dir)}"
        return f"hf:{self.repo}"


_SPEC_HELP = (
    "Use a Hugging Face repo of a BLIP image-text matching model (e.g. "
    f"{DEFAULT_MATCHER}), local-dir:/path/to/folder (a save_pretrained folder with config.json, "
    "the weights and the tokenizer), or demo for the bundled tiny matcher."
)


def parse_matcher_spec(spec: str) -> MatcherSpec:
    """Turn a ``--matcher`` value into a :class:`MatcherSpec`; raises InvalidModelSpecError."""
    spec = (spec or "").strip()
    if not spec:
        raise InvalidModelSpecError("The matcher name is empty. " + _SPEC_HELP)
    if spec == "demo":
        return MatcherSpec(spec, None, _demo_matcher_dir())
    if spec.startswith("local-dir:"):
        return MatcherSpec(spec, None, Path(spec[len("local-dir:"):]).expanduser().resolve())
    repo = spec[len("hf-hub:"):] if spec.startswith("hf-hub:") else spec
    parts = repo.strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        raise InvalidModelSpecError(f"'{spec}' is not a matcher PhotoSearch knows. " + _SPEC_HELP)
    return MatcherSpec(spec, repo.strip("/"), None)


def default_matcher_for(model_spec: str) -> str:
    """The matcher that goes with a dual-encoder model: the demo pair, or BLIP."""
    return "demo" if model_spec.strip() == "demo" else DEFAULT_MATCHER


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
    def parameters(self) -> int:
        """Number of weights (0 when unknown)."""
        return 0

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None) -> Matcher:
        """Load weights (idempotent); ``on_progress`` hears of a download's bytes."""
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
    """

    def __init__(self, spec: MatcherSpec, device: str = "auto", precision: str = "auto") -> None:
        super().__init__()
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}")
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
                   precision: str = "fp32", image_size: int | None = None) -> BlipMatcher:
        """Wrap an already built model (benchmarks and tests: random weights, no files)."""
        self = cls(MatcherSpec(matcher_id, None, None), device, precision)
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

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None) -> BlipMatcher:
        """Import transformers, load weights, choose the precision; idempotent.

        Raises ModelUnavailableError (fast, without hanging on a dead network) when the weights
        are neither on this computer nor downloadable. With ``on_progress``, missing Hub files
        are downloaded first with byte progress, and whatever it raises (``Cancelled``) stops
        the download (:func:`engine.model_download.download_files`).
        """
        with self._load_lock:
            if self._model is None:
                start = time.perf_counter()
                model, tokenizer, size, mean, std = _load_blip(self.spec, on_progress)
                self._install(model, tokenizer, size, mean, std)
                self.load_seconds = time.perf_counter() - start
                log.info("loaded matcher %s in %.1f s", self.description, self.load_seconds)
        return self

    def _install(self, model: Any, tokenizer: Any, size: int, mean: tuple, std: tuple) -> None:
        import torch

        from engine.encoder import choose_device

        self.device = choose_device(self.requested_device)
        model.eval()
        self.image_size = int(size)
        self.mean, self.std = tuple(mean), tuple(std)
        self._tokenizer = tokenizer
        self._model = model.to(self.device, torch.float32)
        self._choose_precision()

    def _choose_precision(self) -> None:
        import torch

        from engine.encoder import auto_precision, torch_dtype

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
        from engine.encoder import torch_dtype

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

    def _encode(self, squares: Sequence[np.ndarray]) -> list[np.ndarray]:
        import torch

        out: list[np.ndarray] = []
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
                arr = tokens.to(torch.float16).cpu().numpy()
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


def _load_blip(spec: MatcherSpec, on_progress: Callable[[ModelProgress], None] | None = None
               ) -> tuple[Any, Any, int, tuple, tuple]:
    """(model, tokenizer, image size, mean, std) for a spec; ModelUnavailableError if missing."""
    if spec.local_dir is not None:
        _check_local_dir(spec)
        return _from_pretrained(str(spec.local_dir), spec, local_only=True, folder=spec.local_dir)
    assert spec.repo is not None
    try:
        return _from_pretrained(spec.repo, spec, local_only=True, folder=None)
    except ModelUnavailableError:
        if hub.offline_requested() or not hub.hub_reachable():
            raise _missing_weights(spec) from None
    log.info("downloading the matcher %s into the Hugging Face cache", spec.repo)
    if on_progress is not None:
        from engine.model_download import download_files

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
                f"Could not load the matcher in {folder}: {exc}. It must be a "
                "BlipForImageTextRetrieval save_pretrained folder (config.json, weights, "
                "tokenizer).", details=repr(exc)) from exc
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
        hint = (" The bundled demo matcher is missing from this installation; reinstall "
                "PhotoSearch." if spec.raw == "demo" else
                " Pass the folder written by save_pretrained (config.json, model.safetensors, "
                "tokenizer files).")
        raise ModelUnavailableError(f"The matcher folder {folder} does not exist.{hint}")
    if not (folder / "config.json").is_file():
        raise ModelUnavailableError(
            f"The matcher folder {folder} has no config.json: it must be a "
            "BlipForImageTextRetrieval save_pretrained folder.")


def _missing_weights(spec: MatcherSpec, exc: Exception | None = None) -> ModelUnavailableError:
    cache = os.environ.get("HF_HOME") or str(Path.home() / ".cache" / "huggingface")
    return ModelUnavailableError(
        f"The reranking model '{spec.repo}' is not on this computer and could not be "
        "downloaded (no internet connection?). Connect to the internet and search once with "
        f"--rerank to fetch it into the Hugging Face cache ({cache}); or download "
        f"https://huggingface.co/{spec.repo} into a folder and pass --matcher "
        "local-dir:/that/folder; or search without --rerank (the first stage alone works "
        "offline).",
        details=repr(exc) if exc is not None else "")


# ---------------------------------------------------------------------------------------------
# Feature cache


class FeatureCache:
    """The matcher's image features by (matcher id, photo content hash): memory LRU + disk.

    Features do not depend on the query, so every later query that reaches the same photo
    skips the image tower. The memory side holds ``memory_bytes`` (least recently used first
    out); the disk side (``disk_dir``, under the library folder) holds ``disk_bytes`` of
    ``.npy`` files written atomically, oldest first out. BLIP-base features are ~0.9 MB per
    photo (577 x 768 float16); the demo matcher's 33 KB.
    """

    def __init__(self, disk_dir: Path | None = None, *, memory_bytes: int = 256 << 20,
                 disk_bytes: int = 2 << 30) -> None:
        self.disk_dir = disk_dir
        self.memory_bytes = memory_bytes
        self.disk_bytes = disk_bytes
        self._mem: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._mem_size = 0
        self._lock = threading.Lock()
        self._puts_since_trim = 0

    def _file(self, matcher_id: str, key: str) -> Path | None:
        if self.disk_dir is None:
            return None
        return self.disk_dir / _slug(matcher_id) / key[:2] / f"{key}.npy"

    def get(self, matcher_id: str, key: str) -> np.ndarray | None:
        """Cached features, or None."""
        with self._lock:
            arr = self._mem.get((matcher_id, key))
            if arr is not None:
                self._mem.move_to_end((matcher_id, key))
                return arr
        path = self._file(matcher_id, key)
        if path is None or not path.is_file():
            return None
        try:
            arr = np.load(path, allow_pickle=False)
            os.utime(path)  # recently used: evicted last
        except (OSError, ValueError):
            log.warning("ignoring an unreadable cached feature file %s", path)
            return None
        self._remember(matcher_id, key, arr)
        return arr

    def put(self, matcher_id: str, key: str, features: np.ndarray) -> None:
        """Store features in memory and on disk."""
        self._remember(matcher_id, key, features)
        path = self._file(matcher_id, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, features, allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            log.warning("could not write the feature cache %s", path, exc_info=True)
            return
        self._puts_since_trim += 1
        if self._puts_since_trim >= 64:
            self._puts_since_trim = 0
            self.trim_disk()

    def _remember(self, matcher_id: str, key: str, arr: np.ndarray) -> None:
        with self._lock:
            old = self._mem.pop((matcher_id, key), None)
            if old is not None:
                self._mem_size -= old.nbytes
            self._mem[(matcher_id, key)] = arr
            self._mem_size += arr.nbytes
            while self._mem_size > self.memory_bytes and len(self._mem) > 1:
                _, dropped = self._mem.popitem(last=False)
                self._mem_size -= dropped.nbytes

    def trim_disk(self) -> None:
        """Delete the least recently used files until the disk side fits ``disk_bytes``."""
        if self.disk_dir is None or not self.disk_dir.is_dir():
            return
        files = []
        for path in self.disk_dir.rglob("*.npy"):
            try:
                st = path.stat()
            except OSError:
                continue
            files.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.disk_bytes:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass

    def clear_memory(self) -> None:
        """Forget the in-memory side (the disk side stays)."""
        with self._lock:
            self._mem.clear()
            self._mem_size = 0


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:120]


def bytes_key(data: bytes) -> str:
    """The cache key of encoded image bytes (same digest as :func:`imaging.content_hash`)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# ---------------------------------------------------------------------------------------------
# Fusion


@dataclass(frozen=True)
class FusionPolicy:
    """How the matcher's verdict and the first stage's score combine (see :func:`fuse`)."""

    first_scale: float = 100.0  # the dual encoder's logit scale: cosine -> log-odds units
    max_log_odds: float = 6.9  # the matcher's log-odds are clipped to +-this (p = 0.001..0.999)
    reject_below: float = 0.2  # the first stage's top hit moves only if the matcher gives it
    accept_above: float = 0.5  # less than this and the new leader at least this probability,
    keep_within: int = 3  # and even then it stays among the first ``keep_within`` results

    @property
    def unbeatable_lead(self) -> float:
        """A first-stage cosine lead no matcher verdict can overturn (2 L / scale)."""
        return 2 * self.max_log_odds / self.first_scale


def fuse(first: np.ndarray, log_odds: np.ndarray, policy: FusionPolicy = FusionPolicy(),
         pinned: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The reranked order of K candidates and their fused scores.

    ``first`` holds the first stage's cosine similarities, ``log_odds`` the matcher's (NaN where
    it has no verdict, e.g. an unreadable file: treated as 0, no opinion). ``pinned`` marks
    exact keyword hits (a caption or file name that contains the query word for word): they
    stay in front, in their first-stage order.

    The fused score is a product of two experts, in log space::

        fused_i = first_scale * (first_i - max(first)) + clip(log_odds_i, -L, +L)

    The first term is the log of the dual encoder's own softmax over the candidates (CLIP's
    logit scale turns cosines into log-odds units); the second the matcher's log-odds. Near
    ties of the first stage (the compositional twins: same objects, colours swapped) are
    decided by the matcher; clear first-stage differences are only overturned by a confident
    matcher. Guarantees, whatever the matcher says:

    1. Bounded influence: the clip makes any matcher verdict worth at most 2 L in the
       comparison of two candidates, so a candidate whose cosine leads another's by more than
       ``policy.unbeatable_lead`` (0.138 at scale 100) always stays ahead of it.
    2. The first stage's top hit keeps first place unless the matcher confidently rejects it
       (probability < ``reject_below``) *and* confidently accepts the candidate that would
       replace it (>= ``accept_above``).
    3. Even then it is never pushed below place ``keep_within`` (3): a wrong matcher can cost an
       exact hit two places, never bury it.
    4. Pinned keyword hits never move behind an unpinned candidate.
    """
    first = np.asarray(first, np.float64)
    n = len(first)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    lo = np.nan_to_num(np.asarray(log_odds, np.float64), nan=0.0)
    lo = np.clip(lo, -policy.max_log_odds, policy.max_log_odds)
    fused = policy.first_scale * (first - first.max()) + lo
    pin = np.zeros(n, bool) if pinned is None else np.asarray(pinned, bool)
    head = [i for i in np.argsort(-first, kind="stable") if pin[i]]
    rest_idx = np.flatnonzero(~pin)
    if len(rest_idx) == 0:
        return np.asarray(head, np.int64), fused
    rest = list(rest_idx[np.argsort(-fused[rest_idx], kind="stable")])
    top = int(rest_idx[np.argmax(first[rest_idx])])
    if rest[0] != top:
        p = sigmoid(lo)
        confident = p[top] < policy.reject_below and p[rest[0]] >= policy.accept_above
        rest.remove(top)
        place = min(max(0, policy.keep_within - 1), len(rest)) if confident else 0
        if confident:
            place = min(place, _natural_place(rest, fused, top))
        rest.insert(place, top)
    return np.asarray(head + rest, np.int64), fused


def _natural_place(rest: list[int], fused: np.ndarray, item: int) -> int:
    """Where ``item`` falls in ``rest`` (sorted by fused score) by its own fused score."""
    return sum(1 for i in rest if fused[i] > fused[item])


# ---------------------------------------------------------------------------------------------
# The second stage


@dataclass(frozen=True)
class Candidate:
    """One image to rerank: its cache key (content hash; None = do not cache) and a loader."""

    key: str | None
    load: Callable[[], Image.Image]


class SecondStage:
    """A matcher with its feature cache: log-odds of one text against many images, or of one
    image against many texts. Images the cache lacks are decoded on a small thread pool and
    encoded in batches; an image that cannot be read gets NaN (no verdict)."""

    def __init__(self, matcher: Matcher, cache: FeatureCache) -> None:
        self.matcher = matcher
        self.cache = cache

    def features(self, candidates: Sequence[Candidate],
                 cancel: CancelToken | None = None) -> list[np.ndarray | None]:
        """Features per candidate (None where the image cannot be read).

        Photos are decoded on a thread per core while the device encodes them in chunks of
        :attr:`Matcher.encode_chunk`; ``cancel`` is checked between chunks (raises
        :class:`~engine.errors.Cancelled`), and chunks already encoded stay cached.
        """
        matcher = self.matcher.load()
        out: list[np.ndarray | None] = [None] * len(candidates)
        missing: list[int] = []
        for i, cand in enumerate(candidates):
            hit = self.cache.get(matcher.matcher_id, cand.key) if cand.key else None
            if hit is not None:
                out[i] = hit
            else:
                missing.append(i)
        if not missing:
            return out

        def load(i: int) -> Any:
            image = _try_load(candidates[i])
            return None if image is None else matcher.prepare(image)

        pool = ThreadPoolExecutor(decode_threads(len(missing)), thread_name_prefix="rerank-decode")
        try:
            pending = [pool.submit(load, i) for i in missing]
            step = max(1, matcher.encode_chunk)
            for start in range(0, len(missing), step):
                if cancel is not None:
                    cancel.check()
                chunk = [(i, f.result()) for i, f in zip(missing[start:start + step],
                                                         pending[start:start + step], strict=True)]
                ok = [(i, im) for i, im in chunk if im is not None]
                feats = matcher.encode_prepared([im for _, im in ok])
                for (i, _), f in zip(ok, feats, strict=True):
                    out[i] = f
                    key = candidates[i].key
                    if key:
                        self.cache.put(matcher.matcher_id, key, f)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return out

    def text_against_images(self, text: str, candidates: Sequence[Candidate],
                            cancel: CancelToken | None = None) -> np.ndarray:
        """Log-odds of ``text`` for each candidate image (NaN where unreadable)."""
        feats = self.features(candidates, cancel)
        out = np.full(len(candidates), np.nan, np.float32)
        have = [(i, f) for i, f in enumerate(feats) if f is not None]
        if have:
            if cancel is not None:
                cancel.check()
            out[[i for i, _ in have]] = self.matcher.match([f for _, f in have], [text])
        return out

    def image_against_texts(self, candidate: Candidate, texts: Sequence[str],
                            cancel: CancelToken | None = None) -> np.ndarray:
        """Log-odds of each text for one image (all NaN if it cannot be read)."""
        feats = self.features([candidate], cancel)[0]
        if feats is None or not texts:
            return np.full(len(texts), np.nan, np.float32)
        return self.matcher.match([feats], list(texts))


def decode_threads(n: int) -> int:
    """Threads for decoding ``n`` photos: one per core, at most 16 (JPEG decoding and resizing
    release the GIL, so they scale with cores; the device work stays on the caller's thread)."""
    return max(1, min(n, os.cpu_count() or 4, 16))


def _try_load(candidate: Candidate) -> Image.Image | None:
    try:
        return candidate.load()
    except EngineError as exc:
        log.info("rerank skips an image: %s", exc.user_message)
    except OSError as exc:
        log.info("rerank skips an image: %s", exc)
    return None


def default_rerank_k(matcher: Matcher) -> int:
    """K for a loaded matcher on its device, from measurements (see :data:`DEFAULT_K`)."""
    if 0 < matcher.parameters < BF16_MIN_PARAMS:
        return SMALL_MATCHER_K
    device = matcher.device.split(":")[0]
    return DEFAULT_K.get(device, DEFAULT_K["cpu"])


# ---------------------------------------------------------------------------------------------
# The facade's second stage


def content_hashes(catalog: Any, ids: Sequence[int]) -> dict[int, str]:
    """photo id -> content hash (the feature cache's key)."""
    out: dict[int, str] = {}
    ids = [int(i) for i in ids]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = catalog._query(f"SELECT id, content_hash FROM photos WHERE id IN "
                              f"({','.join('?' * len(chunk))}) AND content_hash IS NOT NULL",
                              chunk)
        out.update({int(r[0]): r[1] for r in rows})
    return out


def rerank_text(query: str) -> str | None:
    """The text a matcher reads for a query: its positive text terms (image terms and
    subtracted terms have no words to match); None when there are none."""
    from engine import imaging
    from engine.search import parse_query

    terms = parse_query(query, is_image=imaging.is_photo_path)
    words = [t.text for t in terms if t.image is None and t.weight > 0]
    return ", ".join(words) if words else None


class LibraryReranker:
    """The second stage as :class:`engine.api.Library` uses it: the matcher the settings name,
    its feature cache under the library folder, K and the fusion policy."""

    def __init__(self, library: Any) -> None:
        self.library = library
        self._stage: SecondStage | None = None
        self._key: tuple[str, str] | None = None
        self._lock = threading.Lock()
        self._scale: float | None = None

    @property
    def spec(self) -> str:
        """The matcher spec in effect."""
        lib = self.library
        return resolve_matcher(getattr(lib, "_matcher_override", None), lib.settings.matcher,
                               lib.model_spec)

    def stage(self) -> SecondStage:
        """The matcher (not necessarily loaded) with its cache; rebuilt when settings change."""
        key = (self.spec, self.library.device_request)
        with self._lock:
            if self._stage is None or self._key != key:
                matcher = BlipMatcher(parse_matcher_spec(key[0]), key[1])
                cache = FeatureCache(self.library.home / "cache" / "matcher")
                self._stage, self._key = SecondStage(matcher, cache), key
            return self._stage

    def matcher(self, on_progress: Callable[[ModelProgress], None] | None = None) -> Matcher:
        """The loaded matcher (raises ModelUnavailableError when its weights are missing);
        ``on_progress`` hears of a first-time download's bytes."""
        return self.stage().matcher.load(on_progress)

    def k(self) -> int:
        """Candidates to rerank: the ``rerank_k`` setting, else the measured default."""
        configured = int(self.library.settings.rerank_k or 0)
        return configured if configured > 0 else default_rerank_k(self.matcher())

    def policy(self) -> FusionPolicy:
        """The fusion policy, on the dual encoder's own logit scale."""
        if self._scale is None:
            self._scale = _logit_scale(self.library.encoder)
        return FusionPolicy(first_scale=self._scale)

    def rerank_hits(self, query: str, hits: Sequence[Any], k: int | None = None,
                    cancel: CancelToken | None = None) -> list[Any]:
        """``hits`` with the first ``k`` reordered by the matcher (the rest keep their order)."""
        from dataclasses import replace

        from engine import imaging

        text = rerank_text(query)
        if text is None or not hits:
            return list(hits)
        stage = self.stage()
        matcher = stage.matcher.load()
        k = k or self.k()
        head, tail = list(hits[:k]), list(hits[k:])
        hashes = content_hashes(self.library.catalog, [h.photo_id for h in head])
        size = matcher.image_size

        def loader(path: Path) -> Callable[[], Image.Image]:
            return lambda: imaging.decode_photo(path, size).image

        candidates = [Candidate(hashes.get(h.photo_id), loader(h.path)) for h in head]
        log_odds = stage.text_against_images(text, candidates, cancel)
        order, _ = fuse(np.asarray([h.score for h in head]), log_odds, self.policy(),
                        pinned=[bool(getattr(h, "keyword_match", False)) for h in head])
        probs = sigmoid(log_odds)
        reranked = [replace(head[i], match_probability=None if np.isnan(log_odds[i])
                            else float(probs[i])) for i in order]
        return reranked + tail

    def rerank_captions(self, candidate: Candidate, hits: Sequence[Any],
                        k: int | None = None, cancel: CancelToken | None = None) -> list[Any]:
        """Caption hits for one image, the first ``k`` reordered by the matcher."""
        from dataclasses import replace

        if not hits:
            return []
        stage = self.stage()
        stage.matcher.load()
        k = k or self.k()
        head, tail = list(hits[:k]), list(hits[k:])
        log_odds = stage.image_against_texts(candidate, [h.text for h in head], cancel)
        order, _ = fuse(np.asarray([h.score for h in head]), log_odds, self.policy())
        probs = sigmoid(log_odds)
        return [replace(head[i], match_probability=None if np.isnan(log_odds[i])
                        else float(probs[i])) for i in order] + tail


def _logit_scale(encoder: Any) -> float:
    """The dual encoder's learned temperature (CLIP: 100), clamped to [10, 100]."""
    try:
        scale = float(encoder.model.logit_scale.detach().exp())
    except Exception:
        return FusionPolicy.first_scale
    return float(min(100.0, max(10.0, scale)))


# ---------------------------------------------------------------------------------------------
# Evaluation


def rerank_recall(library: Any, texts: Sequence[str], text_vecs: np.ndarray, owner: np.ndarray,
                  photo_ids: Sequence[int], k: int | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Text->image R@1/5/10 of the two-stage search, through the library's own path.

    For each caption: the first stage's top ``max(K, 10)`` (exact, no cut-off), then
    :meth:`engine.api.Library.rerank` on the top K. ``photo_ids[owner[j]]`` is caption j's photo.
    """
    k = k or library.rerank_k
    depth = max(k, 10)
    ranks = np.empty(len(texts), np.int64)
    start = time.perf_counter()
    for j, (text, vec) in enumerate(zip(texts, text_vecs, strict=True)):
        first = library.search_by_vector(vec, k=depth, cut_off=False)
        reranked = library.rerank(text, first, k=k)
        ids = [h.photo_id for h in reranked]
        target = photo_ids[int(owner[j])]
        ranks[j] = ids.index(target) if target in ids else depth
        if on_progress is not None and j % 100 == 0:
            on_progress(j, len(texts))
    seconds = time.perf_counter() - start
    return {"t2i": {f"R@{n}": float(np.mean(ranks < n)) for n in (1, 5, 10)}, "k": int(k),
            "matcher": library.matcher_description, "seconds": round(seconds, 1),
            "ms_per_query": round(1000 * seconds / max(1, len(texts)), 1)}
