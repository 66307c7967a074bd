"""Typed errors that carry a message meant for the user.

Every error the engine raises on purpose is an :class:`EngineError` whose ``user_message`` says
what happened and what to do next. The CLI prints it on one line; the app shows it in a dialog.
Messages are written in the language :func:`set_message_language` chose (engine/i18n.py).
"""

from __future__ import annotations

from engine import i18n


def set_message_language(language: str | None) -> str:
    """Write user messages in ``language`` (``"zh_CN"``, ``"es"``, ``"ja"``, ``"en"``, or a
    locale name); None follows the system locale. Returns the language in use.

    Here beside the errors (and re-exported by :mod:`engine.api`) so that the app can set it
    before the window paints, without loading the facade; see :func:`engine.i18n.set_language`.
    """
    return i18n.set_language(language)


def message_language() -> str:
    """The language user messages are written in now (``"en"`` unless set)."""
    return i18n.current_language()


class EngineError(Exception):
    """An expected failure with a message fit to show a user.

    ``details`` holds technical context (paths, original exception text) for "Copy details".
    """

    def __init__(self, user_message: str, details: str = "") -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.details = details


class ModelUnavailableError(EngineError):
    """The model's weights are missing or cannot be loaded.

    ``reason`` says why in a word, for callers that explain it in their own words (the app has
    no command line to point at): one of the constants below.
    """

    OFFLINE = "offline"  # weights not on this computer and the Hub is out of reach
    DOWNLOAD_FAILED = "download_failed"  # the Hub answered but the download did not work
    FOLDER = "folder"  # a local model folder that is missing, incomplete or unreadable
    UNKNOWN_MODEL = "unknown_model"  # open_clip has no such pretrained weights
    DEVICE = "device"  # the requested device (GPU) is not available
    LOAD_FAILED = "load_failed"  # anything else

    def __init__(self, user_message: str, details: str = "", reason: str = LOAD_FAILED,
                 endpoint: str = "") -> None:
        super().__init__(user_message, details)
        self.reason = reason
        self.endpoint = endpoint  # the Hub address a download was tried from, if one was


class InvalidModelSpecError(EngineError):
    """A ``--model`` value that names no known model form."""


class LibraryLockedError(EngineError):
    """Another process is writing to the same library."""


class InvalidQueryError(EngineError):
    """A search query that cannot be understood (empty, bad weight, unreadable image)."""


class PhotoReadError(EngineError):
    """One photo could not be read or decoded; recorded per file, never fatal to a run."""


class DatasetError(EngineError):
    """An evaluation dataset that is missing, malformed or does not match its images."""


class Cancelled(Exception):  # noqa: N818 - a signal, not an error condition
    """Raised inside a job when its ``cancel()`` was called; callers usually ignore it."""
