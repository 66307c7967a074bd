"""Perceptual hashes of photos, for finding near-duplicates (resized, re-saved, lightly edited).

Two 64-bit hashes per photo, stored as signed 64-bit integers (SQLite INTEGER):

* ``phash``: the DCT hash of ``imagehash.phash`` (greyscale 32x32, 2-D DCT-II, top-left 8x8
  against its median), bit for bit; tests check equality with imagehash. Robust to resizing,
  re-compression, format changes and brightness; weaker under crops (a 5% crop moves ~8-16 of
  64 bits on our photos).
* ``dhash``: the gradient hash of ``imagehash.dhash`` (9x8 greyscale, left < right), cheaper and
  a second opinion.

Why not call imagehash at run time: it imports scipy (113 MB installed) for one 32x32 DCT and
PyWavelets for whash; a 32x32 DCT is a 32x32 matrix product in numpy. imagehash (BSD-2) stays a
test dependency as the reference.

:class:`PerceptualHashAnalysis` is an analysis on the seam (:mod:`engine.analyses.base`) that
runs in the meaning pass on the image decoded for CLIP and stores one row per content hash in
``photo_hashes``; :mod:`engine.search.duplicates` reads them.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image

from engine.analyses.base import Analysis, AnalysisFailed, Needs, PhotoInput
from engine.analyses.registry import register

logger = logging.getLogger(__name__)

HASH_BITS = 64
VERSION = "phash-dct32-v1+dhash-v1"
DECODE_SIDE = 128

SCHEMA = """
CREATE TABLE photo_hashes (
    content_hash TEXT PRIMARY KEY,
    phash INTEGER NOT NULL,   -- 64-bit DCT hash as a signed integer
    dhash INTEGER NOT NULL,   -- 64-bit gradient hash as a signed integer
    version TEXT NOT NULL
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class PerceptualHashes:
    """A photo's perceptual hashes as unsigned 64-bit Python ints."""

    phash: int
    dhash: int


def perceptual_hashes(image: Image.Image) -> PerceptualHashes:
    """Both hashes of ``image`` (any mode; alpha is ignored as imagehash ignores it)."""
    grey = image.convert("L")
    return PerceptualHashes(phash=phash(grey), dhash=dhash(grey))


def phash(image: Image.Image, hash_size: int = 8, highfreq_factor: int = 4) -> int:
    """imagehash.phash as an int (bit 63 = first coefficient), without scipy."""
    size = hash_size * highfreq_factor
    pixels = np.asarray(
        image.convert("L").resize((size, size), Image.Resampling.LANCZOS), dtype=np.float64
    )
    basis = _dct_matrix(size)
    # scipy.fftpack.dct(type 2, no norm) along axis 0 then 1 == B @ X @ B.T
    low = (basis @ pixels @ basis.T)[:hash_size, :hash_size]
    return _pack(low > np.median(low))


def dhash(image: Image.Image, hash_size: int = 8) -> int:
    """imagehash.dhash as an int: each pixel brighter than its right neighbour is a 1."""
    pixels = np.asarray(
        image.convert("L").resize((hash_size + 1, hash_size), Image.Resampling.LANCZOS),
        dtype=np.float64,
    )
    return _pack(pixels[:, 1:] > pixels[:, :-1])


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes."""
    return (a ^ b).bit_count()


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as SQLite's signed INTEGER."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    """The inverse of :func:`to_signed`."""
    return value + (1 << 64) if value < 0 else value


def hamming_many(query: int, hashes: np.ndarray) -> np.ndarray:
    """Hamming distances from ``query`` to a uint64 array of hashes (vectorised)."""
    x = np.bitwise_xor(hashes.astype(np.uint64), np.uint64(query))
    return np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)


def _pack(bits: np.ndarray) -> int:
    value = 0
    for bit in bits.flatten():
        value = (value << 1) | int(bit)
    return value


@lru_cache(maxsize=4)
def _dct_matrix(n: int) -> np.ndarray:
    """Unnormalised DCT-II basis, scipy's convention: y_k = 2 sum_i x_i cos(pi k (2i+1) / 2n)."""
    k = np.arange(n)[:, None]
    i = np.arange(n)[None, :]
    return 2.0 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))


@register
class PerceptualHashAnalysis(Analysis):
    """Both perceptual hashes of each photo's content.

    It runs in the meaning pass, on the image that pass decodes anyway for CLIP: hashing it
    costs well under a millisecond, while a background pass of its own would decode every
    photo a second time (the costly part). A library indexed before it existed gets its hashes
    on the next indexing pass (the indexer fills in missing meaning results).
    """

    name = "phash"
    title = "duplicate detection"
    stage = "meaning"

    @property
    def version(self) -> str:
        return VERSION

    def needs(self) -> Needs:
        # The hashes shrink the image to 32x32 and 9x8: any decode of 128 px or more will do
        # (the pass decodes at the largest size asked for: CLIP's).
        return Needs(image_side=DECODE_SIDE)

    def schema(self) -> list[str]:
        return [SCHEMA]

    def result_tables(self) -> list[str]:
        return ["photo_hashes"]

    def prepare(self, photo: PhotoInput) -> PerceptualHashes:
        if photo.image is None:
            raise AnalysisFailed("the photo could not be decoded")
        return perceptual_hashes(photo.image)

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO photo_hashes (content_hash, phash, dhash, version)"
            " VALUES (?, ?, ?, ?)",
            (content_hash, to_signed(result.phash), to_signed(result.dhash), VERSION),
        )
