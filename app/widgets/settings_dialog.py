"""Settings: model, device, runtime, reranking, thumbnail cache size, excluded patterns, faces."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_runtime
from app.i18n import LANGUAGES, preferred_language, translate
from app.model_messages import download_size
from engine.api import ModelChoice, edition, model_choices

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
# Hand-written descriptions of the two models most people meet; the others are described from
# the engine's facts (size, languages, published figures) in translated words.
DESCRIPTIONS = {
    "demo": QT_TRANSLATE_NOOP(
        "SettingsDialog", "the tiny model bundled with PhotoSearch (14 MB, for trying it out)"),
    DEFAULT_MODEL: QT_TRANSLATE_NOOP(
        "SettingsDialog", "a good general model (about 600 MB, downloaded once on first use)"),
}
CHOICES: dict[str, ModelChoice] = {c.spec: c for c in model_choices()}
KNOWN_MODELS = list(CHOICES)


def percent(value: float | None) -> str:
    """A published recall: ``0.5369`` -> ``"54%"``, ``0.0072`` -> ``"0.7%"``."""
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if value < 0.1 else f"{round(100 * value)}%"


def describe_model(spec: str) -> str:
    """What a known model is, in the UI language ("" for a model the engine doesn't list)."""
    if spec in DESCRIPTIONS:
        return translate("SettingsDialog", DESCRIPTIONS[spec])
    choice = CHOICES.get(spec)
    if choice is None:
        return ""
    count = re.match(r"\d+", choice.languages)
    languages = (translate("SettingsDialog", "%1 languages").replace("%1", count.group(0))
                 if choice.multilingual and count else choice.languages)
    size = download_size(choice.download_bytes)
    text = translate("SettingsDialog", "a multilingual model (%1, about %2, downloaded once)"
                     ).replace("%1", languages).replace("%2", size)
    if choice.xm3600_zh_r1 is not None:
        text += translate(
            "SettingsDialog", "; finds the right photo first for %1 of Chinese and %2 of "
            "English queries (Crossmodal-3600)").replace(
            "%1", percent(choice.xm3600_zh_r1)).replace("%2", percent(choice.xm3600_en_r1))
    return text
GPU_DEVICE = "mps" if sys.platform == "darwin" else "cuda"

# The runtime setting's values (engine.models.runtime.RUNTIMES), what they are called and what
# each means.
RUNTIMES = (
    ("auto", QT_TRANSLATE_NOOP("SettingsDialog", "Automatic (recommended)"),
     QT_TRANSLATE_NOOP("SettingsDialog", "ONNX Runtime on the CPU, PyTorch on a GPU")),
    ("onnx", "ONNX Runtime",
     QT_TRANSLATE_NOOP("SettingsDialog", "Always ONNX Runtime, on the CPU: searches start "
                       "fastest; each model is converted once, on first use, and checked "
                       "against the original")),
    ("torch", "PyTorch",
     QT_TRANSLATE_NOOP("SettingsDialog", "Always PyTorch (open_clip), the original model: on a "
                       "GPU, or on the CPU as the reference; slower to start")),
)


def pytorch_unavailable() -> str | None:
    """Why this installation cannot run PyTorch (the lean edition), in the UI language; None
    where it can."""
    if edition() != "lean":
        return None
    return translate("SettingsDialog", "PyTorch is not part of this edition of PhotoSearch: "
                     "the lean edition runs models on ONNX Runtime only.")


DELETE_FACES_TEXT = QT_TRANSLATE_NOOP(
    "SettingsDialog",
    "Deletes every face, person, name and correction from this library and switches "
    "finding faces off. Names are not kept; this cannot be undone.",
)


class SettingsDialog(QDialog):
    """Edits a ``Settings`` value; ``changes()`` is what the user changed (for
    ``Library.update_settings``). ``delete_faces_requested`` asks for all face data to go."""

    delete_faces_requested = Signal()

    def __init__(
        self,
        settings: Any,
        model_status: str,
        parent: QWidget | None = None,
        model_in_use: str | None = None,
        rerank_unavailable: str | None = None,
        runtime_in_use: str | None = None,
        pytorch_unavailable: str | None = None,
    ) -> None:
        """``rerank_unavailable``: why this installation cannot rerank (the lean edition), shown
        in place of the reranking options; None where it can. ``runtime_in_use``: the runtime
        this session asks for (``Library.runtime_request``: PHOTOSEARCH_RUNTIME overrides the
        setting). ``pytorch_unavailable``: why PyTorch cannot be chosen (the lean edition).
        The runtime's figures arrive later, through :meth:`show_runtime`."""
        super().__init__(parent)
        self._runtime_in_use = runtime_in_use
        self._pytorch_unavailable = pytorch_unavailable
        self._model_in_use = model_in_use
        self._rerank_unavailable = rerank_unavailable
        self.setWindowTitle(translate("SettingsDialog", "Settings"))
        self.setObjectName("settingsDialog")
        self.setMinimumWidth(560)
        self._initial = settings

        self.model_combo = QComboBox()
        self.model_combo.setEditable(True)
        for index, spec in enumerate(KNOWN_MODELS):
            self.model_combo.addItem(spec)
            self.model_combo.setItemData(index, describe_model(spec),
                                         Qt.ItemDataRole.ToolTipRole)
        self.model_combo.setCurrentText(settings.model)
        self.model_combo.setToolTip(
            translate(
                "SettingsDialog",
                "An open_clip ARCH/PRETRAINED pair, hf-hub:ORG/REPO, local-dir:/path/to/folder, or "
                "“demo”",
            )
        )
        self.model_note = QLabel()
        self.model_note.setWordWrap(True)
        self.model_status = QLabel(model_status)
        self.model_status.setWordWrap(True)
        self.model_combo.currentTextChanged.connect(self._update_note)
        self.browse_button = QPushButton(translate("SettingsDialog", "Browse…"))
        self.browse_button.setToolTip(
            translate(
                "SettingsDialog",
                "Use a model folder on this computer (open_clip_config.json and the weights file)",
            )
        )
        # Replaceable so tests can answer without a modal dialog.
        self.ask_model_folder: Callable[[], Path | None] = self._ask_model_folder
        self.browse_button.clicked.connect(self.browse_model_folder)
        model_row = QHBoxLayout()
        model_row.addWidget(self.model_combo, 1)
        model_row.addWidget(self.browse_button)

        self.device_combo = QComboBox()
        for label, value in (
            (translate("SettingsDialog", "Automatic"), "auto"),
            (translate("SettingsDialog", "CPU"), "cpu"),
            (translate("SettingsDialog", "GPU"), GPU_DEVICE),
        ):
            self.device_combo.addItem(label, value)
        index = self.device_combo.findData(settings.device)
        if index < 0:
            self.device_combo.addItem(settings.device, settings.device)
            index = self.device_combo.count() - 1
        self.device_combo.setCurrentIndex(index)
        self._build_runtime(settings.runtime)

        self.rerank_check = QCheckBox(translate(
            "SettingsDialog", "Re-rank the best results with a second, more precise model"))
        self.rerank_check.setChecked(bool(settings.rerank))
        self.matcher_edit = QLineEdit(settings.matcher)
        self.matcher_edit.setPlaceholderText(
            translate(
                "SettingsDialog",
                "Automatic: the demo matcher with the demo model, else "
                "Salesforce/blip-itm-base-coco",
            ))
        self.matcher_edit.setToolTip(
            translate(
                "SettingsDialog",
                "A BLIP image-text matching model: a Hugging Face repo (downloaded once, about 900 "
                "MB for blip-itm-base-coco), local-dir:/path/to/folder, or “demo”",
            ))
        self.rerank_k_spin = QSpinBox()
        self.rerank_k_spin.setRange(0, 200)
        self.rerank_k_spin.setSpecialValueText(translate(
            "SettingsDialog", "Automatic (10 on a CPU, 50 on a GPU)"))
        self.rerank_k_spin.setSuffix(translate("SettingsDialog", " photos"))
        self.rerank_k_spin.setValue(int(settings.rerank_k))
        self.rerank_k_spin.setToolTip(
            translate(
                "SettingsDialog",
                "How many of the best results the second model reorders: more is slower",
            ))
        self.rerank_prepare_spin = QSpinBox()
        self.rerank_prepare_spin.setRange(0, 100_000)
        self.rerank_prepare_spin.setSingleStep(250)
        self.rerank_prepare_spin.setSpecialValueText(translate("SettingsDialog", "None"))
        self.rerank_prepare_spin.setSuffix(translate("SettingsDialog", " photos"))
        self.rerank_prepare_spin.setValue(int(settings.rerank_prepare))
        self.rerank_prepare_spin.setToolTip(
            translate(
                "SettingsDialog",
                "After indexing, the reranking model reads this many of your most recent "
                "photos in the background, so that reranking them is quick (about 1 MB of disk "
                "each with the default model)",
            ))
        for widget in (self.matcher_edit, self.rerank_k_spin, self.rerank_prepare_spin):
            widget.setEnabled(self.rerank_check.isChecked())
            self.rerank_check.toggled.connect(widget.setEnabled)
        self.rerank_note = QLabel(rerank_unavailable or "")
        self.rerank_note.setWordWrap(True)
        self.rerank_note.setVisible(bool(rerank_unavailable))
        if rerank_unavailable:
            # The lean edition: the options cannot take effect; the stored values are kept
            # (values() reports them unchanged) for a full edition sharing this library.
            self.rerank_check.setChecked(False)
            for widget in (self.rerank_check, self.matcher_edit, self.rerank_k_spin,
                           self.rerank_prepare_spin):
                widget.setEnabled(False)
        self.cache_spin = QSpinBox()
        self.cache_spin.setRange(16, 100_000)
        self.cache_spin.setSingleStep(64)
        self.cache_spin.setSuffix(" MB")
        self.cache_spin.setValue(int(settings.thumbnail_cache_mb))
        self.exclude_edit = QPlainTextEdit("\n".join(settings.exclude))
        self.exclude_edit.setPlaceholderText(translate(
            "SettingsDialog", "One pattern per line, e.g.\n*/.thumbnails/*\n*.psd"))
        self.exclude_edit.setFixedHeight(90)

        self.hub_edit = QLineEdit(settings.hub_endpoint)
        self.hub_edit.setPlaceholderText(translate(
            "SettingsDialog", "https://huggingface.co (or a mirror, e.g. https://hf-mirror.com)"))
        self.hub_edit.setToolTip(translate(
            "SettingsDialog", "Where models are downloaded from. If huggingface.co is blocked "
            "where you are, enter a mirror such as https://hf-mirror.com"))

        form = QFormLayout()
        form.addRow(translate("SettingsDialog", "Model:"), model_row)
        form.addRow("", self.model_note)
        form.addRow(translate("SettingsDialog", "Status:"), self.model_status)
        form.addRow(translate("SettingsDialog", "Model server:"), self.hub_edit)
        form.addRow(translate("SettingsDialog", "Device:"), self.device_combo)
        form.addRow(translate("SettingsDialog", "Runtime:"), self.runtime_combo)
        form.addRow("", self.runtime_status)
        form.addRow("", self.runtime_note)
        form.addRow(translate("SettingsDialog", "Reranking:"), self.rerank_check)
        form.addRow("", self.rerank_note)
        form.addRow(translate("SettingsDialog", "Reranking model:"), self.matcher_edit)
        form.addRow(translate("SettingsDialog", "Reorder the top:"), self.rerank_k_spin)
        form.addRow(translate("SettingsDialog", "Prepare the most recent:"),
                    self.rerank_prepare_spin)
        form.addRow(translate("SettingsDialog", "Thumbnail cache:"), self.cache_spin)
        form.addRow(translate("SettingsDialog", "Exclude:"), self.exclude_edit)
        # People: finding faces on or off, and deleting every trace of them.
        self.faces_check = QCheckBox(translate(
            "SettingsDialog", "Find faces and group them into people"))
        self.faces_check.setChecked("faces" not in settings.disabled_analyses)
        self.faces_check.setToolTip(translate(
            "SettingsDialog", "Faces are found on this computer only, after indexing"))
        self.delete_faces_button = QPushButton(translate("SettingsDialog", "Delete face data…"))
        self.delete_faces_button.setToolTip(translate("SettingsDialog", DELETE_FACES_TEXT))
        self.delete_faces_button.clicked.connect(self._delete_faces)
        faces_row = QHBoxLayout()
        faces_row.addWidget(self.faces_check, 1)
        faces_row.addWidget(self.delete_faces_button)
        form.addRow(translate("SettingsDialog", "People:"), faces_row)
        # The language of the window: the person's choice, kept outside the library.
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("languageCombo")
        self.language_combo.addItem(translate("SettingsDialog", "System language"), "")
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self._initial_language = preferred_language()
        self.language_combo.setCurrentIndex(
            max(0, self.language_combo.findData(self._initial_language)))
        self.language_combo.setToolTip(translate(
            "SettingsDialog", "The language of PhotoSearch's window; it changes when PhotoSearch "
            "starts again"))
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.language_combo.currentIndexChanged.connect(self._update_language_note)
        form.addRow(translate("SettingsDialog", "Language:"), self.language_combo)
        form.addRow("", self.language_note)
        self._update_language_note()
        # Replaceable so tests can answer without a modal dialog.
        self.confirm: Callable[[str, str], bool] = self._confirm
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update_note(self.model_combo.currentText())

    def _build_runtime(self, current: str) -> None:
        """The runtime choice, the line saying what runs now, and a note for what it changes."""
        self.runtime_combo = QComboBox()
        self.runtime_combo.setObjectName("runtimeCombo")
        for value, label, hint in RUNTIMES:
            self.runtime_combo.addItem(translate("SettingsDialog", label), value)
            self.runtime_combo.setItemData(self.runtime_combo.count() - 1,
                                           translate("SettingsDialog", hint),
                                           Qt.ItemDataRole.ToolTipRole)
        self.runtime_combo.setToolTip(translate(
            "SettingsDialog", "What runs the model. Both give the same results within a cosine "
            "of 0.999, so switching needs no re-indexing."))
        if self._pytorch_unavailable:
            # The lean edition: PyTorch cannot be picked; a choice stored by a full edition
            # sharing this library stays selected (and unchanged) until the user picks another.
            torch_index = self.runtime_combo.findData("torch")
            item = self.runtime_combo.model().item(torch_index)  # type: ignore[attr-defined]
            item.setEnabled(False)
            item.setToolTip(self._pytorch_unavailable)
        index = self.runtime_combo.findData(current or "auto")
        if index < 0:
            self.runtime_combo.addItem(current, current)
            index = self.runtime_combo.count() - 1
        self.runtime_combo.setCurrentIndex(index)
        self.runtime_status = QLabel(translate("SettingsDialog", "Runs on: …"))
        self.runtime_status.setObjectName("runtimeStatus")
        self.runtime_status.setWordWrap(True)
        self.runtime_status.setToolTip(translate(
            "SettingsDialog", "For each part of the model converted to ONNX: its precision and "
            "the lowest cosine similarity of its output to the original (1 = identical)"))
        self.runtime_note = QLabel()
        self.runtime_note.setWordWrap(True)
        self.runtime_combo.currentIndexChanged.connect(self._update_runtime_note)
        self._update_runtime_note()

    def show_runtime(self, status: Any) -> None:
        """Show the runtime a ``LibraryStatus`` names, with its ONNX fidelity figures."""
        self.runtime_status.setText(translate("SettingsDialog", "Runs on: %1").replace(
            "%1", format_runtime(status.runtime, status.fidelity)))

    def _update_runtime_note(self) -> None:
        chosen = self.runtime_combo.currentData()
        notes = []
        if self._pytorch_unavailable:
            notes.append(self._pytorch_unavailable)
        in_use = self._runtime_in_use
        if in_use and in_use != (self._initial.runtime or "auto"):
            notes.append(translate(
                "SettingsDialog", "This session uses “%1” (given with PHOTOSEARCH_RUNTIME); this "
                "setting applies when PhotoSearch starts without it.").replace("%1", in_use))
        elif chosen != self._initial.runtime:
            notes.append(translate(
                "SettingsDialog", "The model loads again on the new runtime when you press OK."))
        self.runtime_note.setText(" ".join(notes))
        self.runtime_note.setVisible(bool(notes))

    def browse_model_folder(self) -> None:
        """Pick a model folder; the model field becomes ``local-dir:<folder>`` (checked when
        it loads)."""
        folder = self.ask_model_folder()
        if folder is not None:
            self.model_combo.setCurrentText(f"local-dir:{folder}")

    def _ask_model_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(
            self, translate(
                "SettingsDialog", "Choose the folder that holds the model"), str(Path.home())
        )
        return Path(chosen) if chosen else None

    def _update_note(self, spec: str) -> None:
        spec = spec.strip()
        if spec in KNOWN_MODELS:
            note = translate("SettingsDialog", "“%1” is %2.").replace("%1", spec).replace(
                "%2", describe_model(spec))
        else:
            note = (
                translate(
                    "SettingsDialog",
                    "Named models are downloaded once into the Hugging Face cache; a local folder "
                    "or .safetensors file is used as it is.",
                )
            )
        in_use = self._model_in_use
        if in_use and in_use != self._initial.model:
            note += translate(
                "SettingsDialog",
                " This session uses “%1” (given with --model or PHOTOSEARCH_MODEL); this setting "
                "applies when PhotoSearch starts without it.",
            ).replace("%1", in_use)
        elif spec != self._initial.model:
            note += translate(
                "SettingsDialog", " The new model loads when you press OK; your photos are then "
                "re-indexed.")
        self.model_note.setText(note)

    def values(self) -> dict[str, Any]:
        """All settings as entered."""
        patterns = [p.strip() for p in self.exclude_edit.toPlainText().splitlines() if p.strip()]
        return {
            "model": self.model_combo.currentText().strip() or self._initial.model,
            "device": self.device_combo.currentData(),
            "runtime": self.runtime_combo.currentData(),
            "rerank": (bool(self._initial.rerank) if self._rerank_unavailable
                       else self.rerank_check.isChecked()),
            "matcher": self.matcher_edit.text().strip(),
            "rerank_k": self.rerank_k_spin.value(),
            "rerank_prepare": self.rerank_prepare_spin.value(),
            "thumbnail_cache_mb": self.cache_spin.value(),
            "exclude": tuple(patterns),
            "disabled_analyses": self._disabled_analyses(),
            "hub_endpoint": self.hub_edit.text().strip(),
        }

    def _disabled_analyses(self) -> tuple[str, ...]:
        others = tuple(a for a in self._initial.disabled_analyses if a != "faces")
        return others if self.faces_check.isChecked() else (*others, "faces")

    def _delete_faces(self) -> None:
        if self.confirm(
            translate("SettingsDialog", "Delete face data"),
            translate("SettingsDialog", DELETE_FACES_TEXT) + "\n\n"
            + translate("SettingsDialog", "Delete it now?"),
        ):
            self.faces_check.setChecked(False)
            # The deletion switches faces off itself: that is the setting now.
            self._initial = replace(self._initial,
                                    disabled_analyses=self._disabled_analyses())
            self.delete_faces_requested.emit()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def language(self) -> str:
        """The language chosen for the window (``""``: the system's)."""
        return str(self.language_combo.currentData() or "")

    def language_changed(self) -> bool:
        """Whether the user picked another language than the one the dialog opened with."""
        return self.language() != self._initial_language

    def _update_language_note(self) -> None:
        note = ""
        if self.language_changed():
            note = translate(
                "SettingsDialog", "The new language applies when PhotoSearch starts again.")
        self.language_note.setText(note)
        self.language_note.setVisible(bool(note))

    def changes(self) -> dict[str, Any]:
        """Only the settings that differ from the ones the dialog opened with."""
        return {
            key: value
            for key, value in self.values().items()
            if getattr(self._initial, key) != value
        }
