"""Export an open_clip model's towers to ONNX once, quantise where fidelity holds, cache them.

Why one module past 500 lines: export, quantisation, the fidelity check and the manifest are
one atomic step (a folder is written whole, with the figures that justify each precision, or
not at all); split, each part would have to trust the others' half-written state.

Run where torch and open_clip are installed (the full edition, or the first use of a model); the
result loads with :class:`engine.models.onnx_clip.OnnxClipEncoder` and no torch at all.

The folder uses the layout of Immich's published model repositories, so one loader serves both::

    <folder>/config.json                 open_clip model config (embed_dim, vision_cfg, text_cfg)
    <folder>/visual/model.onnx           image tower: "image" (n, 3, S, S) float32 -> "embedding"
    <folder>/visual/preprocess_cfg.json  open_clip's preprocess_cfg
    <folder>/textual/model.onnx          text tower: "text" (n, L) int32 -> "embedding"
    <folder>/textual/tokenizer.json      CLIP BPE for the ``tokenizers`` library
    <folder>/textual/tokenizer_config.json
    <folder>/photosearch_onnx.json       provenance and the fidelity check's figures

Differences from Immich's exports, both compatible with Immich's loader: the batch axis is
dynamic (Immich exports batch 1), and the text tower's sequence axis is dynamic too, so a query
runs only its real tokens (causal attention pooled at the end-of-text token makes the padding
irrelevant; a 6-token query skips 71 of 77 positions).

Precision rule (per tower): the fp32 export must reach a minimum cosine of :data:`MIN_COSINE` to
open_clip's own fp32 embedding over the calibration inputs (a few hundred photo-like images and
texts), or the model does not take the ONNX path at all (:class:`ExportUnsupportedError`). int8
(dynamic quantisation of MatMul/Gemm weights) is kept only if its minimum cosine is at least
``MIN_COSINE + INT8_MARGIN``; otherwise the tower stays fp32. Every candidate's figures are
recorded in the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from engine.models.preprocess import PreprocessConfig, preprocess_batch
from engine.models.tokenizer import ClipTokenizer

log = logging.getLogger(__name__)

OPSET = 18
MIN_COSINE = 0.999
# int8 must clear the rule with room to spare: on 24 calibration texts the demo's int8 text
# tower passed (0.99902) and then failed held out (0.99738). With a few hundred calibration
# texts and images and this margin, a kept int8 tower holds on inputs it has not seen.
INT8_MARGIN = 0.0005
CALIBRATION_IMAGE_COUNT = 200
CALIBRATION_TEXT_COUNT = 300
MANIFEST = "photosearch_onnx.json"
MANIFEST_VERSION = 1
# int8 candidates in order of preference (the first that passes is kept). Signed int8 weights
# with unsigned activations (onnxruntime's default U8S8) saturate int16 accumulators on x86
# CPUs without VNNI (AVX2 laptops, this EPYC): random ViT-B-32 image tower min cosine 0.981.
# U8U8 weights avoid that kernel (0.99980); 7-bit "reduce_range" signed weights are the
# fallback (0.99968 per channel). Both are portable: fidelity does not depend on the CPU.
INT8_CANDIDATES = ("int8_u8u8", "int8_s8_reduce_range_per_channel")
INT8_PRECISIONS = (
    "int8_u8u8",
    "int8_s8_reduce_range_per_channel",
    "int8_s8_reduce_range",
    "int8_dynamic",
    "int8_dynamic_per_channel",
    "int8_static",
)


class ExportUnsupportedError(Exception):
    """The model cannot take the ONNX path (the caller keeps it on torch)."""


@dataclass(frozen=True)
class CandidateFidelity:
    """One precision of one tower, checked against open_clip fp32."""

    precision: str
    min_cosine: float
    mean_cosine: float
    size_bytes: int
    passed: bool


@dataclass(frozen=True)
class TowerExport:
    """The precision chosen for a tower and every candidate's figures."""

    chosen: str
    candidates: tuple[CandidateFidelity, ...]

    def figures(self, precision: str) -> CandidateFidelity:
        """The figures of ``precision``."""
        return next(c for c in self.candidates if c.precision == precision)


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_clip` wrote and why."""

    folder: Path
    model_id: str
    visual: TowerExport
    textual: TowerExport
    tokenizer_exact: bool
    seconds: float
    versions: dict[str, str] = field(default_factory=dict)
    logit_scale: float = 100.0  # the model's learned temperature (the reranker's fusion uses it)


def export_folder_for(model_id: str, cache_root: Path) -> Path:
    """``<cache_root>/onnx/<slug>``: a readable, filesystem-safe, collision-free name."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id).strip("_")[:80]
    digest = hashlib.blake2b(model_id.encode(), digest_size=4).hexdigest()
    return Path(cache_root) / "onnx" / f"{readable}-{digest}"


def read_manifest(folder: Path, name: str = MANIFEST) -> dict[str, Any] | None:
    """The export manifest of ``folder``, or None if it has none (e.g. an Immich folder);
    ``name``: another export's manifest file (the matcher's image tower)."""
    path = Path(folder) / name
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_current_export(folder: Path, model_id: str) -> bool:
    """Whether ``folder`` holds a finished export of ``model_id`` in this manifest version."""
    manifest = read_manifest(folder)
    return bool(
        manifest
        and manifest.get("model_id") == model_id
        and manifest.get("manifest_version") == MANIFEST_VERSION
        and (Path(folder) / "visual" / "model.onnx").is_file()
        and (Path(folder) / "textual" / "model.onnx").is_file()
    )


# -- calibration inputs ----------------------------------------------------------------------

CALIBRATION_TEXTS = (
    "a photo of a dog on a beach",
    "two red circles on the left on grass",
    "a birthday cake with candles",
    "snowy mountains at sunset",
    "a cat sleeping on a laptop keyboard",
    "my grandmother's kitchen in 1987",
    "receipt from the hardware store",
    "Eiffel Tower at night, long exposure",
    "kids playing football in the rain",
    "a blurry screenshot of a spreadsheet",
    "close-up of a bee on a yellow flower",
    "wedding party dancing under string lights",
    "an x-ray of a broken arm",
    "café au lait et croissant",
    "東京の夜景",
    "a",
    "red",
    "the the the the the the the the",
    "A VERY LOUD SIGN THAT SAYS STOP!!!",
    "🐶🏖️ summer vacation 2019 #beach",
    (
        "a long caption that goes on and on about a mountain lake with pine trees, a wooden "
        "cabin, a canoe tied to the dock, morning fog lifting off the water and two ducks"
    ),
    "1234567890",
    "sunset",
    "a diagram of the water cycle",
)


def calibration_texts(count: int = CALIBRATION_TEXT_COUNT) -> list[str]:
    """The hand-written texts above plus captions of the product's vocabulary (every few lines,
    offset from the held-out test's stride), ``count`` in all."""
    from engine.store.paths import resources_dir

    texts = list(CALIBRATION_TEXTS)
    path = resources_dir() / "captions" / "vocabulary.txt"
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    except OSError:
        lines = []
    lines = [line for i, line in enumerate(lines) if i % 25]  # every 25th: the held-out test's
    wanted = max(0, count - len(texts))
    if lines and wanted:
        step = max(1, len(lines) // wanted)
        texts += lines[step // 2 :: step][:wanted]
    return texts


def calibration_images(count: int = CALIBRATION_IMAGE_COUNT, size: int = 256) -> list[Image.Image]:
    """Photo-like images (gradients, shapes, blur, sensor noise) and rendered text, seeded.

    Flat synthetic colour fields are unlike photos; these carry texture and detail so that the
    check exercises the activations photos do.
    """
    rng = np.random.default_rng(1234)
    images: list[Image.Image] = []
    for i in range(count):
        w, h = (size, size * 3 // 4) if i % 3 else (size * 3 // 4, size)
        small = rng.integers(0, 255, (4 + i % 3, 5 + i % 4, 3), dtype=np.uint8)
        img = Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)
        draw = ImageDraw.Draw(img)
        for _ in range(6 + i):
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            r = int(rng.integers(6, max(8, w // 4)))
            colour = tuple(int(c) for c in rng.integers(0, 255, 3))
            if rng.random() < 0.5:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            else:
                draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
        if i % 4 == 3:
            draw.text((10, h // 3), "HELLO 2024", fill=(0, 0, 0), font=_font(max(12, w // 8)))
        img = img.filter(ImageFilter.GaussianBlur(1 + i % 2))
        noise = rng.normal(0, 6 + i % 5, (h, w, 3))
        arr = np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
        images.append(Image.fromarray(arr))
    return images


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has no sized default font
        return ImageFont.load_default()


# -- export ----------------------------------------------------------------------------------


@contextlib.contextmanager
def folder_written_whole(folder: Path) -> Iterator[Path]:
    """A work folder beside ``folder`` that replaces it when the block ends, or is deleted if
    the block fails: an export is there whole, with the figures that justify it, or not at all."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        yield work
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def export_clip(
    open_clip_name: str,
    folder: Path,
    *,
    pretrained: str | None = None,
    model_id: str | None = None,
    images: Sequence[Image.Image] | None = None,
    texts: Sequence[str] | None = None,
    min_cosine: float = MIN_COSINE,
    int8_candidates: Sequence[str] = INT8_CANDIDATES,
    keep_candidates: bool = False,
) -> ExportReport:
    """Export both towers of an open_clip model into ``folder`` (replaced atomically).

    ``open_clip_name`` is what ``open_clip.create_model`` takes (``ViT-B-32``,
    ``local-dir:/path``, ``hf-hub:org/repo``); ``images``/``texts`` are the calibration inputs
    (defaults: :func:`calibration_images`, :func:`calibration_texts`). ``keep_candidates`` leaves
    every candidate beside the chosen ``model.onnx`` (``model.<precision>.onnx``), for
    measurement. Raises :class:`ExportUnsupportedError` for models whose tokenizer or text tower
    the ONNX path does not cover.
    """
    import open_clip
    import torch

    start = time.perf_counter()
    images = list(images) if images is not None else calibration_images()
    texts = list(texts) if texts is not None else calibration_texts()
    # The tokenizer first: a model the ONNX path cannot serve is refused before it is built
    # (a Hugging Face text tower, e.g. demo-multilingual's XLM-R, comes with its own).
    reference_tokenizer = open_clip.get_tokenizer(open_clip_name)
    if not isinstance(reference_tokenizer, open_clip.tokenizer.SimpleTokenizer):
        raise ExportUnsupportedError(
            f"{open_clip_name} uses {type(reference_tokenizer).__name__}; the ONNX path "
            "covers CLIP's BPE tokenizer only"
        )
    model, _, transform = open_clip.create_model_and_transforms(
        open_clip_name, pretrained=pretrained, device="cpu"
    )
    model.eval()
    preprocess_cfg = PreprocessConfig.from_dict(open_clip.get_model_preprocess_cfg(model))
    context_length = int(reference_tokenizer.context_length or 77)
    clean = _clean_mode(reference_tokenizer)

    folder = Path(folder)
    with folder_written_whole(folder) as work:
        (work / "visual").mkdir()
        (work / "textual").mkdir()
        _write_json(work / "config.json", _model_config(open_clip_name, model, context_length))
        _write_json(work / "visual" / "preprocess_cfg.json", preprocess_cfg.to_dict())
        bpe = Path(open_clip.tokenizer.default_bpe())
        ClipTokenizer.from_bpe_vocab(bpe, context_length, clean).save(work / "textual")
        tokenizer = ClipTokenizer.from_folder(work / "textual", context_length, clean)

        # References: open_clip's own transform, tokenizer and fp32 forward.
        with torch.inference_mode():
            pixels_ref = torch.stack([transform(im) for im in images])
            image_ref = _unit(model.encode_image(pixels_ref).float().numpy())
            tokens_ref = reference_tokenizer(texts)
            text_ref = _unit(model.encode_text(tokens_ref).float().numpy())
        tokenizer_exact = bool(np.array_equal(tokenizer(texts), tokens_ref.numpy()))
        pixels_ours = preprocess_batch(images, preprocess_cfg)
        if not tokenizer_exact:
            raise ExportUnsupportedError("the torch-free tokenizer differs from open_clip's")
        if not np.allclose(pixels_ours, pixels_ref.numpy(), atol=1e-6):
            log.warning("torch-free preprocessing differs from open_clip's for this model")

        torch.backends.mha.set_fastpath_enabled(False)  # the fused path does not export
        dynamic_length = _text_supports_dynamic_length(model)
        _export_visual(model, preprocess_cfg.size, work / "visual" / "model.fp32.onnx")
        _export_textual(
            model, context_length, dynamic_length, work / "textual" / "model.fp32.onnx"
        )

        batch = tokenizer.encode(texts)
        visual = _choose(
            work / "visual",
            lambda s: _run_visual(s, pixels_ours),
            image_ref,
            min_cosine,
            int8_candidates,
            keep_candidates,
        )
        textual = _choose(
            work / "textual",
            lambda s: _run_textual(s, batch.ids, batch.lengths, dynamic_length),
            text_ref,
            min_cosine,
            int8_candidates,
            keep_candidates,
        )
        report = ExportReport(
            folder=folder,
            model_id=model_id or open_clip_name,
            visual=visual,
            textual=textual,
            tokenizer_exact=tokenizer_exact,
            seconds=time.perf_counter() - start,
            versions=_versions(),
            logit_scale=_logit_scale(model),
        )
        _write_json(work / MANIFEST, _manifest(report, len(images), len(texts), dynamic_length))
    log.info(
        "exported %s to %s in %.0f s (visual %s, textual %s)",
        report.model_id, folder, report.seconds, visual.chosen, textual.chosen,
    )
    return report


def _logit_scale(model: Any) -> float:
    try:
        return float(model.logit_scale.detach().exp())
    except Exception:
        return 100.0


def _clean_mode(tokenizer: Any) -> str:
    fn = getattr(tokenizer, "clean_fn", None)
    name = getattr(fn, "__name__", "_clean_lower")
    return {"_clean_canonicalize": "canonicalize", "_clean_whitespace": "whitespace"}.get(
        name, "lower"
    )


def _model_config(open_clip_name: str, model: Any, context_length: int) -> dict[str, Any]:
    """The open_clip model config (Immich's ``config.json``): embed_dim, vision_cfg, text_cfg."""
    import open_clip

    cfg: dict[str, Any] | None = None
    if open_clip_name.startswith("local-dir:"):
        path = Path(open_clip_name[len("local-dir:") :]) / "open_clip_config.json"
        cfg = json.loads(path.read_text(encoding="utf-8")).get("model_cfg")
    elif not open_clip_name.startswith("hf-hub:"):
        cfg = open_clip.get_model_config(open_clip_name)
    cfg = dict(cfg or {})
    cfg.setdefault("embed_dim", int(model.text_projection.shape[-1]))
    cfg.setdefault("vision_cfg", {})
    text_cfg = dict(cfg.get("text_cfg") or {})
    text_cfg["context_length"] = context_length
    cfg["text_cfg"] = text_cfg
    return cfg


def _text_supports_dynamic_length(model: Any) -> bool:
    import open_clip

    return (
        isinstance(model, open_clip.CLIP)
        and getattr(model, "attn_mask", None) is not None
        and getattr(model, "text_pool_type", "argmax") == "argmax"
    )


def _export_visual(model: Any, size: int, path: Path) -> None:
    import torch

    class Visual(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, image: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.normalize(self.model.encode_image(image), dim=-1)

    batch = torch.export.Dim("batch", min=1, max=4096)
    _onnx_export(Visual(), (torch.randn(2, 3, size, size),), "image", {"image": {0: batch}}, path)


def _export_textual(model: Any, context_length: int, dynamic_length: bool, path: Path) -> None:
    import torch

    class Textual(torch.nn.Module):
        """open_clip's encode_text; with ``dynamic_length``, on the first L positions only."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, text: torch.Tensor) -> torch.Tensor:
            m = self.model
            if not dynamic_length:
                return torch.nn.functional.normalize(m.encode_text(text.long()), dim=-1)
            length = text.shape[1]
            x = m.token_embedding(text) + m.positional_embedding[:length]
            x = m.transformer(x, attn_mask=m.attn_mask[:length, :length])
            x = m.ln_final(x)
            x = x[torch.arange(x.shape[0]), text.argmax(dim=-1)]
            if isinstance(m.text_projection, torch.nn.Linear):
                x = m.text_projection(x)
            elif m.text_projection is not None:
                x = x @ m.text_projection
            return torch.nn.functional.normalize(x, dim=-1)

    batch = torch.export.Dim("batch", min=1, max=4096)
    shapes: dict[int, Any] = {0: batch}
    if dynamic_length:
        shapes[1] = torch.export.Dim("length", min=2, max=context_length)
    example = torch.ones(2, context_length, dtype=torch.int32)
    _onnx_export(Textual(), (example,), "text", {"text": shapes}, path)


def _onnx_export(
    module: Any, args: tuple[Any, ...], input_name: str, shapes: dict[str, Any], path: Path
) -> None:
    """torch's dynamo exporter (the TorchScript one bakes the sequence length into reshapes)."""
    import contextlib
    import io

    import onnx
    import torch

    module.eval()
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        # output_names clashes with a node name in torch 2.14's exporter; renamed below instead.
        torch.onnx.export(
            module,
            args,
            str(path),
            input_names=[input_name],
            opset_version=OPSET,
            dynamo=True,
            external_data=False,
            dynamic_shapes=shapes,
        )
    _rename_output(onnx, path, "embedding")


def _rename_output(onnx: Any, path: Path, name: str) -> None:
    proto = onnx.load(str(path))
    old = proto.graph.output[0].name
    if old == name:
        return
    # The exporter names values after modules: "embedding" may already be an internal value
    # (open_clip's token_embedding), so move that one aside first.
    renames = {name: f"{name}_internal", old: name}
    for node in proto.graph.node:
        node.output[:] = [renames.get(o, o) for o in node.output]
        node.input[:] = [renames.get(i, i) for i in node.input]
    for info in proto.graph.value_info:
        info.name = renames.get(info.name, info.name)
    for init in proto.graph.initializer:
        init.name = renames.get(init.name, init.name)
    proto.graph.output[0].name = name
    onnx.save(proto, str(path))


def _choose(
    tower_dir: Path,
    run: Any,
    reference: np.ndarray,
    min_cosine: float,
    int8_candidates: Sequence[str],
    keep_candidates: bool,
) -> TowerExport:
    """Check fp32 and each int8 candidate; keep the first int8 that passes, else fp32."""
    fp32_path = tower_dir / "model.fp32.onnx"
    figures = [_fidelity("fp32", fp32_path, run, reference, min_cosine)]
    if not figures[0].passed:
        raise ExportUnsupportedError(
            f"the ONNX {tower_dir.name} tower drifts from open_clip fp32 (minimum cosine "
            f"{figures[0].min_cosine:.5f} < {min_cosine})"
        )
    chosen = "fp32"
    for precision in int8_candidates:
        path = tower_dir / f"model.{precision}.onnx"
        quantize(fp32_path, path, precision)
        figures.append(_fidelity(precision, path, run, reference, min_cosine + INT8_MARGIN))
        if figures[-1].passed and chosen == "fp32":
            chosen = precision
            if not keep_candidates:
                break
    os.replace(tower_dir / f"model.{chosen}.onnx", tower_dir / "model.onnx")
    if not keep_candidates:
        for leftover in tower_dir.glob("model.*.onnx"):
            leftover.unlink()
    return TowerExport(chosen, tuple(figures))


def _fidelity(
    precision: str, path: Path, run: Any, reference: np.ndarray, min_cosine: float
) -> CandidateFidelity:
    session = make_session(path, threads=os.cpu_count() or 1)
    cos = (run(session) * reference).sum(1)
    low = float(cos.min())
    log.info("%s %s: min cosine %.6f, mean %.6f", path.parent.name, precision, low, cos.mean())
    return CandidateFidelity(
        precision, low, float(cos.mean()), path.stat().st_size, bool(low >= min_cosine)
    )


def quantize(source: Path, target: Path, precision: str, calibration: Any = None) -> None:
    """Write an int8 version of ``source``.

    Dynamic kinds (see :data:`INT8_PRECISIONS`): MatMul/Gemm weights to 8 bits (u8 or s8, per
    tensor or per channel, optionally 7-bit "reduce range"), activations quantised at run time
    with one scale per tensor. ``int8_static``: QDQ with activation ranges
    from ``calibration`` (an onnxruntime ``CalibrationDataReader``), Conv included.
    """
    with _quiet_quantizer():
        _quantize(source, target, precision, calibration)


class _QuantizerNoise(logging.Filter):
    """onnxruntime's quantizer logs advice on the root logger for every model and tensor."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ("pre-processing before quantization" in message
                    or "Quantization parameters for tensor" in message)


@contextlib.contextmanager
def _quiet_quantizer() -> Iterator[None]:
    noise = _QuantizerNoise()
    root = logging.getLogger()
    root.addFilter(noise)
    try:
        yield
    finally:
        root.removeFilter(noise)


def _quantize(source: Path, target: Path, precision: str, calibration: Any) -> None:
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_dynamic, quantize_static

    dynamic = {  # precision -> (weight type, per channel, reduce range)
        "int8_u8u8": (QuantType.QUInt8, False, False),
        "int8_s8_reduce_range_per_channel": (QuantType.QInt8, True, True),
        "int8_s8_reduce_range": (QuantType.QInt8, False, True),
        "int8_dynamic": (QuantType.QInt8, False, False),
        "int8_dynamic_per_channel": (QuantType.QInt8, True, False),
    }
    if precision in dynamic:
        weight_type, per_channel, reduce_range = dynamic[precision]
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=weight_type,
            per_channel=per_channel,
            reduce_range=reduce_range,
            op_types_to_quantize=["MatMul", "Gemm"],
        )
    elif precision == "int8_static":
        if calibration is None:
            raise ValueError("int8_static needs a calibration reader")
        quantize_static(
            str(source),
            str(target),
            calibration,
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Gemm", "Conv"],
        )
    else:
        raise ValueError(f"unknown int8 precision {precision!r}")


def make_session(path: Path, threads: int = 1) -> Any:
    """An onnxruntime CPU session with ``threads`` intra-op threads, no spinning."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    # Spinning workers steal the CPU from decoders and other processes on a busy machine.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _run_visual(session: Any, pixels: np.ndarray) -> np.ndarray:
    return _unit(session.run(None, {"image": pixels})[0])


def _run_textual(
    session: Any, ids: np.ndarray, lengths: np.ndarray, dynamic_length: bool
) -> np.ndarray:
    width = int(lengths.max()) if dynamic_length else ids.shape[1]
    return _unit(session.run(None, {"text": ids[:, :width].astype(np.int32)})[0])


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def _versions() -> dict[str, str]:
    import onnx
    import onnxruntime
    import open_clip
    import torch

    return {
        "torch": torch.__version__,
        "open_clip": open_clip.__version__,
        "onnx": onnx.__version__,
        "onnxruntime": onnxruntime.__version__,
    }


def _manifest(
    report: ExportReport, n_images: int, n_texts: int, dynamic_length: bool
) -> dict[str, Any]:
    return {
        "manifest_version": MANIFEST_VERSION,
        "model_id": report.model_id,
        "opset": OPSET,
        "min_cosine": MIN_COSINE,
        "int8_margin": INT8_MARGIN,
        "logit_scale": report.logit_scale,
        "calibration": {"images": n_images, "texts": n_texts},
        "visual": asdict(report.visual),
        "textual": {**asdict(report.textual), "dynamic_length": dynamic_length},
        "tokenizer_exact": report.tokenizer_exact,
        "export_seconds": round(report.seconds, 1),
        "versions": report.versions,
    }


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
