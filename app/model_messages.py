"""What the window says about the model: download progress and why it is unavailable.

The engine's ``user_message`` is written for both the CLI and the app and names command-line
flags; the window has buttons instead. ``ModelUnavailableError.reason`` says why in a word,
and this module words each reason for the window, naming the buttons next to the message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from PySide6.QtCore import QLocale

from app.formatting import number
from app.i18n import translate
from engine.api import model_choices
from engine.errors import EngineError, ModelUnavailableError

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
# Download sizes of models the settings offer by name, for "about N MB" before any download
# has started (offline there is no Hub to ask).
APPROX_BYTES = {c.spec: c.download_bytes for c in model_choices() if c.download_bytes}


def megabytes(n: int) -> str:
    """``123_456_789`` -> ``"123 MB"`` (decimal, whole megabytes; below 1 MB one decimal)."""
    mb = n / 1_000_000
    if 0 < mb < 1:
        return translate("model_messages", "%1 MB").replace("%1", QLocale().toString(mb, "f", 1))
    return translate("model_messages", "%1 MB").replace("%1", number(round(mb)))


def download_size(n: int) -> str:
    """A model's size as people say it: ``605_000_000`` -> ``"605 MB"``, ``1_478_000_000``
    -> ``"1.5 GB"``."""
    if n >= 1_000_000_000:
        return translate("model_messages", "%1 GB").replace(
            "%1", QLocale().toString(n / 1e9, "f", 1))
    return megabytes(n)


def download_text(progress: Any) -> str:
    """"Downloading <model> — 123 MB of 600 MB" for a "download" ``ModelProgress``."""
    if progress.total_bytes:
        amount = translate("model_messages", "%1 of %2").replace(
            "%1", megabytes(progress.done_bytes)).replace("%2", megabytes(progress.total_bytes))
    else:
        amount = megabytes(progress.done_bytes)
    return translate("model_messages", "Downloading %1 \u2014 %2").replace(
        "%1", progress.model).replace("%2", amount)


def download_percent(progress: Any) -> int:
    """0-100 for a progress bar (0 while the size is unknown)."""
    if not progress.total_bytes:
        return 0
    return max(0, min(100, int(100 * progress.done_bytes / progress.total_bytes)))


def cancelled_text(model: str) -> str:
    """The cancelled-download screen's message."""
    return translate(
        "model_messages",
        "Download cancelled. Searching needs the model \u201c%1\u201d: download it again, "
        "choose a folder that holds the model, or use the small demo model.",
    ).replace("%1", model)


def unavailable_text(exc: BaseException, model: str) -> str:
    """Why the model could not load, and what to do, in the window's words."""
    reason = getattr(exc, "reason", "")
    name = f"\u201c{model}\u201d"
    if model in APPROX_BYTES:
        name = translate("model_messages", "%1 (about %2)").replace("%1", name).replace(
            "%2", download_size(APPROX_BYTES[model]))
    server = urlparse(getattr(exc, "endpoint", "") or "https://huggingface.co").netloc
    mirror = " " + translate(
        "model_messages", "If %1 is blocked where you are, enter a mirror such as "
        "https://hf-mirror.com as Model server in Settings\u2026.").replace("%1", server)
    if reason == ModelUnavailableError.OFFLINE:
        return translate(
            "model_messages",
            "PhotoSearch can't reach %2 to download the model %1. Connect to the "
            "internet and try again, choose a folder that holds the model, or use the small "
            "demo model.",
        ).replace("%1", name).replace("%2", server) + mirror
    if reason == ModelUnavailableError.DOWNLOAD_FAILED:
        return translate(
            "model_messages",
            "PhotoSearch couldn't download the model %1 from %2. Try again later, "
            "choose a folder that holds the model, or use the small demo model. Copy details "
            "tells what went wrong.",
        ).replace("%1", name).replace("%2", server) + mirror
    if reason == ModelUnavailableError.UNKNOWN_MODEL:
        return translate(
            "model_messages",
            "There is no model called \u201c%1\u201d. Pick another one in Settings\u2026, choose "
            "a folder that holds the model, or use the small demo model.",
        ).replace("%1", model)
    if reason == ModelUnavailableError.DEVICE:
        return translate(
            "model_messages",
            "The graphics processor (GPU) chosen in Settings isn't available to PyTorch on this "
            "computer. Open Settings\u2026 and set Device to Automatic or CPU.",
        )
    if reason == ModelUnavailableError.FOLDER:
        return translate("model_messages", "%1 Or use the small demo model.").replace(
            "%1", str(getattr(exc, "user_message", exc)))
    if isinstance(exc, EngineError):
        return exc.user_message  # already plain words (the engine's, in English)
    return translate("model_messages", "The model could not be loaded (%1).").replace(
        "%1", f"{type(exc).__name__}: {exc}")
