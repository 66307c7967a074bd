"""`make run` without the default model's weights: the window switches to the demo library."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.demo_fallback import EXAMPLE_QUERY, install_demo_fallback
from app.presenters.search_presenter import SearchState

pytestmark = pytest.mark.slow


def test_unavailable_model_switches_to_demo_photos(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.demo_fallback as fallback
    from app.main import open_window

    monkeypatch.setattr(fallback, "DEMO_PHOTOS", 24)
    missing = tmp_path / "no-such-model"
    session = open_window(home=tmp_path / "home", model=f"local-dir:{missing}", show=True)
    window = session.window
    install_demo_fallback(window)
    try:
        # The missing model is noticed, the demo library opens, indexes and becomes searchable.
        qtbot.waitUntil(lambda: window.library is not None
                        and window.library.model_spec == "demo", timeout=120_000)
        assert "demo" in window.windowTitle()
        # The window says why, what to search for and what to do next (not only the terminal).
        notice = window.notice_bar.text.text()
        assert not window.notice_bar.isHidden()
        assert str(missing) in notice and EXAMPLE_QUERY in notice
        assert "connect to the internet and start PhotoSearch again" in notice
        demo_home = tmp_path / "home" / "demo-library"
        assert Path(window.library.home) == demo_home
        qtbot.waitUntil(lambda: window.library.status().indexed == 24, timeout=120_000)
        window.search_bar.search_box.setText(EXAMPLE_QUERY)
        window.search_presenter.search_now()
        qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS,
                        timeout=30_000)
        assert window.results_model.rowCount() >= 1
        # The user's own library was left alone: still the model they asked for, no folders.
        from engine.api import Library

        with Library.open(tmp_path / "home") as own:
            assert own.folders() == []
    finally:
        session.close()


def test_the_suggested_query_finds_what_it_says_in_the_demo_library(tmp_path: Path) -> None:
    """The hint the window gives ("blue squares on grass") is answered well by the demo
    library `make run` falls back to: every photo it returns is blue squares on grass."""
    import json

    from app.demo_fallback import DEMO_PHOTOS, open_demo_library

    library = open_demo_library(tmp_path / "demo-library", None)
    try:
        library.load_model()
        library.index().result()
        dataset = json.loads((tmp_path / "demo-library" / "photos" / "dataset.json").read_text())
        scene = {image["filename"]: image["scene"] for image in dataset["images"]}
        assert len(scene) == DEMO_PHOTOS
        hits = library.search(library.parse(EXAMPLE_QUERY), k=20, cut_off=True)
        found = [scene[hit.path.name] for hit in hits]
        assert len(found) >= 3
        assert all(s.split("-")[1:3] == ["blue", "square"] and s.endswith("-grass")
                   for s in found), found
    finally:
        library.close()
