"""The catalog's schema: numbered migrations, each run once, in a transaction.

Two kinds of scripts share one mechanism (:func:`migrate`):

* the core schema (:data:`MIGRATIONS`: folders, photos, vectors, captions, analysis state),
  numbered in ``PRAGMA user_version``;
* each analysis's own tables (:meth:`engine.analyses.base.Analysis.schema`), numbered per
  analysis in the ``schema_versions`` table, so an analysis added later (or by a test) brings
  its tables with it without a core migration.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator

log = logging.getLogger(__name__)

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        online INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE photos (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT,
        width INTEGER,
        height INTEGER,
        taken_at TEXT,
        camera_make TEXT,
        camera_model TEXT,
        gps_lat REAL,
        gps_lon REAL,
        error TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX photos_folder ON photos(folder_id);
    CREATE INDEX photos_hash ON photos(content_hash);
    CREATE INDEX photos_taken ON photos(taken_at);
    CREATE TABLE embeddings (
        content_hash TEXT NOT NULL,
        model_id TEXT NOT NULL,
        vector BLOB NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (content_hash, model_id)
    ) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: captions (photo / user / vocabulary), their vectors, full-text search over captions and
    # file names (engine.captions); the FTS tables are kept in step by triggers.
    """
    CREATE TABLE captions (
        id INTEGER PRIMARY KEY,
        photo_id INTEGER REFERENCES photos(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('photo', 'user', 'vocabulary')),
        origin TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX captions_photo ON captions(photo_id);
    CREATE INDEX captions_hash ON captions(text_hash);
    CREATE INDEX captions_source ON captions(source);
    CREATE TABLE caption_embeddings (
        text_hash TEXT NOT NULL,
        model_id TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (text_hash, model_id)
    ) WITHOUT ROWID;
    CREATE VIRTUAL TABLE caption_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER captions_fts_insert AFTER INSERT ON captions WHEN new.photo_id IS NOT NULL
    BEGIN
        INSERT INTO caption_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER captions_fts_delete AFTER DELETE ON captions BEGIN
        DELETE FROM caption_fts WHERE rowid = old.id;
    END;
    CREATE TRIGGER captions_fts_update AFTER UPDATE OF text, photo_id ON captions BEGIN
        DELETE FROM caption_fts WHERE rowid = old.id;
        INSERT INTO caption_fts(rowid, text) SELECT new.id, new.text
            WHERE new.photo_id IS NOT NULL;
    END;
    CREATE VIRTUAL TABLE photo_name_fts USING fts5(name,
        tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER photos_name_insert AFTER INSERT ON photos BEGIN
        INSERT INTO photo_name_fts(rowid, name) VALUES (new.id, NAME_OF_NEW_PATH);
    END;
    CREATE TRIGGER photos_name_delete AFTER DELETE ON photos BEGIN
        DELETE FROM photo_name_fts WHERE rowid = old.id;
    END;
    CREATE TRIGGER photos_name_update AFTER UPDATE OF path ON photos BEGIN
        DELETE FROM photo_name_fts WHERE rowid = old.id;
        INSERT INTO photo_name_fts(rowid, name) VALUES (new.id, NAME_OF_NEW_PATH);
    END;
    INSERT INTO photo_name_fts(rowid, name) SELECT new.id, NAME_OF_NEW_PATH
        FROM (SELECT id, path FROM photos) AS new;
    """.replace("NAME_OF_NEW_PATH",
                # the file name: the path minus everything up to its last / or \\
                "replace(replace(new.path, '\\', '/'), rtrim(replace(new.path, '\\', '/'), "
                "replace(replace(new.path, '\\', '/'), '/', '')), '')"),
    # 3: the analysis seam (engine.analyses): which version of each content-keyed analysis has
    # run on which file content, and why it failed where it did; each analysis's own tables are
    # versioned per analysis in schema_versions.
    """
    CREATE TABLE analysis_state (
        analysis TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        version TEXT NOT NULL,
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (analysis, content_hash)
    ) WITHOUT ROWID;
    CREATE TABLE schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL);
    """,
    # 4: a million photos (bench/scale.py): the camera filter and the camera list read an
    # index instead of every row; the failed-files list reads only the failed rows.
    """
    CREATE INDEX photos_camera ON photos(camera_make, camera_model);
    CREATE INDEX photos_failed ON photos(path) WHERE error IS NOT NULL;
    """,
    # 5: opening a large library without reading every searchable id (engine.store.
    # photo_vectors): one counter, bumped by every write that can change which photos are
    # searchable or their vectors; a saved vector index records the count it matches.
    """
    CREATE TABLE vector_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
    INSERT INTO vector_changes(id, n) VALUES (1, 0);
    CREATE TRIGGER vector_changes_photo_insert AFTER INSERT ON photos BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_photo_delete AFTER DELETE ON photos BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_photo_update AFTER UPDATE OF folder_id, content_hash, error
        ON photos WHEN old.folder_id IS NOT new.folder_id
            OR old.content_hash IS NOT new.content_hash OR old.error IS NOT new.error BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_folder_online AFTER UPDATE OF online ON folders
        WHEN old.online IS NOT new.online BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_folder_delete AFTER DELETE ON folders BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_embedding_insert AFTER INSERT ON embeddings BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_embedding_update AFTER UPDATE ON embeddings BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    CREATE TRIGGER vector_changes_embedding_delete AFTER DELETE ON embeddings BEGIN
        UPDATE vector_changes SET n = n + 1;
    END;
    """,
    # 6: which photos have a vector, without reading the vectors: each embeddings row holds its
    # 2 KB vector, so counting through the table read 2 GB at a million photos (7 s for the
    # counts, the folder list, the searchable ids each). Queries that only ask whether a vector
    # exists name this narrow index (INDEXED BY: 0.75 s at 1M); vector reads keep the primary
    # key. (An index led by model_id made SQLite drive the by-id vector reads from it.) The
    # readable photos' hashes likewise, for each analysis's coverage count in status.
    """
    CREATE INDEX embeddings_present ON embeddings(content_hash, model_id);
    CREATE INDEX photos_readable ON photos(content_hash)
        WHERE error IS NULL AND content_hash IS NOT NULL;
    """,
    # 7: what each file is, a photo or a video (engine.media.formats.media_kind), written with
    # its row: the video analyses' coverage and the status counts find the videos (few) by the
    # partial index instead of testing every path's extension (5 s per analysis at a million
    # photos). Files catalogued before are marked by the same rule, on the video extensions of
    # the time in any case (substr + IN rather than eleven LIKEs a row; adding an extension
    # needs a migration of its own); the new column's default leaves the other rows unwritten.
    """
    ALTER TABLE photos ADD COLUMN media_kind TEXT NOT NULL DEFAULT 'photo'
        CHECK (media_kind IN ('photo', 'video'));
    UPDATE photos SET media_kind = 'video'
        WHERE lower(substr(path, -3)) = '.qt'
           OR lower(substr(path, -4)) IN ('.mp4', '.m4v', '.mov', '.mkv', '.avi', '.3gp',
                                          '.3g2', '.mts')
           OR lower(substr(path, -5)) IN ('.webm', '.m2ts');
    CREATE INDEX photos_videos ON photos(content_hash) WHERE media_kind = 'video';
    """,
]


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script (trigger bodies hold semicolons of their own)."""
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                yield buf
            buf = ""
    if buf.strip(" \t\r\n;"):
        yield buf


def migrate(conn: sqlite3.Connection, scripts: list[str], component: str | None = None) -> int:
    """Run the scripts ``conn`` has not run yet, each in its own transaction; returns how many.

    ``component`` None is the core schema (numbered in ``PRAGMA user_version``); any other name
    is numbered in ``schema_versions`` (the table comes with core migration 3).
    """
    ran = 0
    for number, script in enumerate(scripts, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read under the write lock: another process may have run it meanwhile.
            if _version(conn, component) >= number:
                conn.execute("ROLLBACK")
                continue
            log.info("catalog migration %s %d", component or "core", number)
            for statement in _statements(script):
                conn.execute(statement)
            if component is None:
                conn.execute(f"PRAGMA user_version = {number}")
            else:
                conn.execute("INSERT INTO schema_versions(component, version) VALUES (?, ?) "
                             "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                             (component, number))
            conn.execute("COMMIT")
            ran += 1
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return ran


def _version(conn: sqlite3.Connection, component: str | None) -> int:
    if component is None:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    row = conn.execute("SELECT version FROM schema_versions WHERE component = ?",
                       (component,)).fetchone()
    return int(row[0]) if row else 0
