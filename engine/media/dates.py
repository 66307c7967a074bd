"""When a photo was taken: EXIF, then XMP, then IPTC, then the file's own time.

:func:`capture_time` tries, in order:

1. EXIF ``DateTimeOriginal`` with ``OffsetTimeOriginal``, then ``DateTimeDigitized`` with
   ``OffsetTimeDigitized`` (source ``"exif"``);
2. XMP, embedded (JPEG APP1, PNG iTXt, TIFF tag 700) then the sidecar (``photo.xmp`` or
   ``photo.jpg.xmp``): ``exif:DateTimeOriginal``, ``xmp:CreateDate``, ``photoshop:DateCreated``
   (ISO 8601; a zone designator becomes the offset) (source ``"xmp"``);
3. IPTC ``DateCreated`` (2:55) with ``TimeCreated`` (2:60, ``HHMMSS±HHMM``) (source ``"iptc"``);
4. EXIF IFD0 ``DateTime`` (often the time of the last edit, so after the others) (``"exif"``);
5. the file's modification time, in local time (source ``"file"``; shown as "file date").

A value that is malformed, before 1826 (the oldest surviving photograph) or in the future is
skipped with a reason in :attr:`CaptureTimeResult.rejected` and the next source is tried.
Reading never raises for a bad file: the file's time is the last resort.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

logger = logging.getLogger(__name__)

Source = Literal["exif", "xmp", "iptc", "file", "container"]  # container: a video's
EARLIEST_YEAR = 1826
FUTURE_SLACK = timedelta(days=1)  # a camera a time zone ahead is not "in the future"
MAX_XMP_BYTES = 2 << 20

_EXIF_IFD = 0x8769
_TAG_DATETIME = 0x0132
_TAG_ORIGINAL, _TAG_DIGITIZED = 0x9003, 0x9004
_TAG_OFFSET, _TAG_OFFSET_ORIGINAL, _TAG_OFFSET_DIGITIZED = 0x9010, 0x9011, 0x9012
_EXIF_DATE = re.compile(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")
_ISO_DATE = re.compile(
    r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_XMP_FIELDS = (
    ("http://ns.adobe.com/exif/1.0/", "DateTimeOriginal"),
    ("http://ns.adobe.com/xap/1.0/", "CreateDate"),
    ("http://ns.adobe.com/photoshop/1.0/", "DateCreated"),
)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class CaptureTime:
    """A capture time: local wall-clock time as ISO 8601 (``2019-07-14T18:03:22``), the UTC
    offset when the file says it (``+01:00``), and where it came from."""

    local: str
    offset: str | None
    source: Source


@dataclass(frozen=True)
class CaptureTimeResult:
    """The capture time chosen (None only if even the file's time is unusable) and the values
    skipped on the way, each with a reason (``"exif DateTimeOriginal 1800:01:01 ...: before
    1826"``)."""

    time: CaptureTime | None
    rejected: tuple[str, ...] = field(default=())


def capture_time(path: Path, now: datetime | None = None) -> CaptureTimeResult:
    """The capture time of the photo at ``path``; see the module docstring for the order."""
    path = Path(path)
    now = now or datetime.now()
    rejected: list[str] = []
    exif, xmp_packets, iptc = _embedded(path)
    xmp_packets += _sidecar_packets(path)

    def accept(label: str, value: object, parsed: tuple[datetime, str | None] | None,
               source: Source) -> CaptureTime | None:
        if value in (None, "", b""):
            return None
        if parsed is None:
            rejected.append(f"{label} {value!r}: not a date")
            return None
        when, offset = parsed
        reason = implausible(when, now)
        if reason:
            rejected.append(f"{label} {when.isoformat()}: {reason}")
            return None
        return CaptureTime(when.isoformat(timespec="seconds"), offset, source)

    sub = exif.get("sub", {})
    ifd0 = exif.get("ifd0", {})
    for tag, offset_tag, name in ((_TAG_ORIGINAL, _TAG_OFFSET_ORIGINAL, "DateTimeOriginal"),
                                  (_TAG_DIGITIZED, _TAG_OFFSET_DIGITIZED, "DateTimeDigitized")):
        value = sub.get(tag)
        found = accept(f"exif {name}", value, parse_exif_datetime(value, sub.get(offset_tag)),
                       "exif")
        if found:
            return CaptureTimeResult(found, tuple(rejected))
    for packet in xmp_packets:
        for label, value in xmp_dates(packet):
            found = accept(f"xmp {label}", value, parse_iso_datetime(value), "xmp")
            if found:
                return CaptureTimeResult(found, tuple(rejected))
    date_value, time_value = iptc
    found = accept("iptc DateCreated", date_value, parse_iptc(date_value, time_value), "iptc")
    if found:
        return CaptureTimeResult(found, tuple(rejected))
    value = ifd0.get(_TAG_DATETIME)
    found = accept("exif DateTime", value, parse_exif_datetime(value, sub.get(_TAG_OFFSET)),
                   "exif")
    if found:
        return CaptureTimeResult(found, tuple(rejected))
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime)
    except (OSError, OverflowError, ValueError) as exc:
        rejected.append(f"file time: {exc}")
        return CaptureTimeResult(None, tuple(rejected))
    found = accept("file time", mtime, (mtime.replace(microsecond=0), None), "file")
    return CaptureTimeResult(found, tuple(rejected))


def implausible(when: datetime, now: datetime) -> str | None:
    """Why ``when`` cannot be a capture time, or None if it can."""
    if when.year < EARLIEST_YEAR:
        return f"before {EARLIEST_YEAR}, the year of the oldest surviving photograph"
    if when > now + FUTURE_SLACK:
        return "in the future"
    return None


def parse_offset(value: object) -> str | None:
    """``"+01:00"`` from ``"+01:00"``, ``"+0100"`` or ``"Z"`` (``"+00:00"``); else None."""
    text = _text(value)
    if text is None:
        return None
    if text.strip() == "Z":
        return "+00:00"
    match = _OFFSET.match(text)
    if not match or int(match.group(2)) > 14 or int(match.group(3)) > 59:
        return None
    return f"{match.group(1)}{match.group(2)}:{match.group(3)}"


def parse_exif_datetime(value: object, offset: object = None
                        ) -> tuple[datetime, str | None] | None:
    """EXIF ``"YYYY:MM:DD HH:MM:SS"`` (and the dashes some writers use), with its offset tag."""
    text = _text(value)
    match = _EXIF_DATE.match(text) if text else None
    if not match:
        return None
    try:
        parts = [int(p) if p else 0 for p in match.groups()]
        year, month, day, hour, minute, second = parts
        return datetime(year, month, day, hour, minute, second), parse_offset(offset)
    except ValueError:  # 0000:00:00 00:00:00 and other impossible dates
        return None


def parse_iso_datetime(value: object) -> tuple[datetime, str | None] | None:
    """XMP dates: ISO 8601 from a bare year to seconds with a zone; missing parts are 1 / 0."""
    text = _text(value)
    match = _ISO_DATE.match(text) if text else None
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        when = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0),
                        int(minute or 0), int(second or 0))
    except ValueError:
        return None
    return when, parse_offset(zone) if zone else None


def parse_iptc(date_value: object, time_value: object) -> tuple[datetime, str | None] | None:
    """IPTC ``DateCreated`` ``"YYYYMMDD"`` and ``TimeCreated`` ``"HHMMSS±HHMM"`` (optional)."""
    date_text = _text(date_value)
    if not date_text or not re.fullmatch(r"\d{8}", date_text.strip()):
        return None
    time_text = (_text(time_value) or "").strip()
    clock = re.fullmatch(r"(\d{2})(\d{2})(\d{2})([+-]\d{4})?", time_text)
    try:
        day = datetime.strptime(date_text.strip(), "%Y%m%d")
        if clock is None:
            return day, None
        when = day.replace(hour=int(clock.group(1)), minute=int(clock.group(2)),
                           second=int(clock.group(3)))
    except ValueError:
        return None
    return when, parse_offset(clock.group(4)) if clock.group(4) else None


def xmp_dates(packet: bytes) -> list[tuple[str, str]]:
    """(field, value) for the date fields of an XMP packet, in the order they are preferred.

    Values are read from attributes and from elements (plain or ``rdf:Seq``/``rdf:li``).
    Packets with a DTD are refused, as in caption_sources (entity expansion attacks).
    """
    if len(packet) > MAX_XMP_BYTES or b"<!DOCTYPE" in packet or b"<!ENTITY" in packet:
        return []
    try:
        root = ET.fromstring(packet.strip(b"\x00 \t\r\n"))
    except ET.ParseError:
        return []
    out: list[tuple[str, str]] = []
    for namespace, name in _XMP_FIELDS:
        key = f"{{{namespace}}}{name}"
        for description in root.iter(f"{{{_RDF}}}Description"):
            if description.get(key):
                out.append((name, description.get(key, "")))
        for element in root.iter(key):
            texts = [li.text for li in element.iter(f"{{{_RDF}}}li")] or [element.text]
            out.extend((name, t.strip()) for t in texts if t and t.strip())
    return out


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip() or None


def _embedded(path: Path) -> tuple[dict[str, dict[int, Any]], list[bytes], tuple[Any, Any]]:
    """EXIF (IFD0 and Exif IFD), XMP packets and IPTC date/time from one open of the file."""
    from PIL import Image, IptcImagePlugin

    exif: dict[str, dict[int, Any]] = {}
    packets: list[bytes] = []
    iptc: tuple[Any, Any] = (None, None)
    try:
        with Image.open(path) as im:
            try:
                data = im.getexif()
                exif = {"ifd0": dict(data), "sub": dict(data.get_ifd(_EXIF_IFD))}
            except Exception as exc:
                logger.debug("ignoring malformed EXIF in %s: %r", path, exc)
            for key in ("xmp", "XML:com.adobe.xmp"):
                value = im.info.get(key)
                if value:
                    packets.append(value.encode() if isinstance(value, str) else bytes(value))
            tags = getattr(im, "tag_v2", None)
            if tags is not None and tags.get(700):
                value = tags.get(700)
                packets.append(value.encode() if isinstance(value, str) else bytes(value))
            try:
                info = IptcImagePlugin.getiptcinfo(im) or {}
            except Exception as exc:
                logger.debug("ignoring malformed IPTC in %s: %r", path, exc)
                info = {}
            iptc = (_first(info.get((2, 55))), _first(info.get((2, 60))))
    except Exception as exc:  # not an image Pillow reads (RAW, damaged): sidecars and mtime
        logger.debug("no embedded metadata from %s: %r", path, exc)
    return exif, packets, iptc


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _sidecar_packets(path: Path) -> list[bytes]:
    out = []
    for candidate in (path.with_suffix(".xmp"), path.with_suffix(".XMP"),
                      path.with_name(path.name + ".xmp")):
        try:
            if candidate.is_file() and candidate.stat().st_size <= MAX_XMP_BYTES:
                data = candidate.read_bytes()
                if data not in out:
                    out.append(data)
        except OSError as exc:
            logger.debug("cannot read sidecar %s: %r", candidate, exc)
    return out
