"""Opening a library whose saved vector index is proven to match the catalog skips reading
every searchable id (about 9 s at a million photos); any write it cannot account for, a
damaged file or a crash sends the open back to the full reconciliation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.store.catalog import Catalog, PhotoRecord
from engine.store.photo_vectors import INDEX_MATCHES, PhotoVectors, index_path

MODEL, DIM = "test-model", 16


def add_photos(catalog: Catalog, folder: Path, start: int, n: int,
               vectors: PhotoVectors | None = None) -> list[int]:
    """``n`` photos with vectors, written as the indexer writes them: one transaction, then
    the index."""
    rng = np.random.default_rng(start)
    vecs = rng.standard_normal((n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    folder_id = catalog.add_folder(folder)
    records = [PhotoRecord(str(folder / f"{i}.jpg"), folder_id, 1, 1, f"h{i}")
               for i in range(start, start + n)]
    with catalog.transaction() as conn:
        ids = catalog.upsert_photos(records, conn)
        catalog.put_embeddings([(f"h{i}", vecs[i - start]) for i in range(start, start + n)],
                               MODEL, conn)
    photo_ids = sorted(ids.values())
    if vectors is not None:
        vectors.upsert(np.array(photo_ids), vecs)
    return photo_ids


class IdReads:
    """Counts the reads of every searchable id (what the skip avoids)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = Catalog.searchable_ids

        def counting(catalog: Catalog, model_id: str) -> np.ndarray:
            self.count += 1
            return real(catalog, model_id)

        monkeypatch.setattr(Catalog, "searchable_ids", counting)


def close(vectors: PhotoVectors) -> None:
    """What closing a library does with its index (ModelSession.save)."""
    vectors.save()
    vectors.record_match()


@pytest.fixture
def library(tmp_path: Path) -> tuple[Catalog, PhotoVectors, list[int]]:
    catalog = Catalog(tmp_path / "catalog.db")
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    ids = add_photos(catalog, tmp_path / "photos", 0, 40, vectors)
    close(vectors)
    return catalog, vectors, ids


def test_a_matching_index_opens_without_reading_ids(
        tmp_path: Path, library: tuple[Catalog, PhotoVectors, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, vectors, ids = library
    reads = IdReads(monkeypatch)
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert reads.count == 0
    assert sorted(again.index.live_ids().tolist()) == ids
    # this object's own writes keep the match: a closed library that indexed more reopens fast
    more = add_photos(catalog, tmp_path / "photos", 40, 5, again)
    close(again)
    third = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert reads.count == 0
    assert sorted(third.index.live_ids().tolist()) == ids + more


def test_a_write_by_another_connection_is_reconciled(
        tmp_path: Path, library: tuple[Catalog, PhotoVectors, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, _vectors, ids = library
    other = Catalog(tmp_path / "catalog.db")  # another process or Library
    with other.transaction() as conn:
        other.delete_photos(ids[:3], conn)
    other.close()
    reads = IdReads(monkeypatch)
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert reads.count == 1
    assert sorted(again.index.live_ids().tolist()) == ids[3:]


def test_unapplied_writes_are_never_recorded_as_matching(
        tmp_path: Path, library: tuple[Catalog, PhotoVectors, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, vectors, ids = library
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    # a photo committed by another connection while this index is open: its vector is not in
    # this index, so closing must not claim a match (and drops the earlier claim)
    other = Catalog(tmp_path / "catalog.db")
    new = add_photos(other, tmp_path / "photos", 100, 1)
    other.close()
    close(again)
    assert catalog.get_setting(INDEX_MATCHES + MODEL) is None
    reads = IdReads(monkeypatch)
    third = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert reads.count == 1
    assert sorted(third.index.live_ids().tolist()) == ids + new


def test_a_crash_after_writes_leaves_a_claim_the_next_open_does_not_trust(
        tmp_path: Path, library: tuple[Catalog, PhotoVectors, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, _vectors, ids = library
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    more = add_photos(catalog, tmp_path / "photos", 40, 4, again)  # then the process dies:
    restarted = Catalog(tmp_path / "catalog.db")  # no save, no record
    reads = IdReads(monkeypatch)
    third = PhotoVectors.open(restarted, tmp_path, MODEL, DIM)
    assert reads.count == 1
    assert sorted(third.index.live_ids().tolist()) == ids + more


def test_a_damaged_index_file_is_reconciled(
        tmp_path: Path, library: tuple[Catalog, PhotoVectors, list[int]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    catalog, _vectors, ids = library
    path = index_path(tmp_path, MODEL)
    path.write_bytes(path.read_bytes()[:100])
    reads = IdReads(monkeypatch)
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert reads.count == 1
    assert sorted(again.index.live_ids().tolist()) == ids


def test_only_writes_that_can_change_the_search_count(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    ids = add_photos(catalog, tmp_path / "photos", 0, 3)
    before = catalog.vector_changes()
    with catalog.transaction() as conn:  # a new capture date changes no vector
        conn.execute("UPDATE photos SET taken_at = '2020-01-01T00:00:00', mtime_ns = 5 "
                     "WHERE id = ?", (ids[0],))
    assert catalog.vector_changes() == before
    for sql in ("UPDATE photos SET content_hash = 'other' WHERE id = ?",
                "UPDATE photos SET error = 'unreadable' WHERE id = ?",
                "DELETE FROM photos WHERE id = ?"):
        with catalog.transaction() as conn:
            conn.execute(sql, (ids[1],))
        assert catalog.vector_changes() > before
        before = catalog.vector_changes()
    with catalog.transaction() as conn:
        conn.execute("UPDATE folders SET online = 0")
    assert catalog.vector_changes() > before
    assert catalog.own_vector_changes == catalog.vector_changes()
    catalog.close()
