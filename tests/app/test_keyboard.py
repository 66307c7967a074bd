"""Ctrl+F, arrows, Enter, Space, Ctrl+C and Esc."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.presenters.search_presenter import SearchState


def _results(qtbot, window, text: str = "circle") -> None:  # type: ignore[no-untyped-def]
    window.search_bar.cut_off_check.setChecked(False)
    window.search_bar.search_box.setText(text)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)


def test_ctrl_f_focuses_the_search_box(qtbot, window):  # type: ignore[no-untyped-def]
    window.activateWindow()
    elsewhere = window.folders_panel.list
    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus, timeout=1000)
    qtbot.keyClick(elsewhere, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.search_bar.search_box.hasFocus(), timeout=1000)


def test_down_from_search_then_arrows_move_through_results(qtbot, window):  # type: ignore[no-untyped-def]
    _results(qtbot, window)
    window.activateWindow()
    window.search_bar.search_box.setFocus()
    qtbot.keyClick(window.search_bar.search_box, Qt.Key.Key_Down)
    view = window.results_view
    qtbot.waitUntil(view.hasFocus, timeout=1000)
    assert view.currentIndex().row() == 0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.currentIndex().row() == 0
    # The preview follows the keyboard.
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.preview_pane.hit == window.results_model.hit(1)


def test_enter_opens_the_photo(qtbot, window):  # type: ignore[no-untyped-def]
    opened: list[Path] = []
    window.actions.open_file = lambda path: opened.append(path) or True
    _results(qtbot, window)
    window.results_view.focus_first()
    qtbot.keyClick(window.results_view, Qt.Key.Key_Return)
    assert opened == [window.results_model.hit(0).path]


def test_space_toggles_the_preview(qtbot, window):  # type: ignore[no-untyped-def]
    _results(qtbot, window)
    view = window.results_view
    view.focus_first()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not window.preview_pane.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert window.preview_pane.isVisible()
    assert window.preview_pane.hit == window.results_model.hit(0)
    qtbot.waitUntil(lambda: not window.preview_pane.image.image.isNull(), timeout=3000)
    assert window.preview_pane.fields["Camera"].text() == "Canon EOS 5D"


def test_ctrl_c_copies_the_selected_paths(qtbot, window):  # type: ignore[no-untyped-def]
    _results(qtbot, window)
    view = window.results_view
    view.focus_first()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == str(window.results_model.hit(0).path)
    assert QGuiApplication.clipboard().mimeData().urls()[0].toLocalFile() == str(
        window.results_model.hit(0).path
    )


def test_escape_clears_the_search(qtbot, window):  # type: ignore[no-untyped-def]
    _results(qtbot, window)
    window.activateWindow()
    window.search_bar.search_box.setFocus()
    qtbot.keyClick(window.search_bar.search_box, Qt.Key.Key_Escape)
    assert window.search_bar.search_box.text() == ""
    assert window.results_model.rowCount() == 0
    assert window.search_presenter.state == SearchState.IDLE
    assert window.stack.currentWidget() is window.message_page
