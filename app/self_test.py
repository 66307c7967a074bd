"""``PhotoSearch --self-test``: prove that an installed (or frozen) PhotoSearch works, headless.

Runs the whole path a user takes, with the bundled demo model and no network:

1. names the edition and checks its runtime: the full edition imports torch; the lean edition
   (no PyTorch: ONNX Runtime only) imports onnxruntime, must run the demo model on it and
   must never import torch;
2. writes a small folder of demo photos with the ``photosearch demo-data`` command (the
   ``photosearch`` executable next to a frozen ``PhotoSearch``, ``python -m engine.cli`` from a
   checkout), so the CLI is exercised too;
3. opens a temporary library with the demo model, indexes the folder;
4. searches it by text (a photo's caption must rank that photo first) and by image (a resized
   copy of a photo, outside the library, must find that photo first);
5. loads FFmpeg (PyAV) and checks its video decoders;
6. opens the main window offscreen on the same library, in Chinese (so the bundled translations,
   PhotoSearch's and Qt's own, must load), and waits for a search's results to reach it.

Prints one line and returns 0 when everything works::

    self-test ok: lean edition, onnxruntime 1.23.2 (no torch), demo on cpu (onnx: image fp32,
    text fp32), 24 photos indexed, text+image search ok, video decoders h264+hevc+vp9+av1+mpeg4,
    window ok (zh_CN), 6.1 s (runtime 0.2, photos 1.0, model 0.6, index 1.2, search 0.1,
    video 0.1, window 1.3)

(the full edition: ``full edition, torch 2.14.1, demo on cpu (...)``)

(on one line), or ``self-test FAILED at <step>: <reason>`` and returns 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PHOTOS = 24
QUERIES = 4  # captions searched for; each must rank its own photo first
SEED = 7
TIMEOUT_S = 300.0
# What the lean edition leaves out; importing any of them there is a packaging or code bug.
TORCH_MODULES = ("torch", "torchvision", "open_clip", "transformers", "timm")


class SelfTestError(Exception):
    """A check failed; the message says what was expected and what came instead."""


def demo_data_command() -> list[str]:
    """How to run ``photosearch`` here: the CLI executable next to a frozen app, else Python."""
    if getattr(sys, "frozen", False):
        # "photosearch" on Linux; "photosearch-cli" where file names ignore case (Windows, macOS)
        suffix = ".exe" if sys.platform == "win32" else ""
        here = Path(sys.executable).parent
        for name in ("photosearch", "photosearch-cli"):
            cli = here / f"{name}{suffix}"
            # (on Linux a link to this executable, which runs the command line by that name;
            # elsewhere "photosearch" may be this very file on a case-insensitive file system)
            if cli.is_file() and (cli.is_symlink() or not cli.samefile(sys.executable)):
                return [str(cli)]
        raise SelfTestError(f"the command line program photosearch is missing from {here}")
    return [sys.executable, "-m", "engine.cli"]


class _Phases:
    """Times each named step; the first failing step names the failure."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current = "start"

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.current = name
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start

    def summary(self) -> str:
        return ", ".join(f"{name} {s:.1f}" for name, s in self.seconds.items())


def write_photos(folder: Path) -> list[tuple[Path, str]]:
    """Write the demo photos; return (photo, caption) pairs from the written dataset.json."""
    command = [
        *demo_data_command(),
        "demo-data",
        str(folder),
        "--test",
        str(PHOTOS),
        "--compositional",
        "0",
        "--seed",
        str(SEED),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if proc.returncode != 0:
        raise SelfTestError(
            f"`{' '.join(command)}` exited with {proc.returncode}: "
            f"{(proc.stderr or proc.stdout).strip()[-800:]}"
        )
    dataset = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))
    pairs = [
        (folder / image["filepath"] / image["filename"], image["sentences"][0]["raw"])
        for image in dataset["images"]
    ]
    if len(pairs) != PHOTOS or not all(path.is_file() for path, _ in pairs):
        raise SelfTestError(f"demo-data wrote {len(pairs)} photos, expected {PHOTOS}")
    return pairs


def _first(hits: list[Any], what: str, expected: Path) -> None:
    if not hits:
        raise SelfTestError(f"{what}: no results, expected {expected.name}")
    if Path(hits[0].path).resolve() != expected.resolve():
        ranked = ", ".join(f"{Path(h.path).name} {h.score:.3f}" for h in hits[:3])
        raise SelfTestError(f"{what}: expected {expected.name} first, got {ranked}")


def _wait(app: Any, done: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SelfTestError(f"timed out after {seconds:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


WINDOW_LANGUAGE = "zh_CN"


def check_translations() -> None:
    """The window's language loaded: PhotoSearch's strings and Qt's own (standard buttons)."""
    from PySide6.QtWidgets import QDialogButtonBox

    from app.i18n import translate

    ours = translate("SearchBar", "Best matches only")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)  # held: its buttons die with it
    qt = box.buttons()[0].text()
    box.deleteLater()
    if ours == "Best matches only" or qt == "Cancel":
        raise SelfTestError(
            f"the {WINDOW_LANGUAGE} translations did not load (PhotoSearch's: {ours!r}, "
            f"Qt's: {qt!r})")


def check_window(home: Path, query: str, expected: Path) -> None:
    """Open the main window offscreen on ``home`` in Chinese, search ``query``, expect
    ``expected`` first."""
    from app.main import create_application, open_window

    create_application(language=WINDOW_LANGUAGE)
    check_translations()
    session = open_window(home=home, model="demo", show=True)
    window = session.window
    window.report_open_failure = False
    failures: list[BaseException] = []
    results: list[list[Any]] = []
    window.open_failed.connect(failures.append)
    window.search_presenter.results_ready.connect(lambda hits: results.append(list(hits)))
    try:
        _wait(
            session.app,
            lambda: window.library is not None or bool(failures),
            TIMEOUT_S,
            "the window to open the library",
        )
        if failures:
            exc = failures[0]
            raise SelfTestError(
                f"the window could not open the library: "
                f"{getattr(exc, 'user_message', None) or repr(exc)}"
            )
        if not window.isVisible():
            raise SelfTestError("the main window is not shown")
        window.search_bar.search_box.setText(query)
        window.search_presenter.search_now()
        _wait(session.app, lambda: any(results), TIMEOUT_S, "search results in the window")
        _first(next(r for r in results if r), "search in the window", expected)
    finally:
        session.close()
        window.close()


def run_self_test(out: Any = None) -> int:
    """Run every check; print one line to ``out`` (stdout); return the exit status."""
    out = out or sys.stdout
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless, before Qt is first imported
    from app.main import setup_logging

    setup_logging(None)  # warnings to stderr; else open_clip's logging.info() calls print
    started = time.perf_counter()
    phases = _Phases()
    facts: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="photosearch-self-test-") as tmp:
            root = Path(tmp)
            _run_checks(root, phases, facts)
    except Exception as exc:  # noqa: BLE001 - any failure becomes the one line
        reason = (
            exc
            if isinstance(exc, SelfTestError)
            else (getattr(exc, "user_message", None) or f"{type(exc).__name__}: {exc}")
        )
        print(f"self-test FAILED at {phases.current}: {reason}", file=out, flush=True)
        if not isinstance(exc, SelfTestError):
            traceback.print_exc(file=sys.stderr)
        return 1
    total = time.perf_counter() - started
    print(
        f"self-test ok: {facts['runtime']}, {facts['model']}, {facts['photos']} photos "
        f"indexed, text+image search ok, video decoders {facts['video']}, window ok "
        f"({WINDOW_LANGUAGE}), {total:.1f} s ({phases.summary()})",
        file=out,
        flush=True,
    )
    return 0


def _run_checks(root: Path, phases: _Phases, facts: dict[str, Any]) -> None:
    from engine.api import edition

    lean = edition() == "lean"
    with phases.step("runtime"):
        if lean:
            import numpy as np
            import onnxruntime

            facts["runtime"] = f"lean edition, onnxruntime {onnxruntime.__version__} (no torch)"
            if "CPUExecutionProvider" not in onnxruntime.get_available_providers():
                raise SelfTestError("ONNX Runtime has no CPU execution provider")
            np.ones(2) @ np.ones(2)  # numpy's BLAS really runs
        else:
            import torch

            facts["runtime"] = f"full edition, torch {torch.__version__.split('+')[0]}"
            torch.ones(2) @ torch.ones(2)  # the native library really runs

    with phases.step("photos"):
        pairs = write_photos(root / "photos")

    from engine.api import Library

    home = root / "home"
    library = Library.open(home=home, model="demo")
    try:
        library.add_folder(root / "photos" / "test")
        with phases.step("model"):
            facts["model"] = library.load_model().result(timeout=TIMEOUT_S)
        if lean and "(onnx:" not in facts["model"]:
            raise SelfTestError(f"the lean edition must run the model on ONNX Runtime, but "
                                f"it runs {facts['model']}")
        with phases.step("index"):
            report = library.index().result(timeout=TIMEOUT_S)
        indexed = report.embedded + report.reused
        if indexed != PHOTOS or report.failed:
            raise SelfTestError(
                f"indexed {indexed} of {PHOTOS} photos, {report.failed} failed: "
                + "; ".join(f"{f.path.name}: {f.reason}" for f in library.failures()[:3])
            )
        facts["photos"] = indexed

        with phases.step("search"):
            step = len(pairs) // QUERIES
            for path, caption in pairs[::step][:QUERIES]:
                _first(library.search(caption, k=5), f"text search '{caption}'", path)
            target = pairs[1][0]
            query_image = root / "query.jpg"
            _resized_copy(target, query_image)
            _first(library.similar(query_image, k=5), "image search", target)
    finally:
        library.close()

    with phases.step("video"):
        from engine.api import video_decoders  # FFmpeg's libraries, via PyAV

        found = video_decoders()
        if "h264" not in found:
            raise SelfTestError(f"no H.264 video decoder (found: {', '.join(found) or 'none'})")
        facts["video"] = "+".join(found)

    with phases.step("window"):
        path, caption = pairs[0]
        check_window(home, caption, path)
    if lean:
        imported = sorted(name for name in sys.modules if name.split(".")[0] in TORCH_MODULES)
        if imported:
            raise SelfTestError(f"the lean edition imported {', '.join(imported[:5])}")


def _resized_copy(source: Path, target: Path) -> None:
    """A smaller, re-encoded copy: a different file with the same picture."""
    from PIL import Image

    with Image.open(source) as im:
        im.convert("RGB").resize((200, 200), Image.Resampling.LANCZOS).save(
            target, "JPEG", quality=80
        )
