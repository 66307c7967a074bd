"""Live Photos and motion photos: a still with a few seconds of video, kept as one photo.

Two shapes exist:

* Apple Live Photo: ``IMG_0001.HEIC`` (or ``.JPG``) next to ``IMG_0001.MOV`` in the same
  folder. Both also carry a content identifier (MakerNote / ``com.apple.quicktime.content.
  identifier``), but exports and copies keep the shared stem far more reliably than the
  MakerNote, so the stem is what :func:`live_photo_pairs` matches on.
* Motion photo: one JPEG (or HEIC) with an MP4 appended after the image data.
  Google's current format names it in XMP (``Container:Directory`` with ``Item:Length`` for
  the ``MotionPhoto`` item, counted from the end of the file); older Pixels wrote
  ``GCamera:MicroVideoOffset`` (bytes from the end of the file); Samsung writes the marker
  ``MotionPhoto_Data`` immediately before the MP4. :func:`motion_part` finds the MP4 in all
  three and checks that it starts with an ``ftyp`` box, so a wrong offset never yields junk.
"""

from __future__ import annotations

import logging
import re
import struct
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

STILL_EXTENSIONS: frozenset[str] = frozenset({".heic", ".heif", ".jpg", ".jpeg"})
LIVE_MOTION_EXTENSIONS: frozenset[str] = frozenset({".mov", ".mp4"})
_XMP_SCAN = 512 * 1024  # XMP sits in APP1 near the start; never read a whole 10 MB photo for it
_SAMSUNG_MARKER = b"MotionPhoto_Data"
_MICRO_VIDEO = re.compile(rb"MicroVideoOffset(?:=\"|>)\s*(\d+)")
_ITEM = re.compile(rb"<Container:Item\b([^>]*?)/?>", re.DOTALL)
_ATTR = re.compile(rb"Item:(\w+)=\"([^\"]*)\"")


def motion_part(path: Path) -> tuple[int, int] | None:
    """``(offset, length)`` of the MP4 embedded in a motion photo, or None if there is none.

    Reads the head of the file for XMP and, for Samsung, searches the tail for the marker.
    Never raises for a malformed file (returns None); OSError from reading propagates.
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as fp:
        head = fp.read(_XMP_SCAN)
        for offset, length in _xmp_candidates(head, size):
            if _is_mp4_at(fp, offset, length):
                return offset, length
        found = _samsung_candidate(fp, head, size)
    return found


def live_photo_pairs(paths: Iterable[Path]) -> dict[Path, Path]:
    """Map each still that has a same-stem MOV/MP4 in its folder to that video (Live Photos).

    Stems match case-insensitively (``IMG_0001.HEIC`` + ``IMG_0001.mov``); a still that also
    has an edited twin (``IMG_E0001.HEIC``) pairs only by its own stem.
    """
    stills: dict[tuple[Path, str], Path] = {}
    motions: dict[tuple[Path, str], Path] = {}
    for path in map(Path, paths):
        key = (path.parent, path.stem.lower())
        suffix = path.suffix.lower()
        if suffix in STILL_EXTENSIONS:
            # HEIC over JPEG when both exist: the HEIC is the camera original
            if key not in stills or suffix in (".heic", ".heif"):
                stills[key] = path
        elif suffix in LIVE_MOTION_EXTENSIONS:
            motions[key] = path
    return {still: motions[key] for key, still in stills.items() if key in motions}


def motion_of(path: Path, cache: Path) -> Path | None:
    """The motion of a Live Photo or motion photo, as a video file a player can open: the
    same-stem MOV/MP4 beside the still, or the MP4 embedded in it, written once into
    ``cache`` (named by the still's size and time, so an edited still gets a fresh copy).
    None for a plain photo. Never raises for a malformed file; OSError propagates."""
    path = Path(path)
    if path.suffix.lower() not in STILL_EXTENSIONS:
        return None
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        siblings = []
    paired = live_photo_pairs([path, *[p for p in siblings
                                       if p.suffix.lower() in LIVE_MOTION_EXTENSIONS]])
    if path in paired:
        return paired[path]
    found = motion_part(path)
    if found is None:
        return None
    offset, length = found
    st = path.stat()
    target = Path(cache) / f"{path.stem}-{st.st_size}-{st.st_mtime_ns}.mp4"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "rb") as fp:
            fp.seek(offset)
            data = fp.read(length)
        partial = target.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(target)  # never a half-written video under the final name
    return target


def _xmp_candidates(head: bytes, size: int) -> list[tuple[int, int]]:
    start = head.find(b"<x:xmpmeta")
    if start < 0:
        return []
    end = head.find(b"</x:xmpmeta>", start)
    xmp = head[start : end if end > 0 else len(head)]
    found: list[tuple[int, int]] = []
    items = [dict(_ATTR.findall(match.group(1))) for match in _ITEM.finditer(xmp)]
    if items:
        # Secondary items are appended in directory order after the primary image; the last
        # bytes of the file belong to the last item. Walk back from the end.
        end_of_item = size
        for item in reversed(items[1:]):
            length = _int(item.get(b"Length"))
            padding = _int(item.get(b"Padding")) or 0
            if length is None:
                break
            offset = end_of_item - length
            if item.get(b"Mime", b"").startswith(b"video/") or item.get(b"Semantic") == (
                b"MotionPhoto"
            ):
                found.append((offset, length - padding))
            end_of_item = offset
    micro = _MICRO_VIDEO.search(xmp)
    if micro is not None:
        from_end = int(micro.group(1))
        if 0 < from_end < size:
            found.append((size - from_end, from_end))
    return found


def _samsung_candidate(fp, head: bytes, size: int) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    # The marker sits after the JPEG's end; read the tail in one go (motion parts are a few MB,
    # but search only the last 64 MB so a huge file is never read whole).
    tail_start = max(0, size - 64 * 1024 * 1024)
    fp.seek(tail_start)
    tail = fp.read()
    at = tail.rfind(_SAMSUNG_MARKER)
    if at < 0:
        return None
    offset = tail_start + at + len(_SAMSUNG_MARKER)
    length = _mp4_length(tail[at + len(_SAMSUNG_MARKER) :])
    if length is None:
        return None
    return offset, length


def _is_mp4_at(fp, offset: int, length: int) -> bool:  # type: ignore[no-untyped-def]
    if offset <= 0 or length <= 8:
        return False
    fp.seek(offset)
    return fp.read(8)[4:8] == b"ftyp"


def _mp4_length(data: bytes) -> int | None:
    """Length of the MP4 at the start of ``data``, by walking its top-level boxes."""
    if data[4:8] != b"ftyp":
        return None
    pos = 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if size == 1 and pos + 16 <= len(data):
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
        if size < 8 or not kind.isalnum() and kind not in (b"free", b"skip"):
            break  # not a box: the MP4 ended here (Samsung puts its SEF trailer after it)
        if pos + size > len(data):
            break
        pos += size
    return pos or None


def _int(value: bytes | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
