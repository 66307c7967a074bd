"""A photo's words: its own captions, one the user writes, and the captions that describe it.

The box sits in the preview pane. For the selected library photo it shows the captions found in
the file (EXIF/XMP/IPTC, sidecars), the user's caption in an editable field (saved with Enter
or Save, searchable by its words at once) and the best captions from the whole corpus
(vocabulary, other photos' and users' captions) from ``Library.describe``. Answers for a photo
that is no longer shown are dropped.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge import EngineBridge
from app.engine_access import load_video_frame
from app.errors import user_text
from app.formatting import decimal
from app.i18n import caption_language, translate

if TYPE_CHECKING:
    from engine.api import CaptionHit, SearchHit

DESCRIBE_K = 5
VIDEO_FRAME_SIDE = 512  # as engine/analyses/video.py samples frames
DESCRIBE_DELAY_MS = 250  # arrowing through the grid must not queue a describe per photo
SOURCE_NAMES = {
    "photo": QT_TRANSLATE_NOOP("CaptionsBox", "from the file"),
    "user": QT_TRANSLATE_NOOP("CaptionsBox", "yours"),
    "vocabulary": QT_TRANSLATE_NOOP("CaptionsBox", "vocabulary"),
}


def caption_lines(hits: list[CaptionHit], *, with_scores: bool) -> str:
    """Rich text, one caption per line, with where it comes from (and how well it fits)."""
    lines = []
    for hit in hits:
        source = translate("CaptionsBox", SOURCE_NAMES[hit.source]) \
            if hit.source in SOURCE_NAMES else hit.source
        if hit.source == "photo" and with_scores:
            source = translate("CaptionsBox", "another photo's caption")
        # the similarity, not the matcher's probability: the order already holds the
        # matcher's verdict, and a matcher trained for photos of scenes says ~0% to most
        # single-object vocabulary lines, which reads as broken
        detail = f"{source}, {decimal(hit.score, 2)}" if with_scores else source
        lines.append(f"{html.escape(hit.text)} <span style='color:gray'>({detail})</span>")
    return "<br>".join(lines)


def _frame_png(path: Path, time_s: float) -> bytes:
    """A video's frame at ``time_s`` as PNG bytes, at the size the video pass embeds frames."""
    buffer = io.BytesIO()
    load_video_frame(path, time_s, VIDEO_FRAME_SIDE).save(buffer, "PNG")
    return buffer.getvalue()


class CaptionsBox(QWidget):
    """Captions of the selected photo, the user's caption editor, and what describes it."""

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.photo_id: int | None = None
        self._hit: SearchHit | None = None
        self._saved_text = ""
        self.ready = False  # the caption corpus is embedded for the current model
        self._describe_timer = QTimer(self)
        self._describe_timer.setSingleShot(True)
        self._describe_timer.setInterval(DESCRIBE_DELAY_MS)
        self._describe_timer.timeout.connect(self._describe)
        self.own_label = QLabel()
        self.own_label.setWordWrap(True)
        self.own_label.setTextFormat(Qt.TextFormat.RichText)
        self.own_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(translate(
            "CaptionsBox", "Write a caption (searchable by its words)…"))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._edited)
        self.edit.returnPressed.connect(self.save)
        self.save_button = QPushButton(translate("CaptionsBox", "Save"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.describe_title = QLabel(translate("CaptionsBox", "Described as"))
        self.describe_title.setObjectName("sectionTitle")
        self.describe_label = QLabel()
        self.describe_label.setWordWrap(True)
        self.describe_label.setTextFormat(Qt.TextFormat.RichText)
        self.describe_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title = QLabel(translate("CaptionsBox", "Captions"))
        title.setObjectName("sectionTitle")
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.edit, 1)
        edit_row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.own_label)
        layout.addLayout(edit_row)
        layout.addWidget(self.describe_title)
        layout.addWidget(self.describe_label)
        self.show_hit(None)

    # -- showing -----------------------------------------------------------------------------

    def show_hit(self, hit: SearchHit | None) -> None:
        """Load the captions of ``hit``'s photo (None: nothing selected)."""
        self.photo_id = None if hit is None else hit.photo_id
        self._hit = hit
        self._saved_text = ""
        self.edit.blockSignals(True)
        self.edit.clear()
        self.edit.blockSignals(False)
        self.save_button.setEnabled(False)
        self.edit.setEnabled(hit is not None)
        self.own_label.setText("")
        self.own_label.setVisible(False)
        self.describe_label.setText("…" if hit is not None else "")
        self._describe_timer.stop()
        if hit is None:
            return
        self._load_own(hit.photo_id)
        self._describe_timer.start()

    def _describe(self) -> None:
        hit, library = self._hit, self._bridge.library
        if hit is None:
            return
        if not self.ready:
            # describing now would wait for the corpus to be embedded and hold up searches
            self.describe_label.setText(translate(
                "CaptionsBox", "Shown once the model and the caption vocabulary are ready."))
            return
        path, photo_id = hit.path, hit.photo_id
        # A video is described at the moment the preview shows (its best one for the search),
        # not by its poster frame, which may show another scene.
        moment = hit.time_s if getattr(hit, "kind", "photo") == "video" else None
        rerank = None if library.matcher_ready else False  # never load the matcher in line
        language = caption_language()  # the photo is described in the UI's language
        self._bridge.call(
            lambda: library.describe(path if moment is None else _frame_png(path, moment),
                                     k=DESCRIBE_K, rerank=rerank, lang=language),
            lambda hits: self._described(photo_id, hits),
            lambda exc: self._describe_failed(photo_id, exc),
        )

    def _load_own(self, photo_id: int) -> None:
        library = self._bridge.library
        self._bridge.call(
            lambda: library.photo_captions(photo_id),
            lambda hits: self._own_loaded(photo_id, hits),
            lambda exc: self._own_failed(photo_id, exc),
        )

    def _own_loaded(self, photo_id: int, hits: list[CaptionHit]) -> None:
        if photo_id != self.photo_id:
            return
        user = next((h.text for h in hits if h.source == "user"), "")
        from_file = [h for h in hits if h.source != "user"]
        self._saved_text = user
        if not self.edit.isModified() or self.edit.text() == "":
            self.edit.blockSignals(True)
            self.edit.setText(user)
            self.edit.setModified(False)
            self.edit.blockSignals(False)
        self.save_button.setEnabled(False)
        self.own_label.setText(caption_lines(from_file, with_scores=False))
        self.own_label.setVisible(bool(from_file))

    def _own_failed(self, photo_id: int, exc: BaseException) -> None:
        if photo_id == self.photo_id:
            message = user_text(exc)
            self.own_label.setText(html.escape(
                translate("CaptionsBox", "Captions unavailable: %1").replace("%1", message)))
            self.own_label.setVisible(True)

    def _described(self, photo_id: int, hits: list[CaptionHit]) -> None:
        if photo_id == self.photo_id:
            # its own captions are listed above: show what else describes it
            others = [h for h in hits if h.photo_id != photo_id]
            self.describe_label.setText(caption_lines(others, with_scores=True) or "—")

    def _describe_failed(self, photo_id: int, exc: BaseException) -> None:
        if photo_id == self.photo_id:
            message = user_text(exc)
            self.describe_label.setText(html.escape(
                translate("CaptionsBox", "Cannot describe this photo: %1").replace("%1", message)))

    # -- editing -----------------------------------------------------------------------------

    def _edited(self, text: str) -> None:
        self.save_button.setEnabled(self.photo_id is not None
                                    and text.strip() != self._saved_text)

    def save(self) -> None:
        """Save the user's caption (an empty field removes it)."""
        if self.photo_id is None or self.edit.text().strip() == self._saved_text:
            return
        library, photo_id, text = self._bridge.library, self.photo_id, self.edit.text().strip()
        self.save_button.setEnabled(False)
        self._bridge.call(
            lambda: library.set_caption(photo_id, text or None),
            lambda _: self._saved(photo_id, text),
            lambda exc: self._save_failed(photo_id, exc),
        )

    def _saved(self, photo_id: int, text: str) -> None:
        if photo_id == self.photo_id:
            self._saved_text = text
            self.edit.setModified(False)
            self._edited(self.edit.text())

    def _save_failed(self, photo_id: int, exc: BaseException) -> None:
        if photo_id == self.photo_id:
            message = user_text(exc)
            self.own_label.setText(html.escape(
                translate("CaptionsBox", "The caption was not saved: %1").replace("%1", message)))
            self.own_label.setVisible(True)
            self.save_button.setEnabled(True)

    def set_ready(self, ready: bool) -> None:
        """Whether captions can describe photos now (the model is loaded and the corpus
        embedded); becoming ready describes the photo shown."""
        if ready != self.ready:
            self.ready = ready
            if ready:
                self.refresh()

    def refresh(self, *_: Any) -> None:
        """Reload the captions of the photo shown (after indexing read new ones from files, or
        once the model is ready to describe it)."""
        if self.photo_id is not None:
            self._load_own(self.photo_id)
            self._describe_timer.start()
