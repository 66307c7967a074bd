"""Real OCR (our pipeline over the PP-OCRv6 models inside the rapidocr wheel) on rendered
photos."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from PIL import Image
from text_samples import (
    CJK_FONTS,
    LATIN_FONTS,
    background,
    cer,
    draw_text,
    jpeg_roundtrip,
    line_cer,
    missing_fonts,
)

from engine.errors import ModelUnavailableError
from engine.models import ocr
from engine.models.ocr import TextReader

pytestmark = pytest.mark.skipif(bool(missing_fonts()), reason=f"fonts missing: {missing_fonts()}")


@pytest.fixture(scope="module")
def reader() -> TextReader:
    return TextReader()


def photo_with(text: str, font: str, size: tuple[int, int] = (2400, 1800), height: int = 90,
               angle: float = 2.0, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    image = draw_text(background(rng, size), text, font, height, rng, angle=angle,
                      centre=(0.5, 0.4))
    return jpeg_roundtrip(image, 80)


def test_reads_latin_text_with_boxes_in_original_pixels(reader: TextReader) -> None:
    image = photo_with("wifi password hunter2", LATIN_FONTS[0])
    lines = reader.read(image)
    assert line_cer(("wifi password hunter2",), [line.text for line in lines]) <= 0.05
    line = next(line for line in lines if "hunter2" in line.text)
    xs = [p[0] for p in line.box]
    ys = [p[1] for p in line.box]
    assert len(line.box) == 4 and 0.5 < line.confidence <= 1.0
    # Drawn centred at (0.5, 0.4) of a 2400 x 1800 photo.
    assert abs((min(xs) + max(xs)) / 2 - 1200) < 60
    assert abs((min(ys) + max(ys)) / 2 - 720) < 60
    assert 60 < max(ys) - min(ys) < 200


@pytest.mark.parametrize("text", ["增值税发票", "北京欢迎你"])
def test_reads_chinese(reader: TextReader, text: str) -> None:
    lines = reader.read(photo_with(text, CJK_FONTS[0], angle=-1.5))
    assert min(cer(text, line.text) for line in lines) == 0.0


def test_photo_without_text_reads_nothing_and_flags_do_not_stick(reader: TextReader) -> None:
    rng = random.Random(4)
    plain = jpeg_roundtrip(background(rng, (2400, 1800)).filter(_blur()), 85)
    lines, stats = reader.read_with_stats(plain)
    assert lines == [] and stats.gate_boxes == 0 and stats.read_ms == 0.0
    # The gate ran detection only; the next photo must still be recognised.
    again = reader.read(photo_with("Platform 9", LATIN_FONTS[3]))
    assert any("Platform 9" in line.text for line in again)


def _blur():  # noqa: ANN202 - tiny helper
    from PIL import ImageFilter

    return ImageFilter.GaussianBlur(2)


def test_small_and_odd_images(reader: TextReader) -> None:
    assert reader.read(Image.new("RGB", (10, 400), "white")) == []
    assert reader.read(Image.new("L", (64, 64), 128)) == []
    rgba = photo_with("EXIT", LATIN_FONTS[1], size=(600, 400), height=80).convert("RGBA")
    assert any("EXIT" in line.text.upper() for line in reader.read(rgba))


def test_region_reading_matches_whole_photo_reading(reader: TextReader) -> None:
    image = photo_with("Harbour Street", LATIN_FONTS[5], size=(4000, 3000), height=110)
    whole = TextReader(regions=False).read(image)
    assert [line.text for line in reader.read(image)] == [line.text for line in whole]


def test_concurrent_reads_are_serialised(reader: TextReader) -> None:
    image = photo_with("Gate B12", LATIN_FONTS[2], size=(1200, 900), height=60)
    results: list[list[str]] = []

    def work() -> None:
        results.append([line.text for line in reader.read(image)])

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and all(r == results[0] for r in results)
    assert any("B12" in text for text in results[0])


def test_missing_model_is_a_clear_error_not_a_download(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setattr(ocr, "model_dir", lambda: tmp_path)
    with pytest.raises(ModelUnavailableError) as caught:
        TextReader().read(Image.new("RGB", (200, 200)))
    assert "PP-OCRv6_det_small.onnx is missing" in caught.value.user_message


def test_models_are_inside_the_wheel() -> None:
    files = ocr.model_files()
    assert {p.name for p in files.values()} == {ocr.DET_MODEL, ocr.REC_MODEL}
    assert "rapidocr 3." in ocr.model_version() and ocr.PIPELINE in ocr.model_version()


def test_loading_and_reading_never_touch_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = TextReader()
    lines = fresh.read(photo_with("NO PARKING", LATIN_FONTS[4], size=(1200, 900), height=70))
    assert any("PARKING" in line.text.upper() for line in lines)


def test_the_analysis_reads_in_reading_order_with_boxes_in_the_photos_pixels(
        reader: TextReader) -> None:
    from engine.analyses.base import PhotoInput
    from engine.analyses.text import read_photo_text
    from engine.media.imaging import PhotoMetadata

    image = photo_with("wifi password hunter2", LATIN_FONTS[0], size=(1200, 900), height=45)
    # The pass decodes at a reduced size: boxes come back in the full photo's pixels.
    meta = PhotoMetadata(2400, 1800, None, None, None, None, None, 1)
    result = read_photo_text(reader, PhotoInput(Path("x.jpg"), "h", image, meta))
    # Read in reading order, even when the detector cuts the line in two.
    assert cer("wifi password hunter2", " ".join(ln.text for ln in result.lines)) <= 0.05
    ys = [p[1] for ln in result.lines for p in ln.box]
    assert 600 < (min(ys) + max(ys)) / 2 < 840  # drawn at 0.4 of 1800 px
    tiny = read_photo_text(reader, PhotoInput(Path("t.jpg"), "t", Image.new("RGB", (8, 8))))
    assert tiny.lines == () and tiny.note is not None and "too small" in tiny.note
