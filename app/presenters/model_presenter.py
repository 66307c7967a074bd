"""The model's loading state: loading in the background, ready, or unavailable and why."""

from __future__ import annotations

import logging
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from app.bridge import EngineBridge, JobHandle
from engine.errors import Cancelled, EngineError

log = logging.getLogger(__name__)


class ModelState(StrEnum):
    """Where the model stands."""

    NOT_LOADED = "not_loaded"
    LOADING = "loading"
    READY = "ready"
    UNAVAILABLE = "unavailable"


class ModelPresenter(QObject):
    """Loads the model through the bridge and tells the window how it is going.

    ``state_changed(state, text)``: ``text`` is the load step while loading, the model's
    description when ready, and the engine's ``user_message`` (the exact next step) when it is
    unavailable; ``details`` then holds the technical context for "Copy details".
    """

    state_changed = Signal(str, str)
    error = Signal(object)  # an unexpected exception for the traceback dialog

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.state = ModelState.NOT_LOADED
        self.text = "Model not loaded"
        self.details = ""
        self._job: JobHandle | None = None
        self._reload = False

    def load(self) -> None:
        """Load (or reload, after a settings change) the model in the background."""
        if self.state is ModelState.LOADING:
            self._reload = True
            return
        library = self._bridge.library
        self._set(ModelState.LOADING, "Loading the model…")
        self._job = self._bridge.start_job(
            lambda report: library.load_model(on_progress=report),
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_error=self._on_error,
        )

    def _on_progress(self, step: str) -> None:
        if self.state is ModelState.LOADING:
            self._set(ModelState.LOADING, f"Loading the model: {step}")

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
            self._set(ModelState.NOT_LOADED, "Model not loaded")
            return
        if isinstance(exc, EngineError):
            self.details = exc.details or str(exc)
            self._set(ModelState.UNAVAILABLE, exc.user_message)
            return
        log.error("loading the model failed", exc_info=exc)
        self.details = f"{type(exc).__name__}: {exc}"
        self._set(
            ModelState.UNAVAILABLE, f"The model could not be loaded ({type(exc).__name__}: {exc})."
        )
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
