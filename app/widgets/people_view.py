"""The People view: one face thumbnail per person with their photo count; rename in place
(double-click), merge people (drag one onto another, or select several), hide one, and show a
person's photos.

Every engine call runs on the bridge's engine lane; the list refreshes after each change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge import EngineBridge
from app.engine_access import load_thumbnail
from app.i18n import translate
from app.qt_images import pil_to_qimage

FACE_SIDE = 96
PERSON_ID = Qt.ItemDataRole.UserRole


def person_faces(library: Any) -> list[tuple[Any, Any]]:
    """(person, face image or None) for each listed person (on the engine lane)."""
    out = []
    for person in library.people():
        face = None
        cover = library.person_cover(person.id)
        if cover is not None:
            photo_id, (left, top, right, bottom) = cover
            try:
                image = load_thumbnail(library.photo(photo_id).path, 768)
            except Exception:  # noqa: BLE001 - a photo gone offline: no thumbnail
                image = None
            if image is not None:
                w, h = image.size
                pad = 0.25 * (right - left)
                box = (max(0, round((left - pad) * w)), max(0, round((top - pad) * h)),
                       min(w, round((right + pad) * w)), min(h, round((bottom + pad) * h)))
                face = image.crop(box).resize((FACE_SIDE, FACE_SIDE))
        out.append((person, face))
    return out


PEOPLE_MIME = "application/x-photosearch-people"


class PeopleList(QListWidget):
    """The people as face icons. Dragging people onto another person asks to merge them into
    that person (``merge_requested(target id, dragged ids)``); nothing is moved or reordered
    by the drag itself."""

    merge_requested = Signal(int, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        # A drop merges; it never rearranges. (Static movement also switches dragging and the
        # viewport's drops off, so both are switched on again after it.)
        self.setMovement(QListView.Movement.Static)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PEOPLE_MIME]

    def mimeData(self, items: Any) -> QMimeData:  # noqa: N802
        data = QMimeData()
        ids = ",".join(str(int(item.data(PERSON_ID))) for item in items)
        data.setData(PEOPLE_MIME, QByteArray(ids.encode("ascii")))
        return data

    def dragged_ids(self, data: QMimeData) -> list[int]:
        """The people ids a drag carries ([] for anything else)."""
        if not data.hasFormat(PEOPLE_MIME):
            return []
        raw = bytes(data.data(PEOPLE_MIME).data()).decode("ascii")
        return [int(part) for part in raw.split(",") if part.strip().isdigit()]

    def _target(self, event: QDropEvent | QDragMoveEvent) -> QListWidgetItem | None:
        item = self.itemAt(event.position().toPoint())
        if item is None or int(item.data(PERSON_ID)) in self.dragged_ids(event.mimeData()):
            return None
        return item

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.dragged_ids(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._target(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        target, dragged = self._target(event), self.dragged_ids(event.mimeData())
        if target is None or not dragged:
            event.ignore()
            return
        # Accepted as a copy: a MoveAction would make Qt delete the dragged items itself.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.merge_requested.emit(int(target.data(PERSON_ID)), dragged)


class PeopleView(QDialog):
    """The people of a library; ``show_photos(name_or_id)`` asks the window to list them."""

    show_photos = Signal(str)
    changed = Signal()  # after each change (and after each load)

    def __init__(self, bridge: EngineBridge, library: Any, parent: QWidget | None = None,
                 report: Callable[[BaseException], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("PeopleView", "People"))
        self.setObjectName("peopleView")
        self.resize(720, 520)
        self.bridge = bridge
        self.library = library
        self.report = report
        self.list = PeopleList()
        self.list.merge_requested.connect(self.merge_into)
        self.list.setIconSize(QSize(FACE_SIDE, FACE_SIDE))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked
                                  | QListWidget.EditTrigger.EditKeyPressed)
        self.list.setGridSize(QSize(FACE_SIDE + 48, FACE_SIDE + 48))
        self.list.itemChanged.connect(self._renamed)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self._show())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.merge_button = QPushButton(translate("PeopleView", "Merge selected"))
        self.merge_button.setToolTip(translate(
            "PeopleView", "The selected people are one person: keep the first"))
        self.merge_button.clicked.connect(self.merge_selected)
        self.hide_button = QPushButton(translate("PeopleView", "Hide"))
        self.hide_button.clicked.connect(self.hide_selected)
        self.show_button = QPushButton(translate("PeopleView", "Show photos"))
        self.show_button.clicked.connect(self._show)
        buttons = QHBoxLayout()
        for button in (self.merge_button, self.hide_button, self.show_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._loading = False
        self._update_buttons()
        self.refresh()

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the people again (on the engine lane)."""
        lib = self.library
        self.bridge.call(lambda: person_faces(lib), self._loaded, self._failed)

    def _loaded(self, people: list[tuple[Any, Any]]) -> None:
        self._loading = True
        self.list.clear()
        for person, face in people:
            item = QListWidgetItem(person.name or "")
            item.setData(PERSON_ID, person.id)
            item.setToolTip(translate(
                "PeopleView", "%1: %Ln photo(s) (double-click to rename)", "", person.photo_count
            ).replace("%1", person.name or translate("PeopleView", "Unnamed")))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if face is not None:
                item.setIcon(QIcon(QPixmap.fromImage(QImage(pil_to_qimage(face)))))
            self.list.addItem(item)
        self._loading = False
        self.note.setText(
            translate("PeopleView", "%Ln people. Double-click a name to change it; drag a person "
                      "onto another (or select two or more and Merge) when they are one person.",
                      "", len(people)) if people else
            translate("PeopleView",
                      "No people yet: faces are found after indexing (Settings: People)."))
        self._update_buttons()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        if self.report is not None:
            self.report(exc)

    # -- actions ------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        """The selected people's ids, in list order."""
        return [int(self.list.item(i).data(PERSON_ID)) for i in range(self.list.count())
                if self.list.item(i).isSelected()]

    def _renamed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        lib, person_id, name = self.library, int(item.data(PERSON_ID)), item.text().strip()
        self.bridge.call(lambda: lib.name_person(person_id, name or None),
                         lambda _: self.refresh(), self._failed)

    def merge_selected(self) -> None:
        """Merge every selected person into the first selected."""
        ids = self.selected_ids()
        if len(ids) < 2:
            return
        lib = self.library

        def merge() -> None:
            for gone in ids[1:]:
                lib.merge_people(ids[0], gone)

        self.bridge.call(merge, lambda _: self.refresh(), self._failed)

    def merge_into(self, keep_id: int, gone_ids: list[int]) -> None:
        """Merge the dragged people into the one they were dropped on. When two different
        names would meet, ask first: a merge cannot be undone in one step."""
        names = {int(self.list.item(i).data(PERSON_ID)): self.list.item(i).text().strip()
                 for i in range(self.list.count())}
        keep_name = names.get(keep_id, "")
        other = sorted({names.get(g, "") for g in gone_ids} - {"", keep_name})
        if keep_name and other and not self.confirm_merge(keep_name, other):
            return
        lib = self.library

        def merge() -> None:
            for gone in gone_ids:
                lib.merge_people(keep_id, gone)

        self.bridge.call(merge, lambda _: self.refresh(), self._failed)

    def confirm_merge(self, keep_name: str, other_names: list[str]) -> bool:
        """Ask before people with other names become ``keep_name``."""
        answer = QMessageBox.question(
            self, translate("PeopleView", "Merge people"),
            translate("PeopleView", "%1 and %2 will be one person, named %2. A face can be "
                      "moved out again from the preview (right-click it: Not %2).").replace(
                "%1", ", ".join(other_names)).replace("%2", keep_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def hide_selected(self) -> None:
        """Hide the selected people (they stay grouped, unlisted)."""
        ids, lib = self.selected_ids(), self.library

        def hide() -> None:
            for person_id in ids:
                lib.hide_person(person_id)

        self.bridge.call(hide, lambda _: self.refresh(), self._failed)

    def _show(self) -> None:
        items = [self.list.item(i) for i in range(self.list.count())
                 if self.list.item(i).isSelected()]
        if len(items) == 1 and items[0].text().strip():
            self.show_photos.emit(items[0].text().strip())

    def _update_buttons(self) -> None:
        count = len(self.list.selectedItems())
        self.merge_button.setEnabled(count >= 2)
        self.hide_button.setEnabled(count >= 1)
        # A person's photos are found by their name: name a person to list them.
        self.show_button.setEnabled(count == 1 and bool(self.list.selectedItems()[0].text()))
