"""Thumbnails: disk cache with an LRU cap, off-thread loading, placeholders, many results."""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image

from app.models.results_model import THUMBNAIL_STATE_ROLE, ResultsModel
from app.models.thumbnail_cache import ThumbnailCache
from app.models.thumbnail_loader import ThumbnailLoader
from engine.api import SearchHit, load_thumbnail


def _photo(folder: Path, name: str, colour: str = "red") -> Path:
    path = folder / name
    Image.new("RGB", (120, 80), colour).save(path, "JPEG")
    return path


def _hit(i: int, path: Path) -> SearchHit:
    return SearchHit(i, path, 1.0 - i / 10000, None, 120, 80, None, 100)


def test_cache_evicts_least_recently_used_beyond_its_cap(tmp_path):  # type: ignore[no-untyped-def]
    photos = [_photo(tmp_path, f"p{i}.jpg") for i in range(4)]
    cache = ThumbnailCache(tmp_path / "cache", max_bytes=2500)
    for p in photos[:2]:
        cache.put(p, 64, b"x" * 1000)
    time.sleep(0.01)
    assert cache.get(photos[0], 64) == b"x" * 1000  # photo 0 is now the most recent
    cache.put(photos[2], 64, b"y" * 1000)  # over the cap: photo 1 goes
    assert cache.get(photos[1], 64) is None
    assert cache.get(photos[0], 64) is not None and cache.get(photos[2], 64) is not None
    assert cache.total_bytes() <= 2500
    # A fresh cache over the same folder sees the same entries (order from file times).
    again = ThumbnailCache(tmp_path / "cache", max_bytes=2500)
    assert again.total_bytes() == 2000
    again.set_max_bytes(1000)
    assert again.total_bytes() == 1000


def test_an_edited_photo_gets_a_new_thumbnail(tmp_path):  # type: ignore[no-untyped-def]
    path = _photo(tmp_path, "a.jpg")
    cache = ThumbnailCache(tmp_path / "cache", max_bytes=10**6)
    cache.put(path, 64, b"old")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert cache.get(path, 64) is None


def test_loader_decodes_off_thread_and_reuses_the_disk_cache(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    path = _photo(tmp_path, "a.jpg")
    decoded: list[Path] = []

    def decode(p: Path, side: int):  # type: ignore[no-untyped-def]
        decoded.append(p)
        return load_thumbnail(p, side)

    cache = ThumbnailCache(tmp_path / "cache", max_bytes=10**6)
    loader = ThumbnailLoader(cache, 64, decode=decode)
    with qtbot.waitSignal(loader.loaded, timeout=3000) as blocker:
        loader.request(path)
    key, image = blocker.args
    assert key == str(path) and image.width() == 64 and image.height() in (42, 43)
    assert len(list((tmp_path / "cache").glob("*.jpg"))) == 1

    second = ThumbnailLoader(ThumbnailCache(tmp_path / "cache", 10**6), 64, decode=decode)
    with qtbot.waitSignal(second.loaded, timeout=3000):
        second.request(path)
    assert decoded == [path]  # the second load came from disk
    loader.shutdown()
    second.shutdown()


def test_unreadable_photo_reports_failure(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg")
    loader = ThumbnailLoader(ThumbnailCache(tmp_path / "cache", 10**6), 64)
    model = ResultsModel(loader)
    model.set_hits([_hit(1, bad)])
    index = model.index(0, 0)
    assert index.data(THUMBNAIL_STATE_ROLE) == "loading"
    with qtbot.waitSignal(loader.failed, timeout=3000):
        assert model.data(index, 1) is None  # DecorationRole: placeholder until loaded
    assert index.data(THUMBNAIL_STATE_ROLE) == "failed"
    assert "No thumbnail" in index.data(3)  # ToolTipRole
    loader.shutdown()


def test_model_requests_only_painted_cells(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    from app.widgets.results_view import ResultsView

    path = _photo(tmp_path, "a.jpg")
    requested: list[Path] = []

    class CountingLoader(ThumbnailLoader):
        def request(self, p: Path) -> None:
            requested.append(p)

    loader = CountingLoader(ThumbnailCache(tmp_path / "cache", 10**6), 64)
    model = ResultsModel(loader)
    hits = [_hit(i, path.with_name(f"p{i}.jpg")) for i in range(5000)]
    model.set_hits(hits)
    view = ResultsView(160)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(50)
    assert model.rowCount() == 5000
    assert 0 < len(set(requested)) < 100  # only what fits on screen
    last = str(hits[-1].path)

    def scrolled_to_the_end() -> bool:
        bar = view.verticalScrollBar()  # layout runs in batches, so the end may still grow
        bar.setValue(bar.maximum())
        return last in {str(p) for p in requested}

    qtbot.waitUntil(scrolled_to_the_end, timeout=5000)
    assert len(set(requested)) < 200


def test_thumbnail_folder_is_the_platform_cache_only_for_the_default_library(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QStandardPaths

    from app.paths import thumbnail_folder

    assert thumbnail_folder(tmp_path / "lib") == tmp_path / "lib" / "cache" / "thumbnails"
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    cache = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    assert thumbnail_folder(Path(data)) == Path(cache) / "thumbnails"


def test_badges_sit_on_a_wide_picture_not_in_the_band_beside_it(qtbot):  # type: ignore[no-untyped-def]
    """A 16:9 video frame fills only the middle of the square thumbnail box: its duration badge
    (and the text badge) go on the frame's corners, and the bands above and below stay empty."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QListView, QStyleOptionViewItem

    from app.models.results_model import HIT_ROLE
    from app.widgets.results_view import CELL_PADDING, ResultDelegate

    view = QListView()  # the option's palette and font, as the grid paints them
    qtbot.addWidget(view)
    frame = QPixmap(320, 180)
    frame.fill(QColor(0, 200, 0))
    item = QStandardItem()
    item.setData(frame, Qt.ItemDataRole.DecorationRole)
    item.setData(SearchHit(1, Path("clip.mp4"), 0.3, None, 320, 180, None, 1000,
                           text_match=True, kind="video", time_s=61.0, duration_s=70.0),
                 HIT_ROLE)
    model = QStandardItemModel()
    model.appendRow(item)
    delegate = ResultDelegate(160)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    size = delegate.sizeHint(option, model.index(0, 0))
    option.rect = QRect(0, 0, size.width(), size.height())
    canvas = QImage(size, QImage.Format.Format_RGB32)
    canvas.fill(QColor(255, 255, 255))
    painter = QPainter(canvas)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()

    box = QRect(CELL_PADDING, CELL_PADDING, 160, 160)
    picture = QRect(box.left(), box.top() + 35, 160, 90)  # 16:9 scaled to the box, centred
    assert canvas.pixel(picture.center()) == QColor(0, 200, 0).rgb()
    white, green = QColor(255, 255, 255).rgb(), QColor(0, 200, 0).rgb()
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1):
            if not picture.contains(x, y):
                assert canvas.pixel(x, y) == white, (x, y)
    lower_right = [canvas.pixel(x, y) for x in range(picture.right() - 20, picture.right())
                   for y in range(picture.bottom() - 15, picture.bottom() - 5)]
    upper_right = [canvas.pixel(x, y) for x in range(picture.right() - 18, picture.right() - 6)
                   for y in range(picture.top() + 6, picture.top() + 18)]
    assert any(p != green for p in lower_right)  # the duration badge, on the frame
    assert any(p != green for p in upper_right)  # the "T" badge, on the frame
