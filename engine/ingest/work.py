"""One file on its way through an indexing or analysis pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.analyses.base import Analysis
    from engine.ingest.scan import ScannedFile
    from engine.store.catalog import PhotoRecord, PhotoRow


@dataclass
class PhotoWork:
    """A photo and the analyses to run on it.

    In the indexing pass ``scanned``/``existing``/``record`` describe the file and its catalog
    row (the writer writes the row first); in a background pass the row exists already and
    ``photo_id`` names it.
    """

    path: str
    content_hash: str | None = None
    pending: list[Analysis] = field(default_factory=list)
    photo_id: int | None = None  # known in background passes
    folder_id: int | None = None
    scanned: ScannedFile | None = None
    existing: PhotoRow | None = None
    record: PhotoRecord | None = None  # the row the indexing pass writes
    move_from: int | None = None  # photo id of a vanished row with the same content
    error: str | None = None  # the file could not be read: a failed photo
    vanished: bool = False
    prepared: dict[str, Any] = field(default_factory=dict)  # heavy analyses' inputs
    results: dict[str, Any] = field(default_factory=dict)  # name -> result or AnalysisFailed
    computed: bool = False  # went through a model (not only reused results)

    @property
    def needs_compute(self) -> bool:
        """Whether a heavy analysis still has to run on it."""
        return bool(self.prepared)
