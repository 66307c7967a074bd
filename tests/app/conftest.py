"""pytest-qt fixtures for the app: offscreen Qt, a fake engine, and a ready main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_library import FakeLibrary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _translations(qapp, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Build the .qm files from the committed .ts if stale (i18n.install does), keep QSettings
    (the Language choice) in a temporary folder, and show the app in English: tests assert
    English text unless they ask for another language (the ``ui_language`` fixture)."""
    from PySide6.QtCore import QSettings

    from app import i18n

    settings_dir = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    i18n.install("en")
    yield
    i18n.install("en")


@pytest.fixture
def ui_language(request):  # type: ignore[no-untyped-def]
    """Run a test with the app in a language: parametrize with ``indirect=True`` (e.g.
    ``["en", "zh_CN"]``); English is put back afterwards."""
    from app import i18n

    language = getattr(request, "param", "en")
    i18n.install(language)
    yield language
    i18n.install("en")


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread(qapp):  # type: ignore[no-untyped-def]
    """As the app does (app/gc_guard.py): garbage holding Qt objects must never be collected
    by a worker thread, or Qt crashes."""
    from app.gc_guard import install_gc_guard

    install_gc_guard(qapp)


@pytest.fixture(scope="session", autouse=True)
def _empty_clipboard_at_exit(qapp):  # type: ignore[no-untyped-def]
    """Qt's offscreen platform crashes at exit if the clipboard still owns data a test put
    there (Copy path, Copy image): empty it while the application is alive."""
    yield
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().clear()
    qapp.processEvents()


@pytest.fixture
def fake_library(tmp_path: Path) -> Iterator[FakeLibrary]:
    """A FakeLibrary with one indexed folder of 12 small photos."""
    lib = FakeLibrary(tmp_path, photos=12, with_folder=True)
    yield lib
    lib.close()


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[FakeLibrary]:
    """A FakeLibrary with no folders (the first-run state)."""
    lib = FakeLibrary(tmp_path, photos=6, with_folder=False)
    yield lib
    lib.close()


def make_window(qtbot, library, *, load_model: bool = True):  # type: ignore[no-untyped-def]
    """A shown MainWindow over ``library``, with its model loaded (waits for it)."""
    from app.windows.main_window import MainWindow

    window = MainWindow(library)
    qtbot.addWidget(window)
    window.show()
    if load_model:
        window.start()
        qtbot.waitUntil(lambda: window.model_presenter.state == "ready", timeout=5000)
    return window


@pytest.fixture
def window(qtbot, fake_library):  # type: ignore[no-untyped-def]
    """The main window over the fake library, model ready, folders loaded."""
    win = make_window(qtbot, fake_library)
    qtbot.waitUntil(lambda: bool(win.library_presenter.folders), timeout=5000)
    # The catch-up indexing run at start (nothing to do here) must be over before tests act.
    qtbot.waitUntil(
        lambda: not win.index_on_start and not win.index_presenter.running, timeout=5000
    )
    yield win
    win.shutdown()


def send_drop(window, mime):  # type: ignore[no-untyped-def]
    """Drag ``mime`` over the window and drop it, as a file manager or browser does.

    Returns the (accepted or not) drop event. The drag-enter is needed: Qt delivers a drop only
    to the widget that accepted the drag.
    """
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(window.stack.width() / 2, window.stack.height() / 2)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(window, drop)
    return drop
