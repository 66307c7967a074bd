"""Incremental updates: turn what the watcher saw (moves, touched paths) into indexer work.

:meth:`engine.ingest.indexer.Indexer.run_paths` calls :func:`plan_changes`, which

1. settles the library folders involved: one that vanished goes offline (its photos stay in the
   catalog, hidden from results), one that came back goes online (its vectors return from the
   catalog, nothing is re-embedded) and is rescanned;
2. applies the moves in order, in one transaction: a moved or renamed photo or folder keeps its
   photo ids, and so its vectors; a move out of the library (or into an excluded or paused
   place) becomes a deletion;
3. looks at each touched path once: a folder is rescanned and diffed against the catalog; a
   file is compared by size and mtime; a path that is gone forgets its photos (the indexer still
   matches them by content hash against new files of the same batch, so a move seen as delete +
   create keeps its id too).

RAW+JPEG pairs follow :func:`engine.ingest.scan.raw_pairs` here as in a full scan: a RAW whose
JPEG twin exists is an alternate, not a photo; when the twin goes, the RAW is indexed.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.i18n import _
from engine.ingest.scan import ScannedFile, is_excluded, raw_pairs, scan_folder
from engine.media import imaging
from engine.media.caption_sources import change_stamp_ns, is_sidecar_name, photos_for_sidecar
from engine.media.motion_photos import LIVE_MOTION_EXTENSIONS
from engine.records import FailedPhoto
from engine.store.catalog import PhotoRow

if TYPE_CHECKING:
    from engine.ingest.indexer import Indexer

log = logging.getLogger(__name__)


@dataclass
class PathChanges:
    """What changed on disk: moves in the order they happened, and paths to look at again."""

    moves: list[tuple[str, str]] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    # Photos an earlier pass forgot moments ago: a new file with the same content (the other
    # half of a move seen as deletion + creation) takes over the photo's id.
    forgotten: list[PhotoRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.moves or self.paths)


@dataclass(frozen=True)
class ChangeReport:
    """What :meth:`Indexer.run_paths` did, path by path."""

    indexed: list[str]  # new or changed photos, now searchable
    embedded: int  # of those, how many went through the model (the rest reused a vector)
    moved: list[tuple[str, str]]  # (old path, new path): same photo id, same vector
    removed: list[str]  # photos forgotten because their files are gone
    failed: list[FailedPhoto]  # files that could not be read, and unreadable folders
    alternates: list[tuple[str, str]]  # (RAW, JPEG twin): the shot is indexed once
    offline: list[Path]  # library folders that vanished (photos kept, hidden)
    online: list[Path]  # library folders that came back (photos restored, not re-embedded)
    unchanged: int
    seconds: float
    recheck: list[str] = field(default_factory=list)  # moved-to paths already gone: look later
    forgotten: list[PhotoRow] = field(default_factory=list)  # rows removed by this pass
    revived: list[int] = field(default_factory=list)  # forgotten ids a new file took over

    @property
    def empty(self) -> bool:
        """Whether nothing at all changed."""
        return not (self.indexed or self.moved or self.removed or self.failed
                    or self.offline or self.online)


@dataclass
class _Root:
    path: str
    folder_id: int
    paused: bool
    online: bool


class _Roots:
    """The library folders, and which folder a path belongs to."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer
        self.roots: list[_Root] = []
        for path, folder_id in indexer.catalog.folder_ids().items():
            paused, online = indexer.catalog.folder_state(folder_id)
            self.roots.append(_Root(path, folder_id, paused, online))
        self.roots.sort(key=lambda r: len(r.path), reverse=True)  # innermost first
        self._present: dict[str, bool] = {}
        self.offline: list[Path] = []
        self.online: list[Path] = []
        self.rescan: set[str] = set()

    def locate(self, path: str) -> _Root | None:
        """The library folder holding ``path`` (or being it)."""
        for root in self.roots:
            if path == root.path or path.startswith(root.path.rstrip(os.sep) + os.sep):
                return root
        return None

    def usable(self, root: _Root) -> bool:
        """Whether ``root`` is watched and on disk; flips its online state when it changed."""
        if root.paused:
            return False
        present = self._present.get(root.path)
        if present is None:
            present = os.path.isdir(root.path)
            self._present[root.path] = present
            if present != root.online:
                self.indexer.set_folder_online(Path(root.path), root.folder_id, present)
                root.online = present
                (self.online if present else self.offline).append(Path(root.path))
                if present:
                    self.rescan.add(root.path)  # anything may have changed while it was away
        return present

    def excluded(self, path: str, root: _Root) -> bool:
        """Whether a part of ``path`` below its root matches an exclude pattern."""
        rel = path[len(root.path):].strip(os.sep)
        return bool(rel) and any(is_excluded(part, self.indexer.excludes)
                                 for part in rel.split(os.sep))

    def destination(self, path: str) -> _Root | None:
        """The root a move may land in: a usable library folder, not an excluded place."""
        root = self.locate(path)
        if root is None or not self.usable(root) or self.excluded(path, root):
            return None
        return root


@dataclass
class ChangePlan:
    """Work for the indexer's pipeline, plus what the plan already did (moves, flips)."""

    todo: list[tuple[ScannedFile, int, PhotoRow | None]] = field(default_factory=list)
    removed: list[PhotoRow] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    problems: list[FailedPhoto] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)
    offline: list[Path] = field(default_factory=list)
    online: list[Path] = field(default_factory=list)
    unchanged: int = 0
    recheck: list[str] = field(default_factory=list)

    def report(self, done: list[Any], gone_ids: set[int], seconds: float,
               forgotten: list[PhotoRow]) -> ChangeReport:
        """Summarise the plan once the indexer has processed ``done`` (its work items)."""
        earlier = {r.id: r.path for r in forgotten}
        by_id = {**earlier, **{r.id: r.path for r in self.removed}}
        revived = [w.move_from for w in done if w.error is None and w.move_from in earlier]
        moved = list(self.moved)
        indexed: list[str] = []
        failed = list(self.problems)
        embedded = 0
        gone = [by_id[i] for i in sorted(gone_ids) if i in by_id]
        for w in done:
            if w.error is not None:
                if not w.vanished:
                    failed.append(FailedPhoto(Path(w.path), w.error))
                elif w.existing is not None:
                    gone.append(w.existing.path)  # deleted while it was being read
                continue
            if w.move_from is not None and w.move_from in by_id:
                moved.append((by_id[w.move_from], w.path))
            else:
                indexed.append(w.path)
            embedded += int(w.computed)
        return ChangeReport(indexed, embedded, moved, gone, failed, self.alternates,
                            self.offline, self.online, self.unchanged, seconds, self.recheck,
                            [r for r in self.removed if r.id in gone_ids], revived)


def plan_changes(indexer: Indexer, changes: PathChanges) -> ChangePlan:
    """Apply ``changes.moves`` to the catalog and work out what ``changes.paths`` need."""
    catalog = indexer.catalog
    roots = _Roots(indexer)
    plan = ChangePlan()
    paths = set(changes.paths)
    for path in list(paths) + [p for move in changes.moves for p in move]:
        root = roots.locate(path)
        if root is not None:
            roots.usable(root)
    moved_to: set[str] = set()
    if changes.moves:
        look, moved_to = _apply_moves(indexer, roots, changes.moves, plan)
        paths |= look | moved_to
        moved_to -= changes.paths
    paths |= roots.rescan
    removed: dict[int, PhotoRow] = {}
    files: dict[str, tuple[os.stat_result, int]] = {}  # photo path -> (stat, folder id)
    missing: list[str] = []
    scanned_dirs: list[str] = []
    for path in sorted(paths):
        if any(path.startswith(d + os.sep) for d in scanned_dirs):
            continue
        root = roots.locate(path)
        if root is None or not roots.usable(root):
            continue  # outside the library, paused, or its folder is offline
        if _is_sidecar(path):
            # a caption sidecar was written, edited or deleted: look at its photos again
            for photo in photos_for_sidecar(Path(path), imaging.is_photo_path):
                if not roots.excluded(str(photo), root):
                    _add_file(files, str(photo), indexer)
            continue
        if roots.excluded(path, root):
            removed.update((r.id, r) for r in catalog.photos_at(path))
            continue
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            if path in moved_to:
                # Moved again (or its folder moved) since: the event saying where to is on its
                # way; the watcher looks again after its settle time rather than forget it now.
                plan.recheck.append(path)
                continue
            removed.update((r.id, r) for r in catalog.photos_at(path))
            missing.append(path)
            continue
        except PermissionError:
            plan.problems.append(FailedPhoto(Path(path), _("permission denied: skipped")))
            continue
        except OSError as exc:
            plan.problems.append(FailedPhoto(
                Path(path), _("could not be read: {error}").format(error=exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _rescan_folder(indexer, path, root, plan, removed, tentative=path in moved_to)
            scanned_dirs.append(path.rstrip(os.sep))
        elif stat.S_ISREG(st.st_mode) and imaging.is_photo_path(Path(path)):
            files[path] = (st, root.folder_id)
        else:
            removed.update((r.id, r) for r in catalog.photos_at(path) if r.path == path)
    _check_files(indexer, files, missing, plan, removed)
    plan.removed = list(removed.values())
    plan.offline, plan.online = roots.offline, roots.online
    return plan


def _apply_moves(indexer: Indexer, roots: _Roots, moves: list[tuple[str, str]],
                 plan: ChangePlan) -> tuple[set[str], set[str]]:
    """Move catalog rows along with their files; returns the paths to look at afterwards:
    (sources and other paths, destinations)."""
    catalog = indexer.catalog
    look: set[str] = set()
    moved_to: set[str] = set()
    replaced: list[int] = []
    with catalog.transaction() as conn:
        for src, dst in moves:
            if src == dst:
                continue
            moved_to.add(dst)
            rows = catalog.photos_at(src)
            if not rows:
                if _is_sidecar(src):
                    look.add(src)  # a renamed sidecar: the photo it was beside changed too
                continue  # not known (e.g. a temp file renamed into place): dst is checked
            dest_root = roots.destination(dst)
            if dest_root is None:
                look.add(src)  # moved out of the library: the check of src forgets it
                continue
            for row in rows:
                new = dst + row.path[len(src):]
                if roots.excluded(new, dest_root) or not imaging.is_photo_path(Path(new)):
                    look.add(row.path)
                    continue
                other = catalog.photo_id_for_path(new)
                if other is not None and other != row.id:
                    replaced.append(other)  # the move overwrote a photo
                catalog.move_photo(row.id, new, dest_root.folder_id, row.size, row.mtime_ns,
                                   conn)
                plan.moved.append((row.path, new))
    if replaced:
        indexer.photos_removed(replaced)
    return look, moved_to


def _rescan_folder(indexer: Indexer, path: str, root: Any, plan: ChangePlan,
                   removed: dict[int, PhotoRow], tentative: bool = False) -> None:
    """Diff a folder with the catalog. In a folder that was just moved (``tentative``), a
    photo already gone has likely moved on: it is looked at again later, not forgotten."""
    scan = scan_folder(Path(path), indexer.excludes)
    plan.problems.extend(scan.problems)
    plan.alternates.extend(scan.alternates)
    known = {r.path: r for r in indexer.catalog.photos_at(path) if r.path != path}
    for f in scan.files:
        row = known.pop(f.path, None)
        if row is not None and row.size == f.size and row.mtime_ns == f.mtime_ns:
            plan.unchanged += 1
        else:
            plan.todo.append((f, root.folder_id, row))
    if tentative:
        plan.recheck.extend(known)
    else:
        removed.update((r.id, r) for r in known.values())


def _check_files(indexer: Indexer, files: dict[str, tuple[os.stat_result, int]],
                 missing: list[str], plan: ChangePlan, removed: dict[int, PhotoRow]) -> None:
    """Compare touched photo files with the catalog, pairing RAWs with their JPEG twins."""
    catalog = indexer.catalog
    listings: dict[str, list[str]] = {}

    def siblings(path: str) -> list[str]:
        folder = os.path.dirname(path)
        if folder not in listings:
            try:
                with os.scandir(folder) as it:
                    listings[folder] = [e.path for e in it
                                        if imaging.is_photo_path(Path(e.name))]
            except OSError:
                listings[folder] = []
        return listings[folder]

    def same_stem(a: str, b: str) -> bool:
        return (os.path.dirname(a) == os.path.dirname(b) and
                os.path.splitext(os.path.basename(a))[0].casefold()
                == os.path.splitext(os.path.basename(b))[0].casefold())

    # A JPEG that went away leaves its RAW twin to be indexed; a new JPEG retires its RAW.
    for gone in missing:
        if os.path.splitext(gone)[1].lower() in imaging.RAW_EXTENSIONS:
            continue
        for raw in siblings(gone):
            if same_stem(raw, gone) and raw not in files and _is_raw(raw):
                _add_file(files, raw, indexer)
    for path in list(files):
        if not _is_raw(path):
            for raw in siblings(path):
                if same_stem(raw, path) and raw not in files and _is_raw(raw):
                    _add_file(files, raw, indexer)
    for path in sorted(files):
        st, folder_id = files[path]
        pairs = raw_pairs(siblings(path)) if _is_raw(path) else {}
        row = next((r for r in catalog.photos_at(path) if r.path == path), None)
        if path in pairs:
            plan.alternates.append((path, pairs[path]))
            if row is not None:
                removed[row.id] = row
            continue
        stamp = change_stamp_ns(Path(path), st.st_mtime_ns)
        if row is not None and row.size == st.st_size and row.mtime_ns == stamp:
            plan.unchanged += 1
            continue
        plan.todo.append((ScannedFile(path, st.st_size, stamp), folder_id, row))


def _is_sidecar(path: str) -> bool:
    name = os.path.basename(path)
    return is_sidecar_name(name) and not imaging.is_photo_path(Path(name))


def _is_raw(path: str) -> bool:
    """Whether ``path`` may be a shot's alternate: a RAW, or a Live Photo's motion."""
    suffix = os.path.splitext(path)[1].lower()
    return suffix in imaging.RAW_EXTENSIONS or suffix in LIVE_MOTION_EXTENSIONS


def _add_file(files: dict[str, tuple[os.stat_result, int]], path: str, indexer: Indexer) -> None:
    """Add a sibling file found on disk to the files to check (same folder as its twin)."""
    try:
        st = os.stat(path)
    except OSError:
        return
    twin_folder = next((fid for p, (_, fid) in files.items()
                        if os.path.dirname(p) == os.path.dirname(path)), None)
    if twin_folder is None:
        for root, folder_id in indexer.catalog.folder_ids().items():
            if path.startswith(root.rstrip(os.sep) + os.sep):
                twin_folder = folder_id
                break
    if twin_folder is not None and stat.S_ISREG(st.st_mode):
        files[path] = (st, twin_folder)
