"""Error dialogs: user_message and "Copy details"; unexpected errors; a missing model."""

from __future__ import annotations

import logging
import threading

from conftest import make_window
from PySide6.QtGui import QGuiApplication

from app.errors import ErrorReporter, install_excepthooks
from app.main import setup_logging
from app.presenters.search_presenter import SearchState
from engine.errors import Cancelled, EngineError, ModelUnavailableError


def test_engine_error_dialog_shows_user_message_and_copies_details(qtbot):  # type: ignore[no-untyped-def]
    reporter = ErrorReporter()
    reporter.report(EngineError("The folder /x does not exist.", details="add_folder('/x')"))
    dialog = reporter.last_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.message_label.text() == "The folder /x does not exist."
    assert not dialog.details_view.isVisible()
    assert dialog.toggle_button.isVisible()
    dialog.toggle_button.click()
    assert dialog.details_view.isVisible()
    dialog.copy_button.click()
    clipboard = QGuiApplication.clipboard().text()
    assert "The folder /x does not exist." in clipboard and "add_folder('/x')" in clipboard
    assert dialog.copy_button.text() == "Copied"


def test_no_details_no_details_button(qtbot):  # type: ignore[no-untyped-def]
    reporter = ErrorReporter()
    reporter.report(EngineError("Disk full."))
    qtbot.addWidget(reporter.last_dialog)
    assert not reporter.last_dialog.toggle_button.isVisible()


def test_cancelled_is_never_shown(qtbot):  # type: ignore[no-untyped-def]
    reporter = ErrorReporter()
    reporter.report(Cancelled())
    assert reporter.dialogs == []


def test_the_same_message_is_not_stacked(qtbot):  # type: ignore[no-untyped-def]
    reporter = ErrorReporter()
    reporter.report(EngineError("Disk full."))
    reporter.report(EngineError("Disk full."))
    assert len(reporter.dialogs) == 1
    qtbot.addWidget(reporter.dialogs[0])


def test_unexpected_exception_from_a_thread_goes_to_a_traceback_dialog_and_the_log(
    qtbot, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    import sys

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    log_path = setup_logging(tmp_path)
    reporter = ErrorReporter(log_path=log_path)
    install_excepthooks(reporter)

    def boom() -> None:
        raise ZeroDivisionError("thread went wrong")

    thread = threading.Thread(target=boom)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.last_dialog is not None, timeout=3000)
    dialog = reporter.last_dialog
    qtbot.addWidget(dialog)
    assert "unexpected" in dialog.message
    assert str(log_path) in dialog.message
    assert "ZeroDivisionError: thread went wrong" in dialog.details
    assert "def boom" not in dialog.details and "in boom" in dialog.details  # a real traceback
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "thread went wrong" in log_path.read_text()
    logging.getLogger().removeHandler(
        next(
            h
            for h in logging.getLogger().handlers
            if getattr(h, "baseFilename", "") == str(log_path)
        )
    )


def test_unexpected_search_failure_opens_a_dialog(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.search_error = RuntimeError("index file corrupt")
    window.search_bar.search_box.setText("red")
    qtbot.waitUntil(lambda: window.reporter.last_dialog is not None, timeout=3000)
    assert "RuntimeError: index file corrupt" in window.reporter.last_dialog.details
    assert window.search_presenter.state == SearchState.ERROR


def test_missing_model_is_explained_and_the_app_stays_usable(qtbot, fake_library):  # type: ignore[no-untyped-def]
    message = (
        "The model ViT-B-32/laion2b_s34b_b79k is not downloaded and there is no internet "
        "connection. Connect once to download it (605 MB), or start with --model demo."
    )
    fake_library.model_error = ModelUnavailableError(message, details="HF cache miss")
    window = make_window(qtbot, fake_library, load_model=False)
    window.start()
    qtbot.waitUntil(lambda: window.model_presenter.state == "unavailable", timeout=3000)
    assert window.model_banner.isVisible()
    assert message in window.model_banner.text.text()
    assert "unavailable" in window.status_line.model_label.text()
    window.model_banner.copy_button.click()
    assert "HF cache miss" in QGuiApplication.clipboard().text()
    # Searching explains the same next step instead of waiting forever.
    window.search_bar.search_box.setText("red")
    window.search_presenter.search_now()
    assert window.search_presenter.state == SearchState.ERROR
    assert message in window.message_page.text.text()
    # Folders and settings still work.
    qtbot.waitUntil(lambda: window.folders_panel.list.count() == 2, timeout=3000)
    window.folders_panel.select(fake_library.garden)
    window.folders_panel.pause_button.click()
    qtbot.waitUntil(lambda: fake_library.calls_named("set_folder_paused") != [], timeout=3000)
    dialog = window.open_settings()
    assert message in dialog.model_status.text()
    dialog.reject()
    # Fixing the setting and retrying loads the model and runs the waiting search.
    fake_library.model_error = None
    window.model_banner.retry_button.click()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    assert not window.model_banner.isVisible()
    window.shutdown()
