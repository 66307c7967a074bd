"""Folder and settings actions of the main window (they open dialogs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.i18n import set_preferred_language, translate
from app.widgets.failures_dialog import FailuresDialog
from app.widgets.people_view import PeopleView
from app.widgets.settings_dialog import SettingsDialog, pytorch_unavailable
from engine.errors import EngineError


class LibraryActions:
    """Mixin for the main window: add/remove folders, settings, the failed-files list.

    ``ask_folder`` and ``confirm`` are attributes the window sets to ``_ask_folder`` and
    ``_confirm``; tests replace them to answer without a modal dialog.
    """

    def add_folder(self) -> None:
        """Ask for a folder, add it and index it."""
        path = self.ask_folder()
        if path is not None:
            self.library_presenter.add_folder(path)

    def remove_folder(self, path: Path) -> None:
        """Remove a folder from the library after confirmation."""
        if self.confirm(
            translate("MainWindow", "Remove folder"),
            translate(
                "MainWindow",
                "Remove %1 from the library?\n\nIts photos leave the search results. The files "
                "themselves are not touched.",
            ).replace("%1", str(path)),
        ):
            self.library_presenter.remove_folder(path)

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, translate(
            "MainWindow", "Add a folder of photos"), str(Path.home()))
        return Path(chosen) if chosen else None

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def open_settings(self) -> SettingsDialog:
        """Show the settings dialog (non-blocking); OK applies the changes."""
        status = self.library_presenter.status
        try:
            runtime_in_use: str | None = self.library.runtime_request
        except EngineError:  # a PHOTOSEARCH_RUNTIME the engine does not know: loading says so
            runtime_in_use = None
        dialog = SettingsDialog(
            self.library.settings,
            self.model_presenter.text,
            self,
            model_in_use=getattr(status, "model", None),
            rerank_unavailable=self.library.rerank_unavailable,
            runtime_in_use=runtime_in_use,
            pytorch_unavailable=pytorch_unavailable(),
        )
        # The runtime and its figures: the last status at once, then a fresh one (asked for off
        # the GUI thread, like every status; the connection ends with the dialog).
        if status is not None:
            dialog.show_runtime(status)
        self.library_presenter.status_changed.connect(dialog.show_runtime)
        self.library_presenter.refresh_status()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_settings(dialog.changes()))
        dialog.accepted.connect(lambda: self.apply_language(dialog))
        dialog.delete_faces_requested.connect(self.delete_face_data)
        self.settings_dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, changes: dict[str, Any]) -> None:
        """Save changed settings; reload the model if it, the device or the runtime changed."""
        if not changes:
            return
        if "thumbnail_cache_mb" in changes and self.thumbnail_cache is not None:
            self.thumbnail_cache.set_max_bytes(int(changes["thumbnail_cache_mb"]) << 20)

        def saved(_settings: Any) -> None:
            self.statusBar().showMessage(translate("MainWindow", "Settings saved"), 4000)
            if changes.keys() & {"model", "device", "runtime"}:
                self.index_on_start = "model" in changes  # embed the photos with the new model
                self.model_presenter.switch()
            elif "hub_endpoint" in changes and self.model_presenter.state != "ready":
                self.model_presenter.switch()  # try the download again from the new server
            elif changes.keys() & {"rerank", "matcher", "rerank_k", "rerank_prepare"}:
                self.search_presenter.search_now()  # the results on screen, reranked or not
                # the recent photos' reranking features, in the background (no-op when off)
                self.bridge.call(lib.prepare_reranking, lambda _r: None, self.reporter.report)

        lib = self.library
        self.bridge.call(lambda: lib.update_settings(**changes), saved, self.reporter.report)

    def apply_language(self, dialog: SettingsDialog) -> None:
        """Keep the language picked in Settings; it applies at the next start (every window
        would otherwise have to be rebuilt in the new language)."""
        if not dialog.language_changed():
            return
        set_preferred_language(dialog.language())
        self.statusBar().showMessage(translate(
            "MainWindow", "The new language applies when PhotoSearch starts again."), 8000)

    def open_people(self) -> PeopleView | None:
        """Show the People view (non-blocking); "Show photos" searches for that person."""
        if self.library is None:
            return None
        view = PeopleView(self.bridge, self.library, self, self.reporter.report)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show_photos.connect(self.show_person)
        self.people_view = view
        view.open()
        return view

    def show_person(self, name: str) -> None:
        """Search for a person's photos (their name is understood as a person)."""
        self.search_bar.set_text_silently(name)
        self.search_presenter.set_text(name)
        self.search_presenter.search_now()

    def delete_face_data(self) -> None:
        """Delete every face, person and name, and switch faces off (the user confirmed)."""
        lib = self.library

        def done(_: Any) -> None:
            self.statusBar().showMessage(translate(
                "MainWindow", "Face data deleted; finding faces is off"), 6000)

        self.bridge.call(lib.delete_face_data, done, self.reporter.report)

    def open_failures(self) -> None:
        """Show the files that failed to index, and why."""

        def show(failures: list[Any]) -> None:
            self.failures_dialog = FailuresDialog(failures, self)
            self.failures_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.failures_dialog.open()

        self.bridge.call(self.library.failures, show, self.reporter.report)
