"""Sample photo files for the imaging tests, made with the libraries' own writers.

The orientation samples are built from the EXIF specification's words ("the 0th row is the
visual right-hand side...") with numpy, not from Pillow's transpose table, so a wrong table in
the code under test cannot agree with a wrong table here. ``write_dng`` hand-writes a minimal
DNG (a TIFF with a Bayer CFA strip and the DNG tags) that LibRaw opens.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, TiffImagePlugin

GREY = (128, 128, 128)
RED = (230, 20, 20)
BLUE = (20, 20, 230)
GREEN = (20, 200, 20)

# EXIF orientation -> (what stored row 0 shows, what stored column 0 shows), per the EXIF spec.
_ROW0_COL0 = {
    1: ("top", "left"),
    2: ("top", "right"),
    3: ("bottom", "right"),
    4: ("bottom", "left"),
    5: ("left", "top"),
    6: ("right", "top"),
    7: ("right", "bottom"),
    8: ("left", "bottom"),
}


def displayed_sample(
    size: tuple[int, int] = (64, 48), background: tuple[int, int, int] = GREY
) -> Image.Image:
    """An asymmetric picture as it should look: red block top-left, blue block top-right."""
    width, height = size
    image = Image.new("RGB", size, background)
    block_w, block_h = width * 5 // 16, height // 3
    image.paste(RED, (0, 0, block_w, block_h))
    image.paste(BLUE, (width - block_w, 0, width, block_h))
    return image


def stored_for(displayed: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores so that EXIF ``orientation`` displays as ``displayed``."""
    pixels = np.asarray(displayed)
    row0, col0 = _ROW0_COL0[orientation]
    if orientation <= 4:
        if row0 == "bottom":
            pixels = pixels[::-1]
        if col0 == "right":
            pixels = pixels[:, ::-1]
    else:
        # Stored rows run along displayed columns.
        if row0 == "right":
            pixels = pixels[:, ::-1]
        if col0 == "bottom":
            pixels = pixels[::-1]
        pixels = pixels.transpose(1, 0, 2)
    return Image.fromarray(np.ascontiguousarray(pixels), "RGB")


def colour_name(pixel: tuple[int, ...]) -> str:
    """Classify a decoded pixel loosely enough for lossy codecs and demosaicing."""
    r, g, b = pixel[:3]
    if r > g + 80 and r > b + 80:
        return "red"
    if b > r + 80 and b > g + 80:
        return "blue"
    if g > r + 80 and g > b + 80:
        return "green"
    if max(r, g, b) - min(r, g, b) < 40:
        return "grey"
    return f"other{pixel}"


def markers(image: Image.Image) -> tuple[str, str, str]:
    """Colours at the red block, the blue block and the lower middle of an upright sample."""
    width, height = image.size
    return (
        colour_name(image.getpixel((width // 8, height // 6))),  # type: ignore[arg-type]
        colour_name(image.getpixel((width * 7 // 8, height // 6))),  # type: ignore[arg-type]
        colour_name(image.getpixel((width // 2, height * 3 // 4))),  # type: ignore[arg-type]
    )


def exif_with(
    orientation: int | None = None,
    make: str | None = None,
    model: str | None = None,
    datetime_original: str | None = None,
    datetime_digitized: str | None = None,
    datetime: str | None = None,
    gps: tuple[str, tuple[float, ...], str, tuple[float, ...]] | None = None,
) -> Image.Exif:
    """An EXIF block built with Pillow's own writer."""
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if make is not None:
        exif[0x010F] = make
    if model is not None:
        exif[0x0110] = model
    if datetime is not None:
        exif[0x0132] = datetime
    if datetime_original is not None or datetime_digitized is not None:
        sub = exif.get_ifd(0x8769)
        if datetime_original is not None:
            sub[0x9003] = datetime_original
        if datetime_digitized is not None:
            sub[0x9004] = datetime_digitized
    if gps is not None:
        lat_ref, lat, lon_ref, lon = gps
        ifd = exif.get_ifd(0x8825)
        ifd[1], ifd[3] = lat_ref, lon_ref
        ifd[2] = tuple(_rational(value) for value in lat)
        ifd[4] = tuple(_rational(value) for value in lon)
    return exif


def _rational(value: float) -> TiffImagePlugin.IFDRational:
    if value != value:  # NaN stands for a zero denominator, as broken cameras write
        return TiffImagePlugin.IFDRational(1, 0)
    return TiffImagePlugin.IFDRational(round(value * 10000), 10000)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` over a few bytes of data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def jpeg_with_declared_size(width: int, height: int) -> bytes:
    """A small real JPEG whose SOF0 header is patched to claim ``width`` x ``height``."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), GREY).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


class _TiffBuilder:
    """Little-endian TIFF writer: blobs and IFDs appended in order, IFD0 offset patched last."""

    _FORMATS = {1: "B", 3: "H", 4: "I", 5: "I", 10: "i"}

    def __init__(self) -> None:
        self.data = bytearray(b"II*\x00\x00\x00\x00\x00")

    def _align(self) -> None:
        if len(self.data) % 2:
            self.data += b"\x00"

    def blob(self, payload: bytes) -> int:
        self._align()
        offset = len(self.data)
        self.data += payload
        return offset

    def ifd(self, entries: list[tuple[int, int, object]], next_ifd: int = 0) -> int:
        self._align()
        entries = sorted(entries, key=lambda entry: entry[0])
        start = len(self.data)
        values_at = start + 2 + 12 * len(entries) + 4
        table, values = bytearray(struct.pack("<H", len(entries))), bytearray()
        for tag, kind, value in entries:
            if kind == 2:
                raw, count = str(value).encode() + b"\x00", len(str(value)) + 1
            else:
                items = list(value) if isinstance(value, list | tuple) else [value]
                raw = struct.pack("<" + self._FORMATS[kind] * len(items), *items)
                count = len(items) // 2 if kind in (5, 10) else len(items)
            if len(raw) <= 4:
                field = raw.ljust(4, b"\x00")
            else:
                if len(values) % 2:
                    values += b"\x00"
                field = struct.pack("<I", values_at + len(values))
                values += raw
            table += struct.pack("<HHI", tag, kind, count) + field
        self.data += table + struct.pack("<I", next_ifd) + values
        return start

    def finish(self, ifd0: int) -> bytes:
        self.data[4:8] = struct.pack("<I", ifd0)
        return bytes(self.data)


def write_dng(
    path: Path,
    displayed: Image.Image,
    orientation: int = 1,
    *,
    preview: Image.Image | None = None,
    preview_orientation: int | None = None,
    make: str = "TestCam",
    model: str = "Model X",
    taken: str = "2021:06:05 14:03:02",
) -> Path:
    """Write a minimal 12-bit RGGB DNG that LibRaw decodes to ``displayed``.

    The sensor data is ``displayed`` stored for EXIF ``orientation``. ``preview`` (displayed
    orientation) is embedded as a JPEG in IFD1: stored like the sensor data when
    ``preview_orientation`` is None, else stored for ``preview_orientation`` with that value in
    its own EXIF.
    """
    stored = np.asarray(stored_for(displayed, orientation)).astype(np.uint16) * 16
    height, width = stored.shape[:2]
    cfa = np.empty((height, width), dtype="<u2")
    cfa[0::2, 0::2] = stored[0::2, 0::2, 0]
    cfa[0::2, 1::2] = stored[0::2, 1::2, 1]
    cfa[1::2, 0::2] = stored[1::2, 0::2, 1]
    cfa[1::2, 1::2] = stored[1::2, 1::2, 2]
    tiff = _TiffBuilder()
    strip = tiff.blob(cfa.tobytes())
    exif_ifd = tiff.ifd([(0x9003, 2, taken), (0x9004, 2, taken)])
    # ColorMatrix1 as SRATIONAL numerator/denominator pairs: the 3x3 identity.
    identity = [v for i in range(9) for v in ((10000 if i % 4 == 0 else 0), 10000)]
    entries: list[tuple[int, int, object]] = [
        (254, 4, 0), (256, 4, width), (257, 4, height), (258, 3, 16), (259, 3, 1),
        (262, 3, 32803), (271, 2, make), (272, 2, model), (273, 4, strip),
        (274, 3, orientation), (277, 3, 1), (278, 4, height), (279, 4, cfa.nbytes),
        (284, 3, 1), (306, 2, taken), (33421, 3, [2, 2]), (33422, 1, [0, 1, 1, 2]),
        (34665, 4, exif_ifd), (50706, 1, [1, 4, 0, 0]), (50708, 2, f"{make} {model}"),
        (50717, 4, 4095), (50721, 10, identity), (50728, 5, [1, 1, 1, 1, 1, 1]),
        (50778, 3, 21),
    ]  # fmt: skip
    next_ifd = 0
    if preview is not None:
        buffer = io.BytesIO()
        if preview_orientation is None:
            stored_for(preview, orientation).save(buffer, "JPEG", quality=95)
        else:
            stored_preview = stored_for(preview, preview_orientation)
            exif = exif_with(orientation=preview_orientation)
            stored_preview.save(buffer, "JPEG", quality=95, exif=exif)
        jpeg = buffer.getvalue()
        if preview_orientation is not None and jpeg[2:4] == b"\xff\xe0":
            # Drop JFIF so that EXIF comes first, as in camera previews; otherwise LibRaw
            # puts its own EXIF (orientation from the raw's flip) in front of ours.
            jpeg = jpeg[:2] + jpeg[4 + struct.unpack(">H", jpeg[4:6])[0] :]
        at = tiff.blob(jpeg)
        next_ifd = tiff.ifd([(254, 4, 1), (259, 3, 6), (513, 4, at), (514, 4, len(jpeg))])
    path.write_bytes(tiff.finish(tiff.ifd(entries, next_ifd)))
    return path
