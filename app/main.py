"""Start the PhotoSearch desktop app: ``photosearch-gui`` or ``python -m app``.

The window is shown first; the model (torch, weights) loads in the background with its state in
the status bar. Logs go to ``<library>/logs/photosearch-app.log``; uncaught exceptions (GUI and
other threads) open a traceback dialog and are logged there too.

``open_window`` does everything but run the event loop, so a self-test can open the window
offscreen and drive it.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("app")

LOG_NAME = "photosearch-app.log"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: ``--home``, ``--model``, ``--query``, ``--language``."""
    from app.i18n import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="photosearch-gui", description="PhotoSearch: find your photos by meaning."
    )
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="library folder (default: $PHOTOSEARCH_HOME, else the user data folder)",
    )
    parser.add_argument(
        "--model",
        default=None,
        help="model spec, e.g. 'demo' or 'ViT-B-32/laion2b_s34b_b79k' "
        "(default: $PHOTOSEARCH_MODEL, else the library's setting)",
    )
    parser.add_argument("--query", default=None, help="search for this text at start")
    parser.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        default=None,
        help="the window's language (default: the one chosen in Settings, else the system's)",
    )
    parser.add_argument(
        "--demo-fallback",
        action="store_true",
        help="if the model cannot be loaded (e.g. offline), show the bundled demo model on "
        "generated demo photos instead (what `make run` does)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation headlessly (bundled demo model, temporary library), "
        "print one line and exit",
    )
    # For bench/gui_startup.py: print when the window is shown and the first results arrive
    # (as Unix times) and quit after the first results.
    parser.add_argument("--startup-report", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_logging(home: Path | None) -> Path | None:
    """Log to stderr (warnings) and, when ``home`` is known, to a rotating file in it."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    if home is None:
        return None
    path = home / "logs" / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        log.warning("cannot write the log file %s", path, exc_info=True)
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    return path


def create_application(argv: list[str] | None = None, language: str | None = None) -> Any:
    """The ``QApplication`` (created once), named, styled and translated (``language``, else
    the Settings choice, else the system language; see app.i18n)."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from app import i18n, theme

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
    from app.gc_guard import install_gc_guard

    install_gc_guard(app)
    app.setApplicationName("PhotoSearch")
    app.setApplicationDisplayName("PhotoSearch")
    app.setDesktopFileName("photosearch")
    app.setWindowIcon(theme.icon("photos", QColor("#3d7be0")))
    theme.apply_style(app)
    if language is not None or i18n.installed_language() is None:
        i18n.install(language)
    return app


@dataclass
class Session:
    """What ``open_window`` made: the app and the window (its library opens in the background)."""

    app: Any
    window: Any
    log_path: Path | None = None

    @property
    def library(self) -> Any:
        """The open library, or None while it is still opening (or could not be opened)."""
        return self.window.library

    def close(self) -> None:
        """Stop background work and close the library."""
        self.window.shutdown()
        if self.window.library is not None:
            self.window.library.close()


def open_window(home: Path | None = None, model: str | None = None, show: bool = True) -> Session:
    """Show the main window at once; the library opens in the background after the first paint,
    then the model starts loading. Logging to the library folder starts when it is open.
    """
    from app.engine_access import open_library
    from app.errors import install_excepthooks
    from app.windows.main_window import MainWindow

    app = create_application()
    window = MainWindow(None)
    install_excepthooks(window.reporter)
    session = Session(app, window)

    def opened(library: Any) -> None:
        session.log_path = setup_logging(Path(library.home))
        window.reporter.log_path = session.log_path
        log.info("PhotoSearch started; library %s", library.home)

    window.library_opened.connect(opened)
    if show:
        window.show()
    window.open_library(lambda: open_library(home, model))
    return session


def _report_startup(session: Session, query: str | None) -> None:
    """Print when the window is first painted and when the first results arrive, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    from app.startup_report import FIRST_RESULTS, WINDOW_SHOWN

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                print(f"{WINDOW_SHOWN} {time.time():.6f}", flush=True)
                session.app.removeEventFilter(self)
            return False

    watcher = FirstPaint(session.window)
    session.app.installEventFilter(watcher)
    if session.window.isVisible():
        session.window.update()

    def results(hits: list[Any]) -> None:
        if hits:
            print(f"{FIRST_RESULTS} {time.time():.6f} {len(hits)}", flush=True)
            QTimer.singleShot(0, session.app.quit)

    session.window.search_presenter.results_ready.connect(results)
    if not query:
        QTimer.singleShot(500, session.app.quit)


def _cannot_open(session: Session, exc: BaseException) -> None:
    """The library could not be opened (locked, bad --model): explain, then quit with 2."""
    from app.errors import traceback_text
    from app.i18n import translate
    from app.widgets.error_dialog import ErrorDialog

    message = getattr(exc, "user_message", None)
    details = getattr(exc, "details", "") if message else traceback_text(exc)
    log.error("cannot open the library: %s", message or exc, exc_info=message is None and exc)
    dialog = ErrorDialog(
        translate("Main", "PhotoSearch cannot start"),
        message or f"{type(exc).__name__}: {exc}",
        details,
        session.window,
    )
    dialog.exec()
    session.app.exit(2)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``photosearch-gui``."""
    multiprocessing.freeze_support()
    args = parse_args(argv)
    if args.self_test:
        from app.self_test import run_self_test

        code = run_self_test()
        # The verdict is printed. Native thread pools (ONNX Runtime's, dlib's, torch's, Qt's)
        # can abort the process while the interpreter tears them down ("terminate called
        # without an active exception"), which would turn a passed check into a crash: end
        # here, without that teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    setup_logging(None)
    app = create_application(language=args.language)
    session = open_window(args.home, args.model)
    session.window.report_open_failure = False
    session.window.open_failed.connect(lambda exc: _cannot_open(session, exc))
    if args.demo_fallback:
        from app.demo_fallback import install_demo_fallback

        install_demo_fallback(session.window)
    if args.startup_report:
        _report_startup(session, args.query)
    if args.query:
        session.window.search_bar.search_box.setText(args.query)
        session.window.search_presenter.search_now()
    try:
        code = int(app.exec())
    finally:
        session.close()
        logging.shutdown()
    if args.startup_report:
        # A measurement run whose report is printed: as with --self-test, end without the
        # interpreter's teardown, in which native thread pools can abort the process
        # ("terminate called without an active exception": 2 of ~30 frozen lean runs).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
