"""The CLIP dual encoder: model specs, device and precision choice, batched embedding.

(A little over 500 lines: specs, device, precision and encoding are one model's life cycle.)

torch and open_clip are imported lazily (inside :meth:`ClipEncoder.load`) so the CLI's ``--help``
and the app's window appear at once.

Model specs (``--model``):

* ``demo`` - the tiny model bundled under ``resources/models/demo-clip`` (offline demo, tests);
* ``demo-multilingual`` - the same image tower with a Hugging Face XLM-R text tower and its own
  tokenizer, bundled under ``resources/models/demo-multilingual`` (English, Chinese, Spanish,
  Japanese; trained by :mod:`engine.evaluation.training.train_demo_multilingual`);
* ``NAME/PRETRAINED`` - an open_clip architecture and pretrained tag, e.g. the default
  ``ViT-B-32/laion2b_s34b_b79k``; weights are fetched into the Hugging Face cache on first use;
* ``hf-hub:org/repo`` - an open_clip model on the Hugging Face Hub;
* ``local-dir:PATH`` - a folder with ``open_clip_config.json`` and weights
  (``open_clip_model.safetensors`` or ``open_clip_pytorch_model.bin``).

Models with a Hugging Face text tower (open_clip's multilingual ``xlm-roberta-*`` and
``nllb-clip-*``) load the same way, with their own tokenizer; NLLB's tokenizer is told each
query's language (:mod:`engine.models.language`: the user's choice, else detected).

Precision: on the exact path (``precision="fp32"``) embeddings equal open_clip's own. ``auto``
uses fp16 on CUDA/MPS and bf16 weights on CPUs with native bf16; a faster precision is kept only
if it stays within cosine 0.999 of fp32 on a calibration batch, else the encoder falls back to
fp32.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import Cancelled, InvalidModelSpecError, ModelUnavailableError
from engine.i18n import N_, _
from engine.models.download import download_model_files
from engine.models.hub import hub_access
from engine.records import ModelProgress
from engine.store.paths import demo_model_dir, demo_multilingual_model_dir

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DEMO_MODELS = ("demo", "demo-multilingual")  # bundled, trained on the demo scenes only


def is_demo_model(spec: str) -> bool:
    """Whether ``spec`` names a bundled demo model (it knows shapes, colours and backgrounds,
    nothing else: captions and reranking use the demo vocabulary and matcher)."""
    return spec.strip() in DEMO_MODELS
MIN_LOW_PRECISION_COSINE = 0.999


@dataclass(frozen=True)
class ModelSpec:
    """A parsed ``--model`` value."""

    raw: str
    open_clip_name: str  # what open_clip.create_model takes as model_name
    pretrained: str | None  # open_clip pretrained tag (only for NAME/PRETRAINED specs)
    local_dir: Path | None  # for demo and local-dir specs

    @cached_property
    def model_id(self) -> str:
        """A stable identifier recorded with every vector this model makes (computed once: a
        local folder's fingerprint reads its files)."""
        if self.local_dir is not None:
            return f"local:{self.local_dir.name}:{_fingerprint_dir(self.local_dir)}"
        if self.pretrained:
            return f"open_clip:{self.open_clip_name}/{self.pretrained}"
        return self.open_clip_name


FINGERPRINT_FILE = "photosearch_fingerprint.txt"
"""A model folder's fingerprint written beside it when its weight files are left out: the lean
edition ships the demo model as ONNX towers only (14 MB less) and must keep the model id, which
the vectors in every library carry, equal to the full edition's."""
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pth")


def _fingerprint_dir(folder: Path) -> str:
    """A short content fingerprint of a model folder (config + the start of each weight file;
    without weight files, the fingerprint recorded in :data:`FINGERPRINT_FILE`, if any)."""
    digest = hashlib.blake2b(digest_size=6)
    if not folder.is_dir():
        return "missing"
    recorded = folder / FINGERPRINT_FILE
    if recorded.is_file() and not any(p.suffix in _WEIGHT_SUFFIXES for p in folder.iterdir()):
        text = recorded.read_text(encoding="ascii", errors="replace").strip()
        if len(text) == 2 * digest.digest_size and all(c in "0123456789abcdef" for c in text):
            return text
        log.warning("ignoring %s: not a fingerprint", recorded)
    for path in sorted(folder.iterdir()):
        if path.suffix in (".json", *_WEIGHT_SUFFIXES) and path.name != (
            "training_log.json"
        ):
            digest.update(path.name.encode())
            digest.update(str(path.stat().st_size).encode())
            with path.open("rb") as fh:
                digest.update(fh.read(1 << 20))
    return digest.hexdigest()


def parse_model_spec(spec: str) -> ModelSpec:
    """Turn a ``--model`` value into a :class:`ModelSpec`; raises InvalidModelSpecError."""
    spec = spec.strip()
    if not spec:
        raise InvalidModelSpecError(_("The model name is empty. ") + _(_SPEC_HELP))
    if spec in DEMO_MODELS:
        folder = demo_model_dir() if spec == "demo" else demo_multilingual_model_dir()
        return ModelSpec(spec, f"local-dir:{folder}", None, folder)
    if spec.startswith("local-dir:"):
        folder = Path(spec[len("local-dir:") :]).expanduser().resolve()
        return ModelSpec(spec, f"local-dir:{folder}", None, folder)
    if spec.startswith("hf-hub:"):
        if not spec[len("hf-hub:") :].strip("/"):
            raise InvalidModelSpecError(_("'{spec}' names no repository. ").format(spec=spec)
                                        + _(_SPEC_HELP))
        return ModelSpec(spec, spec, None, None)
    if "/" in spec:
        name, _slash, tag = spec.partition("/")
        if not name or not tag:
            raise InvalidModelSpecError(_("'{spec}' is not NAME/PRETRAINED. ").format(spec=spec)
                                        + _(_SPEC_HELP))
        return ModelSpec(spec, name, tag, None)
    raise InvalidModelSpecError(_("'{spec}' is not a model spec PhotoSearch knows. ").format(
                                    spec=spec) + _(_SPEC_HELP))


_SPEC_HELP = N_(
    "Use an open_clip NAME/PRETRAINED pair (e.g. ViT-B-32/laion2b_s34b_b79k; "
    "`python -c \"import open_clip; print(open_clip.list_pretrained())\"` lists them), "
    "hf-hub:ORG/REPO, local-dir:/path/to/model-folder, or demo (demo-multilingual) for the "
    "bundled tiny model."
)


def choose_device(requested: str = "auto") -> str:
    """CUDA, then MPS, then CPU for ``auto``; a requested device is checked to exist."""
    import torch

    requested = (requested or "auto").lower()
    if requested in ("gpu",):
        requested = "cuda" if torch.cuda.is_available() else "mps"
    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if requested == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailableError(
            _("No CUDA GPU is available to PyTorch on this computer. Use --device cpu (or "
              "auto), or install a CUDA build of PyTorch and the GPU driver."),
            reason=ModelUnavailableError.DEVICE,
        )
    if requested == "mps" and not (
        getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()
    ):
        raise ModelUnavailableError(
            _("Apple's MPS GPU is not available here. Use --device cpu."),
            reason=ModelUnavailableError.DEVICE,
        )
    if requested not in ("cpu", "cuda", "mps") and not requested.startswith("cuda:"):
        raise ModelUnavailableError(
            _("Unknown device '{requested}'. Use auto, cpu, cuda or mps.").format(
                requested=requested),
            reason=ModelUnavailableError.DEVICE,
        )
    return requested


def auto_precision(device: str, bf16_pays: bool = True) -> str:
    """The precision to try first on ``device`` (kept only if it passes the caller's check
    against fp32): fp16 on GPUs, bf16 on CPUs that compute it natively (when the model is big
    enough for it to pay, ``bf16_pays``), fp32 elsewhere."""
    if device.startswith("cuda") or device == "mps":
        return "fp16"
    if device == "cpu" and bf16_pays and cpu_has_native_bf16():
        return "bf16"
    return "fp32"


def torch_dtype(precision: str) -> Any:
    """The torch dtype of "fp32", "bf16" or "fp16"."""
    import torch

    return {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[precision]


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bf16 natively (AVX512-BF16 or AMX); elsewhere bf16 is slow."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported()) and _cpu_flag("avx512_bf16")
    except Exception:
        return False


def _cpu_flag(flag: str) -> bool:
    try:
        with open("/proc/cpuinfo") as fh:
            return any(flag in line.split() for line in fh if line.startswith("flags"))
    except OSError:
        # No /proc (macOS, Windows): trust oneDNN's own answer.
        return True


class ClipEncoder:
    """An open_clip dual encoder on one device, loaded on first use, safe to share across threads.

    ``encode_images`` and ``encode_texts`` return L2-normalised float32 numpy arrays.
    """

    runtime = "torch"  # the ONNX Runtime encoder (engine.models.runtime) says "onnx"
    fidelity: dict[str, Any] = {}  # the ONNX path's check against fp32; none here

    def __init__(self, spec: ModelSpec, device: str = "auto", precision: str = "auto",
                 language: Callable[[], str | None] | None = None) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}")
        self.spec = spec
        # The query language the user fixed (None: detect each text's); only NLLB asks.
        self.language: Callable[[], str | None] = language or (lambda: None)
        self._tokenize_lock = threading.Lock()
        self.requested_device = device
        self.requested_precision = precision
        self.device = "cpu"
        self.precision = "fp32"
        self._model: Any = None
        self._transform: Any = None
        self._tokenizer: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self.image_size: int = 224
        self.dim: int = 0
        self.load_seconds: float = 0.0

    # -- loading ------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the weights are in memory."""
        return self._model is not None

    @property
    def description(self) -> str:
        """E.g. ``demo on cpu (bf16)``."""
        return f"{self.spec.raw} on {self.device} ({self.precision})"

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None) -> ClipEncoder:
        """Import torch, load weights and choose precision; idempotent.

        With ``on_progress``, missing Hub weights are downloaded first with byte progress
        (:mod:`engine.models.download`), and whatever the callback raises (``Cancelled``) stops
        the download; without it open_clip fetches them itself, as the CLI shows.
        """
        with self._load_lock:
            if self._model is None:
                start = time.perf_counter()
                self._load(on_progress)
                self.load_seconds = time.perf_counter() - start
                log.info("loaded %s in %.1f s", self.description, self.load_seconds)
        return self

    def _load(self, on_progress: Callable[[ModelProgress], None] | None) -> None:
        import open_clip
        import torch

        self.device = choose_device(self.requested_device)
        spec = self.spec
        if spec.local_dir is not None:
            check_local_dir(spec)
        _require_transformers(spec)
        online = False
        try:
            with hub_access() as online:
                if online and on_progress is not None:
                    download_model_files(spec, on_progress)
                if on_progress is not None:
                    on_progress(ModelProgress("load", spec.raw))
                model, _train, transform = open_clip.create_model_and_transforms(
                    spec.open_clip_name, pretrained=spec.pretrained, device="cpu",
                    **open_clip_overrides(spec),
                )
                tokenizer = open_clip.get_tokenizer(spec.open_clip_name)
        except Cancelled:
            raise
        except Exception as exc:
            raise _unavailable(spec, exc, online) from exc
        model.eval()
        self._transform = transform
        self._tokenizer = tokenizer
        size = getattr(model.visual, "image_size", 224)
        self.image_size = int(size[0] if isinstance(size, (tuple, list)) else size)
        if self.device == "cpu":
            # The caller's thread count; indexing sets its own split between decode and model.
            torch.set_num_threads(max(1, torch.get_num_threads()))
        self._model = model.to(self.device)
        with torch.inference_mode():
            probe = self._model.encode_text(self._tokenizer(["a photo"]).to(self.device))
        self.dim = int(probe.shape[-1])
        self._choose_precision()

    def _choose_precision(self) -> None:
        import torch

        wanted = self.requested_precision
        if wanted == "auto":
            wanted = auto_precision(self.device)
        if wanted == "fp32":
            self.precision = "fp32"
            return
        dtype = torch_dtype(wanted)
        images, texts = _calibration_inputs(self.image_size)
        reference_img = self._encode_image_batch(torch.stack([self._transform(i) for i in images]))
        reference_txt = self._encode_text_batch(texts)
        fp32_state = {k: v.detach().clone() for k, v in self._model.state_dict().items()}
        self._model.to(dtype)
        self.precision = wanted
        low_img = self._encode_image_batch(torch.stack([self._transform(i) for i in images]))
        low_txt = self._encode_text_batch(texts)
        cos = min(
            float((reference_img * low_img).sum(1).min()),
            float((reference_txt * low_txt).sum(1).min()),
        )
        if cos < MIN_LOW_PRECISION_COSINE and self.requested_precision == "auto":
            log.warning("%s drifts from fp32 (cosine %.5f); using fp32", wanted, cos)
            self._model.to(torch.float32)
            self._model.load_state_dict(fp32_state)
            self.precision = "fp32"
        else:
            log.info("%s keeps embeddings within cosine %.5f of fp32", wanted, cos)
        self.calibration_cosine = cos

    # -- embedding ----------------------------------------------------------------------------

    def preprocess(self, image: Image.Image) -> Any:
        """open_clip's own inference transform (resize, centre crop, normalise) as a tensor."""
        self.load()
        return self._transform(image)

    def encode_images(self, images: list[Image.Image]) -> np.ndarray:
        """Embed PIL images (any size; RGB) -> (n, dim) float32, L2-normalised."""
        self.load()
        if not images:
            return np.zeros((0, self.dim), np.float32)
        import torch

        batch = torch.stack([self._transform(i) for i in images])
        return self.encode_pixel_batch(batch)

    def encode_pixel_batch(self, pixels: Any) -> np.ndarray:
        """Embed an already preprocessed (n, 3, H, W) tensor."""
        self.load()
        return self._encode_image_batch(pixels)

    def _model_dtype(self) -> Any:
        return torch_dtype(self.precision)

    def _encode_image_batch(self, pixels: Any) -> np.ndarray:
        import torch

        with self._run_lock, torch.inference_mode():
            x = pixels.to(self.device, self._model_dtype())
            feats = self._model.encode_image(x).float()
            feats = torch.nn.functional.normalize(feats, dim=-1)
            return feats.cpu().numpy().astype(np.float32, copy=False)

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Embed strings -> (n, dim) float32, L2-normalised."""
        self.load()
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return self._encode_text_batch(texts)

    @property
    def wants_language(self) -> bool:
        """Whether the tokenizer is told the text's language (NLLB); loads the model."""
        self.load()
        return callable(getattr(self._tokenizer, "set_lang_fn", None))

    def text_languages(self, texts: list[str]) -> list[str]:
        """The language code the tokenizer is given for each text (NLLB's, e.g. ``zho_Hans``):
        the user's fixed language, else each text's detected one."""
        from engine.models.language import default_language, detect_language, nllb_code

        fixed = self.language()
        fallback = default_language()
        return [nllb_code(fixed or detect_language(t, fallback)) for t in texts]

    def _tokenize(self, texts: list[str]) -> Any:
        """Token ids for ``texts``; an NLLB tokenizer is set to each text's language (texts of
        one language are tokenized together; the setting is the tokenizer's state, hence the
        lock)."""
        if not callable(getattr(self._tokenizer, "set_lang_fn", None)):
            return self._tokenizer(texts)
        import torch

        codes = self.text_languages(texts)
        rows: list[Any] = [None] * len(texts)
        with self._tokenize_lock:
            for code in dict.fromkeys(codes):
                where = [i for i, c in enumerate(codes) if c == code]
                inner = getattr(self._tokenizer, "tokenizer", None)
                if inner is not None and hasattr(inner, "src_lang"):
                    # transformers 5 re-applies ``src_lang`` on every call, undoing open_clip's
                    # set_language (set_src_lang_special_tokens); the property holds in 4 and 5.
                    inner.src_lang = code
                else:
                    self._tokenizer.set_language(code)
                ids = self._tokenizer([texts[i] for i in where])
                for row, i in zip(ids, where, strict=True):
                    rows[i] = row
        return torch.stack(rows)

    def _encode_text_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        tokens = self._tokenize(texts).to(self.device)
        with self._run_lock, torch.inference_mode():
            feats = _encode_text_fast(self._model, tokens).float()
            feats = torch.nn.functional.normalize(feats, dim=-1)
            return feats.cpu().numpy().astype(np.float32, copy=False)

    def tokenize(self, texts: list[str]) -> Any:
        """The model's own tokenizer output (for tests and evaluation)."""
        self.load()
        return self._tokenize(texts)

    @property
    def model(self) -> Any:
        """The underlying open_clip model (loaded)."""
        self.load()
        return self._model


def _encode_text_fast(model: Any, tokens: Any) -> Any:
    """open_clip's ``encode_text``, cut to the longest real token sequence in the batch.

    (Right-padded batches: HFTokenizer and CLIP's tokenizer both pad at the end.)

    CLIP's text tower is causal and pools at the end-of-text token, so padding after it cannot
    change the result: running only the first L positions gives identical features for a
    fraction of the cost (a 10-token query skips 67 of 77 positions).
    """
    import open_clip
    import torch

    text = getattr(model, "text", None)
    pad_id = getattr(getattr(text, "config", None), "pad_token_id", None)
    if isinstance(model, open_clip.CustomTextCLIP) and isinstance(pad_id, int) and (
            type(text).__name__ == "HFTextEncoder"):
        # A Hugging Face text tower masks padding out of attention and pooling (and RoBERTa
        # numbers positions from the real tokens), so trailing padding cannot change it either.
        length = int((tokens != pad_id).sum(1).max())
        return model.encode_text(tokens[:, :max(1, length)])
    if (
        not isinstance(model, open_clip.CLIP)
        or getattr(model, "attn_mask", None) is None
        or getattr(model, "text_pool_type", "argmax") != "argmax"
    ):
        return model.encode_text(tokens)
    length = int((tokens != 0).sum(1).max())
    length = max(1, min(length, tokens.shape[1]))
    tokens = tokens[:, :length]
    cast_dtype = model.transformer.get_cast_dtype()
    x = model.token_embedding(tokens).to(cast_dtype)
    x = x + model.positional_embedding[:length].to(cast_dtype)
    x = model.transformer(x, attn_mask=model.attn_mask[:length, :length])
    x = model.ln_final(x)
    x = x[torch.arange(x.shape[0], device=x.device), tokens.argmax(dim=-1)]
    if model.text_projection is not None:
        if isinstance(model.text_projection, torch.nn.Linear):
            x = model.text_projection(x)
        else:
            x = x @ model.text_projection
    return x


def _calibration_inputs(size: int) -> tuple[list[Image.Image], list[str]]:
    """A small fixed set of varied images and texts to compare precisions on."""
    from PIL import Image

    rng = np.random.default_rng(0)
    images = []
    for i in range(4):
        base = rng.integers(0, 255, (8, 8, 3), dtype=np.uint8)
        img = Image.fromarray(base).resize((size, size), Image.Resampling.BICUBIC)
        if i % 2:
            noise = rng.integers(0, 40, (size, size, 3), dtype=np.uint8)
            img = Image.fromarray(np.clip(np.asarray(img) + noise, 0, 255).astype(np.uint8))
        images.append(img)
    texts = ["a photo of a dog on a beach", "two red circles on the left on grass",
             "a birthday cake with candles", "snowy mountains at sunset"]
    return images, texts


def check_local_dir(spec: ModelSpec) -> None:
    """Raise ModelUnavailableError (reason FOLDER) unless ``spec``'s folder holds a config
    and a weights file."""
    folder = spec.local_dir
    assert folder is not None
    if not folder.is_dir():
        hint = (
            _("The bundled demo model is missing from this installation; reinstall PhotoSearch.")
            if is_demo_model(spec.raw)
            else _("Choose the folder that holds open_clip_config.json and the weights file.")
        )
        raise ModelUnavailableError(
            _("The model folder {folder} does not exist.").format(folder=folder) + " " + hint,
            reason=ModelUnavailableError.FOLDER
        )
    if not (folder / "open_clip_config.json").is_file():
        raise ModelUnavailableError(
            _("The model folder {folder} has no open_clip_config.json. A local-dir model "
              "needs open_clip_config.json (with model_cfg and preprocess_cfg) next to its "
              "weights.").format(folder=folder),
            reason=ModelUnavailableError.FOLDER,
        )
    if not any(any(folder.glob(pat)) for pat in ("*.safetensors", "*.bin", "*.pth")):
        raise ModelUnavailableError(
            _("The model folder {folder} has no weights: put open_clip_model.safetensors "
              "(or open_clip_pytorch_model.bin) next to open_clip_config.json.").format(
                folder=folder),
            reason=ModelUnavailableError.FOLDER,
        )


def open_clip_overrides(spec: ModelSpec) -> dict[str, Any]:
    """Keyword arguments for ``open_clip.create_model`` that a model folder needs.

    A folder whose Hugging Face text tower ships inside it names it with a path relative to the
    folder (``"hf_model_name": "."``, as ``demo-multilingual`` does); open_clip would read that
    relative to the working directory, so the text config is handed over with the path made
    absolute (and no pretrained text weights: the folder's own weights load next).
    """

    folder = spec.local_dir
    if folder is None:
        return {}
    try:
        cfg = json.loads((folder / "open_clip_config.json").read_text(encoding="utf-8"))
        text_cfg = dict(cfg["model_cfg"]["text_cfg"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # check_local_dir / open_clip report a broken folder themselves
    name = text_cfg.get("hf_model_name")
    if not name or Path(name).is_absolute() or not (folder / name / "config.json").is_file():
        return {}
    text_cfg["hf_model_name"] = str((folder / name).resolve())
    text_cfg["hf_model_pretrained"] = False
    return {"text_cfg": text_cfg}


def hub_repo_for(spec: ModelSpec) -> str | None:
    """The Hugging Face repo that holds a pretrained tag's weights, if open_clip knows it."""
    if spec.local_dir is not None:
        return None
    if spec.open_clip_name.startswith("hf-hub:"):
        return spec.open_clip_name[len("hf-hub:") :]
    try:
        import open_clip

        cfg = open_clip.get_pretrained_cfg(spec.open_clip_name, spec.pretrained or "")
    except Exception:
        return None
    hub = cfg.get("hf_hub") if cfg else None
    return hub.rstrip("/") if hub else None


def _require_transformers(spec: ModelSpec) -> None:
    """A Hugging Face text tower (the multilingual models) needs transformers: say so plainly
    rather than as a failed download."""
    import importlib.util

    from engine.models.download import model_config, text_tower_repos

    try:
        repos = text_tower_repos(model_config(spec))
    except Exception:
        return
    if any(repos) and importlib.util.find_spec("transformers") is None:
        raise ModelUnavailableError(
            _("The model '{model}' has a Hugging Face text tower ({repo}), which needs "
              "the transformers package: `pip install transformers` (it comes with "
              "PhotoSearch's rerank extra), then try again.").format(
                model=spec.raw, repo=repos[0] or repos[1]),
            reason=ModelUnavailableError.LOAD_FAILED)


def _unavailable(spec: ModelSpec, exc: Exception, online: bool) -> ModelUnavailableError:
    """Explain a failed model load with the exact next step (``online``: the Hub was
    reachable)."""
    if spec.local_dir is not None:
        return ModelUnavailableError(
            _("Could not load the model in {local_dir}: {exc}. Check that "
              "open_clip_config.json matches the weights file.").format(
                local_dir=spec.local_dir, exc=exc),
            details=repr(exc),
            reason=ModelUnavailableError.FOLDER,
        )
    if spec.pretrained:
        try:
            import open_clip

            known = spec.pretrained in open_clip.list_pretrained_tags_by_model(spec.open_clip_name)
        except Exception:
            known = False
        if not known:
            return ModelUnavailableError(
                _("open_clip has no pretrained weights '{pretrained}' for "
                  "'{open_clip_name}'. ").format(
                    pretrained=spec.pretrained, open_clip_name=spec.open_clip_name) + _(_SPEC_HELP),
                details=repr(exc),
                reason=ModelUnavailableError.UNKNOWN_MODEL,
            )
    from engine.models.download import model_config, text_tower_repos
    from engine.models.hub import current_endpoint, endpoint_advice

    repo = hub_repo_for(spec)
    endpoint = current_endpoint()
    cache = os.environ.get("HF_HOME") or str(Path.home() / ".cache" / "huggingface")
    where = f"{endpoint}/{repo}" if repo else _("the Hugging Face Hub")
    try:
        text_repos = [r for r in dict.fromkeys(text_tower_repos(model_config(spec))) if r]
    except Exception:
        text_repos = []
    reason = ModelUnavailableError.DOWNLOAD_FAILED if online else ModelUnavailableError.OFFLINE
    # Whole sentences, each translated as one (engine.i18n).
    if online:
        problem = _("The model '{model}' is not on this computer and could not be downloaded "
                    "from {endpoint}.").format(model=spec.raw, endpoint=endpoint)
    else:
        problem = _("The model '{model}' is not on this computer and could not be downloaded "
                    "(no internet connection?).").format(model=spec.raw)
    if text_repos:
        # A Hugging Face text tower also needs its config and tokenizer from another
        # repository, which a local-dir folder cannot stand in for: the download is the way.
        advice = _("Connect to the internet and run `photosearch --model {model} index` once "
                   "to fetch its weights from {where} and its tokenizer from {tokenizers} into "
                   "the Hugging Face cache ({cache}); or try --model demo for the bundled tiny "
                   "demo model (demo-multilingual for one that reads Chinese, Spanish and "
                   "Japanese too).").format(
            model=spec.raw, where=where, cache=cache,
            tokenizers=_(" and ").join(f"{endpoint}/{r}" for r in text_repos))
    else:
        advice = _("Connect to the internet and run `photosearch --model {model} index` once "
                   "to fetch it into the Hugging Face cache ({cache}); or download "
                   "open_clip_config.json and the weights from {where} into a folder and pass "
                   "--model local-dir:/that/folder; or try --model demo for the bundled tiny "
                   "demo model (demo-multilingual for one that reads Chinese, Spanish and "
                   "Japanese too).").format(model=spec.raw, where=where, cache=cache)
    return ModelUnavailableError(
        f"{problem} {advice} {endpoint_advice()}",
        details=repr(exc),
        reason=reason,
        endpoint=endpoint,
    )
