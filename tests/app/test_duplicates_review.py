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


def test_each_card_says_which_folder_of_the_library_holds_the_copy(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """Copies in subfolders of one library folder are told apart by their own folder (from the
    library folder's name on), long names are shortened to the card, and nothing in a file
    name is read as markup."""
    from PySide6.QtWidgets import QLabel

    from app.widgets.duplicates_dialog import INFO_WIDTH, DuplicatesDialog
    from engine.api import DuplicateGroup, DuplicatePhoto

    library_folder = tmp_path / "a folder with a rather long name" / "Pictures"
    long_name = "IMG_20230611_091200_an_edit_exported_for_printing_at_a_large_size.jpg"
    copies = [library_folder / "Camera" / "IMG_2041.jpg",
              library_folder / "WhatsApp Images" / "IMG-WA0003 <sent>.jpg",
              library_folder / long_name, tmp_path / "elsewhere" / "IMG_2041.png"]
    photos = [DuplicatePhoto(n, path, None if n == 3 else library_folder, 1000, 640, 427,
                             "2023-06-10T09:12:00", path.suffix[1:])
              for n, path in enumerate(copies)]
    dialog = DuplicatesDialog()
    qtbot.addWidget(dialog)
    dialog.set_groups([DuplicateGroup("near", photos, "largest resolution (640\u00d7427)")])
    info = {label.toolTip(): label for label in dialog.findChildren(QLabel)
            if label.toolTip()}
    assert set(info) == {str(p) for p in copies}
    camera, whatsapp, printed, elsewhere = (info[str(p)] for p in copies)

    def lines(label: QLabel) -> tuple[str, str]:  # the name and the folder, as shown
        text = label.text()
        return text.split("</b>")[0].removeprefix("<b>"), text.split("<br>")[-1]

    assert lines(camera) == ("IMG_2041.jpg", "Pictures/Camera")
    assert lines(whatsapp)[0] == "IMG-WA0003 &lt;sent&gt;.jpg"
    folder = lines(whatsapp)[1]
    assert folder == "Pictures/WhatsApp Images" or (
        "\u2026" in folder and folder.startswith("Pictures/W") and folder.endswith("Images"))
    name, folder = lines(printed)
    assert folder == "Pictures"
    assert "\u2026" in name and name.startswith("IMG_2023") and name.endswith(".jpg")
    name, folder = lines(elsewhere)  # outside the library: the folder's whole path, shortened
    assert "\u2026" in folder and folder.endswith("elsewhere") and folder.startswith("/")
    for label in (camera, whatsapp, printed, elsewhere):
        assert label.width() == INFO_WIDTH
        assert all(label.fontMetrics().horizontalAdvance(line) <= INFO_WIDTH
                   for line in lines(label))
