"""The model's loading state: downloading or loading in the background, ready, cancelled, or
unavailable and why."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.bridge import EngineBridge, JobHandle
from app.i18n import translate
from app.model_messages import cancelled_text, download_text, unavailable_text
from engine.errors import Cancelled, EngineError

log = logging.getLogger(__name__)


class ModelState(StrEnum):
    """Where the model stands."""

    NOT_LOADED = "not_loaded"
    DOWNLOADING = "downloading"  # weights arriving from the Hub (see download_progress)
    LOADING = "loading"
    READY = "ready"
    CANCELLED = "cancelled"  # the user stopped a download
    UNAVAILABLE = "unavailable"


BUSY = (ModelState.LOADING, ModelState.DOWNLOADING)


class ModelPresenter(QObject):
    """Loads the model through the bridge and tells the window how it is going.

    ``state_changed(state, text)``: ``text`` is the load step while loading, the model's
    description when ready, and why it is unavailable with the next step (worded for the
    window by :mod:`app.model_messages`); ``details`` then holds the technical context for
    "Copy details". While downloading, ``download_progress(progress)`` carries each engine
    ``ModelProgress`` (bytes done and total); ``cancel()`` stops the download.
    """

    state_changed = Signal(str, str)
    download_progress = Signal(object)  # engine.api.ModelProgress, phase "download"
    error = Signal(object)  # an unexpected exception for the traceback dialog

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.state = ModelState.NOT_LOADED
        self.text = translate("ModelPresenter", "Model not loaded")
        self.details = ""
        self.progress: Any = None  # the latest download progress
        self._job: JobHandle | None = None
        self._reload = False
        self._cancelling = False

    @property
    def model(self) -> str:
        """The model spec the library uses."""
        library = self._bridge.library
        return str(getattr(library, "model_spec", None) or library.settings.model)

    def load(self) -> None:
        """Load (or reload, after a settings change) the model in the background."""
        if self.state in BUSY:
            self._reload = True
            return
        library = self._bridge.library
        self._cancelling = False
        self.progress = None
        self._set(ModelState.LOADING, translate("ModelPresenter", "Loading the model…"))
        self._job = self._bridge.start_job(
            lambda report: library.load_model(on_progress=report),
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def switch(self) -> None:
        """The model or device setting changed: stop what is under way (the old model's
        download) and load anew."""
        if self._job is not None and self.state in BUSY:
            self._reload = True  # the stopped job's end starts the new load (see _again)
            self._cancelling = False
            self._job.cancel()
            return
        self.load()

    def cancel(self) -> None:
        """Stop the download or load under way (the state becomes CANCELLED)."""
        if self._job is None or self.state not in BUSY:
            return
        self._reload = False
        self._cancelling = True
        self._job.cancel()

    def _on_progress(self, progress: Any) -> None:
        if self.state not in BUSY or self._cancelling:
            return
        if getattr(progress, "phase", None) == "download":
            self.progress = progress
            if self.state is not ModelState.DOWNLOADING:
                self._set(ModelState.DOWNLOADING, download_text(progress))
            self.text = download_text(progress)
            self.download_progress.emit(progress)
        elif getattr(progress, "phase", None) == "load":
            if self.state is not ModelState.LOADING:
                self._set(ModelState.LOADING, translate("ModelPresenter", "Loading the model…"))
        else:
            self._set(ModelState.LOADING, translate(
                "ModelPresenter", "Loading the model: %1").replace("%1", str(progress)))

    def _on_done(self, description: str) -> None:
        self._job = None
        if self._again():
            return
        self.details = ""
        self._set(ModelState.READY, str(description))

    def _on_error(self, exc: BaseException) -> None:
        self._job = None
        if self._again():
            return
        if isinstance(exc, Cancelled):
            if self._cancelling:  # the user's cancel, not the window closing
                self.details = ""
                self._set(ModelState.CANCELLED, cancelled_text(self.model))
            else:
                self._set(ModelState.NOT_LOADED, translate("ModelPresenter", "Model not loaded"))
            return
        if isinstance(exc, EngineError):
            self.details = "\n".join(p for p in (exc.user_message, exc.details) if p)
            self._set(ModelState.UNAVAILABLE, unavailable_text(exc, self.model))
            return
        log.error("loading the model failed", exc_info=exc)
        self.details = f"{type(exc).__name__}: {exc}"
        self._set(ModelState.UNAVAILABLE, unavailable_text(exc, self.model))
        self.error.emit(exc)

    def _again(self) -> bool:
        if self._reload:
            self._reload = False
            self.state = ModelState.NOT_LOADED
            self.load()
            return True
        return False

    def _set(self, state: ModelState, text: str) -> None:
        self.state = state
        self.text = text
        self.state_changed.emit(str(state), text)
