"""Walking library folders: which files are photos, which folders are skipped, RAW+JPEG pairs."""

from __future__ import annotations

import fnmatch
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine.i18n import _
from engine.media import imaging
from engine.media.caption_sources import (
    change_stamp_ns,
    is_sidecar_name,
)
from engine.media.motion_photos import live_photo_pairs
from engine.records import FailedPhoto

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

# Folders never worth indexing: caches, thumbnails, VCS and NAS metadata.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".*", "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "__pycache__",
    ".thumbnails", "Thumbs.db", "node_modules", ".git",
)


@dataclass(frozen=True)
class ScannedFile:
    """A photo file seen on disk."""

    path: str
    size: int
    mtime_ns: int  # its change stamp: the mtime, moved on by caption sidecars (change_stamp_ns)


@dataclass
class ScanResult:
    """What a folder holds now, and what could not be read while walking it."""

    files: list[ScannedFile] = field(default_factory=list)
    problems: list[FailedPhoto] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (RAW, its JPEG twin)


# A RAW+JPEG pair of one shot is indexed once, through the rendered file; JPEG is preferred.
_RENDERED_PREFERENCE = (".jpg", ".jpeg", ".jpe", ".heic", ".heif", ".avif", ".tif", ".tiff",
                        ".png", ".webp")


def raw_pairs(paths: Iterable[str]) -> dict[str, str]:
    """Alternates of a shot mapped to the file indexed for it (same folder, same name stem).

    ``IMG_1234.CR2`` next to ``IMG_1234.JPG`` is one shot: the JPEG is indexed and the RAW is
    recorded as its alternate. A Live Photo's motion (``IMG_0001.MOV`` next to
    ``IMG_0001.HEIC``) is the still's alternate in the same way: the still is the photo, and
    the preview finds the motion beside it (:func:`engine.media.motion_photos.motion_of`).
    Stems compare case-insensitively.
    """
    paths = list(paths)
    live = {str(motion): str(still) for still, motion in
            live_photo_pairs(Path(p) for p in paths).items() if _live_sized(motion)}
    groups: dict[tuple[str, str], list[str]] = {}
    for p in paths:
        head, tail = os.path.split(p)
        stem, _ext = os.path.splitext(tail)
        groups.setdefault((head, stem.casefold()), []).append(p)
    pairs: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        raws = [m for m in members if os.path.splitext(m)[1].lower() in imaging.RAW_EXTENSIONS]
        rendered = [m for m in members if m not in raws and not imaging.is_video_path(Path(m))]
        if not raws or not rendered:
            continue

        def rank(m: str) -> tuple[int, str]:
            ext = os.path.splitext(m)[1].lower()
            order = _RENDERED_PREFERENCE.index(ext) if ext in _RENDERED_PREFERENCE else 99
            return order, m

        twin = min(rendered, key=rank)
        pairs.update((raw, twin) for raw in raws)
    pairs.update(live)
    return pairs


# A Live Photo's motion is about 3 s (2-6 MB); a same-name video much larger than this is a
# video in its own right (with a poster or thumbnail exported beside it), not a motion.
LIVE_MOTION_MAX_BYTES = 40 * 1024 * 1024


def _live_sized(motion: Path) -> bool:
    try:
        return motion.stat().st_size <= LIVE_MOTION_MAX_BYTES
    except OSError:
        return False


def is_excluded(name: str, patterns: tuple[str, ...]) -> bool:
    """Whether a file or folder name matches any exclude glob."""
    return any(fnmatch.fnmatch(name, pat) for pat in patterns)


def scan_folder(root: Path, excludes: tuple[str, ...] = DEFAULT_EXCLUDES) -> ScanResult:
    """Walk ``root`` for photo files; symlink loops, unreadable folders and odd names are
    reported, never fatal."""
    result = ScanResult()
    seen_dirs: dict[tuple[int, int], Path] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:  # a symlink loop, or a folder linked from two places
                result.problems.append(FailedPhoto(
                    folder, _("link to {folder}, which is scanned already: skipped").format(
                        folder=seen_dirs[key])))
                continue
            seen_dirs[key] = folder
            entries = list(os.scandir(folder))
        except PermissionError:
            result.problems.append(FailedPhoto(
                folder, _("permission denied: folder skipped")))
            continue
        except OSError as exc:
            result.problems.append(FailedPhoto(
                folder, _("folder could not be read: {error}").format(error=exc)))
            continue
        photos: list[ScannedFile] = []
        sidecars: dict[str, int] = {}  # name -> mtime_ns of files that may hold captions
        for entry in entries:
            name = entry.name
            if is_excluded(name, excludes):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    stack.append(Path(entry.path))
                    continue
                if not entry.is_file(follow_symlinks=True):
                    continue
                if not imaging.is_photo_path(Path(name)):
                    if is_sidecar_name(name):
                        sidecars[name] = entry.stat(follow_symlinks=True).st_mtime_ns
                    continue
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                result.problems.append(FailedPhoto(
                    Path(entry.path), _("could not be read: {error}").format(error=exc)))
                continue
            photos.append(ScannedFile(entry.path, st.st_size, st.st_mtime_ns))
        for f in photos:
            stamp = change_stamp_ns(Path(f.path), f.mtime_ns, sidecars) if sidecars else f.mtime_ns
            result.files.append(ScannedFile(f.path, f.size, stamp))
    pairs = raw_pairs(f.path for f in result.files)
    if pairs:
        result.files = [f for f in result.files if f.path not in pairs]
        result.alternates = sorted(pairs.items())
    result.files.sort(key=lambda f: f.path)
    return result


