"""Text recognition for OCR: cut each detected line out of the image, run the PP-OCR CTC
recogniser (an ONNX Runtime session) on batches of lines, decode the characters.

The steps RapidOCR 3.10 runs (``rapidocr/utils/process_img.get_rotate_crop_image`` and
``rapidocr/ch_ppocr_rec``), rebuilt without OpenCV:

* crop: the box's quadrilateral mapped onto an upright rectangle as wide and high as its
  longest top/bottom and left/right edges (a perspective warp, bicubic: Pillow's
  ``Image.transform``), turned a quarter left when it is at least 1.5 times higher than wide
  (vertical text);
* batch: lines sorted by aspect ratio, six at a time; each is resized to 48 px high keeping its
  aspect ratio (bilinear with OpenCV's arithmetic: :mod:`engine.models.ocr_resize`), normalised to
  [-1, 1] and padded with zeros on the right to the widest line of its batch (at least 320);
* decode: per time step the most likely class; repeats merged, blanks dropped; the line's
  confidence is the mean probability of the characters kept (0 for an empty line). The
  character list is the model's own (the ``character`` entry of the ONNX file's metadata),
  with the CTC blank first and a space last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from engine.models.ocr_resize import resize_bilinear

LINE_HEIGHT = 48
MIN_WIDTH = 320  # the narrowest batch the recogniser is fed (aspect 320 / 48)
BATCH = 6
TALL = 1.5  # a crop this much higher than wide holds vertical text: turn it


@dataclass(frozen=True)
class Recognised:
    """One line's text and its confidence (mean probability of its characters)."""

    text: str
    confidence: float


def characters_of(session: Any) -> list[str]:
    """The recogniser's classes: CTC blank, the model's characters, a space."""
    meta = session.get_modelmeta().custom_metadata_map
    if "character" not in meta:
        raise ValueError("the recognition model carries no character list in its metadata")
    return ["blank", *meta["character"].splitlines(), " "]


def crop_line(image: Image.Image, box: np.ndarray) -> Image.Image:
    """The quadrilateral ``box`` (four corners clockwise from top-left, in ``image``'s pixels)
    warped onto an upright rectangle; turned a quarter left when it is tall."""
    corners = np.asarray(box, dtype=np.float64)
    width = int(max(np.linalg.norm(corners[0] - corners[1]),
                    np.linalg.norm(corners[2] - corners[3])))
    height = int(max(np.linalg.norm(corners[0] - corners[3]),
                     np.linalg.norm(corners[1] - corners[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    # Pillow maps each output pixel's centre (x + 0.5) to the input's continuous coordinates;
    # OpenCV's warp (whose geometry RapidOCR uses) maps integer pixel positions: shift by half
    # a pixel on both sides so both sample the same points.
    coefficients = perspective_coefficients(target + 0.5, corners + 0.5)
    line = image.transform((width, height), Image.Transform.PERSPECTIVE, coefficients,
                           Image.Resampling.BICUBIC)
    if height / width >= TALL:
        line = line.transpose(Image.Transpose.ROTATE_90)
    return line


def perspective_coefficients(source: np.ndarray, target: np.ndarray) -> tuple[float, ...]:
    """The eight coefficients (a..h) of the projective map sending each of the four
    ``source`` points to its ``target`` point: x' = (ax + by + c) / (gx + hy + 1), y' =
    (dx + ey + f) / (gx + hy + 1), the form Pillow's ``Image.transform`` takes (output pixel
    to input pixel)."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(source, target, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    solution = np.linalg.solve(np.asarray(rows, np.float64), np.asarray(rhs, np.float64))
    return tuple(float(c) for c in solution)


class TextRecogniser:
    """Runs the CTC text recognition network (an ONNX Runtime session) on line images."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.characters = np.array(characters_of(session), dtype=object)
        self._input = session.get_inputs()[0].name

    def recognise(self, lines: list[Image.Image]) -> list[Recognised]:
        """The text of each line image (RGB), in the order given."""
        ratios = np.array([line.width / line.height for line in lines])
        order = np.argsort(ratios)  # similar widths share a batch: less padding
        results: list[Recognised] = [Recognised("", 0.0)] * len(lines)
        for begin in range(0, len(lines), BATCH):
            chosen = order[begin:begin + BATCH]
            widest = max(MIN_WIDTH / LINE_HEIGHT, float(ratios[chosen].max()))
            batch_width = int(LINE_HEIGHT * widest)
            batch = np.zeros((len(chosen), 3, LINE_HEIGHT, batch_width), np.float32)
            for row, index in enumerate(chosen):
                width = min(batch_width, math.ceil(LINE_HEIGHT * ratios[index]))
                pixels = resize_bilinear(np.asarray(lines[index]),
                                         (width, LINE_HEIGHT)).astype(np.float32)
                batch[row, :, :, :width] = (pixels * np.float32(2 / 255)
                                            - np.float32(1.0)).transpose(2, 0, 1)
            probabilities = self.session.run(None, {self._input: batch})[0]
            for row, decoded in enumerate(self.decode(probabilities)):
                results[int(chosen[row])] = decoded
        return results

    def decode(self, probabilities: np.ndarray) -> list[Recognised]:
        """Greedy CTC decoding of (lines, steps, classes) probabilities."""
        best = probabilities.argmax(axis=2)
        confidence = probabilities.max(axis=2)
        keep = best != 0
        keep[:, 1:] &= best[:, 1:] != best[:, :-1]
        out = []
        for classes, probs, kept in zip(best, confidence, keep, strict=True):
            text = "".join(self.characters[classes[kept]])
            score = float(probs[kept].mean()) if kept.any() else 0.0
            out.append(Recognised(text, round(score, 5)))
        return out
