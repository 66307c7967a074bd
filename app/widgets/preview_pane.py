"""The preview of the selected photo: a larger image, its facts and captions, and what can be
done with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGridLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.bridge import EngineBridge
from app.engine_access import load_preview, load_video_frame
from app.errors import user_text
from app.formatting import decimal, format_bytes, format_clock, format_taken_at, number
from app.i18n import translate
from app.models.results_model import file_mime_data
from app.qt_images import pil_to_qimage
from app.widgets.captions_box import CaptionsBox

if TYPE_CHECKING:
    from engine.api import SearchHit

PREVIEW_SIDE = 1600


class PreviewImage(QLabel):
    """The photo, scaled to fit; it can be dragged out to other apps as a file. Faces are
    outlined on hover with their person's name; right-clicking a person's face offers "Not
    <name>" (``not_this_person(face index)``)."""

    not_this_person = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 120)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.image = QImage()
        self.path: Path | None = None
        self._press: QPoint | None = None
        # Faces found in the photo: (box in 0..1, the person's name or ""), outlined on hover.
        self.faces: list[tuple[tuple[float, float, float, float], str]] = []
        self.face_indexes: list[int | None] = []  # each face's index in the photo, if grouped
        self.hovering = False
        self.setMouseTracking(True)

    def set_faces(self, faces: list[tuple[tuple[float, float, float, float], str]],
                  indexes: list[int | None] | None = None) -> None:
        """The faces to outline while the pointer is over the photo; ``indexes`` gives each
        face's index in the photo where it belongs to a person (None: not grouped)."""
        self.faces = faces
        self.face_indexes = list(indexes) if indexes is not None else [None] * len(faces)
        self.update()

    def face_menu(self, point: QPointF) -> QMenu | None:
        """The menu for a right-click at ``point``: "Not <name>" over a person's face."""
        for (rect, name), index in zip(self.face_rects(), self.face_indexes, strict=True):
            if index is None or not rect.contains(point):
                continue
            menu = QMenu(self)
            if name:
                action = menu.addAction(translate("PreviewImage", "Not %1").replace("%1", name))
                action.setToolTip(translate(
                    "PreviewImage", "Move this face out of %1; it will never be put back"
                ).replace("%1", name))
            else:
                action = menu.addAction(translate("PreviewImage", "Not this person"))
                action.setToolTip(translate(
                    "PreviewImage", "Move this face out of its person; it will never be put "
                    "back"))
            action.triggered.connect(lambda _=False, i=index: self.not_this_person.emit(i))
            return menu
        return None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = self.face_menu(QPointF(event.pos()))
        if menu is None:
            super().contextMenuEvent(event)
            return
        menu.exec(event.globalPos())

    def face_rects(self) -> list[tuple[QRectF, str]]:
        """Each face's rectangle in widget coordinates (over the shown pixmap), with its name."""
        pixmap = self.pixmap()
        if pixmap.isNull():
            return []
        dpr = pixmap.devicePixelRatio() or 1.0
        width, height = pixmap.width() / dpr, pixmap.height() / dpr
        x0, y0 = (self.width() - width) / 2, (self.height() - height) / 2
        return [(QRectF(x0 + left * width, y0 + top * height, (right - left) * width,
                        (bottom - top) * height), name)
                for (left, top, right, bottom), name in self.faces]

    def enterEvent(self, event: Any) -> None:  # noqa: N802
        self.hovering = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:  # noqa: N802
        self.hovering = False
        self.update()
        super().leaveEvent(event)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self.hovering or not self.faces:
            return
        painter = QPainter(self)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 2))
        for rect, _name in self.face_rects():
            painter.drawRect(rect)
        painter.end()

    def face_at(self, point: QPointF) -> str | None:
        """The name shown for the face under ``point`` ("" for an unnamed one), or None."""
        for rect, name in self.face_rects():
            if rect.contains(point):
                return name or translate("PreviewPane", "Unnamed person (name them in People)")
        return None

    def set_image(self, image: QImage, path: Path | None) -> None:
        """Show ``image`` (a null image clears it)."""
        self.image = image
        self.path = path
        self.updateGeometry()  # the height follows the photo's aspect ratio
        self._rescale()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        if self.image.isNull():
            return int(width * 0.75)
        aspect = self.image.height() / max(1, self.image.width())
        return int(width * min(aspect, 1.25))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, self.heightForWidth(300))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self.image.isNull():
            self.setPixmap(QPixmap())
            return
        dpr = self.devicePixelRatioF()
        target = QSize(int(self.width() * dpr), int(self.height() * dpr))
        pixmap = QPixmap.fromImage(
            self.image.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        pixmap.setDevicePixelRatio(dpr)
        self.setPixmap(pixmap)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        name = self.face_at(event.position())
        self.setToolTip(name or "")
        if name:
            QToolTip.showText(event.globalPosition().toPoint(), name, self)
        if (
            self._press is not None
            and self.path is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press = None
            drag = QDrag(self)
            drag.setMimeData(file_mime_data([self.path]))
            if not self.pixmap().isNull():
                drag.setPixmap(
                    self.pixmap().scaledToWidth(96, Qt.TransformationMode.SmoothTransformation)
                )
            drag.exec(Qt.DropAction.CopyAction)
            return
        super().mouseMoveEvent(event)


# The facts about a photo (keys as the code names them) and the actions on it, as shown.
_FIELDS = {
    "Path": QT_TRANSLATE_NOOP("PreviewPane", "Path:"),
    "Taken": QT_TRANSLATE_NOOP("PreviewPane", "Taken:"),
    "Camera": QT_TRANSLATE_NOOP("PreviewPane", "Camera:"),
    "Size": QT_TRANSLATE_NOOP("PreviewPane", "Size:"),
    "Dimensions": QT_TRANSLATE_NOOP("PreviewPane", "Dimensions:"),
    "Score": QT_TRANSLATE_NOOP("PreviewPane", "Score:"),
}
_BUTTONS = {
    "Open": QT_TRANSLATE_NOOP("PreviewPane", "Open"),
    "Reveal": QT_TRANSLATE_NOOP("PreviewPane", "Reveal"),
    "Copy path": QT_TRANSLATE_NOOP("PreviewPane", "Copy path"),
    "Copy image": QT_TRANSLATE_NOOP("PreviewPane", "Copy image"),
    "Find similar": QT_TRANSLATE_NOOP("PreviewPane", "Find similar"),
}


class PreviewPane(QWidget):
    """Shows one ``SearchHit``: loads the preview image and the catalog's details in the
    background (answers for a photo no longer shown are dropped)."""

    open_requested = Signal(object)
    reveal_requested = Signal(object)
    copy_path_requested = Signal(list)
    copy_image_requested = Signal(object)
    find_similar_requested = Signal(object)
    faces_changed = Signal()  # a face was moved out of its person here
    play_requested = Signal(object, float)  # a video file, from this second

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self._bridge = bridge
        self.hit: SearchHit | None = None
        self.image = PreviewImage()
        self.image.setToolTip(translate("PreviewPane", "Drag the photo out to another app"))
        self.image.not_this_person.connect(self._not_this_person)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, caption in _FIELDS.items():
            label = QLabel("—")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = label
            form.addRow(translate("PreviewPane", caption), label)

        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        specs = [
            ("Open", "external", self.open_requested),
            ("Reveal", "folder-open", self.reveal_requested),
            ("Copy path", "copy", None),
            ("Copy image", "image", self.copy_image_requested),
            ("Find similar", "similar", self.find_similar_requested),
        ]
        for i, (text, icon_name, signal) in enumerate(specs):
            button = QPushButton(theme.icon(icon_name), translate("PreviewPane", _BUTTONS[text]))
            button.setProperty("iconName", icon_name)
            if signal is None:
                button.clicked.connect(
                    lambda: self.hit and self.copy_path_requested.emit([self.hit])
                )
            else:
                button.clicked.connect(lambda _=False, s=signal: self.hit and s.emit(self.hit))
            grid.addWidget(button, i // 2, i % 2)
            self.buttons[text] = button
        self.buttons["Reveal"].setToolTip(translate("PreviewPane", "Reveal in file manager"))
        # A video plays from its best moment; a Live Photo or motion photo plays its motion.
        self.play = QPushButton(theme.icon("external"), translate("PreviewPane", "Play"))
        self.play.setProperty("iconName", "external")
        self.play.setVisible(False)
        self.play.clicked.connect(self._play)
        self._playable: tuple[Path, float] | None = None
        grid.addWidget(self.play, (len(specs) + 1) // 2, 0, 1, 2)

        self.facts = QWidget()  # everything below the image; hidden while nothing is selected
        facts_layout = QVBoxLayout(self.facts)
        facts_layout.setContentsMargins(0, 0, 0, 0)
        facts_layout.addWidget(self.title)
        facts_layout.addLayout(form)
        facts_layout.addLayout(grid)
        self.captions = CaptionsBox(bridge)
        facts_layout.addWidget(self.captions)
        self.text_title = QLabel(translate("PreviewPane", "Text in the photo"))
        self.text_title.setObjectName("sectionTitle")
        self.photo_text = QPlainTextEdit()  # read-only: select and copy (Ctrl+C, context menu)
        self.photo_text.setReadOnly(True)
        self.photo_text.setMaximumHeight(120)
        self.photo_text.setToolTip(translate(
            "PreviewPane", "What the photo says, read by text recognition"))
        facts_layout.addWidget(self.text_title)
        facts_layout.addWidget(self.photo_text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.image)
        layout.addWidget(self.facts)
        layout.addStretch(1)
        self.show_hit(None)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        for button in self.buttons.values():
            button.setIcon(theme.icon(button.property("iconName")))

    def show_hit(self, hit: SearchHit | None) -> None:
        """Preview ``hit`` (None: nothing selected)."""
        self.hit = hit
        for button in self.buttons.values():
            button.setEnabled(hit is not None)
        self._set_playable(None, "")
        self.facts.setVisible(hit is not None)
        self.captions.show_hit(hit)
        self._show_text(None)
        if hit is None:
            self.title.setText("")
            self.image.set_image(QImage(), None)
            self.image.setText(translate("PreviewPane", "Select a photo to preview it"))
            for label in self.fields.values():
                label.setText("—")
            return
        self.title.setText(hit.path.name)
        self.image.set_faces([])
        self.image.set_image(QImage(), hit.path)
        self.image.setText(translate("PreviewPane", "Loading…"))
        self._show_facts(
            path=hit.path,
            taken=hit.taken_at,
            camera=hit.camera,
            size=hit.size_bytes,
            width=hit.width,
            height=hit.height,
        )
        score = decimal(hit.score, 3)
        if hit.match_probability is not None:
            score += " · " + translate(
                "PreviewPane", "matcher %1% sure it fits the query").replace(
                "%1", number(round(100 * hit.match_probability)))
        self.fields["Score"].setText(score)
        path, photo_id, library = hit.path, hit.photo_id, self._bridge.library
        moment = getattr(hit, "time_s", None) if getattr(hit, "kind", "photo") == "video" else None
        if moment is not None:
            self._set_playable((path, moment), translate("PreviewPane", "Play from %1").replace(
                "%1", format_clock(moment)))
        elif hasattr(library, "motion_of"):
            self._bridge.call(
                lambda: library.motion_of(photo_id),
                lambda motion: self._current(photo_id) and motion is not None
                and self._set_playable((motion, 0.0),
                                       translate("PreviewPane", "Play motion")),
                lambda exc: None,  # no motion: nothing to play
            )
        self._bridge.call(
            lambda: pil_to_qimage(load_video_frame(path, moment, PREVIEW_SIDE)
                                  if moment is not None else load_preview(path, PREVIEW_SIDE)),
            lambda image: self._image_loaded(photo_id, image),
            lambda exc: self._image_failed(photo_id, exc),
            lane="images",
        )
        self._load_faces(photo_id)
        self._bridge.call(
            lambda: library.photo(photo_id),
            lambda details: self._details_loaded(photo_id, details),
            lambda exc: None,  # the hit's own facts are already shown
        )
        if hasattr(library, "photo_text"):
            self._bridge.call(
                lambda: library.photo_text(path, read_now=False),
                lambda found: self._current(photo_id) and self._show_text(found),
                lambda exc: None,  # no text shown: the rest of the preview stands
            )

    def _set_playable(self, playable: tuple[Path, float] | None, label: str) -> None:
        self._playable = playable
        self.play.setText(label)
        self.play.setToolTip(translate(
            "PreviewPane", "Opens a video player at this moment (mpv, VLC, IINA...; else the "
            "system's player from the start)") if playable else "")
        self.play.setVisible(playable is not None)

    def _play(self) -> None:
        if self._playable is not None:
            self.play_requested.emit(*self._playable)

    def _show_text(self, found: Any) -> None:
        """Show a ``PhotoText`` (None or no lines: the section hides)."""
        text = found.text if found is not None else ""
        self.photo_text.setPlainText(text)
        self.text_title.setVisible(bool(text))
        self.photo_text.setVisible(bool(text))

    def _current(self, photo_id: int) -> bool:
        return self.hit is not None and self.hit.photo_id == photo_id

    def _image_loaded(self, photo_id: int, image: QImage) -> None:
        if self._current(photo_id):
            self.image.setText("")
            self.image.set_image(image, self.hit.path if self.hit else None)

    def _load_faces(self, photo_id: int) -> None:
        library = self._bridge.library
        self._bridge.call(
            lambda: [(f.box, f.person_name or "", f.index if f.person_id is not None else None)
                     for f in library.faces(photo_id)],
            lambda faces: self._faces_loaded(photo_id, faces),
            lambda exc: None,  # faces not found (yet, or switched off): nothing to outline
        )

    def _faces_loaded(self, photo_id: int, faces: list[Any]) -> None:
        if self._current(photo_id):
            self.image.set_faces([(box, name) for box, name, _ in faces],
                                 [index for _, _, index in faces])

    def _not_this_person(self, face_index: int) -> None:
        """Move a face out of its person (the user's correction, kept for good)."""
        if self.hit is None:
            return
        photo_id, library = self.hit.photo_id, self._bridge.library
        self._bridge.call(lambda: library.remove_face(photo_id, face_index),
                          lambda _: self._after_face_moved(photo_id))  # errors: the reporter

    def _after_face_moved(self, photo_id: int) -> None:
        self._load_faces(photo_id)
        self.faces_changed.emit()

    def _image_failed(self, photo_id: int, exc: BaseException) -> None:
        if self._current(photo_id):
            message = user_text(exc)
            self.image.setText(
                translate("PreviewPane", "Cannot show this photo:") + "\n" + message)

    def _details_loaded(self, photo_id: int, details: Any) -> None:
        if not self._current(photo_id):
            return
        camera = " ".join(p for p in (details.camera_make, details.camera_model) if p) or None
        self._show_facts(
            path=details.path,
            taken=details.taken_at,
            camera=camera,
            size=details.size_bytes,
            width=details.width,
            height=details.height,
        )

    def _show_facts(
        self,
        *,
        path: Path,
        taken: str | None,
        camera: str | None,
        size: int | None,
        width: int | None,
        height: int | None,
    ) -> None:
        self.fields["Path"].setText(str(path))
        self.fields["Taken"].setText(format_taken_at(taken))
        self.fields["Camera"].setText(camera or translate("PreviewPane", "Unknown"))
        self.fields["Size"].setText(format_bytes(size))
        self.fields["Dimensions"].setText(
            f"{width} × {height}" if width and height else translate("PreviewPane", "Unknown"))
