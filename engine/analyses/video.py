"""The video analyses: what a video is, and the moments inside it that search can find.

A video is indexed like a photo by the meaning pass: its poster frame (1 s in) is decoded by
:mod:`engine.media.imaging`, embedded by the CLIP analysis and stands for the whole video; the
metadata analysis takes its capture time and GPS from the container, so dates and places work
as for photos. Two analyses add what only a video has:

* ``video`` (meaning stage, light): duration, codec, frame rate, in the ``videos`` table. Its
  rows are also what marks a photo as a video for search and the app (a duration badge).
* ``video_frames`` (background, "video moments"): frames sampled at scene changes, at least
  every :data:`MAX_SPACING_S` (a short clip: :data:`MIN_FRAMES` at least) and never closer
  than :data:`MIN_SPACING_S`, each embedded with
  the library's CLIP model into ``video_frames`` (per model, like photo vectors). A video is
  worked through in steps of :data:`STEP_FRAMES` frames, each committed with the time reached
  (``video_progress``): pausing or quitting loses at most one step, and the next pass resumes
  mid-video. Videos longer than five minutes are sampled at the maximum spacing by seeking
  (:func:`engine.media.video.sample_frames`), so a two-hour film costs 720 frames.

Both are keyed by content hash and run on videos only (``media_kind = "video"``): photos count
as covered and are never queued; the catalog marks and indexes the videos (migration 7), so the
coverage and the pending work read the video rows alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from engine.analyses.base import Analysis, AnalysisContext, PhotoInput
from engine.analyses.registry import register
from engine.errors import PhotoReadError
from engine.media.formats import media_kind as kind_of_file
from engine.store.video_frames import SCHEMA

MIN_SPACING_S = 0.5  # never more than two frames a second
MAX_SPACING_S = 10.0  # at least one frame every ten seconds
MIN_FRAMES = 8
"""A short clip gets about this many frames even without a detected cut: the cut detector
sees changes of the whole picture (a new scene), not a small subject changing on the same
background, and a clip's frames cost little."""
STEP_FRAMES = 16  # frames sampled, embedded and committed together (the unit of a pause)
FRAME_SIDE = 512  # sampled frames' long side before the encoder's own preprocessing


@dataclass(frozen=True)
class VideoFacts:
    """The ``video`` analysis's result for one video."""

    duration_s: float
    codec: str
    fps: float | None
    has_audio: bool


@register
class VideoAnalysis(Analysis):
    """Reads what a video is from its container (nothing for photos)."""

    name = "video"
    title = "videos"
    stage = "meaning"
    can_disable = False  # cheap, and search needs it to know which results are videos
    media_kind = "video"

    @property
    def version(self) -> str:
        return "1"

    def schema(self) -> list[str]:
        return SCHEMA

    def prepare(self, photo: PhotoInput) -> VideoFacts | None:
        if kind_of_file(photo.path) != "video":
            return None
        from engine.media.video import video_info

        info = video_info(photo.path)
        return VideoFacts(info.duration_s, info.codec, info.fps, info.has_audio)

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        if result is None:
            return
        conn.execute(
            "INSERT OR REPLACE INTO videos(content_hash, duration_s, codec, fps, has_audio) "
            "VALUES (?, ?, ?, ?, ?)",
            (content_hash, result.duration_s, result.codec, result.fps, int(result.has_audio)))

    def result_tables(self) -> list[str]:
        return ["videos"]


@dataclass
class VideoStep:
    """One step through a video: frames sampled from where the last step stopped."""

    times: list[float]
    inputs: list[Any] = field(default_factory=list)  # preprocessed frames (compute's input)
    vectors: list[np.ndarray] = field(default_factory=list)
    done: bool = False  # the video's end was reached


@register
class VideoFramesAnalysis(Analysis):
    """Samples frames of each video at scene changes and embeds them with the CLIP model."""

    name = "video_frames"
    title = "video moments"
    stage = "background"
    batch_size = 4  # videos' steps per compute call (up to 64 frames)
    media_kind = "video"

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        self.encoder = context.service("encoder")

    @property
    def model_id(self) -> str:
        return str(self.encoder.spec.model_id)

    @property
    def version(self) -> str:
        return f"1/{self.model_id}"

    def schema(self) -> list[str]:
        return SCHEMA

    def load(self) -> None:
        self.encoder.load()

    def prepare(self, photo: PhotoInput) -> VideoStep:
        from engine.media.video import sample_frames

        rows = self.catalog._query(
            "SELECT sampled_to_s FROM video_progress WHERE content_hash = ? AND model_id = ?",
            [photo.content_hash, self.model_id])
        start = float(rows[0][0]) + MIN_SPACING_S if rows else 0.0
        known = self.catalog._query("SELECT duration_s FROM videos WHERE content_hash = ?",
                                    [photo.content_hash])
        duration = float(known[0][0]) if known else MAX_SPACING_S * MIN_FRAMES
        spacing = min(MAX_SPACING_S, max(MIN_SPACING_S, duration / MIN_FRAMES))
        frames = sample_frames(photo.path, min_spacing_s=MIN_SPACING_S,
                               max_spacing_s=spacing, max_side=FRAME_SIDE, start_s=start)
        try:
            # One frame past the step says whether the video goes on (decoding it is cheap
            # next to embedding; it is sampled again by the next step).
            taken = list(islice(frames, STEP_FRAMES + 1))
        except PhotoReadError:
            if not rows:
                raise
            taken = []  # nothing decodes past the last step: the video is done
        finally:
            frames.close()
        step = VideoStep([f.time_s for f in taken[:STEP_FRAMES]],
                         done=len(taken) <= STEP_FRAMES)
        step.inputs = [self.encoder.preprocess(f.image) for f in taken[:STEP_FRAMES]]
        return step

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        inputs = [x for step in prepared for x in step.inputs]
        if inputs:
            if isinstance(inputs[0], np.ndarray):  # the ONNX Runtime encoder's preprocessing
                vectors = list(self.encoder.encode_pixel_batch(np.stack(inputs)))
            else:
                import torch

                vectors = list(self.encoder.encode_pixel_batch(torch.stack(inputs)))
            at = 0
            for step in prepared:
                step.vectors = [np.asarray(v, np.float32) for v in
                                vectors[at:at + len(step.inputs)]]
                at += len(step.inputs)
        for step in prepared:
            step.inputs = []
        return list(prepared)

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        step: VideoStep = result
        conn.executemany(
            "INSERT OR REPLACE INTO video_frames(content_hash, model_id, time_s, vector) "
            "VALUES (?, ?, ?, ?)",
            [(content_hash, self.model_id, t, v.tobytes())
             for t, v in zip(step.times, step.vectors, strict=True)])
        if step.times:
            conn.execute(
                "INSERT OR REPLACE INTO video_progress(content_hash, model_id, sampled_to_s) "
                "VALUES (?, ?, ?)", (content_hash, self.model_id, max(step.times)))
        if step.done:
            super().record_state(conn, content_hash, None)

    def record_state(self, conn: sqlite3.Connection, content_hash: str,
                     error: str | None) -> None:
        """A video is covered when its last step is stored (:meth:`store`); failures count."""
        if error is not None:
            super().record_state(conn, content_hash, error)

    def unfinished(self, result: Any) -> bool:
        return isinstance(result, VideoStep) and not result.done

    def result_tables(self) -> list[str]:
        return ["video_frames", "video_progress"]
