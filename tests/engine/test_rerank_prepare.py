"""Preparing the second stage in the background (engine.search.rerank_prepare): the matcher's
features for the most recent photos, so that reranking them skips the image tower.

Runs the real demo matcher (resources/models/demo-matcher) on the demo photos."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.api import Library
from engine.errors import Cancelled
from engine.jobs import CancelToken
from engine.records import IndexProgress
from engine.search.rerank_prepare import NAME, TITLE


def _dated(folder: Path) -> list[Path]:
    """The folder's photos given distinct file times, newest first (no EXIF date in them, so
    the file time is the date taken)."""
    photos = sorted(folder.glob("*.png")) + sorted(folder.glob("*.jpg"))
    base = time.time() - 400 * 86400
    for i, path in enumerate(photos):
        os.utime(path, (base + i * 86400, base + i * 86400))
    return list(reversed(photos))


def _cached(lib: Library) -> set[str]:
    return {p.stem for p in (lib.home / "cache" / "matcher").rglob("*.npy")}


def _hash_of(lib: Library, path: Path) -> str:
    rows = lib.catalog._query("SELECT content_hash FROM photos WHERE path = ?", [str(path)])
    return str(rows[0][0])


@pytest.fixture
def reranking_library(open_library: Callable[..., Library], small_photos: Path) -> Library:
    lib = open_library()
    lib.update_settings(rerank=True, rerank_prepare=5)
    lib.add_folder(small_photos)
    return lib


def test_an_indexing_run_prepares_the_most_recent_photos(
        reranking_library: Library, small_photos: Path) -> None:
    lib = reranking_library
    newest = _dated(small_photos)
    seen: list[IndexProgress] = []
    report = lib.index(on_progress=seen.append).result(timeout=300)

    prepared = [a for a in report.analyses if a.name == NAME]
    assert len(prepared) == 1 and prepared[0].done == 5 and prepared[0].failed == 0
    assert any(p.phase == "analysing" and p.title == TITLE for p in seen)
    assert _cached(lib) == {_hash_of(lib, p) for p in newest[:5]}

    # Reranking those five now reads their features: the image tower does not run.
    hits = [h for h in lib.search("a red circle", k=20, rerank=False, cut_off=False)
            if h.path in newest[:5]]
    assert len(hits) == 5
    matcher = lib._reranker.stage().matcher.load()
    matcher_before = matcher.images_encoded
    lib._reranker.stage().cache.clear_memory()  # as in a new session: from disk
    reranked = lib.rerank("a red circle", hits)
    assert matcher.images_encoded == matcher_before
    assert all(h.match_probability is not None for h in reranked)

    # A second run finds nothing left to do.
    again = lib.index().result(timeout=300)
    assert [(a.done, a.failed) for a in again.analyses if a.name == NAME] == [(0, 0)]
    assert matcher.images_encoded == matcher_before


def test_nothing_is_prepared_while_reranking_is_off_or_set_to_none(
        open_library: Callable[..., Library], small_photos: Path) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert not [a for a in report.analyses if a.name == NAME]
    lib.update_settings(rerank=True, rerank_prepare=0)
    report = lib.index().result(timeout=300)
    assert not [a for a in report.analyses if a.name == NAME]
    assert not _cached(lib)
    assert not lib._reranker.stage().matcher.loaded  # not even loaded for nothing


def test_a_matcher_that_is_not_on_this_computer_is_never_downloaded_for_it(
        open_library: Callable[..., Library], small_photos: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.models import hub

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    asked: list[bool] = []
    monkeypatch.setattr(hub, "hub_reachable", lambda: asked.append(True) or True)
    lib = open_library()
    lib.update_settings(rerank=True, matcher="photosearch-tests/no-such-matcher")
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert report.embedded == 20  # the run itself is untouched
    assert not [a for a in report.analyses if a.name == NAME]
    assert not asked and not _cached(lib)


def test_half_the_cache_budget_holds_the_most_recent_first(
        reranking_library: Library, small_photos: Path) -> None:
    lib = reranking_library
    newest = _dated(small_photos)
    lib.update_settings(rerank_prepare=20)
    stage = lib._reranker.stage()
    feature_bytes = stage.matcher.load().encode_images(
        [__import__("PIL.Image").Image.open(newest[0]).convert("RGB")])[0].nbytes
    stage.cache.disk_bytes = 2 * 3 * feature_bytes  # half of it: three photos' features
    report = lib.index().result(timeout=300)
    prepared = [a for a in report.analyses if a.name == NAME][0]
    assert prepared.done == 3
    assert _cached(lib) == {_hash_of(lib, p) for p in newest[:3]}


def test_a_cancelled_preparation_keeps_its_work_and_the_next_goes_on(
        reranking_library: Library, small_photos: Path) -> None:
    lib = reranking_library
    newest = _dated(small_photos)
    lib.index(background=False).result(timeout=300)
    lib.update_settings(rerank_prepare=20)
    token = CancelToken()

    def report(progress: IndexProgress) -> None:
        if progress.done >= 1:  # after the first chunk (one photo: it sizes the budget)
            token.cancel()

    with pytest.raises(Cancelled):
        lib._preparation.run(token, report)
    kept = _cached(lib)
    assert len(kept) == 1 and kept == {_hash_of(lib, newest[0])}
    finished = lib._preparation.run(CancelToken(), lambda _p: None)
    assert finished is not None and finished.done == 19
    assert _cached(lib) == {_hash_of(lib, p) for p in newest}


def test_a_running_rerank_goes_first(reranking_library: Library, small_photos: Path) -> None:
    lib = reranking_library
    lib.index(background=False).result(timeout=300)
    reranker = lib._reranker
    reranker._busy += 1  # a person's rerank is running
    results: list[object] = []
    worker = threading.Thread(
        target=lambda: results.append(lib._preparation.run(CancelToken(), lambda _p: None)))
    worker.start()
    time.sleep(0.5)
    assert not _cached(lib) and worker.is_alive()  # waiting, nothing encoded
    reranker._busy -= 1
    worker.join(120)
    assert not worker.is_alive() and len(_cached(lib)) == 5


def test_a_watch_prepares_new_photos_on_its_own_thread(
        reranking_library: Library, small_photos: Path) -> None:
    lib = reranking_library
    lib.index(background=False).result(timeout=300)
    watch = lib.watch()
    try:
        assert watch.wait_reconciled(120)
        deadline = time.monotonic() + 120
        while len(_cached(lib)) < 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_cached(lib)) == 5
        assert lib._preparing.last is not None or lib._preparing.running
    finally:
        watch.stop()


def test_status_says_how_many_recent_photos_are_ready(
        reranking_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    lib = reranking_library
    lib.index(background=False).result(timeout=300)
    assert lib.reranking_prepared() == (0, 5)
    lib._preparation.run(CancelToken(), lambda _p: None)
    assert lib.reranking_prepared() == (5, 5)
    lib.update_settings(rerank=False)
    assert lib.reranking_prepared() is None
    lib.update_settings(rerank=True)
    home = lib.home
    lib.close()
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "status"]) == 0
    assert "features ready for 5 of the 5 most recent photos" in capsys.readouterr().out
