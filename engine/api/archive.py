"""Large archives: indexing on a Ray cluster and vectors on a Milvus server (mixed into
:class:`engine.api.Library`). See docs/scale.md."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.api.part import _FacadePart
from engine.i18n import _
from engine.ingest.cluster import ClusterOptions, RayIndexer
from engine.ingest.scan import DEFAULT_EXCLUDES
from engine.jobs import Job
from engine.records import IndexProgress, IndexReport
from engine.search.first_stage import FirstStage
from engine.search.milvus_stage import MilvusFirstStage
from engine.store.lock import WriterLock
from engine.store.milvus_vectors import (
    MilvusVectors,
    PublishReport,
    VectorStoreError,
    parse_vectors_uri,
)

log = logging.getLogger(__name__)

ENV_VECTORS = "PHOTOSEARCH_VECTORS"


class ArchiveFacade(_FacadePart):
    """Where the vectors are searched, publishing them, indexing on a cluster."""

    _vectors_override: str | None
    _store: MilvusVectors | None = None
    _store_lock = threading.Lock()

    @property
    def vectors_uri(self) -> str:
        """Where searches find vectors: ``--vectors``, then $PHOTOSEARCH_VECTORS, then the
        ``vectors`` setting; "" is the local index."""
        return (self._vectors_override or os.environ.get(ENV_VECTORS)
                or self._settings.vectors or "")

    def _vector_store(self) -> MilvusVectors | None:
        """The Milvus collection of the current model, connected on first use (None: local)."""
        uri = parse_vectors_uri(self.vectors_uri)
        if uri is None:
            return None
        encoder = self._model.encoder.load()
        model_id = str(encoder.spec.model_id)
        with self._store_lock:
            store = self._store
            if store is None or store.uri != uri or store.model_id != model_id:
                if store is not None:
                    store.close()
                store = self._store = MilvusVectors(uri, model_id, int(encoder.dim))
        return store

    def _remote_first_stage(self) -> FirstStage | None:
        store = self._vector_store()
        return MilvusFirstStage(self.catalog, store) if store is not None else None

    def publish(self) -> PublishReport:
        """Publish the current model's vectors (with the filterable fields) to the Milvus
        server the library names. Reads the catalog only; one writer at a time (the library's
        writer lock). Raises VectorStoreError when no server is set or it fails."""
        store = self._vector_store()
        if store is None:
            raise VectorStoreError(
                _("No vector server is set for this library: give --vectors "
                  "milvus://HOST:PORT or set the 'vectors' setting."))
        lock = WriterLock(self.home)
        lock.acquire()
        try:
            return store.publish(self.catalog)
        finally:
            lock.release()

    def index_on_cluster(self, options: ClusterOptions,
                         on_progress: Callable[[IndexProgress], None] | None = None, *,
                         retry_failed: bool = False, background: bool = True
                         ) -> Job[IndexReport, IndexProgress]:
        """As :meth:`Library.index`, with decoding and the model on the Ray cluster at
        ``options.address`` (only ever the address the user gave)."""
        def new_indexer() -> RayIndexer:
            return RayIndexer(self.catalog, self._analyses(bound=True).meaning, options,
                              model=self.model_spec, device=self.device_request,
                              runtime=self.runtime_request,
                              excludes=DEFAULT_EXCLUDES + tuple(self._settings.exclude))

        return self._runs.index(on_progress, retry_failed, background, new_indexer)

    def _close_store(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    if TYPE_CHECKING:  # what this part uses of the Library
        home: Path

        @property
        def model_spec(self) -> str: ...
        @property
        def device_request(self) -> str: ...
        @property
        def runtime_request(self) -> str: ...
