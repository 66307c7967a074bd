"""Full-area pages: the first-run welcome and the message shown instead of results."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import theme
from app.i18n import translate

COLUMN_WIDTH = 540


def _centred_column(page: QWidget) -> QVBoxLayout:
    """A fixed-width column centred in ``page``; word-wrapped labels in it get their height."""
    column = QWidget()
    column.setFixedWidth(COLUMN_WIDTH)
    inner = QVBoxLayout(column)
    inner.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(column)
    row.addStretch(1)
    outer = QVBoxLayout(page)
    outer.addStretch(2)
    outer.addLayout(row)
    outer.addStretch(3)
    return inner


def _muted(label: QLabel) -> None:
    """Secondary text: the theme's text colour, a little transparent (call again on a theme
    change)."""
    colour = QColor(QGuiApplication.palette().color(QPalette.ColorRole.WindowText))
    colour.setAlpha(170)
    palette = QPalette()  # only WindowText is set; everything else follows the theme
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)


# An example of a description for the real models, which understand English only (so it stays
# in English in every language).
FIRST_RUN_EXAMPLE = "a dog on the beach at sunset"


class FirstRunPage(QWidget):
    """Shown while the library has no folders: explains and offers "Add a folder" (and, for a
    computer whose language is not English, the multilingual model)."""

    add_requested = Signal()
    model_offer_accepted = Signal(str)  # the offered model's spec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunPage")
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(translate("FirstRunPage", "Welcome to PhotoSearch"))
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = text = QLabel(translate(
            "FirstRunPage",
            "Find your photos by describing them, like “%1”, or by dropping in a photo to find "
            "ones like it.\n\nStart by adding a folder of photos. PhotoSearch indexes it on this "
            "computer: nothing is uploaded, and it works offline.",
        ).replace("%1", FIRST_RUN_EXAMPLE))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _muted(text)
        self.add_button = QPushButton(theme.icon("folder-plus"), translate(
            "FirstRunPage", "Add a folder…"))
        self.add_button.setObjectName("primaryButton")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_requested)
        self.model_label = QLabel("")
        self.model_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.model_label.setWordWrap(True)
        _muted(self.model_label)
        self.offer_text = QLabel("")
        self.offer_text.setObjectName("modelOffer")
        self.offer_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.offer_text.setWordWrap(True)
        self.offer_button = QPushButton("")
        self.offer_button.clicked.connect(
            lambda: self.model_offer_accepted.emit(self._offered))
        self._offered = ""
        self.hide_model_offer()

        layout = _centred_column(self)
        layout.addWidget(self.icon)
        layout.addSpacing(8)
        layout.addWidget(title)
        layout.addSpacing(6)
        layout.addWidget(text)
        layout.addSpacing(16)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(16)
        layout.addWidget(self.model_label)
        layout.addSpacing(12)
        layout.addWidget(self.offer_text)
        layout.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.refresh_icons()

    def show_model_offer(self, spec: str, text: str, button: str) -> None:
        """Offer the model ``spec`` (``text`` says why, ``button`` is the button's words)."""
        self._offered = spec
        self.offer_text.setText(text)
        self.offer_button.setText(button)
        self.offer_text.setVisible(True)
        self.offer_button.setVisible(True)

    def hide_model_offer(self) -> None:
        """No model to offer (or it was taken)."""
        self._offered = ""
        self.offer_text.setVisible(False)
        self.offer_button.setVisible(False)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        colour = QColor(QGuiApplication.palette().color(QPalette.ColorRole.Highlight))
        self.icon.setPixmap(theme.icon("photos", colour).pixmap(96, 96))
        self.add_button.setIcon(theme.icon("folder-plus"))
        _muted(self.text)
        _muted(self.model_label)


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
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        _muted(self.text)
        self._icon_name = "search"
        layout = _centred_column(self)
        layout.addWidget(self.icon)
        layout.addSpacing(8)
        layout.addWidget(self.title)
        layout.addSpacing(4)
        layout.addWidget(self.text)

    def show_message(self, icon_name: str, title: str, text: str) -> None:
        """Show ``title`` and ``text`` under the icon ``icon_name``."""
        self._icon_name = icon_name
        self.title.setText(title)
        self.text.setText(text)
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        colour = QColor(QGuiApplication.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlpha(120)
        self.icon.setPixmap(theme.icon(self._icon_name, colour).pixmap(64, 64))
        _muted(self.text)
