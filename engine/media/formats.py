"""Format-specific readers behind :mod:`engine.media.imaging`: HEIF/AVIF openers and camera RAW.

pi-heif (or pillow-heif) and rawpy are optional at run time: they are imported on first use,
so a missing library only makes its own formats fail, each with a :class:`PhotoReadError` that
says what to install. Nothing here imports Qt or prints.
"""

from __future__ import annotations

import importlib
import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Literal

from PIL import Image, features

from engine.errors import PhotoReadError
from engine.i18n import _

logger = logging.getLogger(__name__)

HEIF_EXTENSIONS = frozenset({".heic", ".heif"})
AVIF_EXTENSIONS = frozenset({".avif"})
# Videos are read by engine.media.video (PyAV); the name lives here so that knowing what a
# video is never imports FFmpeg.
VIDEO_EXTENSIONS = frozenset(
    {".mp4", ".m4v", ".mov", ".qt", ".mkv", ".webm", ".avi", ".3gp", ".3g2", ".mts", ".m2ts"}
)
MediaKind = Literal["photo", "video"]
"""What a catalogued file is, stored with its row (``photos.media_kind``, migration 7): the
video analyses and the counts find the videos by an index instead of every path's extension."""


def media_kind(path: str | PurePath) -> MediaKind:
    """``"video"`` for a file with a video extension (any case), else ``"photo"``.

    Adding an extension to :data:`VIDEO_EXTENSIONS` needs a catalog migration that marks the
    files already catalogued with it (migration 7 marked those of the set at the time).
    """
    return "video" if PurePath(path).suffix.lower() in VIDEO_EXTENSIONS else "photo"


POSTER_MAX_S: float = 1.0
"""A video's poster frame (what the meaning pass embeds for the whole video, and the grid shows
until a search picks a moment) is taken this far in, or at the middle of a shorter clip: first
frames are often black or blurred while the camera settles."""


def poster_time(duration_s: float) -> float:
    """Where a video's poster frame is taken (see :data:`POSTER_MAX_S`)."""
    return min(POSTER_MAX_S, max(0.0, duration_s) / 2)

# LibRaw's ``sizes.flip`` (dcraw bits: 1 = mirror, 2 = flip, 4 = transpose) as EXIF orientation.
FLIP_TO_ORIENTATION = {0: 1, 1: 2, 2: 4, 3: 3, 4: 5, 5: 8, 6: 6, 7: 7}

# ORF and RW2 files are TIFF inside but have their own magic; Pillow's EXIF reader wants TIFF's.
_TIFF_LIKE_MAGIC = {
    b"IIRO": b"II*\x00",
    b"IIRS": b"II*\x00",
    b"MMOR": b"MM\x00*",
    b"IIU\x00": b"II*\x00",
}

_support_lock = threading.Lock()
_heif_error: str | None = None  # why the HEIF opener could not be registered; None if it was
_heif_tried = False
_avif_via_heif = False  # older pillow-heif also reads AVIF where Pillow itself cannot


def too_large_message(width: int, height: int, max_pixels: int) -> str:
    """The user message for an image whose header declares more than ``max_pixels``."""
    return _("image is too large: {width}x{height} pixels exceeds the {limit} megapixel "
             "limit").format(width=width, height=height, limit=max_pixels // 1_000_000)


def ensure_heif_support() -> None:
    """Register pi-heif's HEIF opener (else pillow-heif's; and its AVIF one if Pillow has
    none), once.

    Safe to call from many threads and on every open: after the first call it only reads a flag.
    A missing or broken HEIF library is logged once and reported per file by
    :func:`missing_support_message`.
    """
    global _heif_tried, _heif_error, _avif_via_heif
    if _heif_tried:
        return
    with _support_lock:
        if _heif_tried:
            return
        try:
            heif: Any
            try:
                # pi-heif: libheif and libde265 to decode, 4 MB; pillow-heif, the same API with
                # the x265 encoder we never use, is 27 MB (tests write their HEIC samples with it).
                heif = importlib.import_module("pi_heif")
            except ImportError:
                heif = importlib.import_module("pillow_heif")

            heif.register_heif_opener(depth_images=False, aux_images=False)
            if not features.check("avif") and hasattr(heif, "register_avif_opener"):
                heif.register_avif_opener()
                _avif_via_heif = True
        except Exception as exc:  # ImportError, or a broken native library
            _heif_error = f"{type(exc).__name__}: {exc}"
            logger.warning("HEIF support unavailable: %s", _heif_error)
        _heif_tried = True


def missing_support_message(suffix: str) -> str | None:
    """Why files with ``suffix`` cannot be opened here, or None if their reader is installed."""
    ensure_heif_support()
    if suffix in HEIF_EXTENSIONS and _heif_error is not None:
        return _("HEIC support is not installed: pip install pi-heif")
    if suffix in AVIF_EXTENSIONS and not features.check("avif") and not _avif_via_heif:
        return _("AVIF support is not installed: pip install --upgrade Pillow")
    return None


@dataclass
class RawPhoto:
    """What :func:`read_raw` found in a camera RAW file.

    ``image`` is None when only metadata was asked for. It still needs ``pending_orientation``
    applied (an embedded preview is stored like the sensor data); a demosaiced image comes out
    of LibRaw already turned, with ``pending_orientation`` 1.
    """

    image: Image.Image | None
    pending_orientation: int
    size: tuple[int, int]  # full resolution as displayed
    orientation: int
    exif: Image.Exif


def _import_rawpy() -> Any:
    try:
        import rawpy
    except ImportError as exc:
        raise PhotoReadError(_("RAW support is not installed: pip install rawpy"),
                             repr(exc)) from exc
    return rawpy


def _exif_from_tiff_bytes(data: bytes) -> Image.Exif:
    """EXIF from a TIFF-structured RAW (DNG, NEF, CR2, ARW, PEF, SRW, ORF, RW2); empty if none."""
    exif = Image.Exif()
    fixed = _TIFF_LIKE_MAGIC.get(data[:4])
    if fixed is not None:
        data = fixed + data[4:]
    if data[:4] not in (b"II*\x00", b"MM\x00*"):
        return exif
    try:
        exif.load(data)
    except Exception as exc:  # a malformed IFD must not stop the photo from being read
        logger.debug("no TIFF EXIF in RAW file: %r", exc)
        return Image.Exif()
    return exif


def _has_photo_fields(exif: Image.Exif) -> bool:
    return any(tag in exif for tag in (0x010F, 0x0110, 0x0132, 0x8769))


def _open_preview(raw: Any, rawpy: Any, max_pixels: int) -> Image.Image | None:
    """The embedded preview as an unloaded (JPEG) or loaded (bitmap) image, or None."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
        return None
    except rawpy.LibRawError as exc:
        logger.debug("RAW preview unreadable: %r", exc)
        return None
    try:
        preview: Image.Image
        if thumb.format == rawpy.ThumbFormat.JPEG:
            preview = Image.open(io.BytesIO(thumb.data))
        else:
            preview = Image.fromarray(thumb.data)
    except Exception as exc:  # a broken preview only means we demosaic instead
        logger.debug("RAW preview undecodable: %r", exc)
        return None
    if preview.width * preview.height > max_pixels:
        return None
    return preview


def _preview_orientation(preview: Image.Image) -> int:
    try:
        value = preview.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _decoded_preview(preview: Image.Image, target_short: int) -> Image.Image | None:
    """The preview decoded at reduced scale, or None if it is too small or will not decode."""
    if min(preview.size) < target_short:
        return None
    try:
        preview.draft("RGB", (target_short, target_short))
        preview.load()
    except Exception as exc:
        logger.debug("RAW preview failed to decode, demosaicing instead: %r", exc)
        return None
    return preview if min(preview.size) >= target_short else None


def read_raw(
    data: bytes, target_short: Callable[[tuple[int, int]], int] | None, max_pixels: int
) -> RawPhoto:
    """Read a camera RAW file's bytes with rawpy (LibRaw).

    ``target_short`` maps the displayed full-resolution size to the shortest side the caller
    needs, or is None to read metadata only. The embedded preview is used when its shortest side
    is long enough (tens of times faster than demosaicing); otherwise the sensor data is
    demosaiced, at half size when that is still big enough. Raises :class:`PhotoReadError`.
    """
    rawpy = _import_rawpy()
    try:
        with rawpy.imread(io.BytesIO(data)) as raw:
            sizes = raw.sizes
            if sizes.raw_width * sizes.raw_height > max_pixels:
                raise PhotoReadError(
                    too_large_message(sizes.raw_width, sizes.raw_height, max_pixels)
                )
            orientation = FLIP_TO_ORIENTATION.get(sizes.flip, 1)
            size = (sizes.width, sizes.height)
            if orientation >= 5:
                size = (sizes.height, sizes.width)
            exif = _exif_from_tiff_bytes(data)
            preview = _open_preview(raw, rawpy, max_pixels)
            if preview is not None and not _has_photo_fields(exif):
                try:
                    exif = preview.getexif()
                except Exception as exc:
                    logger.debug("RAW preview EXIF unreadable: %r", exc)
            if target_short is None:
                return RawPhoto(None, orientation, size, orientation, exif)
            needed = target_short(size)
            image = None if preview is None else _decoded_preview(preview, needed)
            if image is not None:
                own = _preview_orientation(image)
                # A preview's own EXIF orientation describes it; otherwise it lies like the sensor.
                pending = own if own != 1 else orientation
                return RawPhoto(image, pending, size, orientation, exif)
            half = min(sizes.width, sizes.height) // 2 >= needed
            rgb = raw.postprocess(half_size=half, use_camera_wb=True, output_bps=8)
            return RawPhoto(Image.fromarray(rgb), 1, size, orientation, exif)
    except rawpy.LibRawFileUnsupportedError as exc:
        raise PhotoReadError(_("not a supported camera RAW file"), repr(exc)) from exc
    except (rawpy.LibRawTooBigError, rawpy.LibRawUnsufficientMemoryError) as exc:
        raise PhotoReadError(_("image is too large to decode"), repr(exc)) from exc
    except rawpy.LibRawError as exc:
        raise PhotoReadError(_("file is truncated or corrupt"), repr(exc)) from exc
