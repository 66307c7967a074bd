"""Plain text for numbers, dates and progress, shared by widgets and presenters.

Everything here is in the UI language and formatted by ``QLocale()`` (which ``app.i18n``
sets to the language in use): "3,400" in English is "3.400" in Spanish.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QLocale, QTime

from app.i18n import translate


def number(n: int) -> str:
    """``3400`` -> ``"3,400"`` (thousands separated as the locale does)."""
    return QLocale().toString(int(n))


def decimal(x: float, places: int = 1) -> str:
    """``35.2`` -> ``"35.2"`` (``"35,2"`` in Spanish)."""
    return QLocale().toString(float(x), "f", places)


def photos(n: int) -> str:
    """``1`` -> ``"1 photo"``; ``3400`` -> ``"3,400 photos"`` (plural forms of the language)."""
    return translate("formatting", "%Ln photo(s)", "", n)


def videos(n: int) -> str:
    """``1`` -> ``"1 video"``; ``12`` -> ``"12 videos"``."""
    return translate("formatting", "%Ln video(s)", "", n)


def photos_and_videos(n_photos: int, n_videos: int) -> str:
    """``(120, 3)`` -> ``"120 photos and 3 videos"``; either alone when the other is none."""
    if not n_videos:
        return photos(n_photos)
    if not n_photos:
        return videos(n_videos)
    both = translate("formatting", "%1 and %2", "120 photos and 3 videos")
    return both.replace("%1", photos(n_photos)).replace("%2", videos(n_videos))


def files(n: int) -> str:
    """``2`` -> ``"2 files"``."""
    return translate("formatting", "%Ln file(s)", "", n)


def format_bytes(n: int | None) -> str:
    """``1536`` -> ``"1.5 KB"`` (decimal units, as file managers show them)."""
    if n is None:
        return "—"
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            if unit == "bytes":
                return translate("formatting", "%Ln byte(s)", "", int(value))
            return f"{decimal(value)} {unit}"
        value /= 1000
    return f"{decimal(value)} TB"  # pragma: no cover - the loop always returns


def format_taken_at(taken_at: str | None) -> str:
    """``"2023-05-01 10:00:00"`` (or ISO with a T) -> the date and time in the locale's short
    format with the full year, e.g. ``"5/1/2023 10:00 AM"`` in English, ``"2023/5/1 10:00"`` in
    Chinese."""
    if not taken_at:
        return translate("formatting", "Unknown date")
    text = taken_at.replace("T", " ").strip()
    try:
        moment = datetime.fromisoformat(text[:19])
    except ValueError:
        return text[:16] if len(text) >= 16 else text
    locale = QLocale()
    # The locale's short date with the full year ("5/1/2023"; the short format has "5/1/23").
    date_format = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date_format:
        date_format = date_format.replace("yy", "yyyy")
    day = locale.toString(QDate(moment.year, moment.month, moment.day), date_format)
    time = locale.toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
    return f"{day} {time}"


def format_duration(seconds: float | None) -> str:
    """``75`` -> ``"1 min 15 s"``; ``None`` -> ``""``."""
    if seconds is None or seconds < 0:
        return ""
    s = int(round(seconds))
    if s < 60:
        return translate("formatting", "%1 s").replace("%1", str(s))
    m, s = divmod(s, 60)
    if m < 60:
        return translate("formatting", "%1 min %2 s").replace("%1", str(m)).replace(
            "%2", f"{s:02d}")
    h, m = divmod(m, 60)
    return translate("formatting", "%1 h %2 min").replace("%1", str(h)).replace(
        "%2", f"{m:02d}")


def format_seconds(seconds: float) -> str:
    """A search's time: ``0.1234`` -> ``"0.12 s"``."""
    return translate("formatting", "%1 s").replace("%1", decimal(seconds, 2))


def format_clock(seconds: float | None) -> str:
    """A video time as players show it: ``9.4`` -> ``"0:09"``, ``3725`` -> ``"1:02:05"``."""
    if seconds is None or seconds < 0:
        return ""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


_PHASES = {
    "scanning": QT_TRANSLATE_NOOP("formatting", "Scanning folders"),
    "embedding": QT_TRANSLATE_NOOP("formatting", "Indexing"),
    "saving": QT_TRANSLATE_NOOP("formatting", "Saving"),
    "done": QT_TRANSLATE_NOOP("formatting", "Done"),
}
# The engine's analysis titles (engine/analyses/*.py ``title``), as the UI names them.
_PASS_TITLES = {
    "meaning": QT_TRANSLATE_NOOP("formatting", "meaning"),
    "faces": QT_TRANSLATE_NOOP("formatting", "faces"),
    "metadata and captions": QT_TRANSLATE_NOOP("formatting", "metadata and captions"),
    "similar photos": QT_TRANSLATE_NOOP("formatting", "similar photos"),
    "duplicate detection": QT_TRANSLATE_NOOP("formatting", "duplicate detection"),
    "places": QT_TRANSLATE_NOOP("formatting", "places"),
    "text in photos": QT_TRANSLATE_NOOP("formatting", "text in photos"),
    "reranking features": QT_TRANSLATE_NOOP("formatting", "reranking features"),
}


def pass_title(title: str) -> str:
    """An analysis pass's title (``"text in photos"``) in the UI language."""
    return translate("formatting", _PASS_TITLES[title]) if title in _PASS_TITLES else title


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_index_progress(
    progress: Any, paused: bool = False, rate: float | None = None, eta_s: float | None = None,
    earlier: list[Any] | None = None,
) -> str:
    """One line for an ``IndexProgress``: counts, ``rate`` (photos/s), ETA, failures; the
    passes of the run that are over (``earlier``) come first by name, e.g. "meaning 3,400/3,400
    · Text in photos: 40 of 3,400 photos"."""
    running = progress.phase in ("embedding", "analysing")
    if progress.phase == "analysing":
        phase = _capitalised(pass_title(progress.title))
    elif progress.phase in _PHASES:
        phase = translate("formatting", _PHASES[progress.phase])
    else:
        phase = progress.phase.capitalize()
    parts = [f"{pass_title(p.title)} {number(p.done)}/{number(p.total)}" for p in earlier or []]
    parts.append(
        translate("formatting", "%1: %2 of %Ln photo(s)", "", progress.total)
        .replace("%1", phase).replace("%2", number(progress.done))
    )
    if progress.phase == "scanning" and not progress.total:
        parts[-1] = f"{phase}…"
    if rate and running:
        parts.append(translate("formatting", "%1 photos/s").replace("%1", decimal(rate)))
    if eta_s is not None and running and not paused:
        parts.append(
            translate("formatting", "almost done") if eta_s < 1
            else translate("formatting", "about %1 left").replace("%1", format_duration(eta_s))
        )
    if progress.reused:
        parts.append(translate("formatting", "%Ln reused", "", progress.reused))
    if progress.failed:
        parts.append(translate("formatting", "%Ln failed", "", progress.failed))
    if paused:
        parts.append(translate("formatting", "paused"))
    return " · ".join(parts)


def format_index_report(report: Any) -> str:
    """A short summary of an ``IndexReport``."""
    if report.cancelled:
        return translate("formatting", "Indexing cancelled after %Ln photo(s).", "",
                         report.embedded)
    if not (report.embedded or report.reused or report.removed or report.failed):
        return translate("formatting", "The library is up to date.")
    parts = [translate("formatting", "Indexed %Ln photo(s)", "", report.embedded + report.reused)]
    if report.removed:
        parts.append(translate("formatting", "%Ln removed", "", report.removed))
    if report.failed:
        parts.append(translate("formatting", "%Ln failed", "", report.failed))
    duration = format_duration(report.seconds) or format_duration(0)
    return translate("formatting", "%1 in %2.").replace("%1", translate(
        "formatting", ", ", "list separator").join(parts)).replace("%2", duration)


# The engine's runtime names (LibraryStatus.runtime), as people know the products.
RUNTIME_NAMES = {"onnx": "ONNX Runtime", "torch": "PyTorch"}
FIDELITY_TOWERS = {
    "image": QT_TRANSLATE_NOOP("formatting", "image"),
    "text": QT_TRANSLATE_NOOP("formatting", "text"),
}


def format_runtime(runtime: str, fidelity: dict[str, Any]) -> str:
    """``LibraryStatus.runtime`` and ``.fidelity`` in one line, as ``photosearch status`` gives
    them: ``"ONNX Runtime · image int8_u8u8 (min. cosine 0.99982) · text fp32 (min. cosine
    1.00000)"``; a runtime this edition lacks (``"torch (unavailable in the lean edition)"``)
    says so."""
    name, _, rest = runtime.partition(" ")
    if not name:
        return "—"
    text = RUNTIME_NAMES.get(name, name)
    if "unavailable" in rest:
        return translate("formatting", "%1 (not available in this edition)").replace("%1", text)
    parts = [text]
    for tower, title in FIDELITY_TOWERS.items():
        figures = fidelity.get(tower)
        if not figures:
            continue
        part = translate("formatting", title) + " " + str(figures["precision"])
        if figures.get("min_cosine") is not None:
            part += " " + translate("formatting", "(min. cosine %1)").replace(
                "%1", decimal(figures["min_cosine"], 5))
        parts.append(part)
    return " · ".join(parts)
