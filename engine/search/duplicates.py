"""Group copies of the same photo, kept apart by kind: exact, near-duplicate, similar shot.

* exact: the same content hash (the bytes are identical).
* near-duplicate: the same picture after resizing, re-compression, a format change, a light
  crop or edit. Either the pHash is close (<= ``phash_near``) and CLIP agrees (cos >=
  ``clip_confirm``: a flat dark photo and another flat dark photo can share a pHash), or CLIP is
  very close (>= ``clip_near``), one of the hashes is within ``crop_hash`` and the two photos
  are of the same moment (equal capture times, or one lacks a time): crops move 6-24 pHash
  bits, so the hash alone cannot tell a crop from a different photo (those start at 20).
* similar shot (burst): CLIP cos >= ``clip_similar`` and both capture times within
  ``burst_seconds``; never merged with the near-duplicates, which are what the user deletes.

Candidates come from neighbour queries, never all pairs: each photo's nearest neighbours in the
CLIP vector index, stored when it was indexed (:mod:`engine.analyses.neighbours`), plus
multi-index hashing on the pHash (four 16-bit blocks: any two hashes within 3 bits share a
block, and in practice most within 10 do). Every candidate pair is then scored in numpy and
accepted edges are merged with union-find. :func:`find_duplicates` reads it all from the
catalog; :func:`group_duplicates` is the decision on plain arrays.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import numpy as np

from engine.records import DuplicateGroup, DuplicatePhoto
from engine.store.catalog import Catalog, chunks

logger = logging.getLogger(__name__)


class DuplicateKind(StrEnum):
    """What a group's members have in common."""

    EXACT = "exact"
    NEAR = "near"
    SIMILAR = "similar"


@dataclass(frozen=True)
class DuplicateThresholds:
    """Decision thresholds. Hash distances are measured on real photos (FINDINGS.md): edits
    other than crops stay <= 6 bits of pHash, different photos start at 20. The CLIP cosines
    are placeholders until measured with a real CLIP model (the demo model only knows shapes).
    """

    phash_near: int = 10
    crop_hash: int = 24
    clip_confirm: float = 0.90
    clip_near: float = 0.97
    clip_similar: float = 0.85
    same_moment_seconds: float = 1.0
    burst_seconds: float = 60.0
    knn: int = 10
    max_bucket: int = 64  # pHash buckets larger than this (flat images) give no candidates


@dataclass(frozen=True)
class PhotoFacts:
    """What the grouping needs per photo, as parallel arrays (row i is photo i).

    ``taken_at`` is seconds (any epoch), NaN when unknown; ``hashed`` is False where the
    perceptual hashes are not computed yet (their values are then ignored).
    """

    content_hash: Sequence[str]
    phash: np.ndarray  # uint64
    dhash: np.ndarray  # uint64
    taken_at: np.ndarray  # float64, NaN = unknown
    hashed: np.ndarray | None = None  # bool; None = all hashed


Cosine = Callable[[np.ndarray], np.ndarray]  # (m, 2) row pairs -> their cosines (NaN: unknown)


@dataclass(frozen=True)
class RowGroup:
    """Row numbers of photos that belong together, and why."""

    kind: DuplicateKind
    members: tuple[int, ...]


@dataclass
class _UnionFind:
    parent: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, n: int) -> _UnionFind:
        return cls(list(range(n)))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[tuple[int, ...]]:
        """Sets of more than one element, each sorted (only joined elements are visited)."""
        parent = np.asarray(self.parent)
        joined = np.flatnonzero(parent != np.arange(len(parent)))
        found: dict[int, list[int]] = {}
        for x in joined.tolist():
            root = self.find(x)
            found.setdefault(root, [root]).append(x)
        return [tuple(sorted(m)) for m in found.values()]


def group_duplicates(
    facts: PhotoFacts,
    pairs: np.ndarray,
    cos: np.ndarray,
    cosine: Cosine,
    thresholds: DuplicateThresholds = DuplicateThresholds(),
    similar: bool = True,
) -> list[RowGroup]:
    """Exact, near-duplicate and (if ``similar``) similar-shot groups over ``facts``.

    ``pairs`` (m, 2) are row numbers of vector neighbours with their cosine ``cos``; pairs that
    only the perceptual hashes propose get theirs from ``cosine``. A photo is in at most one
    exact group, one near-duplicate group (which contains its exact copies) and one similar
    group (whose members are near-duplicate groups' first rows and single photos).
    """
    n = len(facts.content_hash)
    t = thresholds
    exact = _UnionFind.of(n)
    first_of: dict[str, int] = {}
    for row, digest in enumerate(facts.content_hash):
        if digest in first_of:
            exact.union(first_of[digest], row)
        else:
            first_of[digest] = row
    groups = [RowGroup(DuplicateKind.EXACT, m) for m in exact.groups()]

    pairs, cos = _candidate_pairs(facts, pairs, cos, cosine, t)
    a, b = pairs[:, 0], pairs[:, 1]
    hashed = np.ones(n, bool) if facts.hashed is None else facts.hashed
    both_hashed = hashed[a] & hashed[b]
    p_dist = np.where(both_hashed, _popcount(facts.phash[a] ^ facts.phash[b]), 64)
    d_dist = np.where(both_hashed, _popcount(facts.dhash[a] ^ facts.dhash[b]), 64)
    ta, tb = facts.taken_at[a], facts.taken_at[b]
    dt = np.abs(ta - tb)
    either_unknown = np.isnan(ta) | np.isnan(tb)
    same_moment = either_unknown | (dt <= t.same_moment_seconds)
    near = ((p_dist <= t.phash_near) & (cos >= t.clip_confirm)) | (
        (cos >= t.clip_near) & (np.minimum(p_dist, d_dist) <= t.crop_hash) & same_moment
    )
    near_sets = _UnionFind(list(exact.parent))
    for x, y in pairs[near]:
        near_sets.union(int(x), int(y))
    for members in near_sets.groups():
        if len({facts.content_hash[m] for m in members}) > 1:
            groups.append(RowGroup(DuplicateKind.NEAR, members))
    if similar:
        burst = ~near & (cos >= t.clip_similar) & ~either_unknown & (dt <= t.burst_seconds)
        shots = _UnionFind.of(n)
        for x, y in pairs[burst]:
            rx, ry = near_sets.find(int(x)), near_sets.find(int(y))
            if rx != ry:
                shots.union(rx, ry)
        groups += [RowGroup(DuplicateKind.SIMILAR, m) for m in shots.groups()]
    logger.debug("%d photos, %d candidate pairs, %d groups", n, len(pairs), len(groups))
    return groups


def _candidate_pairs(
    facts: PhotoFacts,
    pairs: np.ndarray,
    cos: np.ndarray,
    cosine: Cosine,
    t: DuplicateThresholds,
) -> tuple[np.ndarray, np.ndarray]:
    """Unique (i < j) pairs, with their cosine, that could pass any rule.

    Neighbour pairs below the loosest cosine are dropped first. Pairs the pHash blocks propose
    are kept only if their hashes could pass a rule, and only those few ask ``cosine``.
    """
    n = len(facts.content_hash)
    loosest = min(t.clip_confirm, t.clip_similar, t.clip_near)
    pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
    cos = np.asarray(cos, np.float64).reshape(-1)
    keep = (cos >= loosest - 1e-4) & (pairs[:, 0] != pairs[:, 1])
    pairs, cos = np.sort(pairs[keep], axis=1), cos[keep]
    keys, first = np.unique(pairs[:, 0] * n + pairs[:, 1], return_index=True)
    pairs, cos = pairs[first], cos[first]

    hashed_rows = np.arange(n) if facts.hashed is None else np.flatnonzero(facts.hashed)
    hashes = facts.phash[hashed_rows].astype(np.uint64)
    parts = []
    for shift in (0, 16, 32, 48):
        block = (hashes >> np.uint64(shift)) & np.uint64(0xFFFF)
        parts.append(hashed_rows[_same_value_pairs(block, t.max_bucket)])
    extra = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    extra = np.sort(extra[extra[:, 0] != extra[:, 1]], axis=1)
    extra_keys = np.setdiff1d(np.unique(extra[:, 0] * n + extra[:, 1]), keys)
    extra = np.stack([extra_keys // n, extra_keys % n], axis=1)
    if len(extra):
        ea, eb = extra[:, 0], extra[:, 1]
        p_dist = _popcount(facts.phash[ea] ^ facts.phash[eb])
        d_dist = _popcount(facts.dhash[ea] ^ facts.dhash[eb])
        # What the hashes alone propose can only be a near-duplicate (look-alike shots come
        # from the vector neighbours): a close pHash, or a crop's hash of the same moment.
        ta, tb = facts.taken_at[ea], facts.taken_at[eb]
        same_moment = np.isnan(ta) | np.isnan(tb) | (np.abs(ta - tb) <= t.same_moment_seconds)
        extra = extra[(p_dist <= t.phash_near)
                      | ((np.minimum(p_dist, d_dist) <= t.crop_hash) & same_moment)]
    if len(extra):
        extra_cos = np.asarray(cosine(extra), np.float64)
        known = extra_cos >= loosest
        pairs = np.concatenate([pairs, extra[known]])
        cos = np.concatenate([cos, extra_cos[known]])
    return pairs, cos


def _same_value_pairs(values: np.ndarray, max_bucket: int) -> np.ndarray:
    """All pairs of rows with equal ``values``, skipping buckets bigger than ``max_bucket``."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    sizes = np.diff(np.r_[starts, len(values)])
    out = []
    for size in range(2, max_bucket + 1):
        chosen = starts[sizes == size]
        if len(chosen) == 0:
            continue
        members = order[chosen[:, None] + np.arange(size)[None, :]]  # (buckets, size)
        i, j = np.triu_indices(size, 1)
        out.append(np.stack([members[:, i].ravel(), members[:, j].ravel()], axis=1))
    if not out:
        return np.empty((0, 2), np.int64)
    return np.concatenate(out).astype(np.int64)


_POP8 = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _popcount(values: np.ndarray) -> np.ndarray:
    """Set bits per uint64, vectorised through a byte table."""
    as_bytes = values.astype(np.uint64).view(np.uint8).reshape(-1, 8)
    return _POP8[as_bytes].sum(axis=1, dtype=np.int64)


def vector_pairs(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, Cosine]:
    """Each row's ``k`` nearest rows by brute force, their cosines, and a cosine function
    (for tests and benchmarks that hold the vectors in memory)."""
    sims = vectors @ vectors.T
    labels = np.argsort(-sims, axis=1)[:, :k]
    rows = np.repeat(np.arange(len(vectors)), labels.shape[1])
    pairs = np.stack([rows, labels.ravel()], axis=1)

    def cosine(p: np.ndarray) -> np.ndarray:
        return np.einsum("ij,ij->i", vectors[p[:, 0]], vectors[p[:, 1]])

    return pairs, sims[pairs[:, 0], pairs[:, 1]], cosine


# --- which copy to keep ----------------------------------------------------------------------

_ORIGINAL_FORMATS = frozenset({"jpeg", "jpg", "heic", "heif", "dng", "cr2", "cr3", "nef", "arw",
                               "orf", "rw2", "raf"})


@dataclass(frozen=True)
class CopyFacts:
    """What the keeper choice looks at, for one copy."""

    width: int
    height: int
    file_format: str  # lower-case suffix without the dot
    has_camera_metadata: bool  # make/model, or a capture time the file holds (not its mtime)
    file_size: int
    mtime: float


@dataclass(frozen=True)
class KeeperChoice:
    """The copy we suggest keeping (index into the list given) and why, in words."""

    index: int
    reason: str


def choose_keeper(copies: Sequence[CopyFacts]) -> KeeperChoice:
    """Largest resolution, then original format over re-saved, then metadata, then oldest.

    The reason names the first rule that set the winner apart from the runner-up.
    """
    if not copies:
        raise ValueError("no copies to choose from")

    def key(c: CopyFacts) -> tuple[int, int, int, int, float]:
        return (-c.width * c.height, 0 if c.file_format in _ORIGINAL_FORMATS else 1,
                0 if c.has_camera_metadata else 1, -c.file_size, c.mtime)

    order = sorted(range(len(copies)), key=lambda i: key(copies[i]))
    best = order[0]
    if len(order) == 1:
        return KeeperChoice(best, "the only copy")
    w, r = copies[best], copies[order[1]]
    if w.width * w.height != r.width * r.height:
        reason = f"largest resolution ({w.width}\u00d7{w.height})"
    elif (w.file_format in _ORIGINAL_FORMATS) != (r.file_format in _ORIGINAL_FORMATS):
        reason = f"same resolution; the original format ({w.file_format.upper()}) over " \
                 f"a re-saved {r.file_format.upper()}"
    elif w.has_camera_metadata != r.has_camera_metadata:
        reason = "same resolution and format; the one with camera metadata"
    elif w.file_size != r.file_size:
        reason = "same resolution, format and metadata; the larger file (less re-compressed)"
    elif not math.isclose(w.mtime, r.mtime):
        reason = "otherwise alike; the oldest file"
    else:
        reason = "the copies are alike; the first one"
    return KeeperChoice(best, reason)


# --- from the catalog ------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)


def find_duplicates(catalog: Catalog, model_id: str, similar: bool = False,
                    thresholds: DuplicateThresholds = DuplicateThresholds()
                    ) -> list[DuplicateGroup]:
    """The library's duplicate groups (exact, near, and with ``similar`` similar shots), each
    with the copy to keep first: readable photos of online folders, from the stored perceptual
    hashes and neighbour pairs (photos their background passes have not reached yet join once
    they have). Reads the few columns grouping needs for every photo, the rest only for the
    photos in a group."""
    tables = {r[0] for r in catalog._query("SELECT name FROM sqlite_master WHERE type='table'")}
    hash_join = ("LEFT JOIN photo_hashes h ON h.content_hash = p.content_hash"
                 if "photo_hashes" in tables else
                 "LEFT JOIN (SELECT NULL AS content_hash, NULL AS phash, NULL AS dhash) h "
                 "ON 0")
    # A capture moment is a camera's: a file's own date (a copy's, a download's) says nothing
    # of when the shot was taken, so photos dated only by their file are no burst.
    taken = ("CASE WHEN d.source = 'file' THEN NULL ELSE p.taken_at END"
             if "photo_dates" in tables else "p.taken_at")
    dates_join = ("LEFT JOIN photo_dates d ON d.photo_id = p.id"
                  if "photo_dates" in tables else "")
    rows = catalog._query(
        f"SELECT p.id, p.content_hash, {taken}, h.phash, h.dhash FROM photos p "
        f"JOIN folders f ON f.id = p.folder_id {hash_join} {dates_join} WHERE p.error IS NULL "
        "AND f.online = 1 AND p.content_hash IS NOT NULL ORDER BY p.id")
    if len(rows) < 2:
        return []
    ids = [int(r[0]) for r in rows]
    content = [str(r[1]) for r in rows]
    facts = PhotoFacts(
        content_hash=content,
        phash=np.array([_unsigned(r[3]) for r in rows], np.uint64),
        dhash=np.array([_unsigned(r[4]) for r in rows], np.uint64),
        taken_at=_seconds([r[2] for r in rows]),
        hashed=np.array([r[3] is not None for r in rows], bool),
    )
    del rows
    row_of: dict[str, int] = {}
    for row, digest in enumerate(content):
        row_of.setdefault(digest, row)
    pairs, cos = _stored_neighbours(catalog, model_id, row_of, tables)
    groups = group_duplicates(facts, pairs, cos, _catalog_cosine(catalog, model_id, content),
                              thresholds, similar)
    details = _details(catalog, [ids[m] for g in groups for m in g.members], tables)
    out = [_group_record(g.kind, [details[ids[m]] for m in g.members]) for g in groups]
    order = {k.value: i for i, k in enumerate(DuplicateKind)}
    out.sort(key=lambda g: (order[g.kind], str(g.keeper.path)))
    return out


def _stored_neighbours(catalog: Catalog, model_id: str, row_of: dict[str, int],
                       tables: set[str]) -> tuple[np.ndarray, np.ndarray]:
    if "photo_neighbours" not in tables:
        return np.empty((0, 2), np.int64), np.empty(0)
    found = [(row_of[a], row_of[b], c) for a, b, c in catalog._query(
        "SELECT content_hash, neighbour_hash, cos FROM photo_neighbours WHERE model_id = ?",
        (model_id,)) if a in row_of and b in row_of]
    if not found:
        return np.empty((0, 2), np.int64), np.empty(0)
    array = np.array(found, np.float64)
    return array[:, :2].astype(np.int64), array[:, 2]


def _catalog_cosine(catalog: Catalog, model_id: str, content: Sequence[str]) -> Cosine:
    """Cosines of row pairs from the stored vectors (only the rows asked for are read)."""

    def cosine(pairs: np.ndarray) -> np.ndarray:
        rows, inverse = np.unique(pairs.ravel(), return_inverse=True)
        wanted = [content[int(r)] for r in rows]
        vectors: dict[str, bytes] = {}
        for chunk in chunks(sorted(set(wanted)), 500):
            vectors.update((str(d), bytes(b)) for d, b in catalog._query(
                "SELECT content_hash, vector FROM embeddings WHERE model_id = ? AND "
                f"content_hash IN ({','.join('?' * len(chunk))})", [model_id, *chunk]))
        if not vectors:
            return np.full(len(pairs), np.nan)
        dim = len(next(iter(vectors.values()))) // 4
        matrix = np.full((len(rows), dim), np.nan, np.float32)
        for n, digest in enumerate(wanted):
            blob = vectors.get(digest)
            if blob is not None and len(blob) == dim * 4:
                matrix[n] = np.frombuffer(blob, np.float32)
        a, b = inverse.reshape(-1, 2).T
        return np.einsum("ij,ij->i", matrix[a], matrix[b]).astype(np.float64)

    return cosine


def _details(catalog: Catalog, ids: list[int], tables: set[str]
             ) -> dict[int, tuple[DuplicatePhoto, CopyFacts]]:
    """What a person compares copies by, and what the keeper choice looks at, per photo."""
    out: dict[int, tuple[DuplicatePhoto, CopyFacts]] = {}
    folders: dict[str, Path] = {}
    # A date read from the file's own time is no camera metadata: every copy has one, so
    # counting it would never let the camera's original win over a stripped copy.
    camera_date = ("d.source IS NOT NULL AND d.source != 'file'"
                   if "photo_dates" in tables else "p.taken_at IS NOT NULL")
    dates_join = ("LEFT JOIN photo_dates d ON d.photo_id = p.id"
                  if "photo_dates" in tables else "")
    for chunk in chunks(sorted(set(ids)), 500):
        for r in catalog._query(
                "SELECT p.id, p.path, f.path, p.size, p.mtime_ns, p.width, p.height, "
                f"p.taken_at, p.camera_make, p.camera_model, {camera_date} FROM photos p "
                f"JOIN folders f ON f.id = p.folder_id {dates_join} "
                f"WHERE p.id IN ({','.join('?' * len(chunk))})", chunk):
            path = Path(r[1])
            folder = folders.get(r[2]) or folders.setdefault(r[2], Path(r[2]))
            fmt = path.suffix.lower().lstrip(".")
            photo = DuplicatePhoto(int(r[0]), path, folder, int(r[3]), r[5], r[6], r[7], fmt)
            facts = CopyFacts(r[5] or 0, r[6] or 0, fmt, bool(r[10] or r[8] or r[9]),
                              int(r[3]), int(r[4]) / 1e9)
            out[int(r[0])] = (photo, facts)
    return out


def _group_record(kind: DuplicateKind, members: list[tuple[DuplicatePhoto, CopyFacts]]
                  ) -> DuplicateGroup:
    choice = choose_keeper([facts for _, facts in members])
    photos = [photo for photo, _ in members]
    photos.insert(0, photos.pop(choice.index))
    return DuplicateGroup(kind.value, photos, choice.reason)


def _unsigned(value: int | None) -> int:
    if value is None:
        return 0
    return value + (1 << 64) if value < 0 else value


def _seconds(taken: list[str | None]) -> np.ndarray:
    """Capture times (naive ISO) as seconds, NaN where unknown or unreadable."""
    try:  # fast path: numpy parses ISO 8601 in C
        stamps = np.array([t[:19] if t else "NaT" for t in taken], dtype="datetime64[s]")
    except ValueError:
        return np.array([_one_second(t) for t in taken], np.float64)
    seconds = stamps.astype(np.int64).astype(np.float64)
    seconds[np.isnat(stamps)] = math.nan
    return seconds


def _one_second(taken: str | None) -> float:
    if not taken:
        return math.nan
    try:
        moment = datetime.fromisoformat(taken)
    except ValueError:
        return math.nan
    return (moment.replace(tzinfo=None) - _EPOCH).total_seconds()
