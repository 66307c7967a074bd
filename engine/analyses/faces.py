"""The faces analysis: the faces in each photo, grouped into people.

A background analysis (after the meaning pass). Per photo, keyed by content hash (moves,
renames and duplicates reuse it):

- ``compute`` (the pass's thread): dlib finds the faces, their 5 landmarks and a 128-d
  descriptor (:mod:`engine.models.faces`);
- ``store`` (the writer's transaction): replaces the photo's computed rows (``face_runs``,
  ``faces``) and re-points the user's decisions about its faces at the recomputed faces
  (:func:`engine.analyses.people.reattach_rows`: a decision is never deleted here);
- ``written`` (after the commit, on the writer's thread, one transaction): **incremental
  grouping**: each new described face joins the person of its nearest face within the measured
  threshold, or starts a new person (:func:`engine.analyses.people.assign_faces`). Faces a
  crash left ungrouped are picked up by the next batch. **Periodic re-clustering**: when the
  faces grouped since the last re-clustering reach a quarter of all described faces (and at
  least :data:`RECLUSTER_MIN_NEW`), Chinese whispers regroups everything
  (:func:`engine.analyses.people.recluster`); it merges computed groups only, never moves a
  face the user placed, never merges people the user named, never undoes a "not this person".

Names, merges, "not this person" and hidden people are the user's data
(:mod:`engine.analyses.people`, tables created by ``catalog.apply_schema("people", ...)``):
they survive a re-index, a model change, moves and ``kill -9``. Switched off by
``Settings.disabled_analyses`` containing ``"faces"``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.analyses import people
from engine.analyses.base import Analysis, AnalysisContext, Needs, PhotoInput, Written
from engine.analyses.registry import register
from engine.models.faces import Face, FaceReader

log = logging.getLogger(__name__)

# Re-cluster once the faces grouped since the last time reach this share of all faces ...
RECLUSTER_SHARE = 0.25
# ... and at least this many (small libraries do not re-cluster after every photo).
RECLUSTER_MIN_NEW = 20

FACES_SCHEMA = ["""
CREATE TABLE IF NOT EXISTS face_runs (
    content_hash TEXT PRIMARY KEY,      -- the photo's bytes: moves and renames keep it
    version TEXT NOT NULL,              -- FaceReader.version(): a change re-runs the photo
    image_width INTEGER NOT NULL,       -- the oriented photo the boxes refer to
    image_height INTEGER NOT NULL,
    face_count INTEGER NOT NULL         -- 0 is a result too: analysed, no faces
);
CREATE TABLE IF NOT EXISTS faces (
    content_hash TEXT NOT NULL REFERENCES face_runs(content_hash) ON DELETE CASCADE,
    face_index INTEGER NOT NULL,        -- rank in the photo, best detector score first
    box_left INTEGER NOT NULL,          -- pixels of the oriented photo (face_runs' size)
    box_top INTEGER NOT NULL,
    box_right INTEGER NOT NULL,
    box_bottom INTEGER NOT NULL,
    score REAL NOT NULL,
    landmarks BLOB NOT NULL,            -- float32[10]: five (x, y)
    descriptor BLOB,                    -- float32[128], NULL when too small to recognise
    PRIMARY KEY (content_hash, face_index)
);
CREATE INDEX IF NOT EXISTS faces_described ON faces(content_hash) WHERE descriptor IS NOT NULL;
"""]


@dataclass(frozen=True)
class FacesResult:
    """One photo's faces and the size of the image their boxes refer to."""

    size: tuple[int, int]
    faces: list[Face]


@register
class FacesAnalysis(Analysis):
    """Finds faces and groups them into people."""

    name = "faces"
    title = "faces"
    stage = "background"
    batch_size = 4

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        reader = context.services.get("face_reader")
        self.reader: FaceReader = reader() if callable(reader) else reader or FaceReader()
        self._new_since_recluster = 0
        people.ensure_schema(self.catalog)

    @property
    def version(self) -> str:
        return self.reader.version()

    def needs(self) -> Needs:
        # Short side 2250 (3000 px long on a 4:3 photo): faces of 2% of the long side keep
        # ~60 px for the descriptor, which reads these pixels around each face.
        return Needs(image_side=2250)

    def schema(self) -> list[str]:
        return FACES_SCHEMA

    def result_tables(self) -> list[str]:
        return ["faces", "face_runs"]

    def load(self) -> None:
        """Load the models; ModelUnavailableError (with the pip command) when missing."""
        self.reader.load()

    def prepare(self, photo: PhotoInput) -> Any:
        assert photo.image is not None
        return photo.image

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        return [FacesResult(image.size, self.reader.faces(image)) for image in prepared]

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        store_faces(conn, content_hash, self.version, result.size, result.faces)
        people.reattach_rows(conn, content_hash)

    def written(self, photos: Sequence[Written]) -> None:
        """Group the new faces (and any a crash left ungrouped); re-cluster now and then."""
        with self.catalog.transaction() as conn:
            hashes = {w.content_hash for w in photos if w.result is not None}
            hashes.update(people.unassigned_hashes(conn))
            for content_hash in sorted(hashes):
                self._new_since_recluster += len(people.assign_faces(conn, content_hash))
            total = people.described_count(conn)
            if self._new_since_recluster >= max(RECLUSTER_MIN_NEW, RECLUSTER_SHARE * total):
                people.recluster(conn, self.version)
                self._new_since_recluster = 0

    def forget_orphans(self, conn: sqlite3.Connection) -> None:
        super().forget_orphans(conn)
        people.forget_orphans(conn)

    def clear_results(self, conn: sqlite3.Connection) -> None:
        super().clear_results(conn)
        people.forget_orphans(conn)


def store_faces(conn: sqlite3.Connection, content_hash: str, version: str,
                size: tuple[int, int], faces: Sequence[Face]) -> None:
    """Replace the computed faces of one photo (call inside the writer's transaction)."""
    conn.execute("DELETE FROM faces WHERE content_hash = ?", (content_hash,))
    conn.execute("DELETE FROM face_runs WHERE content_hash = ?", (content_hash,))
    conn.execute("INSERT INTO face_runs VALUES (?, ?, ?, ?, ?)",
                 (content_hash, version, size[0], size[1], len(faces)))
    conn.executemany(
        "INSERT INTO faces VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(content_hash, index, *face.box, face.score,
          np.asarray(face.landmarks5, dtype=np.float32).tobytes(),
          None if face.descriptor is None else face.descriptor.astype(np.float32).tobytes())
         for index, face in enumerate(faces)])
