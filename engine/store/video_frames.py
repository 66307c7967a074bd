"""Videos in the catalog: what each video is (duration, codec), the frames sampled from it with
their vectors (one set per model), and how far a paused pass got through it.

The tables belong to the video analyses (:mod:`engine.analyses.video`), which create them
through their schema; search reads them here. A video is a photo row like any other (its
poster frame is its photo vector); these tables add what only a video has. They are keyed by
content hash, so a copied or moved video keeps its frames.

Frame vectors are searched exactly (one matrix product), kept in memory between queries and
reloaded when the frames change: a library's videos give thousands of frames, not millions (a
two-hour film is 720 frames at the maximum spacing).
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

import numpy as np

from engine.store.catalog import Catalog

SCHEMA = ["""
CREATE TABLE IF NOT EXISTS videos (
    content_hash TEXT PRIMARY KEY,
    duration_s REAL NOT NULL,
    codec TEXT,
    fps REAL,
    has_audio INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS video_frames (
    content_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    time_s REAL NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (content_hash, model_id, time_s)
);
CREATE INDEX IF NOT EXISTS video_frames_model ON video_frames(model_id);
-- How far the frames pass got through a video for a model (a paused pass resumes here).
CREATE TABLE IF NOT EXISTS video_progress (
    content_hash TEXT NOT NULL,
    model_id TEXT NOT NULL,
    sampled_to_s REAL NOT NULL,  -- the last sampled frame's time
    PRIMARY KEY (content_hash, model_id)
);
"""]


@dataclass(frozen=True)
class VideoMoment:
    """A video's best frame for a query: the photo id of the video, its score and when."""

    photo_id: int
    score: float
    time_s: float


def ensure_schema(catalog: Catalog) -> bool:
    """Create the video tables if they are missing; False when the catalog cannot be written
    (a read-only library: searches then see no video frames)."""
    try:
        catalog.apply_schema("analysis:video", SCHEMA)
    except sqlite3.Error:
        return False
    return True


def durations(catalog: Catalog, photo_ids: list[int]) -> dict[int, float]:
    """Photo id -> duration in seconds, for the given photos that are videos."""
    out: dict[int, float] = {}
    if not photo_ids:
        return out
    for start in range(0, len(photo_ids), 500):
        chunk = photo_ids[start:start + 500]
        try:
            rows = catalog._query(
                "SELECT p.id, v.duration_s FROM photos p JOIN videos v "
                "ON v.content_hash = p.content_hash WHERE p.id IN "
                f"({','.join('?' * len(chunk))})", chunk)
        except sqlite3.OperationalError:  # no videos table yet: nothing is a video
            return out
        out.update({int(r[0]): float(r[1]) for r in rows})
    return out


class FrameVectors:
    """One model's frame vectors, for searching (cached; reloaded after the frames change)."""

    def __init__(self, catalog: Catalog, model_id: str, dim: int) -> None:
        self.catalog = catalog
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int, int], list[str], np.ndarray, np.ndarray] | None = None

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            row = self.catalog._query(
                "SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM video_frames WHERE model_id = ?",
                [self.model_id])[0]
        except sqlite3.OperationalError:
            return None
        return int(row[0]), int(row[1]), self.catalog.data_version()

    def _load(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """(content hash per frame, frame times, vectors)."""
        stamp = self._stamp()
        if stamp is None or stamp[0] == 0:
            return [], np.zeros(0, np.float32), np.zeros((0, self.dim), np.float32)
        with self._lock:
            cache = self._cache
            if cache is not None and cache[0] == stamp:
                return cache[1], cache[2], cache[3]
        rows = self.catalog._query(
            "SELECT content_hash, time_s, vector FROM video_frames WHERE model_id = ? "
            "ORDER BY content_hash, time_s", [self.model_id])
        hashes = [r[0] for r in rows]
        times = np.asarray([r[1] for r in rows], np.float32)
        vecs = np.frombuffer(b"".join(r[2] for r in rows), np.float32).reshape(-1, self.dim)
        with self._lock:
            self._cache = (stamp, hashes, times, vecs)
        return hashes, times, vecs

    def best_moments(self, vector: np.ndarray, allowed: set[int] | None = None
                     ) -> dict[int, VideoMoment]:
        """For each searchable video (readable, online folder; among ``allowed`` photo ids
        when given): its best frame for ``vector``. Copies of one video each get it."""
        hashes, times, vecs = self._load()
        if not hashes:
            return {}
        scores = vecs @ np.asarray(vector, np.float32)
        best: dict[str, tuple[float, float]] = {}
        for h, t, s in zip(hashes, times.tolist(), scores.tolist(), strict=True):
            known = best.get(h)
            if known is None or s > known[0]:
                best[h] = (s, t)
        out: dict[int, VideoMoment] = {}
        found = list(best)
        for start in range(0, len(found), 500):
            chunk = found[start:start + 500]
            rows = self.catalog._query(
                "SELECT p.id, p.content_hash FROM photos p JOIN folders f ON f.id = p.folder_id "
                "WHERE p.error IS NULL AND f.online = 1 AND p.content_hash IN "
                f"({','.join('?' * len(chunk))})", chunk)
            for pid, h in rows:
                if allowed is not None and int(pid) not in allowed:
                    continue
                score, time_s = best[h]
                out[int(pid)] = VideoMoment(int(pid), float(score), float(time_s))
        return out
