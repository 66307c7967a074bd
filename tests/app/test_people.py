"""The People view and the face settings over a real library with real faces (Grace Hopper and
Eileen Collins, three photos each, and one photo without people)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_window
from PySide6.QtCore import QPointF

from app.widgets.people_view import PERSON_ID

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from real_faces import VARIANTS, eileen, grace, no_face_photos  # noqa: E402

pytestmark = pytest.mark.faces


@pytest.fixture
def face_library(tmp_path: Path) -> Iterator[Any]:
    """A real library (demo model) of six face photos and one without, indexed with faces."""
    from engine.api import Library

    folder = tmp_path / "photos"
    folder.mkdir()
    for person, load in (("grace", grace), ("eileen", eileen)):
        for variant in ("original", "jpeg_45", "flip"):
            VARIANTS[variant](load()).save(folder / f"{person}_{variant}.jpg", quality=95)
    no_face_photos()["coffee"].save(folder / "coffee.jpg", quality=95)
    library = Library.open(home=tmp_path / "home", model="demo")
    library.add_folder(folder)
    library.load_model().result(timeout=120)
    report = library.index().result(timeout=300)
    assert [a.done for a in report.analyses if a.name == "faces"] == [7]
    yield library
    library.close()


def test_people_view_renames_shows_photos_and_merges(qtbot, face_library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, face_library)
    view = window.open_people()
    qtbot.waitUntil(lambda: view.list.count() == 2, timeout=10000)
    items = [view.list.item(i) for i in range(2)]
    assert all(not item.icon().isNull() for item in items)  # a face thumbnail each
    assert not view.merge_button.isEnabled()

    items[0].setText("Grace")  # what editing in place does
    qtbot.waitUntil(lambda: any(p.name == "Grace" for p in face_library.people()),
                    timeout=10000)
    grace_id = next(p.id for p in face_library.people() if p.name == "Grace")
    qtbot.waitUntil(lambda: view.list.count() == 2 and any(
        view.list.item(i).text() == "Grace" for i in range(2)), timeout=10000)

    named = next(view.list.item(i) for i in range(2) if view.list.item(i).text() == "Grace")
    view.list.clearSelection()
    named.setSelected(True)
    assert view.show_button.isEnabled()
    view.show_button.click()
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 3, timeout=15000)
    shown = {window.results_model.hit(i).path.name.split("_")[0] for i in range(3)}
    assert len(shown) == 1  # one person's three photos

    for i in range(view.list.count()):
        view.list.item(i).setSelected(True)
    assert view.merge_button.isEnabled()
    view.merge_button.click()
    qtbot.waitUntil(lambda: len(face_library.people()) == 1, timeout=10000)
    assert face_library.people()[0].id == grace_id and face_library.people()[0].photo_count == 6
    qtbot.waitUntil(lambda: view.list.count() == 1, timeout=10000)
    window.shutdown()


def test_settings_switch_faces_off_and_delete_face_data(qtbot, face_library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, face_library)
    dialog = window.open_settings()
    assert dialog.faces_check.isChecked()
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) or False
    dialog.delete_faces_button.click()
    assert "Names are not kept" in asked[0]
    assert face_library.people()  # not confirmed: nothing deleted
    dialog.confirm = lambda title, text: True
    dialog.delete_faces_button.click()
    qtbot.waitUntil(lambda: face_library.people(min_faces=1) == [], timeout=10000)
    assert "faces" in face_library.settings.disabled_analyses
    assert not dialog.faces_check.isChecked()
    assert dialog.changes() == {}  # already saved as off by the deletion
    dialog.faces_check.setChecked(True)
    assert dialog.changes() == {"disabled_analyses": ()}
    window.shutdown()


def test_preview_outlines_faces_on_hover_with_the_name(qtbot, face_library) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QEnterEvent

    person = face_library.people()[0]
    face_library.name_person(person.id, "Grace")
    window = make_window(qtbot, face_library)
    hit = face_library.person_photos(person.id)[0]
    pane = window.preview_pane
    pane.show_hit(hit)
    qtbot.waitUntil(lambda: len(pane.image.faces) == 1 and not pane.image.pixmap().isNull(),
                    timeout=10000)
    (rect, name), = pane.image.face_rects()
    assert name == "Grace" and rect.width() > 10
    assert pane.image.face_at(rect.center()) == "Grace"
    assert pane.image.face_at(QPointF(rect.right() + 5, rect.bottom() + 5)) is None
    enter = QEnterEvent(rect.center(), rect.center(), rect.center())
    pane.image.enterEvent(enter)
    assert pane.image.hovering
    pane.image.grab()  # paints the outline without error
    pane.image.leaveEvent(QEvent(QEvent.Type.Leave))
    assert not pane.image.hovering
    window.shutdown()


def _drop(view: Any, dragged: Any, target: Any) -> None:
    """What a drag of ``dragged`` released over ``target`` delivers to the list."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDropEvent

    data = view.list.mimeData([dragged])
    point = QPointF(view.list.visualItemRect(target).center())
    event = QDropEvent(point, Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view.list.dropEvent(event)
    assert event.isAccepted()


def test_dragging_a_person_onto_another_merges_them(qtbot, face_library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, face_library)
    view = window.open_people()
    view.show()
    qtbot.waitUntil(lambda: view.list.count() == 2, timeout=10000)
    first, second = face_library.people()
    face_library.name_person(first.id, "Grace")
    view.refresh()
    qtbot.waitUntil(lambda: any(view.list.item(i).text() == "Grace" for i in range(2)),
                    timeout=10000)
    items = {int(view.list.item(i).data(PERSON_ID)): view.list.item(i) for i in range(2)}

    assert view.list.dragEnabled() and view.list.viewport().acceptDrops()
    # Dropped on itself: refused, nothing happens.
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDropEvent

    data = view.list.mimeData([items[second.id]])
    assert view.list.dragged_ids(data) == [second.id]
    event = QDropEvent(QPointF(view.list.visualItemRect(items[second.id]).center()),
                       Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    view.list.dropEvent(event)
    assert not event.isAccepted()

    # Two different names meeting are asked about first; "Cancel" keeps both.
    face_library.name_person(second.id, "Eileen")
    asked: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(view, "confirm_merge",
                        lambda keep, other: asked.append((keep, other)) or False)
    view.refresh()
    qtbot.waitUntil(lambda: {view.list.item(i).text() for i in range(2)} == {"Grace",
                                                                            "Eileen"},
                    timeout=10000)
    items = {int(view.list.item(i).data(PERSON_ID)): view.list.item(i) for i in range(2)}
    _drop(view, items[second.id], items[first.id])
    assert asked == [("Grace", ["Eileen"])]
    qtbot.wait(300)
    assert len(face_library.people()) == 2

    # An unnamed person dropped on Grace becomes Grace, without a question.
    face_library.name_person(second.id, None)
    view.refresh()
    qtbot.waitUntil(lambda: {view.list.item(i).text() for i in range(2)} == {"Grace", ""},
                    timeout=10000)
    items = {int(view.list.item(i).data(PERSON_ID)): view.list.item(i) for i in range(2)}
    _drop(view, items[second.id], items[first.id])
    qtbot.waitUntil(lambda: len(face_library.people()) == 1, timeout=10000)
    merged = face_library.people()[0]
    assert (merged.id, merged.name, merged.photo_count) == (first.id, "Grace", 6)
    assert asked == [("Grace", ["Eileen"])]
    qtbot.waitUntil(lambda: view.list.count() == 1, timeout=10000)
    window.shutdown()


def test_not_this_person_from_the_preview_moves_the_face_out(qtbot, face_library) -> None:  # type: ignore[no-untyped-def]
    person = face_library.people()[0]
    face_library.name_person(person.id, "Grace")
    window = make_window(qtbot, face_library)
    hit = face_library.person_photos(person.id)[0]
    pane = window.preview_pane
    pane.show_hit(hit)
    qtbot.waitUntil(lambda: len(pane.image.faces) == 1 and not pane.image.pixmap().isNull(),
                    timeout=10000)
    (rect, _name), = pane.image.face_rects()
    assert pane.image.face_menu(QPointF(rect.right() + 5, rect.bottom() + 5)) is None
    menu = pane.image.face_menu(rect.center())
    assert menu is not None
    (action,) = menu.actions()
    assert action.text() == "Not Grace"
    with qtbot.waitSignal(pane.faces_changed, timeout=10000):
        action.trigger()
    (face,) = face_library.faces(hit.photo_id)
    assert face.person_id != person.id  # out of Grace, for good
    qtbot.waitUntil(lambda: pane.image.faces and pane.image.faces[0][1] != "Grace",
                    timeout=10000)
    window.shutdown()
