"""The OCR pipeline: detection, line crops and recognition over the PP-OCR ONNX models, with
numpy, Pillow, shapely and pyclipper around ONNX Runtime (no OpenCV).

What RapidOCR 3.10's ``RapidOCR.__call__`` does with the settings PhotoSearch used (no angle
classifier, no word boxes), step by step:

1. bring the image within 30..2000 px per side (shrinking the long side, or growing the short
   one; both sides then rounded to a multiple of 32);
2. pad it with black above and below when it is at most 30 px high or more than 8 times wider
   than high (the detector finds nothing on very flat images);
3. detect (:mod:`engine.models.ocr_detect`), crop and recognise each box
   (:mod:`engine.models.ocr_recognise`);
4. map the boxes back to the caller's image (undo the padding and the scaling, clip), drop
   empty lines and lines below ``min_confidence``.

The engine's :class:`engine.models.ocr.TextReader` decides which images to hand it (the gate,
the regions around what the gate found).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from engine.models.ocr_detect import TextDetector
from engine.models.ocr_recognise import TextRecogniser, crop_line
from engine.models.ocr_resize import resize_bilinear

MIN_SIDE_LEN = 30  # RapidOCR's Global.min_side_len
MAX_SIDE_LEN = 2000  # Global.max_side_len
PAD_MIN_HEIGHT = 30  # Global.min_height
PAD_RATIO = 8  # Global.width_height_ratio


@dataclass(frozen=True)
class OcrLine:
    """One line read by :meth:`OcrPipeline.read`: its four corners (float32 (4, 2), clockwise
    from top-left, in the pixels of the image given), text and confidence."""

    box: np.ndarray
    text: str
    confidence: float


def new_session(path: Path, threads: int | None) -> object:
    """An ONNX Runtime CPU session for ``path``; ``threads`` intra-op threads (None: ONNX
    Runtime's choice), one inter-op thread."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: ONNX Runtime's warnings are not ours
    options.enable_cpu_mem_arena = False  # as RapidOCR: image sizes vary, the arena only grows
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads and 1 <= threads <= (os.cpu_count() or 1):
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), sess_options=options,
                                providers=["CPUExecutionProvider"])


class OcrPipeline:
    """Detection and recognition on one pair of ONNX sessions. Not thread-safe (the sessions
    are, but callers serialise: see :class:`engine.models.ocr.TextReader`)."""

    def __init__(self, det_model: Path, rec_model: Path, limit_side: int,
                 threads: int | None = 1) -> None:
        self.detector = TextDetector(new_session(det_model, threads), limit_side)
        self.recogniser = TextRecogniser(new_session(rec_model, threads))

    def detect(self, image: Image.Image, box_threshold: float) -> np.ndarray:
        """The text boxes in ``image`` (RGB), float32 (N, 4, 2) in its pixels, in reading
        order; nothing is recognised."""
        prepared = _Prepared.of(image)
        boxes = self.detector.detect(prepared.image, box_threshold).boxes
        return prepared.to_original(boxes)

    def read(self, image: Image.Image, box_threshold: float,
             min_confidence: float) -> list[OcrLine]:
        """The lines in ``image`` (RGB): boxes (in its pixels), text and confidence; lines
        whose text is blank or whose confidence is under ``min_confidence`` are dropped."""
        prepared = _Prepared.of(image)
        boxes = self.detector.detect(prepared.image, box_threshold).boxes
        if len(boxes) == 0:
            return []
        crops = [crop_line(prepared.image, box) for box in boxes]
        recognised = self.recogniser.recognise(crops)
        mapped = prepared.to_original(boxes)
        return [OcrLine(box, found.text, found.confidence)
                for box, found in zip(mapped, recognised, strict=True)
                if found.text.strip() and found.confidence >= min_confidence]


@dataclass(frozen=True)
class _Prepared:
    """The image the detector sees, and how to map its boxes back to the caller's."""

    image: Image.Image
    size: tuple[int, int]  # the caller's (width, height)
    ratio: tuple[float, float]  # caller pixels per prepared pixel (x, y)
    top: int  # black rows added above

    @classmethod
    def of(cls, image: Image.Image) -> _Prepared:
        width, height = image.size
        resized = image
        ratio = (1.0, 1.0)
        for limit, grow in ((MAX_SIDE_LEN, False), (MIN_SIDE_LEN, True)):
            w, h = resized.size
            side = min(w, h) if grow else max(w, h)
            if (side < limit) if grow else (side > limit):
                scale = limit / side
                new_w = int(round(int(w * scale) / 32) * 32)
                new_h = int(round(int(h * scale) / 32) * 32)
                resized = Image.fromarray(resize_bilinear(np.asarray(resized),
                                                          (max(new_w, 1), max(new_h, 1))))
                ratio = (width / resized.width, height / resized.height)
        w, h = resized.size
        top = 0
        if h <= PAD_MIN_HEIGHT or w / h > PAD_RATIO:
            top = int(abs(max(int(w / PAD_RATIO), PAD_MIN_HEIGHT) * 2 - h) / 2)
            padded = Image.new("RGB", (w, h + 2 * top), (0, 0, 0))
            padded.paste(resized, (0, top))
            resized = padded
        return cls(resized, (width, height), ratio, top)

    def to_original(self, boxes: np.ndarray) -> np.ndarray:
        """``boxes`` (prepared pixels) in the caller's pixels, clipped to its image."""
        out = np.array(boxes, dtype=np.float32).reshape(-1, 4, 2)
        out[:, :, 1] -= self.top
        out[:, :, 0] *= self.ratio[0]
        out[:, :, 1] *= self.ratio[1]
        out = np.maximum(out, 0)
        out[:, :, 0] = np.minimum(out[:, :, 0], self.size[0])
        out[:, :, 1] = np.minimum(out[:, :, 1], self.size[1])
        return out
