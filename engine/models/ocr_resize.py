"""Bilinear resizing with OpenCV's arithmetic, on numpy: what the OCR models were trained and
tuned with (``cv2.resize`` with ``INTER_LINEAR``), without OpenCV.

The DB text detector is sensitive to its input: Pillow's bilinear filter (which widens when it
shrinks, and rounds differently) differs from OpenCV's by one grey level on a few pixels in ten,
and that moved a box's mean probability by 0.02 across the threshold on one photo in thirty.
This reproduces OpenCV's fixed-point steps:

* sample positions ``(x + 0.5) * scale - 0.5`` (computed in float32, as OpenCV does),
  clamped to the edge (the edge pixel repeats), no widening of the filter when shrinking;
* weights quantised to 11 bits (``INTER_RESIZE_COEF_BITS``);
* the horizontal pass first, kept as integers scaled by 2048 and shifted right by 4, then the
  vertical pass rounded as OpenCV's vectorised code rounds ``((b0 * (r0 >> 4)) >> 16) + ((b1 *
  (r1 >> 4)) >> 16) + 2) >> 2``.

On random images it matches ``cv2.resize`` exactly where only the height changes (the gate's
case: 480 x 360 -> 480 x 352) and to within one grey level on under 0.3% of the pixels
otherwise (OpenCV's vectorised horizontal pass rounds some weights differently);
tests/engine/test_ocr_fidelity.py compares them.
"""

from __future__ import annotations

import numpy as np

COEF_SCALE = 2048  # 1 << INTER_RESIZE_COEF_BITS


def _taps(source: int, target: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each target position along one axis: its two source indices and their weights
    (summing to about 2048)."""
    position = ((np.arange(target) + 0.5) * (source / target) - 0.5).astype(np.float32)
    first = np.floor(position).astype(np.intp)
    fraction = position - first
    before = first < 0
    fraction[before], first[before] = 0, 0
    after = first >= source - 1
    fraction[after], first[after] = 0, source - 1
    weight_next = np.rint(fraction * COEF_SCALE).astype(np.int32)
    weight_first = np.rint((np.float32(1) - fraction) * COEF_SCALE).astype(np.int32)
    return first, np.minimum(first + 1, source - 1), weight_first, weight_next


def resize_bilinear(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``pixels`` (uint8, height x width x channels) resized to ``size`` (width, height) as
    ``cv2.resize(pixels, size)`` does."""
    height, width, channels = pixels.shape
    new_w, new_h = size
    if (new_w, new_h) == (width, height):
        return pixels.copy()
    rows_first, rows_next, weight_top, weight_bottom = _taps(height, new_h)
    if new_w == width:
        # No horizontal pass: its result would be the pixel * 2048 >> 4 = pixel << 7, and
        # (b * (p << 7)) >> 16 is (b * p) >> 9.
        top = pixels[rows_first].astype(np.int32)
        top *= weight_top[:, None, None]
        top >>= 9
        bottom = pixels[rows_next].astype(np.int32)
        bottom *= weight_bottom[:, None, None]
        bottom >>= 9
    else:
        cols_first, cols_next, weight_left, weight_right = _taps(width, new_w)
        # Gather columns of all channels at once from the rows as flat arrays (much faster
        # than fancy indexing on the column axis of a 3-D array).
        flat = pixels.reshape(height, width * channels)
        lanes = np.arange(channels)
        left = np.take(flat, (cols_first[:, None] * channels + lanes).ravel(), axis=1)
        right = np.take(flat, (cols_next[:, None] * channels + lanes).ravel(), axis=1)
        rows = left.astype(np.int32)
        rows *= np.repeat(weight_left, channels)
        right_part = right.astype(np.int32)
        right_part *= np.repeat(weight_right, channels)
        rows += right_part
        rows >>= 4
        rows = rows.reshape(height, new_w, channels)
        top = rows[rows_first]
        top *= weight_top[:, None, None]
        top >>= 16
        bottom = rows[rows_next]
        bottom *= weight_bottom[:, None, None]
        bottom >>= 16
    top += bottom
    top += 2
    top >>= 2
    return top.astype(np.uint8)
