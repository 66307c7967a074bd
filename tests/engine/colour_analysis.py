"""A small analysis for the seam's tests: each photo's average colour.

It is what a new analysis looks like in full: one module, one registered class, its own table,
no change to the indexer, the writer or the facade. Module globals let the tests change its
version, slow it down (so a pass can be killed or cancelled mid-way) and count its work.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.analyses.base import Analysis, AnalysisFailed, Needs, PhotoInput
from engine.analyses.registry import register, registered, unregister
from engine.errors import ModelUnavailableError

VERSION = "1"
DELAY_S = float(os.environ.get("COLOUR_DELAY_S", "0"))  # per photo, in compute()
computed: list[str] = []  # content hashes computed in this process
FAIL_WIDTH = -1  # photos of exactly this width fail (a per-photo failure)
MODEL_MISSING = False  # load() fails as an analysis whose model is missing would


class AverageColour(Analysis):
    """The mean RGB of a photo at 32 px (a background analysis)."""

    name = "colour"
    title = "average colour"
    stage = "background"
    batch_size = 4

    @property
    def version(self) -> str:
        return VERSION

    def needs(self) -> Needs:
        return Needs(image_side=32)

    def load(self) -> None:
        if MODEL_MISSING:
            raise ModelUnavailableError("The colour model is missing. Reinstall it.")

    def schema(self) -> list[str]:
        return ["""
            CREATE TABLE colour_results (
                content_hash TEXT PRIMARY KEY,
                r REAL NOT NULL, g REAL NOT NULL, b REAL NOT NULL,
                version TEXT NOT NULL
            ) WITHOUT ROWID;
        """]

    def result_tables(self) -> list[str]:
        return ["colour_results"]

    def prepare(self, photo: PhotoInput) -> Any:
        assert photo.image is not None
        if photo.metadata is not None and photo.metadata.width == FAIL_WIDTH:
            raise AnalysisFailed("this photo's width is the one the test rejects")
        small = photo.image.resize((32, 32))
        return photo.content_hash, np.asarray(small, np.float32).reshape(-1, 3).mean(axis=0)

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        out = []
        for content_hash, mean in prepared:
            if DELAY_S:
                time.sleep(DELAY_S)
            computed.append(content_hash)
            out.append(tuple(float(x) for x in mean))
        return out

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        conn.execute("INSERT OR REPLACE INTO colour_results VALUES (?, ?, ?, ?, ?)",
                     (content_hash, *result, VERSION))


_SET_ASIDE: list[type[Analysis]] = []


def install() -> None:
    """Register the analysis (as a plugin or a new built-in module would), with the built-in
    background analyses (text, places) set aside so the seam's tests see this one alone."""
    for cls in registered():
        if cls.stage == "background" and cls.name != AverageColour.name:
            _SET_ASIDE.append(cls)
            unregister(cls.name)
    register(AverageColour)


def uninstall() -> None:
    """Forget it again (its table and results stay in the catalog); the built-ins return."""
    unregister(AverageColour.name)
    while _SET_ASIDE:
        register(_SET_ASIDE.pop(0))
