"""Decode photos for indexing and display: fast, oriented, RGB, and safe on bad files.

The hot path is :func:`decode_photo`: one open of the file gives both the pixels and the
metadata. JPEGs are decoded at reduced DCT scale (``Image.draft``), which is about six times
faster than a full decode at 12 megapixels; the shortest side never drops below what the caller
asked for. EXIF orientation is read from the original file and applied to the small image.

Every per-file problem (empty, not an image, truncated, too large, gone, unreadable) is raised
as :class:`~engine.errors.PhotoReadError` with a short reason for the user; nothing else escapes
for a bad file. Camera RAW and HEIF/AVIF specifics live in :mod:`engine.media.formats`.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from PIL import ExifTags, Image, ImageFile, TiffImagePlugin, UnidentifiedImageError

from engine.errors import PhotoReadError
from engine.i18n import _
from engine.media.formats import (
    AVIF_EXTENSIONS,
    HEIF_EXTENSIONS,
    VIDEO_EXTENSIONS,
    RawPhoto,
    ensure_heif_support,
    media_kind,
    missing_support_message,
    read_raw,
    too_large_message,
)

logger = logging.getLogger(__name__)

RAW_EXTENSIONS: frozenset[str] = frozenset(
    {".dng", ".cr2", ".cr3", ".nef", ".nrw", ".arw", ".orf", ".rw2", ".raf", ".pef", ".srw", ".raw"}
)
SUPPORTED_EXTENSIONS: frozenset[str] = (
    frozenset({".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"})
    | HEIF_EXTENSIONS
    | AVIF_EXTENSIONS
    | RAW_EXTENSIONS
    | VIDEO_EXTENSIONS  # decoded by engine.media.video: the poster frame stands for the video
)
MAX_PIXELS: int = 178_956_970
"""Images whose header declares more pixels than this are refused (decompression bombs)."""
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_CHUNK = 1024 * 1024
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_DATE = re.compile(r"(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_TAG_ORIENTATION, _TAG_MAKE, _TAG_MODEL, _TAG_DATETIME = 0x0112, 0x010F, 0x0110, 0x0132
_TAG_DATETIME_ORIGINAL, _TAG_DATETIME_DIGITIZED = 0x9003, 0x9004


@dataclass(frozen=True)
class PhotoMetadata:
    """What a photo says about itself. Sizes are full resolution, as displayed (oriented)."""

    width: int
    height: int
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    gps_lat: float | None
    gps_lon: float | None
    orientation: int


@dataclass(frozen=True)
class DecodedPhoto:
    """A loaded RGB image, EXIF orientation applied, and the photo's metadata."""

    image: Image.Image
    metadata: PhotoMetadata


def is_photo_path(path: Path) -> bool:
    """True if ``path`` has an extension this module reads (case-insensitive)."""
    return Path(path).suffix.lower() in SUPPORTED_EXTENSIONS


def content_hash(path: Path) -> str:
    """Hex BLAKE2b (16-byte digest) of the whole file, read in 1 MiB chunks."""
    path = Path(path)
    digest = hashlib.blake2b(digest_size=16)
    with _reading(path), open(path, "rb") as fp:
        while chunk := fp.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def decode_photo(path: Path, min_side: int) -> DecodedPhoto:
    """Decode ``path`` for the encoder: RGB, oriented, shortest side in [min_side, ~2*min_side).

    Images smaller than ``min_side`` come back at full size (never upscaled). The metadata comes
    from the same open of the file. Raises :class:`PhotoReadError` for any problem with the file.
    """
    if min_side < 1:
        raise ValueError(f"min_side must be positive, got {min_side}")
    return _decode(Path(path), lambda size: min_side)


def make_thumbnail(path: Path, size: int) -> Image.Image:
    """An RGB, oriented thumbnail that fits in ``size`` x ``size`` and keeps the aspect ratio."""
    if size < 1:
        raise ValueError(f"size must be positive, got {size}")
    image = _decode(Path(path), _fit_within(size)).image
    image.thumbnail((size, size), Image.Resampling.BICUBIC)
    return image


def load_preview(path: Path, max_side: int) -> Image.Image:
    """An RGB, oriented image for display whose longest side is at most ``max_side``."""
    if max_side < 1:
        raise ValueError(f"max_side must be positive, got {max_side}")
    image = _decode(Path(path), _fit_within(max_side)).image
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def read_metadata(path: Path) -> PhotoMetadata:
    """Read dimensions and EXIF facts from the file's header, without decoding its pixels."""
    path = Path(path)
    if is_video_path(path):
        from engine.media import video

        _checked_video(path)
        return video.video_metadata(path)
    with _reading(path):
        if _checked_suffix(path) in RAW_EXTENSIONS:
            return _raw_metadata(read_raw(path.read_bytes(), None, MAX_PIXELS))
        with open(path, "rb") as fp, _open_image(fp, path) as im:
            exif = _exif_of(im, allow_load=False)
            pending = _orientation(exif)
            return _metadata(_displayed_size(im, pending), _original_orientation(im, pending), exif)


def to_rgb(image: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """Convert any Pillow mode to 8-bit RGB; transparent pixels are composited on ``background``.

    16-bit and 32-bit integer images are scaled to 8 bits, not clipped: ``I;16*`` by 255/65535;
    ``I`` and ``F`` by their value range (0..1 for float, 0..255, 0..65535, else min..max).
    """
    if image.mode == "RGB" and "transparency" not in image.info:
        return image
    if image.mode.startswith("I") or image.mode == "F":
        image = _to_8bit_gray(image)
    if image.mode in ("1", "L", "P", "RGB") and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in _ALPHA_MODES:
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        composed = Image.new("RGB", rgba.size, background)
        composed.paste(rgba, mask=rgba.getchannel("A"))
        return composed
    return image.convert("RGB")


def _to_8bit_gray(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I;16"):
        scale, offset = 255 / 65535, 0.0
        image = image.convert("I")
    else:
        extrema = image.getextrema()  # single band: (low, high)
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
        if image.mode == "F" and low >= 0 and high <= 1.0:
            scale, offset = 255.0, 0.0
        elif low >= 0 and high <= 255:
            scale, offset = 1.0, 0.0
        elif low >= 0 and high <= 65535:
            scale, offset = 255 / 65535, 0.0
        else:
            scale = 255 / (high - low) if high > low else 1.0
            offset = -low * scale
    if image.mode == "I" and scale == 1.0 and offset == 0.0:
        return image.convert("L")
    # point() on I/F images takes a linear map; +0.5 rounds instead of truncating.
    return image.point(lambda v: v * scale + offset + 0.5).convert("L")


def _fit_within(side: int) -> Callable[[tuple[int, int]], int]:
    """Shortest side needed so that the image, scaled to fit ``side`` x ``side``, loses nothing."""

    def needed(size: tuple[int, int]) -> int:
        short, long = min(size), max(size)
        return max(1, min(short, math.ceil(side * short / max(long, 1))))

    return needed


def is_video_path(path: Path) -> bool:
    """True if ``path`` is a video (read through :mod:`engine.media.video`)."""
    return media_kind(path) == "video"


def _decode(path: Path, target_short: Callable[[tuple[int, int]], int]) -> DecodedPhoto:
    if is_video_path(path):
        from engine.media import video  # PyAV (FFmpeg) loads only when a video is read

        _checked_video(path)
        return video.decode_poster(path, target_short)
    with _reading(path):
        if _checked_suffix(path) in RAW_EXTENSIONS:
            raw = read_raw(path.read_bytes(), target_short, MAX_PIXELS)
            assert raw.image is not None  # read_raw decodes whenever target_short is given
            image = _finish(raw.image, target_short(raw.size), raw.pending_orientation)
            return DecodedPhoto(image, _raw_metadata(raw))
        with open(path, "rb") as fp, _open_image(fp, path) as im:
            exif = _exif_of(im, allow_load=True)
            preload_pending = _orientation(exif)
            size = _displayed_size(im, preload_pending)
            metadata = _metadata(size, _original_orientation(im, preload_pending), exif)
            needed = target_short(size)
            im.draft("RGB", (needed, needed))  # JPEG: reduced-scale DCT, shortest side >= needed
            if min(im.size) < min(needed, *size):  # a plugin's draft overshot: decode in full
                fp.seek(0)
                with _open_image(fp, path) as full:
                    return DecodedPhoto(_finish_loaded(full, needed), metadata)
            return DecodedPhoto(_finish_loaded(im, needed), metadata)


def _finish_loaded(im: Image.Image, needed: int) -> Image.Image:
    """Load ``im`` and apply the orientation its plugin left to us (some apply it on load)."""
    im.load()
    return _finish(im, needed, _orientation(_exif_of(im, allow_load=True)))


def _finish(image: Image.Image, needed: int, pending: int) -> Image.Image:
    """Loaded image -> detached RGB image, shrunk towards ``needed``, then oriented."""
    result = _orient(_shrink(to_rgb(image), needed), pending)
    return result.copy() if result is image else result


def _shrink(image: Image.Image, needed: int) -> Image.Image:
    """Integer-factor box reduction keeping the shortest side >= ``needed`` (and < 2x it)."""
    factor = min(image.size) // max(needed, 1)
    return image.reduce(factor) if factor >= 2 else image


def _orient(image: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return image if method is None else image.transpose(method)


def _checked_video(path: Path) -> None:
    with _reading(path):
        _checked_suffix(path)


def _checked_suffix(path: Path) -> str:
    """Stat ``path`` and refuse what is not a non-empty regular file; return its suffix."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(str(path))
    if not stat.S_ISREG(info.st_mode):
        raise PhotoReadError(_("not a regular file"), str(path))
    if info.st_size == 0:
        raise PhotoReadError(_("file is empty (0 bytes)"), str(path))
    return path.suffix.lower()


def _open_image(fp: IO[bytes], path: Path) -> ImageFile.ImageFile:
    """Open ``fp`` with Pillow and refuse images over :data:`MAX_PIXELS` before decoding."""
    ensure_heif_support()
    try:
        im = Image.open(fp)
    except UnidentifiedImageError as exc:
        reason = missing_support_message(path.suffix.lower())
        if reason is not None:
            raise PhotoReadError(reason, repr(exc)) from exc
        raise
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise PhotoReadError(too_large_message(im.width, im.height, MAX_PIXELS), str(path))
    return im


def _exif_of(im: Image.Image, *, allow_load: bool) -> Image.Exif:
    """The image's EXIF, or an empty one if it has none or it is malformed."""
    if im.format == "PNG" and "exif" not in im.info:
        # Pillow decodes the whole PNG to look for eXIf past IDAT. Do that only when the pixels
        # are wanted anyway, and outside the try: a failed load leaves a half image behind.
        if not allow_load:
            return Image.Exif()
        im.load()
    try:
        return im.getexif()
    except Exception as exc:
        logger.debug("ignoring malformed EXIF: %r", exc)
        return Image.Exif()


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(_TAG_ORIENTATION, 1)
    if isinstance(value, tuple) and value:
        value = value[0]
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _original_orientation(im: Image.Image, pending: int) -> int:
    """The file's EXIF orientation even where the plugin (pillow_heif) already applied it."""
    original = im.info.get("original_orientation")
    return original if isinstance(original, int) and 1 <= original <= 8 else pending


def _displayed_size(im: Image.Image, pending: int) -> tuple[int, int]:
    """Full-resolution displayed size of an unloaded image whose ``pending`` turn is not done."""
    width, height = im.size
    if isinstance(im, TiffImagePlugin.TiffImageFile):
        # Newer Pillow reports a TIFF's size already turned but turns the pixels only on load.
        tags = im.tag_v2
        if isinstance(tags.get(256), int) and isinstance(tags.get(257), int):
            width, height = tags[256], tags[257]
    return (height, width) if pending >= 5 else (width, height)


def _raw_metadata(raw: RawPhoto) -> PhotoMetadata:
    return _metadata(raw.size, raw.orientation, raw.exif)


def _metadata(size: tuple[int, int], orientation: int, exif: Image.Exif) -> PhotoMetadata:
    sub = _sub_ifd(exif, ExifTags.IFD.Exif)
    gps = _sub_ifd(exif, ExifTags.IFD.GPSInfo)
    taken_at = None
    for value in (
        sub.get(_TAG_DATETIME_ORIGINAL),
        sub.get(_TAG_DATETIME_DIGITIZED),
        exif.get(_TAG_DATETIME),
    ):
        taken_at = _parse_date(value)
        if taken_at is not None:
            break
    return PhotoMetadata(
        width=size[0],
        height=size[1],
        taken_at=taken_at,
        camera_make=_clean_text(exif.get(_TAG_MAKE)),
        camera_model=_clean_text(exif.get(_TAG_MODEL)),
        gps_lat=_gps_coordinate(gps.get(2), gps.get(1), "S", 90.0),
        gps_lon=_gps_coordinate(gps.get(4), gps.get(3), "W", 180.0),
        orientation=orientation,
    )


def _sub_ifd(exif: Image.Exif, tag: int) -> dict[int, object]:
    try:
        return dict(exif.get_ifd(tag))
    except Exception as exc:
        logger.debug("ignoring malformed EXIF IFD %#x: %r", tag, exc)
        return {}


def _clean_text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    return value.replace("\x00", " ").strip() or None


def _parse_date(value: object) -> str | None:
    text = _clean_text(value)
    match = _DATE.search(text) if text else None
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        return datetime(year, month, day, hour, minute, second).isoformat()
    except ValueError:  # "0000:00:00 00:00:00" and other impossible dates
        return None


def _gps_coordinate(value: object, ref: object, negative_ref: str, limit: float) -> float | None:
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(part) for part in value]  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = sum(part / 60**index for index, part in enumerate(parts))
    if not math.isfinite(degrees) or degrees > limit:
        return None
    ref_text = _clean_text(ref) or ""
    return -degrees if ref_text.upper().startswith(negative_ref) else degrees


@contextmanager
def reading(path: Path, format_reason: Callable[[BaseException], str | None]
            ) -> Iterator[None]:
    """Turn every failure while reading ``path`` into a :class:`PhotoReadError` with a reason
    for the user: the file's own problems first (gone, a folder, no permission), then
    ``format_reason(exc)`` (the decoder's: photos here, videos in :mod:`engine.media.video`),
    else "file is truncated or corrupt"."""
    try:
        yield
    except PhotoReadError as exc:
        exc.details = exc.details or str(path)
        logger.debug("cannot read %s: %s (%s)", path, exc.user_message, exc.details)
        raise
    except Exception as exc:  # OSError, SyntaxError, ValueError, struct.error... from decoders
        reason = _file_reason(exc) or format_reason(exc) or _("file is truncated or corrupt")
        details = f"{path}: {type(exc).__name__}: {exc}"
        logger.debug("cannot read %s: %s", path, details)
        raise PhotoReadError(reason, details) from exc


def _file_reason(exc: BaseException) -> str | None:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return _("file vanished while reading")
    if isinstance(exc, IsADirectoryError):
        return _("not a file (it is a folder)")
    if isinstance(exc, PermissionError):
        return _("permission denied")
    return None


def _image_reason(exc: BaseException) -> str | None:
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        found = re.search(r"\((\d+) pixels\)", str(exc))
        limit = MAX_PIXELS // 1_000_000
        if found:
            return _("image is too large: {size} megapixels exceeds the {limit} megapixel "
                     "limit").format(size=int(found.group(1)) // 1_000_000, limit=limit)
        return _("image is too large: its size exceeds the {limit} megapixel limit").format(
            limit=limit)
    if isinstance(exc, UnidentifiedImageError):
        return _("not an image file")
    if isinstance(exc, MemoryError):
        return _("not enough memory to decode the image")
    return None


def _reading(path: Path) -> AbstractContextManager[None]:
    """:func:`reading` a photo."""
    return reading(path, _image_reason)
