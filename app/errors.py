"""Where failures go: engine errors to a dialog, the unexpected to a traceback dialog and the log.

``ErrorReporter.report`` is for the GUI thread; ``report_from_any_thread`` (used by the
excepthooks) hands the exception to the GUI thread first. ``Cancelled`` is never shown.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QWidget

from app.i18n import translate
from app.widgets.error_dialog import ErrorDialog
from engine.errors import Cancelled, EngineError

log = logging.getLogger(__name__)

MAX_OPEN_DIALOGS = 3


def user_text(exc: BaseException) -> str:
    """What to tell the user about ``exc``: an engine error's ``user_message``, else its text."""
    return getattr(exc, "user_message", None) or str(exc)


def traceback_text(exc: BaseException) -> str:
    """The formatted traceback of ``exc``."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorReporter(QObject):
    """Shows errors as non-blocking dialogs; ``dialogs`` holds the ones still open."""

    _raised = Signal(object)

    def __init__(self, parent_widget: QWidget | None = None, log_path: Path | None = None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.log_path = log_path
        self.dialogs: list[ErrorDialog] = []
        self._raised.connect(self.report, Qt.ConnectionType.QueuedConnection)

    @property
    def last_dialog(self) -> ErrorDialog | None:
        """The most recent dialog still open."""
        return self.dialogs[-1] if self.dialogs else None

    def report_from_any_thread(self, exc: BaseException) -> None:
        """Hand ``exc`` to the GUI thread to be reported."""
        self._raised.emit(exc)

    @Slot(object)
    def report(self, exc: BaseException) -> None:
        """Show ``exc`` to the user (and log it if it was unexpected)."""
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, EngineError):
            log.warning("engine error: %s | %s", exc.user_message, exc.details)
            self.show(translate("ErrorReporter", "Problem"), exc.user_message, exc.details or "")
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        message = translate(
            "ErrorReporter",
            "Something unexpected went wrong. You can keep working; if it happens again, "
            "please report it with the details below.",
        )
        if self.log_path:
            where = translate("ErrorReporter", "The details were written to %1.")
            message += " " + where.replace("%1", str(self.log_path))
        self.show(translate("ErrorReporter", "Unexpected error"), message, traceback_text(exc))

    def show(self, title: str, message: str, details: str) -> ErrorDialog | None:
        """Open an error dialog unless the same message is already showing."""
        self.dialogs = [d for d in self.dialogs if d.isVisible()]
        if any(d.message == message for d in self.dialogs) or len(self.dialogs) >= MAX_OPEN_DIALOGS:
            log.info("not showing another error dialog: %s", message)
            return None
        dialog = ErrorDialog(title, message, details, self.parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _=0, d=dialog: self._forget(d))
        self.dialogs.append(dialog)
        dialog.open()
        return dialog

    def _forget(self, dialog: ErrorDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)


def install_excepthooks(reporter: ErrorReporter) -> None:
    """Route uncaught exceptions (GUI thread and other threads) to ``reporter``."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        reporter.report_from_any_thread(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
