"""Hand photos to the rest of the desktop: open, reveal, copy path, copy image, and drops.

``image_source_from_mime`` turns what was dropped or pasted into something ``Library.similar``
takes: a local image file's path, or encoded image bytes (a browser drag, a screenshot on the
clipboard). The others are thin wrappers over Qt so the window stays declarative.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage

from app.i18n import translate

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".bmp",
        ".tif",
        ".tiff",
        ".webp",
        ".heic",
        ".heif",
        ".avif",
        ".dng",
        ".cr2",
        ".cr3",
        ".nef",
        ".arw",
        ".orf",
        ".rw2",
        ".raf",
    ]
)
# Raw encoded image formats a browser or image editor may put on a drag or the clipboard.
ENCODED_IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")


def local_image_paths(mime: QMimeData) -> list[Path]:
    """Local image files among the URLs of ``mime``."""
    paths = []
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
                paths.append(path)
    return paths


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def image_source_from_mime(mime: QMimeData) -> tuple[Path | bytes, str] | None:
    """What to find similar photos to, and a label for it; None if ``mime`` holds no image.

    Prefers a local file (its path), then encoded bytes (as they came), then a decoded image
    (re-encoded as PNG).
    """
    paths = local_image_paths(mime)
    if paths:
        return paths[0], paths[0].name
    for fmt in ENCODED_IMAGE_TYPES:
        if mime.hasFormat(fmt):
            data = bytes(mime.data(fmt).data())
            if data:
                return data, _label_for(mime, translate("Desktop", "the dropped image"))
    if mime.hasImage():
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            return _png_bytes(image), _label_for(mime, translate("Desktop", "the pasted image"))
    return None


def _label_for(mime: QMimeData, fallback: str) -> str:
    if mime.hasUrls() and mime.urls():
        name = Path(mime.urls()[0].path()).name
        if name:
            return name
    return fallback


def can_accept(mime: QMimeData) -> bool:
    """Whether a drag carries something ``image_source_from_mime`` can use (cheap check)."""
    if any(mime.hasFormat(f) for f in ENCODED_IMAGE_TYPES) or mime.hasImage():
        return True
    return bool(local_image_paths(mime))


def open_file(path: Path) -> bool:
    """Open ``path`` in the system's default viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def reveal_in_file_manager(path: Path) -> bool:
    """Show ``path`` selected in the file manager (its folder, where selecting is not possible)."""
    if sys.platform == "win32":
        return QProcess.startDetached("explorer.exe", [f"/select,{os.path.normpath(path)}"])[0]
    if sys.platform == "darwin":
        return QProcess.startDetached("open", ["-R", str(path)])[0]
    if shutil.which("dbus-send"):
        ok = QProcess.startDetached(
            "dbus-send",
            [
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.FileManager1",
                "/org/freedesktop/FileManager1",
                "org.freedesktop.FileManager1.ShowItems",
                f"array:string:{QUrl.fromLocalFile(str(path)).toString()}",
                "string:",
            ],
        )[0]
        if ok:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def copy_paths(paths: list[Path]) -> None:
    """Put the paths on the clipboard as text and as file URLs (paste into a file manager)."""
    mime = QMimeData()
    mime.setText("\n".join(str(p) for p in paths))
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    QGuiApplication.clipboard().setMimeData(mime)


def copy_image(image: QImage) -> None:
    """Put an image on the clipboard."""
    QGuiApplication.clipboard().setImage(image)


# Players that can start at a given second, in order of preference, with how to ask them.
# (Qt Multimedia is not in PySide6-Essentials, so the preview hands videos to a player.)
_PLAYERS: tuple[tuple[str, str], ...] = (
    ("mpv", "--start={t}"),
    ("vlc", "--start-time={t}"),
    ("celluloid", "--mpv-start={t}"),
    ("mplayer", "-ss {t}"),
    ("ffplay", "-ss {t}"),
)
_MAC_PLAYERS: tuple[tuple[str, str], ...] = (
    ("/Applications/VLC.app/Contents/MacOS/VLC", "--start-time={t}"),
    ("/Applications/IINA.app/Contents/MacOS/iina-cli", "--mpv-start={t}"),
)
_WINDOWS_PLAYERS: tuple[tuple[str, str], ...] = (
    (r"C:\Program Files\VideoLAN\VLC\vlc.exe", "--start-time={t}"),
    (r"C:\Program Files (x86)\VideoLAN\VLC\vlc.exe", "--start-time={t}"),
)


def video_player_command(path: Path, time_s: float, which: Any = shutil.which,
                         platform: str = sys.platform) -> list[str] | None:
    """The command that plays ``path`` from ``time_s`` in an installed player that can seek
    on its command line (mpv, VLC, IINA, MPlayer, ffplay), or None if there is none."""
    seconds = f"{max(0.0, time_s):.2f}"
    candidates = list(_PLAYERS)
    if platform == "darwin":
        candidates = list(_MAC_PLAYERS) + candidates
    elif platform == "win32":
        candidates = list(_WINDOWS_PLAYERS) + candidates
    for program, option in candidates:
        found = program if os.path.isabs(program) and os.path.isfile(program) else which(program)
        if found:
            return [str(found), *option.format(t=seconds).split(" "), str(path)]
    return None


def play_video(path: Path, time_s: float = 0.0) -> bool:
    """Play ``path`` from ``time_s`` in a player that can start there, else in the system's
    default player (from the start). Returns whether a player was started."""
    command = video_player_command(path, time_s)
    if command is not None:
        started = QProcess.startDetached(command[0], command[1:])[0]
        if started:
            return True
        log.warning("could not start %s", command[0])
    return open_file(path)
