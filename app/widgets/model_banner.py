"""The model's bar above the results: a download in progress, a cancelled download, or why the
model is unavailable, each with its next steps as buttons. The rest of the app stays usable."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app import theme
from app.i18n import translate


class ModelBanner(QFrame):
    """Shows one of three things: ``show_download`` (progress bar and Cancel),
    ``show_cancelled`` and ``show_problem`` (Download again / Try again, Choose model folder…,
    Use demo model, Settings…, Copy details). The buttons only emit signals."""

    settings_requested = Signal()
    retry_requested = Signal()
    cancel_requested = Signal()
    choose_folder_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.mode = ""  # "download", "cancelled" or "problem"
        self.message = ""
        self.details = ""
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton(translate("ModelBanner", "Cancel"))
        self.cancel_button.setToolTip(translate(
            "ModelBanner", "Stop the download; it can start again later"))
        self.folder_button = QPushButton(translate("ModelBanner", "Choose model folder…"))
        self.folder_button.setToolTip(
            translate(
                "ModelBanner",
                "Use a model already on this computer: a folder with open_clip_config.json and the "
                "weights file",
            )
        )
        self.demo_button = QPushButton(translate("ModelBanner", "Use demo model"))
        self.demo_button.setToolTip(
            translate(
                "ModelBanner",
                "Switch to the small model bundled with PhotoSearch (less accurate, works offline)",
            )
        )
        self.settings_button = QPushButton(translate("ModelBanner", "Settings…"))
        self.retry_button = QPushButton(translate("ModelBanner", "Try again"))
        self.copy_button = QPushButton(theme.icon("copy"), translate("ModelBanner", "Copy details"))
        for button, signal in (
            (self.cancel_button, self.cancel_requested),
            (self.folder_button, self.choose_folder_requested),
            (self.demo_button, self.demo_requested),
            (self.settings_button, self.settings_requested),
            (self.retry_button, self.retry_requested),
        ):
            button.clicked.connect(signal)
        self.copy_button.clicked.connect(self.copy_details)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (
            self.cancel_button,
            self.retry_button,
            self.folder_button,
            self.demo_button,
            self.settings_button,
            self.copy_button,
        ):
            buttons.addWidget(button)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 0, 1)
        layout.addWidget(self.progress_bar, 1, 1)
        layout.addLayout(buttons, 2, 1)
        layout.setColumnStretch(1, 1)
        self.refresh_icons()

    def show_download(self, text: str, percent: int) -> None:
        """A download under way: ``text`` says what and how far, ``percent`` fills the bar."""
        if self.mode != "download":
            self._set_mode("download")
            self.details = ""
            self._show_buttons(cancel=True)
            self.progress_bar.setVisible(True)
            self.refresh_icons()
        self.message = text
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setText(text)
        self.progress_bar.setValue(percent)
        self.setVisible(True)

    def show_cancelled(self, message: str) -> None:
        """The user cancelled the download: offer to download again or do without."""
        self._show_message("cancelled", translate(
            "ModelBanner", "Download cancelled."), message, "")
        self.retry_button.setText(translate("ModelBanner", "Download again"))

    def show_problem(self, message: str, details: str) -> None:
        """Why the model is unavailable (``message`` names the next step)."""
        self._show_message("problem", translate(
            "ModelBanner", "Search is unavailable."), message, details)
        self.retry_button.setText(translate("ModelBanner", "Try again"))

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.setProperty("mode", mode)  # the style sheet colours errors only
        self.style().unpolish(self)
        self.style().polish(self)

    def _show_message(self, mode: str, title: str, message: str, details: str) -> None:
        self._set_mode(mode)
        body = message.removeprefix(title).strip()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText(f"<b>{html.escape(title)}</b> {html.escape(body, quote=False)}")
        self.message = message
        self.details = details
        self.progress_bar.setVisible(False)
        self._show_buttons(cancel=False)
        self.copy_button.setVisible(bool(details))
        self.refresh_icons()
        self.setVisible(True)

    def _show_buttons(self, cancel: bool) -> None:
        self.cancel_button.setVisible(cancel)
        for button in (
            self.retry_button,
            self.folder_button,
            self.demo_button,
            self.settings_button,
            self.copy_button,
        ):
            button.setVisible(not cancel)

    def copy_details(self) -> None:
        """Put the message and technical details on the clipboard."""
        QGuiApplication.clipboard().setText(f"{self.message}\n\n{self.details}".strip())

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change (a download shows no alert)."""
        if self.mode == "download":
            self.icon.setPixmap(theme.icon("refresh", theme.status_colour("busy")).pixmap(22, 22))
        else:
            self.icon.setPixmap(theme.icon("alert", theme.status_colour("error")).pixmap(22, 22))
        self.copy_button.setIcon(theme.icon("copy"))
