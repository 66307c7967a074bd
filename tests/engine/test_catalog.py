"""The SQLite catalog: migrations, pragmas, folders, photos, embeddings, filters."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from engine.media.formats import VIDEO_EXTENSIONS, media_kind
from engine.records import SearchFilters
from engine.store import catalog as catalog_module
from engine.store.catalog import Catalog, PhotoRecord

MODEL = "test-model"
OTHER = "other-model"


def vec(seed: int, dim: int = 4) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(tmp_path / "catalog.db")
    yield cat
    cat.close()


def add_photos(cat: Catalog, folder: Path, names: list[str], *, hashes: list[str] | None = None,
               **fields: object) -> dict[str, int]:
    folder_id = cat.add_folder(folder)
    hashes = hashes or [f"hash-{folder.name}-{n}" for n in names]
    records = [PhotoRecord(path=str(folder / n), folder_id=folder_id, size=100, mtime_ns=1,
                           content_hash=h, **fields) for n, h in zip(names, hashes, strict=True)]
    with cat.transaction() as conn:
        ids = cat.upsert_photos(records, conn)
        cat.put_embeddings([(h, vec(i)) for i, h in enumerate(hashes)], MODEL, conn)
    return ids


def count(cat: Catalog, table: str) -> int:
    return int(cat._query(f"SELECT COUNT(*) FROM {table}")[0][0])


# ----------------------------------------------------------------------------- migrations


def test_a_new_catalog_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "catalog.db")
    assert cat._query("PRAGMA user_version")[0][0] == len(catalog_module.MIGRATIONS) >= 1
    assert cat._query("PRAGMA journal_mode")[0][0].lower() == "wal"
    assert cat._query("PRAGMA foreign_keys")[0][0] == 1
    tables = {r[0] for r in cat._query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"folders", "photos", "embeddings", "settings"} <= tables
    cat.close()
    # A second connection (another process) sees a WAL database too.
    raw = sqlite3.connect(tmp_path / "catalog.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    raw.close()


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cat = Catalog(tmp_path / "catalog.db")
    add_photos(cat, tmp_path / "f", ["a.jpg"])
    cat.set_setting("last_model", MODEL)
    cat.close()
    # Any migration re-run would fail: CREATE TABLE on existing tables.
    cat = Catalog(tmp_path / "catalog.db")
    assert cat.get_setting("last_model") == MODEL and count(cat, "photos") == 1
    cat.close()


def test_an_old_catalog_is_brought_up_to_date(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    full = list(catalog_module.MIGRATIONS)
    monkeypatch.setattr(catalog_module, "MIGRATIONS", full[:1])
    cat = Catalog(tmp_path / "catalog.db")
    assert cat._query("PRAGMA user_version")[0][0] == 1
    cat.close()
    extra = "CREATE TABLE extra_things (id INTEGER PRIMARY KEY, note TEXT)"
    monkeypatch.setattr(catalog_module, "MIGRATIONS", [*full, extra])
    cat = Catalog(tmp_path / "catalog.db")
    assert cat._query("PRAGMA user_version")[0][0] == len(full) + 1
    assert cat._query("SELECT COUNT(*) FROM extra_things")[0][0] == 0
    cat.close()


def test_a_failing_migration_changes_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    Catalog(tmp_path / "catalog.db").close()
    version = len(catalog_module.MIGRATIONS)
    broken = "CREATE TABLE half_done (id INTEGER); INSERT INTO no_such_table VALUES (1)"
    monkeypatch.setattr(catalog_module, "MIGRATIONS", [*catalog_module.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Catalog(tmp_path / "catalog.db")
    raw = sqlite3.connect(tmp_path / "catalog.db")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    assert raw.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[
        0] == 0
    raw.close()


def test_migration_7_marks_the_videos_already_catalogued(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Files catalogued before migration 7 get the kind today's writes give them: every video
    extension in any case (a new extension needs a migration of its own: this fails then)."""
    full = list(catalog_module.MIGRATIONS)
    monkeypatch.setattr(catalog_module, "MIGRATIONS", full[:6])
    old = Catalog(tmp_path / "catalog.db")
    folder_id = old.add_folder(tmp_path / "f")
    videos = [f"clip{n}{ext}" for n, ext in enumerate(sorted(VIDEO_EXTENSIONS))]
    videos += [f"CAPS{n}{ext.upper()}" for n, ext in enumerate(sorted(VIDEO_EXTENSIONS))]
    videos += ["Mixed.Mp4", "dir.jpg/inside.mov"]
    others = ["a.jpg", "b.HEIC", "mp4.jpg", "film.mp4.png", "x.qtz", "y.mp", "raw.CR2", "noext"]
    with old.transaction() as conn:  # rows as that schema held them
        conn.executemany(
            "INSERT INTO photos(folder_id, path, size, mtime_ns, content_hash, updated_at) "
            "VALUES (?, ?, 1, 1, ?, '2020-01-01')",
            [(folder_id, str(tmp_path / "f" / name), f"h{n}")
             for n, name in enumerate(videos + others)])
    old.close()
    monkeypatch.setattr(catalog_module, "MIGRATIONS", full)
    cat = Catalog(tmp_path / "catalog.db")
    assert cat._query("PRAGMA user_version")[0][0] == len(full) >= 7
    kinds = {str(Path(r[0]).relative_to(tmp_path / "f")): r[1]
             for r in cat._query("SELECT path, media_kind FROM photos")}
    assert kinds == {name: media_kind(name) for name in videos + others}
    assert {name for name, kind in kinds.items() if kind == "video"} == set(videos)
    assert cat.counts(MODEL)["videos"] == len(videos)
    assert cat.count_of_kind("photo") == len(others)
    cat.close()


def test_writes_set_the_media_kind_and_a_rename_follows_the_extension(
        catalog: Catalog, tmp_path: Path) -> None:
    ids = {Path(p).name: i for p, i in add_photos(catalog, tmp_path / "a",
                                                   ["1.jpg", "2.MOV", "3.webm"]).items()}
    folder_id = catalog.folder_ids()[str(tmp_path / "a")]

    def kinds() -> dict[str, str]:
        return {Path(r[0]).name: r[1] for r in catalog._query(
            "SELECT path, media_kind FROM photos")}

    assert kinds() == {"1.jpg": "photo", "2.MOV": "video", "3.webm": "video"}
    with catalog.transaction() as conn:
        catalog.move_photo(ids["2.MOV"], str(tmp_path / "a" / "2.jpg"), folder_id, 100, 2, conn)
        catalog.move_photo(ids["1.jpg"], str(tmp_path / "a" / "1.mp4"), folder_id, 100, 2, conn)
        # a photo forgotten moments before comes back under its id (the insert of a move)
        catalog.move_photo(999, str(tmp_path / "a" / "4.m2ts"), folder_id, 100, 2, conn)
        # an upsert of a path keeps its kind (the same extension)
        catalog.upsert_photos([PhotoRecord(str(tmp_path / "a" / "3.webm"), folder_id, 5, 5,
                                           "changed")], conn)
    assert kinds() == {"1.mp4": "video", "2.jpg": "photo", "3.webm": "video", "4.m2ts": "video"}
    assert catalog.counts(MODEL)["videos"] == 3
    assert catalog.count_of_kind("video", readable=True) == 2  # the moved-in row has no hash
    with pytest.raises(ValueError):
        catalog.count_of_kind("audio")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- folders


def test_removing_a_folder_deletes_its_photos_and_orphaned_embeddings(
        catalog: Catalog, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    add_photos(catalog, a, ["1.jpg", "2.jpg", "3.jpg"], hashes=["h1", "h2", "shared"])
    add_photos(catalog, b, ["4.jpg", "5.jpg"], hashes=["h4", "shared"])
    with catalog.transaction() as conn:  # a second model's vectors go with them
        catalog.put_embeddings([("h1", vec(9)), ("h4", vec(8))], OTHER, conn)
    assert count(catalog, "embeddings") == 6
    assert catalog.remove_folder(a)
    assert count(catalog, "photos") == 2
    paths = {r[0] for r in catalog._query("SELECT path FROM photos")}
    assert paths == {str(b / "4.jpg"), str(b / "5.jpg")}
    hashes = {(r[0], r[1]) for r in catalog._query("SELECT content_hash, model_id FROM embeddings")}
    assert hashes == {("h4", MODEL), ("shared", MODEL), ("h4", OTHER)}
    assert list(catalog.folder_ids()) == [str(b)]
    assert not catalog.remove_folder(a)


def test_folders_report_counts_per_model(catalog: Catalog, tmp_path: Path) -> None:
    add_photos(catalog, tmp_path / "a", ["1.jpg", "2.jpg"])
    folder_id = catalog.add_folder(tmp_path / "a")
    with catalog.transaction() as conn:
        catalog.upsert_photos([PhotoRecord(str(tmp_path / "a" / "bad.jpg"), folder_id, 1, 1, None,
                                           error="not an image file")], conn)
    [info] = catalog.folders(MODEL)
    assert (info.photos, info.indexed, info.failed, info.paused, info.online) == (
        3, 2, 1, False, True)
    [info] = catalog.folders(OTHER)
    assert (info.photos, info.indexed, info.failed) == (3, 0, 1)
    assert catalog.counts(MODEL) == {"photos": 3, "indexed": 2, "pending": 0, "failed": 1,
                                     "offline": 0, "videos": 0}
    assert catalog.counts(OTHER)["pending"] == 2
    catalog.set_folder_flags(tmp_path / "a", paused=True, online=False)
    [info] = catalog.folders(MODEL)
    assert info.paused and not info.online
    assert catalog.counts(MODEL)["offline"] == 3


# ------------------------------------------------------------------------ photos and vectors


def test_upsert_is_by_path_and_keeps_the_id(catalog: Catalog, tmp_path: Path) -> None:
    ids = add_photos(catalog, tmp_path / "a", ["1.jpg"])
    again = add_photos(catalog, tmp_path / "a", ["1.jpg"], hashes=["new-hash"])
    assert ids == again and count(catalog, "photos") == 1
    assert catalog._query("SELECT content_hash FROM photos")[0][0] == "new-hash"


def test_move_keeps_the_id_and_replaces_a_row_at_the_target(catalog: Catalog,
                                                            tmp_path: Path) -> None:
    ids = add_photos(catalog, tmp_path / "a", ["1.jpg", "2.jpg"])
    folder_id = catalog.add_folder(tmp_path / "a")
    pid = ids[str(tmp_path / "a" / "1.jpg")]
    with catalog.transaction() as conn:
        catalog.move_photo(pid, str(tmp_path / "a" / "2.jpg"), folder_id, 100, 2, conn)
    assert catalog.photo_id_for_path(str(tmp_path / "a" / "2.jpg")) == pid
    assert catalog.photo_id_for_path(str(tmp_path / "a" / "1.jpg")) is None
    assert count(catalog, "photos") == 1


def test_searchable_vectors_leave_out_failed_offline_and_other_models(
        catalog: Catalog, tmp_path: Path) -> None:
    ids_a = add_photos(catalog, tmp_path / "a", ["1.jpg", "2.jpg"])
    ids_b = add_photos(catalog, tmp_path / "b", ["3.jpg"])
    folder_id = catalog.add_folder(tmp_path / "a")
    with catalog.transaction() as conn:
        catalog.upsert_photos([PhotoRecord(str(tmp_path / "a" / "2.jpg"), folder_id, 1, 1, None,
                                           error="file is truncated or corrupt")], conn)
    got_ids, vecs = catalog.searchable_vectors(MODEL, 4)
    assert got_ids.tolist() == [ids_a[str(tmp_path / "a" / "1.jpg")],
                                ids_b[str(tmp_path / "b" / "3.jpg")]]
    assert vecs.shape == (2, 4) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-6)
    catalog.set_folder_flags(tmp_path / "b", online=False)
    assert catalog.searchable_vectors(MODEL, 4)[0].tolist() == [got_ids[0]]
    empty_ids, empty = catalog.searchable_vectors(OTHER, 4)
    assert len(empty_ids) == 0 and empty.shape == (0, 4)
    assert catalog.hidden_ids() == {ids_a[str(tmp_path / "a" / "2.jpg")],
                                    ids_b[str(tmp_path / "b" / "3.jpg")]}
    one = catalog.vectors_for_ids(np.array([got_ids[0]]), MODEL, 4)
    np.testing.assert_array_equal(one, vecs[:1])


def test_failures_list_reasons(catalog: Catalog, tmp_path: Path) -> None:
    folder_id = catalog.add_folder(tmp_path)
    with catalog.transaction() as conn:
        catalog.upsert_photos([
            PhotoRecord(str(tmp_path / "b.jpg"), folder_id, 0, 1, None, error="file is empty"),
            PhotoRecord(str(tmp_path / "a.jpg"), folder_id, 3, 1, None, error="not an image file"),
        ], conn)
    assert [(f.path.name, f.reason) for f in catalog.failures()] == [
        ("a.jpg", "not an image file"), ("b.jpg", "file is empty")]
    assert len(catalog.failures(limit=1)) == 1


# ---------------------------------------------------------------------------------- filters


def test_folder_filter_matches_only_that_folder_and_below(catalog: Catalog,
                                                          tmp_path: Path) -> None:
    # "_" and "%" are LIKE wildcards: they must match only themselves.
    ids = add_photos(catalog, tmp_path / "lib", ["a_b/1.jpg", "axb/2.jpg", "a%b/3.jpg",
                                                 "a_b/deep/4.jpg", "a_bc/5.jpg"])

    def names(folder: str) -> set[str]:
        found = catalog.filtered_ids(SearchFilters(folder=tmp_path / "lib" / folder))
        return {Path(p).name for p, i in ids.items() if i in found}

    assert names("a_b") == {"1.jpg", "4.jpg"}
    assert names("a%b") == {"3.jpg"}
    assert names("axb") == {"2.jpg"}
    assert names("a_b/deep") == {"4.jpg"}
    assert names("a") == set()


def test_date_and_camera_filters(catalog: Catalog, tmp_path: Path) -> None:
    folder_id = catalog.add_folder(tmp_path)
    rows = [("1.jpg", "2023-12-31T23:59:59", "Google", "Pixel 7"),
            ("2.jpg", "2024-01-01T00:00:00", "Canon", "EOS R5"),
            ("3.jpg", None, None, None),
            ("4.jpg", "2024-06-01T12:00:00", None, "iPhone 15")]
    with catalog.transaction() as conn:
        ids = catalog.upsert_photos([PhotoRecord(str(tmp_path / n), folder_id, 1, 1, f"h{n}",
                                                 taken_at=t, camera_make=mk, camera_model=md)
                                     for n, t, mk, md in rows], conn)
    by_id = {i: Path(p).name for p, i in ids.items()}

    def names(**kw: object) -> list[str]:
        return sorted(by_id[i] for i in catalog.filtered_ids(SearchFilters(**kw)))

    assert names(after=date(2024, 1, 1)) == ["2.jpg", "4.jpg"]
    assert names(before=date(2024, 1, 1)) == ["1.jpg"]
    assert names(after=date(2023, 12, 31), before=date(2024, 1, 2)) == ["1.jpg", "2.jpg"]
    assert names(camera="PIXEL") == ["1.jpg"]
    assert names(camera="canon eos") == ["2.jpg"]
    assert names(camera="iphone") == ["4.jpg"]
    assert names() == ["1.jpg", "2.jpg", "3.jpg", "4.jpg"]
    assert catalog.cameras() == ["Canon EOS R5", "Google Pixel 7", "iPhone 15"]


def test_concurrent_readers_and_a_writer(tmp_path: Path) -> None:
    """A second connection (another process) reads while the first writes (WAL)."""
    writer = Catalog(tmp_path / "catalog.db")
    reader = Catalog(tmp_path / "catalog.db")
    version = reader.data_version()
    add_photos(writer, tmp_path / "a", ["1.jpg"])
    assert reader.data_version() != version
    with writer.transaction() as conn:
        conn.execute("UPDATE photos SET size = 5")
        # Uncommitted: the reader still sees the old row and is not blocked.
        assert reader._query("SELECT size FROM photos")[0][0] == 100
    assert reader._query("SELECT size FROM photos")[0][0] == 5
    writer.close()
    reader.close()


def test_adding_a_parent_folder_takes_over_the_folders_inside(catalog: Catalog,
                                                              tmp_path: Path) -> None:
    child = add_photos(catalog, tmp_path / "Pictures" / "Phone", ["1.jpg", "2.jpg"])
    other = add_photos(catalog, tmp_path / "Pictures-old", ["3.jpg"])
    parent_id = catalog.add_folder(tmp_path / "Pictures")
    assert sorted(catalog.folder_ids()) == [str(tmp_path / "Pictures"),
                                            str(tmp_path / "Pictures-old")]
    rows = catalog.photos_in_folder(parent_id)
    assert {p: r.id for p, r in rows.items()} == child
    assert count(catalog, "embeddings") == 3 and count(catalog, "photos") == 3
    assert catalog.photo_id_for_path(next(iter(other))) == next(iter(other.values()))
    assert catalog.add_folder(tmp_path / "Pictures") == parent_id  # idempotent


# ----------------------------------------------------------------------- cached aggregates


def test_aggregates_are_computed_once_per_write(catalog: Catalog, tmp_path: Path) -> None:
    """What the app repaints (folders, counts, cameras, failures, a filter's photos) scans the
    catalog once per change, not once per call; any write, from here or another connection,
    brings the new figures."""
    add_photos(catalog, tmp_path / "lib", ["a.jpg", "b.jpg"], camera_make="Canon")
    statements: list[str] = []
    catalog.conn.set_trace_callback(statements.append)

    def everything() -> tuple[object, ...]:
        return (catalog.folders(MODEL), catalog.counts(MODEL), catalog.cameras(),
                catalog.failures(50), catalog.filtered_ids(SearchFilters(camera="canon")))

    first = everything()
    scans = [s for s in statements if "photos" in s]
    assert scans
    statements.clear()
    assert everything() == first
    assert not [s for s in statements if "photos" in s]  # only PRAGMA data_version ran

    add_photos(catalog, tmp_path / "lib", ["c.jpg"], camera_make="Canon")
    assert catalog.folders(MODEL)[0].photos == 3 and catalog.counts(MODEL)["photos"] == 3
    assert len(catalog.filtered_ids(SearchFilters(camera="canon"))) == 3

    other = Catalog(catalog.path)  # another Library or process writes
    try:
        with other.transaction() as conn:
            conn.execute("UPDATE photos SET error = 'unreadable' WHERE path LIKE '%c.jpg'")
    finally:
        other.close()
    assert catalog.counts(MODEL)["failed"] == 1
    assert [f.path.name for f in catalog.failures(50)] == ["c.jpg"]
    assert len(catalog.filtered_ids(SearchFilters(camera="canon"))) == 2


def test_folder_and_camera_filters_read_indexes_not_every_row(catalog: Catalog,
                                                             tmp_path: Path) -> None:
    add_photos(catalog, tmp_path / "lib", ["x/a.jpg", "y/b.jpg"], camera_make="Canon",
               camera_model="EOS R5")
    statements: list[str] = []
    catalog.conn.set_trace_callback(statements.append)
    for filters, found in ((SearchFilters(folder=tmp_path / "lib" / "x"), 1),
                           (SearchFilters(camera="eos"), 2)):
        statements.clear()
        assert len(catalog.filtered_ids(filters)) == found
        query = next(s for s in statements if s.startswith("SELECT p.id FROM photos"))
        plan = " | ".join(r[3] for r in catalog.conn.execute("EXPLAIN QUERY PLAN " + query))
        assert "SCAN p" not in plan, plan


def test_newest_first_orders_by_capture_date_then_id(catalog: Catalog, tmp_path: Path) -> None:
    folder_id = catalog.add_folder(tmp_path)
    dates = ["2020-01-01T00:00:00", None, "2024-05-01T00:00:00", "2020-01-01T00:00:00"]
    with catalog.transaction() as conn:
        ids = catalog.upsert_photos([PhotoRecord(str(tmp_path / f"{n}.jpg"), folder_id, 1, 1,
                                                 f"h{n}", taken_at=t)
                                     for n, t in enumerate(dates)], conn)
    by_name = {Path(p).stem: i for p, i in ids.items()}
    assert catalog.newest_first().tolist() == [by_name["2"], by_name["0"], by_name["3"],
                                               by_name["1"]]
    with catalog.transaction() as conn:  # a write brings a new order
        catalog.delete_photos([by_name["2"]], conn)
    assert catalog.newest_first().tolist()[0] == by_name["0"]
