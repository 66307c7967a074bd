"""Two-stage text search in the window: first-stage results at once, reordered when the second
stage finishes; a newer query cancels it; a missing matcher leaves the results and says why."""

from __future__ import annotations

from app.presenters.search_presenter import SearchState
from engine.errors import ModelUnavailableError


def search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText(text)
    window.search_presenter.search_now()


def grid_ids(window) -> list[int]:  # type: ignore[no-untyped-def]
    return [h.photo_id for h in window.results_model.hits()]


def test_first_stage_shows_at_once_then_the_grid_is_reordered(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(rerank=True)
    fake_library.rerank_delay = 2.0  # long enough to look at the first stage under load
    refining = []
    window.search_presenter.refining_changed.connect(refining.append)
    search(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    first = grid_ids(window)
    assert first and window.search_presenter.refining
    assert "refining" in window.status_line.search_label.text()
    assert all(h.match_probability is None for h in window.results_model.hits())
    # The user picks the third photo while the second stage runs...
    window.results_view.setCurrentIndex(window.results_model.index(2, 0))
    picked = first[2]
    qtbot.waitUntil(lambda: not window.search_presenter.refining, timeout=5000)
    second = grid_ids(window)
    assert second[:5] == list(reversed(first[:5])) and second[5:] == first[5:]
    assert window.results_model.hit(0).match_probability == 0.9
    assert refining == [True, False]
    assert "refined in" in window.status_line.search_label.text()
    # ...and it stays selected where the new order put it.
    assert window.results_model.hit(window.results_view.currentIndex().row()).photo_id == picked
    # The first stage ran without the matcher; the second got exactly what was shown.
    assert fake_library.calls_named("search")[-1][4] is False
    assert fake_library.calls_named("rerank")[-1] == ("red circle", first)


def test_a_newer_query_cancels_the_second_stage(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(rerank=True)
    fake_library.rerank_delay = 30.0  # would hold the engine lane for 30 s if not cancelled
    search(qtbot, window, "red")
    qtbot.waitUntil(lambda: len(fake_library.calls_named("rerank")) == 1, timeout=3000)
    fake_library.rerank_delay = 0.0
    search(qtbot, window, "blue")
    # The second query's results and its own rerank arrive long before 30 s.
    qtbot.waitUntil(lambda: len(fake_library.calls_named("rerank")) == 2, timeout=3000)
    qtbot.waitUntil(lambda: not window.search_presenter.refining, timeout=3000)
    top = [h.path.name for h in window.results_model.hits()[:5]]
    assert sum(name.startswith("blue") for name in top) == 3  # all three blue photos
    assert [c[0] for c in fake_library.calls_named("rerank")] == ["red", "blue"]
    assert "for “blue”" in window.status_line.search_label.text()


def test_the_matcher_loads_off_the_lane_for_the_newest_query(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(rerank=True)
    fake_library.matcher_ready = False
    fake_library.matcher_delay = 4.0  # a first-time download, say
    search(qtbot, window, "red")
    qtbot.waitUntil(lambda: len(fake_library.calls_named("load_matcher")) == 1, timeout=3000)
    label = window.status_line.search_label
    qtbot.waitUntil(lambda: "downloading the reranking model: " in label.text(), timeout=3000)
    assert " of 900 MB" in label.text()
    # Searching goes on while the matcher loads: nothing waits behind it.
    search(qtbot, window, "blue")
    qtbot.waitUntil(lambda: len(fake_library.calls_named("search")) == 2, timeout=1500)
    qtbot.waitUntil(lambda: "for “blue”" in window.status_line.search_label.text(), timeout=1500)
    assert fake_library.calls_named("rerank") == []
    # Once loaded, only the query on screen is reranked, and the load ran once.
    qtbot.waitUntil(lambda: len(fake_library.calls_named("rerank")) == 1, timeout=8000)
    assert fake_library.calls_named("rerank")[0][0] == "blue"
    assert len(fake_library.calls_named("load_matcher")) == 1
    qtbot.waitUntil(lambda: not window.search_presenter.refining, timeout=3000)
    assert "refined in" in window.status_line.search_label.text()


def test_no_second_stage_when_reranking_is_off_or_for_similar_photos(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    search(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    assert not window.search_presenter.refining
    fake_library.update_settings(rerank=True)
    window.find_similar(window.results_model.hit(0).path, "photo")
    qtbot.waitUntil(lambda: len(fake_library.calls_named("similar")) == 1, timeout=3000)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    assert fake_library.calls_named("rerank") == []


def test_a_missing_matcher_keeps_the_results_and_says_why(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(rerank=True)
    fake_library.rerank_error = ModelUnavailableError(
        "The reranking model Salesforce/blip-itm-base-coco is not downloaded.")
    errors: list[BaseException] = []
    window.search_presenter.error.connect(errors.append)
    search(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: len(fake_library.calls_named("rerank")) == 1, timeout=3000)
    qtbot.waitUntil(lambda: not window.search_presenter.refining, timeout=3000)
    assert window.search_presenter.state == SearchState.RESULTS
    assert window.results_model.rowCount() > 0
    label = window.status_line.search_label
    assert "not refined" in label.text()
    assert "blip-itm-base-coco" in label.toolTip()
    assert errors == []  # explained in place, not in a traceback dialog


def test_reranking_is_prepared_once_the_model_is_ready(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    # The window's model became ready at start: the library was asked to prepare (it does
    # nothing while reranking is off, and loads the matcher and reads the recent photos when on).
    qtbot.waitUntil(lambda: fake_library.calls_named("prepare_reranking") != [], timeout=5000)
