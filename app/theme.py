"""Light/dark aware icons, colours and the app style sheet.

Qt 6 follows the system colour scheme by itself; what we add must follow it too. Icons are
monochrome SVGs drawn with ``currentColor``, tinted here with the palette's text colour, and the
style sheet only refers to ``palette(...)`` roles, so both look right on light and dark themes.
Call :func:`clear_icon_cache` when the palette changes (the main window does).
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication


def resources_dir() -> Path:
    """The bundled ``resources/`` folder, in a source checkout and in a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the current (or given) palette is a dark one."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def status_colour(kind: str) -> QColor:
    """A readable colour for "ok", "busy" or "error" text on the current palette."""
    dark = is_dark()
    colours = {
        "ok": ("#2e7d32", "#81c784"),
        "busy": ("#8a6d00", "#ffd54f"),
        "error": ("#c62828", "#ef9a9a"),
    }
    light_value, dark_value = colours[kind]
    return QColor(dark_value if dark else light_value)


@lru_cache(maxsize=256)
def _svg_icon(name: str, colour: str) -> QIcon:
    svg = (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))
    icon = QIcon()
    for side in (16, 20, 24, 32, 48, 64, 96):
        pixmap = QPixmap(side, side)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, side, side))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the palette's text colour (or ``colour``)."""
    if colour is None:
        colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return _svg_icon(name, colour.name())


def clear_icon_cache() -> None:
    """Forget tinted icons (after a palette change they are re-tinted on next use)."""
    _svg_icon.cache_clear()


def follow_palette() -> None:
    """After a light/dark switch: re-tint icons and re-apply the style sheet (widgets styled
    by a sheet keep their old colours until it is set again)."""
    clear_icon_cache()
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.styleSheet():
        app.setStyleSheet(app.styleSheet())


def apply_style(app: QApplication) -> None:
    """Load ``resources/style/app.qss`` (palette-based, so it works light and dark)."""
    path = resources_dir() / "style" / "app.qss"
    if path.is_file():
        app.setStyleSheet(path.read_text(encoding="utf-8"))
