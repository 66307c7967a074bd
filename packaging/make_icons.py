"""Render packaging/icons/photosearch.svg into the icon files the platforms want.

    .venv/bin/python packaging/make_icons.py

Writes next to the SVG: ``photosearch.png`` (256 px, Linux .desktop and the README),
``photosearch.ico`` (Windows: 16-256 px) and ``photosearch.icns`` (macOS). The outputs are
committed, so a build does not need to run this; run it after changing the SVG.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)


def render(svg: Path, side: int) -> bytes:
    """The SVG as a PNG of ``side`` x ``side`` pixels (Qt's SVG renderer, no display needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    image = QImage(side, side, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def main() -> None:
    from PIL import Image

    svg = ICONS / "photosearch.svg"
    images = {side: Image.open(io.BytesIO(render(svg, side))).convert("RGBA") for side in SIZES}
    images[256].save(ICONS / "photosearch.png")
    images[256].save(ICONS / "photosearch.ico",
                     sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    images[1024].save(ICONS / "photosearch.icns")
    for name in ("photosearch.png", "photosearch.ico", "photosearch.icns"):
        print(f"wrote {ICONS / name} ({(ICONS / name).stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
