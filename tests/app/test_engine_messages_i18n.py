"""The engine's own messages reach the window in the app's language: the app sets the engine's
message language with its own (app.i18n.install -> engine.errors.set_message_language), so an
EngineError from the real engine is shown in Chinese under zh_CN, and in English otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_window

from app.i18n import translate
from engine.api import Library
from engine.errors import message_language


@pytest.fixture
def real_library(tmp_path: Path):  # type: ignore[no-untyped-def]
    library = Library.open(home=tmp_path / "home", model="demo")
    yield library
    library.close()


@pytest.mark.parametrize("ui_language", ["en", "zh_CN"], indirect=True)
def test_an_engine_error_is_shown_in_the_app_language(ui_language, qtbot, tmp_path,
                                                      real_library):  # type: ignore[no-untyped-def]
    assert message_language() == ui_language
    window = make_window(qtbot, real_library, load_model=False)
    missing = tmp_path / "gone"
    window.ask_folder = lambda: missing
    window.add_folder()  # the real engine raises: the folder does not exist
    qtbot.waitUntil(lambda: window.reporter.last_dialog is not None, timeout=10000)
    dialog = window.reporter.last_dialog
    assert dialog.windowTitle() == translate("ErrorReporter", "Problem")
    if ui_language == "zh_CN":
        assert dialog.message == f"文件夹 {missing} 不存在，或者不是文件夹。"
        assert dialog.windowTitle() != "Problem"
    else:
        assert dialog.message == f"The folder {missing} does not exist or is not a folder."
    dialog.close()
    window.shutdown()


@pytest.mark.parametrize("ui_language", ["zh_CN"], indirect=True)
def test_a_photos_failure_reason_is_recorded_in_the_app_language(
        ui_language, tmp_path, real_library) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "empty.jpg").write_bytes(b"")
    real_library.add_folder(folder)
    report = real_library.index().result(timeout=300)
    assert [f.reason for f in report.failures] == ["文件为空（0 字节）"]
