"""The metadata and captions analysis: what a photo's file says about it.

Dimensions, capture time, camera and GPS from EXIF (and the other formats' equivalents), plus
the captions embedded in the file or written beside it (EXIF, XMP, IPTC, ``.xmp``/``.txt``
sidecars, Google Takeout ``.json``; :mod:`engine.media.caption_sources`). It is keyed by photo,
not content: a sidecar can change while the photo's bytes do not, so it runs whenever the
photo is (re)read, which the photo's change stamp (mtime moved on by its sidecars) decides.

The capture time comes from :func:`engine.media.dates.capture_time` (EXIF, then XMP embedded
or in a sidecar, then IPTC, then the file's own time, recorded as such); ``photos.taken_at``
holds the local time (it sorts and filters) and ``photo_dates`` its source, UTC offset and the
values ignored on the way with why. ``photo_dates`` is also this analysis's per-photo version
state: raising :attr:`MetadataAnalysis.version` makes every photo be read again.

The user's own captions are not touched here (:mod:`engine.store.captions` keeps them apart).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.analyses.base import Analysis, Needs, PhotoInput
from engine.analyses.registry import register
from engine.media import imaging
from engine.media.caption_sources import PhotoCaption, read_photo_captions
from engine.media.dates import CaptureTime, CaptureTimeResult, capture_time, implausible
from engine.store.captions import store_photo_captions


@dataclass(frozen=True)
class FileFacts:
    """The metadata analysis's result for one photo."""

    metadata: imaging.PhotoMetadata
    captions: list[PhotoCaption]
    date: CaptureTimeResult | None = None


SCHEMA = ["""
CREATE TABLE IF NOT EXISTS photo_dates (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    version TEXT NOT NULL,      -- the metadata analysis's version that read it
    source TEXT,                -- exif, xmp, iptc, file (NULL: no usable date at all)
    utc_offset TEXT,            -- "+01:00" when the file says
    rejected TEXT               -- JSON list of ignored dates with why
);
"""]


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
        return "2"  # 2: capture time from XMP, IPTC and the file's time, with its source

    def needs(self) -> Needs:
        return Needs(file=True)

    def schema(self) -> list[str]:
        return SCHEMA

    def prepare(self, photo: PhotoInput) -> FileFacts:
        metadata = photo.metadata or imaging.read_metadata(photo.path)
        date = capture_time(photo.path)
        if (metadata.taken_at and photo.path.suffix.lower() in imaging.RAW_EXTENSIONS
                and (date.time is None or date.time.source == "file")
                and implausible(datetime.fromisoformat(metadata.taken_at), datetime.now())
                is None):
            # A RAW file's EXIF, read by the RAW decoder (Pillow cannot open it).
            date = CaptureTimeResult(CaptureTime(metadata.taken_at, None, "exif"),
                                     date.rejected)
        if (metadata.taken_at and imaging.is_video_path(photo.path)
                and (date.time is None or date.time.source == "file")):
            # A video's container time (QuickTime creation date) beats the file's own time.
            date = CaptureTimeResult(CaptureTime(metadata.taken_at, None, "container"),
                                     date.rejected)
        return FileFacts(metadata, read_photo_captions(photo.path), date)

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        meta: imaging.PhotoMetadata = result.metadata
        date: CaptureTimeResult | None = result.date
        when = date.time if date is not None else None
        conn.execute(
            "UPDATE photos SET width = ?, height = ?, taken_at = ?, camera_make = ?, "
            "camera_model = ?, gps_lat = ?, gps_lon = ? WHERE id = ?",
            (meta.width, meta.height, when.local if when else meta.taken_at, meta.camera_make,
             meta.camera_model, meta.gps_lat, meta.gps_lon, photo_id))
        conn.execute(
            "INSERT OR REPLACE INTO photo_dates(photo_id, version, source, utc_offset, "
            "rejected) VALUES (?, ?, ?, ?, ?)",
            (photo_id, self.version, when.source if when else None,
             when.offset if when else None,
             json.dumps(list(date.rejected)) if date is not None and date.rejected else None))
        store_photo_captions(conn, photo_id, result.captions)

    def photos_covered_sql(self) -> tuple[str, list[Any]] | None:
        return "SELECT photo_id FROM photo_dates WHERE version = ?", [self.version]

    def forget_orphans(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM photo_dates WHERE photo_id NOT IN (SELECT id FROM photos)")

    def record_state(self, conn: sqlite3.Connection, content_hash: str,
                     error: str | None) -> None:
        """Keyed by photo: the photo's own row (size, change stamp) is its state."""
