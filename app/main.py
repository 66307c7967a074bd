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
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("app")

LOG_NAME = "photosearch-app.log"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line: ``--home``, ``--model``, ``--query``."""
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


def create_application(argv: list[str] | None = None) -> Any:
    """The ``QApplication`` (created once), named and styled."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from app import theme

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0], *(argv or [])])
    app.setApplicationName("PhotoSearch")
    app.setApplicationDisplayName("PhotoSearch")
    app.setDesktopFileName("photosearch")
    app.setWindowIcon(theme.icon("photos", QColor("#3d7be0")))
    theme.apply_style(app)
    return app


@dataclass
class Session:
    """What ``open_window`` made: the app, the library, the window and the log file."""

    app: Any
    library: Any
    window: Any
    log_path: Path | None

    def close(self) -> None:
        """Stop background work and close the library."""
        self.window.shutdown()
        self.library.close()


def open_window(home: Path | None = None, model: str | None = None, show: bool = True) -> Session:
    """Open the library and show the main window; the model starts loading in the background.

    Raises ``EngineError`` if the library cannot be opened (e.g. locked by another process).
    """
    from app.errors import install_excepthooks
    from app.windows.main_window import MainWindow
    from engine.api import Library

    app = create_application()
    library = Library.open(home=home, model=model)
    log_path = setup_logging(Path(library.home))
    log.info("PhotoSearch starting; library %s", library.home)
    window = MainWindow(library, log_path=log_path)
    install_excepthooks(window.reporter)
    if show:
        window.show()
    window.start()
    return Session(app, library, window, log_path)


def _report_startup(session: Session, query: str | None) -> None:
    """Print when the window is painted and when the first results arrive, then quit."""
    from PySide6.QtCore import QTimer

    window = session.window

    def shown() -> None:
        print(f"window_shown_at {time.time():.6f}", flush=True)

    QTimer.singleShot(0, shown)  # runs once the event loop has shown and painted the window

    def results(hits: list[Any]) -> None:
        if hits:
            print(f"first_results_at {time.time():.6f} {len(hits)}", flush=True)
            QTimer.singleShot(0, session.app.quit)

    window.search_presenter.results_ready.connect(results)
    if not query:
        QTimer.singleShot(0, session.app.quit)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``photosearch-gui``."""
    multiprocessing.freeze_support()
    args = parse_args(argv)
    if args.self_test:
        from app.self_test import run_self_test

        return run_self_test()
    setup_logging(None)
    app = create_application()
    from engine.errors import EngineError

    try:
        session = open_window(args.home, args.model)
    except EngineError as exc:
        from app.widgets.error_dialog import ErrorDialog

        log.error("cannot open the library: %s | %s", exc.user_message, exc.details)
        ErrorDialog("PhotoSearch cannot start", exc.user_message, exc.details).exec()
        return 2
    if args.startup_report:
        _report_startup(session, args.query)
    if args.query:
        session.window.search_bar.search_box.setText(args.query)
        session.window.search_presenter.search_now()
    try:
        return int(app.exec())
    finally:
        session.close()
        logging.shutdown()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
