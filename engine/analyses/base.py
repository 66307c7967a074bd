"""The analysis seam: what every per-photo analysis declares, and how the indexer drives it.

An analysis is one thing computed per photo: the CLIP vector, the metadata and captions read
from the file, and (from later work) the text in it, its place, its faces. Each is a small
subclass of :class:`Analysis` in a module of its own, registered with
:func:`engine.analyses.registry.register`. The indexer knows none of them by name: it asks each
what it needs, decodes the file once per pass at the largest size any of them wants, and hands
the same image to all of them; the single writer stores what they computed.

The life of one photo through one analysis::

    pending?   -> has_results(hashes): skip content this version has already seen
    prepare()  -> on a decode thread: light, per photo (resize, normalise, read a sidecar)
    compute()  -> on the pass's model thread: heavy, batched (a network)
    store()    -> in the writer's transaction, with the photo's row; a state row says which
                  version ran (or why it failed), so a crash loses at most that batch
    written()  -> after the commit: caches outside SQLite (the vector index) follow

Results are keyed by the file's *content hash*: a moved, renamed or duplicated file finds its
results already there. An analysis keyed by *photo* (``keyed_by = "photo"``) depends on more
than the file's content (captions in sidecar files) and runs whenever its photo is (re)read.

An analysis of one kind of file only (``media_kind = "video"``: the video analyses) never
queues the other files, which count as covered; the catalog marks each file's kind and indexes
the videos (migration 7), so such an analysis's coverage and pending work read only its rows.

Two stages: ``"meaning"`` analyses run inside the indexing pass itself (a photo becomes
searchable when they are done); ``"background"`` analyses run in later passes over the photos
that lack their current version, each with its own progress, pause and cancel. Changing
:attr:`Analysis.version` (a new model, a fixed bug) makes every photo pending again; results of
the old version stay until the new ones replace them.

The user's own data (their captions, names of people, corrections) is never written by an
analysis's ``store``: it lives in tables an analysis reads but does not own.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from engine.media.formats import MediaKind

if TYPE_CHECKING:
    from PIL import Image

    from engine.media.imaging import PhotoMetadata
    from engine.records import Settings
    from engine.store.catalog import Catalog

Stage = Literal["meaning", "background"]


@dataclass(frozen=True)
class Needs:
    """What an analysis reads of a photo.

    ``image_side``: the decoded, EXIF-oriented RGB image with its shorter side at least this
    many pixels (0: no pixels; the pass decodes once, at the largest size asked for, and
    analyses that want less shrink it themselves). ``file``: it opens the file itself (e.g.
    for sidecars or metadata blocks) and so runs even when the content was analysed before.
    """

    image_side: int = 0
    file: bool = False


@dataclass
class PhotoInput:
    """One photo as an analysis sees it during a pass."""

    path: Path
    content_hash: str
    image: Image.Image | None = None  # decoded at the pass's size (None: nobody needed pixels)
    metadata: PhotoMetadata | None = None
    photo_id: int | None = None  # known in background passes; None for a new file
    results: dict[str, Any] = field(default_factory=dict)  # earlier analyses' of this pass


@dataclass(frozen=True)
class Written:
    """A photo whose analyses were just committed: ``result`` is this pass's (None when the
    content's earlier result was reused)."""

    photo_id: int
    content_hash: str
    result: Any


class AnalysisFailed(Exception):  # noqa: N818 - a per-photo outcome, not a program error
    """Raised by ``prepare`` or ``compute`` for one photo: recorded with ``reason`` (a sentence
    a user understands) and not retried until the version changes or a retry is asked for."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class AnalysisContext:
    """What analyses are built with: the library's catalog and settings, and lazy access to
    the shared models (an analysis loads only what it uses, and only when it first runs)."""

    catalog: Catalog
    settings: Settings
    home: Path
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "encoder", "vectors"

    def service(self, name: str) -> Any:
        """A shared object the library provides (a callable is called for it lazily)."""
        value = self.services[name]
        return value() if callable(value) else value


class Analysis(ABC):
    """A per-photo analysis (see the module docstring for the protocol)."""

    name: ClassVar[str]  # stable id, used in the catalog: "clip", "metadata", "text", ...
    title: ClassVar[str]  # what the user reads in progress and status: "meaning", "faces"
    stage: ClassVar[Stage] = "background"
    keyed_by: ClassVar[Literal["content", "photo"]] = "content"
    batch_size: ClassVar[int] = 1  # photos per compute() call
    can_disable: ClassVar[bool] = True  # a setting may switch it off (the meaning pass may not)
    media_kind: ClassVar[MediaKind | None] = None
    """The one kind of file it runs on (``"video"``), or None for every file: files of the
    other kind count as covered and are never queued for it (see :meth:`lacks_sql`)."""

    def __init__(self, context: AnalysisContext) -> None:
        self.context = context
        self.catalog = context.catalog

    # -- what it is -------------------------------------------------------------------------

    @property
    @abstractmethod
    def version(self) -> str:
        """The version of its results; a change makes every photo pending again."""

    def needs(self) -> Needs:
        """What it reads of each photo."""
        return Needs()

    def schema(self) -> list[str]:
        """Numbered scripts creating (then migrating) its own tables; never edit one that has
        shipped, append a new one."""
        return []

    @property
    def heavy(self) -> bool:
        """Whether :meth:`compute` does real work (then it runs batched on the model thread);
        a light analysis does everything in :meth:`prepare`."""
        return type(self).compute is not Analysis.compute

    # -- computing --------------------------------------------------------------------------

    def load(self) -> None:  # noqa: B027 - optional hook
        """Load models before the first photo (on the pass's thread); raise an EngineError
        with the next step if that is impossible."""

    def prepare(self, photo: PhotoInput) -> Any:
        """Per-photo work on a decode thread; returns what :meth:`compute` takes, or the result
        itself for a light analysis. Raise :class:`AnalysisFailed` for this photo alone."""
        return photo

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        """Results for a batch of prepared photos, in order (heavy analyses override this);
        an element may be an :class:`AnalysisFailed` for that photo alone."""
        return list(prepared)

    # -- storing ----------------------------------------------------------------------------

    @abstractmethod
    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        """Write one photo's result inside the writer's transaction, replacing an older one."""

    def written(self, photos: Sequence[Written]) -> None:  # noqa: B027 - optional hook
        """After a batch commits: update caches kept outside the catalog (the vector index)."""

    def unfinished(self, result: Any) -> bool:
        """Whether ``result`` is one step of a longer job on its photo (a long video is worked
        through in bounded steps, each committed): the pass then runs it again, from where
        the stored result says it stopped, until it is done."""
        return False

    def removed(self, photo_ids: Sequence[int]) -> None:  # noqa: B027 - optional hook
        """After photos left the results (deleted, failed, or their folder went offline)."""

    def restored(self, photo_ids: Sequence[int]) -> None:  # noqa: B027 - optional hook
        """After photos came back (their folder is online again); nothing is recomputed."""

    def forget_orphans(self, conn: sqlite3.Connection) -> None:
        """Drop results of content no photo has any more (after deletions)."""
        conn.execute("DELETE FROM analysis_state WHERE analysis = ? AND content_hash NOT IN "
                     "(SELECT content_hash FROM photos WHERE content_hash IS NOT NULL)",
                     (self.name,))
        for table in self.result_tables():
            conn.execute(f"DELETE FROM {table} WHERE content_hash NOT IN "
                         "(SELECT content_hash FROM photos WHERE content_hash IS NOT NULL)")

    def result_tables(self) -> list[str]:
        """Its tables keyed by a ``content_hash`` column (cleaned by :meth:`forget_orphans`)."""
        return []

    # -- coverage ---------------------------------------------------------------------------

    def covered_sql(self) -> tuple[str, list[Any]]:
        """SQL selecting the content hashes this version has run on (done or failed); files
        outside :attr:`media_kind` are covered without being selected here."""
        return ("SELECT content_hash FROM analysis_state WHERE analysis = ? AND version = ?",
                [self.name, self.version])

    def photos_covered_sql(self) -> tuple[str, list[Any]] | None:
        """For an analysis keyed by photo: SQL selecting the ids of photos its current version
        has read (it stores its version per photo, e.g. in a column of its own table), so that
        raising the version makes unchanged photos be read again by the next indexing pass.
        None (the default): no per-version state; it runs when its photo is (re)read."""
        return None

    def failed_sql(self) -> tuple[str, list[Any]]:
        """SQL selecting columns ``content_hash`` and ``error`` of this version's failures."""
        return ("SELECT content_hash, error FROM analysis_state WHERE analysis = ? AND "
                "version = ? AND error IS NOT NULL", [self.name, self.version])

    def record_state(self, conn: sqlite3.Connection, content_hash: str,
                     error: str | None) -> None:
        """Note that this version ran on ``content_hash`` (with ``error`` if it failed)."""
        conn.execute(
            "INSERT INTO analysis_state(analysis, content_hash, version, error, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(analysis, content_hash) DO UPDATE SET "
            "version = excluded.version, error = excluded.error, "
            "updated_at = excluded.updated_at",
            (self.name, content_hash, self.version, error, _now()))

    def kind_sql(self, alias: str = "p") -> str:
        """SQL condition on the ``photos`` row ``alias``: the file is of :attr:`media_kind`
        (always true when it has none). The kind is a literal, not a parameter, so that
        SQLite can read the videos from their partial index."""
        if self.media_kind is None:
            return "1"
        if self.media_kind not in ("photo", "video"):
            raise ValueError(f"unknown media kind {self.media_kind!r}")
        return f"{alias}.media_kind = '{self.media_kind}'"

    def lacks_sql(self, alias: str = "p") -> tuple[str, list[Any]]:
        """SQL condition on the ``photos`` row ``alias``: its content lacks this version's
        result and is of the kind it runs on (the indexer's and the background passes' "what
        is pending"; files of another kind are never pending)."""
        covered, params = self.covered_sql()
        condition = f"{alias}.content_hash NOT IN ({covered})"
        if self.media_kind is not None:
            condition = f"({self.kind_sql(alias)} AND {condition})"
        return condition, params

    def has_results_sql(self, n: int) -> tuple[str, list[Any]]:
        """The query :meth:`has_results` runs for ``n`` hashes (bound after the returned
        parameters): the covered ones, and those of a file outside :attr:`media_kind`."""
        sql, params = self.covered_sql()
        marks = ",".join("?" * n)
        query = f"SELECT content_hash FROM ({sql}) WHERE content_hash IN ({marks})"
        if self.media_kind is not None:
            query += (f" UNION ALL SELECT p.content_hash FROM photos p WHERE p.content_hash IN "
                      f"({marks}) AND NOT {self.kind_sql('p')}")
        return query, params

    def has_results(self, hashes: Sequence[str]) -> set[str]:
        """Which of ``hashes`` this version has already run on (or need not: another kind)."""
        if self.keyed_by == "photo" or not hashes:
            return set()
        found: set[str] = set()
        for start in range(0, len(hashes), 500):
            chunk = list(hashes[start:start + 500])
            sql, params = self.has_results_sql(len(chunk))
            copies = 2 if self.media_kind is not None else 1
            rows = self.catalog._query(sql, [*params, *chunk * copies])
            found.update(r[0] for r in rows)
        return found

    def clear_results(self, conn: sqlite3.Connection) -> None:
        """Delete every result of this analysis (all versions); user data stays."""
        conn.execute("DELETE FROM analysis_state WHERE analysis = ?", (self.name,))
        for table in self.result_tables():
            conn.execute(f"DELETE FROM {table}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
