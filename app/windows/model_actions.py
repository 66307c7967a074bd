"""The model bar's actions: show a download's progress, cancel it, or switch to a model folder
on disk or to the bundled demo model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from app.i18n import translate
from app.model_messages import download_percent, download_text
from engine.api import DEMO_MODEL


class ModelActions:
    """Mixin for the main window, next to LibraryActions (whose ``apply_settings`` saves the
    new model, reloads it and re-indexes). ``ask_model_folder`` is an attribute the window sets
    to ``_ask_model_folder``; tests replace it to answer without a modal dialog."""

    def show_download_progress(self, progress: Any) -> None:
        """A chunk of the model arrived: move the bar (and the first-run page's model line)."""
        text = download_text(progress)
        self.model_banner.show_download(text, download_percent(progress))
        self.first_run_page.model_label.setText(
            translate("MainWindow", "Model: %1").replace("%1", text))

    def use_demo_model(self) -> None:
        """Switch the model setting to the bundled demo model and load it."""
        self.apply_settings({"model": DEMO_MODEL})

    def choose_model_folder(self) -> None:
        """Ask for a folder holding an open_clip model; use it if the engine accepts it, else
        show the engine's explanation of what the folder lacks."""
        path = self.ask_model_folder()
        if path is None:
            return
        library = self.library
        self.bridge.call(
            lambda: library.check_model_folder(path),
            lambda spec: self.apply_settings({"model": spec}),
            self.reporter.report,
        )

    def _ask_model_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(
            self, translate(
                "MainWindow", "Choose the folder that holds the model"), str(Path.home())
        )
        return Path(chosen) if chosen else None
