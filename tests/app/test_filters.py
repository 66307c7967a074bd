"""Folder, date range and camera filters reach the engine and narrow the results."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from app.presenters.search_presenter import SearchState


def _search(qtbot, window, text: str = "circle") -> None:  # type: ignore[no-untyped-def]
    window.search_bar.cut_off_check.setChecked(False)
    window.search_bar.search_box.setText(text)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)


def _last_filters(fake_library):  # type: ignore[no-untyped-def]
    return fake_library.calls_named("search")[-1][2]


def test_filter_bar_lists_library_folders_and_cameras(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.search_bar.filters_button.setChecked(True)
    assert window.filter_bar.isVisible()
    qtbot.waitUntil(lambda: window.filter_bar.camera_combo.count() == 3, timeout=3000)
    folders = [window.filter_bar.folder_combo.itemData(i) for i in range(1, 3)]
    assert sorted(folders) == sorted([str(fake_library.holiday), str(fake_library.garden)])
    cameras = [window.filter_bar.camera_combo.itemText(i) for i in range(1, 3)]
    assert cameras == ["Canon EOS 5D", "FUJIFILM X100V"]


def test_folder_filter_limits_results_to_that_folder(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _search(qtbot, window)
    all_rows = window.results_model.rowCount()
    window.search_bar.filters_button.setChecked(True)
    combo = window.filter_bar.folder_combo
    combo.setCurrentIndex(combo.findData(str(fake_library.garden)))
    qtbot.waitUntil(lambda: window.results_model.rowCount() < all_rows, timeout=3000)
    assert _last_filters(fake_library).folder == fake_library.garden
    assert all(h.path.parent == fake_library.garden for h in window.results_model.hits())


def test_camera_filter(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _search(qtbot, window)
    window.search_bar.filters_button.setChecked(True)
    qtbot.waitUntil(lambda: window.filter_bar.camera_combo.count() == 3, timeout=3000)
    window.filter_bar.camera_combo.setCurrentIndex(2)
    qtbot.waitUntil(lambda: _last_filters(fake_library) is not None, timeout=3000)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    assert _last_filters(fake_library).camera == "FUJIFILM X100V"
    assert {h.camera for h in window.results_model.hits()} == {"FUJIFILM X100V"}


def test_date_range_is_inclusive_of_both_days(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _search(qtbot, window)
    bar = window.filter_bar
    window.search_bar.filters_button.setChecked(True)
    bar.after_edit.setDate(QDate(2023, 3, 1))
    bar.before_edit.setDate(QDate(2023, 5, 5))
    bar.after_check.setChecked(True)
    bar.before_check.setChecked(True)
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 3, timeout=3000)
    filters = _last_filters(fake_library)
    assert filters.after == date(2023, 3, 1)
    assert filters.before == date(2023, 5, 6)  # "to 5 May" includes 5 May
    taken = sorted(h.taken_at[:10] for h in window.results_model.hits())
    assert taken == ["2023-03-03", "2023-04-04", "2023-05-05"]


def test_clear_filters_and_hiding_the_bar_remove_them(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    _search(qtbot, window)
    window.search_bar.filters_button.setChecked(True)
    qtbot.waitUntil(lambda: window.filter_bar.camera_combo.count() == 3, timeout=3000)
    window.filter_bar.camera_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: _last_filters(fake_library) is not None, timeout=3000)
    window.search_bar.filters_button.setChecked(False)
    qtbot.waitUntil(lambda: _last_filters(fake_library) is None, timeout=3000)
    assert window.search_presenter.filters.is_empty()
