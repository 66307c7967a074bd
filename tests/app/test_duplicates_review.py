"""The duplicates review over the real engine (demo model) and real photos: the suggested
keeper is pre-selected, a group can never keep nothing, and the rest goes to a temporary
freedesktop trash (never deleted) and leaves the library at once."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_window
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

import photo_samples as ps  # noqa: E402


@pytest.fixture
def home_trash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return ps.temporary_trash(tmp_path, monkeypatch)


@pytest.fixture
def copies_library(tmp_path: Path) -> Iterator[tuple]:  # type: ignore[type-arg]
    from engine.api import Library

    folder = tmp_path / "photos"
    folder.mkdir()
    photos = ps.distinct_photos()
    original = photos["china"]
    original.save(folder / "china.jpg", quality=95)
    original.save(folder / "china (converted).png")
    w, h = original.size
    original.resize((w // 2, h // 2)).save(folder / "china (sent).jpg", quality=80)
    photos["coffee"].save(folder / "coffee.jpg", quality=95)
    library = Library.open(home=tmp_path / "home", model="demo", device="cpu")
    library.add_folder(folder)
    library.index().result(timeout=300)
    yield library, folder
    library.close()


def test_review_keeps_the_suggested_copy_and_trashes_the_rest(  # type: ignore[no-untyped-def]
        qtbot, copies_library, home_trash):
    library, folder = copies_library
    window = make_window(qtbot, library)
    qtbot.waitUntil(lambda: not window.index_presenter.running, timeout=60000)
    assert window.duplicates_action.isEnabled()
    window.duplicates_action.trigger()
    dialog = window.duplicates_dialog
    qtbot.waitUntil(lambda: bool(dialog.selection.groups), timeout=20000)

    [group] = dialog.selection.groups
    assert group.kind == "near" and group.keeper.path == folder / "china.jpg"
    assert [box.isChecked() for box in dialog.checkboxes[0]] == [True, False, False]
    assert set(dialog.selection.to_trash()) == {folder / "china (converted).png",
                                                folder / "china (sent).jpg"}
    assert dialog.trash_button.isEnabled()

    # Keeping nothing is not allowed; keeping two is.
    dialog.checkboxes[0][0].setChecked(False)
    assert not dialog.trash_button.isEnabled()
    dialog.checkboxes[0][0].setChecked(True)
    dialog.checkboxes[0][1].setChecked(True)
    assert dialog.selection.to_trash() == [group.photos[2].path]

    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(text) or True
    qtbot.mouseClick(dialog.trash_button, Qt.MouseButton.LeftButton)
    trashed = group.photos[2].path
    qtbot.waitUntil(lambda: not trashed.exists(), timeout=20000)
    assert asked and "1 photo" in asked[0]
    assert (home_trash / "files" / trashed.name).exists()
    kept = {p.path for p in group.photos[:2]}
    assert all(path.exists() for path in kept)
    # The library follows at once: the review refreshes without the trashed copy.
    qtbot.waitUntil(lambda: bool(dialog.selection.groups)
                    and trashed not in {p.path for g in dialog.selection.groups
                                        for p in g.photos}, timeout=20000)
    assert trashed not in {h.path for h in library.search("a photo", k=50, cut_off=False)}
    dialog.close()
    window.shutdown()
