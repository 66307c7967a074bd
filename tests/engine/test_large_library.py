"""What keeps a million-photo library fluid, on a small one: the vector index is never
rebuilt on open (a graph that needs it is rebuilt in the background while searches and writes go
on), and the figures the app repaints are computed once per change, not once per call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.api import Library, SearchFilters
from engine.store import photo_vectors
from engine.store.catalog import Catalog, PhotoRecord
from engine.store.photo_vectors import PhotoVectors

MODEL, DIM = "test-model", 16


def fill(catalog: Catalog, folder: Path, n: int, seed: int = 0) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    vecs = rng.standard_normal((n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    folder_id = catalog.add_folder(folder)
    records = [PhotoRecord(str(folder / f"sub{i % 3}" / f"{i}.jpg"), folder_id, 1, 1, f"h{i}",
                           taken_at=f"20{10 + i % 10}-01-01T00:00:00",
                           camera_make="Canon" if i % 2 else "Nikon") for i in range(n)]
    with catalog.transaction() as conn:
        ids = catalog.upsert_photos(records, conn)
        catalog.put_embeddings([(f"h{i}", vecs[i]) for i in range(n)], MODEL, conn)
    return ids


def test_a_large_library_opens_without_a_rebuild_and_rebuilds_in_the_background(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photo_vectors, "REBUILD_ON_OPEN_LIMIT", 50)  # "large": over 50 photos
    catalog = Catalog(tmp_path / "catalog.db")
    ids = fill(catalog, tmp_path / "photos", 200)
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert len(vectors) == 200 and vectors.rebuilding is None
    # 60 photos go while no index is open: on the next open the graph has 30% deleted slots
    gone = sorted(ids.values())[:60]
    with catalog.transaction() as conn:
        catalog.delete_photos(gone, conn)
    rebuilds: list[int] = []
    real_rebuild = vectors.index.rebuild
    monkeypatch.setattr("engine.store.vector_index.VectorIndex.rebuild",
                        lambda self, *a: rebuilds.append(1) or real_rebuild(*a))
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert rebuilds == []  # the open only marked the 60 deleted
    assert len(again) == 140
    assert again.rebuilding is not None
    again.rebuilding.join(30)
    assert not again.rebuilding.is_alive()
    assert again.index.deleted_fraction == 0.0 and again.index.element_count == 140
    third = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)  # the rebuilt graph was saved
    assert third.index.element_count == 140 and third.rebuilding is None
    catalog.close()


def test_a_small_library_still_rebuilds_on_open(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    ids = fill(catalog, tmp_path / "photos", 100)
    PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    with catalog.transaction() as conn:
        catalog.delete_photos(sorted(ids.values())[:40], conn)
    again = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    assert again.rebuilding is None and again.index.element_count == 60
    catalog.close()


def test_status_folders_and_cameras_do_not_rescan_the_catalog_on_repaint(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib", model="demo")
    folder = tmp_path / "photos"
    folder.mkdir()
    lib.add_folder(folder)
    fill(lib.catalog, folder.resolve(), 30)
    lib.status()  # the first one creates the analyses' tables: a write
    first = (lib.status(), lib.folders(), lib.cameras())
    assert first[0].photos == 30 and first[1][0].photos == 30
    statements: list[str] = []
    lib.catalog.conn.set_trace_callback(statements.append)
    assert (lib.status(), lib.folders(), lib.cameras()) == first  # a repaint
    assert not [s for s in statements if "photos" in s and "schema_versions" not in s]
    lib.catalog.conn.set_trace_callback(None)
    with lib.catalog.transaction() as conn:  # a write: the next repaint shows it
        lib.catalog.delete_photos([lib.catalog.filtered_ids(SearchFilters())[0]], conn)
    assert lib.status().photos == 29 and lib.folders()[0].photos == 29
    lib.close()


def test_a_common_caption_word_adds_only_the_best_of_its_matches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.media.caption_sources import PhotoCaption
    from engine.models.clip import parse_model_spec
    from engine.search import pipeline
    from engine.store.captions import store_photo_captions

    monkeypatch.setattr(pipeline, "LARGE_KEYWORD_MATCH", 10)  # read them from the index
    lib = Library.open(tmp_path / "lib", model="demo")
    folder = tmp_path / "photos"
    folder.mkdir()
    model_id = parse_model_spec("demo").model_id
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((300, 128)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    folder_id = lib.catalog.add_folder(folder.resolve())
    with lib.catalog.transaction() as conn:
        ids = lib.catalog.upsert_photos([PhotoRecord(str(folder / f"{i}.jpg"), folder_id, 1, 1,
                                                     f"h{i}") for i in range(300)], conn)
        lib.catalog.put_embeddings([(f"h{i}", vecs[i]) for i in range(300)], model_id, conn)
        for i in range(0, 300, 2):  # 150 photos captioned with the query word
            store_photo_captions(conn, ids[str(folder / f"{i}.jpg")],
                                 [PhotoCaption("a wedding in june", "test")])
    query = lib.embed_query("wedding")
    hits = lib.search("wedding", k=5, rerank=False, cut_off=False)
    assert len(hits) == 5 and all(h.keyword_match for h in hits)
    captioned = np.arange(0, 300, 2)
    best = captioned[np.argsort(-(vecs[captioned] @ query))[:5]]
    by_path = {str(folder / f"{i}.jpg"): i for i in range(300)}
    assert [by_path[str(h.path)] for h in hits] == best.tolist()
    lib.close()


def test_a_filters_vectors_are_read_once_until_the_vectors_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = Catalog(tmp_path / "catalog.db")
    ids = sorted(fill(catalog, tmp_path / "photos", 60).values())
    vectors = PhotoVectors.open(catalog, tmp_path, MODEL, DIM)
    reads: list[int] = []
    real = Catalog.searchable_vectors
    monkeypatch.setattr(Catalog, "searchable_vectors", lambda self, *a: reads.append(1) or real(
        self, *a))
    first = vectors.vectors_of(ids[:10])
    again = vectors.vectors_of(ids[:10])
    assert len(reads) == 1 and again[0].tolist() == first[0].tolist() == ids[:10]
    assert np.array_equal(again[1], first[1])
    # another connection's commit (another process indexing) and this object's own writes
    # both make the next read fresh
    other = Catalog(tmp_path / "catalog.db")
    with other.transaction() as conn:
        other.delete_photos([ids[0]], conn)
    other.close()
    assert vectors.vectors_of(ids[:10])[0].tolist() == ids[1:10] and len(reads) == 2
    vectors.remove([ids[1]])
    vectors.vectors_of(ids[:10])
    assert len(reads) == 3
    # only the last few filters are kept
    vectors.vectors_of(ids[20:30])
    vectors.vectors_of(ids[30:40])
    vectors.vectors_of(ids[:10])
    assert len(reads) == 6
    catalog.close()
