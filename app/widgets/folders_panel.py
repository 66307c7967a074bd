"""The library's folders: add, remove, pause watching, and how far each is indexed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.formatting import photos
from app.i18n import translate

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
PAUSED_ROLE = Qt.ItemDataRole.UserRole + 2


def folder_summary(info: Any) -> str:
    """``"12 photos · 11 indexed · 1 failed · paused"`` for a ``FolderInfo``."""
    parts = [photos(info.photos), translate("FoldersPanel", "%Ln indexed", "", info.indexed)]
    if info.failed:
        parts.append(translate("FoldersPanel", "%Ln failed", "", info.failed))
    if info.paused:
        parts.append(translate("FoldersPanel", "paused"))
    if not info.online:
        parts.append(translate("FoldersPanel", "offline"))
    return " · ".join(parts)


class FoldersPanel(QWidget):
    """A list of folders with buttons; emits requests, holds no logic."""

    add_requested = Signal()
    remove_requested = Signal(object)  # Path
    pause_requested = Signal(object, bool)  # Path, paused

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(translate("FoldersPanel", "Folders"))
        title.setObjectName("sectionTitle")
        self.list = QListWidget()
        self.list.setObjectName("folderList")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.add_button = self._button("folder-plus", translate("FoldersPanel", "Add a folder…"))
        self.remove_button = self._button("folder-minus", translate(
            "FoldersPanel", "Remove the selected folder"))
        self.pause_button = self._button("pause", translate(
            "FoldersPanel", "Pause watching the selected folder"))
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._remove)
        self.pause_button.clicked.connect(self._toggle_pause)
        self.add_button.setText(translate("FoldersPanel", "Add…"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    @staticmethod
    def _button(icon_name: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setIcon(theme.icon(icon_name))
        button.setProperty("iconName", icon_name)
        button.setToolTip(tip)
        return button

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        for button in (self.add_button, self.remove_button, self.pause_button):
            button.setIcon(theme.icon(button.property("iconName")))
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setIcon(theme.icon("pause" if item.data(PAUSED_ROLE) else "folder-open"))

    def set_folders(self, folders: list[Any]) -> None:
        """Show ``FolderInfo`` values, keeping the selected folder selected."""
        current = self.selected_path()
        self.list.clear()
        for info in folders:
            item = QListWidgetItem(f"{info.path.name or info.path}\n{folder_summary(info)}")
            item.setToolTip(str(info.path))
            item.setData(PATH_ROLE, str(info.path))
            item.setData(PAUSED_ROLE, info.paused)
            item.setIcon(theme.icon("pause" if info.paused else "folder-open"))
            self.list.addItem(item)
            if current is not None and info.path == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def selected_path(self) -> Path | None:
        """The selected folder."""
        item = self.list.currentItem()
        return Path(item.data(PATH_ROLE)) if item is not None else None

    def select(self, path: Path) -> None:
        """Select the folder ``path``."""
        for row in range(self.list.count()):
            if Path(self.list.item(row).data(PATH_ROLE)) == path:
                self.list.setCurrentRow(row)

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.remove_button.setEnabled(item is not None)
        self.pause_button.setEnabled(item is not None)
        paused = bool(item.data(PAUSED_ROLE)) if item is not None else False
        name = "play" if paused else "pause"
        self.pause_button.setProperty("iconName", name)
        self.pause_button.setIcon(theme.icon(name))
        self.pause_button.setToolTip(
            translate("FoldersPanel", "Resume watching the selected folder")
            if paused
            else translate("FoldersPanel", "Pause watching the selected folder")
        )

    def _remove(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.remove_requested.emit(path)

    def _toggle_pause(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.pause_requested.emit(Path(item.data(PATH_ROLE)), not bool(item.data(PAUSED_ROLE)))
