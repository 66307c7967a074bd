"""Plain text for numbers, dates and progress, shared by widgets and presenters."""

from __future__ import annotations

from typing import Any


def format_bytes(n: int | None) -> str:
    """``1536`` -> ``"1.5 KB"`` (decimal units, as file managers show them)."""
    if n is None:
        return "—"
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - the loop always returns


def format_taken_at(taken_at: str | None) -> str:
    """``"2023-05-01 10:00:00"`` (or ISO with a T) -> ``"2023-05-01 10:00"``."""
    if not taken_at:
        return "Unknown date"
    text = taken_at.replace("T", " ")
    return text[:16] if len(text) >= 16 else text


def format_duration(seconds: float | None) -> str:
    """``75`` -> ``"1 min 15 s"``; ``None`` -> ``""``."""
    if seconds is None or seconds < 0:
        return ""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s:02d} s"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"


def format_clock(seconds: float | None) -> str:
    """A video time as players show it: ``9.4`` -> ``"0:09"``, ``3725`` -> ``"1:02:05"``."""
    if seconds is None or seconds < 0:
        return ""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def format_count(n: int, noun: str) -> str:
    """``format_count(1, "photo")`` -> ``"1 photo"``; 2 -> ``"2 photos"`` (thousands separated)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


_PHASES = {
    "scanning": "Scanning folders",
    "embedding": "Indexing",
    "saving": "Saving",
    "done": "Done",
}


def format_index_progress(
    progress: Any, paused: bool = False, rate: float | None = None, eta_s: float | None = None,
    earlier: list[Any] | None = None,
) -> str:
    """One line for an ``IndexProgress``: counts, ``rate`` (photos/s), ETA, failures; the
    passes of the run that are over (``earlier``) come first by name, e.g. "meaning 3,400/3,400
    · Text in photos: 40 of 3,400 photos"."""
    running = progress.phase in ("embedding", "analysing")
    if progress.phase == "analysing":
        phase = progress.title[:1].upper() + progress.title[1:]
    else:
        phase = _PHASES.get(progress.phase, progress.phase.capitalize())
    parts = [f"{p.title} {p.done:,}/{p.total:,}" for p in earlier or []]
    parts.append(f"{phase}: {progress.done:,} of {progress.total:,} photos")
    if progress.phase == "scanning" and not progress.total:
        parts[-1] = f"{phase}…"
    if rate and running:
        parts.append(f"{rate:.1f} photos/s")
    if eta_s is not None and running and not paused:
        parts.append("almost done" if eta_s < 1 else f"about {format_duration(eta_s)} left")
    if progress.reused:
        parts.append(f"{progress.reused:,} reused")
    if progress.failed:
        parts.append(f"{progress.failed:,} failed")
    if paused:
        parts.append("paused")
    return " · ".join(parts)


def format_index_report(report: Any) -> str:
    """A short summary of an ``IndexReport``."""
    if report.cancelled:
        return f"Indexing cancelled after {format_count(report.embedded, 'photo')}."
    if not (report.embedded or report.reused or report.removed or report.failed):
        return "The library is up to date."
    parts = [f"Indexed {format_count(report.embedded + report.reused, 'photo')}"]
    if report.removed:
        parts.append(f"{report.removed:,} removed")
    if report.failed:
        parts.append(f"{report.failed:,} failed")
    return ", ".join(parts) + f" in {format_duration(report.seconds) or '0 s'}."
