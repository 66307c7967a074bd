"""Converting engine images (PIL) to Qt images, safely off the GUI thread (QImage, not QPixmap)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage


def pil_to_qimage(image: Any) -> QImage:
    """An independent RGB ``QImage`` copy of a PIL image."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    data = rgb.tobytes("raw", "RGB")
    return QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
