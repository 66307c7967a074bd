"""The list of search results behind the thumbnail grid.

A ``QAbstractListModel`` over ``SearchHit`` values: the view asks only for the cells it paints,
so thousands of results cost nothing until scrolled to. Thumbnails are requested from a
:class:`ThumbnailLoader` on first paint and kept in a bounded in-memory LRU of pixmaps; until one
arrives the decoration is None and the delegate paints a placeholder. Results can be sorted by
relevance or by date, and dragged out as file URLs.
"""

from __future__ import annotations

from collections import OrderedDict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Slot,
)
from PySide6.QtGui import QImage, QPixmap

from app.formatting import decimal, format_bytes, format_clock, format_taken_at
from app.i18n import translate
from app.models.thumbnail_loader import ThumbnailLoader, thumbnail_key

if TYPE_CHECKING:
    from engine.api import SearchHit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
SCORE_ROLE = Qt.ItemDataRole.UserRole + 2
THUMBNAIL_STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # "loading", "ready" or "failed"

AnyIndex = QModelIndex | QPersistentModelIndex


class SortOrder(StrEnum):
    """How results are ordered."""

    RELEVANCE = "relevance"
    DATE = "date"


def sort_hits(hits: list[SearchHit], order: SortOrder) -> list[SearchHit]:
    """``hits`` (in the engine's order) in ``order``: relevance keeps the engine's order, which
    is not always by score (exact caption matches lead, the second stage reorders the top);
    date puts the newest first (undated photos last, each group in relevance order)."""
    if order is SortOrder.RELEVANCE:
        return list(hits)
    dated = sorted((h for h in hits if h.taken_at), key=lambda h: h.taken_at or "", reverse=True)
    return dated + [h for h in hits if not h.taken_at]


class ResultsModel(QAbstractListModel):
    """Search hits for the grid, with lazily loaded thumbnails."""

    def __init__(
        self,
        loader: ThumbnailLoader | None,
        parent: QObject | None = None,
        memory_items: int = 600,
    ) -> None:
        super().__init__(parent)
        self._loader = loader
        self._hits: list[SearchHit] = []  # in display order
        self._ranked: list[SearchHit] = []  # in the engine's order
        self._order = SortOrder.RELEVANCE
        self._rows_by_path: dict[str, list[int]] = {}
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._failed: dict[str, str] = {}
        self._memory_items = memory_items
        if loader is not None:
            loader.loaded.connect(self._on_loaded)
            loader.failed.connect(self._on_failed)

    # -- contents ----------------------------------------------------------------------------

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Replace the results (sorted by the current order)."""
        if self._loader is not None:
            self._loader.cancel_pending()
        self.beginResetModel()
        self._ranked = list(hits)
        self._hits = sort_hits(self._ranked, self._order)
        self._reindex()
        self.endResetModel()

    def clear(self) -> None:
        """No results."""
        self.set_hits([])

    def hits(self) -> list[SearchHit]:
        """The results in display order."""
        return list(self._hits)

    def hit(self, row: int) -> SearchHit | None:
        """The hit at ``row``, or None."""
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, photo_id: int) -> int | None:
        """The row showing the photo ``photo_id``, or None."""
        return next((row for row, h in enumerate(self._hits) if h.photo_id == photo_id), None)

    @property
    def sort_order(self) -> SortOrder:
        """The current order."""
        return self._order

    def set_sort_order(self, order: SortOrder) -> None:
        """Re-sort the results."""
        order = SortOrder(order)
        if order == self._order:
            return
        self._order = order
        self.beginResetModel()
        self._hits = sort_hits(self._ranked, order)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._rows_by_path = {}
        for row, hit in enumerate(self._hits):
            self._rows_by_path.setdefault(_key(hit), []).append(row)

    # -- Qt model ----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        key = _key(hit)
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.path.name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumbnail(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(hit)
        if role == HIT_ROLE:
            return hit
        if role == SCORE_ROLE:
            return hit.score
        if role == THUMBNAIL_STATE_ROLE:
            if key in self._failed:
                return "failed"
            return "ready" if key in self._pixmaps else "loading"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return ["text/uri-list", "text/plain"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        paths = [h.path for h in (self.hit(i.row()) for i in indexes) if h is not None]
        return file_mime_data(paths)

    # -- thumbnails --------------------------------------------------------------------------

    def _thumbnail(self, hit: SearchHit) -> QPixmap | None:
        """The hit's thumbnail (a video's: its frame at the best moment), or None while it
        loads."""
        key = _key(hit)
        pixmap = self._pixmaps.get(key)
        if pixmap is not None:
            self._pixmaps.move_to_end(key)
            return pixmap
        if key not in self._failed and self._loader is not None:
            moment = _moment(hit)
            if moment is None:
                self._loader.request(hit.path)
            else:
                self._loader.request(hit.path, moment)
        return None

    @Slot(str, QImage)
    def _on_loaded(self, key: str, image: QImage) -> None:
        self._pixmaps[key] = QPixmap.fromImage(image)
        self._pixmaps.move_to_end(key)
        while len(self._pixmaps) > self._memory_items:
            self._pixmaps.popitem(last=False)
        self._changed(key)

    @Slot(str, str)
    def _on_failed(self, key: str, reason: str) -> None:
        self._failed[key] = reason
        self._changed(key)

    def _changed(self, key: str) -> None:
        for row in self._rows_by_path.get(key, []):
            idx = self.index(row)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

    def _tooltip(self, hit: SearchHit) -> str:
        lines = [hit.path.name,
                 translate("ResultsModel", "Score: %1").replace("%1", decimal(hit.score, 3))]
        if getattr(hit, "text_match", False):
            lines.append(translate("ResultsModel", "Found by the text in the photo"))
        if hit.taken_at:
            lines.append(translate("ResultsModel", "Taken: %1").replace(
                "%1", format_taken_at(hit.taken_at)))
        if hit.camera:
            lines.append(translate("ResultsModel", "Camera: %1").replace("%1", hit.camera))
        if hit.width and hit.height:
            lines.append(f"{hit.width} × {hit.height} · {format_bytes(hit.size_bytes)}")
        moment = _moment(hit)
        if moment is not None:
            lines.append(translate("ResultsModel", "Video, %1 long; best moment at %2").replace(
                "%1", format_clock(getattr(hit, "duration_s", None) or 0)).replace(
                "%2", format_clock(moment)))
        if not hit.online:
            lines.append(translate(
                "ResultsModel", "Offline: the drive holding this photo is not connected"))
        reason = self._failed.get(_key(hit))
        if reason:
            lines.append(translate("ResultsModel", "No thumbnail: %1").replace("%1", reason))
        return "\n".join(lines)


def _moment(hit: SearchHit) -> float | None:
    """A video hit's best moment (None for a photo)."""
    return getattr(hit, "time_s", None) if getattr(hit, "kind", "photo") == "video" else None


def _key(hit: SearchHit) -> str:
    return thumbnail_key(hit.path, _moment(hit))


def file_mime_data(paths: list[Path]) -> QMimeData:
    """Drag/copy payload for files: URLs for file managers and apps, plain paths as text."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    mime.setText("\n".join(str(p) for p in paths))
    return mime
