"""The analysis seam: a new analysis is one module and a registration, nothing else.

The average-colour analysis (``colour_analysis.py``) is registered by these tests alone: the
indexer, the writer and the facade know nothing of it, yet it is computed in a background pass
after the meaning pass, its results follow moved files, it re-runs when its version changes,
failures are recorded per photo, it can be switched off, cancelled and resumed, and a
``kill -9`` in the middle of its pass loses nothing committed and duplicates nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import colour_analysis
import numpy as np
import pytest
from conftest import DemoSet
from PIL import Image

from engine.api import AnalysisReport, IndexProgress, IndexReport, Library
from engine.errors import Cancelled

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture
def colour() -> Iterator[None]:
    colour_analysis.install()
    colour_analysis.computed.clear()
    colour_analysis.VERSION = "1"
    colour_analysis.DELAY_S = 0.0
    colour_analysis.FAIL_WIDTH = -1
    colour_analysis.MODEL_MISSING = False
    yield
    colour_analysis.uninstall()


def results(lib: Library) -> dict[str, tuple[float, float, float, str]]:
    """content hash -> (r, g, b, version) as stored."""
    rows = lib.catalog._query("SELECT content_hash, r, g, b, version FROM colour_results")
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}


def hashes(lib: Library) -> dict[str, str]:
    """path -> content hash of readable photos."""
    rows = lib.catalog._query("SELECT path, content_hash FROM photos WHERE error IS NULL")
    return {r[0]: r[1] for r in rows}


def colour_passes(report: IndexReport) -> list[AnalysisReport]:
    """The colour pass of a run's reports (the built-in background analyses run too)."""
    return [a for a in report.analyses if a.name == "colour"]


def coverage(lib: Library, name: str = "colour") -> tuple[int, int, int]:
    entry = next(a for a in lib.status().analyses if a.name == name)
    return entry.done, entry.pending, entry.failed


def test_a_registered_analysis_runs_after_the_meaning_pass(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    seen: list[IndexProgress] = []
    report = lib.index(on_progress=seen.append).result(timeout=300)
    assert report.embedded == 20
    # The meaning pass reports first; the colour pass after it, under its own name and title.
    passes = [p.pass_name for p in seen if p.phase != "done"]
    assert passes.index("colour") > max(i for i, p in enumerate(passes) if p == "meaning")
    last = [p for p in seen if p.pass_name == "colour"][-1]
    assert (last.phase, last.title, last.done, last.total) == ("analysing", "average colour",
                                                                20, 20)
    assert [(a.name, a.done, a.failed) for a in colour_passes(report)] == [("colour", 20, 0)]
    stored = results(lib)
    assert set(stored) == set(hashes(lib).values())
    # The result is the photo's real mean colour, not a made-up number.
    path, digest = next(iter(hashes(lib).items()))
    with Image.open(path) as im:
        expected = np.asarray(im.convert("RGB").resize((32, 32)), np.float32).reshape(
            -1, 3).mean(axis=0)
    np.testing.assert_allclose(stored[digest][:3], expected, atol=6.0)
    assert coverage(lib) == (20, 0, 0)
    # Nothing left to do: a second run computes nothing.
    colour_analysis.computed.clear()
    again = lib.index().result(timeout=300)
    assert colour_analysis.computed == [] and colour_passes(again)[0].done == 0


def test_results_follow_moved_and_copied_files(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    before = results(lib)
    names = sorted(p for p in small_photos.iterdir() if p.suffix == ".jpg")
    (small_photos / "sub").mkdir()
    names[0].rename(small_photos / "sub" / "moved.jpg")
    shutil.copy(names[1], small_photos / "copy.jpg")
    colour_analysis.computed.clear()
    lib.index().result(timeout=300)
    assert colour_analysis.computed == []  # same content: nothing computed again
    assert results(lib) == before
    assert coverage(lib) == (21, 0, 0)


def test_a_new_version_recomputes_every_photo(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    colour_analysis.VERSION = "2"
    assert coverage(lib) == (0, 20, 0)  # the old results no longer count
    colour_analysis.computed.clear()
    lib.index().result(timeout=300)
    assert len(colour_analysis.computed) == 20
    assert {v[3] for v in results(lib).values()} == {"2"}
    assert coverage(lib) == (20, 0, 0)


def test_a_photo_it_cannot_analyse_is_recorded_and_the_pass_goes_on(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    odd = small_photos / "odd.jpg"
    Image.new("RGB", (123, 80), (10, 200, 30)).save(odd)
    colour_analysis.FAIL_WIDTH = 123
    lib = open_library()
    lib.add_folder(small_photos)
    seen: list[IndexProgress] = []
    report = lib.index(on_progress=seen.append).result(timeout=300)
    assert report.failed == 0  # the photo itself is fine: searchable by meaning
    assert [(a.done, a.failed) for a in colour_passes(report)] == [(20, 1)]
    assert [(p.done, p.failed) for p in seen if p.pass_name == "colour"][-1] == (21, 1)
    entry = next(a for a in lib.status().analyses if a.name == "colour")
    assert (entry.done, entry.pending, entry.failed) == (20, 0, 1)
    assert [(f.path, "rejects" in f.reason) for f in entry.failures] == [(odd, True)]
    # Not retried on every run; retried when asked.
    colour_analysis.FAIL_WIDTH = -1
    assert colour_passes(lib.index().result(timeout=300))[0].done == 0
    retried = lib.index(retry_failed=True).result(timeout=300)
    assert [(a.done, a.failed) for a in colour_passes(retried)] == [(1, 0)]
    assert coverage(lib) == (21, 0, 0)


def test_a_missing_model_skips_its_pass_with_the_reason(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    colour_analysis.MODEL_MISSING = True
    lib = open_library()
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert report.embedded == 20  # the meaning pass is not held up
    assert [(a.name, a.done, a.error) for a in colour_passes(report)] == [
        ("colour", 0, "The colour model is missing. Reinstall it.")]
    assert coverage(lib) == (0, 20, 0)  # pending, not failed: it runs once the model is back
    colour_analysis.MODEL_MISSING = False
    assert colour_passes(lib.index().result(timeout=300))[0].done == 20


def test_switched_off_it_does_not_run(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.update_settings(disabled_analyses=("colour",))
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert colour_passes(report) == [] and colour_analysis.computed == []
    entry = next(a for a in lib.status().analyses if a.name == "colour")
    assert (entry.enabled, entry.pending) == (False, 20)
    # The meaning stage cannot be switched off.
    lib.update_settings(disabled_analyses=("colour", "clip"))
    assert next(a for a in lib.status().analyses if a.name == "clip").enabled


def test_its_pass_can_be_cancelled_and_resumes_where_it_stopped(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    colour_analysis.DELAY_S = 0.05
    job = lib.index(on_progress=lambda p: (p.pass_name == "colour" and p.done >= 8
                                           and job.cancel()))
    with pytest.raises(Cancelled):
        job.result(timeout=300)
    done_before = len(results(lib))
    assert 8 <= done_before < 20
    colour_analysis.computed.clear()
    colour_analysis.DELAY_S = 0.0
    lib.index().result(timeout=300)
    assert len(colour_analysis.computed) == 20 - done_before  # only what was left
    assert coverage(lib) == (20, 0, 0)


def test_a_paused_pass_waits(small_photos: Path, open_library: Callable[..., Library],
                             colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    paused_at: list[int] = []

    def pause_once(p: IndexProgress) -> None:
        if p.pass_name == "colour" and p.done >= 4 and not paused_at:
            paused_at.append(p.done)
            job.pause()

    colour_analysis.DELAY_S = 0.02
    job = lib.index(on_progress=pause_once)
    deadline = time.monotonic() + 120
    while not paused_at and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    held = len(colour_analysis.computed)
    time.sleep(0.5)
    assert len(colour_analysis.computed) == held  # nothing computed while paused
    job.resume()
    job.result(timeout=300)
    assert coverage(lib) == (20, 0, 0)


def test_removed_photos_take_their_results_with_them(
        small_photos: Path, open_library: Callable[..., Library], colour: None) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    victim = sorted(small_photos.glob("*.jpg"))[0]
    gone = hashes(lib)[str(victim)]
    victim.unlink()
    lib.index().result(timeout=300)
    assert gone not in results(lib)
    assert gone not in {r[0] for r in lib.catalog._query(
        "SELECT content_hash FROM analysis_state WHERE analysis = 'colour'")}


@pytest.mark.slow
def test_kill_9_during_its_pass_loses_and_duplicates_nothing(
        tmp_path: Path, demo: DemoSet) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in demo.names[:40]:
        shutil.copy(demo.folder / name, folder / name)
    home = tmp_path / "home"
    with Library.open(home, model="demo") as lib:
        lib.add_folder(folder)
    env = dict(os.environ, COLOUR_DELAY_S="0.15", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(HERE / "colour_worker.py"), str(home)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = home / "catalog.db"
    deadline = time.monotonic() + 240
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                committed = conn.execute(
                    "SELECT COUNT(*) FROM analysis_state WHERE analysis = 'colour'").fetchone()[0]
        except sqlite3.OperationalError:  # the table is being created
            continue
        if committed >= 8:
            break
    assert proc.poll() is None, proc.communicate()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 8 <= committed < 40
    # A fresh process finishes the job: nothing is lost, nothing stored twice.
    env["COLOUR_DELAY_S"] = "0"
    done = subprocess.run([sys.executable, str(HERE / "colour_worker.py"), str(home)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    finished_here = int(done.stdout.split()[-1])
    # Only what the killed process had not committed (a batch in flight at most) runs again.
    assert 40 - committed - colour_analysis.AverageColour.batch_size <= finished_here
    assert finished_here <= 40 - committed
    with sqlite3.connect(db) as conn:
        photos = {r[0] for r in conn.execute(
            "SELECT content_hash FROM photos WHERE error IS NULL")}
        stored = [r[0] for r in conn.execute("SELECT content_hash FROM colour_results")]
        state = [r[0] for r in conn.execute(
            "SELECT content_hash FROM analysis_state WHERE analysis = 'colour' "
            "AND error IS NULL")]
        vectors = conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
    assert sorted(stored) == sorted(photos) == sorted(state)
    assert len(photos) == 40 and vectors == 40
