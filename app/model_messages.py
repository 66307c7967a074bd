"""What the window says about the model: download progress and why it is unavailable.

The engine's ``user_message`` is written for both the CLI and the app and names command-line
flags; the window has buttons instead. ``ModelUnavailableError.reason`` says why in a word,
and this module words each reason for the window, naming the buttons next to the message.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from engine.api import model_choices
from engine.errors import EngineError, ModelUnavailableError

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
# Download sizes of models the settings offer by name, for "about N MB" before any download
# has started (offline there is no Hub to ask).
APPROX_BYTES = {c.spec: c.download_bytes for c in model_choices() if c.download_bytes}
NEXT_STEPS = "choose a folder that holds the model, or use the small demo model"


def megabytes(n: int) -> str:
    """``123_456_789`` -> ``"123 MB"`` (decimal, whole megabytes; below 1 MB one decimal)."""
    mb = n / 1_000_000
    return f"{mb:.1f} MB" if 0 < mb < 1 else f"{round(mb):,} MB"


def download_text(progress: Any) -> str:
    """"Downloading <model> — 123 MB of 600 MB" for a "download" ``ModelProgress``."""
    if progress.total_bytes:
        amount = f"{megabytes(progress.done_bytes)} of {megabytes(progress.total_bytes)}"
    else:
        amount = megabytes(progress.done_bytes)
    return f"Downloading {progress.model} \u2014 {amount}"


def download_percent(progress: Any) -> int:
    """0-100 for a progress bar (0 while the size is unknown)."""
    if not progress.total_bytes:
        return 0
    return max(0, min(100, int(100 * progress.done_bytes / progress.total_bytes)))


def cancelled_text(model: str) -> str:
    """The cancelled-download screen's message."""
    return (
        f"Download cancelled. Searching needs the model \u201c{model}\u201d: download it "
        f"again, {NEXT_STEPS}."
    )


def unavailable_text(exc: BaseException, model: str) -> str:
    """Why the model could not load, and what to do, in the window's words."""
    reason = getattr(exc, "reason", "")
    size = f" (about {megabytes(APPROX_BYTES[model])})" if model in APPROX_BYTES else ""
    server = urlparse(getattr(exc, "endpoint", "") or "https://huggingface.co").netloc
    mirror = (f" If {server} is blocked where you are, enter a mirror such as "
              "https://hf-mirror.com as Model server in Settings\u2026.")
    if reason == ModelUnavailableError.OFFLINE:
        return (
            f"PhotoSearch can't reach {server} to download the model \u201c{model}\u201d"
            f"{size}. Connect to the internet and try again, {NEXT_STEPS}.{mirror}"
        )
    if reason == ModelUnavailableError.DOWNLOAD_FAILED:
        return (
            f"PhotoSearch couldn't download the model \u201c{model}\u201d{size} from "
            f"{server}. Try again later, {NEXT_STEPS}. Copy details tells what went wrong."
            f"{mirror}"
        )
    if reason == ModelUnavailableError.UNKNOWN_MODEL:
        return (
            f"There is no model called \u201c{model}\u201d. Pick another one in Settings\u2026, "
            f"{NEXT_STEPS}."
        )
    if reason == ModelUnavailableError.DEVICE:
        return (
            "The graphics processor (GPU) chosen in Settings isn't available to PyTorch on this "
            "computer. Open Settings\u2026 and set Device to Automatic or CPU."
        )
    if reason == ModelUnavailableError.FOLDER:
        return f"{getattr(exc, 'user_message', exc)} Or use the small demo model."
    if isinstance(exc, EngineError):
        return exc.user_message  # already plain words
    return f"The model could not be loaded ({type(exc).__name__}: {exc})."
