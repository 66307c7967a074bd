"""Review duplicates: groups of copies side by side, keep one or more, trash the rest.

Each group shows its photos with size, resolution, date and folder (the one holding the copy,
from the library folder's name on; the full path in the tooltip); the copy the engine
suggests keeping is pre-selected, with the reason. "Move to trash" sends every photo that is
not kept (in any group) to the system trash, never deleting; the window asks first.
:class:`DuplicateSelection` holds the choices (tests drive it without the widgets).
"""

from __future__ import annotations

import contextlib
import html
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.engine_access import load_thumbnail
from app.formatting import format_bytes, format_taken_at
from app.i18n import translate
from app.qt_images import pil_to_qimage

THUMB = 160
INFO_WIDTH = THUMB + 40  # a card's text column
KIND_TITLES = {
    "exact": QT_TRANSLATE_NOOP("DuplicatesDialog", "Identical files"),
    "near": QT_TRANSLATE_NOOP("DuplicatesDialog", "Near-duplicates"),
    "similar": QT_TRANSLATE_NOOP("DuplicatesDialog", "Similar shots"),
}
# The engine's reasons for the suggested keeper (engine/search/duplicates.py), in the UI's words.
_KEEPER_REASONS = {
    "the only copy": QT_TRANSLATE_NOOP("DuplicatesDialog", "the only copy"),
    "same resolution and format; the one with camera metadata": QT_TRANSLATE_NOOP(
        "DuplicatesDialog", "same resolution and format; the one with camera metadata"),
    "same resolution, format and metadata; the larger file (less re-compressed)":
        QT_TRANSLATE_NOOP("DuplicatesDialog",
                          "same resolution, format and metadata; the larger file (less "
                          "re-compressed)"),
    "otherwise alike; the oldest file": QT_TRANSLATE_NOOP(
        "DuplicatesDialog", "otherwise alike; the oldest file"),
    "the copies are alike; the first one": QT_TRANSLATE_NOOP(
        "DuplicatesDialog", "the copies are alike; the first one"),
}
_RESOLUTION = re.compile(r"largest resolution \((\d+)\u00d7(\d+)\)")
_FORMAT = re.compile(r"same resolution; the original format \((\w+)\) over a re-saved (\w+)")


def keeper_reason_text(reason: str) -> str:
    """Why a copy is the suggested keeper, in the UI language (the engine says it in English;
    a reason this table does not know is shown as the engine words it)."""
    if reason in _KEEPER_REASONS:
        return translate("DuplicatesDialog", _KEEPER_REASONS[reason])
    if match := _RESOLUTION.fullmatch(reason):
        return translate("DuplicatesDialog", "largest resolution (%1)").replace(
            "%1", f"{match[1]}\u00d7{match[2]}")
    if match := _FORMAT.fullmatch(reason):
        return translate(
            "DuplicatesDialog", "same resolution; the original format (%1) over a re-saved %2"
        ).replace("%1", match[1]).replace("%2", match[2])
    return reason


def folder_text(path: Path, folder: Path | None) -> str:
    """Where a copy lies, short enough for its card: the folder holding it from the library
    folder's name on (``Pictures/WhatsApp Images``: copies of one library told apart), or the
    whole folder path outside the library."""
    if folder is not None and path.parent.is_relative_to(folder):
        return str(Path(folder.name) / path.parent.relative_to(folder))
    return str(path.parent)


class DuplicateSelection:
    """Which photos of each group the user keeps (the suggested keeper at first)."""

    def __init__(self, groups: list[Any]) -> None:
        self.groups = list(groups)
        self.kept: list[set[int]] = [{0} for _ in self.groups]

    def set_kept(self, group: int, photo: int, keep: bool) -> None:
        """Keep (or stop keeping) photo ``photo`` of group ``group``."""
        (self.kept[group].add if keep else self.kept[group].discard)(photo)

    def without_keeper(self) -> list[int]:
        """Groups where nothing would be kept (the trash button waits until each keeps one)."""
        return [g for g, kept in enumerate(self.kept) if not kept]

    def to_trash(self) -> list[Path]:
        """Photos not kept, in order; a photo kept in any group is never trashed."""
        kept = {self.groups[g].photos[i].path for g, ks in enumerate(self.kept) for i in ks}
        out: list[Path] = []
        for group in self.groups:
            for photo in group.photos:
                if photo.path not in kept and photo.path not in out:
                    out.append(photo.path)
        return out


class DuplicatesDialog(QDialog):
    """The review view; the window answers its requests through the engine."""

    refresh_requested = Signal(bool)  # with similar shots
    trash_requested = Signal(list)  # paths to move to the trash

    def __init__(self, bridge: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("DuplicatesDialog", "Duplicates"))
        self.setObjectName("duplicatesDialog")
        self.resize(980, 680)
        self.bridge = bridge
        self.selection = DuplicateSelection([])
        self.checkboxes: list[list[QCheckBox]] = []
        self.thumbnails: dict[Path, QLabel] = {}
        self.summary = QLabel(translate("DuplicatesDialog", "Looking for duplicates…"))
        self.summary.setWordWrap(True)
        self.similar_box = QCheckBox(translate(
            "DuplicatesDialog", "Include similar shots (bursts)"))
        self.similar_box.toggled.connect(self.refresh)
        self.trash_button = QPushButton(translate("DuplicatesDialog", "Move to trash"))
        self.trash_button.setEnabled(False)
        self.trash_button.clicked.connect(self._trash_clicked)
        close = QPushButton(translate("DuplicatesDialog", "Close"))
        close.clicked.connect(self.reject)
        self.groups_box = QWidget()
        self.groups_layout = QVBoxLayout(self.groups_box)
        self.groups_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.groups_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.similar_box)
        buttons.addStretch(1)
        buttons.addWidget(self.trash_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    @property
    def similar(self) -> bool:
        """Whether similar shots are shown too."""
        return self.similar_box.isChecked()

    def refresh(self) -> None:
        """Ask for the groups again (after a change)."""
        self.summary.setText(translate("DuplicatesDialog", "Looking for duplicates…"))
        self.refresh_requested.emit(self.similar)

    def set_groups(self, groups: list[Any]) -> None:
        """Show ``groups`` (``DuplicateGroup`` values, keeper first)."""
        while self.groups_layout.count() > 1:
            item = self.groups_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.selection = DuplicateSelection(groups)
        self.checkboxes = []
        self.thumbnails = {}
        for number, group in enumerate(groups):
            self.groups_layout.insertWidget(number, self._group_widget(number, group))
        self._update()

    def _group_widget(self, number: int, group: Any) -> QWidget:
        title = translate("DuplicatesDialog", KIND_TITLES[group.kind]) \
            if group.kind in KIND_TITLES else group.kind
        box = QGroupBox(translate("DuplicatesDialog", "%1: keep %2 (%3)").replace(
            "%1", title).replace("%2", group.keeper.path.name).replace(
            "%3", keeper_reason_text(group.keeper_reason)))
        row = QHBoxLayout(box)
        boxes = []
        for index, photo in enumerate(group.photos):
            card = QFrame()
            card.setFrameShape(QFrame.Shape.StyledPanel)
            column = QVBoxLayout(card)
            thumb = QLabel("…")
            thumb.setFixedSize(THUMB, THUMB)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.thumbnails[photo.path] = thumb
            self._load_thumbnail(photo.path, thumb)
            size = f"{photo.width}\u00d7{photo.height}" if photo.width and photo.height else "?"
            # One width for every card's text (long names and folders shortened in the
            # middle, whole in the tooltip), so the cards line up and none pushes the row wide.
            metrics = QFontMetrics(card.font())
            lines = [metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, INFO_WIDTH)
                     for text in (photo.path.name, folder_text(photo.path, photo.folder))]
            info = QLabel(f"<b>{html.escape(lines[0])}</b><br>{size}, "
                          f"{format_bytes(photo.size_bytes)}"
                          f"<br>{format_taken_at(photo.taken_at)}<br>{html.escape(lines[1])}")
            info.setToolTip(str(photo.path))
            info.setFixedWidth(INFO_WIDTH)
            info.setWordWrap(True)
            info.setTextFormat(Qt.TextFormat.RichText)
            keep = QCheckBox(translate("DuplicatesDialog", "Keep"))
            keep.setChecked(index == 0)
            keep.toggled.connect(
                lambda checked, g=number, i=index: self._keep_toggled(g, i, checked))
            for widget in (thumb, info, keep):
                column.addWidget(widget)
            boxes.append(keep)
            row.addWidget(card)
        row.addStretch(1)
        self.checkboxes.append(boxes)
        return box

    def _load_thumbnail(self, path: Path, label: QLabel) -> None:
        if self.bridge is None:
            return

        def show(image: Any) -> None:
            # the dialog may have been refreshed or closed meanwhile
            with contextlib.suppress(RuntimeError):
                label.setPixmap(QPixmap.fromImage(pil_to_qimage(image)))

        def failed(_exc: BaseException) -> None:
            with contextlib.suppress(RuntimeError):
                label.setText(translate("DuplicatesDialog", "no preview"))

        self.bridge.call(lambda: load_thumbnail(path, THUMB), show, failed, lane="images")

    def _keep_toggled(self, group: int, photo: int, checked: bool) -> None:
        self.selection.set_kept(group, photo, checked)
        self._update()

    def _update(self) -> None:
        groups = self.selection.groups
        trash = self.selection.to_trash()
        missing = self.selection.without_keeper()
        if not groups:
            self.summary.setText(translate(
                "DuplicatesDialog", "No duplicates found. Photos join once indexing has finished "
                "its background passes."))
        elif missing:
            self.summary.setText(translate(
                "DuplicatesDialog", "%Ln group(s) would keep nothing: tick at least one photo to "
                "keep in each group.", "", len(missing)))
        else:
            self.summary.setText(
                translate("DuplicatesDialog", "%Ln group(s).", "", len(groups)) + " "
                + translate("DuplicatesDialog", "%Ln photo(s) (%1) will go to the trash; you can "
                            "restore them from there.", "", len(trash)).replace(
                                "%1", format_bytes(self._bytes(trash))))
        self.trash_button.setText(
            translate("DuplicatesDialog", "Move %Ln photo(s) to trash", "", len(trash)))
        self.trash_button.setEnabled(bool(trash) and not missing)

    def _bytes(self, paths: list[Path]) -> int:
        sizes = {p.path: p.size_bytes for g in self.selection.groups for p in g.photos}
        return sum(sizes.get(p, 0) for p in paths)

    def _trash_clicked(self) -> None:
        paths = self.selection.to_trash()
        if paths and not self.selection.without_keeper():
            self.trash_requested.emit(paths)
