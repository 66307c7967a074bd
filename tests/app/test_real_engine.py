"""The window over the real engine with the bundled tiny model and 40 demo photos."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_window, send_drop
from PySide6.QtCore import QMimeData, Qt, QUrl

from app.models.results_model import THUMBNAIL_STATE_ROLE
from app.presenters.search_presenter import SearchState

pytestmark = pytest.mark.slow

QUERY = "two red circles on the left on grass"


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory) -> Iterator[tuple]:  # type: ignore[type-arg]
    """A real library (demo model) with 40 demo photos added and indexed, shared by the module."""
    from engine.api import Library
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

    root = tmp_path_factory.mktemp("real")
    write_demo_dataset(root / "demo", DemoSplits(train=0, val=0, test=40, compositional=0))
    library = Library.open(home=root / "home", model="demo")
    library.add_folder(root / "demo" / "test")
    library.load_model().result(timeout=120)
    report = library.index().result(timeout=120)
    assert report.embedded == 40
    yield library, root / "demo" / "test"
    library.close()


def test_typed_query_returns_real_results_into_the_grid(qtbot, demo_library):  # type: ignore[no-untyped-def]
    library, folder = demo_library
    window = make_window(qtbot, library)
    qtbot.keyClicks(window.search_bar.search_box, QUERY)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=10000)
    model = window.results_model
    assert model.rowCount() >= 1
    best = model.hit(0)
    assert best.path.parent == folder and best.path.is_file()
    assert best.score == max(h.score for h in model.hits())
    # With the cut-off off, the irrelevant tail comes back too.
    cut = model.rowCount()
    window.search_bar.cut_off_check.setChecked(False)
    qtbot.waitUntil(lambda: model.rowCount() > cut, timeout=10000)
    # Thumbnails decode for real and land in the disk cache.
    qtbot.waitUntil(lambda: model.index(0, 0).data(THUMBNAIL_STATE_ROLE) == "ready", timeout=10000)
    assert list((Path(library.home) / "cache" / "thumbnails").glob("*.jpg"))
    window.shutdown()


def test_the_bundled_matcher_refines_typed_searches(qtbot, demo_library):  # type: ignore[no-untyped-def]
    library, _ = demo_library
    library.update_settings(rerank=True)
    try:
        window = make_window(qtbot, library)
        window.search_bar.cut_off_check.setChecked(False)
        window.search_bar.search_box.setText("a red circle left of a blue square")
        window.search_presenter.search_now()
        qtbot.waitUntil(lambda: window.search_presenter.refining, timeout=10000)
        shown_first = window.results_model.hits()
        assert shown_first and all(h.match_probability is None for h in shown_first)
        # The matcher may still be loading (the status says so, and the search is refined
        # when it is ready): wait for the refined order, however long the load takes here.
        label = window.status_line.search_label
        qtbot.waitUntil(lambda: "refined in" in label.text(), timeout=90000)
        assert not window.search_presenter.refining
        refined = window.results_model.hits()
        k = library.rerank_k
        assert {h.photo_id for h in refined} == {h.photo_id for h in shown_first}
        assert all(0 < h.match_probability < 1 for h in refined[:k])
        window.shutdown()
    finally:
        library.update_settings(rerank=False)


def test_a_caption_written_in_the_preview_makes_the_photo_findable(qtbot, demo_library):  # type: ignore[no-untyped-def]
    library, _ = demo_library
    window = make_window(qtbot, library)
    box = window.preview_pane.captions
    qtbot.waitUntil(lambda: box.ready, timeout=60000)
    window.search_bar.search_box.setText("a green star")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=10000)
    target = window.results_model.hit(window.results_model.rowCount() - 1)  # the least likely
    window.results_view.setCurrentIndex(window.results_model.index(
        window.results_model.rowCount() - 1, 0))
    # The real corpus describes it (the bundled vocabulary, embedded by the demo model).
    qtbot.waitUntil(lambda: "(vocabulary," in box.describe_label.text(), timeout=30000)
    qtbot.keyClicks(box.edit, "zanzibar picnic")
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: [c.text for c in library.photo_captions(target.photo_id)]
                    == ["zanzibar picnic"], timeout=10000)
    window.search_bar.search_box.setText("zanzibar picnic")
    window.search_presenter.search_now()
    qtbot.waitUntil(
        lambda: window.search_presenter.state == SearchState.RESULTS
        and "zanzibar" in window.search_presenter.message, timeout=10000)
    assert window.results_model.hit(0).photo_id == target.photo_id  # word for word: first
    library.set_caption(target.photo_id, None)
    window.shutdown()


def test_dropping_a_demo_photo_finds_similar_ones(qtbot, demo_library):  # type: ignore[no-untyped-def]
    library, folder = demo_library
    window = make_window(qtbot, library)
    photo = sorted(folder.glob("*.jpg"))[3]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    assert send_drop(window, mime).isAccepted()
    qtbot.waitUntil(
        lambda: window.search_presenter.state in (SearchState.RESULTS, SearchState.ERROR),
        timeout=10000,
    )
    assert window.search_presenter.state == SearchState.RESULTS, window.search_presenter.message
    paths = [h.path for h in window.results_model.hits()]
    assert paths and photo not in paths  # the photo itself is not "similar to itself"
    assert all(p.parent == folder for p in paths)
    window.shutdown()


def test_open_window_shows_library_state_and_logs_to_the_library(qtbot, demo_library):  # type: ignore[no-untyped-def]
    from app.main import open_window

    library, folder = demo_library
    session = open_window(home=Path(library.home), model="demo")
    qtbot.addWidget(session.window)
    try:
        assert session.window.isVisible()
        qtbot.waitUntil(lambda: session.library is not None, timeout=10000)
        assert session.log_path == Path(library.home) / "logs" / "photosearch-app.log"
        qtbot.waitUntil(lambda: session.window.folders_panel.list.count() == 1, timeout=10000)
        assert "40 photos · 40 indexed" in session.window.folders_panel.list.item(0).text()
        qtbot.waitUntil(lambda: session.window.model_presenter.state == "ready", timeout=60000)
        assert "demo on cpu" in session.window.status_line.model_label.text()
        qtbot.waitUntil(lambda: not session.window.index_presenter.running, timeout=10000)
    finally:
        session.close()
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", None) == str(session.log_path):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert "PhotoSearch started" in session.log_path.read_text()
