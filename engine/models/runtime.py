"""Which runtime embeds: PyTorch (open_clip) or ONNX Runtime, and the ONNX path's encoder.

``runtime`` (the ``runtime`` setting, ``$PHOTOSEARCH_RUNTIME``) is ``auto``, ``torch`` or ``onnx``:

* ``auto`` (default): ONNX Runtime on the CPU, PyTorch on a CUDA or MPS GPU. Deciding imports
  no torch unless this computer may have a GPU (an NVIDIA driver, an Apple silicon Mac): then
  torch is asked, as it will run the model anyway. If the model cannot take the ONNX path (no
  onnxruntime, a tokenizer other than CLIP's BPE such as the multilingual models' Hugging Face
  text towers, an export that fails the fidelity check),
  ``auto`` falls back to PyTorch and says why in the log;
* ``torch``: open_clip on the chosen device, as before (training, the reference);
* ``onnx``: ONNX Runtime on the CPU, or a ModelUnavailableError saying why not.

A model folder that already holds ONNX towers (Immich's layout or our export) loads with no torch
at all. Any other model is exported once, on first use, with open_clip + torch
(:func:`engine.models.export.export_clip`) into ``<user cache>/PhotoSearch/onnx/<model>-<hash>``
(``$PHOTOSEARCH_ONNX_CACHE`` overrides the root), checked against open_clip fp32 there, and
loaded from there afterwards without torch.

Vectors: the ONNX encoder reports the same ``spec.model_id`` as the torch encoder, because the
export is only used when every tower it uses keeps a minimum cosine >= 0.999 to open_clip's own
fp32 embedding over the calibration inputs (fp32 towers: ~1 - 1e-7; int8 towers: >= 0.9995),
the same rule the torch path already applies to bf16/fp16. A library indexed on torch therefore
keeps its vectors; an export that does not prove this is never used.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import platform
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import ModelUnavailableError
from engine.i18n import _
from engine.records import ModelProgress

if TYPE_CHECKING:
    from PIL import Image

    from engine.models.clip import ClipEncoder, ModelSpec
    from engine.models.onnx_clip import OnnxClipEncoder

log = logging.getLogger(__name__)

RUNTIMES = ("auto", "torch", "onnx")


def resolve_runtime(setting: str | None) -> str:
    """``$PHOTOSEARCH_RUNTIME``, then the stored setting, then ``auto``."""
    value = (os.environ.get("PHOTOSEARCH_RUNTIME") or setting or "auto").strip().lower()
    if value not in RUNTIMES:
        raise ModelUnavailableError(
            _("Unknown runtime '{value}'. Use auto, torch or onnx (PHOTOSEARCH_RUNTIME or "
              "the runtime setting).").format(value=value),
            reason=ModelUnavailableError.DEVICE,
        )
    return value


def onnx_cache_root() -> Path:
    """Where exports go: ``$PHOTOSEARCH_ONNX_CACHE`` or ``<user cache>/PhotoSearch/onnx``."""
    env = os.environ.get("PHOTOSEARCH_ONNX_CACHE")
    if env:
        return Path(env).expanduser()
    from engine.store.paths import cache_dir

    return cache_dir() / "onnx"


def bundled_onnx_root() -> Path:
    """Exports shipped with the installation, read-only: ``resources/onnx/`` (the lean edition
    carries the demo model's export there, made at build time; see packaging/README.md)."""
    from engine.store.paths import resources_dir

    return resources_dir() / "onnx"


def torch_available() -> bool:
    """Whether PyTorch and open_clip can be imported (no import): False in the lean edition."""
    return (importlib.util.find_spec("torch") is not None
            and importlib.util.find_spec("open_clip") is not None)


def edition() -> str:
    """``full`` where PyTorch and open_clip are installed (GPUs, exporting models, reranking),
    ``lean`` where only ONNX Runtime runs models (the small bundle)."""
    return "full" if torch_available() else "lean"


def onnx_folder_for(spec: ModelSpec) -> Path:
    """The ONNX towers of ``spec``: the model folder itself if it holds them, else a finished
    export shipped with the installation, else the export in the user cache."""
    from engine.models.export import export_folder_for, is_current_export
    from engine.models.onnx_clip import is_onnx_clip_folder

    if spec.local_dir is not None and is_onnx_clip_folder(spec.local_dir):
        return spec.local_dir
    name = export_folder_for(spec.model_id, Path()).name
    bundled = bundled_onnx_root() / name
    if is_current_export(bundled, spec.model_id) and is_onnx_clip_folder(bundled):
        return bundled
    return onnx_cache_root() / name


def _maybe_gpu() -> bool:
    """Whether this computer may have a GPU torch can use (no torch import)."""
    if os.path.exists("/proc/driver/nvidia/version"):
        return True
    if sys.platform == "win32" and os.path.exists(
        os.path.join(os.environ.get("SYSTEMROOT", r"C:\Windows"), "System32", "nvcuda.dll")
    ):
        return True
    return sys.platform == "darwin" and platform.machine() == "arm64"


def planned_runtime(runtime: str, device: str) -> str:
    """``torch`` or ``onnx`` for a runtime request and a device request (may import torch only
    where a GPU may exist, see :func:`_maybe_gpu`)."""
    if runtime == "torch" and not torch_available():
        raise ModelUnavailableError(
            _("This PhotoSearch is the lean edition: it runs models on ONNX Runtime and "
              "has no PyTorch. Unset PHOTOSEARCH_RUNTIME (or set the runtime to auto or "
              "onnx), or install the full edition for PyTorch."),
            reason=ModelUnavailableError.DEVICE)
    if runtime in ("torch", "onnx"):
        return runtime
    device = (device or "auto").lower()
    if not torch_available():
        if device not in ("auto", "cpu"):
            raise ModelUnavailableError(
                _("The device '{device}' needs PyTorch, which the lean edition of "
                  "PhotoSearch leaves out (it runs on the CPU with ONNX Runtime). Use "
                  "--device cpu (or auto), or install the full edition for GPUs.").format(
                    device=device), reason=ModelUnavailableError.DEVICE)
        return "onnx"
    if device != "cpu" and (device != "auto" or _maybe_gpu()):
        from engine.models.clip import choose_device

        try:
            if choose_device(device) != "cpu":
                return "torch"
        except ModelUnavailableError:
            return "torch"  # the torch encoder reports the device problem itself
    if importlib.util.find_spec("onnxruntime") is None:
        return "torch"
    return "onnx"


def build_encoder(spec: ModelSpec, device: str, runtime: str,
                  language: Callable[[], str | None] | None = None) -> ClipEncoder | OnnxEncoder:
    """The encoder for ``spec`` on the runtime ``runtime``/``device`` ask for (not loaded);
    ``language``: the query language the user fixed, for models that want one (NLLB)."""
    from engine.models.clip import ClipEncoder

    if planned_runtime(runtime, device) == "torch":
        return ClipEncoder(spec, device, language=language)
    return OnnxEncoder(spec, device, fallback=runtime == "auto", language=language)


def fidelity_summary(manifest: dict[str, Any] | None) -> dict[str, Any]:
    """Per tower: the precision in use and its minimum / mean cosine to open_clip fp32."""
    if not manifest:
        return {}
    out: dict[str, Any] = {}
    for tower, name in (("visual", "image"), ("textual", "text")):
        info = manifest.get(tower) or {}
        chosen = info.get("chosen")
        for cand in info.get("candidates") or []:
            if cand.get("precision") == chosen:
                out[name] = {"precision": chosen, "min_cosine": cand.get("min_cosine"),
                             "mean_cosine": cand.get("mean_cosine")}
    calib = manifest.get("calibration") or {}
    out["calibration"] = {"images": calib.get("images"), "texts": calib.get("texts")}
    return out


class OnnxEncoder:
    """The :class:`~engine.models.clip.ClipEncoder` interface on ONNX Runtime (CPU).

    ``load`` finds the ONNX towers (exporting them first if needed, which imports torch once),
    but creates no session: each tower's session starts on its first use, so a text search
    loads only the text tower. With ``fallback`` (runtime ``auto``), a model the ONNX path
    cannot serve is run by a torch :class:`ClipEncoder` instead.
    """

    runtime = "onnx"

    def __init__(self, spec: ModelSpec, device: str = "auto", *, fallback: bool = False,
                 language: Callable[[], str | None] | None = None) -> None:
        self.spec = spec
        self._language = language
        self.requested_device = device
        self.fallback = fallback
        self.device = "cpu"
        self.folder: Path | None = None
        self.manifest: dict[str, Any] = {}
        self.load_seconds = 0.0
        self.dim = 0
        self.image_size = 224
        self._onnx: OnnxClipEncoder | None = None
        self._torch: ClipEncoder | None = None
        self._load_lock = threading.Lock()

    # -- loading ------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the towers are found (or the torch fallback is loaded)."""
        if self._torch is not None:
            return self._torch.loaded
        return self._onnx is not None

    @property
    def precision(self) -> str:
        """E.g. ``image int8_u8u8, text fp32``."""
        if self._torch is not None:
            return self._torch.precision
        if self._onnx is None:
            return "fp32"
        return (f"image {self._onnx.precision('visual')}, "
                f"text {self._onnx.precision('textual')}")

    @property
    def description(self) -> str:
        """E.g. ``demo on cpu (onnx: image int8_u8u8, text fp32)``."""
        if self._torch is not None:
            return self._torch.description
        return f"{self.spec.raw} on cpu (onnx: {self.precision})"

    @property
    def language(self) -> Callable[[], str | None] | None:
        """The user's query language (see :class:`ClipEncoder`); the torch fallback's too."""
        return self._language

    @language.setter
    def language(self, value: Callable[[], str | None] | None) -> None:
        self._language = value
        if self._torch is not None and value is not None:
            self._torch.language = value

    @property
    def fidelity(self) -> dict[str, Any]:
        """The export's check against open_clip fp32 (empty for a folder without manifest)."""
        return fidelity_summary(self.manifest)

    @property
    def logit_scale(self) -> float | None:
        """The model's learned temperature, if the export recorded it."""
        value = self.manifest.get("logit_scale")
        return float(value) if value else None

    def load(self, on_progress: Callable[[ModelProgress], None] | None = None) -> Any:
        """Find or export the ONNX towers; idempotent."""
        with self._load_lock:
            if self._torch is not None:
                self._torch.load(on_progress)
                return self
            if self._onnx is None:
                start = time.perf_counter()
                try:
                    self._load(on_progress)
                except ModelUnavailableError as exc:
                    if not self.fallback or exc.reason == ModelUnavailableError.FOLDER:
                        raise
                    self._fall_back(exc, on_progress)
                self.load_seconds = time.perf_counter() - start
        return self

    def _fall_back(self, exc: Exception,
                   on_progress: Callable[[ModelProgress], None] | None) -> None:
        from engine.models.clip import ClipEncoder

        if not torch_available():
            raise exc  # the lean edition: nothing to fall back on; the message says why
        reason = str(getattr(exc, "user_message", None) or exc)
        prefix = f"{self.spec.raw} cannot take the ONNX path"
        log.warning("%s; using PyTorch", reason if reason.startswith(prefix)
                    else f"{prefix} ({reason})")
        self._torch = ClipEncoder(self.spec, self.requested_device,
                                  language=self._language).load(on_progress)
        self.runtime = "torch"
        self.device = self._torch.device
        self.dim = self._torch.dim
        self.image_size = self._torch.image_size

    def _load(self, on_progress: Callable[[ModelProgress], None] | None) -> None:
        from engine.models.export import is_current_export, read_manifest
        from engine.models.onnx_clip import OnnxClipEncoder, is_onnx_clip_folder

        if importlib.util.find_spec("onnxruntime") is None:
            raise ModelUnavailableError(
                _("ONNX Runtime is not installed: `pip install onnxruntime`, or set "
                  "PHOTOSEARCH_RUNTIME=torch."), reason=ModelUnavailableError.LOAD_FAILED)
        folder = onnx_folder_for(self.spec)
        own_folder = self.spec.local_dir is not None and folder == self.spec.local_dir
        if not own_folder and not (is_current_export(folder, self.spec.model_id)
                                   and is_onnx_clip_folder(folder)):
            self._refuse_hf_text_tower()
            self._export(folder, on_progress)
        if on_progress is not None:
            on_progress(ModelProgress("load", self.spec.raw))
        self.manifest = read_manifest(folder) or {}
        self._onnx = OnnxClipEncoder(folder, threads=_threads())
        self.folder = folder
        self.image_size = self._onnx.image_size
        self.dim = self._onnx.dim or self._probe_dim()
        log.info("ONNX towers for %s in %s", self.spec.raw, folder)

    def _refuse_hf_text_tower(self) -> None:
        """A model whose text tower is a Hugging Face model (XLM-RoBERTa, NLLB) has a tokenizer
        the ONNX path does not implement (export_clip refuses it): say so before loading the
        weights only to learn that (known once the config is here; built-in names at once)."""
        from engine.models.download import model_config, text_tower_repos

        try:
            repos = text_tower_repos(model_config(self.spec))
        except Exception:
            return
        if any(repos):
            repo = repos[0] or repos[1]
            # A tower shipped inside the model's folder is named by a relative path (".").
            tower = (f"the Hugging Face model {repo}" if repo and not repo.startswith(".")
                     else "a Hugging Face model shipped with it")
            raise ModelUnavailableError(
                _("{spec} cannot take the ONNX path: its text tower is {tower}, whose "
                  "tokenizer the ONNX path does not implement (it runs CLIP's BPE "
                  "tokenizer only). Use PHOTOSEARCH_RUNTIME=torch.").format(
                    spec=self.spec.raw, tower=tower),
                reason=ModelUnavailableError.LOAD_FAILED)

    def _probe_dim(self) -> int:
        assert self._onnx is not None
        return int(self._onnx.encode_texts(["a photo"]).shape[-1])

    def _export(self, folder: Path, on_progress: Callable[[ModelProgress], None] | None) -> None:
        """Export with open_clip + torch (once per model); failures become user errors."""
        from engine.models.clip import check_local_dir

        if not torch_available():
            raise ModelUnavailableError(
                _("{spec} has no ONNX export yet, and exporting needs PyTorch and "
                  "open_clip, which this lean edition of PhotoSearch leaves out. Use a "
                  "model folder that holds visual/model.onnx and textual/model.onnx, such "
                  "as one of Immich's published CLIP models (--model "
                  "local-dir:/path/to/folder), the bundled demo model (--model demo), or "
                  "the full edition, which exports any model once.").format(spec=self.spec.raw),
                reason=ModelUnavailableError.LOAD_FAILED)
        if self.spec.local_dir is not None:
            check_local_dir(self.spec)
        else:
            # Fetch the weights the way the torch path does (progress, offline errors).
            from engine.models.clip import ClipEncoder

            ClipEncoder(self.spec, "cpu", "fp32").load(on_progress)
        if on_progress is not None:
            on_progress(ModelProgress("export", self.spec.raw))
        from engine.models.export import ExportUnsupportedError, export_clip

        log.info("exporting %s to ONNX in %s (once)", self.spec.raw, folder)
        try:
            export_clip(self.spec.open_clip_name, folder, pretrained=self.spec.pretrained,
                        model_id=self.spec.model_id)
        except ExportUnsupportedError as exc:
            raise ModelUnavailableError(
                _("{spec} cannot take the ONNX path: {exc}. Use PHOTOSEARCH_RUNTIME=torch.").format(
                    spec=self.spec.raw, exc=exc), reason=ModelUnavailableError.LOAD_FAILED) from exc
        except Exception as exc:
            raise ModelUnavailableError(
                _("Exporting {spec} to ONNX failed: {exc}. Use PHOTOSEARCH_RUNTIME=torch.").format(
                    spec=self.spec.raw, exc=exc),
                details=repr(exc), reason=ModelUnavailableError.LOAD_FAILED) from exc

    # -- embedding ----------------------------------------------------------------------------

    def _impl(self) -> Any:
        self.load()
        return self._torch if self._torch is not None else self._onnx

    def preprocess(self, image: Image.Image) -> Any:
        """open_clip's inference transform: a ``(3, S, S)`` float32 array (torch: a tensor)."""
        return self._impl().preprocess(image)

    def encode_images(self, images: list[Image.Image]) -> np.ndarray:
        """Embed PIL images -> (n, dim) float32, L2-normalised."""
        return np.asarray(self._impl().encode_images(images), np.float32)

    def encode_pixel_batch(self, pixels: Any) -> np.ndarray:
        """Embed preprocessed (n, 3, S, S) pixels (numpy or a torch tensor)."""
        impl = self._impl()
        if self._torch is None and not isinstance(pixels, np.ndarray):
            pixels = pixels.numpy()
        return np.asarray(impl.encode_pixel_batch(pixels), np.float32)

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Embed strings -> (n, dim) float32, L2-normalised."""
        return np.asarray(self._impl().encode_texts(list(texts)), np.float32)

    @property
    def model(self) -> Any:
        """The torch model (only on the torch fallback; the ONNX path has none)."""
        impl = self._impl()
        if self._torch is None:
            raise AttributeError("the ONNX encoder has no torch model")
        return impl.model

    def loaded_towers(self) -> tuple[str, ...]:
        """The ONNX towers whose sessions exist."""
        return self._onnx.loaded_towers() if self._onnx is not None else ()


def _threads() -> int:
    """Intra-op threads: ``$PHOTOSEARCH_ONNX_THREADS`` or the cores (at most 8)."""
    env = os.environ.get("PHOTOSEARCH_ONNX_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(8, os.cpu_count() or 1))
