"""The status bar's lasting parts: search summary, library counts, failed files, model state."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar

from app import theme
from app.formatting import photos, videos
from app.i18n import translate

_STATE_COLOURS = {
    "ready": "ok",
    "loading": "busy",
    "downloading": "busy",
    "not_loaded": "busy",
    "cancelled": "error",
    "unavailable": "error",
}


_STATE_WORDS = {
    "loading": QT_TRANSLATE_NOOP("StatusLine", "Model: loading…"),
    "downloading": QT_TRANSLATE_NOOP("StatusLine", "Model: downloading…"),
    "cancelled": QT_TRANSLATE_NOOP("StatusLine", "Model: download cancelled"),
    "not_loaded": QT_TRANSLATE_NOOP("StatusLine", "Model: not loaded"),
    "unavailable": QT_TRANSLATE_NOOP("StatusLine", "Model: unavailable"),
}


class StatusLine(QObject):
    """Fills a ``QStatusBar``; emits ``failures_requested`` when "N failed" is clicked."""

    failures_requested = Signal()

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.bar = status_bar
        self.search_label = QLabel()
        self.library_label = QLabel()
        self.failed_button = QPushButton()
        self.failed_button.setFlat(True)
        self.failed_button.setVisible(False)
        self.failed_button.setToolTip(
            translate("StatusLine", "Show the files that could not be indexed"))
        self.failed_button.clicked.connect(self.failures_requested)
        self.model_label = QLabel(translate("StatusLine", "Model: not loaded"))
        self.model_label.setObjectName("modelState")
        status_bar.addWidget(self.search_label, 1)
        status_bar.addPermanentWidget(self.library_label)
        status_bar.addPermanentWidget(self.failed_button)
        status_bar.addPermanentWidget(self.model_label)

    def set_search_message(self, message: str, details: str = "") -> None:
        """What the last search found (count and time); ``details`` becomes the tooltip."""
        self.search_label.setText(message)
        self.search_label.setToolTip(details)

    def set_library_status(self, status: Any) -> None:
        """Counts from a ``LibraryStatus``: photos and videos apart ("120 photos · 3 videos"),
        the other counts over both."""
        parts = [photos(status.photos - status.videos)]
        if status.videos:
            parts.append(videos(status.videos))
        parts.append(translate("StatusLine", "%Ln indexed", "", status.indexed))
        if status.pending:
            parts.append(translate("StatusLine", "%Ln waiting", "", status.pending))
        if status.offline:
            parts.append(translate("StatusLine", "%Ln offline", "", status.offline))
        self.library_label.setText(" · ".join(parts))
        self.failed_button.setVisible(status.failed > 0)
        self.failed_button.setText(translate("StatusLine", "%Ln failed…", "", status.failed))

    def set_model_state(self, state: str, text: str) -> None:
        """The model's state, coloured (green ready, amber loading, red unavailable)."""
        colour = theme.status_colour(_STATE_COLOURS.get(state, "busy"))
        if state == "ready":
            short = translate("StatusLine", "Model: %1").replace("%1", text)
        elif state in _STATE_WORDS:
            short = translate("StatusLine", _STATE_WORDS[state])
        else:
            short = text
        # Rich text rather than a palette: style sheet re-polishing on a theme switch resets
        # widget palettes, and the colour must follow the theme anyway (set again on a switch).
        self.model_label.setText(
            f'<span style="color:{colour.name()}">● {html.escape(short)}</span>'
        )
        self.model_label.setToolTip(text)
