"""A CLIP dual encoder on ONNX Runtime: no torch, no open_clip, no transformers.

Loads a folder in the layout of Immich's published model repositories (our own exports use the
same layout, see :mod:`engine.models.export`)::

    config.json                 open_clip model config; text_cfg.context_length (default 77)
    visual/model.onnx           "image" float32 (n|1, 3, S, S) -> embedding
    visual/preprocess_cfg.json  size, mean, std, interpolation, resize_mode
    textual/model.onnx          "text" int32|int64 (n|1, L|77) -> embedding
    textual/tokenizer.json      CLIP BPE (``tokenizers``), + tokenizer_config.json (pad token)
    photosearch_onnx.json       optional: our export's precisions and fidelity figures

Each tower's session is created on first use, so a text query loads only the text tower (and
``import onnxruntime``, about 0.2 s). Input shapes are read from the graph: a fixed batch of 1
(Immich's exports) runs row by row; a fixed sequence length gets padded ids; a dynamic one gets
only the batch's real tokens.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import ModelUnavailableError
from engine.i18n import _
from engine.models.preprocess import PreprocessConfig, preprocess_batch, preprocess_image
from engine.models.tokenizer import DEFAULT_CONTEXT_LENGTH, ClipTokenizer

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

REQUIRED_FILES = (
    "config.json",
    "visual/model.onnx",
    "visual/preprocess_cfg.json",
    "textual/model.onnx",
    "textual/tokenizer.json",
)


@dataclass(frozen=True)
class TowerInfo:
    """What a loaded tower's graph takes: input name and dtype, fixed batch / length or None."""

    input_name: str
    input_dtype: Any
    fixed_batch: int | None
    fixed_length: int | None  # text only
    precision: str


def is_onnx_clip_folder(folder: Path) -> bool:
    """Whether ``folder`` has every file of the layout (our exports and Immich's)."""
    folder = Path(folder)
    return all((folder / name).is_file() for name in REQUIRED_FILES)


class OnnxClipEncoder:
    """CLIP on ONNX Runtime's CPU provider, loaded lazily per tower, shareable across threads.

    ``encode_images``, ``encode_pixel_batch`` and ``encode_texts`` return L2-normalised float32
    arrays, as :class:`engine.models.clip.ClipEncoder` does.
    """

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        folder = Path(folder)
        missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
        if missing:
            raise ModelUnavailableError(
                _("The ONNX model folder {folder} is incomplete: it lacks {missing}. "
                  "Export the model again or choose a folder with visual/ and textual/ "
                  "towers.").format(folder=folder, missing=', '.join(missing)),
                reason=ModelUnavailableError.FOLDER,
            )
        self.folder = folder
        self.threads = threads or min(4, os.cpu_count() or 1)
        try:
            self.model_cfg: dict[str, Any] = _read_json(folder / "config.json")
            self.preprocess_cfg = PreprocessConfig.from_dict(
                _read_json(folder / "visual" / "preprocess_cfg.json")
            )
        except (OSError, ValueError, KeyError) as exc:
            raise ModelUnavailableError(
                _("The ONNX model folder {folder} has an unreadable configuration: {exc}").format(
                    folder=folder, exc=exc),
                reason=ModelUnavailableError.FOLDER,
            ) from exc
        manifest_path = folder / "photosearch_onnx.json"
        self.manifest: dict[str, Any] = (
            _read_json(manifest_path) if manifest_path.is_file() else {}
        )
        text_cfg = self.model_cfg.get("text_cfg") or {}
        self.context_length = int(text_cfg.get("context_length", DEFAULT_CONTEXT_LENGTH))
        clean = (text_cfg.get("tokenizer_kwargs") or {}).get("clean", "lower")
        self._clean = clean if clean in ("lower", "whitespace", "canonicalize") else "lower"
        self.image_size = self.preprocess_cfg.size
        self.dim = int(self.model_cfg.get("embed_dim", 0))
        self._sessions: dict[str, Any] = {}
        self._info: dict[str, TowerInfo] = {}
        self._tokenizer: ClipTokenizer | None = None
        self._lock = threading.Lock()
        self.load_seconds: dict[str, float] = {}

    # -- description ----------------------------------------------------------------------------

    def precision(self, tower: str) -> str:
        """``fp32``/``int8_...`` from our manifest, else read from the graph (Immich folders)."""
        recorded = (self.manifest.get(tower) or {}).get("chosen")
        if recorded:
            return str(recorded)
        return self._tower(tower).precision

    @property
    def description(self) -> str:
        """E.g. ``ViT-B-32 (onnx: image int8_dynamic_per_channel, text fp32)``."""
        name = self.manifest.get("model_id") or self.folder.name
        return (
            f"{name} (onnx: image {self.precision('visual')}, text {self.precision('textual')})"
        )

    def loaded_towers(self) -> tuple[str, ...]:
        """The towers whose sessions exist (a text query should load only ``textual``)."""
        return tuple(sorted(self._sessions))

    # -- loading ----------------------------------------------------------------------------

    def _tower(self, tower: str) -> TowerInfo:
        self._session(tower)
        return self._info[tower]

    def _session(self, tower: str) -> Any:
        session = self._sessions.get(tower)
        if session is not None:
            return session
        with self._lock:
            if tower not in self._sessions:
                start = time.perf_counter()
                path = self.folder / tower / "model.onnx"
                try:
                    session = _make_session(path, self.threads)
                except Exception as exc:
                    raise ModelUnavailableError(
                        _("ONNX Runtime could not load {path}: {exc}").format(path=path, exc=exc),
                        reason=ModelUnavailableError.LOAD_FAILED,
                    ) from exc
                self._info[tower] = _tower_info(session, tower)
                self._sessions[tower] = session
                self.load_seconds[tower] = time.perf_counter() - start
                log.info("loaded %s in %.2f s", path, self.load_seconds[tower])
        return self._sessions[tower]

    @property
    def tokenizer(self) -> ClipTokenizer:
        """The text tower's tokenizer (loaded on first use)."""
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = ClipTokenizer.from_folder(
                        self.folder / "textual", self.context_length, self._clean
                    )
        return self._tokenizer

    # -- images ---------------------------------------------------------------------------------

    def preprocess(self, image: Image.Image) -> np.ndarray:
        """open_clip's transform as ``(3, S, S)`` float32 (equal to torchvision's output)."""
        return preprocess_image(image, self.preprocess_cfg)

    def encode_images(self, images: Sequence[Image.Image]) -> np.ndarray:
        """Embed PIL images (any size) -> ``(n, dim)`` float32, L2-normalised."""
        if not images:
            return np.zeros((0, self.dim), np.float32)
        return self.encode_pixel_batch(preprocess_batch(images, self.preprocess_cfg))

    def encode_pixel_batch(self, pixels: np.ndarray) -> np.ndarray:
        """Embed preprocessed ``(n, 3, S, S)`` float32 pixels."""
        session = self._session("visual")
        info = self._info["visual"]
        pixels = np.ascontiguousarray(pixels, dtype=np.float32)
        return _unit(_run_rows(session, info, pixels))

    # -- texts ----------------------------------------------------------------------------------

    def encode_texts(self, texts: Sequence[str]) -> np.ndarray:
        """Embed strings -> ``(n, dim)`` float32, L2-normalised."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        batch = self.tokenizer.encode(texts)
        session = self._session("textual")
        info = self._info["textual"]
        ids = batch.ids
        if info.fixed_length is not None:
            ids = _fit_length(ids, info.fixed_length, self.tokenizer)
        else:
            ids = ids[:, : int(batch.lengths.max())]
        return _unit(_run_rows(session, info, ids.astype(info.input_dtype)))


def _fit_length(ids: np.ndarray, length: int, tokenizer: ClipTokenizer) -> np.ndarray:
    if ids.shape[1] == length:
        return ids
    if ids.shape[1] > length:  # a graph shorter than the config: cut, keep EOT last
        out = ids[:, :length].copy()
        cut = (ids[:, length:] != tokenizer.pad_id).any(1)
        out[cut, -1] = tokenizer.eot_id
        return out
    pad = np.full((ids.shape[0], length - ids.shape[1]), tokenizer.pad_id, ids.dtype)
    return np.concatenate([ids, pad], axis=1)


def _run_rows(session: Any, info: TowerInfo, x: np.ndarray) -> np.ndarray:
    if info.fixed_batch is not None and info.fixed_batch != x.shape[0]:
        if info.fixed_batch != 1:
            raise ModelUnavailableError(
                _("the ONNX graph takes batches of exactly {fixed_batch}").format(
                    fixed_batch=info.fixed_batch),
                reason=ModelUnavailableError.LOAD_FAILED,
            )
        rows = [session.run(None, {info.input_name: x[i : i + 1]})[0] for i in range(len(x))]
        return np.concatenate(rows)
    return session.run(None, {info.input_name: x})[0]


def _tower_info(session: Any, tower: str) -> TowerInfo:
    inputs = session.get_inputs()
    if len(inputs) != 1:
        # M-CLIP style text towers (input_ids + attention_mask) are not CLIP BPE models.
        raise ModelUnavailableError(
            _("The {tower} tower takes {count} inputs; only single-input CLIP towers are "
              "supported.").format(tower=tower, count=len(inputs)),
            reason=ModelUnavailableError.LOAD_FAILED,
        )
    node = inputs[0]
    shape = list(node.shape)
    dtype = {"tensor(int32)": np.int32, "tensor(int64)": np.int64}.get(node.type, np.float32)
    fixed_batch = shape[0] if isinstance(shape[0], int) else None
    fixed_length = shape[1] if tower == "textual" and isinstance(shape[1], int) else None
    return TowerInfo(node.name, dtype, fixed_batch, fixed_length, _graph_precision(session))


def _graph_precision(session: Any) -> str:
    # Quantised graphs carry DynamicQuantizeLinear / MatMulInteger / QLinear* / DequantizeLinear.
    # onnxruntime does not expose the node list, so ask the model metadata's producer instead.
    meta = session.get_modelmeta()
    return "int8" if "quant" in (meta.producer_name or "").lower() else "fp32"


def _make_session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    # Spinning workers steal the CPU from decoders and other processes on a busy machine.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def _read_json(path: Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return data
