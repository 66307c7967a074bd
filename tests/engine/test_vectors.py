"""Tests for the two vector index kinds (engine.store.vector_index: hnswlib HNSW;
engine.store.quantized_index: faiss IVF over 4-bit codes re-ranked by 8-bit ones, rescored
from float32) and the exact search.

Tests taking the ``kind`` fixture run against both kinds: they share one interface and one
crash-safety promise (a file set that does not match its sidecar opens empty)."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from engine.store.quantized_index import QuantizedIndex, QuantizedParams
from engine.store.vector_index import IndexParams, ReconcileReport, VectorIndex, exact_search

DIM = 32
FAST = IndexParams(M=16, ef_construction=100, ef_search=64)
QFAST = QuantizedParams()
Index = VectorIndex | QuantizedIndex


@pytest.fixture(params=["hnsw", "sq8"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each index kind in turn."""
    return str(request.param)


def open_index(kind: str, path: Path, dim: int = DIM, m: int = 16) -> Index:
    """Open the index of ``kind`` at ``path`` with fast test parameters (``M=m`` for hnsw;
    the quantized kind has no graph and takes its defaults)."""
    if kind == "hnsw":
        return VectorIndex.open(path, dim, IndexParams(M=m, ef_construction=100, ef_search=64))
    return QuantizedIndex.open(path, dim, QuantizedParams())


def index_file(tmp_path: Path, kind: str) -> Path:
    return tmp_path / f"vectors.{kind}"


def saved_files(folder: Path) -> list[str]:
    """The names in ``folder``, float file generations written as N."""
    return sorted(re.sub(r"\.\d+\.f32$", ".N.f32", p.name) for p in folder.iterdir())


def expected_files(kind: str) -> list[str]:
    if kind == "hnsw":
        return ["vectors.hnsw", "vectors.hnsw.json"]
    return ["vectors.sq8", "vectors.sq8.N.f32", "vectors.sq8.json"]


def normalised(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def random_vectors(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    return normalised(np.random.default_rng(seed).standard_normal((n, dim), dtype=np.float32))


def clustered_vectors(n: int, dim: int, clusters: int, seed: int = 0) -> np.ndarray:
    """Gaussian blobs around random centres, like embeddings of similar photos."""
    rng = np.random.default_rng(seed)
    centres = normalised(rng.standard_normal((clusters, dim), dtype=np.float32))
    noise = rng.standard_normal((n, dim), dtype=np.float32) / np.sqrt(dim)
    return normalised(centres[rng.integers(0, clusters, n)] + noise)


def make_index(tmp_path: Path, n: int, kind: str = "hnsw", dim: int = DIM) -> Index:
    index = open_index(kind, index_file(tmp_path, kind), dim)
    if n:
        index.add(np.arange(1, n + 1, dtype=np.int64), random_vectors(n, dim))
    return index


# --------------------------------------------------------------------------------- exact search


def test_exact_search_matches_brute_force_argsort() -> None:
    vecs = random_vectors(500)
    ids = np.arange(1000, 1500, dtype=np.int64)
    query = random_vectors(1, seed=7)[0]
    got_ids, got_scores = exact_search(vecs, ids, query, 20)
    order = np.argsort(-(vecs @ query))[:20]
    np.testing.assert_array_equal(got_ids, ids[order])
    np.testing.assert_allclose(got_scores, (vecs @ query)[order], rtol=1e-6)
    assert got_ids.dtype == np.int64 and got_scores.dtype == np.float32


def test_exact_search_with_k_above_n_returns_everything_sorted() -> None:
    vecs = random_vectors(7)
    ids, scores = exact_search(vecs, np.arange(7), vecs[3], 50)
    assert len(ids) == 7 and ids[0] == 3
    assert np.all(np.diff(scores) <= 0)


def test_exact_search_on_no_vectors_is_empty() -> None:
    ids, scores = exact_search(
        np.empty((0, DIM), np.float32), np.empty(0, np.int64), np.ones(DIM), 5
    )
    assert ids.shape == (0,) and scores.shape == (0,)


# --------------------------------------------------------------------------------- search


def test_recall_at_10_against_exact_search(tmp_path: Path, kind: str) -> None:
    both = clustered_vectors(3040, 64, clusters=30, seed=1)
    data, queries = both[:3000], both[3000:]  # queries: held-out points of the same clusters
    ids = np.arange(10_000, 13_000, dtype=np.int64)
    index: Index = (VectorIndex.open(tmp_path / "v.hnsw", 64) if kind == "hnsw"  # defaults
                    else QuantizedIndex.open(tmp_path / "v.sq8", 64))
    index.add(ids, data)
    hits = 0
    for query in queries:
        got, scores = index.search(query, 10)
        want, want_scores = exact_search(data, ids, query, 10)
        hits += len(set(got.tolist()) & set(want.tolist()))
        if kind == "sq8":  # rescored: the scores are the exact ones, not the 8-bit estimates
            np.testing.assert_allclose(scores, data[got - 10_000] @ query, atol=1e-6)
    assert hits / (10 * len(queries)) >= 0.98


def test_search_returns_cosine_scores_best_first(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 200, kind)
    vecs = random_vectors(200)
    query = random_vectors(1, seed=9)[0]
    ids, scores = index.search(query, 10)
    assert ids.dtype == np.int64 and scores.dtype == np.float32
    np.testing.assert_allclose(scores, vecs[ids - 1] @ query, atol=1e-5)
    assert np.all(np.diff(scores) <= 0)


def test_empty_index_returns_empty_arrays(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 0, kind)
    ids, scores = index.search(random_vectors(1)[0], 10)
    assert ids.shape == (0,) and scores.shape == (0,)
    assert len(index) == 0 and index.live_ids().shape == (0,)
    assert index.deleted_fraction == 0.0


def test_k_larger_than_live_count_returns_all_live(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 5, kind)
    index.remove([2, 4])
    ids, scores = index.search(random_vectors(1, seed=3)[0], 10)
    assert sorted(ids.tolist()) == [1, 3, 5]
    assert len(scores) == 3


def test_search_rejects_a_query_of_the_wrong_shape(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 5, kind)
    with pytest.raises(ValueError):
        index.search(np.ones(DIM + 1, np.float32), 3)


# --------------------------------------------------------------------------------- writing


def test_add_replaces_the_vector_of_an_existing_id(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 100, kind)
    new_vector = random_vectors(1, seed=42)[0]
    index.add(np.array([7]), new_vector[None, :])
    ids, scores = index.search(new_vector, 1)
    assert ids[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-5)
    ids, scores = index.search(random_vectors(100)[6], 100)  # id 7's old vector
    assert ids[0] != 7
    assert scores[ids == 7] == pytest.approx(float(new_vector @ random_vectors(100)[6]), abs=1e-5)
    # hnswlib replaces in place; the quantized kind masks the old row and appends a new one
    assert len(index) == 100 and index.element_count == (100 if kind == "hnsw" else 101)


def test_adding_a_removed_id_makes_it_live_with_its_new_vector(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 50, kind)
    index.remove([10])
    new_vector = random_vectors(1, seed=5)[0]
    index.add(np.array([10]), new_vector[None, :])
    assert 10 in index.live_ids()
    ids, scores = index.search(new_vector, 1)
    assert ids[0] == 10 and scores[0] == pytest.approx(1.0, abs=1e-5)


def test_vectors_gives_the_stored_vectors_of_live_ids(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 50, kind)
    vecs = random_vectors(50)
    np.testing.assert_allclose(index.vectors(np.array([7, 3, 50])), vecs[[6, 2, 49]], atol=1e-6)
    index.remove([3])
    with pytest.raises(KeyError):
        index.vectors(np.array([3]))


def test_a_repeated_id_in_one_add_keeps_its_last_vector(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 0, kind)
    vecs = random_vectors(3)
    index.add(np.array([1, 2, 1]), vecs)
    assert len(index) == 2
    assert index.search(vecs[2], 1)[1][0] == pytest.approx(1.0, abs=1e-5)


def test_remove_hides_ids_from_search_and_live_ids(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 100, kind)
    vecs = random_vectors(100)
    removed = [3, 50, 99]
    index.remove(removed + [12345])  # an unknown id is ignored
    index.remove([3])  # removing twice is harmless
    assert len(index) == 97
    assert not set(removed) & set(index.live_ids().tolist())
    for label in removed:
        ids, _ = index.search(vecs[label - 1], 100)
        assert label not in ids
    assert index.deleted_fraction == pytest.approx(3 / 100)


def test_capacity_grows_past_the_initial_size(tmp_path: Path, kind: str) -> None:
    n = 2600  # more than twice the initial capacity of 1024
    index = make_index(tmp_path, 0, kind)
    vecs = random_vectors(n)
    for start in range(0, n, 700):
        index.add(np.arange(start, min(start + 700, n)), vecs[start : start + 700])
    assert len(index) == n
    np.testing.assert_array_equal(index.live_ids(), np.arange(n))
    for label in (0, 1023, 1024, 2047, 2599):
        assert index.search(vecs[label], 1)[0][0] == label


def test_churn_adds_in_fresh_slots_and_keeps_deleted_ones_until_a_rebuild(
        tmp_path: Path, kind: str) -> None:
    rng = np.random.default_rng(0)
    index = make_index(tmp_path, 500, kind)
    next_id = 501
    for round_ in range(3):
        victims = rng.choice(index.live_ids(), 20, replace=False)
        index.remove(victims.tolist())
        new_ids = np.arange(next_id, next_id + 20)
        index.add(new_ids, random_vectors(20, seed=100 + round_))
        next_id += 20
        assert len(index) == 500
        live = set(index.live_ids().tolist())
        assert not live & set(victims.tolist()) and set(new_ids.tolist()) <= live
    # new photos took fresh slots: the deleted ones stay (they still route searches)
    assert index.element_count == 560
    assert index.deleted_fraction == pytest.approx(60 / 560)
    assert index.needs_rebuild()  # past REBUILD_CHURN_FRACTION
    # a removed id can come back, with its new vector (hnswlib: in its old slot)
    gone = int(victims[0])
    index.add(np.array([gone]), random_vectors(1, seed=1)[:1])
    assert gone in index.live_ids() and len(index) == 501
    assert index.element_count == (560 if kind == "hnsw" else 561)
    assert index.search(random_vectors(1, seed=1)[0], 1)[0][0] == gone


def test_concurrent_searches_while_adding(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 200, kind)
    vecs = random_vectors(1200, seed=4)
    errors: list[BaseException] = []
    done = threading.Event()

    def searcher() -> None:
        try:
            while not done.is_set():
                ids, _ = index.search(vecs[0], 5)
                assert len(ids) == 5
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for start in range(0, 1200, 300):
        index.add(np.arange(1000 + start, 1300 + start), vecs[start : start + 300])
    done.set()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(index) == 1400


# --------------------------------------------------------------------------------- persistence


def test_save_and_open_round_trip_gives_identical_results(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 1500, kind)
    index.remove(range(1, 200, 2))
    index.save()
    again = open_index(kind, index.path)
    np.testing.assert_array_equal(again.live_ids(), index.live_ids())
    assert again.deleted_fraction == pytest.approx(index.deleted_fraction)
    for query in random_vectors(20, seed=11):
        ids_a, scores_a = index.search(query, 10)
        ids_b, scores_b = again.search(query, 10)
        np.testing.assert_array_equal(ids_a, ids_b)
        np.testing.assert_array_equal(scores_a, scores_b)
    assert index.sidecar_path.exists()


def test_without_a_sidecar_deleted_labels_are_recovered(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 300, kind)
    index.remove([5, 6, 7])
    index.save()
    index.sidecar_path.unlink()
    again = open_index(kind, index.path)
    if kind == "hnsw":
        np.testing.assert_array_equal(again.live_ids(), index.live_ids())
    else:  # the sidecar names the float file and holds the checksums: refilled instead
        assert len(again) == 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "bad sidecar checksum"])
def test_a_damaged_file_opens_as_an_empty_index(tmp_path: Path, kind: str, damage: str) -> None:
    index = make_index(tmp_path, 300, kind)
    index.save()
    data = index.path.read_bytes()
    if damage == "truncated":
        index.path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        index.path.write_bytes(np.random.default_rng(0).bytes(len(data)))
    elif damage == "empty":
        index.path.write_bytes(b"")
    else:
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0xFF
        index.path.write_bytes(bytes(flipped))
    again = open_index(kind, index.path)
    assert len(again) == 0
    assert again.search(random_vectors(1)[0], 5)[0].shape == (0,)
    again.add(np.array([1]), random_vectors(1))  # and it is usable
    assert len(again) == 1


def test_a_dimension_mismatch_opens_as_an_empty_index(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 100, kind)
    index.save()
    assert len(open_index(kind, index.path, DIM * 2)) == 0
    assert len(open_index(kind, index.path)) == 100
    if kind == "hnsw":
        index.sidecar_path.unlink()  # the file's own header tells the dimension too
        assert len(VectorIndex.open(index.path, DIM * 2, FAST)) == 0
        assert len(VectorIndex.open(index.path, DIM, FAST)) == 100


def test_a_crash_during_save_keeps_the_previous_file(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = make_index(tmp_path, 200, kind)
    index.save()
    old_ids = index.live_ids()
    index.remove(range(1, 101))
    index.add(np.arange(1000, 1050), random_vectors(50, seed=3))

    def crash(src: object, dst: object) -> None:
        raise OSError("simulated crash during save")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        index.save()
    monkeypatch.undo()
    assert saved_files(tmp_path) == expected_files(kind)
    again = open_index(kind, index.path)
    np.testing.assert_array_equal(again.live_ids(), old_ids)
    assert again.search(random_vectors(200)[0], 1)[0][0] == 1  # id 1, removed after the save


def test_a_short_write_on_a_full_disk_keeps_the_previous_file(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hnswlib writes without checking: on a full disk it leaves a short file and no error
    from engine.store import quantized_index, vector_index

    index = make_index(tmp_path, 200, kind)
    index.save()
    old_ids = index.live_ids()
    index.add(np.arange(1000, 1050), random_vectors(50, seed=3))
    module: object = vector_index if kind == "hnsw" else quantized_index
    name = "_fsync_and_checksum" if kind == "hnsw" else "fsync_and_checksum"
    real = getattr(module, name)

    def short_write(path: Path) -> tuple[int, int]:
        with open(path, "r+b") as f:
            f.truncate(path.stat().st_size // 3)
        return real(path)

    monkeypatch.setattr(module, name, short_write)
    with pytest.raises(OSError, match="disk full"):
        index.save()
    monkeypatch.undo()
    assert saved_files(tmp_path) == expected_files(kind)
    np.testing.assert_array_equal(open_index(kind, index.path).live_ids(), old_ids)


def test_a_crash_between_index_and_sidecar_gives_an_empty_index(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = make_index(tmp_path, 200, kind)
    index.save()
    index.remove(range(1, 50))
    real_replace = os.replace

    def crash_on_sidecar(src: str, dst: str) -> None:
        if str(dst).endswith(".json"):
            raise OSError("simulated crash before the sidecar")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_sidecar)
    with pytest.raises(OSError):
        index.save()
    monkeypatch.undo()
    # the new index file sits next to the old sidecar: the pair is not trusted, rebuild instead
    assert len(open_index(kind, index.path)) == 0


# --------------------------------------------------------------------------------- reconcile


class VectorStore:
    """Stands in for the catalog: vectors by photo id, and a record of what was fetched."""

    def __init__(self, n: int) -> None:
        self.vectors = random_vectors(n + 1)  # row i is photo i
        self.calls: list[list[int]] = []

    def load(self, ids: np.ndarray) -> np.ndarray:
        self.calls.append(ids.tolist())
        return self.vectors[ids]


def test_reconcile_adds_missing_and_removes_extra_ids(tmp_path: Path, kind: str) -> None:
    store = VectorStore(200)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 101), store.vectors[1:101])
    catalog = np.arange(6, 106)
    report = index.reconcile(catalog, store.load)
    assert report == ReconcileReport(added=5, removed=5, rebuilt=0)
    assert store.calls == [list(range(101, 106))]
    np.testing.assert_array_equal(index.live_ids(), catalog)
    assert index.search(store.vectors[105], 1)[0][0] == 105
    assert index.reconcile(catalog, store.load) == ReconcileReport(0, 0, 0)


def test_reconcile_rebuilds_after_heavy_change(tmp_path: Path, kind: str) -> None:
    store = VectorStore(300)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 101), store.vectors[1:101])
    catalog = np.arange(61, 201)  # 60 removed and 100 added out of 100
    report = index.reconcile(catalog, store.load)
    assert report == ReconcileReport(added=100, removed=60, rebuilt=140)
    assert store.calls == [catalog.tolist()]
    np.testing.assert_array_equal(index.live_ids(), catalog)
    assert index.deleted_fraction == 0.0 and index.element_count == 140


def test_reconcile_rebuilds_a_churned_graph(tmp_path: Path, kind: str) -> None:
    store = VectorStore(100)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 101), store.vectors[1:101])
    index.remove(range(1, 26))  # 25% of the slots deleted
    assert index.needs_rebuild()
    report = index.reconcile(np.arange(26, 101), store.load)
    assert report == ReconcileReport(added=0, removed=0, rebuilt=75)
    assert not index.needs_rebuild() and index.element_count == 75


def test_an_index_built_with_another_m_needs_a_rebuild(tmp_path: Path) -> None:
    kind = "hnsw"  # the quantized kind has no graph (its lists follow its size: see
    # test_quantized_index.test_a_grown_library_asks_for_a_rebuild_that_retrains_with_more_lists)
    index = make_index(tmp_path, 50, kind)
    index.save()
    assert not open_index(kind, index.path).needs_rebuild()
    assert open_index(kind, index.path, m=8).needs_rebuild()


def test_saving_leaves_no_temp_files(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 10, kind)
    (tmp_path / f"vectors.{kind}.abc123.tmp").write_bytes(b"left by a crash")
    index.save()
    index.save()
    assert saved_files(tmp_path) == expected_files(kind)


def test_deleted_slots_count_as_churn_until_a_rebuild(tmp_path: Path, kind: str) -> None:
    store = VectorStore(200)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 101), store.vectors[1:101])
    index.remove(range(1, 9))
    index.add(np.arange(101, 109), store.vectors[101:109])  # fresh slots: 8 of 108 deleted
    assert index.churn_fraction == pytest.approx(8 / 108)
    assert not index.needs_rebuild()
    index.save()
    again = open_index(kind, index.path)
    assert again.churn_fraction == pytest.approx(8 / 108)
    catalog = np.arange(14, 114)  # 5 more gone and 5 new: churn would reach 12%
    assert again.reconcile(catalog, store.load) == ReconcileReport(5, 5, 100)
    assert again.churn_fraction == 0.0
    np.testing.assert_array_equal(again.live_ids(), catalog)


def test_reconcile_without_rebuild_updates_in_place(tmp_path: Path, kind: str) -> None:
    store = VectorStore(300)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 101), store.vectors[1:101])
    catalog = np.arange(51, 201)  # half gone, 100 new: a rebuild is due, but not allowed
    report = index.reconcile(catalog, store.load, allow_rebuild=False)
    assert report == ReconcileReport(100, 50, 0)
    np.testing.assert_array_equal(index.live_ids(), catalog)
    assert index.needs_rebuild()


def test_a_concurrent_rebuild_keeps_the_writes_made_meanwhile(tmp_path: Path, kind: str) -> None:
    store = VectorStore(400)
    index = open_index(kind, index_file(tmp_path, kind))
    index.add(np.arange(1, 201), store.vectors[1:201])
    index.remove(range(1, 41))
    assert index.needs_rebuild()
    started, release = threading.Event(), threading.Event()

    def slow_load() -> tuple[np.ndarray, np.ndarray]:
        started.set()
        release.wait(10)  # the catalog read of a big library: writes land meanwhile
        ids = np.arange(41, 201)
        return ids, store.load(ids)

    worker = threading.Thread(target=index.rebuild_concurrently, args=(slow_load,))
    worker.start()
    assert started.wait(10)
    index.add(np.arange(201, 221), store.vectors[201:221])  # new photos
    index.remove([41, 42])  # and two more deleted
    assert index.search(store.vectors[205], 1)[0][0] == 205  # searches go on meanwhile
    release.set()
    worker.join(10)
    assert not worker.is_alive()
    np.testing.assert_array_equal(index.live_ids(), np.arange(43, 221))
    assert index.deleted_fraction == pytest.approx(2 / 180) and not index.needs_rebuild()
    assert index.search(store.vectors[210], 1)[0][0] == 210
    assert 41 not in index.search(store.vectors[41], 5)[0]


def test_search_with_allowed_returns_only_allowed_photos(tmp_path: Path, kind: str) -> None:
    index = make_index(tmp_path, 400, kind)
    vecs = random_vectors(401)  # row i - 1 is photo i
    allowed = np.zeros(401, bool)
    allowed[::7] = True
    allowed[0] = False  # no photo 0
    ids, scores = index.search(vecs[3], 10, allowed=allowed)
    assert len(ids) == 10 and allowed[ids].all() and (np.diff(scores) <= 1e-6).all()
    ok = np.flatnonzero(allowed)
    exact, _ = exact_search(vecs[ok - 1], ok, vecs[3], 10)
    assert len(set(ids.tolist()) & set(exact.tolist())) >= 9
    few = np.zeros(401, bool)
    few[[5, 9]] = True  # fewer allowed than k: all of them, found one way or another
    assert sorted(index.search(vecs[3], 10, allowed=few)[0].tolist()) == [5, 9]
    assert index.search(vecs[3], 10, allowed=np.zeros(401, bool))[0].shape == (0,)


def test_the_file_save_wrote_opens_without_its_checksum_but_a_copy_is_checked(
        tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.store import quantized_index, vector_index

    index = make_index(tmp_path, 100, kind)
    index.save()
    calls: list[Path] = []
    real_crc = vector_index._file_crc32
    real_prefix = quantized_index._prefix_crc32

    def counted(path: Path) -> int:
        calls.append(path)
        return real_crc(path)

    def counted_prefix(path: Path, size: int) -> int:
        calls.append(path)
        return real_prefix(path, size)

    monkeypatch.setattr(vector_index, "_file_crc32", counted)
    monkeypatch.setattr(quantized_index, "file_crc32", counted)
    monkeypatch.setattr(quantized_index, "_prefix_crc32", counted_prefix)
    assert len(open_index(kind, index.path)) == 100 and calls == []
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in tmp_path.iterdir():
        if item.is_file():
            (copy / item.name).write_bytes(item.read_bytes())
    # the copy: the index file and (quantized) the float file are checked
    assert len(open_index(kind, copy / index.path.name)) == 100
    assert len(calls) == (1 if kind == "hnsw" else 2)


def test_large_indexes_search_wider_by_default() -> None:
    # recall falls as the graph grows (docs/benchmarks.md, 1M photos): the default breadth grows
    from engine.store.vector_index import _breadth_factor

    factors = [_breadth_factor(n) for n in (10, 100_000, 200_000, 200_001, 500_001, 5_000_000)]
    assert factors == [1, 1, 1, 2, 4, 4]
