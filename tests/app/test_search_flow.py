"""Typing searches (debounced), results reach the grid, sorting, cut-off, model waiting."""

from __future__ import annotations

from conftest import make_window
from PySide6.QtCore import Qt

from app.models.results_model import HIT_ROLE, SortOrder
from app.presenters.search_presenter import SearchState


def type_text(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.search_bar.search_box, text)


def test_typing_is_debounced_into_one_search(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    for word in ("red", " ci", "rcle"):  # a typist: pauses shorter than the debounce
        type_text(qtbot, window, word)
        qtbot.wait(80)
    # Nothing searched while typing: the debounce timer is still running.
    assert fake_library.calls_named("search") == []
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    searches = fake_library.calls_named("search")
    assert [args[0] for args in searches] == ["red circle"]
    model = window.results_model
    assert model.rowCount() > 0
    first = model.index(0, 0).data(HIT_ROLE)
    assert first.path.name.startswith("red_circle")
    assert window.stack.currentWidget() is window.results_view
    assert "for “red circle”" in window.status_line.search_label.text()


def test_results_show_their_score_on_hover(qtbot, window):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("blue")
    qtbot.waitUntil(lambda: window.results_model.rowCount() > 0, timeout=3000)
    index = window.results_model.index(0, 0)
    hit = index.data(HIT_ROLE)
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert f"Score: {hit.score:.3f}" in tooltip
    assert hit.path.name in tooltip


def test_sort_by_date_reorders_results(qtbot, window):  # type: ignore[no-untyped-def]
    window.search_bar.cut_off_check.setChecked(False)
    window.search_bar.search_box.setText("circle")
    qtbot.waitUntil(lambda: window.results_model.rowCount() >= 10, timeout=3000)
    by_score = [h.score for h in window.results_model.hits()]
    assert by_score == sorted(by_score, reverse=True)
    window.search_bar.sort_combo.setCurrentIndex(1)
    assert window.results_model.sort_order is SortOrder.DATE
    dates = [h.taken_at for h in window.results_model.hits()]
    assert dates == sorted(dates, reverse=True)
    assert dates != [
        h.taken_at for h in sorted(window.results_model.hits(), key=lambda h: -h.score)
    ]


def test_cut_off_toggle_searches_again_without_cut_off(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("red circle")
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    with_cut = window.results_model.rowCount()
    window.search_bar.cut_off_check.setChecked(False)
    qtbot.waitUntil(lambda: window.results_model.rowCount() > with_cut, timeout=3000)
    assert fake_library.calls_named("search")[-1][3] is False  # cut_off=False reached the engine
    assert window.results_model.rowCount() == 12


def test_query_typed_before_the_model_is_ready_runs_when_it_is(qtbot, fake_library):  # type: ignore[no-untyped-def]
    fake_library.model_delay = 0.4
    window = make_window(qtbot, fake_library, load_model=False)
    window.start()
    window.search_bar.search_box.setText("green")
    window.search_presenter.search_now()
    assert window.search_presenter.state == SearchState.WAITING_MODEL
    assert "Loading the model" in window.message_page.text.text()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=5000)
    assert window.results_model.hit(0).path.name.startswith("green")
    window.shutdown()


def test_bad_query_is_explained_in_place_not_in_a_dialog(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    from engine.errors import InvalidQueryError

    fake_library.search_error = InvalidQueryError("The weight in “x:beach” is not a number.")
    window.search_bar.search_box.setText("x:beach")
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.ERROR, timeout=3000)
    assert window.stack.currentWidget() is window.message_page
    assert "is not a number" in window.message_page.text.text()
    assert window.reporter.dialogs == []


def test_no_matches_suggests_what_to_change(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.remove_folder(fake_library.holiday)
    fake_library.remove_folder(fake_library.garden)
    window.search_bar.search_box.setText("anything")
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.EMPTY, timeout=3000)
    assert "Best matches only" in window.message_page.text.text()


def test_a_newer_query_replaces_an_in_flight_one(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.search_delay = 0.2
    window.search_bar.search_box.setText("red")
    window.search_presenter.search_now()
    window.search_bar.search_box.setText("blue")
    window.search_presenter.search_now()
    qtbot.waitUntil(
        lambda: (
            window.search_presenter.state == SearchState.RESULTS
            and window.results_model.rowCount() > 0
        ),
        timeout=3000,
    )
    assert window.results_model.hit(0).path.name.startswith("blue")
    assert [a[0] for a in fake_library.calls_named("search")] == ["red", "blue"]


def test_preparing_the_reranking_model_is_said_in_words() -> None:
    from app.presenters.search_presenter import matcher_progress_text
    from engine.records import ModelProgress

    assert "preparing the reranking model" in matcher_progress_text(
        ModelProgress("prepare", "blip"))
    assert "downloading the reranking model" in matcher_progress_text(
        ModelProgress("download", "blip", done_bytes=1 << 20, total_bytes=8 << 20))
