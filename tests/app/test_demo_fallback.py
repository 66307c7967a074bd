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
