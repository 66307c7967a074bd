"""What only the quantized vector index kind (engine.store.quantized_index) has to get right:
masked rows, its float file beside the index, the quantizer's training, and the library
choosing and switching between the two kinds (engine.store.photo_vectors).

The behaviour both kinds share is tested over both in test_vectors.py."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.store import photo_vectors, quantized_index
from engine.store.catalog import Catalog, PhotoRecord
from engine.store.photo_vectors import PhotoVectors, index_path, kind_of
from engine.store.quantized_index import QuantizedIndex, QuantizedParams
from engine.store.vector_index import VectorIndex, exact_search

DIM = 32
FAST = QuantizedParams()  # a small index scans most of its lists at the default breadth


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def clustered(n: int, dim: int = DIM, clusters: int = 20, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = unit(rng.standard_normal((clusters, dim), dtype=np.float32))
    return unit(centres[rng.integers(0, clusters, n)]
                + rng.standard_normal((n, dim), dtype=np.float32) / np.sqrt(dim))


def filled(tmp_path: Path, n: int, seed: int = 0, params: QuantizedParams = FAST
           ) -> tuple[QuantizedIndex, np.ndarray]:
    """An index of photos 1..n; row i - 1 of the returned vectors is photo i."""
    vecs = clustered(n, seed=seed)
    index = QuantizedIndex.open(tmp_path / "v.sq8", DIM, params)
    index.add(np.arange(1, n + 1), vecs)
    return index, vecs


@pytest.mark.parametrize(("ef", "goal"), [(None, 0.99), (100, 0.9)])
def test_recall_on_clustered_vectors_with_deletions_and_replacements(
        tmp_path: Path, ef: int | None, goal: float) -> None:
    # the default breadth, then a narrow one that probes under half of the lists
    index, vecs = filled(tmp_path, 4000)
    rng = np.random.default_rng(1)
    gone = rng.choice(np.arange(1, 4001), 300, replace=False)
    index.remove(gone.tolist())
    moved = rng.choice(np.setdiff1d(np.arange(1, 4001), gone), 200, replace=False)
    new_vecs = clustered(200, seed=9)
    index.add(moved, new_vecs)
    truth = vecs.copy()
    truth[moved - 1] = new_vecs
    live = np.setdiff1d(np.arange(1, 4001), gone)
    queries = clustered(60, seed=5)
    hits = 0
    for query in queries:
        got, scores = index.search(query, 10, ef=ef)
        want, _ = exact_search(truth[live - 1], live, query, 10)
        assert not set(got.tolist()) & set(gone.tolist())
        np.testing.assert_allclose(scores, truth[got - 1] @ query, atol=1e-5)  # the new vectors
        hits += len(set(got.tolist()) & set(want.tolist()))
    assert hits / 600 >= goal
    assert index.element_count == 4200 and len(index) == 3700
    if ef is not None:
        assert quantized_index.nprobe(index.nlist, ef, index.element_count) < index.nlist / 2


def test_filters_run_inside_the_graph_and_never_return_masked_rows(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 2000)
    index.add(np.array([10]), clustered(1, seed=3))  # photo 10's first row is now masked
    index.remove([20])
    allowed = np.zeros(1500, bool)  # shorter than the ids: photos past it are not allowed
    allowed[::3] = True
    for query in (vecs[9], vecs[19], vecs[299]):
        ids, scores = index.search(query, 20, allowed=allowed)
        assert len(ids) == 20 and (ids < 1500).all() and allowed[ids].all()
        assert 20 not in ids
        assert np.all(np.diff(scores) <= 1e-6)
    ids, scores = index.search(vecs[9], 5, allowed=allowed)  # photo 10: its new vector only
    assert 10 not in ids or scores[ids == 10][0] == pytest.approx(
        float(clustered(1, seed=3)[0] @ vecs[9]), abs=1e-5)


def test_each_write_refreshes_which_rows_searches_skip(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 500)
    index.remove([1])  # masked rows: the searches below use the packed live rows
    for victim in (2, 3, 4):
        assert index.search(vecs[victim - 1], 1)[0][0] == victim
        index.remove([victim])
        assert victim not in index.search(vecs[victim - 1], 10)[0]
    index.add(np.array([3]), vecs[2:3])  # back again
    assert index.search(vecs[2], 1)[0][0] == 3


def test_re_adding_the_same_vectors_masks_nothing(tmp_path: Path) -> None:
    # the open refreshes photos touched since the last save: mostly with the vectors they have
    index, vecs = filled(tmp_path, 300)
    changed = vecs[:20].copy()
    changed[5] = clustered(1, seed=8)[0]
    index.add(np.arange(1, 21), changed)
    assert index.element_count == 301 and len(index) == 300
    assert index.search(changed[5], 1)[0][0] == 6


def test_a_small_first_batch_trains_a_safe_range_and_asks_for_a_retraining_rebuild(
        tmp_path: Path) -> None:
    # a single photo: under the 16 points each 4-bit codebook needs, so its jittered copies
    # train them too
    index = QuantizedIndex.open(tmp_path / "v.sq8", DIM, FAST)
    first = clustered(10, seed=1)
    index.add(np.arange(1, 2), first[:1])
    assert index.trained_on == 1 and index.search(first[0], 1)[0].tolist() == [1]
    index.add(np.arange(2, 11), first[1:])
    assert index.needs_rebuild()  # served 10 times what it was trained on
    more = clustered(200, seed=2)
    index.add(np.arange(11, 211), more)
    # a vector far outside anything trained on is found, with its exact score
    odd = unit(-first.sum(axis=0))
    index.add(np.array([999]), odd[None, :])
    ids, scores = index.search(odd, 1)
    assert ids[0] == 999 and scores[0] == pytest.approx(1.0, abs=1e-6)
    all_ids = np.concatenate([np.arange(1, 211), [999]])
    all_vecs = np.concatenate([first, more, odd[None, :]])
    index.rebuild(all_ids, all_vecs)
    assert not index.needs_rebuild() and index.element_count == 211


def test_appends_after_a_reopen_keep_the_float_file_checksum(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 300)
    index.save()
    again = QuantizedIndex.open(index.path, DIM, FAST)
    extra = clustered(50, seed=7)
    again.add(np.arange(301, 351), extra)
    again.save()
    copy = tmp_path / "copy"  # a copy is checked against every checksum
    copy.mkdir()
    for item in tmp_path.iterdir():
        if item.is_file():
            shutil.copy(item, copy / item.name)
    third = QuantizedIndex.open(copy / "v.sq8", DIM, FAST)
    np.testing.assert_array_equal(third.live_ids(), np.arange(1, 351))
    assert third.search(extra[3], 1)[0][0] == 304


@pytest.mark.parametrize("damage", ["flipped", "truncated", "missing", "other sidecar"])
def test_a_damaged_or_mismatched_file_set_opens_empty_and_is_refilled(
        tmp_path: Path, damage: str) -> None:
    index, vecs = filled(tmp_path, 300)
    index.save()
    floats = index.floats_path
    sidecar_before = index.sidecar_path.read_bytes()
    if damage == "flipped":
        data = bytearray(floats.read_bytes())
        data[len(data) // 2] ^= 0x40
        floats.write_bytes(bytes(data))
    elif damage == "truncated":
        floats.write_bytes(floats.read_bytes()[: floats.stat().st_size // 2])
    elif damage == "missing":
        floats.unlink()
    else:  # the index file of one save beside the sidecar of the next
        index_before = index.path.read_bytes()
        index.add(np.arange(301, 311), clustered(10, seed=4))
        index.save()
        index.path.write_bytes(index_before)
        assert index.sidecar_path.read_bytes() != sidecar_before
    again = QuantizedIndex.open(index.path, DIM, FAST)
    assert len(again) == 0 and again.search(vecs[0], 5)[0].shape == (0,)
    report = again.reconcile(np.arange(1, 301), lambda ids: vecs[ids - 1])
    assert report.added == 300
    again.save()
    assert QuantizedIndex.open(index.path, DIM, FAST).search(vecs[41], 1)[0][0] == 42


def test_unsaved_rows_after_a_crash_are_dropped(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 300)
    index.save()
    index.add(np.arange(301, 401), clustered(100, seed=4))  # appended, never saved: a crash
    again = QuantizedIndex.open(index.path, DIM, FAST)
    np.testing.assert_array_equal(again.live_ids(), np.arange(1, 301))
    assert again.floats_path.stat().st_size == 300 * DIM * 4
    again.add(np.array([500]), vecs[:1])  # and it goes on appending where the saved rows end
    assert again.search(vecs[0], 2)[0].tolist() in ([1, 500], [500, 1])


def test_a_rebuild_writes_a_new_float_file_and_the_save_drops_the_old(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 300)
    index.remove(range(1, 61))
    index.save()
    old = index.floats_path
    assert index.needs_rebuild()
    index.rebuild(np.arange(61, 301), vecs[60:])
    assert index.floats_path != old and old.exists()
    # a crash now leaves the saved set intact; its open drops the unsaved generation
    reopened = QuantizedIndex.open(index.path, DIM, FAST)
    assert reopened.element_count == 300 and len(reopened) == 240
    assert not index.floats_path.exists()
    index.rebuild(np.arange(61, 301), vecs[60:])
    index.save()
    assert not old.exists()
    again = QuantizedIndex.open(index.path, DIM, FAST)
    assert again.element_count == 240 and again.churn_fraction == 0.0
    assert again.search(vecs[99], 1)[0][0] == 100


def test_a_new_library_adds_before_its_index_folder_exists(tmp_path: Path) -> None:
    index = QuantizedIndex.open(tmp_path / "index" / "v.sq8", DIM, FAST)
    index.add(np.arange(1, 4), clustered(3))
    assert len(index) == 3 and index.floats_path.parent == tmp_path / "index"


def test_lists_and_breadth_follow_the_size_of_the_index() -> None:
    lists = quantized_index.ivf_lists
    # about 4 sqrt(n), a power of two, at most 4096, fewer where n gives under 39 per list
    assert [lists(n) for n in (10, 100, 5000, 100_000, 1_000_000, 9_000_000)] == [
        1, 2, 128, 1024, 4096, 4096]
    assert all(lists(n) * 39 <= n for n in (100, 5000, 100_000, 1_000_000))
    nprobe = quantized_index.nprobe
    # large indexes probe a share of the lists (4.8 % at the default breadth, as measured)
    assert nprobe(4096, 480, 1_000_000) == 197 and nprobe(1024, 480, 200_000) == 49
    assert nprobe(1024, 480, 100_000) == 79  # 7.7 %: 1024 lists need more than 4.8 %
    assert nprobe(4096, 128, 1_000_000) < nprobe(4096, 1024, 1_000_000) <= 4096
    # small ones scan at least 16 ef vectors: every list of a small index at the default
    assert nprobe(64, 480, 4000) == 64 and nprobe(64, 100, 4000) == 26
    assert nprobe(16, 1, 10**9) == 1 and nprobe(16, 10**6, 100) == 16


def test_a_grown_library_asks_for_a_rebuild_that_retrains_with_more_lists(
        tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 2000)
    assert (index.trained_on, index.nlist) == (2000, 32)
    more = clustered(6000, seed=3)
    index.add(np.arange(2001, 8000), more[:5999])
    assert not index.needs_rebuild()  # 7,999 live: under four times 2,000
    index.add(np.array([8000]), more[5999:])
    index.save()
    reopened = QuantizedIndex.open(index.path, DIM, FAST)  # the sidecar keeps the training
    assert reopened.trained_on == 2000 and reopened.needs_rebuild()
    all_vecs = np.concatenate([vecs, more])
    assert reopened.rebuild_concurrently(lambda: (np.arange(1, 8001), all_vecs)) == 8000
    assert (reopened.trained_on, reopened.nlist) == (8000, 128)
    assert not reopened.needs_rebuild()
    assert reopened.search(all_vecs[4321], 1)[0][0] == 4322


def as_earlier_format(path: Path, fmt: int) -> None:
    """Rewrite the saved index at ``path`` as an earlier format held the same rows: 1 an HNSW
    graph over 8-bit vectors, 2 inverted lists over 8-bit vectors (no 4-bit stage)."""
    sidecar = path.with_name(path.name + ".json")
    meta = json.loads(sidecar.read_text())
    rows = meta["rows"]
    vecs = np.fromfile(path.parent / meta["floats"], "<f4").reshape(-1, DIM)[:rows]
    with path.open("rb") as f:
        f.seek(meta["faiss_bytes"])
        tail = f.read()  # the row ids and flags, as every format keeps them
    fx = quantized_index._faiss()
    if fmt == 1:
        old = fx.IndexHNSWSQ(DIM, fx.ScalarQuantizer.QT_8bit, 16, fx.METRIC_INNER_PRODUCT)
    else:
        coarse = fx.IndexFlatIP(DIM)
        old = fx.IndexIVFScalarQuantizer(coarse, DIM, 4, fx.ScalarQuantizer.QT_8bit,
                                         fx.METRIC_INNER_PRODUCT)
        old.referenced_objects = [coarse]
    old.train(vecs)
    old.add(vecs)
    with path.open("wb") as f:
        fx.write_index(old, fx.PyCallbackIOWriter(f.write))
        faiss_bytes = f.tell()
        f.write(tail)
    stat = path.stat()
    meta.update(format=fmt, faiss_bytes=faiss_bytes, index_bytes=stat.st_size,
                index_crc32=quantized_index.file_crc32(path),
                index_mtime_ns=stat.st_mtime_ns, index_inode=stat.st_ino)
    sidecar.write_text(json.dumps(meta))


def sidecar_format(path: Path) -> int:
    return int(json.loads(path.with_name(path.name + ".json").read_text())["format"])


def test_an_hnsw_index_of_the_first_format_opens_empty_and_is_refilled(tmp_path: Path) -> None:
    # format 1 held faiss HNSW-SQ8: a library saved by that version refills from its catalog
    index, vecs = filled(tmp_path, 300)
    index.save()
    as_earlier_format(index.path, 1)
    assert len(QuantizedIndex.open(index.path, DIM, FAST)) == 0
    for fmt in (2, quantized_index.FORMAT_VERSION):  # and were its sidecar of a later format,
        meta = json.loads(index.sidecar_path.read_text())  # the HNSW graph is refused
        index.sidecar_path.write_text(json.dumps({**meta, "format": fmt}))
        assert len(QuantizedIndex.open(index.path, DIM, FAST)) == 0
    again = QuantizedIndex.open(index.path, DIM, FAST)
    assert again.reconcile(np.arange(1, 301), lambda ids: vecs[ids - 1]).added == 300
    again.save()
    assert QuantizedIndex.open(index.path, DIM, FAST).search(vecs[41], 1)[0][0] == 42


def test_lists_of_the_previous_format_are_searched_until_a_rebuild_updates_them(
        tmp_path: Path) -> None:
    # format 2 held inverted lists over 8-bit vectors: an upgraded library searches them as
    # they are (a refill at the open would take minutes at a million) and rebuilds them
    index, vecs = filled(tmp_path, 300)
    index.remove([7])
    index.save()
    as_earlier_format(index.path, 2)
    old = QuantizedIndex.open(index.path, DIM, FAST)
    assert len(old) == 299 and old.needs_rebuild()
    assert old.search(vecs[41], 1)[0][0] == 42 and 7 not in old.search(vecs[6], 5)[0]
    extra = clustered(1, seed=5)
    old.add(np.array([301]), extra)  # writes land on the old lists, and are saved with them
    old.save()
    assert sidecar_format(index.path) == 2
    reopened = QuantizedIndex.open(index.path, DIM, FAST)
    assert len(reopened) == 300 and reopened.search(extra[0], 1)[0][0] == 301
    live = np.setdiff1d(np.arange(1, 302), [7])
    everything = np.concatenate([vecs, extra])
    assert reopened.rebuild_concurrently(lambda: (live, everything[live - 1])) == 300
    assert not reopened.needs_rebuild()
    reopened.save()
    assert sidecar_format(index.path) == quantized_index.FORMAT_VERSION
    # and were the old lists' sidecar of the current format, they would be refused
    as_earlier_format(index.path, 2)
    meta = json.loads(index.sidecar_path.read_text())
    index.sidecar_path.write_text(json.dumps({**meta, "format": quantized_index.FORMAT_VERSION}))
    assert len(QuantizedIndex.open(index.path, DIM, FAST)) == 0


def test_an_empty_index_saves_and_reopens(tmp_path: Path) -> None:
    index = QuantizedIndex.open(tmp_path / "v.sq8", DIM, FAST)
    index.save()
    again = QuantizedIndex.open(index.path, DIM, FAST)
    assert len(again) == 0 and again.search(clustered(1)[0], 3)[0].shape == (0,)
    again.add(np.arange(1, 6), clustered(5))
    assert len(again) == 5


def test_searches_go_on_during_a_concurrent_rebuild(tmp_path: Path) -> None:
    index, vecs = filled(tmp_path, 500)
    index.remove(range(1, 101))
    errors: list[BaseException] = []
    done = threading.Event()

    def searcher() -> None:
        try:
            while not done.is_set():
                ids, _ = index.search(vecs[200], 5)
                assert ids[0] == 201 and not (ids <= 100).any()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=searcher)
    thread.start()
    index.rebuild_concurrently(lambda: (np.arange(101, 501), vecs[100:500]))
    done.set()
    thread.join()
    assert not errors and index.element_count == 400


# --------------------------------------------------------------------------------- choosing


MODEL = "test-model"


def fill_catalog(catalog: Catalog, folder: Path, n: int, start: int = 0) -> list[int]:
    vecs = clustered(n, seed=start)
    folder_id = catalog.folder_ids().get(str(folder)) or catalog.add_folder(folder)
    records = [PhotoRecord(str(folder / f"{i}.jpg"), folder_id, 1, 1, f"h{i}")
               for i in range(start, start + n)]
    with catalog.transaction() as conn:
        ids = catalog.upsert_photos(records, conn)
        catalog.put_embeddings([(f"h{start + i}", vecs[i]) for i in range(n)], MODEL, conn)
    return sorted(ids.values())


def all_found(vectors: PhotoVectors, catalog: Catalog) -> bool:
    """Every searchable photo is in the index and finds itself first."""
    ids, vecs = catalog.searchable_vectors(MODEL, DIM)
    if not np.array_equal(vectors.index.live_ids(), ids):
        return False
    return all(vectors.index.search(vecs[i], 1)[0][0] == ids[i] for i in range(0, len(ids), 7))


def test_the_library_size_picks_the_kind_and_a_switch_keeps_every_photo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(photo_vectors.VECTOR_INDEX_ENV, raising=False)
    monkeypatch.setattr(photo_vectors, "QUANTIZED_THRESHOLD", 100)
    catalog = Catalog(tmp_path / "catalog.db")
    folder = tmp_path / "photos"
    fill_catalog(catalog, folder, 60)
    small = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert kind_of(small.index) == "hnsw" and all_found(small, catalog)
    fill_catalog(catalog, folder, 60, start=60)  # 120: past the threshold
    big = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)  # small enough to switch on open
    assert kind_of(big.index) == "sq8" and big.rebuilding is None and all_found(big, catalog)
    assert not index_path(tmp_path, MODEL).exists()  # the hnsw files went with the save
    assert sorted(p.suffix for p in (tmp_path / "index").iterdir()) == [".f32", ".json", ".sq8"]
    # 90 photos: under the threshold but above 80% of it: it stays sq8 (no flapping)
    with catalog.transaction() as conn:
        catalog.delete_photos(sorted(catalog.searchable_ids(MODEL).tolist())[:30], conn)
    assert kind_of(PhotoVectors.open(catalog, tmp_path, MODEL, DIM).index) == "sq8"
    with catalog.transaction() as conn:
        catalog.delete_photos(sorted(catalog.searchable_ids(MODEL).tolist())[:20], conn)
    back = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)  # 70: back to hnswlib
    assert kind_of(back.index) == "hnsw" and all_found(back, catalog)
    assert catalog.searchable_ids(MODEL).size == 70  # switching never touched the catalog
    catalog.close()


def test_a_large_library_switches_kind_in_the_background_and_keeps_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_vectors, "REBUILD_ON_OPEN_LIMIT", 50)  # "large": over 50
    catalog = Catalog(tmp_path / "catalog.db")
    folder = tmp_path / "photos"
    fill_catalog(catalog, folder, 200)
    PhotoVectors.open(catalog, tmp_path, MODEL, DIM, kind="hnsw").save()
    started, release = threading.Event(), threading.Event()
    real = QuantizedIndex.rebuild

    def slow_rebuild(self: QuantizedIndex, ids: np.ndarray, vecs: np.ndarray) -> None:
        started.set()
        release.wait(10)  # writes land while the new kind is built
        real(self, ids, vecs)

    monkeypatch.setattr(QuantizedIndex, "rebuild", slow_rebuild)
    monkeypatch.setenv(photo_vectors.VECTOR_INDEX_ENV, "sq8")
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert isinstance(vectors.index, VectorIndex)  # never rebuilt on the open
    assert vectors.rebuilding is not None and started.wait(10)
    new_ids = fill_catalog(catalog, folder, 10, start=200)
    _, new_vecs = catalog.searchable_vectors(MODEL, DIM, new_ids)
    vectors.upsert(np.array(new_ids), new_vecs)
    gone = sorted(catalog.searchable_ids(MODEL).tolist())[:5]
    with catalog.transaction() as conn:
        catalog.delete_photos(gone, conn)
    vectors.remove(gone)
    assert vectors.index.search(new_vecs[0], 1)[0][0] == new_ids[0]  # the old one answers
    release.set()
    vectors.rebuilding.join(30)
    assert isinstance(vectors.index, QuantizedIndex) and all_found(vectors, catalog)
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)  # saved, old files gone
    assert isinstance(again.index, QuantizedIndex) and again.rebuilding is None
    assert again.index.element_count == 210  # 200 built, 10 replayed adds, 5 of them masked
    assert all_found(again, catalog) and not index_path(tmp_path, MODEL).exists()
    catalog.close()


def test_a_large_library_updates_lists_of_the_previous_format_in_the_background(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_vectors, "REBUILD_ON_OPEN_LIMIT", 50)  # "large": over 50
    catalog = Catalog(tmp_path / "catalog.db")
    fill_catalog(catalog, tmp_path / "photos", 200)
    PhotoVectors.open(catalog, tmp_path, MODEL, DIM, kind="sq8").save()
    path = index_path(tmp_path, MODEL, kind="sq8")
    as_earlier_format(path, 2)
    started, release = threading.Event(), threading.Event()
    real = QuantizedIndex.rebuild_concurrently

    def held(self: QuantizedIndex, load: Any) -> int:
        started.set()
        release.wait(10)
        return real(self, load)

    monkeypatch.setattr(QuantizedIndex, "rebuild_concurrently", held)
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM, kind="sq8")
    # the open kept the old lists (no refill from the catalog) and searches them
    assert len(vectors.index) == 200 and vectors.index.needs_rebuild()
    assert vectors.rebuilding is not None and started.wait(10)
    assert all_found(vectors, catalog)
    release.set()
    vectors.rebuilding.join(30)
    assert not vectors.index.needs_rebuild() and all_found(vectors, catalog)
    assert sidecar_format(path) == quantized_index.FORMAT_VERSION  # saved by the rebuild
    catalog.close()


def test_an_indexing_run_past_the_threshold_switches_at_its_next_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(photo_vectors.VECTOR_INDEX_ENV, raising=False)
    monkeypatch.setattr(photo_vectors, "QUANTIZED_THRESHOLD", 100)
    catalog = Catalog(tmp_path / "catalog.db")
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    for start in (0, 80):  # the indexer writes and saves batch by batch
        ids = fill_catalog(catalog, tmp_path / "photos", 80, start=start)
        vectors.upsert(np.array(ids), catalog.searchable_vectors(MODEL, DIM, ids)[1])
        vectors.save()
        if start == 0:
            assert vectors.rebuilding is None and kind_of(vectors.index) == "hnsw"
    assert vectors.rebuilding is not None
    vectors.rebuilding.join(30)
    assert kind_of(vectors.index) == "sq8" and all_found(vectors, catalog)
    catalog.close()


def test_a_large_library_grown_fourfold_retrains_at_a_save_of_its_indexing_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_vectors, "REBUILD_ON_OPEN_LIMIT", 50)
    catalog = Catalog(tmp_path / "catalog.db")
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM, kind="sq8")
    for start, count in ((0, 60), (60, 170), (230, 10)):  # the indexer's batches and saves
        ids = fill_catalog(catalog, tmp_path / "photos", count, start=start)
        vectors.upsert(np.array(ids), catalog.searchable_vectors(MODEL, DIM, ids)[1])
        vectors.save()
        if start < 230:  # 60, then 230 photos: under four times the 60 trained on
            assert vectors.rebuilding is None
    assert vectors.rebuilding is not None
    vectors.rebuilding.join(30)
    index = vectors.index
    assert isinstance(index, QuantizedIndex) and index.trained_on == 240
    assert not index.needs_rebuild() and all_found(vectors, catalog)
    catalog.close()


def test_without_faiss_the_engine_keeps_to_hnswlib(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(quantized_index, "_faiss", lambda: None)  # faiss-cpu not installed
    monkeypatch.setattr(photo_vectors, "QUANTIZED_THRESHOLD", 10)
    monkeypatch.setenv(photo_vectors.VECTOR_INDEX_ENV, "sq8")
    catalog = Catalog(tmp_path / "catalog.db")
    fill_catalog(catalog, tmp_path / "photos", 40)
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert kind_of(vectors.index) == "hnsw" and all_found(vectors, catalog)
    assert "faiss-cpu" in caplog.text
    catalog.close()
