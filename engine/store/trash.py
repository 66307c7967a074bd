"""Move photos to the system trash (never a permanent delete) and put them back on Linux.

``send2trash`` (BSD-3-Clause, pure Python) does the move on every platform: the Recycle Bin on
Windows, the Finder's Trash on macOS, and on Linux the freedesktop.org trash spec with no
desktop needed: ``$XDG_DATA_HOME/Trash/{files,info}`` (``~/.local/share/Trash``) for files on
the home device, ``$topdir/.Trash-$uid`` for other mounts. Each trashed file gets a
``NAME.trashinfo`` with its original ``Path=`` (URL-quoted) and ``DeletionDate=``; file
managers show it and "Restore" works from there. :func:`restore` does the same for the
freedesktop layout (our undo); on macOS/Windows undo goes through the system's own trash.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from engine.errors import EngineError
from engine.i18n import _
from engine.records import TrashReport
from engine.store.catalog import Catalog

logger = logging.getLogger(__name__)


class TrashError(EngineError):
    """A file could not be moved to the trash or restored; nothing was deleted."""


@dataclass(frozen=True)
class TrashedFile:
    """Where a trashed file went (freedesktop trash), for undo; paths None when unknown."""

    original: Path
    trashed: Path | None
    info: Path | None


def move_to_trash(path: Path) -> TrashedFile:
    """Move ``path`` to the system trash. Raises :class:`TrashError` if it cannot."""
    # send2trash (BSD-3-Clause, pure Python) is imported here: only trashing needs it.
    from send2trash import send2trash
    from send2trash.exceptions import TrashPermissionError

    path = Path(path).absolute()
    if not path.exists():
        raise TrashError(_("{name} is not there any more.").format(name=path.name), str(path))
    try:
        send2trash(str(path))
    except (TrashPermissionError, OSError) as exc:
        raise TrashError(_("Could not move {name} to the trash; it was left in place.").format(
                             name=path.name),
                         f"{path}: {exc!r}") from exc
    found = _find_in_trash(path)
    logger.info("moved %s to the trash (%s)", path, found.trashed)
    return found


def restore(item: TrashedFile) -> Path:
    """Put a trashed file back where it was (freedesktop trash only)."""
    if item.trashed is None or item.info is None or not item.trashed.exists():
        raise TrashError(_("{original_name} is no longer in the trash.").format(
                             original_name=item.original.name), str(item.original))
    if item.original.exists():
        raise TrashError(_("{original} exists again; restore it from the trash by hand.").format(
                             original=item.original),
                         str(item.trashed))
    item.original.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(item.trashed), str(item.original))
    item.info.unlink(missing_ok=True)
    return item.original


def _find_in_trash(original: Path) -> TrashedFile:
    try:
        from send2trash import plat_other
    except (ImportError, OSError):  # macOS / Windows: the OS keeps track
        return TrashedFile(original, None, None)
    candidates = [Path(os.fsdecode(plat_other.HOMETRASH_B))]
    for parent in original.parents:  # $topdir/.Trash-$uid on other mounts
        candidates.append(parent / os.fsdecode(plat_other.TOPDIR_FALLBACK))
        candidates.append(parent / ".Trash" / str(os.getuid()))
    best: tuple[str, Path] | None = None
    for trash in candidates:
        info_dir = trash / "info"
        if not info_dir.is_dir():
            continue
        for info in info_dir.glob("*.trashinfo"):
            fields = dict(
                line.split("=", 1) for line in info.read_text("utf-8", "replace").splitlines()
                if "=" in line
            )
            recorded = unquote(fields.get("Path", ""))
            if not os.path.isabs(recorded):
                recorded = str(trash.parent / recorded)
            if Path(recorded) == original:
                date = fields.get("DeletionDate", "")
                if best is None or date >= best[0]:
                    best = (date, info)
    if best is None:
        return TrashedFile(original, None, None)
    info = best[1]
    return TrashedFile(original, info.parent.parent / "files" / info.stem, info)


def trash_photos(catalog: Catalog, paths: Sequence[Path]) -> tuple[TrashReport, list[int]]:
    """Move library photos to the system trash and forget them in the catalog at once (in one
    transaction after the moves). Returns the report and the ids that left the catalog (the
    caller drops them from the vector index). A path that is not a photo of the library, or
    that cannot be moved, is left in place and reported; its catalog row stays."""
    moved: list[Path] = []
    failed: list[tuple[Path, str]] = []
    ids: list[int] = []
    for raw in paths:
        path = Path(raw).expanduser().absolute()
        photo_id = catalog.photo_id_for_path(str(path))
        if photo_id is None:  # given through a symlinked folder, or with ".." in it
            path = path.resolve()
            photo_id = catalog.photo_id_for_path(str(path))
        if photo_id is None:
            failed.append((path, "not a photo of this library"))
            continue
        try:
            move_to_trash(path)
        except TrashError as exc:
            failed.append((path, exc.user_message))
            continue
        moved.append(path)
        ids.append(photo_id)
    if ids:
        # The photos' results (vectors, hashes) stay until the next pass forgets content no
        # photo has: a file restored from the trash before then is indexed as a new file
        # whose results are reused.
        with catalog.transaction() as conn:
            catalog.delete_photos(ids, conn)
    return TrashReport(moved, failed), ids
