"""The files that could not be indexed, and why."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.i18n import translate


class FailuresDialog(QDialog):
    """A table of ``FailedPhoto`` values (path, reason) with "Copy list"."""

    def __init__(self, failures: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("FailuresDialog", "Files that could not be indexed"))
        self.setObjectName("failuresDialog")
        self.resize(760, 360)
        self.failures = list(failures)
        summary = QLabel(
            translate("FailuresDialog", "%Ln file(s) could not be indexed. They are skipped "
                      "until they change; fix or remove them and they are picked up again.",
                      "", len(self.failures))
            if self.failures
            else translate("FailuresDialog", "Every photo was indexed.")
        )
        summary.setWordWrap(True)
        self.table = QTableWidget(len(self.failures), 2)
        self.table.setHorizontalHeaderLabels(
            [translate("FailuresDialog", "File"), translate("FailuresDialog", "Reason")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for row, failure in enumerate(self.failures):
            path_item = QTableWidgetItem(str(failure.path))
            path_item.setToolTip(str(failure.path))
            self.table.setItem(row, 0, path_item)
            reason_item = QTableWidgetItem(failure.reason)
            reason_item.setToolTip(failure.reason)
            self.table.setItem(row, 1, reason_item)
        self.table.setColumnWidth(0, 400)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(theme.icon("copy"), translate("FailuresDialog", "Copy list"))
        copy.clicked.connect(self.copy_list)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def copy_list(self) -> None:
        """Put "path<TAB>reason" lines on the clipboard."""
        lines = [f"{f.path}\t{f.reason}" for f in self.failures]
        QGuiApplication.clipboard().setText("\n".join(lines) + ("\n" if lines else ""))
