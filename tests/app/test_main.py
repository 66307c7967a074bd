"""Start-up: the GUI path does not import torch, the command line, ``python -m app --help``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.main import open_window, parse_args

ROOT = Path(__file__).resolve().parents[2]


def test_gui_modules_do_not_import_torch_or_open_clip():  # type: ignore[no-untyped-def]
    code = (
        "import sys, app.main, app.windows.main_window, app.bridge;"
        "print(sorted(m for m in ('torch', 'open_clip') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"


def test_python_m_app_help():  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [sys.executable, "-m", "app", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--home" in out.stdout and "--model" in out.stdout
    assert "--startup-report" not in out.stdout


def test_command_line_options():  # type: ignore[no-untyped-def]
    args = parse_args(["--home", "/tmp/lib", "--model", "demo", "--query", "beach"])
    assert args.home == Path("/tmp/lib") and args.model == "demo" and args.query == "beach"
    assert parse_args([]).home is None


def test_window_paints_before_the_library_opens_and_explains_a_bad_model(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    session = open_window(home=tmp_path / "home", model="no-such-model")
    window = session.window
    qtbot.addWidget(window)
    failures: list[BaseException] = []
    window.open_failed.connect(failures.append)
    assert window.isVisible() and window.library is None
    assert window.message_page.title.text() == "Opening your library…"
    assert not window.folders_panel.isEnabled()
    qtbot.waitUntil(lambda: failures != [], timeout=10000)
    assert "is not a model spec PhotoSearch knows" in window.message_page.text.text()
    assert window.reporter.last_dialog is not None
    assert "demo" in window.reporter.last_dialog.message  # the engine's hint lists the forms
    session.close()


def test_start_warms_up_query_understanding_off_the_engine_lane(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    """The date parser loads while the model does, so the first typed search doesn't wait."""
    qtbot.waitUntil(lambda: bool(fake_library.calls_named("warm_up")), timeout=5000)
