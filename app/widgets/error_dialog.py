"""The dialog that shows an error: what happened and what to do, plus "Copy details"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.i18n import translate


class ErrorDialog(QDialog):
    """A message for the user, with technical details behind "Show details"."""

    def __init__(
        self, title: str, message: str, details: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("errorDialog")
        self.message = message
        self.details = details
        self.setMinimumWidth(460)

        icon = QLabel()
        icon.setPixmap(theme.icon("alert", theme.status_colour("error")).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(message)
        self.message_label.setObjectName("errorMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(360)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addWidget(self.message_label, 1)

        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setMinimumHeight(160)
        self.details_view.setVisible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(theme.icon("copy"), translate("ErrorDialog", "Copy details"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.toggle_button = QPushButton(translate("ErrorDialog", "Show details"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle_details)
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.toggle_button.setVisible(bool(details))  # after addButton, which shows it
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)

    def details_text(self) -> str:
        """What "Copy details" puts on the clipboard: the message and the details."""
        return f"{self.message}\n\n{self.details}".strip() + "\n"

    def copy_details(self) -> None:
        """Put the message and details on the clipboard (for a bug report)."""
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText(translate("ErrorDialog", "Copied"))

    def _toggle_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.toggle_button.setText(
            translate("ErrorDialog", "Hide details") if shown
            else translate("ErrorDialog", "Show details"))
        self.adjustSize()
