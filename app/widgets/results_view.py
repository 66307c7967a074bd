"""The virtualised thumbnail grid and how each cell is painted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app import theme
from app.formatting import format_clock
from app.i18n import translate
from app.models.results_model import HIT_ROLE, THUMBNAIL_STATE_ROLE

if TYPE_CHECKING:
    from engine.api import SearchHit

CELL_PADDING = 6
PLAY_MARK = "\u25b6"  # ▶
LABEL_HEIGHT = 20

AnyIndex = QModelIndex | QPersistentModelIndex


def duration_badge(hit: SearchHit) -> str:
    """What a video's cell shows over its frame: ``▶ 1:05`` (its length)."""
    return f"{PLAY_MARK} {format_clock(getattr(hit, 'duration_s', None) or 0)}"


def picture_rect(size: QSize, box: QRect) -> QRect:
    """Where a picture of ``size`` is drawn in the thumbnail ``box``: scaled to fit, centred."""
    fitted = size.scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect(0, 0, fitted.width(), fitted.height())
    target.moveCenter(box.center())
    return target


class ResultDelegate(QStyledItemDelegate):
    """Paints a thumbnail (or a placeholder while it loads) over the file name."""

    def __init__(self, thumb_side: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb_side = thumb_side

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        side = self.thumb_side + 2 * CELL_PADDING
        return QSize(side, side + LABEL_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        palette = option.palette  # type: ignore[attr-defined]
        # The grid cell may be wider than the item (columns are spread); centre the item in it.
        rect = QRect(QPoint(0, 0), self.sizeHint(option, index))
        rect.moveCenter(option.rect.center())  # type: ignore[attr-defined]
        rect.moveTop(option.rect.top())  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            colour = QColor(palette.color(QPalette.ColorRole.Highlight))
            colour.setAlpha(110 if selected else 40)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(rect.adjusted(2, 2, -2, -2), 8, 8)

        box = QRect(
            rect.x() + CELL_PADDING, rect.y() + CELL_PADDING, self.thumb_side, self.thumb_side
        )
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        # Badges sit on the picture's corners: a wide video frame or a portrait photo leaves
        # empty bands in the square box, and a badge there would float beside the picture.
        picture = box
        if pixmap is not None and not pixmap.isNull():
            picture = picture_rect(pixmap.size() / (pixmap.devicePixelRatio() or 1.0), box)
            painter.drawPixmap(picture, pixmap)
        else:
            self._placeholder(painter, palette, box, index.data(THUMBNAIL_STATE_ROLE) == "failed")

        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is not None and getattr(hit, "text_match", False):
            self._text_badge(painter, palette, picture)
        if hit is not None and getattr(hit, "kind", "photo") == "video":
            self._duration_badge(painter, picture, duration_badge(hit))
        text_rect = QRect(rect.x() + 4, box.bottom() + 2, rect.width() - 8, LABEL_HEIGHT)
        # The selection tint is translucent, so the normal text colour stays readable on it.
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        name = hit.path.name if hit is not None else ""
        elided = option.fontMetrics.elidedText(  # type: ignore[attr-defined]
            name, Qt.TextElideMode.ElideMiddle, text_rect.width()
        )
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), elided
        )
        painter.restore()

    @staticmethod
    def _duration_badge(painter: QPainter, box: QRect, text: str) -> None:
        """The video's length with a play mark, in the picture's lower right corner."""
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(text) + 10
        badge = QRect(box.right() - width - 4, box.bottom() - 22, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))  # dark on any frame, in any theme
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), text)

    @staticmethod
    def _text_badge(painter: QPainter, palette: QPalette, box: QRect) -> None:
        """A small "T" badge in the picture's corner: found by the text in the photo."""
        badge = QRect(box.right() - 22, box.top() + 4, 18, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.color(QPalette.ColorRole.Highlight)))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), "T")

    @staticmethod
    def _placeholder(painter: QPainter, palette: QPalette, box: QRect, failed: bool) -> None:
        fill = QColor(palette.color(QPalette.ColorRole.Text))
        fill.setAlpha(22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        inner = box.adjusted(8, 8, -8, -8)
        painter.drawRoundedRect(inner, 6, 6)
        name = "alert" if failed else "image"
        colour = QColor(palette.color(QPalette.ColorRole.Text))
        colour.setAlpha(90)
        icon_rect = QRect(0, 0, 32, 32)
        icon_rect.moveCenter(inner.center())
        theme.icon(name, colour).paint(painter, icon_rect)


class ResultsView(QListView):
    """A grid of results: arrows move, Enter opens, Space previews, Ctrl+C copies the path."""

    open_requested = Signal(object)  # SearchHit
    preview_requested = Signal(object)
    copy_path_requested = Signal(list)  # list[SearchHit]
    copy_image_requested = Signal(object)
    reveal_requested = Signal(object)
    find_similar_requested = Signal(object)

    def __init__(self, thumb_side: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setUniformItemSizes(True)
        self.setSpacing(4)
        self.setWordWrap(False)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.delegate = ResultDelegate(thumb_side, self)
        self.setItemDelegate(self.delegate)
        self._fit_columns()
        self.doubleClicked.connect(lambda idx: self._emit_for(self.open_requested, idx))

    def _fit_columns(self) -> None:
        """Spread the cells over the full width: as many columns as fit, evenly spaced."""
        cell = self.delegate.sizeHint(QStyleOptionViewItem(), QModelIndex())
        width = max(self.viewport().width() - 2 * self.spacing(), cell.width())
        columns = max(1, width // (cell.width() + 2 * self.spacing()))
        grid = QSize(width // columns, cell.height() + 2 * self.spacing())
        if grid != self.gridSize():
            self.setGridSize(grid)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def current_hit(self) -> SearchHit | None:
        """The hit under the keyboard cursor."""
        index = self.currentIndex()
        return index.data(HIT_ROLE) if index.isValid() else None

    def selected_hits(self) -> list[SearchHit]:
        """Selected hits in row order (the current one if nothing is selected)."""
        rows = (
            sorted(i.row() for i in self.selectionModel().selectedIndexes())
            if self.selectionModel()
            else []
        )
        hits = [self.model().index(r, 0).data(HIT_ROLE) for r in rows]
        if not hits and self.current_hit() is not None:
            hits = [self.current_hit()]
        return [h for h in hits if h is not None]

    def focus_first(self) -> None:
        """Give the grid focus with the first result current (from the search box)."""
        if self.model() is not None and self.model().rowCount() > 0:
            if not self.currentIndex().isValid():
                self.setCurrentIndex(self.model().index(0, 0))
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _emit_for(self, signal: Signal, index: AnyIndex) -> None:  # type: ignore[valid-type]
        hit = index.data(HIT_ROLE) if index.isValid() else None
        if hit is not None:
            signal.emit(hit)  # type: ignore[attr-defined]

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        hit = self.current_hit()
        if event.matches(QKeySequence.StandardKey.Copy):
            if self.selected_hits():
                self.copy_path_requested.emit(self.selected_hits())
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and hit is not None:
            self.open_requested.emit(hit)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and hit is not None:
            self.preview_requested.emit(hit)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        index = self.indexAt(event.pos())
        if not index.isValid():
            return
        if not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        hit: SearchHit = index.data(HIT_ROLE)
        menu = self.context_menu(hit)
        menu.exec(event.globalPos())

    def context_menu(self, hit: SearchHit) -> QMenu:
        """The right-click menu for ``hit``."""
        menu = QMenu(self)
        menu.addAction(
            theme.icon("similar"), translate(
                "ResultsView", "Find similar"), lambda: self.find_similar_requested.emit(hit)
        )
        menu.addSeparator()
        menu.addAction(theme.icon("external"), translate(
            "ResultsView", "Open"), lambda: self.open_requested.emit(hit))
        menu.addAction(
            theme.icon("folder-open"),
            translate("ResultsView", "Reveal in file manager"),
            lambda: self.reveal_requested.emit(hit),
        )
        menu.addAction(
            theme.icon("copy"),
            translate("ResultsView", "Copy path"),
            lambda: self.copy_path_requested.emit(self.selected_hits() or [hit]),
        )
        menu.addAction(
            theme.icon("image"), translate(
                "ResultsView", "Copy image"), lambda: self.copy_image_requested.emit(hit)
        )
        return menu
