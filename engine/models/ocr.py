"""Read the text in a photo with RapidOCR (PP-OCRv6 small detection and recognition, ONNX Runtime).

The models ship inside the ``rapidocr`` wheel (``rapidocr/models/*.onnx``, Apache-2.0); this
module passes their paths explicitly, so RapidOCR never reaches for its download code. A
missing file is a :class:`~engine.errors.ModelUnavailableError`, never a download.

Most photos hold no text, and detection dominates the cost (recognition runs only on the lines
found), so :meth:`TextReader.read` works in two steps:

1. the *gate*: detection alone on the photo shrunk to ``gate_side`` pixels on its long side
   (480 by default); squarish "blobs" it finds on textures are checked once more. No box
   left: the photo has no readable text, and the call ends.
2. the *reading*: detection and recognition at the scale that brings the photo to
   ``detect_side`` (1280) on its long side, but only inside rectangles around the gate's boxes
   (widened, merged; the whole photo when they would cover more than half of it). A photo with
   one sign pays for the sign's neighbourhood, not for 1280 x 960 pixels.

Text that is too small to be seen by the gate is missed: at 480 px, about half of the lines
whose letters are 1-2% of the photo's height (FINDINGS.md has the measured curve). Such text
is rarely worth searching for (a distant shop sign); ``gate_side=detect_side`` turns the gate
off.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import ModelUnavailableError
from engine.i18n import _

logger = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
GATE_SIDE = 480  # bench: 0/10 text photos missed vs 1/10 at 384, 71 vs 49 ms without text
DETECT_SIDE = 1280
GATE_BOX_THRESHOLD = 0.4  # lower than the reading's 0.5: the gate is there for recall
BOX_THRESHOLD = 0.5
MIN_CONFIDENCE = 0.5  # RapidOCR's own default for dropping recognised lines
MIN_SIDE = 16  # smaller images hold no readable line (the recogniser wants 48 px high crops)

Point = tuple[float, float]


@dataclass(frozen=True)
class TextLine:
    """One recognised line: its text, its four corners in the original image's pixels
    (clockwise from top-left as the detector orders them) and the recogniser's confidence."""

    text: str
    box: tuple[Point, Point, Point, Point]
    confidence: float


@dataclass(frozen=True)
class ReadStats:
    """Where the time of one :meth:`TextReader.read_with_stats` call went, in milliseconds."""

    gate_ms: float
    read_ms: float  # detection at detect_side plus recognition; 0 when the gate found nothing
    gate_boxes: int


def model_dir() -> Path:
    """The folder inside the installed ``rapidocr`` package that holds the ONNX models."""
    try:
        import rapidocr
    except ImportError as exc:
        raise ModelUnavailableError(
            _("Reading text in photos needs the rapidocr package, which is not installed."),
            repr(exc),
            reason=ModelUnavailableError.LOAD_FAILED,
        ) from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def model_files() -> dict[str, Path]:
    """Detection, recognition and orientation model paths; raises if one is missing or empty."""
    folder = model_dir()
    files = {"det": folder / DET_MODEL, "rec": folder / REC_MODEL, "cls": folder / CLS_MODEL}
    for path in files.values():
        if not path.is_file() or path.stat().st_size == 0:
            raise ModelUnavailableError(
                _("The text-reading model file {name} is missing from the rapidocr "
                  "package; reinstall PhotoSearch.").format(name=path.name),
                f"expected {path}",
                reason=ModelUnavailableError.FOLDER,
            )
    return files


def model_version() -> str:
    """What the stored results depend on: the rapidocr release and the model files."""
    try:
        release = metadata.version("rapidocr")
    except metadata.PackageNotFoundError:
        release = "unknown"
    det, rec = DET_MODEL.removesuffix(".onnx"), REC_MODEL.removesuffix(".onnx")
    return f"rapidocr {release}: {det}+{rec}"


class TextReader:
    """Reads text lines from PIL images; models load on first use.

    ``threads`` is ONNX Runtime's intra-op thread count. One is the default: on the 2-core
    machine two threads made the OCR pass 2x slower (its worker threads spin while waiting and
    fight the decoder and the other workers for the cores); None lets ONNX Runtime decide.

    Thread safety: one RapidOCR engine keeps per-call flags and the detector's resize step as
    attributes, so calls on one reader are serialised by a lock. For parallel reading create one
    reader per worker thread (each holds its own ONNX sessions, about 100 MB resident).
    """

    def __init__(
        self,
        gate_side: int = GATE_SIDE,
        detect_side: int = DETECT_SIDE,
        threads: int | None = 1,
        min_confidence: float = MIN_CONFIDENCE,
        regions: bool = True,
    ) -> None:
        if not 32 <= gate_side <= detect_side:
            raise ValueError(f"need 32 <= gate_side <= detect_side, got {gate_side}, {detect_side}")
        self.gate_side = gate_side
        self.detect_side = detect_side
        self.threads = threads
        self.min_confidence = min_confidence
        self.regions = regions
        self._engine: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Create the ONNX sessions now instead of on the first :meth:`read`."""
        with self._lock:
            self._load()

    def read(self, image: Image.Image) -> list[TextLine]:
        """The text lines in ``image``, top to bottom; [] when there is none or the image is
        too small to hold any. Boxes are in ``image``'s pixel coordinates."""
        return self.read_with_stats(image)[0]

    def read_with_stats(self, image: Image.Image) -> tuple[list[TextLine], ReadStats]:
        """:meth:`read`, plus how long the gate and the reading took."""
        if min(image.size) < MIN_SIDE:
            return [], ReadStats(0.0, 0.0, 0)
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        with self._lock:
            engine = self._load()
            start = time.perf_counter()
            gate_image, _scale = _fit(rgb, self.gate_side)
            gate = engine(
                np.asarray(gate_image),
                use_det=True,  # every flag on every call: RapidOCR keeps them for the next one
                use_cls=False,
                use_rec=False,
                box_thresh=GATE_BOX_THRESHOLD,
            )
            boxes = _text_like(engine, rgb, gate, self.gate_side)
            gate_boxes = len(boxes)
            gate_ms = (time.perf_counter() - start) * 1000
            if gate_boxes == 0:
                return [], ReadStats(gate_ms, 0.0, 0)
            start = time.perf_counter()
            scale = min(1.0, self.detect_side / max(rgb.size))
            regions = _regions(boxes, rgb.size, self.gate_side) if self.regions else None
            lines: list[TextLine] = []
            if regions is None:  # text all over: one detection over the whole photo
                full_image, _scale = _fit(rgb, self.detect_side)
                lines = self._run(engine, full_image, scale, (0, 0))
            else:
                for left, top, right, bottom in regions:
                    crop = rgb.crop((left, top, right, bottom))
                    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
                    if size != crop.size:
                        crop = crop.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
                    lines += self._run(engine, crop, scale, (left, top))
            read_ms = (time.perf_counter() - start) * 1000
        lines.sort(key=lambda line: (line.box[0][1], line.box[0][0]))
        return lines, ReadStats(gate_ms, read_ms, gate_boxes)

    def _run(self, engine: Any, image: Image.Image, scale: float,
             offset: tuple[int, int]) -> list[TextLine]:
        result = engine(
            np.asarray(image),
            use_det=True,
            use_cls=False,  # upside-down text is rare in photos; the classifier costs time
            use_rec=True,
            box_thresh=BOX_THRESHOLD,
        )
        return self._lines(result, scale, offset)

    def _lines(self, result: Any, scale: float, offset: tuple[int, int]) -> list[TextLine]:
        boxes, texts, scores = (getattr(result, k, None) for k in ("boxes", "txts", "scores"))
        if boxes is None or texts is None or scores is None:
            return []
        lines = []
        for box, text, score in zip(boxes, texts, scores, strict=False):
            text = str(text).strip()
            if not text or float(score) < self.min_confidence:
                continue
            corners = tuple((round(offset[0] + float(x) / scale, 1),
                             round(offset[1] + float(y) / scale, 1))
                            for x, y in np.asarray(box)[:4])
            lines.append(TextLine(text, corners, round(float(score), 4)))  # type: ignore[arg-type]
        return lines

    def _load(self) -> Any:
        if self._engine is not None:
            return self._engine
        files = model_files()
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:  # onnxruntime, opencv or another dependency is missing
            raise ModelUnavailableError(
                _("Reading text in photos cannot start: a part of it is not installed."),
                repr(exc),
            ) from exc
        # RapidOCR logs "The text detection result is empty" as a warning on every photo
        # without text, through a handler of its own that bypasses ours.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": False,
            # Explicit paths: with a model_path set RapidOCR never calls its downloader.
            "Det.model_path": str(files["det"]),
            "Rec.model_path": str(files["rec"]),
            "Cls.model_path": str(files["cls"]),
            # The detector's own resize scales the short side *up* to 736 ("min"); we hand it
            # images already at the size we want, so only let it round to multiples of 32.
            "Det.limit_type": "max",
            "Det.limit_side_len": max(self.detect_side, 32),
        }
        if self.threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = self.threads
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
        try:
            self._engine = RapidOCR(params=params)
        except Exception as exc:
            raise ModelUnavailableError(
                _("The text-reading model could not be loaded."), repr(exc)
            ) from exc
        logger.debug("RapidOCR ready: %s", model_version())
        return self._engine


def _fit(image: Image.Image, side: int) -> tuple[Image.Image, float]:
    """``image`` shrunk so that its long side is at most ``side``; and the scale applied."""
    long = max(image.size)
    if long <= side:
        return image, 1.0
    scale = side / long
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # reduce() first: an integer box filter is far cheaper than a resampling filter on 12 MP.
    factor = int(long // (side * 2))
    base = image.reduce(factor) if factor >= 2 else image
    return base.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0), scale


MAX_REGION_SHARE = 0.5  # regions covering more of the photo than this: detect on all of it


def _regions(
    gate_boxes: Any, size: tuple[int, int], gate_side: int
) -> list[tuple[int, int, int, int]] | None:
    """Rectangles (original pixels) around the gate's boxes, widened and merged; None when
    they would cover most of the photo (then one detection over the whole of it is cheaper).

    The gate sees the photo at low resolution: its boxes are rough and may cover only part of
    a sign. Each is widened by its own height on every side (at least 2% of the long side), so
    the detector sees the whole line with some context.
    """
    width, height = size
    to_original = max(size) / min(gate_side, max(size))
    rects: list[list[float]] = []
    for box in np.asarray(gate_boxes, dtype=np.float64):
        xs, ys = box[:, 0] * to_original, box[:, 1] * to_original
        margin = max(ys.max() - ys.min(), 0.02 * max(size))
        rects.append([max(0.0, xs.min() - margin), max(0.0, ys.min() - margin),
                      min(float(width), xs.max() + margin), min(float(height), ys.max() + margin)])
    merged = True
    while merged:  # merge overlapping rectangles until none overlap
        merged = False
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    rects[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del rects[j]
                    merged = True
                    break
            if merged:
                break
    area = sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects)
    if area > MAX_REGION_SHARE * width * height:
        return None
    return [(int(r[0]), int(r[1]), int(np.ceil(r[2])), int(np.ceil(r[3]))) for r in rects]


BLOB_ASPECT = 1.5  # a text line is at least this much wider than high (two letters or more)
BLOB_HEIGHT = 0.12  # of the gate image's short side: higher and squarish is a "blob"


def _text_like(engine: Any, rgb: Image.Image, gate: Any, gate_side: int) -> list[np.ndarray]:
    """The gate's boxes that look like text lines, in gate-image pixels.

    At gate size the detector also answers to textures: the whole of a coffee cup on wood grain,
    a dahlia's petals, as one big squarish box (300 x 280 px), where text lines are long and
    low (40 x 17 .. 300 x 36). Such a "blob" is checked once more: detection on its own area at
    twice the gate's scale (at most the gate's own size). It stays only if that finds a
    line-shaped box; otherwise the photo would pay for a reading at full scale to find nothing.
    """
    raw = getattr(gate, "boxes", None)
    if raw is None or len(raw) == 0:
        return []
    gate_scale = min(1.0, gate_side / max(rgb.size))
    short = min(rgb.size) * gate_scale
    kept = []
    for box in np.asarray(raw, dtype=np.float64):
        width, height = _box_size(box)
        if width >= BLOB_ASPECT * height or height < BLOB_HEIGHT * short:
            kept.append(box)
            continue
        # Verify the blob: its area (plus a margin), at twice the gate's scale.
        to_original = 1.0 / gate_scale
        xs, ys = box[:, 0] * to_original, box[:, 1] * to_original
        margin = 0.1 * (ys.max() - ys.min())
        area = (max(0, int(xs.min() - margin)), max(0, int(ys.min() - margin)),
                min(rgb.width, int(xs.max() + margin) + 1),
                min(rgb.height, int(ys.max() + margin) + 1))
        crop = rgb.crop(area)
        # Twice the gate's scale, but never a larger image than the gate itself: a big blob
        # (a textured surface filling half the photo) would otherwise cost more than the gate.
        zoom = min(1.0, 2 * gate_scale, gate_side / max(crop.size))
        crop = crop.resize((max(1, round(crop.width * zoom)), max(1, round(crop.height * zoom))),
                           Image.Resampling.BILINEAR, reducing_gap=2.0)
        check = engine(np.asarray(crop), use_det=True, use_cls=False, use_rec=False,
                       box_thresh=GATE_BOX_THRESHOLD)
        inner = getattr(check, "boxes", None)
        if inner is not None and any(
                (lambda wh: wh[0] >= BLOB_ASPECT * wh[1])(_box_size(np.asarray(b))) for b in inner):
            kept.append(box)
    return kept


def _box_size(box: np.ndarray) -> tuple[float, float]:
    """Width and height of a four-point box (top edge and left edge lengths)."""
    return float(np.linalg.norm(box[1] - box[0])), float(np.linalg.norm(box[3] - box[0]))
