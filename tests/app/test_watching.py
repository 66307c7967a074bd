"""While the app runs, library folders are watched between indexing passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_window


def test_watch_runs_between_indexing_passes(qtbot, window, fake_library) -> None:  # type: ignore[no-untyped-def]
    # The catch-up pass at start has ended: the folders are being watched.
    qtbot.waitUntil(lambda: window.watch_presenter.watching, timeout=5000)
    watch = fake_library.watching
    # A new pass stops the watch first (it needs the writer lock), and restarts it after.
    window.index_presenter.start()
    qtbot.waitUntil(lambda: not watch.running, timeout=5000)
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=5000)
    qtbot.waitUntil(lambda: window.watch_presenter.watching, timeout=5000)
    assert fake_library.watching is not watch
    window.shutdown()
    assert not fake_library.watching.running


@pytest.mark.slow
def test_a_photo_copied_into_a_watched_folder_appears(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from engine.api import Library, write_demo_photos

    photos = write_demo_photos(tmp_path / "demo", 12) / "test"
    folder = tmp_path / "library-folder"
    folder.mkdir()
    originals = sorted(photos.glob("*.jpg"))
    for p in originals[:10]:
        shutil.copy(p, folder / p.name)
    library = Library.open(home=tmp_path / "home", model="demo")
    library.add_folder(folder)
    window = make_window(qtbot, library, load_model=False)
    window.start()
    try:
        qtbot.waitUntil(lambda: window.watch_presenter.watching, timeout=120_000)
        assert library.status().indexed == 10
        shutil.copy(originals[10], folder / "new-photo.jpg")
        qtbot.waitUntil(lambda: library.status().indexed == 11, timeout=60_000)
        # The folder list catches up without a manual refresh.
        qtbot.waitUntil(lambda: any(f.photos == 11 for f in window.library_presenter.folders),
                        timeout=30_000)
    finally:
        window.shutdown()
        library.close()
