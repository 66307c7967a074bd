"""Videos in the window, over the real engine (demo model): the grid shows the frame at the
best moment with a duration badge, the preview plays from that moment, "Find similar" looks
like that frame, and a Live Photo's preview plays its motion."""

from __future__ import annotations

import html
import os
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_window
from PIL import Image

from app import desktop
from app.models.results_model import HIT_ROLE, THUMBNAIL_STATE_ROLE
from app.presenters.search_presenter import SearchState
from app.widgets.results_view import duration_badge
from tests.module_files import load_module

pytestmark = pytest.mark.slow

# registered: its dataclasses look themselves up
video_samples = load_module(Path(__file__).resolve().parents[1] / "engine" / "video_samples.py",
                            register=True)


@pytest.fixture(scope="module")
def video_library(tmp_path_factory) -> Iterator[tuple]:  # type: ignore[type-arg]
    """Three demo scenes as photos, one video of the three, and a Live Photo; indexed."""
    import json

    from engine.api import Library
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

    root = tmp_path_factory.mktemp("videos")
    dataset = write_demo_dataset(root / "demo", DemoSplits(train=0, val=0, test=6,
                                                           compositional=0))
    entries = json.loads(dataset.read_text())["images"]
    names = [e["filename"] for e in entries]
    captions = {e["filename"]: e["sentences"][0]["raw"] for e in entries}
    folder = root / "library"
    folder.mkdir()
    for name in names[:3]:
        shutil.copy2(root / "demo" / "test" / name, folder / name)
    spans = video_samples.write_image_video(
        folder / "clip.mp4", [Image.open(root / "demo" / "test" / n) for n in names[:3]])
    shutil.copy2(root / "demo" / "test" / names[4], folder / "IMG_0001.JPG")
    video_samples.write_image_video(folder / "IMG_0001.MOV",
                                    [Image.open(root / "demo" / "test" / names[4])], seconds=1.5)
    library = Library.open(home=root / "home", model="demo")
    library.add_folder(folder)
    library.load_model().result(timeout=120)
    library.index().result(timeout=600)
    yield library, folder, names, captions, spans
    library.close()


def _search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    window.search_bar.cut_off_check.setChecked(False)
    window.search_bar.search_box.setText(text)
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=20000)


def _row_of(window, name: str) -> int:  # type: ignore[no-untyped-def]
    model = window.results_model
    return next(r for r in range(model.rowCount()) if model.hit(r).path.name == name)


def test_grid_shows_the_moment_and_preview_plays_from_it(qtbot, video_library):  # type: ignore[no-untyped-def]
    library, folder, names, captions, spans = video_library
    window = make_window(qtbot, library)
    played: list[tuple[Path, float]] = []
    window.actions.play_video = lambda path, t: played.append((path, t)) or True
    _search(qtbot, window, captions[names[2]])  # the third scene: 6 s to 9 s
    model = window.results_model
    row = _row_of(window, "clip.mp4")
    hit = model.index(row, 0).data(HIT_ROLE)
    assert hit.kind == "video" and spans[2][0] <= hit.time_s < spans[2][1]
    assert duration_badge(hit) == "\u25b6 0:09"
    assert "best moment at 0:0" in model.index(row, 0).data(0x03)  # ToolTipRole
    qtbot.waitUntil(lambda: model.index(row, 0).data(THUMBNAIL_STATE_ROLE) == "ready",
                    timeout=20000)
    window.results_view.grab()  # paints every visible cell, the badge included
    # The preview shows that moment and plays from it.
    window.results_view.setCurrentIndex(model.index(row, 0))
    pane = window.preview_pane
    qtbot.waitUntil(lambda: pane.play.isVisible() and not pane.image.image.isNull(),
                    timeout=20000)
    assert pane.play.text() == f"Play from 0:0{int(hit.time_s)}"
    pane.play.click()
    assert played == [(folder / "clip.mp4", hit.time_s)]
    # "Find similar" on the video looks like its frame at that moment: the third photo.
    window.find_similar_to(hit)
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS
                    and window.results_model.rowCount() > 0
                    and window.results_model.hit(0).path.name != "clip.mp4", timeout=20000)
    assert window.search_presenter.similar.time_s == hit.time_s
    assert window.results_model.hit(0).path.name == names[2]
    assert all(h.path.name != "clip.mp4" for h in window.results_model.hits())
    window.shutdown()


def test_live_photo_is_one_photo_whose_preview_plays_its_motion(qtbot, video_library):  # type: ignore[no-untyped-def]
    library, folder, names, captions, _ = video_library
    window = make_window(qtbot, library)
    played: list[tuple[Path, float]] = []
    window.actions.play_video = lambda path, t: played.append((path, t)) or True
    _search(qtbot, window, captions[names[4]])
    assert not any(h.path.suffix == ".MOV" for h in window.results_model.hits())
    row = _row_of(window, "IMG_0001.JPG")
    window.results_view.setCurrentIndex(window.results_model.index(row, 0))
    pane = window.preview_pane
    qtbot.waitUntil(lambda: pane.play.isVisible(), timeout=20000)
    assert pane.play.text() == "Play motion"
    pane.play.click()
    assert played == [(folder / "IMG_0001.MOV", 0.0)]
    # A plain photo has nothing to play.
    window.results_view.setCurrentIndex(window.results_model.index(_row_of(window, names[0]), 0))
    qtbot.wait(300)
    assert not pane.play.isVisible()
    window.shutdown()


def test_a_video_is_described_at_the_moment_the_preview_shows(qtbot, video_library):  # type: ignore[no-untyped-def]
    """The preview shows the third scene (the best moment); "Described as" must describe that
    frame, not the poster frame (1 s in, the first scene)."""
    library, folder, names, captions, _ = video_library
    moment_words = library.describe(folder / names[2], k=1, rerank=False)[0].text
    poster_words = library.describe(folder / "clip.mp4", k=1, rerank=False)[0].text
    assert moment_words != poster_words  # the two scenes read differently
    window = make_window(qtbot, library)
    _search(qtbot, window, captions[names[2]])
    window.results_view.setCurrentIndex(window.results_model.index(_row_of(window, "clip.mp4"),
                                                                   0))
    described = window.preview_pane.captions.describe_label
    qtbot.waitUntil(lambda: "(vocabulary," in described.text(), timeout=20000)
    first_line = described.text().split("<br>")[0]
    assert html.escape(moment_words) in first_line
    window.shutdown()


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the player")
def test_play_video_starts_a_player_at_the_moment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # A real program named mpv on PATH (it records how it was started).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "args.txt"
    player = bin_dir / "mpv"
    player.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\n')
    player.chmod(player.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"")
    assert desktop.play_video(video, 6.6)
    deadline = time.monotonic() + 10
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text().split("\n")[:2] == ["--start=6.60", str(video)]
    # Which player, and how each is told where to start.
    assert desktop.video_player_command(video, 3, which=lambda p: None) is None
    assert desktop.video_player_command(video, 3, which=lambda p: f"/usr/bin/{p}"
                                        if p == "vlc" else None) == [
        "/usr/bin/vlc", "--start-time=3.00", str(video)]
