"""The metadata and captions analysis: what a photo's file says about it.

Dimensions, capture time, camera and GPS from EXIF (and the other formats' equivalents), plus
the captions embedded in the file or written beside it (EXIF, XMP, IPTC, ``.xmp``/``.txt``
sidecars, Google Takeout ``.json``; :mod:`engine.media.caption_sources`). It is keyed by photo,
not content: a sidecar can change while the photo's bytes do not, so it runs whenever the
photo is (re)read, which the photo's change stamp (mtime moved on by its sidecars) decides.

The user's own captions are not touched here (:mod:`engine.store.captions` keeps them apart).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from engine.analyses.base import Analysis, Needs, PhotoInput
from engine.analyses.registry import register
from engine.media import imaging
from engine.media.caption_sources import PhotoCaption, read_photo_captions
from engine.store.captions import store_photo_captions


@dataclass(frozen=True)
class FileFacts:
    """The metadata analysis's result for one photo."""

    metadata: imaging.PhotoMetadata
    captions: list[PhotoCaption]


@register
class MetadataAnalysis(Analysis):
    """Reads a photo's metadata and captions."""

    name = "metadata"
    title = "metadata and captions"
    stage = "meaning"
    keyed_by = "photo"
    can_disable = False

    @property
    def version(self) -> str:
        return "1"

    def needs(self) -> Needs:
        return Needs(file=True)

    def prepare(self, photo: PhotoInput) -> FileFacts:
        metadata = photo.metadata or imaging.read_metadata(photo.path)
        return FileFacts(metadata, read_photo_captions(photo.path))

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        meta: imaging.PhotoMetadata = result.metadata
        conn.execute(
            "UPDATE photos SET width = ?, height = ?, taken_at = ?, camera_make = ?, "
            "camera_model = ?, gps_lat = ?, gps_lon = ? WHERE id = ?",
            (meta.width, meta.height, meta.taken_at, meta.camera_make, meta.camera_model,
             meta.gps_lat, meta.gps_lon, photo_id))
        store_photo_captions(conn, photo_id, result.captions)

    def record_state(self, conn: sqlite3.Connection, content_hash: str,
                     error: str | None) -> None:
        """Keyed by photo: the photo's own row (size, change stamp) is its state."""
