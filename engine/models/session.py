"""The library's current model: the CLIP encoder its settings name, loaded on demand, and that
model's photo vectors.

Built lazily and rebuilt when the model or device setting changes; loading (and downloading on
first use) happens on whichever thread first needs it, or in a background job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from engine.jobs import CancelToken, Job
from engine.models.clip import ClipEncoder, parse_model_spec
from engine.models.runtime import OnnxEncoder, build_encoder
from engine.records import ModelProgress
from engine.store.catalog import Catalog
from engine.store.photo_vectors import PhotoVectors

Encoder = ClipEncoder | OnnxEncoder  # one interface: torch (open_clip) or ONNX Runtime


class ModelSession:
    """One library's model and vectors, for whoever asks first."""

    def __init__(self, catalog: Catalog, home: Path, spec: Callable[[], str],
                 device: Callable[[], str], runtime: Callable[[], str] = lambda: "auto",
                 language: Callable[[], str | None] = lambda: None) -> None:
        self.catalog = catalog
        self.home = home
        self._spec = spec
        self._device = device
        self._runtime = runtime
        self._language = language
        self._encoder: Encoder | None = None
        self._vectors: PhotoVectors | None = None
        self.lock = threading.RLock()

    @property
    def encoder(self) -> Encoder:
        """The model (not necessarily loaded yet) on the runtime the settings choose."""
        with self.lock:
            if self._encoder is None:
                self._encoder = build_encoder(parse_model_spec(self._spec()), self._device(),
                                              self._runtime())
            # Set on every use: the query language is this library's (an encoder may be
            # shared, as the tests share them).
            self._encoder.language = self._language
            return self._encoder

    @property
    def loaded_encoder(self) -> Encoder | None:
        """The encoder if one was built (loaded or not), without building it."""
        return self._encoder

    @property
    def ready(self) -> bool:
        """Whether the model is loaded and its vectors are open."""
        return self._encoder is not None and self._encoder.loaded and self._vectors is not None

    def reset(self) -> None:
        """The model or device changed: the next use builds and loads anew."""
        with self.lock:
            self._encoder = None
            self._vectors = None

    def ensure_ready(self, on_progress: Callable[[ModelProgress], None] | None = None
                     ) -> Encoder:
        """The loaded encoder, its vectors open (downloading weights on first use)."""
        encoder = self.encoder.load(on_progress)
        self.vectors()
        return encoder

    def vectors(self) -> PhotoVectors:
        """The current model's photo vectors, reconciled with the catalog on first use."""
        with self.lock:
            if self._vectors is None:
                encoder = self.encoder.load()
                model_id = encoder.spec.model_id
                self._vectors = PhotoVectors.open(self.catalog, self.home, model_id,
                                                  encoder.dim)
                self.catalog.set_setting("last_model", model_id)
            return self._vectors

    @property
    def open_vectors(self) -> PhotoVectors | None:
        """The vectors if they are open (never opens them)."""
        return self._vectors

    def load_job(self, on_progress: Callable[[ModelProgress], None] | None) -> Job[str,
                                                                                   ModelProgress]:
        """Load the model and its vectors in the background; the result is its description."""

        def work(token: CancelToken, report: Callable[[ModelProgress], None]) -> str:
            report(ModelProgress("load", self._spec()))
            return self.ensure_ready(report).description

        return Job("load-model", work, on_progress).start()

    def save(self) -> None:
        """Write the vector index if it changed, and record whether it matches the catalog
        (called when the library's writes have reached the index: a run's end, closing)."""
        if self._vectors is not None:
            self._vectors.save()
            self._vectors.record_match()
