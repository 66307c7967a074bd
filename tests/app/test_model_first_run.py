"""The first-run model experience: a download with a progress bar and Cancel, the cancelled
screen, and the ways out when the model is unavailable (a model folder, the demo model).

Download and cancel run on the fake engine (its load job reports real ``ModelProgress``
values and honours cancel through the same Job/bridge path); switching to the demo model or a
model folder runs on the real engine with the bundled demo model, offline.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_window
from PySide6.QtGui import QGuiApplication

from app.presenters.model_presenter import ModelState
from app.presenters.search_presenter import SearchState
from engine.errors import ModelUnavailableError
from tests.module_files import load_module

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
DEMO_FOLDER = Path(__file__).resolve().parents[2] / "resources" / "models" / "demo-clip"


def test_download_shows_a_moving_progress_bar_and_cancel_stops_it(qtbot, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(model=DEFAULT_MODEL)
    fake_library.download_bytes = 600_000_000
    fake_library.download_hold_at = 240_000_000  # waits at 40 % until cancelled
    window = make_window(qtbot, fake_library, load_model=False)
    window.start()
    banner = window.model_banner
    qtbot.waitUntil(lambda: banner.progress_bar.value() == 40, timeout=5000)
    assert window.model_presenter.state == ModelState.DOWNLOADING
    assert banner.isVisible() and banner.progress_bar.isVisible()
    assert banner.text.text() == f"Downloading {DEFAULT_MODEL} \u2014 240 MB of 600 MB"
    assert banner.cancel_button.isVisible() and not banner.demo_button.isVisible()
    assert "downloading" in window.status_line.model_label.text()

    banner.cancel_button.click()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.CANCELLED, timeout=3000)
    assert DEFAULT_MODEL not in fake_library.downloaded  # it stopped, it did not finish
    assert not banner.progress_bar.isVisible() and not banner.cancel_button.isVisible()
    assert banner.text.text().startswith("<b>Download cancelled.</b>")
    assert banner.retry_button.text() == "Download again" and banner.retry_button.isVisible()
    assert banner.folder_button.isVisible() and banner.demo_button.isVisible()
    # A search explains instead of waiting for a model that is not coming.
    window.search_bar.search_box.setText("red")
    window.search_presenter.search_now()
    assert window.search_presenter.state == SearchState.ERROR

    # Download again: it runs to the end this time and the search runs.
    fake_library.download_hold_at = None
    banner.retry_button.click()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=5000)
    assert DEFAULT_MODEL in fake_library.downloaded
    assert not banner.isVisible()
    qtbot.waitUntil(lambda: window.search_presenter.state == SearchState.RESULTS, timeout=3000)
    window.shutdown()


def _fake_hub() -> Any:
    """tests/engine/fake_hub.py's ``fake_hub`` (a local stand-in for the Hub's file server)."""
    return load_module(Path(__file__).resolve().parents[1] / "engine" / "fake_hub.py").fake_hub


def test_a_real_download_moves_the_bar_and_cancel_then_download_again_work(  # type: ignore[no-untyped-def]
    qtbot, tmp_path, monkeypatch
):
    from engine.api import Library

    for name in ("PHOTOSEARCH_MODEL", "PHOTOSEARCH_HOME", "PHOTOSEARCH_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    # The download flow is under test: torch loads the new model at once, where the CPU's
    # ONNX path would first export it (tens of seconds on a loaded 2-core machine).
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")
    model = f"hf-hub:photosearch-test/app-{uuid.uuid4().hex[:8]}"
    with _fake_hub()(DEMO_FOLDER, tmp_path / "hf", monkeypatch) as hub:
        # 64 KB per 100 ms: about 22 s for the 14 MB model, so that a loaded machine cannot
        # finish it before the test sees the bar move (it is cancelled at 5%, about 1 s in)
        hub.delay_s = 0.1
        library = Library.open(home=tmp_path / "home")
        library.update_settings(model=model, device="cpu")
        window = make_window(qtbot, library, load_model=False)
        window.start()
        banner = window.model_banner
        qtbot.waitUntil(lambda: banner.progress_bar.value() >= 5, timeout=30000)
        assert window.model_presenter.state == ModelState.DOWNLOADING
        assert banner.text.text().startswith(f"Downloading {model} — ")
        assert banner.text.text().endswith(" of 14 MB")
        banner.cancel_button.click()
        qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.CANCELLED, timeout=3000)
        assert banner.progress_bar.value() < 100 and not library.model_ready

        hub.delay_s = 0.0
        banner.retry_button.click()
        qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=60000)
        assert library.model_ready and not banner.isVisible()
        window.shutdown()
        library.close()


def test_offline_reason_is_worded_for_the_window(qtbot, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(model=DEFAULT_MODEL)
    engine_message = "... run `photosearch --model demo index` ... pass --model local-dir:/x"
    fake_library.model_error = ModelUnavailableError(
        engine_message, details="LocalEntryNotFoundError", reason=ModelUnavailableError.OFFLINE
    )
    window = make_window(qtbot, fake_library, load_model=False)
    window.start()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.UNAVAILABLE, timeout=3000)
    text = window.model_banner.text.text()
    assert "can't reach huggingface.co" in text and "about 605 MB" in text
    assert "--model" not in text and "photosearch " not in text
    for button in ("retry_button", "folder_button", "demo_button", "settings_button",
                   "copy_button"):
        assert getattr(window.model_banner, button).isVisible(), button
    window.model_banner.copy_button.click()  # the engine's own words stay in the details
    assert "LocalEntryNotFoundError" in QGuiApplication.clipboard().text()
    window.shutdown()


@pytest.fixture
def offline_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A real library whose model is a Hub model that is not cached, with the Hub offline."""
    from huggingface_hub import constants

    from engine.api import Library

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    for name in ("PHOTOSEARCH_MODEL", "PHOTOSEARCH_HOME", "PHOTOSEARCH_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    library = Library.open(home=tmp_path / "home")
    library.update_settings(model="hf-hub:photosearch-test/not-downloaded", device="cpu")
    yield library
    library.close()


def _unavailable_window(qtbot, library):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, library, load_model=False)
    window.start()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.UNAVAILABLE, timeout=30000)
    assert "can't reach huggingface.co" in window.model_banner.text.text()
    return window


def test_use_demo_model_switches_the_setting_and_the_model_loads(qtbot, offline_library):  # type: ignore[no-untyped-def]
    window = _unavailable_window(qtbot, offline_library)
    window.model_banner.demo_button.click()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=60000)
    assert offline_library.settings.model == "demo"
    assert offline_library.model_ready
    assert window.model_presenter.text.startswith("demo on cpu")
    assert not window.model_banner.isVisible()
    window.shutdown()


def test_choose_model_folder_loads_the_model_in_it(qtbot, offline_library):  # type: ignore[no-untyped-def]
    window = _unavailable_window(qtbot, offline_library)
    window.ask_model_folder = lambda: DEMO_FOLDER
    window.model_banner.folder_button.click()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=60000)
    assert offline_library.settings.model == f"local-dir:{DEMO_FOLDER}"
    assert offline_library.embed_texts(["a red circle"]).shape == (1, 128)
    window.shutdown()


def test_a_folder_without_a_model_is_explained_and_nothing_changes(qtbot, offline_library,
                                                                  tmp_path):  # type: ignore[no-untyped-def]
    window = _unavailable_window(qtbot, offline_library)
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    window.ask_model_folder = lambda: empty
    window.model_banner.folder_button.click()
    qtbot.waitUntil(lambda: window.reporter.last_dialog is not None, timeout=5000)
    assert "has no open_clip_config.json" in window.reporter.last_dialog.message
    assert str(empty) in window.reporter.last_dialog.message
    assert offline_library.settings.model == "hf-hub:photosearch-test/not-downloaded"
    assert window.model_presenter.state == ModelState.UNAVAILABLE
    window.shutdown()


def test_settings_browse_fills_in_a_local_dir_spec(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    dialog = window.open_settings()
    dialog.ask_model_folder = lambda: DEMO_FOLDER
    dialog.browse_button.click()
    assert dialog.model_combo.currentText() == f"local-dir:{DEMO_FOLDER}"
    assert dialog.changes() == {"model": f"local-dir:{DEMO_FOLDER}"}
    dialog.reject()


MULTILINGUAL = "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k"


def test_a_chinese_computer_is_offered_the_multilingual_model_on_first_run(  # type: ignore[no-untyped-def]
    qtbot, empty_library
):
    library = empty_library
    library.update_settings(model=DEFAULT_MODEL)
    library.download_bytes = 600_000_000
    library.download_hold_at = 120_000_000  # the English model's download is under way...
    window = make_window(qtbot, library, load_model=False)
    window.system_language = "zh_CN"
    window.start()
    page = window.first_run_page
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.DOWNLOADING, timeout=5000)
    assert page.offer_button.isVisible() and page.offer_button.text() == (
        "Use the multilingual model")
    text = page.offer_text.text()
    assert "中文" in text and "54% of Chinese queries" in text and "0.7%" in text
    assert "about 1.5 GB" in text

    page.offer_button.click()  # ...and stops for the multilingual one
    qtbot.waitUntil(lambda: library.settings.model == MULTILINGUAL, timeout=3000)
    library.download_hold_at = None
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=10000)
    assert MULTILINGUAL in library.downloaded and DEFAULT_MODEL not in library.downloaded
    assert not page.offer_button.isVisible()
    window.shutdown()


@pytest.mark.parametrize("language", ["en_US", "en_GB"])
def test_an_english_computer_is_offered_nothing(qtbot, empty_library, language):  # type: ignore[no-untyped-def]
    library = empty_library
    library.update_settings(model=DEFAULT_MODEL)
    window = make_window(qtbot, library, load_model=False)
    window.system_language = language
    window.start()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=5000)
    assert not window.first_run_page.offer_button.isVisible()
    assert not window.first_run_page.offer_text.isVisible()
    window.shutdown()


def test_no_offer_once_the_person_chose_another_model(qtbot, empty_library):  # type: ignore[no-untyped-def]
    library = empty_library
    library.update_settings(model="demo")
    window = make_window(qtbot, library, load_model=False)
    window.system_language = "ja_JP"
    window.start()
    qtbot.waitUntil(lambda: window.model_presenter.state == ModelState.READY, timeout=5000)
    assert not window.first_run_page.offer_button.isVisible()
    window.shutdown()
