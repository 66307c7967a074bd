"""Text detection for OCR: the PP-OCR DB detector's network on ONNX Runtime, and its
post-processing (binary map -> text boxes) on numpy, Pillow, shapely and pyclipper.

This is the detection step RapidOCR 3.10 runs (``rapidocr/ch_ppocr_det``), rebuilt without
OpenCV so that the bundles need not carry it (179 MB with its codecs). The steps and constants
follow RapidOCR's defaults, so the same model finds the same boxes:

1. resize the image so that both sides are multiples of 32 (and its long side at most
   ``limit_side``), normalise to [-1, 1], run the network: a text probability per pixel;
2. threshold the map at 0.3 and dilate it with a 2 x 2 square;
3. find the boundaries of the map's 8-connected regions and of the holes in them, in OpenCV's
   order (``findContours`` with ``RETR_LIST``; at most 1000 are looked at); each one's
   minimum-area rectangle (``minAreaRect``) is a candidate;
4. drop candidates whose short side is under 3 px or whose mean probability inside the
   rectangle (``box_score_fast``) is under ``box_threshold``;
5. grow each rectangle by ``area * 1.6 / perimeter`` (pyclipper, round joins: DB's "unclip"),
   take the minimum-area rectangle again, drop it under 5 px, scale it back to the image;
6. order corners clockwise from top-left, clip to the image, order boxes top to bottom (lines
   within 10 px of each other left to right).

Without OpenCV: regions are labelled from runs of set pixels per row joined by a vectorised
union-find, holes counted by the Euler number (and labelled only when there are some); the
rectangles come from GEOS (shapely), which may break a tie between rectangles of equal least
area (square-ish blobs of a few pixels) differently; resizing is OpenCV's arithmetic on numpy
(:mod:`engine.models.ocr_resize`); the box score's polygon mask is Pillow's (it and OpenCV's
``fillPoly`` differ on about 0.5% of edge pixels).
tests/engine/test_ocr_fidelity.py compares the boxes with RapidOCR's where OpenCV is installed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyclipper
import shapely
from PIL import Image, ImageDraw

from engine.models.ocr_resize import resize_bilinear

logger = logging.getLogger(__name__)

BINARY_THRESHOLD = 0.3  # DB's probability threshold for the binary map
MAX_CANDIDATES = 1000  # boundaries looked at per map, in OpenCV's order (see contour_hulls)
UNCLIP_RATIO = 1.6
MIN_SIZE = 3  # a candidate's short side, in pixels of the probability map
LINE_GAP = 10  # boxes whose tops are closer than this are one line (ordered left to right)


@dataclass(frozen=True)
class Detection:
    """The boxes found in one image: ``boxes`` is float32 (N, 4, 2), corners clockwise from
    top-left, in the image's pixels; ``scores`` the mean probability inside each box's
    rectangle before it was grown (same order as ``boxes``)."""

    boxes: np.ndarray
    scores: tuple[float, ...]


class TextDetector:
    """Runs the DB text detection network (an ONNX Runtime session) on RGB images."""

    def __init__(self, session: Any, limit_side: int) -> None:
        self.session = session
        self.limit_side = limit_side
        self._input = session.get_inputs()[0].name

    def detect(self, image: Image.Image, box_threshold: float) -> Detection:
        """The text boxes in ``image`` (RGB) whose mean probability is at least
        ``box_threshold``, ordered top to bottom and left to right."""
        width, height = image.size
        scaled = network_size(width, height, self.limit_side)
        if scaled is None:
            return Detection(np.zeros((0, 4, 2), np.float32), ())
        pixels = np.asarray(image)
        if scaled != image.size:
            pixels = resize_bilinear(pixels, scaled)
        batch = pixels.astype(np.float32)
        batch = (batch * np.float32(2 / 255) - np.float32(1.0)).transpose(2, 0, 1)[None]
        probability = self.session.run(None, {self._input: np.ascontiguousarray(batch)})[0]
        return boxes_from_probability(probability[0, 0], (width, height), box_threshold)


def network_size(width: int, height: int, limit_side: int) -> tuple[int, int] | None:
    """The size the network sees: the long side at most ``limit_side``, both sides rounded to
    a multiple of 32 (Python's rounding, as RapidOCR); None when one rounds to nothing."""
    ratio = min(1.0, limit_side / max(width, height))
    new_w = int(round(int(width * ratio) / 32) * 32)
    new_h = int(round(int(height * ratio) / 32) * 32)
    if new_w <= 0 or new_h <= 0:
        return None
    return new_w, new_h


def boxes_from_probability(probability: np.ndarray, size: tuple[int, int],
                           box_threshold: float) -> Detection:
    """DB post-processing: the boxes in ``probability`` (an H x W map of the network's text
    probability), scaled to an image of ``size`` (width, height)."""
    map_h, map_w = probability.shape
    dest_w, dest_h = size
    mask = _dilate(probability > BINARY_THRESHOLD)
    regions = contour_hulls(mask)
    if len(regions) > MAX_CANDIDATES:  # a texture: the first in raster order are dropped
        logger.debug("%d region boundaries, %d looked at", len(regions), MAX_CANDIDATES)
        regions = regions[:MAX_CANDIDATES]
    if not regions:
        return Detection(np.zeros((0, 4, 2), np.float32), ())
    candidates, sides = min_area_boxes(regions)
    boxes: list[np.ndarray] = []
    scores: list[float] = []
    grown: list[np.ndarray] = []
    for index in np.nonzero(sides >= MIN_SIZE)[0]:
        score = box_score(probability, candidates[index])
        if score < box_threshold:
            continue
        expanded = unclip(candidates[index])
        if expanded is None:
            continue
        grown.append(expanded)
        scores.append(score)
    kept_scores: list[float] = []
    grown_boxes, grown_sides = min_area_boxes(grown)
    for box, side, score in zip(grown_boxes, grown_sides, scores, strict=True):
        if side < MIN_SIZE + 2:
            continue
        box[:, 0] = np.clip(np.round(box[:, 0] / map_w * dest_w), 0, dest_w)
        box[:, 1] = np.clip(np.round(box[:, 1] / map_h * dest_h), 0, dest_h)
        box = _clockwise(box.astype(np.int32).astype(np.float32))
        box[:, 0] = np.clip(box[:, 0], 0, dest_w - 1)
        box[:, 1] = np.clip(box[:, 1], 0, dest_h - 1)
        box = np.trunc(box)
        if (int(np.linalg.norm(box[0] - box[1])) <= 3
                or int(np.linalg.norm(box[0] - box[3])) <= 3):
            continue
        boxes.append(box)
        kept_scores.append(score)
    if not boxes:
        return Detection(np.zeros((0, 4, 2), np.float32), ())
    order = reading_order(np.stack(boxes))
    return Detection(np.stack(boxes)[order], tuple(kept_scores[i] for i in order))


def _dilate(mask: np.ndarray) -> np.ndarray:
    """``mask`` dilated with a 2 x 2 square anchored at its bottom-right cell (OpenCV's
    anchor for an even kernel): a pixel is set when it or its left, upper or upper-left
    neighbour is."""
    out = mask.copy()
    out[:, 1:] |= mask[:, :-1]
    out[1:, :] |= out[:-1, :].copy()
    return out


def contour_hulls(mask: np.ndarray) -> list[np.ndarray]:
    """What OpenCV's ``findContours(RETR_LIST)`` finds in a boolean map, without OpenCV: one
    entry per 8-connected region's outer boundary and per hole inside a region, in OpenCV's
    order (the reverse of the raster order in which each boundary's tracing starts); each
    entry the (x, y) points that span the convex hull of the boundary's pixels, float64
    (K, 2).

    Outer boundaries span a region's pixels: the first and last pixel of each of its runs of
    set pixels on a row. A hole (a 4-connected patch of unset pixels not touching the map's
    edge) is bounded by the set pixels next to it: each of its runs, widened by one pixel to
    the left and right and moved one row up and down. Holes only count towards
    :data:`MAX_CANDIDATES` (and become candidates, as OpenCV's do); when the Euler number says
    there are none, no labelling of the unset pixels is needed.
    """
    height, width = mask.shape
    stride = width + 2
    rows, starts, ends = _runs(mask)
    if len(rows) == 0:
        return []
    labels, firsts = _label_runs(rows, starts, ends, stride, diagonal=True)
    keys = [rows[firsts] * stride + starts[firsts]]
    xs = np.stack([starts, ends - 1], axis=1).astype(np.float64)
    ys = np.repeat(rows[:, None], 2, axis=1).astype(np.float64)
    groups = [_group(np.stack([xs, ys], axis=2).reshape(-1, 2), np.repeat(labels, 2),
                     len(firsts))]
    if len(firsts) - euler_number(mask) > 0:  # holes
        h_rows, h_starts, h_ends = _runs(~mask)
        h_labels, h_firsts = _label_runs(h_rows, h_starts, h_ends, stride, diagonal=False)
        edge = np.zeros(len(h_firsts), bool)
        touching = ((h_rows == 0) | (h_rows == height - 1) | (h_starts == 0)
                    | (h_ends == width))
        edge[h_labels[touching]] = True
        inner = np.nonzero(~edge)[0]
        if len(inner):
            keep = ~edge[h_labels]
            r, s, e, lab = h_rows[keep], h_starts[keep], h_ends[keep], h_labels[keep]
            remap = np.full(len(h_firsts), -1)
            remap[inner] = np.arange(len(inner))
            px = np.stack([s - 1, e, s, e - 1, s, e - 1], axis=1).astype(np.float64)
            py = np.stack([r, r, r - 1, r - 1, r + 1, r + 1], axis=1).astype(np.float64)
            groups.append(_group(np.stack([px, py], axis=2).reshape(-1, 2),
                                 np.repeat(remap[lab], 6), len(inner)))
            first = h_firsts[inner]
            keys.append(h_rows[first] * stride + h_starts[first] - 1)
    hulls = [points for group in groups for points in group]
    order = np.argsort(-np.concatenate(keys), kind="stable")
    return [hulls[i] for i in order]


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, first column and end column (exclusive) of every run of set pixels, row by row."""
    height, width = mask.shape
    padded = np.zeros((height, width + 2), np.int8)
    padded[:, 1:-1] = mask
    steps = np.diff(padded, axis=1)
    rows, starts = np.nonzero(steps == 1)
    ends = np.nonzero(steps == -1)[1]  # same (row, order) as the starts
    return rows, starts, ends


def _label_runs(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, stride: int,
                diagonal: bool) -> tuple[np.ndarray, np.ndarray]:
    """Connected runs: each run's region number (regions numbered in raster order of their
    first run) and each region's first run. Runs on adjacent rows are connected when they
    overlap, or (``diagonal``: 8-connectivity) touch at a corner."""
    count = len(rows)
    start_keys = rows * stride + starts
    end_keys = rows * stride + ends
    reach = 0 if diagonal else 1  # end is exclusive: end >= start' is a corner contact
    # The runs of row r - 1 that meet a run of row r form a contiguous range of the sorted
    # runs: end + (0|-1) >= start' and start <= end' - (0|1).
    below = np.nonzero(rows > 0)[0]
    above_row = (rows[below] - 1) * stride
    first = np.searchsorted(end_keys, above_row + starts[below] + reach, side="left")
    last = np.searchsorted(start_keys, above_row + ends[below] - reach, side="right")
    counts = np.maximum(last - first, 0)
    total = int(counts.sum())
    parent = np.arange(count)
    if total:
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        parent = _union(parent, np.repeat(below, counts), np.repeat(first, counts) + offsets)
    roots, labels = np.unique(parent, return_inverse=True)  # a root is its region's first run
    return labels, roots


def _group(points: np.ndarray, labels: np.ndarray, count: int) -> list[np.ndarray]:
    """``points`` split by ``labels`` (0 .. count - 1)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.cumsum(np.bincount(labels, minlength=count))[:-1]
    return np.split(points[order], bounds)


def euler_number(mask: np.ndarray) -> int:
    """Regions minus holes of a boolean map, regions 8-connected (Gray's bit-quad count)."""
    padded = np.zeros((mask.shape[0] + 2, mask.shape[1] + 2), np.uint8)
    padded[1:-1, 1:-1] = mask
    a, b = padded[:-1, :-1], padded[:-1, 1:]
    c, d = padded[1:, :-1], padded[1:, 1:]
    total = a + b + c + d
    ones = int(np.count_nonzero(total == 1))
    threes = int(np.count_nonzero(total == 3))
    diagonals = int(np.count_nonzero((total == 2) & (a == d)))
    return (ones - threes - 2 * diagonals) // 4


def _union(parent: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Connected components of the graph of edges ``src``-``dst``: every node's label becomes
    the smallest node of its component (hooking larger roots under smaller ones, then pointer
    jumping, until every edge joins equal labels)."""
    while True:
        a, b = parent[src], parent[dst]
        differ = a != b
        if not differ.any():
            return parent
        a, b = a[differ], b[differ]
        np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped


def min_area_boxes(point_sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For each point set: its minimum-area enclosing rectangle as four float32 corners,
    ordered as RapidOCR orders OpenCV's ``boxPoints`` (the two left-most points, upper one
    first; then the two right-most, upper one first: top-left, top-right, bottom-right,
    bottom-left for a box that is not turned by more than 45 degrees), and its short side:
    arrays (N, 4, 2) and (N,). Degenerate sets (one point, or all on a line) have a short
    side of 0.

    GEOS (shapely 2.1+) computes the rectangle, all sets in one call; where several
    rectangles have the same least area (square-ish sets of a few pixels) it may pick another
    one than OpenCV."""
    count = len(point_sets)
    boxes = np.zeros((count, 4, 2), np.float32)
    sides = np.zeros(count, np.float64)
    if count == 0:
        return boxes, sides
    coords = np.concatenate(point_sets)
    index = np.repeat(np.arange(count), [len(p) for p in point_sets])
    rects = shapely.minimum_rotated_rectangle(shapely.multipoints(coords, indices=index))
    polygon = np.nonzero(shapely.get_type_id(rects) == shapely.GeometryType.POLYGON)[0]
    if len(polygon) == 0:
        return boxes, sides
    # A rectangle's exterior: five coordinates, the last repeating the first.
    corners = shapely.get_coordinates(rects[polygon]).reshape(-1, 5, 2)[:, :4]
    sides[polygon] = np.minimum(np.linalg.norm(corners[:, 1] - corners[:, 0], axis=1),
                                np.linalg.norm(corners[:, 2] - corners[:, 1], axis=1))
    boxes[polygon] = _corner_order(corners)
    return boxes, sides


def _corner_order(corners: np.ndarray) -> np.ndarray:
    """RapidOCR's ``get_mini_boxes`` order of rectangles' corners, (N, 4, 2) (see
    :func:`min_area_boxes`)."""
    order = np.argsort(corners[:, :, 0], axis=1, kind="stable")
    by_x = np.take_along_axis(corners, order[:, :, None], axis=1)
    upper_left = by_x[:, 1, 1] > by_x[:, 0, 1]
    upper_right = by_x[:, 3, 1] > by_x[:, 2, 1]
    top_left = np.where(upper_left[:, None], by_x[:, 0], by_x[:, 1])
    bottom_left = np.where(upper_left[:, None], by_x[:, 1], by_x[:, 0])
    top_right = np.where(upper_right[:, None], by_x[:, 2], by_x[:, 3])
    bottom_right = np.where(upper_right[:, None], by_x[:, 3], by_x[:, 2])
    return np.stack([top_left, top_right, bottom_right, bottom_left], axis=1)


def box_score(probability: np.ndarray, box: np.ndarray) -> float:
    """The mean of ``probability`` over the polygon ``box`` (integer corners, edges
    included), inside the map."""
    height, width = probability.shape
    x0 = int(np.clip(np.floor(box[:, 0].min()), 0, width - 1))
    x1 = int(np.clip(np.ceil(box[:, 0].max()), 0, width - 1))
    y0 = int(np.clip(np.floor(box[:, 1].min()), 0, height - 1))
    y1 = int(np.clip(np.ceil(box[:, 1].max()), 0, height - 1))
    corners = [(int(x - x0), int(y - y0)) for x, y in box.tolist()]
    canvas = Image.new("L", (x1 - x0 + 1, y1 - y0 + 1), 0)
    draw = ImageDraw.Draw(canvas)
    draw.polygon(corners, fill=1)
    draw.line([*corners, corners[0]], fill=1)  # OpenCV's fillPoly includes the edges
    inside = np.asarray(canvas, dtype=bool)
    if not inside.any():
        return 0.0
    return float(probability[y0:y1 + 1, x0:x1 + 1][inside].mean())


def unclip(box: np.ndarray) -> np.ndarray | None:
    """``box`` grown outwards by ``area * UNCLIP_RATIO / perimeter`` with round corners (the
    DB paper's offset, which undoes the shrinking of text regions in training); None when the
    offset leaves nothing."""
    polygon = shapely.Polygon(box)
    if polygon.length == 0:
        return None
    distance = polygon.area * UNCLIP_RATIO / polygon.length
    offset = pyclipper.PyclipperOffset()
    offset.AddPath(box, pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    paths = offset.Execute(distance)
    if not paths:
        return None
    return np.concatenate([np.asarray(path, dtype=np.float64) for path in paths])


def _clockwise(points: np.ndarray) -> np.ndarray:
    """Four corners as top-left, top-right, bottom-right, bottom-left: the two left-most
    points by y, then the two right-most by y."""
    by_x = points[np.argsort(points[:, 0])]
    left = by_x[:2][np.argsort(by_x[:2, 1])]
    right = by_x[2:][np.argsort(by_x[2:, 1])]
    return np.stack([left[0], right[0], right[1], left[1]]).astype(np.float32)


def reading_order(boxes: np.ndarray) -> np.ndarray:
    """Indices that order ``boxes`` top to bottom by their first corner; boxes whose tops are
    less than :data:`LINE_GAP` px below the previous one's share its line and go left to
    right."""
    by_y = np.argsort(boxes[:, 0, 1], kind="stable")
    tops = boxes[by_y, 0, 1]
    line = np.concatenate([[0], np.cumsum(np.diff(tops) >= LINE_GAP)])
    return by_y[np.lexsort((boxes[by_y, 0, 0], line))]
