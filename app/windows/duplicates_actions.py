"""The duplicates review of the main window: a "Find duplicates…" action that opens the
review dialog, answers its requests through the engine and keeps the window in step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.i18n import translate
from app.widgets.duplicates_dialog import DuplicatesDialog
from engine.errors import EngineError


class DuplicatesActions:
    """Mixin for the main window (uses its bridge, library, reporter, confirm, presenters)."""

    def _add_duplicates_action(self) -> None:
        self.duplicates_action = QAction(translate("MainWindow", "Find &duplicates…"), self)
        self.duplicates_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.duplicates_action.triggered.connect(self.open_duplicates)
        self.menuBar().addMenu(translate(
            "MainWindow", "&Library")).addAction(self.duplicates_action)

    def open_duplicates(self) -> DuplicatesDialog:
        """Show the review dialog (non-blocking) and look for duplicates in the background."""
        dialog = DuplicatesDialog(self.bridge, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.duplicates_dialog = dialog
        dialog.refresh_requested.connect(lambda similar: self._load_duplicates(dialog, similar))
        dialog.trash_requested.connect(lambda paths: self._trash_duplicates(dialog, paths))
        dialog.open()
        dialog.refresh()
        return dialog

    def _load_duplicates(self, dialog: DuplicatesDialog, similar: bool) -> None:
        library = self.library
        self.bridge.call(lambda: library.duplicates(similar=similar), dialog.set_groups,
                         self.reporter.report)

    def _trash_duplicates(self, dialog: DuplicatesDialog, paths: list[Path]) -> None:
        if not self.confirm(
            translate("MainWindow", "Move to trash"),
            translate("MainWindow", "Move %Ln photo(s) to the trash?\n\nThey leave the library "
                      "at once; you can restore them from the trash (the library picks them up "
                      "again).", "", len(paths)),
        ):
            return
        library = self.library

        def done(report: Any) -> None:
            self.statusBar().showMessage(translate(
                "MainWindow", "Moved %Ln photo(s) to the trash", "", len(report.moved)), 8000)
            if report.failed:
                self.reporter.report(EngineError(
                    translate("MainWindow", "%Ln photo(s) could not be moved to the trash and "
                              "were left in place.", "", len(report.failed)),
                    "\n".join(f"{path}: {reason}" for path, reason in report.failed)))
            self.library_presenter.refresh()
            self.search_presenter.search_now()
            dialog.refresh()

        self.bridge.call(lambda: library.trash(paths), done, self.reporter.report)
