"""Read the text in a photo: PP-OCRv6 small detection and recognition on ONNX Runtime.

The models ship inside the ``rapidocr`` wheel (``rapidocr/models/*.onnx``, Apache-2.0). This
module reads them by path and never imports ``rapidocr`` (its package imports OpenCV, 179 MB in
a bundle): the pipeline around the models is PhotoSearch's own
(:mod:`engine.models.ocr_pipeline`), the steps RapidOCR runs, on numpy and Pillow. A missing
file is a :class:`~engine.errors.ModelUnavailableError`, never a download.

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

import importlib.util
import logging
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from PIL import Image

from engine.errors import ModelUnavailableError
from engine.i18n import _
from engine.models.ocr_pipeline import OcrLine, OcrPipeline

logger = logging.getLogger(__name__)

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
GATE_SIDE = 480  # bench: 0/10 text photos missed vs 1/10 at 384, 71 vs 49 ms without text
DETECT_SIDE = 1280
GATE_BOX_THRESHOLD = 0.4  # lower than the reading's 0.5: the gate is there for recall
BOX_THRESHOLD = 0.5
MIN_CONFIDENCE = 0.5  # RapidOCR's default for dropping recognised lines (Global.text_score)
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


PIPELINE = "photosearch ocr 1"  # our pipeline's own version: raise it when its results change


def model_dir() -> Path:
    """The folder that holds the ONNX models: ``rapidocr/models`` inside the installed wheel,
    found without importing the package (whose import loads OpenCV); in the frozen bundle,
    the copy packaging/photosearch.spec makes of that folder."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None and (Path(bundle) / "rapidocr" / "models").is_dir():
        return Path(bundle) / "rapidocr" / "models"
    try:
        spec = importlib.util.find_spec("rapidocr")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            _("Reading text in photos needs the rapidocr package, which is not installed."),
            "importlib.util.find_spec('rapidocr') found nothing",
            reason=ModelUnavailableError.LOAD_FAILED,
        )
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "models"


def model_files() -> dict[str, Path]:
    """Detection and recognition model paths; raises if one is missing or empty."""
    folder = model_dir()
    files = {"det": folder / DET_MODEL, "rec": folder / REC_MODEL}
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
    """What the stored results depend on: our pipeline's version, the rapidocr release the
    models come from, and the model files."""
    try:
        release = metadata.version("rapidocr")
    except metadata.PackageNotFoundError:
        release = "unknown"
    det, rec = DET_MODEL.removesuffix(".onnx"), REC_MODEL.removesuffix(".onnx")
    return f"{PIPELINE}, rapidocr {release} models: {det}+{rec}"


class TextReader:
    """Reads text lines from PIL images; models load on first use.

    ``threads`` is ONNX Runtime's intra-op thread count. One is the default: on the 2-core
    machine two threads made the OCR pass 2x slower (its worker threads spin while waiting and
    fight the decoder and the other workers for the cores); None lets ONNX Runtime decide.

    Thread safety: calls on one reader are serialised by a lock (the pipeline keeps no state
    between calls, but two calls would fight over ONNX Runtime's single thread). For parallel
    reading create one reader per worker thread (each holds its own ONNX sessions, about
    100 MB resident).
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
        self._pipeline: OcrPipeline | None = None
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
            pipeline = self._load()
            start = time.perf_counter()
            gate_image, _scale = _fit(rgb, self.gate_side)
            gate = pipeline.detect(gate_image, GATE_BOX_THRESHOLD)
            boxes = _text_like(pipeline, rgb, gate, self.gate_side)
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
                lines = self._run(pipeline, full_image, scale, (0, 0))
            else:
                for left, top, right, bottom in regions:
                    crop = rgb.crop((left, top, right, bottom))
                    size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
                    if size != crop.size:
                        crop = crop.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
                    lines += self._run(pipeline, crop, scale, (left, top))
            read_ms = (time.perf_counter() - start) * 1000
        lines.sort(key=lambda line: (line.box[0][1], line.box[0][0]))
        return lines, ReadStats(gate_ms, read_ms, gate_boxes)

    def _run(self, pipeline: OcrPipeline, image: Image.Image, scale: float,
             offset: tuple[int, int]) -> list[TextLine]:
        # No angle classifier: upside-down text is rare in photos, and it costs time.
        found = pipeline.read(image, BOX_THRESHOLD, self.min_confidence)
        return self._lines(found, scale, offset)

    @staticmethod
    def _lines(found: list[OcrLine], scale: float, offset: tuple[int, int]) -> list[TextLine]:
        lines = []
        for line in found:
            corners = tuple((round(offset[0] + float(x) / scale, 1),
                             round(offset[1] + float(y) / scale, 1))
                            for x, y in line.box[:4])
            lines.append(TextLine(line.text.strip(), corners,  # type: ignore[arg-type]
                                  round(line.confidence, 4)))
        return lines

    def _load(self) -> OcrPipeline:
        if self._pipeline is not None:
            return self._pipeline
        files = model_files()
        try:
            # The detector's limit: the images handed to it are already at the size wanted
            # (at most detect_side), so it only rounds their sides to multiples of 32.
            self._pipeline = OcrPipeline(files["det"], files["rec"],
                                         limit_side=max(self.detect_side, 32),
                                         threads=self.threads)
        except ImportError as exc:  # onnxruntime is missing
            raise ModelUnavailableError(
                _("Reading text in photos cannot start: a part of it is not installed."),
                repr(exc),
            ) from exc
        except Exception as exc:
            raise ModelUnavailableError(
                _("The text-reading model could not be loaded."), repr(exc)
            ) from exc
        logger.debug("OCR ready: %s", model_version())
        return self._pipeline


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
    gate_boxes: np.ndarray | list[np.ndarray], size: tuple[int, int], gate_side: int
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


def _text_like(pipeline: OcrPipeline, rgb: Image.Image, gate: np.ndarray,
               gate_side: int) -> list[np.ndarray]:
    """The gate's boxes that look like text lines, in gate-image pixels.

    At gate size the detector also answers to textures: the whole of a coffee cup on wood grain,
    a dahlia's petals, as one big squarish box (300 x 280 px), where text lines are long and
    low (40 x 17 .. 300 x 36). Such a "blob" is checked once more: detection on its own area at
    twice the gate's scale (at most the gate's own size). It stays only if that finds a
    line-shaped box; otherwise the photo would pay for a reading at full scale to find nothing.
    """
    if len(gate) == 0:
        return []
    gate_scale = min(1.0, gate_side / max(rgb.size))
    short = min(rgb.size) * gate_scale
    kept = []
    for box in np.asarray(gate, dtype=np.float64):
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
        inner = pipeline.detect(crop, GATE_BOX_THRESHOLD)
        if any((lambda wh: wh[0] >= BLOB_ASPECT * wh[1])(_box_size(np.asarray(b)))
               for b in inner):
            kept.append(box)
    return kept


def _box_size(box: np.ndarray) -> tuple[float, float]:
    """Width and height of a four-point box (top edge and left edge lengths)."""
    return float(np.linalg.norm(box[1] - box[0])), float(np.linalg.norm(box[3] - box[0]))
