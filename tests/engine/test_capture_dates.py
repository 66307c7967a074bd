"""Capture time from EXIF, XMP (embedded and sidecar), IPTC (a hand-built APP13) and the file."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from engine.api import Library
from engine.media.dates import CaptureTime, capture_time, parse_iso_datetime, parse_offset

NOW = datetime(2026, 1, 15, 12, 0, 0)


def xmp_packet(**fields: str) -> bytes:
    attrs = " ".join(f'{k.replace("_", ":", 1)}="{v}"' for k, v in fields.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        f'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" {attrs}/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def iptc_app13(records: dict[int, bytes]) -> bytes:
    """A JPEG APP13 segment: 'Photoshop 3.0', one 8BIM IPTC-NAA resource (0x0404)."""
    iptc = b"".join(b"\x1c\x02" + bytes([ds]) + struct.pack(">H", len(v)) + v
                    for ds, v in records.items())
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    resource += iptc + (b"\x00" if len(iptc) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def write_jpeg(path: Path, exif: dict[int, str] | None = None, xmp: bytes | None = None,
               iptc: dict[int, bytes] | None = None, mtime: datetime | None = None) -> Path:
    image = Image.new("RGB", (32, 24), (120, 160, 200))
    kwargs: dict[str, object] = {}
    if exif:
        data = Image.Exif()
        sub = data.get_ifd(0x8769)
        for tag, value in exif.items():
            (data if tag == 0x0132 else sub)[tag] = value
        kwargs["exif"] = data
    if xmp:
        kwargs["xmp"] = xmp
    image.save(path, "JPEG", **kwargs)
    if iptc:
        raw = path.read_bytes()
        path.write_bytes(raw[:2] + iptc_app13(iptc) + raw[2:])
    if mtime:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def test_exif_original_with_offset(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "a.jpg", exif={0x9003: "2019:07:14 18:03:22", 0x9011: "+01:00"},
                      xmp=xmp_packet(xmp_CreateDate="2001-01-01T00:00:00"))
    assert capture_time(path, NOW).time == CaptureTime("2019-07-14T18:03:22", "+01:00", "exif")


def test_xmp_when_exif_has_none(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "b.jpg",
                      xmp=xmp_packet(xmp_CreateDate="2018-03-02T09:15:00-05:00"))
    assert capture_time(path, NOW).time == CaptureTime("2018-03-02T09:15:00", "-05:00", "xmp")


def test_xmp_prefers_exif_date_time_original_then_create_date(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "c.jpg", xmp=xmp_packet(
        photoshop_DateCreated="2015-05-05", xmp_CreateDate="2016-06-06T06:06",
        exif_DateTimeOriginal="2017-07-07T07:07:07Z"))
    assert capture_time(path, NOW).time == CaptureTime("2017-07-07T07:07:07", "+00:00", "xmp")


def test_xmp_photoshop_date_only(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "d.jpg", xmp=xmp_packet(photoshop_DateCreated="2015-05"))
    assert capture_time(path, NOW).time == CaptureTime("2015-05-01T00:00:00", None, "xmp")


@pytest.mark.parametrize("name", ["e.xmp", "e.jpg.xmp"])
def test_xmp_sidecar(tmp_path: Path, name: str) -> None:
    path = write_jpeg(tmp_path / "e.jpg")
    (tmp_path / name).write_bytes(xmp_packet(xmp_CreateDate="2012-12-24T20:00:00+09:00"))
    assert capture_time(path, NOW).time == CaptureTime("2012-12-24T20:00:00", "+09:00", "xmp")


def test_iptc_date_and_time(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "f.jpg", iptc={55: b"20100131", 60: b"101112+0530"})
    assert capture_time(path, NOW).time == CaptureTime("2010-01-31T10:11:12", "+05:30", "iptc")


def test_iptc_date_without_time(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "g.jpg", iptc={55: b"20100131"})
    assert capture_time(path, NOW).time == CaptureTime("2010-01-31T00:00:00", None, "iptc")


def test_file_time_last(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "h.jpg", mtime=datetime(2020, 2, 29, 8, 30, 0))
    assert capture_time(path, NOW).time == CaptureTime("2020-02-29T08:30:00", None, "file")


def test_implausible_dates_are_skipped_with_reasons(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "i.jpg", exif={0x9003: "1800:01:01 00:00:00"},
                      xmp=xmp_packet(xmp_CreateDate="2031-01-01T00:00:00"),
                      iptc={55: b"20111111"})
    result = capture_time(path, NOW)
    assert result.time == CaptureTime("2011-11-11T00:00:00", None, "iptc")
    assert any("before 1826" in r for r in result.rejected)
    assert any("in the future" in r for r in result.rejected)


def test_zero_and_garbage_dates(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "j.jpg", exif={0x9003: "0000:00:00 00:00:00", 0x0132: "junk"},
                      mtime=datetime(2021, 3, 3, 3, 3, 3))
    result = capture_time(path, NOW)
    assert result.time is not None and result.time.source == "file"
    assert len(result.rejected) == 2


def test_not_an_image_falls_back_to_sidecar_then_file(tmp_path: Path) -> None:
    raw = tmp_path / "k.cr2"
    raw.write_bytes(b"not really a raw file")
    os.utime(raw, (datetime(2020, 1, 1).timestamp(),) * 2)
    assert capture_time(raw, NOW).time.source == "file"  # type: ignore[union-attr]
    (tmp_path / "k.xmp").write_bytes(xmp_packet(exif_DateTimeOriginal="2014-04-04T04:04:04"))
    assert capture_time(raw, NOW).time == CaptureTime("2014-04-04T04:04:04", None, "xmp")


def test_xmp_with_entities_is_refused(tmp_path: Path) -> None:
    packet = b'<!DOCTYPE x [<!ENTITY a "2019">]>' + xmp_packet(xmp_CreateDate="&a;")
    path = write_jpeg(tmp_path / "l.jpg", xmp=packet, mtime=datetime(2020, 1, 1))
    assert capture_time(path, NOW).time.source == "file"  # type: ignore[union-attr]


@pytest.mark.parametrize(("value", "expected"), [
    ("+01:00", "+01:00"), ("-0530", "-05:30"), ("Z", "+00:00"), ("+25:00", None), ("1", None),
])
def test_parse_offset(value: str, expected: str | None) -> None:
    assert parse_offset(value) == expected


def test_parse_iso() -> None:
    assert parse_iso_datetime("2019") == (datetime(2019, 1, 1), None)
    assert parse_iso_datetime("2019-07-14T18:03:22.45+02:00") == (
        datetime(2019, 7, 14, 18, 3, 22), "+02:00")
    assert parse_iso_datetime("2019-13-01") is None
    assert parse_iso_datetime("yesterday") is None


def test_photos_read_by_an_older_metadata_version_are_read_again(
        tmp_path: Path, open_library: Callable[..., Library]) -> None:
    """The metadata analysis is keyed by photo; its per-photo version state (photo_dates) makes
    an unchanged photo be read again when the version moves on (here: as if indexed by
    version 1, which read EXIF only and had no photo_dates)."""
    folder = tmp_path / "photos"
    folder.mkdir()
    write_jpeg(folder / "xmp.jpg", xmp=xmp_packet(xmp_CreateDate="2018-03-02T09:15:00-05:00"))
    write_jpeg(folder / "exif.jpg", exif={0x9003: "2019:07:14 10:30:00"})
    lib = open_library()
    lib.add_folder(folder)
    lib.index().result(timeout=300)
    taken = dict(lib.catalog._query("SELECT path, taken_at FROM photos"))
    assert taken[str(folder / "xmp.jpg")] == "2018-03-02T09:15:00"
    with lib.catalog.transaction() as conn:  # what version 1 left behind
        conn.execute("DELETE FROM photo_dates")
        conn.execute("UPDATE photos SET taken_at = NULL WHERE path LIKE '%xmp.jpg'")
    report = lib.index().result(timeout=300)
    assert report.updated == 2 and report.embedded == 0  # read again, nothing re-embedded
    found = lib.capture_date(folder / "xmp.jpg")
    assert found is not None and (found.local, found.offset, found.source) == (
        "2018-03-02T09:15:00", "-05:00", "xmp")
    again = lib.index().result(timeout=300)
    assert (again.updated, again.unchanged) == (0, 2)
