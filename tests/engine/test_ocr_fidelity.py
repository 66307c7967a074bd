"""Our OCR pipeline (engine.models.ocr_pipeline, no OpenCV) against RapidOCR's own, which it
replaces: same boxes, same text, on the photos the OCR tests render.

RapidOCR runs OpenCV; where ``cv2`` cannot be imported (the lean edition's environment) these
tests are skipped. The reference is RapidOCR 3.10 with the settings engine/models/ocr.py used
before the pipeline was PhotoSearch's own: no angle classifier, the detector limited to 1280
px on its long side, one ONNX Runtime thread.
"""

from __future__ import annotations

import importlib.util
import logging
import random
from functools import lru_cache
from typing import Any

import numpy as np
import pytest
from PIL import Image
from text_samples import cer, missing_fonts, render_sample, sample_set

from engine.models import ocr
from engine.models.ocr import TextReader
from engine.models.ocr_detect import contour_hulls, min_area_boxes
from engine.models.ocr_pipeline import OcrLine, OcrPipeline


def _rapidocr_reason() -> str | None:
    if importlib.util.find_spec("cv2") is None:
        return "OpenCV (cv2) is not installed: RapidOCR's own pipeline, the reference, needs it"
    try:
        import cv2  # noqa: F401
        from rapidocr import RapidOCR  # noqa: F401
    except ImportError as exc:
        return f"RapidOCR's own pipeline cannot be imported: {exc!r}"
    return None


REASON = _rapidocr_reason()
pytestmark = [
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    pytest.mark.skipif(bool(missing_fonts()), reason=f"fonts missing: {missing_fonts()}"),
]

BOX_TOLERANCE_PX = 6  # corners, in the pixels of the image each pipeline was given


class RapidPipeline:
    """RapidOCR behind :class:`OcrPipeline`'s interface, as engine/models/ocr.py called it."""

    def __init__(self) -> None:
        from rapidocr import RapidOCR

        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        files = ocr.model_files()
        self.engine = RapidOCR(params={
            "Global.log_level": "error", "Global.use_cls": False,
            "Det.model_path": str(files["det"]), "Rec.model_path": str(files["rec"]),
            "Det.limit_type": "max", "Det.limit_side_len": ocr.DETECT_SIDE,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })

    def detect(self, image: Image.Image, box_threshold: float) -> np.ndarray:
        result = self.engine(np.asarray(image), use_det=True, use_cls=False, use_rec=False,
                             box_thresh=box_threshold)
        boxes = getattr(result, "boxes", None)
        return np.zeros((0, 4, 2), np.float32) if boxes is None else np.asarray(boxes)

    def read(self, image: Image.Image, box_threshold: float,
             min_confidence: float) -> list[OcrLine]:
        result: Any = self.engine(np.asarray(image), use_det=True, use_cls=False,
                                  use_rec=True, box_thresh=box_threshold)
        if getattr(result, "txts", None) is None:
            return []
        return [OcrLine(np.asarray(box, np.float32), str(text), float(score))
                for box, text, score in zip(result.boxes, result.txts, result.scores,
                                            strict=True)
                if str(text).strip() and float(score) >= min_confidence]


@pytest.fixture(scope="module")
def rapid() -> RapidPipeline:
    return RapidPipeline()


@pytest.fixture(scope="module")
def ours() -> OcrPipeline:
    files = ocr.model_files()
    return OcrPipeline(files["det"], files["rec"], limit_side=ocr.DETECT_SIDE, threads=1)


def _fit(image: Image.Image, side: int) -> Image.Image:
    scale = side / max(image.size)
    if scale >= 1:
        return image
    return image.resize((round(image.width * scale), round(image.height * scale)),
                        Image.Resampling.BILINEAR)


def _assert_same_boxes(theirs: np.ndarray, mine: np.ndarray, what: str) -> None:
    assert len(mine) == len(theirs), f"{what}: {len(mine)} boxes, RapidOCR {len(theirs)}"
    if len(mine):
        worst = float(np.abs(np.asarray(theirs, np.float64) - mine).max())
        assert worst <= BOX_TOLERANCE_PX, f"{what}: a corner {worst} px away from RapidOCR's"


COUNT = 16


@lru_cache(maxsize=1)
def samples() -> tuple[Image.Image, ...]:
    """Half with one or two lines of Latin or Chinese text, half without."""
    return tuple(sample.image for sample in sample_set(COUNT, seed=3))


@pytest.mark.parametrize("index", range(COUNT))
def test_detection_finds_rapidocrs_boxes(rapid: RapidPipeline, ours: OcrPipeline,
                                          index: int) -> None:
    # The gate's detection (480 px, threshold 0.4): the real photos and gradients the samples
    # are drawn on make textured probability maps, with holes and hundreds of regions.
    image = _fit(samples()[index], ocr.GATE_SIDE)
    _assert_same_boxes(rapid.detect(image, ocr.GATE_BOX_THRESHOLD),
                       ours.detect(image, ocr.GATE_BOX_THRESHOLD), f"sample {index} at 480")


def test_the_reader_reads_what_rapidocr_read(rapid: RapidPipeline, ours: OcrPipeline) -> None:
    """The whole reader (gate, blob checks, regions) on either pipeline: the same lines, the
    same text, boxes within a few pixels, confidences close."""
    reference, reader = TextReader(), TextReader()
    reference._pipeline = rapid  # type: ignore[assignment]  # duck-typed: detect + read
    reader._pipeline = ours
    rng = random.Random(5)
    images = list(samples())
    images += [render_sample(rng, (2400, 1800), lines=2, chinese=rng.random() < 0.5).image
               for _ in range(4)]
    chars = errors = 0
    for number, image in enumerate(images):
        theirs, mine = reference.read(image), reader.read(image)
        assert len(mine) == len(theirs), (number, [ln.text for ln in theirs],
                                          [ln.text for ln in mine])
        for a, b in zip(theirs, mine, strict=True):
            chars += len(a.text)
            errors += round(cer(a.text, b.text) * max(1, len(a.text)))
            # Boxes are in the photo's pixels (up to 2400 px): 1280 px scale times 1.9.
            worst = float(np.abs(np.asarray(a.box) - np.asarray(b.box)).max())
            assert worst <= BOX_TOLERANCE_PX * max(image.size) / ocr.DETECT_SIDE, (number, a, b)
            assert abs(a.confidence - b.confidence) < 0.1, (number, a, b)
    assert chars > 100  # the comparison read something
    assert errors / chars <= 0.005, f"{errors} of {chars} characters differ"


def test_regions_and_their_order_are_opencvs() -> None:
    """contour_hulls: OpenCV's findContours(RETR_LIST) count and order (holes included), and
    min_area_boxes its minAreaRect, on random maps full of regions and holes."""
    import cv2

    same_side = total = 0
    for seed in range(12):
        rng = np.random.default_rng(seed)
        mask = rng.random((60, 80)) < rng.uniform(0.3, 0.7)
        if seed % 2:  # blockier shapes, bigger holes
            mask = np.kron(rng.random((20, 27)) < 0.5, np.ones((3, 3), bool))
        contours, _ = cv2.findContours(mask.astype(np.uint8) * 255, cv2.RETR_LIST,
                                       cv2.CHAIN_APPROX_NONE)
        hulls = contour_hulls(mask)
        assert len(hulls) == len(contours)
        for contour, hull, side in zip(contours, hulls, min_area_boxes(hulls)[1],
                                       strict=True):
            # The same boundary: the same extent (a hole's: the pixels around it).
            points = contour.reshape(-1, 2)
            assert (points.min(axis=0) == hull.min(axis=0)).all()
            assert (points.max(axis=0) == hull.max(axis=0)).all()
            total += 1
            same_side += abs(min(cv2.minAreaRect(contour)[1]) - side) < 1e-3
    # Ties between rectangles of equal area (tiny square-ish blobs) may be broken differently.
    assert same_side / total > 0.95



@pytest.mark.parametrize(("source", "target"), [
    ((360, 480), (352, 480)),  # the gate's image: only the height changes
    ((500, 700), (512, 704)),  # a region around a sign at the reading scale
    ((36, 254), (48, 339)),  # a line crop grown to the recogniser's 48 px
    ((120, 900), (48, 360)),  # and one shrunk
    ((20, 600), (32, 960)),  # a flat image brought to RapidOCR's 30 px minimum
])
def test_resize_is_opencvs(source: tuple[int, int], target: tuple[int, int]) -> None:
    import cv2

    from engine.models.ocr_resize import resize_bilinear

    pixels = np.random.default_rng(sum(source)).integers(0, 256, (*source, 3), dtype=np.uint8)
    theirs = cv2.resize(pixels, target[::-1]).astype(int)
    mine = resize_bilinear(pixels, target[::-1]).astype(int)
    assert mine.shape == theirs.shape
    assert np.abs(mine - theirs).max() <= 1
    assert np.mean(mine != theirs) < 0.01
    if source[1] == target[1]:
        assert np.array_equal(mine, theirs)
