"""Full-area pages: the first-run welcome and the message shown instead of results."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app import theme


def _muted(label: QLabel) -> None:
    palette = label.palette()
    colour = QColor(palette.color(QPalette.ColorRole.WindowText))
    colour.setAlpha(170)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


class FirstRunPage(QWidget):
    """Shown while the library has no folders: explains and offers "Add a folder"."""

    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPage")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Welcome to PhotoSearch")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Find your photos by describing them, like “a dog on the beach at sunset”, or by "
            "dropping in a photo to find ones like it.\n\nStart by adding a folder of photos. "
            "PhotoSearch indexes it on this computer: nothing is uploaded, and it works offline."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setMaximumWidth(520)
        _muted(text)
        self.add_button = QPushButton(theme.icon("folder-plus"), "Add a folder…")
        self.add_button.setObjectName("primaryButton")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_requested)
        self.model_label = QLabel("")
        self.model_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model_label.setWordWrap(True)
        self.model_label.setMaximumWidth(520)
        _muted(self.model_label)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.icon)
        layout.addSpacing(8)
        layout.addWidget(title)
        layout.addSpacing(6)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addWidget(self.model_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        self.icon.setPixmap(theme.icon("photos", colour).pixmap(96, 96))
        self.add_button.setIcon(theme.icon("folder-plus"))


class MessagePage(QWidget):
    """An icon and a sentence in place of results ("type to search", "no matches", ...)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagePage")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(560)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        _muted(self.text)
        self._icon_name = "search"
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.icon)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addSpacing(4)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_message(self, icon_name: str, title: str, text: str) -> None:
        """Show ``title`` and ``text`` under the icon ``icon_name``."""
        self._icon_name = icon_name
        self.title.setText(title)
        self.text.setText(text)
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        colour = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlpha(120)
        self.icon.setPixmap(theme.icon(self._icon_name, colour).pixmap(64, 64))
