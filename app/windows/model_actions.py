"""The model bar's actions: show a download's progress, cancel it, or switch to a model folder
on disk or to the bundled demo model."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog

from app.i18n import translate
from app.model_messages import download_percent, download_size, download_text
from engine.api import DEMO_MODEL, model_choice, recommended_model

ENGLISH_DEFAULT = "ViT-B-32/laion2b_s34b_b79k"


class ModelActions:
    """Mixin for the main window, next to LibraryActions (whose ``apply_settings`` saves the
    new model, reloads it and re-indexes). ``ask_model_folder`` is an attribute the window sets
    to ``_ask_model_folder``; tests replace it to answer without a modal dialog.
    ``system_language`` (Qt's system locale name, e.g. ``zh_CN``) chooses the model offered on
    first run; tests set it."""

    system_language: str = QLocale.system().name()

    def show_download_progress(self, progress: Any) -> None:
        """A chunk of the model arrived: move the bar (and the first-run page's model line)."""
        text = download_text(progress)
        self.model_banner.show_download(text, download_percent(progress))
        self.first_run_page.model_label.setText(
            translate("MainWindow", "Model: %1").replace("%1", text))

    def offer_recommended_model(self) -> None:
        """On first run, offer the model the engine recommends for the system language (the
        multilingual one for a computer not set to English) while the English default is in
        use; the first-run page shows why, with the published figures."""
        page = self.first_run_page
        library = self.library
        current = getattr(library, "model_spec", library.settings.model)
        spec = recommended_model(self.system_language)
        offered, default = model_choice(spec), model_choice(ENGLISH_DEFAULT)
        if current != ENGLISH_DEFAULT or spec == current or offered is None or default is None:
            page.hide_model_offer()
            return
        language = QLocale(self.system_language).nativeLanguageName() or self.system_language
        chinese = self.system_language.lower().startswith("zh")
        mine, theirs = ((offered.xm3600_zh_r1, default.xm3600_zh_r1) if chinese else
                        (offered.xm3600_avg_r1, default.xm3600_avg_r1))
        figures = ""
        if mine is not None and theirs is not None:
            figures = " " + (translate(
                "ModelActions", "On the Crossmodal-3600 benchmark it finds the right photo "
                "first for %1 of Chinese queries; the English model for %2.") if chinese else
                translate(
                "ModelActions", "On the Crossmodal-3600 benchmark it finds the right photo "
                "first for %1 of queries in 36 languages; the English model for %2.")).replace(
                "%1", f"{100 * mine:.0f}%").replace("%2", f"{100 * theirs:.1f}%")
        count = re.match(r"\d+", offered.languages)
        page.show_model_offer(
            spec,
            translate("ModelActions", "Your computer is set to %1. The standard model "
                      "understands English only; the multilingual model (%2 languages, about "
                      "%3) lets you search in your language.").replace("%1", language).replace(
                "%2", count.group(0) if count else "100+").replace(
                "%3", download_size(offered.download_bytes)) + figures,
            translate("ModelActions", "Use the multilingual model"))

    def use_offered_model(self, spec: str) -> None:
        """The person took the offered model: switch to it (stopping the English model's
        download) and say so."""
        self.first_run_page.hide_model_offer()
        self.apply_settings({"model": spec})

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
