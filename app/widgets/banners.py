"""The bar above the results that shows the "similar to" source (the model's bar is in
model_banner.py)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app import theme


class SimilarBar(QFrame):
    """ "Photos similar to <image>" with the source image and a button to go back."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("similarBar")
        self.thumb = QLabel()
        self.thumb.setFixedSize(48, 48)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.close_button = QToolButton()
        self.close_button.setIcon(theme.icon("close"))
        self.close_button.setToolTip("Back to text search (Esc)")
        self.close_button.clicked.connect(self.closed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.thumb)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.close_button)

    def show_source(self, label: str, image: QImage | None) -> None:
        """Show what the similar search started from."""
        self.text.setText(f"Photos similar to <b>{html.escape(label)}</b>")
        if image is not None and not image.isNull():
            self.thumb.setPixmap(
                QPixmap.fromImage(image).scaled(
                    48,
                    48,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.thumb.setPixmap(theme.icon("image").pixmap(32, 32))
        self.setVisible(True)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.close_button.setIcon(theme.icon("close"))
