"""First run, adding, removing and pausing folders."""

from __future__ import annotations

from pathlib import Path

from conftest import make_window


def test_first_run_screen_guides_adding_a_folder(qtbot, empty_library):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, empty_library)
    qtbot.waitUntil(lambda: window.library_presenter.folders == [], timeout=3000)
    assert window.stack.currentWidget() is window.first_run_page
    assert window.first_run_page.add_button.isVisible()
    assert "Add a folder" in window.first_run_page.add_button.text()

    window.ask_folder = lambda: empty_library.holiday
    window.first_run_page.add_button.click()
    qtbot.waitUntil(lambda: window.library_presenter.folders not in (None, []), timeout=3000)
    assert empty_library.calls_named("add_folder") == [(empty_library.holiday,)]
    assert empty_library.calls_named("index")  # adding a folder starts indexing it
    assert window.stack.currentWidget() is not window.first_run_page
    assert window.folders_panel.list.count() == 1
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=3000)
    window.shutdown()


def test_cancelling_the_folder_picker_adds_nothing(qtbot, empty_library):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, empty_library)
    window.ask_folder = lambda: None
    window.first_run_page.add_button.click()
    qtbot.wait(50)
    assert empty_library.calls_named("add_folder") == []
    window.shutdown()


def test_adding_a_missing_folder_shows_the_engine_message(qtbot, window, fake_library, tmp_path):  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope"
    window.ask_folder = lambda: missing
    window.folders_panel.add_button.click()
    qtbot.waitUntil(lambda: window.reporter.last_dialog is not None, timeout=3000)
    assert window.reporter.last_dialog.message == f"The folder {missing} does not exist."


def test_remove_folder_after_confirming(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(text) or True
    window.folders_panel.select(fake_library.garden)
    window.folders_panel.remove_button.click()
    qtbot.waitUntil(lambda: window.folders_panel.list.count() == 1, timeout=3000)
    assert fake_library.calls_named("remove_folder") == [(fake_library.garden,)]
    assert "not touched" in asked[0]
    assert window.folders_panel.selected_path() != fake_library.garden


def test_remove_folder_declined_keeps_it(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.confirm = lambda title, text: False
    window.folders_panel.select(fake_library.garden)
    window.folders_panel.remove_button.click()
    qtbot.wait(50)
    assert fake_library.calls_named("remove_folder") == []
    assert window.folders_panel.list.count() == 2


def test_pause_and_resume_watching_a_folder(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    panel = window.folders_panel
    panel.select(fake_library.holiday)
    assert panel.pause_button.toolTip().startswith("Pause")
    panel.pause_button.click()
    qtbot.waitUntil(lambda: "paused" in panel.list.currentItem().text(), timeout=3000)
    assert fake_library.calls_named("set_folder_paused") == [(fake_library.holiday, True)]
    assert panel.pause_button.toolTip().startswith("Resume")
    panel.pause_button.click()
    qtbot.waitUntil(lambda: "paused" not in panel.list.currentItem().text(), timeout=3000)
    assert fake_library.calls_named("set_folder_paused")[-1] == (fake_library.holiday, False)


def test_folder_list_shows_counts(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    texts = [window.folders_panel.list.item(i).text() for i in range(2)]
    holiday = next(t for t in texts if t.startswith("holiday"))
    assert "7 photos · 6 indexed · 1 failed" in holiday
    assert Path(window.folders_panel.list.item(0).toolTip()).is_absolute()
