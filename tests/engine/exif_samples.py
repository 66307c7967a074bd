"""EXIF values the tests (and the README's screenshot script) write into sample photos."""

from __future__ import annotations


def gps_ifd(lat: float, lon: float) -> dict[int, object]:
    """The GPS IFD (EXIF tag 0x8825) for a position: references and degrees/minutes/seconds,
    as cameras write it; ``Image.Exif()[0x8825] = gps_ifd(38.7077, -9.1365)``."""
    def dms(value: float) -> tuple[float, float, float]:
        value = abs(value)
        d = int(value)
        m = int((value - d) * 60)
        return (float(d), float(m), round((value - d - m / 60) * 3600, 2))

    return {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
