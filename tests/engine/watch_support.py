"""Helpers for the watcher, crash-safety and storm tests: waiting, unique photos, invariants."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.api import Library


def wait_for(condition: Callable[[], Any], timeout: float = 30.0, interval: float = 0.05,
             what: str = "condition") -> Any:
    """Poll ``condition`` until it is truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def tagged_jpeg(jpeg: bytes, tag: str) -> bytes:
    """The same picture with a JPEG comment segment: other bytes (content hash), same pixels."""
    assert jpeg[:2] == b"\xff\xd8"
    text = tag.encode()
    return jpeg[:2] + b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text + jpeg[2:]


def write_file(path: Path, data: bytes) -> None:
    """Write and close a file in one go (what a photo app or a copy does)."""
    with open(path, "wb") as f:
        f.write(data)


def photo_ids(lib: Library) -> dict[str, int]:
    """Every catalogued photo, path -> id."""
    return {r[1]: r[0] for r in lib.catalog._query("SELECT id, path FROM photos")}


def photo_rows(lib: Library) -> dict[str, tuple]:
    """path -> (size, mtime_ns, content hash, error, width, height) of every photo."""
    rows = lib.catalog._query(
        "SELECT path, size, mtime_ns, content_hash, error, width, height FROM photos")
    return {r[0]: tuple(r[1:]) for r in rows}


def searchable(lib: Library) -> set[int]:
    """Ids the catalog says are searchable (readable, online, with a vector)."""
    enc = lib.encoder
    ids, _ = lib.catalog.searchable_vectors(enc.spec.model_id, enc.dim)
    return {int(i) for i in ids}


def assert_index_matches_catalog(lib: Library) -> None:
    """The vector index (either kind) holds exactly the catalog's searchable photos, with their
    vectors."""
    index = lib._vector_index()
    live = {int(i) for i in index.live_ids()}
    want = searchable(lib)
    assert live == want, f"index has {len(live - want)} extra, {len(want - live)} missing"
    if want:
        enc = lib.encoder
        ids = np.asarray(sorted(want), np.int64)
        stored = lib.catalog.vectors_for_ids(ids, enc.spec.model_id, enc.dim)
        in_index = index.vectors(ids)
        cos = (stored * in_index).sum(1) / np.linalg.norm(in_index, axis=1)
        stale = [int(i) for i in ids[cos <= 0.999]]
        assert not stale, f"the index holds stale vectors for photos {stale}"


def disk_photos(*roots: Path) -> set[str]:
    """Photo files under ``roots`` (what a fresh index would find, no excludes in play)."""
    from engine.media.imaging import is_photo_path

    found = set()
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            found.update(os.path.join(folder, f) for f in files if is_photo_path(Path(f)))
    return found


class EmbedCounter:
    """Counts the photos that go through the model (the real model still runs)."""

    def __init__(self, encoder: Any) -> None:
        self.count = 0
        self._real = encoder.encode_pixel_batch

    def __call__(self, pixels: Any) -> np.ndarray:
        self.count += int(pixels.shape[0])
        return self._real(pixels)
