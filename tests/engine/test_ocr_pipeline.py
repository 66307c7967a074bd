"""The OCR pipeline's parts (engine.models.ocr_detect, ocr_recognise, ocr_pipeline) on inputs
whose answer is known: regions and holes of drawn maps, rectangles, crops of drawn stripes,
CTC decoding. No OpenCV here: tests/engine/test_ocr_fidelity.py compares with RapidOCR."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from engine.models import ocr
from engine.models.ocr_detect import (
    boxes_from_probability,
    contour_hulls,
    euler_number,
    min_area_boxes,
    network_size,
    reading_order,
)
from engine.models.ocr_pipeline import OcrPipeline, _Prepared
from engine.models.ocr_recognise import TextRecogniser, crop_line, perspective_coefficients
from engine.models.ocr_resize import resize_bilinear


def test_regions_holes_and_their_order() -> None:
    mask = np.zeros((12, 20), bool)
    mask[1:6, 2:9] = True  # a ring: region with a 3 x 3 hole
    mask[2:5, 4:7] = False
    mask[8:10, 12:18] = True  # a bar lower down
    mask[0, 19] = True  # a single pixel at the top right (touches the map's edge)
    mask[6, 9] = True  # touches the ring at a corner only: the same 8-connected region
    assert euler_number(mask) == 3 - 1
    hulls = contour_hulls(mask)
    # OpenCV's order: the reverse of where each boundary's tracing starts in raster order
    # (the hole's: the set pixel left of its first unset pixel, (3, 2)).
    extents = [(tuple(h.min(axis=0)), tuple(h.max(axis=0))) for h in hulls]
    assert extents == [
        ((12.0, 8.0), (17.0, 9.0)),  # the bar, starting at row 8
        ((3.0, 1.0), (7.0, 5.0)),  # the hole: the set pixels around it
        ((2.0, 1.0), (9.0, 6.0)),  # the ring with its corner pixel, starting at (1, 2)
        ((19.0, 0.0), (19.0, 0.0)),  # the pixel, starting at (0, 19)
    ]
    boxes, sides = min_area_boxes(hulls)
    assert sides[0] == pytest.approx(1.0) and sides[3] == 0.0  # pixel centres: 2 rows = 1 px
    # Corners as RapidOCR orders them: top-left, top-right, bottom-right, bottom-left.
    assert boxes[0].tolist() == [[12, 8], [17, 8], [17, 9], [12, 9]]


def test_a_map_with_one_turned_line_gives_one_box_in_image_pixels() -> None:
    probability = np.zeros((64, 128), np.float32)
    canvas = Image.new("L", (128, 64), 0)
    ImageDraw.Draw(canvas).polygon([(20, 20), (100, 28), (98, 40), (18, 32)], fill=230)
    probability[:] = np.asarray(canvas, np.float32) / 255
    found = boxes_from_probability(probability, (256, 128), box_threshold=0.5)
    # The score is the mean inside the region's rectangle, whose rim (the 2 x 2 dilation, the
    # anti-aliased edge) is below the 0.9 drawn: 0.76.
    assert len(found.boxes) == 1 and 0.6 < found.scores[0] < 0.9
    box = found.boxes[0]
    # Grown by DB's unclip (about 1.6 x area / perimeter: ~4 px of the map), then doubled.
    assert box[0, 0] < 40 and box[1, 0] > 200 and box[0, 1] < box[1, 1]  # turned down
    assert np.all(box >= 0) and np.all(box[:, 0] <= 255) and np.all(box[:, 1] <= 127)
    assert boxes_from_probability(probability, (256, 128), box_threshold=0.95).boxes.size == 0


def test_reading_order_and_network_size() -> None:
    def box(x: float, y: float) -> list[list[float]]:
        return [[x, y], [x + 10, y], [x + 10, y + 5], [x, y + 5]]

    boxes = np.array([box(50, 40), box(60, 3), box(0, 8), box(5, 42)], np.float32)
    # Tops within 10 px of each other share a line and go left to right.
    assert reading_order(boxes).tolist() == [2, 1, 3, 0]
    assert network_size(1280, 960, 1280) == (1280, 960)
    # Rounded to multiples of 32 with Python's round, as RapidOCR: 12.5 goes to even, 12.
    assert network_size(600, 400, 1280) == (608, 384)
    assert network_size(2560, 1000, 1280) == (1280, 512)
    assert network_size(10, 10, 1280) is None


def test_crop_straightens_a_turned_line_and_turns_tall_ones() -> None:
    image = Image.new("RGB", (200, 120), "white")
    draw = ImageDraw.Draw(image)
    corners = np.array([[30, 40], [170, 60], [166, 88], [26, 68]], np.float64)
    draw.polygon([tuple(p) for p in corners.tolist()], fill="black")
    line = crop_line(image, corners.astype(np.float32))
    assert line.size == (141, 28)  # the longest top/bottom edge, the longest side edge
    pixels = np.asarray(line.convert("L"), np.float32)
    assert pixels[3:-3, 3:-3].mean() < 20  # inside: the black band, straightened
    tall = crop_line(image, np.array([[10, 10], [30, 10], [30, 80], [10, 80]], np.float32))
    assert tall.size == (70, 20)  # turned a quarter: vertical text reads left to right
    # The projective map sends each source corner onto its target.
    source = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], np.float64)
    a, b, c, d, e, f, g, h = perspective_coefficients(source, corners)
    for (x, y), (u, v) in zip(source, corners, strict=True):
        w = g * x + h * y + 1
        assert (a * x + b * y + c) / w == pytest.approx(u)
        assert (d * x + e * y + f) / w == pytest.approx(v)


def test_resize_bilinear_samples_without_anti_aliasing() -> None:
    stripes = np.zeros((4, 8, 3), np.uint8)
    stripes[:, 1::2] = 255  # one-pixel stripes
    halved = resize_bilinear(stripes, (4, 2))
    # Bilinear at the half-pixel centres of 2 x 2 blocks: each output averages a black and a
    # white column.
    assert halved.shape == (2, 4, 3) and np.all(np.abs(halved.astype(int) - 128) <= 1)
    third = resize_bilinear(np.tile(stripes, (1, 3, 1)), (8, 2))
    assert third.max() - third.min() > 100  # no low-pass filter: stripes survive a 1/3 shrink
    ramp = np.repeat(np.arange(0, 256, 32, dtype=np.uint8)[None, :, None], 3, axis=2)
    grown = resize_bilinear(np.repeat(ramp, 2, axis=0), (16, 2))[0, :, 0]
    # Edges repeat; in between, the mean of the two neighbours at each half-pixel step.
    assert grown[:3].tolist() == [0, 8, 24] and grown[-1] == 224
    assert np.all(np.diff(grown.astype(int)) >= 0)
    same = resize_bilinear(stripes, (8, 4))
    assert np.array_equal(same, stripes) and same is not stripes


def test_padding_and_mapping_back() -> None:
    flat = Image.new("RGB", (900, 60))  # 15:1, wider than 8:1: padded above and below
    prepared = _Prepared.of(flat)
    assert prepared.top == int(abs(max(900 // 8, 30) * 2 - 60) / 2)
    assert prepared.image.size == (900, 60 + 2 * prepared.top)
    box = np.array([[[10, prepared.top + 5], [950, prepared.top + 5],
                     [950, prepared.top + 70], [10, prepared.top + 70]]], np.float32)
    back = prepared.to_original(box)[0]
    assert back[0].tolist() == [10, 5] and back[2].tolist() == [900, 60]  # clipped
    small = _Prepared.of(Image.new("RGB", (20, 200)))  # grown to 30 px, rounded to 32
    assert small.image.size[0] == 32 and small.ratio[0] == pytest.approx(20 / 32)


@pytest.fixture(scope="module")
def pipeline() -> OcrPipeline:
    files = ocr.model_files()
    return OcrPipeline(files["det"], files["rec"], limit_side=ocr.DETECT_SIDE)


def test_ctc_decoding_merges_repeats_and_drops_blanks(pipeline: OcrPipeline) -> None:
    recogniser: TextRecogniser = pipeline.recogniser
    chars = list(recogniser.characters)
    assert chars[0] == "blank" and chars[-1] == " " and len(chars) > 6000
    a, b = chars.index("A"), chars.index("b")
    steps = [a, a, 0, a, b, b, 0, 0, len(chars) - 1, b]
    probs = np.full((1, len(steps), len(chars)), 1e-4, np.float32)
    for t, k in enumerate(steps):
        probs[0, t, k] = 0.9 if t != 4 else 0.6
    [decoded] = recogniser.decode(probs)
    assert decoded.text == "AAb b"
    assert decoded.confidence == pytest.approx((0.9 * 4 + 0.6) / 5, abs=1e-4)
    [empty] = recogniser.decode(np.full((1, 3, len(chars)), 1e-4, np.float32)
                                + np.eye(len(chars), dtype=np.float32)[[0, 0, 0]][None])
    assert empty.text == "" and empty.confidence == 0.0


def test_nothing_to_read_on_a_blank_image(pipeline: OcrPipeline) -> None:
    blank = Image.new("RGB", (640, 480), (128, 128, 128))
    assert pipeline.detect(blank, 0.4).shape == (0, 4, 2)
    assert pipeline.read(blank, 0.5, 0.5) == []
