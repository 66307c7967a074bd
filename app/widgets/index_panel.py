"""Indexing progress: a bar with counts, rate and ETA, pause/resume and cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app import theme
from app.i18n import translate


class IndexPanel(QFrame):
    """Shown while an indexing run goes on."""

    pause_clicked = Signal()
    cancel_clicked = Signal()
    failures_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("indexPanel")
        self._paused = False
        self.label = QLabel(translate("IndexPanel", "Starting to index…"))
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(220)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(True)
        self.failed_button = QPushButton()
        self.failed_button.setFlat(True)
        self.failed_button.setVisible(False)
        self.failed_button.clicked.connect(self.failures_clicked)
        self.pause_button = QPushButton(theme.icon("pause"), translate("IndexPanel", "Pause"))
        self.cancel_button = QPushButton(theme.icon("cancel"), translate("IndexPanel", "Cancel"))
        self.pause_button.clicked.connect(self.pause_clicked)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.failed_button)
        layout.addWidget(self.bar)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.cancel_button)

    def set_progress(self, progress: Any, text: str) -> None:
        """Show an ``IndexProgress`` and its one-line description."""
        self.label.setText(text)
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(min(progress.done, progress.total))
            self.bar.setFormat("%p%")
        else:
            self.bar.setRange(0, 0)  # busy: the total is not known yet
        self.failed_button.setVisible(progress.failed > 0)
        self.failed_button.setText(
            translate("IndexPanel", "%Ln failed…", "", progress.failed))

    def set_paused(self, paused: bool) -> None:
        """Flip the pause button between Pause and Resume."""
        self._paused = paused
        self.pause_button.setText(
            translate("IndexPanel", "Resume") if paused else translate("IndexPanel", "Pause"))
        self.pause_button.setIcon(theme.icon("play" if paused else "pause"))

    def reset(self) -> None:
        """Back to the state of a run that just started."""
        self.label.setText(translate("IndexPanel", "Starting to index…"))
        self.bar.setRange(0, 0)
        self.failed_button.setVisible(False)
        self.set_paused(False)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.set_paused(self._paused)
        self.cancel_button.setIcon(theme.icon("cancel"))
