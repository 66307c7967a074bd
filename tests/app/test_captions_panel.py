"""Captions in the window: a photo's own captions, writing one, the captions that describe the
selected photo, and "Looks like…" for a dropped image."""

from __future__ import annotations

from conftest import send_drop
from PySide6.QtCore import QMimeData, Qt, QUrl

from app.presenters.search_presenter import SearchState


def select_first(qtbot, window, text: str):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText(text)
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    return window.results_model.hit(0)


def test_selected_photo_shows_its_captions_and_what_describes_it(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    box = window.preview_pane.captions
    qtbot.waitUntil(lambda: box.ready, timeout=3000)  # the corpus was prepared in the background
    assert fake_library.calls_named("prepare_captions")
    hit = select_first(qtbot, window, "red circle")
    assert hit.photo_id == 1
    qtbot.waitUntil(lambda: "Red circle on the beach" in box.own_label.text(), timeout=3000)
    assert "from the file" in box.own_label.text()
    qtbot.waitUntil(lambda: "a red circle" in box.describe_label.text(), timeout=3000)
    assert "(vocabulary, 0.30)" in box.describe_label.text()
    assert box.edit.text() == ""  # no caption of the user's yet


def test_describing_never_loads_the_matcher_in_line_with_searches(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(rerank=True)
    fake_library.matcher_ready = False  # not loaded yet: a first-time download, say
    fake_library.matcher_delay = 3.0
    box = window.preview_pane.captions
    qtbot.waitUntil(lambda: box.ready, timeout=3000)
    select_first(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: bool(fake_library.calls_named("describe")), timeout=3000)
    assert fake_library.calls_named("describe")[-1][2] is False  # rerank=False until loaded
    qtbot.waitUntil(lambda: fake_library.matcher_ready, timeout=8000)  # the search loaded it
    box.refresh()
    qtbot.waitUntil(lambda: fake_library.calls_named("describe")[-1][2] is None, timeout=3000)


def test_writing_a_caption_saves_it_and_clearing_removes_it(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    box = window.preview_pane.captions
    hit = select_first(qtbot, window, "red circle")
    qtbot.waitUntil(lambda: bool(fake_library.calls_named("photo_captions")), timeout=3000)
    assert not box.save_button.isEnabled()
    qtbot.keyClicks(box.edit, "Grandma's birthday cake")
    assert box.save_button.isEnabled()
    qtbot.keyClick(box.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(fake_library.calls_named("set_caption")), timeout=3000)
    assert fake_library.calls_named("set_caption")[-1] == (hit.photo_id, "Grandma's birthday cake")
    qtbot.waitUntil(lambda: not box.save_button.isEnabled(), timeout=3000)
    # Another photo, then back: the caption comes back from the library.
    window.results_view.setCurrentIndex(window.results_model.index(1, 0))
    qtbot.waitUntil(lambda: box.photo_id == window.results_model.hit(1).photo_id, timeout=3000)
    assert box.edit.text() == ""
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    qtbot.waitUntil(lambda: box.edit.text() == "Grandma's birthday cake", timeout=3000)
    box.edit.clear()
    box.save_button.click()
    qtbot.waitUntil(lambda: fake_library.calls_named("set_caption")[-1][1] is None, timeout=3000)
    assert all(src != "user" for _, src in fake_library.captions[hit.photo_id])


def test_a_dropped_photo_is_described_in_the_similar_bar(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.preview_pane.captions.ready, timeout=3000)
    photo = fake_library.holiday / "blue_circle_02.jpg"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    assert send_drop(window, mime).isAccepted()
    bar = window.similar_bar
    qtbot.waitUntil(lambda: bar.captions.isVisible(), timeout=3000)
    assert "Looks like: “a blue circle”" in bar.captions.text()
    # The similar search ran first; describing the image did not hold it up.
    names = [c[0] for c in fake_library.calls if c[0] in ("similar", "describe")]
    assert names[:2] == ["similar", "describe"]
