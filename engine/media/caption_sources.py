"""Captions a photo carries with it: embedded metadata and sidecar files.

:func:`read_photo_captions` reads, in this order:

* EXIF ``ImageDescription`` (IFD0), ``XPComment`` (IFD0, Windows, UTF-16) and ``UserComment``
  (Exif IFD, with its 8-byte character-code prefix);
* XMP ``dc:description`` from the embedded packet and from a sidecar ``.xmp`` file
  (``photo.xmp`` as Lightroom writes it, or ``photo.jpg.xmp`` as darktable does);
* the IPTC caption (record 2, dataset 120) via Pillow's ``IptcImagePlugin.getiptcinfo``;
* a sidecar ``.txt`` (``photo.txt`` or ``photo.jpg.txt``);
* Google Takeout's JSON (``photo.jpg.json``, ``photo.jpg.supplemental-metadata.json`` or
  ``photo.json``): its ``description``, and its ``title`` when that is not just the file name.

Camera firmware boilerplate ("OLYMPUS DIGITAL CAMERA", "SONY DSC", ...) is dropped, text is
whitespace-normalised and de-duplicated. Reading never raises: a damaged tag or sidecar is
skipped (logged at debug level).
"""

from __future__ import annotations

import json
import logging
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MAX_CAPTION_CHARS = 500
MAX_CAPTIONS = 12
MAX_SIDECAR_BYTES = 2 << 20
MAX_TEXT_SIDECAR_BYTES = 16 << 10

TAG_IMAGE_DESCRIPTION = 0x010E
TAG_XP_TITLE = 0x9C9B
TAG_XP_COMMENT = 0x9C9C
TAG_USER_COMMENT = 0x9286
EXIF_IFD = 0x8769
TIFF_XMP_TAG = 700
IPTC_CAPTION = (2, 120)
IPTC_CHARSET = (1, 90)

NS_DC = "http://purl.org/dc/elements/1.1/"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_XML = "http://www.w3.org/XML/1998/namespace"

# Text that cameras and phone apps write into ImageDescription by default: not a caption.
_BOILERPLATE = frozenset(s.casefold() for s in (
    "OLYMPUS DIGITAL CAMERA", "SONY DSC", "DIGITAL CAMERA", "KONICA MINOLTA DIGITAL CAMERA",
    "MINOLTA DIGITAL CAMERA", "SAMSUNG DIGITAL CAMERA", "DCIM", "Default", "default",
    "Exif_JPEG_PICTURE", "PENTAX Image", "LEAD Technologies Inc. V1.01", "Picasa",
    "Created with GIMP", "Screenshot", "Image", "Photo", "untitled", "No description",
    "SAMSUNG", "Camera", "CAMERA", "KODAK Digital Still Camera", "Digital Camera",
    "HDR", "Panorama", "AppleMark", "user comments", "ASCII",
))
_WS = re.compile(r"\s+")
_IMAGE_NAME = re.compile(r"\.(jpe?g|png|heic|heif|gif|tiff?|webp|dng|cr2|nef|arw|mp4|mov)$",
                         re.IGNORECASE)


@dataclass(frozen=True)
class PhotoCaption:
    """One caption found with a photo; ``origin`` says where (e.g. ``exif:ImageDescription``)."""

    text: str
    origin: str


def clean_caption(value: object) -> str | None:
    """Whitespace-normalised caption text, or None for empty, binary or boilerplate values."""
    if isinstance(value, bytes | bytearray):
        value = _decode_bytes(bytes(value))
    if not isinstance(value, str):
        return None
    text = _WS.sub(" ", value.replace("\x00", " ")).strip()
    if not text or text.casefold() in _BOILERPLATE:
        return None
    if sum(ch.isprintable() for ch in text) < 0.9 * len(text):
        return None
    if not any(ch.isalnum() for ch in text):
        return None
    return text[:MAX_CAPTION_CHARS].rstrip()


def _decode_bytes(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_photo_captions(path: Path) -> list[PhotoCaption]:
    """Every caption embedded in ``path`` or in its sidecar files; never raises."""
    path = Path(path)
    found: list[PhotoCaption] = []
    for reader in (_embedded_captions, _sidecar_xmp_captions, _sidecar_txt_captions,
                   _takeout_captions):
        try:
            found.extend(reader(path))
        except Exception:  # a damaged file must never stop indexing
            log.debug("could not read captions of %s with %s", path, reader.__name__,
                      exc_info=True)
    out: list[PhotoCaption] = []
    seen: set[str] = set()
    for caption in found:
        key = caption.text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(caption)
    return out[:MAX_CAPTIONS]


# -- embedded: EXIF, XMP, IPTC ---------------------------------------------------------------


def _embedded_captions(path: Path) -> list[PhotoCaption]:
    from PIL import Image

    from engine.media import imaging

    if not imaging.is_photo_path(path):
        return []
    out: list[PhotoCaption] = []
    try:
        im_ctx = Image.open(path)
    except Exception:
        return []  # RAW and other formats Pillow cannot open: sidecars still count
    with im_ctx as im:
        out.extend(_exif_captions(im))
        packet = _xmp_packet(im)
        if packet:
            out.extend(PhotoCaption(t, "xmp:dc:description") for t in xmp_descriptions(packet))
        out.extend(_iptc_captions(im))
    return out


def _exif_captions(im: Any) -> list[PhotoCaption]:
    try:
        exif = im.getexif()
    except Exception:
        return []
    out = []
    text = clean_caption(exif.get(TAG_IMAGE_DESCRIPTION))
    if text:
        out.append(PhotoCaption(text, "exif:ImageDescription"))
    xp = exif.get(TAG_XP_COMMENT)
    if xp is not None:
        text = clean_caption(decode_xp(xp))
        if text:
            out.append(PhotoCaption(text, "exif:XPComment"))
    try:
        sub = exif.get_ifd(EXIF_IFD)
    except Exception:
        sub = {}
    comment = sub.get(TAG_USER_COMMENT) if sub else None
    if comment is not None:
        text = clean_caption(decode_user_comment(comment))
        if text:
            out.append(PhotoCaption(text, "exif:UserComment"))
    return out


def decode_xp(value: object) -> str | None:
    """Windows XP* tags: UTF-16LE bytes (Pillow may hand them over as a tuple of ints)."""
    if isinstance(value, tuple | list):
        try:
            value = bytes(value)
        except (TypeError, ValueError):
            return None
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes | bytearray):
        return None
    return bytes(value).decode("utf-16-le", errors="ignore").rstrip("\x00")


def decode_user_comment(value: object) -> str | None:
    """EXIF UserComment: an 8-byte character code (ASCII, UNICODE, JIS or undefined), then text."""
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes | bytearray):
        return None
    raw = bytes(value)
    head, body = raw[:8], raw[8:]
    if head.startswith(b"ASCII"):
        return body.decode("ascii", errors="ignore")
    if head.startswith(b"UNICODE"):
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return body.decode("utf-16", errors="ignore")
        # No BOM: guess the byte order from where the zero bytes of ASCII-range text fall.
        le = body[1::2].count(0) >= body[0::2].count(0)
        return body.decode("utf-16-le" if le else "utf-16-be", errors="ignore")
    if head.startswith(b"JIS"):
        return body.decode("shift_jis", errors="ignore")
    if head == b"\x00" * 8 or len(raw) < 8:
        return _decode_bytes(body if len(raw) >= 8 else raw)
    return _decode_bytes(raw)  # no prefix at all: some writers skip it


def _xmp_packet(im: Any) -> bytes | None:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if value:
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    tags = getattr(im, "tag_v2", None)
    if tags is not None:
        value = tags.get(TIFF_XMP_TAG)
        if value:
            return value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return None


def xmp_descriptions(packet: bytes) -> list[str]:
    """The ``dc:description`` values of an XMP packet (x-default first); [] if unparsable.

    Packets with a DTD are refused (XMP never has one; entity tricks are a classic XML attack).
    """
    if len(packet) > MAX_SIDECAR_BYTES:
        return []
    packet = packet.strip(b"\x00 \t\r\n")
    if b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return []
    try:
        root = ET.fromstring(packet)
    except ET.ParseError:
        return []
    texts: list[str] = []
    for desc in root.iter(f"{{{NS_RDF}}}Description"):
        attr = desc.get(f"{{{NS_DC}}}description")
        if attr:
            texts.append(attr)
    for element in root.iter(f"{{{NS_DC}}}description"):
        items = list(element.iter(f"{{{NS_RDF}}}li"))
        if not items:
            if element.text and element.text.strip():
                texts.append(element.text)
            continue
        items.sort(key=lambda li: li.get(f"{{{NS_XML}}}lang", "") != "x-default")
        texts.extend(li.text for li in items if li.text)
    out = []
    for text in texts:
        cleaned = clean_caption(text)
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


def _iptc_captions(im: Any) -> list[PhotoCaption]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(im)
    except Exception:
        return []
    if not info:
        return []
    value = info.get(IPTC_CAPTION)
    if value is None:
        return []
    charset = info.get(IPTC_CHARSET)
    utf8 = isinstance(charset, bytes) and charset.startswith(b"\x1b%G")
    values: list[object] = list(value) if isinstance(value, list) else [value]
    out = []
    for raw in values:
        decoded = raw
        if isinstance(raw, bytes):
            decoded = raw.decode("utf-8", errors="replace") if utf8 else _decode_bytes(raw)
        text = clean_caption(decoded)
        if text:
            out.append(PhotoCaption(text, "iptc:caption"))
    return out


# -- sidecar files -----------------------------------------------------------------------------

XMP_SUFFIXES = (".xmp", ".XMP")
TXT_SUFFIXES = (".txt", ".TXT")
TAKEOUT_SUFFIXES = (".json", ".supplemental-metadata.json")
# What a sidecar's name ends with (lower case); the longest first, so that a Takeout file is
# not mistaken for a plain ``.json`` one.
SIDECAR_ENDINGS = (".supplemental-metadata.json", ".xmp", ".txt", ".json")


def _sidecar_names(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """``photo.ext`` and ``photo.jpg.ext`` for each suffix, whether they exist or not."""
    out: list[Path] = []
    for suffix in suffixes:
        for candidate in (path.with_suffix(suffix), path.with_name(path.name + suffix)):
            if candidate != path and candidate not in out:
                out.append(candidate)
    return out


def _sidecars(path: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """``photo.ext`` and ``photo.jpg.ext`` (each suffix in the given spellings) that exist."""
    return [p for p in _sidecar_names(path, suffixes) if p.is_file()]


def sidecar_candidates(photo: Path) -> list[Path]:
    """Every file whose captions count for ``photo`` (XMP, text and Takeout sidecars), whether
    it exists or not."""
    out = _sidecar_names(photo, XMP_SUFFIXES + TXT_SUFFIXES)
    out += [p for p in (photo.with_name(photo.name + ".json"),
                        photo.with_name(photo.name + ".supplemental-metadata.json"),
                        photo.with_suffix(".json")) if p not in out]
    return out


def is_sidecar_name(name: str) -> bool:
    """Whether a file of this name may hold captions for a photo beside it."""
    return name.lower().endswith(SIDECAR_ENDINGS)


def photos_for_sidecar(sidecar: Path, is_photo: Any) -> list[Path]:
    """The photos beside ``sidecar`` whose captions it may hold (existing files only):
    ``IMG_1.jpg`` for ``IMG_1.jpg.xmp``, every ``IMG_1.*`` photo for ``IMG_1.xmp``.
    ``is_photo(path)`` says whether a file name is a photo's."""
    low = sidecar.name.lower()
    ending = next((e for e in SIDECAR_ENDINGS if low.endswith(e)), None)
    if ending is None:
        return []
    base = sidecar.name[:-len(ending)]
    if not base:
        return []
    if is_photo(Path(base)):
        photo = sidecar.with_name(base)
        return [photo] if photo.is_file() else []
    try:
        siblings = list(sidecar.parent.iterdir())
    except OSError:
        return []
    return sorted(p for p in siblings if p.stem.casefold() == base.casefold()
                  and is_photo(p) and p.is_file())


def change_stamp_ns(photo: Path, mtime_ns: int, listing: dict[str, int] | None = None) -> int:
    """What the indexer compares to tell whether a photo changed: its mtime, moved on by its
    sidecars. The stamp is the latest of the photo's and its sidecars' mtimes, plus the number
    of sidecars, so that editing, adding or deleting one makes the photo look changed and its
    captions are read again (its vector is reused: the content hash is the same). A photo
    without sidecars keeps its plain mtime.

    ``listing`` (file name -> mtime_ns for the photo's folder, from a scan) saves the stat
    calls; without it each candidate is looked up on disk.
    """
    newest, count = mtime_ns, 0
    seen: set[tuple[int, int]] = set()  # photo.xmp and photo.XMP are one file on macOS
    for candidate in sidecar_candidates(photo):
        if listing is not None:
            found = listing.get(candidate.name)
        else:
            try:
                st = candidate.stat()
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode) or (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            found = st.st_mtime_ns
        if found is not None:
            count += 1
            newest = max(newest, found)
    return newest + count


def _read_limited(path: Path, limit: int) -> bytes | None:
    try:
        if path.stat().st_size > limit:
            log.debug("sidecar %s is too large; skipped", path)
            return None
        return path.read_bytes()
    except OSError:
        return None


def _sidecar_xmp_captions(path: Path) -> list[PhotoCaption]:
    out: list[PhotoCaption] = []
    for sidecar in _sidecars(path, XMP_SUFFIXES):
        data = _read_limited(sidecar, MAX_SIDECAR_BYTES)
        if data:
            out.extend(PhotoCaption(t, "sidecar:xmp") for t in xmp_descriptions(data))
    return out


def _sidecar_txt_captions(path: Path) -> list[PhotoCaption]:
    out = []
    for sidecar in _sidecars(path, TXT_SUFFIXES):
        data = _read_limited(sidecar, MAX_TEXT_SIDECAR_BYTES)
        if data:
            text = clean_caption(data.decode("utf-8-sig", errors="replace"))
            if text:
                out.append(PhotoCaption(text, "sidecar:txt"))
    return out


def _takeout_captions(path: Path) -> list[PhotoCaption]:
    candidates = [path.with_name(path.name + ".json"),
                  path.with_name(path.name + ".supplemental-metadata.json"),
                  path.with_suffix(".json")]
    out = []
    seen: set[Path] = set()
    for sidecar in candidates:
        if sidecar in seen or not sidecar.is_file():
            continue
        seen.add(sidecar)
        data = _read_limited(sidecar, MAX_SIDECAR_BYTES)
        if not data:
            continue
        try:
            meta = json.loads(data.decode("utf-8-sig", errors="replace"))
        except ValueError:
            continue
        if not isinstance(meta, dict):
            continue
        text = clean_caption(meta.get("description"))
        if text:
            out.append(PhotoCaption(text, "takeout:description"))
        title = clean_caption(meta.get("title"))
        if title and not _is_file_name(title, path):
            out.append(PhotoCaption(title, "takeout:title"))
    return out


def _is_file_name(title: str, path: Path) -> bool:
    """Takeout's ``title`` is usually just the file name: not a caption then."""
    t = title.casefold()
    return t in (path.name.casefold(), path.stem.casefold()) or bool(_IMAGE_NAME.search(t))
