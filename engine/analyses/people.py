"""People: faces grouped into people, with the user's names and corrections kept for good.

Two kinds of rows:

- Computed (``face_people`` rows with ``source = 'auto'``): which person a face was grouped
  into. Re-attached like the user's rows when a photo's faces are recomputed, dropped when
  their face is gone.
- The user's (``people.name``, ``people.hidden``, ``face_people`` rows with ``source = 'user'``,
  ``face_rejections``): never deleted by a re-run, a model change or a re-index. They are keyed
  by the photo's content hash (so they follow moved and renamed files) and carry the face's box
  in 0..1 of the photo, so after the faces are recomputed they are re-attached to whichever new
  face covers the same place (:func:`reattach_rows`); a decision whose face is no longer
  found is kept, detached, and comes back if the face does.

Grouping: :func:`assign_faces` puts each new face with the person of its nearest described face
within ``threshold`` (or starts a new person); :func:`recluster` runs dlib's Chinese whispers over
all faces and merges groups that belong together, never moving a face the user placed, never
putting a face into a person it was taken out of, and never merging two people the user named.

Why one module past 500 lines: grouping, re-attachment and the user's edits (name, merge,
remove a face) all write the same two tables under the same rule (the user's rows win, and
are never deleted by a computation); kept in one module, that rule is checked in one place.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np

from engine.i18n import _
from engine.records import Person, PhotoFace

if TYPE_CHECKING:
    from engine.store.catalog import Catalog

log = logging.getLogger(__name__)

# Measured on real faces (FINDINGS.md): one person's variants <= 0.38 apart, one person's different
# photos <= 0.43, different people >= 0.61. dlib's own clustering example uses 0.5 too.
DEFAULT_THRESHOLD = 0.5
# Match a user's decision to a recomputed face when the boxes overlap at least this much.
REATTACH_IOU = 0.5

# The user's tables: created through ``catalog.apply_schema("people", SCHEMA)`` (numbered scripts,
# never edited once shipped: append a new one), never written by an analysis's ``store`` except
# to re-point a decision at its face's new number (:func:`reattach_rows`).
SCHEMA = ["""
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: a removed person's id stays dead
    name TEXT,                              -- the user's, NULL until named
    hidden INTEGER NOT NULL DEFAULT 0,      -- the user's: hidden people stay grouped, unlisted
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS face_people (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    face_index INTEGER,                     -- NULL: a user decision whose face is not found now
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    source TEXT NOT NULL CHECK (source IN ('auto', 'user')),
    box_left REAL NOT NULL,                 -- the face's box in 0..1 of the oriented photo
    box_top REAL NOT NULL,
    box_right REAL NOT NULL,
    box_bottom REAL NOT NULL,
    updated TEXT NOT NULL,
    UNIQUE (content_hash, face_index)
);
CREATE INDEX IF NOT EXISTS face_people_person ON face_people(person_id);
CREATE TABLE IF NOT EXISTS face_rejections (  -- "not this person": the user's
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL,
    face_index INTEGER,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    box_left REAL NOT NULL,
    box_top REAL NOT NULL,
    box_right REAL NOT NULL,
    box_bottom REAL NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (content_hash, face_index, person_id)
);
CREATE INDEX IF NOT EXISTS face_rejections_hash ON face_rejections(content_hash);
CREATE INDEX IF NOT EXISTS face_people_hash ON face_people(content_hash);
"""]


@dataclass(frozen=True)
class _Faces:
    """Described faces of one model version, loaded as arrays."""

    keys: list[tuple[str, int]]
    vectors: np.ndarray  # float32[n, 128]
    person: np.ndarray  # int64[n], -1 when unassigned
    pinned: np.ndarray  # bool[n], True when the user placed the face


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ensure_schema(catalog: Catalog) -> None:
    """Create (or migrate) the faces tables and the user's people tables (idempotent; once
    per catalog object)."""
    from engine.analyses.faces import FACES_SCHEMA

    if getattr(catalog, "_people_schema_applied", False):
        return
    catalog.apply_schema("analysis:faces", FACES_SCHEMA)
    catalog.apply_schema("people", SCHEMA)
    catalog._people_schema_applied = True  # type: ignore[attr-defined]


def _box01(conn: sqlite3.Connection, content_hash: str, face_index: int) -> tuple[float, ...]:
    row = conn.execute(
        "SELECT f.box_left, f.box_top, f.box_right, f.box_bottom, r.image_width, r.image_height"
        " FROM faces f JOIN face_runs r USING (content_hash)"
        " WHERE f.content_hash = ? AND f.face_index = ?",
        (content_hash, face_index),
    ).fetchone()
    if row is None:
        raise KeyError(f"no face {face_index} in photo {content_hash}")
    left, top, right, bottom, width, height = row
    return (left / width, top / height, right / width, bottom / height)


def _iou(a: Sequence[float], b: Sequence[float]) -> float:
    inter = max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(
        0.0, min(a[3], b[3]) - max(a[1], b[1])
    )
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _load_faces(conn: sqlite3.Connection, version: str | None) -> _Faces:
    rows = conn.execute(
        "SELECT f.content_hash, f.face_index, f.descriptor, fp.person_id, fp.source"
        " FROM faces f JOIN face_runs r USING (content_hash)"
        " LEFT JOIN face_people fp"
        "   ON fp.content_hash = f.content_hash AND fp.face_index = f.face_index"
        " WHERE f.descriptor IS NOT NULL AND (? IS NULL OR r.version = ?)"
        " ORDER BY f.content_hash, f.face_index",
        (version, version),
    ).fetchall()
    vectors = np.zeros((len(rows), 128), dtype=np.float32)
    for i, row in enumerate(rows):
        vectors[i] = np.frombuffer(row[2], dtype=np.float32)
    return _Faces(
        keys=[(row[0], row[1]) for row in rows],
        vectors=vectors,
        person=np.array([-1 if row[3] is None else row[3] for row in rows], dtype=np.int64),
        pinned=np.array([row[4] == "user" for row in rows], dtype=bool),
    )


def _rejections(conn: sqlite3.Connection) -> dict[tuple[str, int], set[int]]:
    rejected: dict[tuple[str, int], set[int]] = defaultdict(set)
    for content_hash, face_index, person_id in conn.execute(
        "SELECT content_hash, face_index, person_id FROM face_rejections"
        " WHERE face_index IS NOT NULL"
    ):
        rejected[(content_hash, face_index)].add(person_id)
    return rejected


def _new_person(conn: sqlite3.Connection) -> int:
    cursor = conn.execute("INSERT INTO people (created) VALUES (?)", (_now(),))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _set_person(
    conn: sqlite3.Connection, key: tuple[str, int], person_id: int, source: str
) -> None:
    content_hash, face_index = key
    box = _box01(conn, content_hash, face_index)
    conn.execute(
        "INSERT INTO face_people"
        " (content_hash, face_index, person_id, source, box_left, box_top, box_right,"
        "  box_bottom, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (content_hash, face_index) DO UPDATE SET"
        " person_id = excluded.person_id, source = excluded.source, updated = excluded.updated",
        (content_hash, face_index, person_id, source, *box, _now()),
    )


def assign_faces(
    conn: sqlite3.Connection, content_hash: str, threshold: float = DEFAULT_THRESHOLD
) -> dict[int, int]:
    """Group this photo's unassigned, described faces; returns {face_index: person_id}.

    Each face joins the person of its nearest described face (same model version) within
    ``threshold``, skipping people it was taken out of and people already holding another face
    of this photo (one person appears once per photo); otherwise it starts a new person.
    """
    version_row = conn.execute(
        "SELECT version FROM face_runs WHERE content_hash = ?", (content_hash,)
    ).fetchone()
    if version_row is None:
        return {}
    known = _load_faces(conn, version_row[0])
    rejected = _rejections(conn)
    in_photo = np.array([key[0] == content_hash for key in known.keys], dtype=bool)
    taken = {int(p) for p in known.person[in_photo] if p >= 0}
    placed: dict[int, int] = {}
    # The best-scoring faces (lowest index) choose first.
    for i in np.flatnonzero(in_photo & (known.person < 0)):
        key = known.keys[i]
        candidates = (known.person >= 0) & ~in_photo
        distances = np.linalg.norm(known.vectors - known.vectors[i], axis=1)
        person_id = None
        for j in np.argsort(np.where(candidates, distances, np.inf)):
            if not candidates[j] or distances[j] >= threshold:
                break
            candidate = int(known.person[j])
            if candidate not in rejected.get(key, set()) and candidate not in taken:
                person_id = candidate
                break
        if person_id is None:
            person_id = _new_person(conn)
        _set_person(conn, key, person_id, "auto")
        known.person[i] = person_id
        taken.add(person_id)
        placed[key[1]] = person_id
    return placed


def recluster(
    conn: sqlite3.Connection, version: str, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, int]:
    """Regroup all faces of ``version`` and merge groups that belong together.

    The user's data is fixed ground: a named, hidden or user-placed ("confirmed") person keeps
    its faces and is never merged into another; a face never goes to a person it was taken out
    of; two faces of one photo never go to one person. Unconfirmed groups that Chinese whispers
    puts together merge; computed faces follow their cluster to the confirmed person nearest to
    them, or else to the cluster's largest group.
    Returns counts (moved faces, removed empty people).
    """
    import dlib

    known = _load_faces(conn, version)
    if not len(known.keys):
        return {"moved": 0, "removed": 0}
    labels = dlib.chinese_whispers_clustering(
        [dlib.vector(v.astype(np.float64).tolist()) for v in known.vectors], threshold
    )
    rejected = _rejections(conn)
    confirmed = {
        row[0]
        for row in conn.execute(
            "SELECT id FROM people WHERE name IS NOT NULL OR hidden = 1"
            " UNION SELECT person_id FROM face_people WHERE source = 'user'"
        )
    }
    moved = 0
    members: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        members[label].append(i)
    for indices in members.values():
        moved += _settle_cluster(conn, known, indices, confirmed, rejected)
    removed = conn.execute(
        "DELETE FROM people WHERE name IS NULL AND hidden = 0"
        " AND id NOT IN (SELECT person_id FROM face_people)"
        " AND id NOT IN (SELECT person_id FROM face_rejections)"
    ).rowcount
    log.info("recluster: %d faces moved, %d empty people removed", moved, removed)
    return {"moved": moved, "removed": removed}


def _settle_cluster(
    conn: sqlite3.Connection,
    known: _Faces,
    indices: list[int],
    confirmed: set[int],
    rejected: dict[tuple[str, int], set[int]],
) -> int:
    """Give every computed face of one cluster its person; returns how many changed."""
    people_here = Counter(int(known.person[i]) for i in indices if known.person[i] >= 0)
    confirmed_here = [p for p in people_here if p in confirmed]
    unconfirmed = [p for p, _ in people_here.most_common() if p not in confirmed]
    majority = unconfirmed[0] if unconfirmed else None
    # Which person already holds a face of which photo: one person appears once per photo.
    # Faces the user placed, and faces already in a confirmed person, stay where they are:
    # re-clustering only gathers computed groups into people, it never takes from them.
    stays = [bool(known.pinned[i]) or int(known.person[i]) in confirmed for i in indices]
    held = {
        (known.keys[i][0], int(known.person[i])) for i, s in zip(indices, stays, strict=True) if s
    }
    free = [i for i, s in zip(indices, stays, strict=True) if not s]
    moved = 0
    for i in free:
        key = known.keys[i]
        choices = confirmed_here or ([majority] if majority is not None else [])
        choices = [p for p in choices if p not in rejected.get(key, set())]
        choices = [p for p in choices if (key[0], p) not in held]
        target: int | None = None
        if choices:
            target = min(choices, key=lambda p: _distance_to(known, i, indices, p))
        elif known.person[i] >= 0 and int(known.person[i]) not in rejected.get(key, set()):
            target = int(known.person[i])  # nothing better: stay
        if target is None:
            target = _new_person(conn)
        if target != known.person[i]:
            _set_person(conn, key, target, "auto")
            moved += 1
        held.add((key[0], target))
    return moved


def _distance_to(known: _Faces, i: int, indices: Iterable[int], person_id: int) -> float:
    others = [j for j in indices if j != i and known.person[j] == person_id]
    if not others:
        return float("inf")
    return float(np.linalg.norm(known.vectors[others] - known.vectors[i], axis=1).min())


def reattach_rows(conn: sqlite3.Connection, content_hash: str) -> None:
    """After a photo's faces were recomputed: move every row to the same face's new number.

    Each row goes to the recomputed face whose box overlaps its own best (IoU >= 0.5), so a
    re-index or a new model keeps faces in their people (and named people keep their faces;
    the first photo of a new model has nothing of its version to be compared with). Computed
    rows whose face is gone are dropped; the user's are kept with ``face_index`` NULL.
    """
    size = conn.execute(
        "SELECT image_width, image_height FROM face_runs WHERE content_hash = ?", (content_hash,)
    ).fetchone()
    faces: list[tuple[int, tuple[float, ...]]] = []
    if size is not None:
        faces = [
            (index, (left / size[0], top / size[1], right / size[0], bottom / size[1]))
            for index, left, top, right, bottom in conn.execute(
                "SELECT face_index, box_left, box_top, box_right, box_bottom FROM faces"
                " WHERE content_hash = ?",
                (content_hash,),
            )
        ]
    for table in ("face_people", "face_rejections"):
        rows = conn.execute(
            f"SELECT id, person_id, box_left, box_top, box_right, box_bottom FROM {table}"
            " WHERE content_hash = ?",
            (content_hash,),
        ).fetchall()
        conn.execute(
            f"UPDATE {table} SET face_index = NULL WHERE content_hash = ?", (content_hash,)
        )
        pairs = sorted(
            ((_iou(row[2:], box), row[0], row[1], index) for row in rows for index, box in faces),
            reverse=True,
        )
        used_rows: set[int] = set()
        used_faces: set[tuple[int, int]] = set()
        for iou, row_id, person_id, index in pairs:
            if iou < REATTACH_IOU:
                break
            # face_people: one person per face; face_rejections: one row per (face, person).
            face_key = (index, person_id if table == "face_rejections" else 0)
            if row_id in used_rows or face_key in used_faces:
                continue
            conn.execute(f"UPDATE {table} SET face_index = ? WHERE id = ?", (index, row_id))
            used_rows.add(row_id)
            used_faces.add(face_key)
    conn.execute(
        "DELETE FROM face_people WHERE content_hash = ? AND source = 'auto' AND face_index IS NULL",
        (content_hash,),
    )


# --- the user's actions -------------------------------------------------------------------


def name_person(conn: sqlite3.Connection, person_id: int, name: str | None) -> None:
    """Name (or with None, unname) a person."""
    conn.execute("UPDATE people SET name = ? WHERE id = ?", (name, person_id))


def hide_person(conn: sqlite3.Connection, person_id: int, hidden: bool = True) -> None:
    """Hide a person from lists and search; their faces stay grouped so new ones stay hidden."""
    conn.execute("UPDATE people SET hidden = ? WHERE id = ?", (int(hidden), person_id))


def merge_people(conn: sqlite3.Connection, keep_id: int, gone_id: int) -> None:
    """Merge ``gone_id`` into ``keep_id``: its faces become the user's placements in keep_id.

    ``keep_id`` keeps its name, or takes the other's when it has none.
    """
    if keep_id == gone_id:
        return
    conn.execute(
        "UPDATE face_people SET person_id = ?, source = 'user', updated = ? WHERE person_id = ?",
        (keep_id, _now(), gone_id),
    )
    # The faces already in keep_id are confirmed by the merge as well.
    conn.execute("UPDATE face_people SET source = 'user' WHERE person_id = ?", (keep_id,))
    conn.execute(
        "UPDATE OR IGNORE face_rejections SET person_id = ? WHERE person_id = ?", (keep_id, gone_id)
    )
    conn.execute(
        "UPDATE people SET name = COALESCE(name, (SELECT name FROM people WHERE id = ?)),"
        " hidden = MAX(hidden, (SELECT hidden FROM people WHERE id = ?)) WHERE id = ?",
        (gone_id, gone_id, keep_id),
    )
    conn.execute("DELETE FROM people WHERE id = ?", (gone_id,))
    # A face the user once took out of either person stays out: regroup it elsewhere.
    stale = conn.execute(
        "SELECT fp.content_hash, fp.face_index FROM face_people fp JOIN face_rejections fr"
        " ON fr.content_hash = fp.content_hash AND fr.face_index = fp.face_index"
        " AND fr.person_id = fp.person_id WHERE fp.person_id = ?",
        (keep_id,),
    ).fetchall()
    for content_hash, face_index in stale:
        conn.execute(
            "DELETE FROM face_people WHERE content_hash = ? AND face_index = ?",
            (content_hash, face_index),
        )
    for content_hash in {row[0] for row in stale}:
        assign_faces(conn, content_hash)


def remove_face(
    conn: sqlite3.Connection,
    content_hash: str,
    face_index: int,
    threshold: float = DEFAULT_THRESHOLD,
) -> int | None:
    """ "Not this person": take a face out of its person for good, then regroup it.

    Returns the person the face went to (another near person or a new one), or None.
    """
    row = conn.execute(
        "SELECT person_id FROM face_people WHERE content_hash = ? AND face_index = ?",
        (content_hash, face_index),
    ).fetchone()
    if row is None:
        return None
    box = _box01(conn, content_hash, face_index)
    conn.execute(
        "INSERT OR IGNORE INTO face_rejections (content_hash, face_index, person_id, box_left,"
        " box_top, box_right, box_bottom, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (content_hash, face_index, row[0], *box, _now()),
    )
    conn.execute(
        "DELETE FROM face_people WHERE content_hash = ? AND face_index = ?",
        (content_hash, face_index),
    )
    return assign_faces(conn, content_hash, threshold).get(face_index)


def assign_face_to(
    conn: sqlite3.Connection, content_hash: str, face_index: int, person_id: int
) -> None:
    """The user puts a face into a person (pinned; lifts an earlier "not this person")."""
    conn.execute(
        "DELETE FROM face_rejections WHERE content_hash = ? AND face_index = ? AND person_id = ?",
        (content_hash, face_index, person_id),
    )
    _set_person(conn, (content_hash, face_index), person_id, "user")


def list_people(
    conn: sqlite3.Connection, *, min_faces: int = 2, include_hidden: bool = False
) -> list[Person]:
    """People with at least ``min_faces`` faces (named people always), most faces first.

    Single-face groups are left out by default: most are strangers in the background or a
    rare false detection, and they would bury the people the user cares about.
    """
    rows = conn.execute(
        "SELECT p.id, p.name, p.hidden, COUNT(fp.face_index), COUNT(DISTINCT fp.content_hash)"
        " FROM people p LEFT JOIN face_people fp"
        "   ON fp.person_id = p.id AND fp.face_index IS NOT NULL"
        " WHERE (? OR p.hidden = 0)"
        " GROUP BY p.id HAVING COUNT(fp.face_index) >= ? OR p.name IS NOT NULL"
        " ORDER BY COUNT(fp.face_index) DESC, p.id",
        (include_hidden, min_faces),
    ).fetchall()
    return [Person(r[0], r[1], bool(r[2]), r[3], r[4]) for r in rows]


def photos_with(conn: sqlite3.Connection, person_ids: Sequence[int]) -> list[str]:
    """Content hashes of photos showing all of ``person_ids`` together."""
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = conn.execute(
        f"SELECT content_hash FROM face_people WHERE face_index IS NOT NULL"
        f" AND person_id IN ({marks}) GROUP BY content_hash"
        f" HAVING COUNT(DISTINCT person_id) = ? ORDER BY content_hash",
        (*person_ids, len(person_ids)),
    ).fetchall()
    return [row[0] for row in rows]


def person_of(conn: sqlite3.Connection, content_hash: str, face_index: int) -> int | None:
    """The person a face is grouped into, or None."""
    row = conn.execute(
        "SELECT person_id FROM face_people WHERE content_hash = ? AND face_index = ?",
        (content_hash, face_index),
    ).fetchone()
    return None if row is None else int(row[0])


def delete_all_face_data(conn: sqlite3.Connection) -> None:
    """Privacy switch: remove every face, descriptor, person, name and correction.

    Rows are deleted (the tables stay, so switching faces on again starts from nothing) with
    ``secure_delete`` on, so freed pages are overwritten with zeros rather than left in the
    file; the faces analysis's state goes too, so every photo is pending again if the user
    switches faces back on. Call inside one transaction.
    """
    conn.execute("PRAGMA secure_delete = ON")
    for table in ("face_rejections", "face_people", "people", "faces", "face_runs"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM analysis_state WHERE analysis = 'faces'")
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'people'")


def unassigned_hashes(conn: sqlite3.Connection) -> list[str]:
    """Photos with a described face that belongs to no person yet (never grouped: a crash
    between storing faces and grouping them leaves these, the next pass groups them)."""
    return [row[0] for row in conn.execute(
        "SELECT DISTINCT f.content_hash FROM faces f LEFT JOIN face_people fp"
        " ON fp.content_hash = f.content_hash AND fp.face_index = f.face_index"
        " WHERE f.descriptor IS NOT NULL AND fp.id IS NULL ORDER BY f.content_hash")]


def forget_orphans(conn: sqlite3.Connection) -> None:
    """After photos left the library: drop computed groupings of faces that are gone, keep the
    user's (detached) and remove unnamed people left empty."""
    conn.execute("DELETE FROM face_people WHERE source = 'auto' AND NOT EXISTS (SELECT 1 FROM"
                 " faces f WHERE f.content_hash = face_people.content_hash"
                 " AND f.face_index = face_people.face_index)")
    for table in ("face_people", "face_rejections"):
        conn.execute(f"UPDATE {table} SET face_index = NULL WHERE face_index IS NOT NULL AND"
                     f" NOT EXISTS (SELECT 1 FROM faces f WHERE f.content_hash ="
                     f" {table}.content_hash AND f.face_index = {table}.face_index)")
    conn.execute("DELETE FROM people WHERE name IS NULL AND hidden = 0"
                 " AND id NOT IN (SELECT person_id FROM face_people)"
                 " AND id NOT IN (SELECT person_id FROM face_rejections)")


def described_count(conn: sqlite3.Connection) -> int:
    """How many faces have a descriptor (all versions)."""
    return int(conn.execute("SELECT COUNT(*) FROM faces WHERE descriptor IS NOT NULL")
               .fetchone()[0])


def faces_of(conn: sqlite3.Connection, content_hash: str) -> list[PhotoFace]:
    """The faces found in one photo, by index, with their person."""
    rows = conn.execute(
        "SELECT f.face_index, f.box_left, f.box_top, f.box_right, f.box_bottom, f.score,"
        " f.descriptor IS NOT NULL, r.image_width, r.image_height, p.id, p.name"
        " FROM faces f JOIN face_runs r USING (content_hash)"
        " LEFT JOIN face_people fp ON fp.content_hash = f.content_hash"
        "   AND fp.face_index = f.face_index"
        " LEFT JOIN people p ON p.id = fp.person_id"
        " WHERE f.content_hash = ? ORDER BY f.face_index", (content_hash,)).fetchall()
    return [PhotoFace(r[0], (r[1] / r[7], r[2] / r[8], r[3] / r[7], r[4] / r[8]), float(r[5]),
                      r[9], r[10], bool(r[6])) for r in rows]


def cover_face(conn: sqlite3.Connection, person_id: int) -> tuple[str, tuple[float, ...]] | None:
    """The person's best-scored face (content hash, box in 0..1): their thumbnail."""
    row = conn.execute(
        "SELECT f.content_hash, f.box_left, f.box_top, f.box_right, f.box_bottom,"
        " r.image_width, r.image_height FROM face_people fp"
        " JOIN faces f ON f.content_hash = fp.content_hash AND f.face_index = fp.face_index"
        " JOIN face_runs r ON r.content_hash = f.content_hash"
        " WHERE fp.person_id = ? ORDER BY f.score DESC LIMIT 1", (person_id,)).fetchone()
    if row is None:
        return None
    w, h = row[5], row[6]
    return row[0], (row[1] / w, row[2] / h, row[3] / w, row[4] / h)


class PeopleBook:
    """The user's actions on people over one catalog, each one transaction (the facade's
    ``Library`` people methods delegate here)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        ensure_schema(catalog)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """The catalog's connection for reading (no write lock: a pass may be writing)."""
        with self.catalog._lock:
            yield self.catalog.conn

    def _person(self, conn: sqlite3.Connection, person_id: int) -> None:
        from engine.errors import EngineError

        if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
            raise EngineError(_("There is no person {person_id} ('photosearch people' "
                                "lists them).").format(person_id=person_id))

    def listed(self, include_hidden: bool = False, min_faces: int = 2) -> list[Person]:
        """People with at least ``min_faces`` faces (named people always)."""
        with self._read() as conn:
            return list_people(conn, min_faces=min_faces, include_hidden=include_hidden)

    def name(self, person_id: int, name: str | None) -> None:
        """Name a person (None or blank: unname)."""
        with self.catalog.transaction() as conn:
            self._person(conn, person_id)
            name_person(conn, person_id, (name or "").strip() or None)

    def hide(self, person_id: int, hidden: bool) -> None:
        """Hide (or show again) a person."""
        with self.catalog.transaction() as conn:
            self._person(conn, person_id)
            hide_person(conn, person_id, hidden)

    def merge(self, keep_id: int, gone_id: int) -> None:
        """Merge ``gone_id`` into ``keep_id`` (refused for two different names)."""
        from engine.errors import EngineError

        with self.catalog.transaction() as conn:
            self._person(conn, keep_id)
            self._person(conn, gone_id)
            names = {r[0] for r in conn.execute(
                "SELECT LOWER(TRIM(name)) FROM people WHERE id IN (?, ?) AND name IS NOT NULL",
                (keep_id, gone_id))}
            if len(names) > 1:
                raise EngineError(_("These two people have different names: rename one "
                                    "first if they are the same person."))
            merge_people(conn, keep_id, gone_id)

    def _hash(self, photo_id: int) -> str:
        from engine.errors import EngineError

        rows = self.catalog._query("SELECT content_hash FROM photos WHERE id = ?", (photo_id,))
        if not rows or rows[0][0] is None:
            raise EngineError(_("This photo has not been indexed yet."))
        return str(rows[0][0])

    def remove_face(self, photo_id: int, face_index: int) -> int | None:
        """"Not this person": returns the person the face went to instead (or None)."""
        from engine.errors import EngineError

        content_hash = self._hash(photo_id)
        with self.catalog.transaction() as conn:
            if person_of(conn, content_hash, face_index) is None:
                raise EngineError(_("Face {face_index} of this photo belongs to no person "
                                    "('photosearch faces PHOTO' lists its faces).").format(
                                      face_index=face_index))
            return remove_face(conn, content_hash, face_index)

    def faces(self, photo_id: int) -> list[PhotoFace]:
        """The faces of one photo."""
        content_hash = self._hash(photo_id)
        with self._read() as conn:
            return faces_of(conn, content_hash)

    def photo_hashes(self, person_id: int) -> list[str]:
        """Content hashes of the person's photos."""
        with self._read() as conn:
            return photos_with(conn, [person_id])

    def cover(self, person_id: int) -> tuple[int, tuple[float, ...]] | None:
        """The person's thumbnail face (a photo id holding it, box in 0..1)."""
        with self._read() as conn:
            cover = cover_face(conn, person_id)
            row = None if cover is None else conn.execute(
                "SELECT MIN(id) FROM photos WHERE content_hash = ?", (cover[0],)).fetchone()
        if cover is None or row is None or row[0] is None:
            return None
        return int(row[0]), cover[1]

    def regroup(self) -> dict[str, int]:
        """Re-cluster every model version's faces now."""
        with self.catalog.transaction() as conn:
            totals = {"moved": 0, "removed": 0}
            for (version,) in conn.execute("SELECT DISTINCT version FROM face_runs").fetchall():
                for key, value in recluster(conn, version).items():
                    totals[key] += value
            return totals

    def delete_all(self) -> None:
        """Remove every face, person, name and correction, and checkpoint the WAL so the
        deleted pages do not linger there."""
        with self.catalog.transaction() as conn:
            delete_all_face_data(conn)
        self.catalog._query("PRAGMA wal_checkpoint(TRUNCATE)")
