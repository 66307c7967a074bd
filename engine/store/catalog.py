"""The SQLite catalog: folders, photos, embeddings, failures. The source of truth.

WAL mode, foreign keys on, numbered migrations run in a transaction. Embeddings are keyed by
(content hash, model id), so a renamed, moved or duplicated file reuses its vector, and vectors
of two models never mix. The HNSW index (:mod:`engine.store.vector_index`) is a cache rebuilt
from here.

One ``Catalog`` may be used from several threads: every statement runs under one lock; writes
are batched by the indexer's single writer.

Why one module past 500 lines: it is the one owner of the core tables' SQL (folders, photos,
embeddings, failures) and of the lock every statement runs under. The analyses' own tables are
already outside it (``apply_schema`` in each analysis); splitting the core tables' statements
across modules would spread that lock's rules with them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
import sqlite_utils

from engine.media.formats import MediaKind, media_kind
from engine.records import FailedPhoto, FolderInfo, PhotoDetails, SearchFilters
from engine.store.migrations import MIGRATIONS, migrate

log = logging.getLogger(__name__)

T = TypeVar("T")

def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PhotoRow:
    """A photo's catalog row as the indexer sees it."""

    id: int
    path: str
    size: int
    mtime_ns: int
    content_hash: str | None
    error: str | None


@dataclass(frozen=True)
class PhotoRecord:
    """Everything the indexer writes for one photo."""

    path: str
    folder_id: int
    size: int
    mtime_ns: int
    content_hash: str | None
    width: int | None = None
    height: int | None = None
    taken_at: str | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    error: str | None = None


class Catalog:
    """The library database (``catalog.db`` in the library folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30.0,
                               isolation_level=None)
        conn.text_factory = _text_from_db  # file names that are not valid UTF-8 round-trip
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        # aggregates (folder counts, status, cameras, filter results) by key, with the write
        # stamp they were computed at (see cached)
        self._cache: dict[Hashable, tuple[tuple[int, int], object]] = {}
        # vector_changes made by this object's transactions (see vector_changes)
        self.own_vector_changes = 0
        self.closed = False
        with self._lock:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._migrate()

    # -- plumbing -----------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        """The raw connection (use under :meth:`transaction` for writes)."""
        return self.db.conn

    def _migrate(self) -> None:
        migrate(self.conn, MIGRATIONS)

    def apply_schema(self, component: str, scripts: list[str]) -> None:
        """Bring a component's own tables (an analysis's) up to date (see
        :func:`engine.store.migrations.migrate`)."""
        with self._lock:
            migrate(self.conn, scripts, component)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                before = self._vector_changes_locked()
                yield self.conn
                own = self._vector_changes_locked() - before
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
                # Only this connection writes inside BEGIN IMMEDIATE: the difference is ours.
                self.own_vector_changes += own

    def _query(self, sql: str, params: Sequence | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self.conn.execute(sql, params).fetchall())

    def data_version(self) -> int:
        """A number that changes whenever another connection (another Library or process)
        commits to the catalog; this connection's own commits leave it as it is."""
        return int(self._query("PRAGMA data_version")[0][0])

    def vector_changes(self) -> int:
        """A count of the writes, by any connection, that can change which photos are
        searchable or their vectors (kept by triggers, migration 5). The part this object's
        transactions made is :attr:`own_vector_changes`."""
        with self._lock:
            return self._vector_changes_locked()

    def _vector_changes_locked(self) -> int:
        try:
            row = self.conn.execute("SELECT n FROM vector_changes WHERE id = 1").fetchone()
        except sqlite3.OperationalError:  # a catalog before migration 5 (while migrating)
            return 0
        return int(row[0]) if row is not None else 0

    def write_stamp(self) -> tuple[int, int]:
        """Changes whenever anything is written to the catalog: by another connection
        (``data_version``) or by this one (``total_changes``, which triggers count in too)."""
        with self._lock:
            version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
            return version, self.conn.total_changes

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` until the next write to the catalog.

        What the app repaints (folder counts, status, cameras, the photos a filter keeps)
        scans the whole catalog; at a million photos that is seconds, so it runs once per
        change rather than once per repaint. A result computed while a write landed is used
        once and not kept.
        """
        stamp = self.write_stamp()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]  # type: ignore[return-value]
        value = compute()
        if self.write_stamp() == stamp:
            if len(self._cache) > 256:  # filters are keys too: keep the cache small
                self._cache.clear()
            self._cache[key] = (stamp, value)
        return value

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            with contextlib.suppress(sqlite3.Error):  # a busy WAL is checkpointed next time
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
            self.closed = True

    # -- settings -----------------------------------------------------------------------------

    def get_setting(self, key: str) -> str | None:
        """A stored key/value (e.g. the model a library was last indexed with)."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Store a key/value."""
        with self.transaction() as c:
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                      "UPDATE SET value = excluded.value", (key, value))

    def delete_setting(self, key: str) -> None:
        """Forget a stored key/value."""
        with self.transaction() as c:
            c.execute("DELETE FROM settings WHERE key = ?", (key,))

    # -- folders ------------------------------------------------------------------------------

    def add_folder(self, path: Path) -> int:
        """Remember a folder (idempotent); returns its id.

        Library folders inside it are merged into it: their photos move to the new folder with
        their ids and vectors, so no file is ever catalogued under two folders.
        """
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO folders(path, added_at) VALUES (CAST(? AS TEXT), ?)",
                      (_db_text(str(path)), _now()))
            folder_id = int(c.execute("SELECT id FROM folders WHERE path = CAST(? AS TEXT)",
                                      (_db_text(str(path)),)).fetchone()[0])
            inside = [r[1] for r in c.execute("SELECT path, id FROM folders WHERE id != ?",
                                              (folder_id,)).fetchall()
                      if Path(r[0]).is_relative_to(path)]
            for child_id in inside:
                c.execute("UPDATE photos SET folder_id = ? WHERE folder_id = ?",
                          (folder_id, child_id))
                c.execute("DELETE FROM folders WHERE id = ?", (child_id,))
            return folder_id

    def remove_folder(self, path: Path) -> bool:
        """Forget a folder and its photos; embeddings no photo uses are dropped too."""
        with self.transaction() as c:
            cur = c.execute("DELETE FROM folders WHERE path = CAST(? AS TEXT)",
                            (_db_text(str(path)),))
            self._drop_orphan_embeddings(c)
            return cur.rowcount > 0

    def folder_ids(self) -> dict[str, int]:
        """All folders, path -> id."""
        return {r[0]: r[1] for r in self._query("SELECT path, id FROM folders ORDER BY path")}

    def folder_state(self, folder_id: int) -> tuple[bool, bool]:
        """(paused, online) of a folder."""
        row = self._query("SELECT paused, online FROM folders WHERE id = ?", (folder_id,))[0]
        return bool(row[0]), bool(row[1])

    def set_folder_flags(self, path: Path, *, paused: bool | None = None,
                         online: bool | None = None) -> None:
        """Pause/resume watching, or mark a folder offline/online."""
        with self.transaction() as c:
            if paused is not None:
                c.execute("UPDATE folders SET paused = ? WHERE path = CAST(? AS TEXT)",
                          (int(paused), _db_text(str(path))))
            if online is not None:
                c.execute("UPDATE folders SET online = ? WHERE path = CAST(? AS TEXT)",
                          (int(online), _db_text(str(path))))

    def folders(self, model_id: str) -> list[FolderInfo]:
        """Every folder with its photo, indexed and failed counts for ``model_id`` (cached
        until the next write)."""
        return list(self.cached(("folders", model_id), lambda: self._folders(model_id)))

    def _folders(self, model_id: str) -> list[FolderInfo]:
        rows = self._query(
            """
            SELECT f.path, f.paused, f.online,
                   COUNT(p.id),
                   SUM(CASE WHEN e.content_hash IS NOT NULL AND p.error IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.error IS NOT NULL THEN 1 ELSE 0 END)
            FROM folders f
            LEFT JOIN photos p ON p.folder_id = f.id
            LEFT JOIN embeddings e INDEXED BY embeddings_present
              ON e.content_hash = p.content_hash AND e.model_id = ?
            GROUP BY f.id ORDER BY f.path
            """,
            (model_id,),
        )
        return [FolderInfo(Path(r[0]), int(r[3]), int(r[4] or 0), int(r[5] or 0), bool(r[1]),
                           bool(r[2])) for r in rows]

    # -- photos -------------------------------------------------------------------------------

    def photos_in_folder(self, folder_id: int) -> dict[str, PhotoRow]:
        """The catalog's view of one folder, path -> row."""
        rows = self._query("SELECT id, path, size, mtime_ns, content_hash, error FROM photos "
                           "WHERE folder_id = ?", (folder_id,))
        return {r[1]: PhotoRow(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def upsert_photos(self, records: Iterable[PhotoRecord],
                      conn: sqlite3.Connection | None = None) -> dict[str, int]:
        """Insert or update photos by path; returns path -> id. Use inside a transaction.

        Each row's ``media_kind`` (photo or video) follows its path's extension."""
        now = _now()
        ids: dict[str, int] = {}
        c = conn or self.conn
        for rec in records:
            c.execute(
                """
                INSERT INTO photos(folder_id, path, size, mtime_ns, content_hash, width, height,
                    taken_at, camera_make, camera_model, gps_lat, gps_lon, error, updated_at,
                    media_kind)
                VALUES (?,CAST(? AS TEXT),?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(path) DO UPDATE SET folder_id=excluded.folder_id,
                    size=excluded.size, mtime_ns=excluded.mtime_ns,
                    content_hash=excluded.content_hash, width=excluded.width,
                    height=excluded.height, taken_at=excluded.taken_at,
                    camera_make=excluded.camera_make, camera_model=excluded.camera_model,
                    gps_lat=excluded.gps_lat, gps_lon=excluded.gps_lon, error=excluded.error,
                    updated_at=excluded.updated_at
                """,
                (rec.folder_id, _db_text(rec.path), rec.size, rec.mtime_ns, rec.content_hash,
                 rec.width, rec.height, rec.taken_at, rec.camera_make, rec.camera_model,
                 rec.gps_lat, rec.gps_lon, rec.error, now, media_kind(rec.path)),
            )
            ids[rec.path] = int(c.execute("SELECT id FROM photos WHERE path = CAST(? AS TEXT)",
                                          (_db_text(rec.path),)).fetchone()[0])
        return ids

    def move_photo(self, photo_id: int, new_path: str, folder_id: int, size: int,
                   mtime_ns: int, conn: sqlite3.Connection | None = None) -> None:
        """A file moved or was renamed: keep its row (and so its vector), change its path.

        A photo forgotten moments before (a move seen as a deletion, then a creation) comes
        back under its old id, unless that id is taken. A rename may change the extension:
        ``media_kind`` follows the new path.
        """
        c = conn or self.conn
        kind = media_kind(new_path)
        c.execute("DELETE FROM photos WHERE path = CAST(? AS TEXT) AND id != ?",
                  (_db_text(new_path), photo_id))
        cur = c.execute("UPDATE photos SET path = CAST(? AS TEXT), folder_id = ?, size = ?, "
                        "mtime_ns = ?, updated_at = ?, media_kind = ? WHERE id = ?",
                        (_db_text(new_path), folder_id, size, mtime_ns, _now(), kind, photo_id))
        if cur.rowcount == 0:
            c.execute("INSERT INTO photos(id, folder_id, path, size, mtime_ns, updated_at, "
                      "media_kind) VALUES (?, ?, CAST(? AS TEXT), ?, ?, ?, ?)",
                      (photo_id, folder_id, _db_text(new_path), size, mtime_ns, _now(), kind))

    def delete_photos(self, ids: Sequence[int], conn: sqlite3.Connection | None = None) -> None:
        """Forget photos by id (their files are gone); use inside a transaction."""
        c = conn or self.conn
        for chunk in chunks(list(ids), 500):
            c.execute(f"DELETE FROM photos WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    def _drop_orphan_embeddings(self, c: sqlite3.Connection) -> None:
        c.execute("DELETE FROM embeddings WHERE content_hash NOT IN "
                  "(SELECT content_hash FROM photos WHERE content_hash IS NOT NULL)")

    def drop_orphan_embeddings(self) -> None:
        """Remove vectors no photo references any more."""
        with self.transaction() as c:
            self._drop_orphan_embeddings(c)

    def photo(self, photo_id: int) -> PhotoDetails | None:
        """Full details of one photo."""
        rows = self._query(
            "SELECT p.id, p.path, f.path, p.size, p.width, p.height, p.taken_at, p.camera_make, "
            "p.camera_model, p.gps_lat, p.gps_lon, p.error FROM photos p "
            "LEFT JOIN folders f ON f.id = p.folder_id WHERE p.id = ?", (photo_id,))
        if not rows:
            return None
        r = rows[0]
        return PhotoDetails(r[0], Path(r[1]), Path(r[2]) if r[2] else None, r[3], r[4], r[5],
                            r[6], r[7], r[8], r[9], r[10],
                            "failed" if r[11] else "ok", r[11])

    def photo_rows(self, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
        """Result-list fields of photos by id."""
        out: dict[int, sqlite3.Row] = {}
        for chunk in chunks(list(ids), 500):
            rows = self._query(
                "SELECT p.id, p.path, p.size, p.width, p.height, p.taken_at, p.camera_make, "
                "p.camera_model, f.online FROM photos p JOIN folders f ON f.id = p.folder_id "
                f"WHERE p.id IN ({','.join('?' * len(chunk))})", chunk)
            out.update({r[0]: r for r in rows})
        return out

    def photo_id_for_path(self, path: str) -> int | None:
        """The id of the photo at ``path``, if catalogued."""
        rows = self._query("SELECT id FROM photos WHERE path = CAST(? AS TEXT)",
                           (_db_text(path),))
        return int(rows[0][0]) if rows else None

    @staticmethod
    def clock() -> str:
        """Now, as the catalog stamps ``updated_at`` (UTC, whole seconds, sortable as text)."""
        return _now()

    def photo_ids_updated_since(self, stamp: str) -> list[int]:
        """Photos written (added, changed, moved) at or after ``stamp`` (see :meth:`clock`)."""
        return [r[0] for r in self._query("SELECT id FROM photos WHERE updated_at >= ?",
                                          (stamp,))]

    def photos_at(self, path: str, sep: str = os.sep) -> list[PhotoRow]:
        """The photo at ``path`` and every photo under it (when it is a folder)."""
        upper = path + chr(ord(sep) + 1)  # every "path/..." sorts before "path0"
        rows = self._query(
            "SELECT id, path, size, mtime_ns, content_hash, error FROM photos WHERE path = "
            "CAST(? AS TEXT) OR (path > CAST(? AS TEXT) AND path < CAST(? AS TEXT))",
            (_db_text(path), _db_text(path + sep), _db_text(upper)))
        return [PhotoRow(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def photos_with_hash(self, content_hash: str) -> list[int]:
        """Ids of photos whose file content hashes to ``content_hash``."""
        return [r[0] for r in self._query("SELECT id FROM photos WHERE content_hash = ?",
                                          (content_hash,))]

    def cameras(self) -> list[str]:
        """Distinct "make model" names, for the camera filter (cached until the next write)."""
        return list(self.cached("cameras", self._cameras))

    def _cameras(self) -> list[str]:
        rows = self._query(
            "SELECT DISTINCT TRIM(COALESCE(camera_make, '') || ' ' || COALESCE(camera_model, ''))"
            " AS cam FROM photos WHERE camera_make IS NOT NULL OR camera_model IS NOT NULL "
            "ORDER BY cam")
        return [r[0] for r in rows if r[0]]

    def failures(self, limit: int | None = None) -> list[FailedPhoto]:
        """Photos that could not be read, with their reasons (cached until the next write)."""
        return list(self.cached(("failures", limit), lambda: self._failures(limit)))

    def _failures(self, limit: int | None) -> list[FailedPhoto]:
        sql = "SELECT path, error FROM photos WHERE error IS NOT NULL ORDER BY path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [FailedPhoto(Path(r[0]), r[1]) for r in self._query(sql)]

    def counts(self, model_id: str) -> dict[str, int]:
        """photos, indexed, pending, failed and offline counts for ``model_id``, and how many
        of the photos are videos (cached until the next write)."""
        return dict(self.cached(("counts", model_id), lambda: self._counts(model_id)))

    def _counts(self, model_id: str) -> dict[str, int]:
        r = self._query(
            """
            SELECT COUNT(p.id),
              SUM(CASE WHEN p.error IS NULL AND e.content_hash IS NOT NULL THEN 1 ELSE 0 END),
              SUM(CASE WHEN p.error IS NULL AND e.content_hash IS NULL THEN 1 ELSE 0 END),
              SUM(CASE WHEN p.error IS NOT NULL THEN 1 ELSE 0 END),
              SUM(CASE WHEN f.online = 0 THEN 1 ELSE 0 END)
            FROM photos p JOIN folders f ON f.id = p.folder_id
            LEFT JOIN embeddings e INDEXED BY embeddings_present
              ON e.content_hash = p.content_hash AND e.model_id = ?
            """,
            (model_id,),
        )[0]
        keys = ("photos", "indexed", "pending", "failed", "offline")
        counts = {k: int(v or 0) for k, v in zip(keys, r, strict=True)}
        counts["videos"] = self.count_of_kind("video")
        return counts

    def count_of_kind(self, kind: MediaKind, readable: bool = False) -> int:
        """How many catalogued files are of ``kind`` (``readable``: only those read without
        error, with a content hash). The videos are counted from their partial index
        (migration 7), so the count costs what there are videos, not photos."""
        if kind not in ("photo", "video"):
            raise ValueError(f"unknown media kind {kind!r}")
        sql = f"SELECT COUNT(*) FROM photos WHERE media_kind = '{kind}'"
        if readable:
            sql += " AND error IS NULL AND content_hash IS NOT NULL"
        return int(self._query(sql)[0][0])

    # -- embeddings ---------------------------------------------------------------------------

    def embedded_hashes(self, hashes: Sequence[str], model_id: str) -> set[str]:
        """Which of ``hashes`` already have a vector from ``model_id``."""
        found: set[str] = set()
        for chunk in chunks(list(hashes), 500):
            rows = self._query(
                f"SELECT content_hash FROM embeddings WHERE model_id = ? AND content_hash IN "
                f"({','.join('?' * len(chunk))})", [model_id, *chunk])
            found.update(r[0] for r in rows)
        return found

    def put_embeddings(self, items: Iterable[tuple[str, np.ndarray]], model_id: str,
                       conn: sqlite3.Connection | None = None) -> None:
        """Store vectors (float32) by content hash; use inside a transaction."""
        c = conn or self.conn
        now = _now()
        c.executemany(
            "INSERT OR REPLACE INTO embeddings(content_hash, model_id, vector, created_at) "
            "VALUES (?, ?, ?, ?)",
            [(h, model_id, np.asarray(v, np.float32).tobytes(), now) for h, v in items],
        )

    def searchable_vectors(self, model_id: str, dim: int,
                           ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(photo ids, vectors) of readable photos in online folders with a ``model_id`` vector.

        With ``ids``, only those photos.
        """
        base = (
            "SELECT p.id, e.vector FROM photos p JOIN folders f ON f.id = p.folder_id "
            "JOIN embeddings e ON e.content_hash = p.content_hash AND e.model_id = ? "
            "WHERE p.error IS NULL AND f.online = 1"
        )
        rows: list[sqlite3.Row] = []
        if ids is None:
            rows = self._query(base + " ORDER BY p.id", (model_id,))
        else:
            for chunk in chunks(list(ids), 500):
                rows.extend(self._query(
                    base + f" AND p.id IN ({','.join('?' * len(chunk))})", [model_id, *chunk]))
        return vectors_from_rows(rows, dim)

    def searchable_ids(self, model_id: str) -> np.ndarray:
        """Sorted ids of the photos :meth:`searchable_vectors` would give, without reading a
        vector (opening a million-photo library must not read 2 GB of them: migration 6)."""
        with self._lock:
            cur = self.conn.execute(
                "SELECT p.id FROM photos p JOIN folders f ON f.id = p.folder_id "
                "JOIN embeddings e INDEXED BY embeddings_present "
                "ON e.content_hash = p.content_hash AND e.model_id = ? "
                "WHERE p.error IS NULL AND f.online = 1 ORDER BY p.id", (model_id,))
            return np.fromiter((r[0] for r in cur), np.int64)

    def vectors_for_ids(self, ids: np.ndarray, model_id: str, dim: int) -> np.ndarray:
        """Vectors of the given photo ids, in that order (for index reconciliation)."""
        got_ids, vecs = self.searchable_vectors(model_id, dim, [int(i) for i in ids])
        order = {int(i): n for n, i in enumerate(got_ids)}
        return np.stack([vecs[order[int(i)]] for i in ids]) if len(ids) else vecs

    def filtered_ids(self, filters: SearchFilters) -> list[int]:
        """Ids of photos that satisfy ``filters`` (folder, date range, camera), cached until
        the next write (the same filters usually serve several queries in a row)."""
        return list(self.cached(("filtered", filters), lambda: self._filtered_ids(filters)))

    def _filtered_ids(self, filters: SearchFilters) -> list[int]:
        where: list[str] = ["p.error IS NULL", "f.online = 1"]
        params: list[object] = []
        if filters.folder is not None:
            folder = str(filters.folder).rstrip("/\\")
            sep = "\\" if "\\" in folder and "/" not in folder else "/"
            # a range over the path index (every "folder/..." sorts between "folder/" and
            # "folder0"), not a LIKE, which scans every row
            where.append("(p.path = CAST(? AS TEXT) OR (p.path > CAST(? AS TEXT) "
                         "AND p.path < CAST(? AS TEXT)))")
            params += [_db_text(folder), _db_text(folder + sep),
                       _db_text(folder + chr(ord(sep) + 1))]
        if filters.after is not None:
            where.append("p.taken_at >= ?")
            params.append(filters.after.isoformat())
        if filters.before is not None:
            where.append("p.taken_at < ?")
            params.append(filters.before.isoformat())
        if filters.camera:
            # the substring is matched against the few distinct cameras, then looked up by the
            # (make, model) index instead of scanning every photo's name
            wanted = filters.camera.lower()
            pairs = [pair for pair in self._camera_pairs()
                     if wanted in f"{pair[0] or ''} {pair[1] or ''}".lower()]
            if not pairs:
                return []
            where.append("(" + " OR ".join(
                "(p.camera_make IS ? AND p.camera_model IS ?)" for _ in pairs) + ")")
            params += [x for pair in pairs for x in pair]
        sql = ("SELECT p.id FROM photos p JOIN folders f ON f.id = p.folder_id WHERE "
               + " AND ".join(where))
        return [r[0] for r in self._query(sql, params)]

    def _camera_pairs(self) -> list[tuple[str | None, str | None]]:
        def pairs() -> list[tuple[str | None, str | None]]:
            rows = self._query("SELECT DISTINCT camera_make, camera_model FROM photos "
                               "WHERE camera_make IS NOT NULL OR camera_model IS NOT NULL")
            return [(r[0], r[1]) for r in rows]

        return list(self.cached("camera_pairs", pairs))

    def newest_first(self) -> np.ndarray:
        """Every photo id, newest capture first (undated last, ties by id); cached until the
        next write, so listing the newest photos of a filter never sorts the library."""

        def order() -> np.ndarray:
            with self._lock:
                cur = self.conn.execute(
                    "SELECT id FROM photos ORDER BY COALESCE(taken_at, '') DESC, id")
                return np.fromiter((r[0] for r in cur), np.int64)

        return self.cached("newest_first", order)

    def hidden_ids(self) -> set[int]:
        """Photos that must not appear in results: failed, or in an offline folder."""
        rows = self._query("SELECT p.id FROM photos p JOIN folders f ON f.id = p.folder_id "
                           "WHERE p.error IS NOT NULL OR f.online = 0")
        return {r[0] for r in rows}


def _db_text(text: str) -> str | bytes:
    """A path as a query parameter: as is, or (for a file name that is not valid UTF-8, held
    with surrogate escapes) its raw bytes, which ``CAST(? AS TEXT)`` stores as TEXT."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape")
    return text


def _text_from_db(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def chunks(items: list, size: int) -> Iterator[list]:
    """``items`` in consecutive lists of ``size`` (SQLite caps the parameters of a query)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def vectors_from_rows(rows: Sequence[Sequence], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, float32 matrix) from (id, vector blob) rows; empty arrays of width ``dim``."""
    if not rows:
        return np.zeros(0, np.int64), np.zeros((0, dim), np.float32)
    id_arr = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    vecs = np.frombuffer(b"".join(r[1] for r in rows), np.float32).reshape(len(rows), -1)
    return id_arr, vecs
