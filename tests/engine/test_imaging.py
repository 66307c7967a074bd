"""Tests for engine.media.imaging: decoding, orientation, modes, metadata, guards, every format."""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from imaging_samples import (
    GREEN,
    displayed_sample,
    exif_with,
    jpeg_with_declared_size,
    markers,
    png_header_only,
    stored_for,
    write_dng,
)
from PIL import Image, ImageFile, JpegImagePlugin, features

from engine.errors import PhotoReadError
from engine.media import formats as imaging_formats
from engine.media.imaging import (
    MAX_PIXELS,
    RAW_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    DecodedPhoto,
    PhotoMetadata,
    content_hash,
    decode_photo,
    is_photo_path,
    load_preview,
    make_thumbnail,
    read_metadata,
    to_rgb,
)

UPRIGHT = ("red", "blue", "grey")
ALL_ORIENTATIONS = list(range(1, 9))


def _heif_writer() -> None:
    import pillow_heif  # the engine reads with pi-heif, which cannot write

    pillow_heif.register_heif_opener()


def _heif_reader() -> None:
    """Give the HEIF opener back to pi-heif, the engine's reader (pillow-heif's writer stays)."""
    import pi_heif

    pi_heif.register_heif_opener(depth_images=False, aux_images=False)


def save_sample(path: Path, image: Image.Image, fmt: str, **options: Any) -> Path:
    """Save with the format's own writer; lossless where the format allows."""
    if fmt == "HEIF":
        _heif_writer()
        options.setdefault("quality", 90)
        if isinstance(options.get("exif"), Image.Exif):
            # pillow_heif turns EXIF orientation into HEIF irot/imir only when given bytes.
            options["exif"] = options["exif"].tobytes()
    elif fmt == "AVIF":
        options.setdefault("quality", 90)
        options.setdefault("speed", 10)
    elif fmt == "WEBP":
        options.setdefault("lossless", True)
    elif fmt == "JPEG":
        options.setdefault("quality", 95)
    image.save(path, fmt, **options)
    if fmt == "HEIF":
        _heif_reader()
    return path


def oriented_file(tmp_path: Path, fmt: str, suffix: str, orientation: int) -> Path:
    stored = stored_for(displayed_sample(), orientation)
    exif = exif_with(orientation=orientation)
    return save_sample(tmp_path / f"o{orientation}{suffix}", stored, fmt, exif=exif)


# --- extensions and hashing -------------------------------------------------------------------


def test_supported_extensions_cover_the_documented_set() -> None:
    expected = {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"}
    expected |= {".heic", ".heif", ".avif"}
    videos = {".mp4", ".m4v", ".mov", ".qt", ".mkv", ".webm", ".avi", ".3gp", ".3g2", ".mts",
              ".m2ts"}  # read by engine.media.video (their poster frame)
    assert expected | RAW_EXTENSIONS | videos == SUPPORTED_EXTENSIONS
    assert {".dng", ".cr2", ".cr3", ".nef", ".arw", ".raf", ".rw2", ".orf"} <= RAW_EXTENSIONS
    assert all(ext == ext.lower() and ext.startswith(".") for ext in SUPPORTED_EXTENSIONS)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.jpg", True),
        ("A.JPG", True),
        ("b.Heic", True),
        ("c.NEF", True),
        ("d.tiff", True),
        ("notes.txt", False),
        ("jpg", False),
        (".jpg", False),
        ("archive.jpg.zip", False),
    ],
)
def test_is_photo_path_by_extension_case_insensitive(name: str, expected: bool) -> None:
    assert is_photo_path(Path("/photos") / name) is expected


def test_content_hash_is_blake2b_16_over_the_whole_file(tmp_path: Path) -> None:
    data = os.urandom(2 * 1024 * 1024 + 12345)  # spans three 1 MiB chunks
    path = tmp_path / "big.jpg"
    path.write_bytes(data)
    assert content_hash(path) == hashlib.blake2b(data, digest_size=16).hexdigest()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    assert content_hash(path) != hashlib.blake2b(data, digest_size=16).hexdigest()


def test_content_hash_of_missing_file_is_a_photo_read_error(tmp_path: Path) -> None:
    with pytest.raises(PhotoReadError, match="vanished"):
        content_hash(tmp_path / "gone.jpg")


# --- EXIF orientation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp"), ("TIFF", ".tif")]
)
@pytest.mark.parametrize("orientation", ALL_ORIENTATIONS)
def test_every_exif_orientation_comes_out_upright(
    tmp_path: Path, fmt: str, suffix: str, orientation: int
) -> None:
    path = oriented_file(tmp_path, fmt, suffix, orientation)
    decoded = decode_photo(path, min_side=48)
    assert decoded.image.mode == "RGB"
    assert decoded.image.size == (64, 48)
    assert markers(decoded.image) == UPRIGHT
    expected = PhotoMetadata(64, 48, None, None, None, None, None, orientation)
    assert decoded.metadata == expected
    assert read_metadata(path) == expected


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_heif_orientation_comes_out_upright(tmp_path: Path, orientation: int) -> None:
    path = oriented_file(tmp_path, "HEIF", ".heic", orientation)
    decoded = decode_photo(path, min_side=48)
    assert decoded.image.size == (64, 48)
    assert markers(decoded.image) == UPRIGHT
    assert (decoded.metadata.width, decoded.metadata.height) == (64, 48)
    assert decoded.metadata.orientation == orientation
    assert read_metadata(path) == decoded.metadata


@pytest.mark.parametrize("orientation", [6, 7])
def test_avif_orientation_comes_out_upright(tmp_path: Path, orientation: int) -> None:
    path = oriented_file(tmp_path, "AVIF", ".avif", orientation)
    decoded = decode_photo(path, min_side=48)
    assert decoded.image.size == (64, 48)
    assert markers(decoded.image) == UPRIGHT
    assert (decoded.metadata.width, decoded.metadata.height, decoded.metadata.orientation) == (
        64,
        48,
        orientation,
    )
    assert read_metadata(path) == decoded.metadata


@pytest.mark.parametrize("orientation", [5, 6, 8])
def test_thumbnail_and_preview_are_oriented(tmp_path: Path, orientation: int) -> None:
    path = oriented_file(tmp_path, "JPEG", ".jpg", orientation)
    thumb = make_thumbnail(path, 32)
    assert thumb.mode == "RGB" and thumb.size == (32, 24)
    assert markers(thumb) == UPRIGHT
    preview = load_preview(path, 1000)  # never upscaled
    assert preview.size == (64, 48) and markers(preview) == UPRIGHT


# --- the draft hot path -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def twelve_mp(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """4000x3000 JPEGs as a camera stores them: landscape (1) and held upright (6, 8)."""
    folder = tmp_path_factory.mktemp("12mp")
    landscape = displayed_sample((4000, 3000))
    portrait = displayed_sample((3000, 4000))
    files = {1: save_sample(folder / "o1.jpg", landscape, "JPEG", quality=80)}
    for orientation in (6, 8):
        stored = stored_for(portrait, orientation)
        assert stored.size == (4000, 3000)
        exif = exif_with(orientation=orientation)
        files[orientation] = save_sample(
            folder / f"o{orientation}.jpg", stored, "JPEG", quality=80, exif=exif
        )
    return files


@pytest.mark.parametrize(
    ("min_side", "expected"),
    [(224, (500, 375)), (375, (500, 375)), (376, (1000, 750)), (750, (1000, 750)), (751, None)],
)
def test_jpeg_draft_decodes_at_the_largest_scale_that_keeps_min_side(
    twelve_mp: dict[int, Path], min_side: int, expected: tuple[int, int] | None
) -> None:
    decoded = decode_photo(twelve_mp[1], min_side)
    width, height = decoded.image.size
    if expected is not None:  # 1/8 and 1/4 DCT scale: only draft mode gives exactly these
        assert (width, height) == expected
    assert min_side <= min(width, height) < 2 * min_side
    assert markers(decoded.image) == UPRIGHT
    assert (decoded.metadata.width, decoded.metadata.height) == (4000, 3000)


@pytest.mark.parametrize("orientation", [6, 8])
def test_jpeg_draft_of_a_portrait_photo_keeps_min_side_and_turns(
    twelve_mp: dict[int, Path], orientation: int
) -> None:
    decoded = decode_photo(twelve_mp[orientation], 224)
    assert decoded.image.size == (375, 500)
    assert markers(decoded.image) == UPRIGHT
    assert decoded.metadata == PhotoMetadata(3000, 4000, None, None, None, None, None, orientation)


def test_thumbnail_and_preview_of_a_large_jpeg(twelve_mp: dict[int, Path]) -> None:
    thumb = make_thumbnail(twelve_mp[6], 256)
    assert thumb.size == (192, 256) and markers(thumb) == UPRIGHT
    preview = load_preview(twelve_mp[1], 1000)
    assert preview.size == (1000, 750) and markers(preview) == UPRIGHT


def test_large_png_is_shrunk_but_never_below_min_side(tmp_path: Path) -> None:
    path = save_sample(tmp_path / "big.png", displayed_sample((2000, 1500)), "PNG")
    decoded = decode_photo(path, 100)
    assert 100 <= min(decoded.image.size) < 200
    assert decoded.image.size == (134, 100)
    assert markers(decoded.image) == UPRIGHT
    assert (decoded.metadata.width, decoded.metadata.height) == (2000, 1500)


def test_a_draft_that_overshoots_falls_back_to_a_full_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_sample(tmp_path / "small.jpg", displayed_sample(), "JPEG")
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def greedy_draft(self: Any, mode: str | None, size: tuple[int, int] | None) -> Any:
        return real_draft(self, mode, (1, 1))  # 1/8 scale whatever was asked

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", greedy_draft)
    decoded = decode_photo(path, 48)
    assert decoded.image.size == (64, 48) and markers(decoded.image) == UPRIGHT


def test_small_image_is_not_upscaled(tmp_path: Path) -> None:
    path = save_sample(tmp_path / "small.jpg", displayed_sample(), "JPEG")
    assert decode_photo(path, 224).image.size == (64, 48)


def test_min_side_must_be_positive(tmp_path: Path) -> None:
    path = save_sample(tmp_path / "small.jpg", displayed_sample(), "JPEG")
    with pytest.raises(ValueError):
        decode_photo(path, 0)


# --- every format, from a real file -------------------------------------------------------------


FORMATS = [
    ("JPEG", ".jpg"),
    ("JPEG", ".jpeg"),
    ("PNG", ".png"),
    ("WEBP", ".webp"),
    ("GIF", ".gif"),
    ("TIFF", ".tiff"),
    ("BMP", ".bmp"),
    ("HEIF", ".heic"),
    ("HEIF", ".heif"),
    ("AVIF", ".avif"),
]


@pytest.mark.parametrize(("fmt", "suffix"), FORMATS)
def test_each_format_decodes_thumbnails_and_previews(tmp_path: Path, fmt: str, suffix: str) -> None:
    path = save_sample(tmp_path / f"sample{suffix}", displayed_sample((96, 72)), fmt)
    decoded = decode_photo(path, 32)
    assert isinstance(decoded, DecodedPhoto)
    assert decoded.image.mode == "RGB"
    assert 32 <= min(decoded.image.size) < 64
    assert markers(decoded.image) == UPRIGHT
    assert (decoded.metadata.width, decoded.metadata.height) == (96, 72)
    assert read_metadata(path) == decoded.metadata
    thumb = make_thumbnail(path, 40)
    assert thumb.mode == "RGB" and thumb.size == (40, 30)
    preview = load_preview(path, 48)
    assert preview.mode == "RGB" and preview.size == (48, 36) and markers(preview) == UPRIGHT


def test_gif_decodes_its_first_frame(tmp_path: Path) -> None:
    first, second = displayed_sample(), Image.new("RGB", (64, 48), GREEN)
    path = tmp_path / "anim.gif"
    first.save(path, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    assert markers(decode_photo(path, 16).image) == UPRIGHT


def test_transparent_gif_and_png_are_composited_on_white(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    rgba.paste((200, 0, 0, 255), (0, 0, 16, 32))
    png = save_sample(tmp_path / "alpha.png", rgba, "PNG")
    gif = save_sample(tmp_path / "alpha.gif", rgba, "GIF")
    for path in (png, gif):
        image = decode_photo(path, 32).image
        assert image.getpixel((24, 16)) == (255, 255, 255), path
        assert image.getpixel((4, 16)) == (200, 0, 0), path


def test_sixteen_bit_png_and_tiff_are_scaled_not_clipped(tmp_path: Path) -> None:
    gray = Image.new("I;16", (8, 8), 40000)
    gray.putpixel((0, 0), 0)
    gray.putpixel((1, 0), 65535)
    for path in (tmp_path / "g16.png", tmp_path / "g16.tif"):
        gray.save(path)
        image = decode_photo(path, 8).image
        assert image.getpixel((4, 4)) == (156, 156, 156), path  # 40000 * 255 / 65535 = 155.6
        assert image.getpixel((0, 0)) == (0, 0, 0)
        assert image.getpixel((1, 0)) == (255, 255, 255)


def test_cmyk_jpeg_is_converted(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (32, 32), (0, 255, 255, 0)).save(path, "JPEG", quality=95)
    pixel = decode_photo(path, 32).image.getpixel((16, 16))
    assert pixel[0] > 230 and pixel[1] < 30 and pixel[2] < 30  # type: ignore[index]


# --- to_rgb, mode by mode -----------------------------------------------------------------------


def _palette_image(transparency: int | None) -> Image.Image:
    image = Image.new("P", (2, 1))
    image.putpalette([10, 20, 30, 200, 100, 50] + [0] * 762)
    image.putpixel((1, 0), 1)
    if transparency is not None:
        image.info["transparency"] = transparency
    return image


def _image(mode: str, pixels: list[Any], **info: Any) -> Image.Image:
    image = Image.new(mode, (len(pixels), 1))
    for x, value in enumerate(pixels):
        image.putpixel((x, 0), value)
    image.info.update(info)
    return image


MODE_CASES: list[tuple[str, Callable[[], Image.Image], list[tuple[int, int, int]]]] = [
    ("P", lambda: _palette_image(None), [(10, 20, 30), (200, 100, 50)]),
    ("P+transparency", lambda: _palette_image(0), [(0, 255, 0), (200, 100, 50)]),
    ("PA", lambda: _palette_image(None).convert("PA"), [(10, 20, 30), (200, 100, 50)]),
    ("L", lambda: _image("L", [0, 77, 255]), [(0, 0, 0), (77, 77, 77), (255, 255, 255)]),
    ("L+transparency", lambda: _image("L", [5, 77], transparency=5), [(0, 255, 0), (77,) * 3]),
    ("LA", lambda: _image("LA", [(77, 0), (77, 255)]), [(0, 255, 0), (77, 77, 77)]),
    ("1", lambda: _image("1", [0, 1]), [(0, 0, 0), (255, 255, 255)]),
    ("I 8-bit range", lambda: _image("I", [0, 77, 255]), [(0,) * 3, (77,) * 3, (255,) * 3]),
    ("I 16-bit range", lambda: _image("I", [0, 32768, 65535]), [(0,) * 3, (128,) * 3, (255,) * 3]),
    ("I wide range", lambda: _image("I", [-1000, 1000]), [(0, 0, 0), (255, 255, 255)]),
    ("I;16", lambda: _image("I;16", [0, 40000, 65535]), [(0,) * 3, (156,) * 3, (255,) * 3]),
    ("I;16B", lambda: _image("I;16B", [0, 40000, 65535]), [(0,) * 3, (156,) * 3, (255,) * 3]),
    ("I;16L", lambda: _image("I;16L", [0, 257, 65535]), [(0,) * 3, (1,) * 3, (255,) * 3]),
    ("F 0..1", lambda: _image("F", [0.0, 0.5, 1.0]), [(0,) * 3, (128,) * 3, (255,) * 3]),
    ("F 0..255", lambda: _image("F", [0.0, 200.0]), [(0, 0, 0), (200, 200, 200)]),
    ("CMYK", lambda: _image("CMYK", [(0, 0, 0, 0), (0, 255, 255, 0)]), [(255,) * 3, (255, 0, 0)]),
    ("RGBA", lambda: _image("RGBA", [(255, 0, 0, 0), (10, 20, 30, 255)]),
     [(0, 255, 0), (10, 20, 30)]),
    ("RGB+transparency", lambda: _image("RGB", [(1, 2, 3), (9, 9, 9)], transparency=(1, 2, 3)),
     [(0, 255, 0), (9, 9, 9)]),
    ("RGBX", lambda: _image("RGBX", [(1, 2, 3, 0)]), [(1, 2, 3)]),
]  # fmt: skip


@pytest.mark.parametrize(("mode", "make", "expected"), MODE_CASES, ids=[c[0] for c in MODE_CASES])
def test_to_rgb_converts_each_mode_with_correct_values(
    mode: str, make: Callable[[], Image.Image], expected: list[tuple[int, int, int]]
) -> None:
    converted = to_rgb(make(), background=(0, 255, 0))
    assert converted.mode == "RGB"
    assert [converted.getpixel((x, 0)) for x in range(len(expected))] == expected


def test_to_rgb_composites_partial_alpha_over_the_background_not_black() -> None:
    half_red = Image.new("RGBA", (1, 1), (255, 0, 0, 128))
    white = to_rgb(half_red).getpixel((0, 0))
    assert white == pytest.approx((255, 127, 127), abs=1)
    assert to_rgb(Image.new("RGBA", (1, 1), (0, 0, 0, 0))).getpixel((0, 0)) == (255, 255, 255)
    assert to_rgb(half_red, background=(0, 0, 0)).getpixel((0, 0)) == pytest.approx(
        (128, 0, 0), abs=1
    )


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [("YCbCr", (76, 85, 255), (254, 0, 0)), ("LAB", (255, 128, 128), (255, 255, 255))],
)
def test_to_rgb_colour_spaces(
    mode: str, value: tuple[int, int, int], expected: tuple[int, int, int]
) -> None:
    pixel = to_rgb(Image.new(mode, (1, 1), value)).getpixel((0, 0))
    assert pixel == pytest.approx(expected, abs=3)


def test_to_rgb_returns_rgb_images_unchanged() -> None:
    image = Image.new("RGB", (2, 2), (1, 2, 3))
    assert to_rgb(image) is image


# --- EXIF metadata ------------------------------------------------------------------------------


def _jpeg_with(tmp_path: Path, exif: Image.Exif, name: str = "meta.jpg") -> Path:
    return save_sample(tmp_path / name, displayed_sample(), "JPEG", exif=exif)


def test_exif_metadata_round_trip(tmp_path: Path) -> None:
    exif = exif_with(
        make="Canon\x00\x00  ",
        model="  EOS R5\x00",
        datetime_original="2021:06:05 14:03:02",
        datetime_digitized="2022:01:01 00:00:00",
        datetime="2023:01:01 00:00:00",
        gps=("S", (33.0, 51.0, 54.45), "W", (151.0, 12.0, 3.0)),
    )
    path = _jpeg_with(tmp_path, exif)
    meta = read_metadata(path)
    assert meta.taken_at == "2021-06-05T14:03:02"
    assert meta.camera_make == "Canon"
    assert meta.camera_model == "EOS R5"
    assert meta.gps_lat == pytest.approx(-(33 + 51 / 60 + 54.45 / 3600))
    assert meta.gps_lon == pytest.approx(-(151 + 12 / 60 + 3 / 3600))
    assert (meta.width, meta.height, meta.orientation) == (64, 48, 1)
    assert decode_photo(path, 16).metadata == meta


def test_north_east_gps_is_positive(tmp_path: Path) -> None:
    exif = exif_with(gps=("N", (48.0, 51.0, 29.6), "E", (2.0, 17.0, 40.2)))
    meta = read_metadata(_jpeg_with(tmp_path, exif))
    assert meta.gps_lat == pytest.approx(48.858222, abs=1e-5)
    assert meta.gps_lon == pytest.approx(2.294500, abs=1e-5)


@pytest.mark.parametrize(
    ("exif_args", "expected"),
    [
        ({"datetime_digitized": "2020:02:29 23:59:59"}, "2020-02-29T23:59:59"),
        ({"datetime": "2019:12:31 08:00:00"}, "2019-12-31T08:00:00"),
        ({"datetime_original": "0000:00:00 00:00:00", "datetime": "2019:12:31 08:00:00"},
         "2019-12-31T08:00:00"),
        ({"datetime_original": "    :  :     :  :  "}, None),
        ({"datetime_original": "2021:13:45 25:00:00"}, None),
        ({"datetime_original": "2021:06:05 14:03:02\x00"}, "2021-06-05T14:03:02"),
        ({}, None),
    ],
)  # fmt: skip
def test_taken_at_falls_back_and_rejects_invalid_dates(
    tmp_path: Path, exif_args: dict[str, Any], expected: str | None
) -> None:
    assert read_metadata(_jpeg_with(tmp_path, exif_with(**exif_args))).taken_at == expected


def test_broken_gps_is_ignored(tmp_path: Path) -> None:
    nan = float("nan")
    exif = exif_with(make="X", gps=("S", (nan, nan, nan), "W", (200.0, 0.0, 0.0)))
    meta = read_metadata(_jpeg_with(tmp_path, exif))
    assert (meta.gps_lat, meta.gps_lon, meta.camera_make) == (None, None, "X")


def test_no_exif_gives_empty_metadata(tmp_path: Path) -> None:
    path = save_sample(tmp_path / "plain.bmp", displayed_sample(), "BMP")
    assert read_metadata(path) == PhotoMetadata(64, 48, None, None, None, None, None, 1)


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("PNG", ".png"), ("WEBP", ".webp"), ("HEIF", ".heic"), ("AVIF", ".avif")]
)
def test_exif_metadata_from_other_formats(tmp_path: Path, fmt: str, suffix: str) -> None:
    exif = exif_with(
        make="Apple", model="iPhone 15", datetime_original="2024:07:01 09:30:00",
        gps=("N", (10.0, 30.0, 0.0), "W", (20.0, 15.0, 0.0)),
    )  # fmt: skip
    path = save_sample(tmp_path / f"m{suffix}", displayed_sample(), fmt, exif=exif)
    meta = decode_photo(path, 16).metadata
    assert (meta.camera_make, meta.camera_model) == ("Apple", "iPhone 15")
    assert meta.taken_at == "2024-07-01T09:30:00"
    assert (meta.gps_lat, meta.gps_lon) == pytest.approx((10.5, -20.25))
    assert read_metadata(path) == meta


def test_tiff_metadata_from_its_own_tags(tmp_path: Path) -> None:
    exif = exif_with(make="Nikon", model="D850", datetime="2018:03:04 05:06:07", orientation=6)
    path = save_sample(tmp_path / "m.tif", stored_for(displayed_sample(), 6), "TIFF", exif=exif)
    meta = read_metadata(path)
    assert meta == PhotoMetadata(64, 48, "2018-03-04T05:06:07", "Nikon", "D850", None, None, 6)
    assert decode_photo(path, 16).metadata == meta


# --- guards: every bad file is a PhotoReadError -------------------------------------------------


READERS: list[Callable[[Path], object]] = [
    lambda path: decode_photo(path, 32),
    read_metadata,
    lambda path: make_thumbnail(path, 32),
    lambda path: load_preview(path, 64),
]
READER_IDS = ["decode_photo", "read_metadata", "make_thumbnail", "load_preview"]


def _noisy_jpeg(path: Path) -> Path:
    noise = Image.merge("RGB", [Image.effect_noise((256, 256), 64 + 8 * i) for i in range(3)])
    return save_sample(path, noise, "JPEG", quality=90)


@pytest.mark.parametrize("read", READERS, ids=READER_IDS)
def test_empty_file(tmp_path: Path, read: Callable[[Path], object]) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(PhotoReadError) as caught:
        read(path)
    assert caught.value.user_message == "file is empty (0 bytes)"


@pytest.mark.parametrize("read", READERS, ids=READER_IDS)
def test_text_file_named_jpg(tmp_path: Path, read: Callable[[Path], object]) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("these are not the pixels you are looking for\n" * 20)
    with pytest.raises(PhotoReadError) as caught:
        read(path)
    assert caught.value.user_message == "not an image file"
    assert "notes.jpg" in caught.value.details


def test_truncated_jpeg_is_an_error_and_truncation_stays_disallowed(tmp_path: Path) -> None:
    whole = _noisy_jpeg(tmp_path / "whole.jpg").read_bytes()
    path = tmp_path / "half.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    for min_side in (16, 256):  # reduced-scale and full decode
        with pytest.raises(PhotoReadError) as caught:
            decode_photo(path, min_side)
        assert caught.value.user_message == "file is truncated or corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_corrupt_png_data(tmp_path: Path) -> None:
    noise = Image.merge("RGB", [Image.effect_noise((64, 64), 60) for _ in range(3)])
    data = bytearray(save_sample(tmp_path / "ok.png", noise, "PNG").read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path = tmp_path / "corrupt.png"
    path.write_bytes(bytes(data))
    with pytest.raises(PhotoReadError, match="truncated or corrupt"):
        decode_photo(path, 16)


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.png"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(PhotoReadError, match="not an image file"):
        decode_photo(path, 16)


TRUNCATABLE = [f for f in FORMATS if f[1] not in (".jpeg", ".heif")] + [("DNG", ".dng")]


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
@pytest.mark.filterwarnings("ignore:Truncated File Read:UserWarning")
@pytest.mark.parametrize(("fmt", "suffix"), TRUNCATABLE)
def test_any_truncation_gives_photo_read_error_or_an_image(
    tmp_path: Path, fmt: str, suffix: str
) -> None:
    noise = Image.merge("RGB", [Image.effect_noise((48, 32), 50) for _ in range(3)])
    if fmt == "DNG":
        data = write_dng(tmp_path / "whole.dng", noise, 6, preview=noise).read_bytes()
    else:
        data = save_sample(tmp_path / f"whole{suffix}", noise, fmt).read_bytes()
    for cut in sorted({1, 8, 20, 60, len(data) // 3, len(data) // 2, len(data) - 4}):
        path = tmp_path / f"cut{cut}{suffix}"
        path.write_bytes(data[:cut])
        for read in READERS:
            with contextlib.suppress(PhotoReadError):  # any other exception fails the test
                read(path)


def test_decompression_bomb_refused_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header_only(40000, 40000))  # Pillow's own DecompressionBombError
    for read in READERS:
        with pytest.raises(PhotoReadError) as caught:
            read(path)
        assert caught.value.user_message.startswith("image is too large: 1600 megapixels")
        assert "178 megapixel limit" in caught.value.user_message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("over.png", png_header_only(15000, 15000)),
        ("over.jpg", jpeg_with_declared_size(15000, 15000)),
    ],
)
def test_over_the_pixel_limit_refused_before_decoding(
    tmp_path: Path, name: str, data: bytes
) -> None:
    assert MAX_PIXELS < 15000 * 15000 and Image.MAX_IMAGE_PIXELS == MAX_PIXELS
    path = tmp_path / name
    path.write_bytes(data)
    expected = "image is too large: 15000x15000 pixels exceeds the 178 megapixel limit"
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(PhotoReadError) as caught:
        decode_photo(path, 32)
    assert caught.value.user_message == expected
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the warning raised as an exception is handled too
        with pytest.raises(PhotoReadError, match="too large"):
            read_metadata(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    for read in READERS:
        with pytest.raises(PhotoReadError) as caught:
            read(tmp_path / "gone.jpg")
        assert caught.value.user_message == "file vanished while reading"
        with pytest.raises(PhotoReadError, match="folder"):
            read(tmp_path)
        with pytest.raises(PhotoReadError, match="vanished"):
            read(tmp_path / "gone.jpg" / "deeper.jpg")
    with pytest.raises(PhotoReadError, match="folder"):
        content_hash(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.jpg"
    os.mkfifo(path)
    with pytest.raises(PhotoReadError, match="not a regular file"):
        decode_photo(path, 16)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save_sample(tmp_path / "locked.jpg", displayed_sample(), "JPEG")
    real_open = builtins.open

    def refusing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    for read in [*READERS, content_hash]:
        with pytest.raises(PhotoReadError) as caught:
            read(path)
        assert caught.value.user_message == "permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = save_sample(tmp_path / "locked.jpg", displayed_sample(), "JPEG")
    path.chmod(0)
    with pytest.raises(PhotoReadError, match="permission denied"):
        decode_photo(path, 16)


def test_heic_is_read_by_pi_heif_without_pillow_heif(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The installed app reads HEIC with pi-heif alone (pillow-heif only writes test samples)."""
    path = oriented_file(tmp_path, "HEIF", ".heic", 6)  # stored turned, EXIF turns it back
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # import fails
    monkeypatch.setattr(imaging_formats, "_heif_tried", False)
    monkeypatch.setattr(imaging_formats, "_heif_error", None)
    monkeypatch.setattr(Image, "ID", [name for name in Image.ID if name != "HEIF"])
    monkeypatch.setattr(Image, "OPEN", {k: v for k, v in Image.OPEN.items() if k != "HEIF"})
    assert imaging_formats.missing_support_message(".heic") is None
    with Image.open(path) as opened:
        assert type(opened).__module__.startswith("pi_heif")
    assert markers(decode_photo(path, 16).image) == UPRIGHT


def test_missing_heif_support_gives_a_clear_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_sample(tmp_path / "photo.heic", displayed_sample(), "HEIF")
    monkeypatch.setitem(sys.modules, "pi_heif", None)  # imports fail
    monkeypatch.setitem(sys.modules, "pillow_heif", None)
    monkeypatch.setattr(imaging_formats, "_heif_tried", False)
    monkeypatch.setattr(imaging_formats, "_heif_error", None)
    monkeypatch.setattr(Image, "ID", [name for name in Image.ID if name != "HEIF"])
    with pytest.raises(PhotoReadError) as caught:
        decode_photo(path, 16)
    assert caught.value.user_message == "HEIC support is not installed: pip install pi-heif"
    jpeg = save_sample(tmp_path / "still.jpg", displayed_sample(), "JPEG")
    assert markers(decode_photo(jpeg, 16).image) == UPRIGHT  # other formats still work


def test_avif_support_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    assert imaging_formats.missing_support_message(".avif") is None  # Pillow >= 11.3 reads AVIF
    monkeypatch.setattr(features, "check", lambda name: False)
    monkeypatch.setattr(imaging_formats, "_avif_via_heif", False)
    reason = imaging_formats.missing_support_message(".avif")
    assert reason is not None and reason.startswith("AVIF support is not installed")


# --- camera RAW (a hand-made DNG that LibRaw decodes) ----------------------------------------


def test_dng_sample_is_a_real_raw_file(tmp_path: Path) -> None:
    import rawpy

    path = write_dng(tmp_path / "plain.dng", displayed_sample(), 6)
    with rawpy.imread(str(path)) as raw:
        pattern = raw.raw_pattern
        assert raw.sizes.flip == 6 and pattern is not None and pattern.shape == (2, 2)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_dng_without_preview_is_demosaiced_and_oriented(tmp_path: Path, orientation: int) -> None:
    path = write_dng(tmp_path / f"o{orientation}.dng", displayed_sample(), orientation)
    decoded = decode_photo(path, 16)  # half-size demosaic: 32x24, shortest side 24 >= 16
    assert decoded.image.mode == "RGB"
    assert decoded.image.size == (32, 24)
    assert markers(decoded.image) == UPRIGHT
    expected = PhotoMetadata(
        64, 48, "2021-06-05T14:03:02", "TestCam", "Model X", None, None, orientation
    )
    assert decoded.metadata == expected
    assert read_metadata(path) == expected
    assert decode_photo(path, 30).image.size == (64, 48)  # half size would be too small


@pytest.mark.parametrize("orientation", [1, 6, 8])
def test_dng_embedded_preview_is_used_when_big_enough(tmp_path: Path, orientation: int) -> None:
    preview = displayed_sample((32, 24), background=GREEN)  # green marks the preview path
    path = write_dng(tmp_path / "p.dng", displayed_sample(), orientation, preview=preview)
    fast = decode_photo(path, 16)
    assert fast.image.size == (32, 24)
    assert markers(fast.image) == ("red", "blue", "green")
    assert (fast.metadata.width, fast.metadata.height) == (64, 48)
    assert fast.metadata.orientation == orientation
    slow = decode_photo(path, 30)  # preview too small: demosaic the sensor data instead
    assert slow.image.size == (64, 48)
    assert markers(slow.image) == UPRIGHT
    thumb = make_thumbnail(path, 24)
    assert thumb.size == (24, 18) and markers(thumb) == ("red", "blue", "green")


@pytest.mark.parametrize(("raw_orientation", "preview_orientation"), [(6, 6), (1, 6), (1, 3)])
def test_dng_preview_with_its_own_exif_orientation_is_turned_once(
    tmp_path: Path, raw_orientation: int, preview_orientation: int
) -> None:
    preview = displayed_sample((32, 24), background=GREEN)
    path = write_dng(
        tmp_path / "own.dng",
        displayed_sample(),
        raw_orientation,
        preview=preview,
        preview_orientation=preview_orientation,
    )
    image = decode_photo(path, 16).image
    assert image.size == (32, 24)
    assert markers(image) == ("red", "blue", "green")


def test_raw_garbage_and_truncation(tmp_path: Path) -> None:
    garbage = tmp_path / "junk.nef"
    garbage.write_bytes(os.urandom(8192))
    whole = write_dng(tmp_path / "whole.dng", displayed_sample()).read_bytes()
    truncated = tmp_path / "cut.dng"
    truncated.write_bytes(whole[:100])
    for path in (garbage, truncated):
        for read in READERS:
            with pytest.raises(PhotoReadError):
                read(path)


def test_missing_rawpy_gives_a_clear_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_dng(tmp_path / "x.dng", displayed_sample())
    monkeypatch.setitem(sys.modules, "rawpy", None)
    with pytest.raises(PhotoReadError, match="RAW support is not installed: pip install rawpy"):
        decode_photo(path, 16)


def test_dng_sample_embeds_a_jpeg_preview(tmp_path: Path) -> None:
    import rawpy

    preview = displayed_sample((32, 24), background=GREEN)
    path = write_dng(tmp_path / "p.dng", displayed_sample(), 1, preview=preview)
    with rawpy.imread(str(path)) as raw:
        thumb = raw.extract_thumb()
    assert thumb.format == rawpy.ThumbFormat.JPEG and isinstance(thumb.data, bytes)
    assert markers(Image.open(io.BytesIO(thumb.data)).convert("RGB")) == ("red", "blue", "green")
