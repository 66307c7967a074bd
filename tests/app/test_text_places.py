"""Text in photos, places and understood queries in the window: the preview shows a photo's
text (selectable, copyable), the grid marks photos found by their text, the filters offer the
library's places, and what a query was understood to say shows as removable chips."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt

from app.presenters.search_presenter import SearchState
from app.widgets.filter_bar import FilterBar
from app.widgets.understood_chips import UnderstoodChips
from engine.api import PhotoText, PhotoTextLine, PlaceCount, Query, Understood

BOX = ((10.0, 10.0), (90.0, 10.0), (90.0, 30.0), (10.0, 30.0))


def search(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText(text)
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)


def test_the_preview_shows_the_photos_text_selectable(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    asked: list[tuple[Any, bool]] = []

    def photo_text(path: Any, read_now: bool = True) -> PhotoText:
        asked.append((path, read_now))
        return PhotoText(path, [PhotoTextLine("wifi password", BOX, 0.98),
                                PhotoTextLine("hunter2", BOX, 0.95)], True)

    fake_library.photo_text = photo_text
    search(qtbot, window, "red circle")
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    pane = window.preview_pane
    qtbot.waitUntil(lambda: pane.photo_text.toPlainText() == "wifi password\nhunter2",
                    timeout=3000)
    assert pane.photo_text.isVisible() and pane.photo_text.isReadOnly()
    assert pane.photo_text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert asked and asked[0][1] is False  # the preview never runs OCR in line
    pane.photo_text.selectAll()
    pane.photo_text.copy()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == "wifi password\nhunter2"


def test_no_text_hides_the_section(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.photo_text = lambda path, read_now=True: PhotoText(path, [], True)
    search(qtbot, window, "red circle")
    window.results_view.setCurrentIndex(window.results_model.index(0, 0))
    qtbot.wait(200)
    assert not window.preview_pane.photo_text.isVisible()


def test_photos_found_by_their_text_are_marked(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    search(qtbot, window, "red circle")
    model = window.results_model
    hits = [replace(h, text_match=(n == 0)) for n, h in enumerate(model.hits())]
    model.set_hits(hits)
    marked = [n for n in range(model.rowCount()) if model.hit(n).text_match]
    assert len(marked) == 1
    tip = model.data(model.index(marked[0], 0), Qt.ItemDataRole.ToolTipRole)
    assert "Found by the text in the photo" in tip
    other = model.data(model.index(1 - marked[0], 0), Qt.ItemDataRole.ToolTipRole)
    assert "Found by the text" not in other
    window.results_view.viewport().repaint()  # the badge paints without error


def test_filters_offer_places(qtbot) -> None:  # type: ignore[no-untyped-def]
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_places([PlaceCount("Lisbon", "Portugal", 12), PlaceCount("Kyoto", "Japan", 3)])
    assert [bar.place_combo.itemText(i) for i in range(bar.place_combo.count())] == [
        "Any place", "Lisbon, Portugal (12)", "Kyoto, Japan (3)"]
    with qtbot.waitSignal(bar.filters_changed) as changed:
        bar.place_combo.setCurrentIndex(1)
    assert changed.args[0].places == ("Lisbon",)
    bar.clear()
    assert bar.filters().places == ()


def test_chips_show_what_was_understood_and_can_be_removed(qtbot) -> None:  # type: ignore[no-untyped-def]
    chips = UnderstoodChips()
    qtbot.addWidget(chips)
    chips.show()
    place, year = Understood("place", "Lisbon", "Lisbon"), Understood("date", "2019", "2019")
    chips.set_understood([place, year])
    assert chips.isVisible()
    assert [c.text() for c in chips.chips] == ["place Lisbon  ×", "2019  ×"]
    with qtbot.waitSignal(chips.removed) as removed:
        chips.chips[1].click()
    assert removed.args[0] == year
    chips.set_understood([])
    assert not chips.isVisible() and chips.chips == []


def test_the_window_shows_chips_and_a_removed_chip_searches_its_words(  # type: ignore[no-untyped-def]
        qtbot, window, fake_library):
    parsed: list[tuple[str, tuple[str, ...]]] = []
    plain_search = fake_library.search

    def parse(text: str, literal: bool = False, keep: tuple[str, ...] = ()) -> Any:
        parsed.append((text, keep))
        chips = [Understood("place", "Lisbon", "Lisbon"), Understood("date", "2019", "2019")]
        return Query(text, (), understood=tuple(c for c in chips if c.source not in keep))

    fake_library.parse = parse
    fake_library.search = lambda query, **kw: plain_search(getattr(query, "raw", query), **kw)
    search(qtbot, window, "red circle Lisbon 2019")
    chips = window.understood_chips
    qtbot.waitUntil(lambda: len(chips.chips) == 2, timeout=3000)
    assert chips.chips[0].text().startswith("place Lisbon")
    chips.chips[1].click()  # remove "2019": it is searched as a word, Lisbon stays a place
    qtbot.waitUntil(lambda: parsed[-1] == ("red circle Lisbon 2019", ("2019",)), timeout=3000)
    qtbot.waitUntil(lambda: len(chips.chips) == 1, timeout=3000)
    assert chips.chips[0].text().startswith("place Lisbon")
    window.search_bar.search_box.setText("blue square")  # a new query starts afresh
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: parsed[-1] == ("blue square", ()), timeout=3000)
