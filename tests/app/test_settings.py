"""The settings dialog saves what changed; a new model or device reloads the model."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from conftest import make_window
from PySide6.QtCore import Qt

from app.widgets.settings_dialog import GPU_DEVICE


def test_settings_dialog_shows_current_settings_and_model_state(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    fake_library.update_settings(exclude=("*.psd",), thumbnail_cache_mb=256)
    dialog = window.open_settings()
    assert dialog.model_combo.currentText() == "demo"
    assert "bundled" in dialog.model_note.text()
    assert dialog.model_status.text() == "demo on cpu (fake)"
    assert dialog.device_combo.currentData() == "auto"
    assert dialog.cache_spin.value() == 256
    assert dialog.exclude_edit.toPlainText() == "*.psd"
    assert dialog.changes() == {}
    dialog.reject()


def test_changing_settings_saves_only_changes(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    dialog = window.open_settings()
    dialog.rerank_check.setChecked(True)
    dialog.cache_spin.setValue(64)
    dialog.exclude_edit.setPlainText("*/tmp/*\n\n*.psd  \n")
    loads = len(fake_library.calls_named("load_model"))
    dialog.accept()
    qtbot.waitUntil(lambda: fake_library.calls_named("update_settings") != [], timeout=3000)
    (changes,) = fake_library.calls_named("update_settings")[0]
    assert changes == {"rerank": True, "thumbnail_cache_mb": 64, "exclude": ("*/tmp/*", "*.psd")}
    assert window.thumbnail_cache.max_bytes == 64 << 20
    qtbot.wait(50)
    assert len(fake_library.calls_named("load_model")) == loads  # no reload needed


def test_reranking_model_and_k_are_saved_and_the_search_is_redone(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    window.search_bar.search_box.setText("red circle")
    window.search_presenter.search_now()
    qtbot.waitUntil(lambda: len(fake_library.calls_named("search")) == 1, timeout=3000)
    dialog = window.open_settings()
    assert not dialog.matcher_edit.isEnabled()  # reranking is off
    assert dialog.rerank_k_spin.text().startswith("Automatic")  # 0: the measured default
    dialog.rerank_check.setChecked(True)
    assert dialog.matcher_edit.isEnabled() and dialog.rerank_k_spin.isEnabled()
    assert dialog.rerank_prepare_spin.isEnabled() and dialog.rerank_prepare_spin.value() == 1000
    dialog.matcher_edit.setText("  local-dir:/models/blip-itm ")
    dialog.rerank_k_spin.setValue(20)
    dialog.rerank_prepare_spin.setValue(250)
    searches = len(fake_library.calls_named("search"))
    dialog.accept()
    qtbot.waitUntil(lambda: fake_library.calls_named("update_settings") != [], timeout=3000)
    assert fake_library.calls_named("update_settings")[-1] == (
        {"rerank": True, "matcher": "local-dir:/models/blip-itm", "rerank_k": 20,
         "rerank_prepare": 250},)
    # The most recent photos' reranking features are prepared in the background.
    qtbot.waitUntil(lambda: fake_library.calls_named("prepare_reranking") != [], timeout=3000)
    # The results on screen are searched again, now with the second stage.
    # (Both are waited for: on a loaded machine the rerank call can be recorded first.)
    qtbot.waitUntil(lambda: len(fake_library.calls_named("rerank")) >= 1
                    and len(fake_library.calls_named("search")) > searches, timeout=10000)
    assert fake_library.calls_named("rerank")[-1][0] == "red circle"


def test_changing_model_or_device_reloads_the_model(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    dialog = window.open_settings()
    dialog.model_combo.setCurrentText("ViT-B-32/laion2b_s34b_b79k")
    assert "600 MB" in dialog.model_note.text() and "re-indexed" in dialog.model_note.text()
    dialog.device_combo.setCurrentIndex(dialog.device_combo.findData(GPU_DEVICE))
    loads = len(fake_library.calls_named("load_model"))
    dialog.accept()
    qtbot.waitUntil(lambda: len(fake_library.calls_named("load_model")) == loads + 1, timeout=3000)
    (changes,) = fake_library.calls_named("update_settings")[0]
    assert changes == {"model": "ViT-B-32/laion2b_s34b_b79k", "device": GPU_DEVICE}
    qtbot.waitUntil(lambda: window.model_presenter.state == "ready", timeout=3000)
    assert window.model_presenter.text.startswith("ViT-B-32/laion2b_s34b_b79k")


def test_the_model_list_carries_the_multilingual_models_with_their_figures(qtbot, fake_library):  # type: ignore[no-untyped-def]
    from app.widgets.settings_dialog import SettingsDialog

    dialog = SettingsDialog(fake_library.settings, "ready")
    qtbot.addWidget(dialog)
    items = [dialog.model_combo.itemText(i) for i in range(dialog.model_combo.count())]
    assert "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k" in items
    assert "nllb-clip-base-siglip/mrl" in items
    dialog.model_combo.setCurrentText("xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k")
    note = dialog.model_note.text()
    assert "100 languages" in note and "54% of Chinese" in note and "1.5 GB" in note


def test_a_model_server_set_in_settings_is_saved_and_named_when_unreachable(  # type: ignore[no-untyped-def]
    qtbot, window, fake_library
):
    from app.model_messages import unavailable_text
    from engine.errors import ModelUnavailableError

    dialog = window.open_settings()
    assert dialog.hub_edit.text() == ""
    dialog.hub_edit.setText("https://hf-mirror.com")
    assert dialog.changes() == {"hub_endpoint": "https://hf-mirror.com"}
    dialog.accept()
    qtbot.waitUntil(lambda: fake_library.settings.hub_endpoint == "https://hf-mirror.com",
                    timeout=3000)

    error = ModelUnavailableError("...", reason=ModelUnavailableError.OFFLINE,
                                  endpoint="https://hf-mirror.com")
    text = unavailable_text(error, "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k")
    assert "can't reach hf-mirror.com" in text and "(about 1.5 GB)" in text
    assert "Model server in Settings" in text
def test_lean_edition_says_why_reranking_is_off_and_keeps_the_choice(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    reason = ("Reranking is not available in this edition of PhotoSearch: its second model "
              "needs PyTorch and transformers, which the lean edition leaves out.")
    fake_library.rerank_unavailable = reason
    fake_library.update_settings(rerank=True)  # chosen earlier, in a full edition
    dialog = window.open_settings()
    assert dialog.rerank_note.text() == reason
    assert not dialog.rerank_note.isHidden()
    assert not dialog.rerank_check.isEnabled() and not dialog.rerank_check.isChecked()
    assert not dialog.matcher_edit.isEnabled() and not dialog.rerank_k_spin.isEnabled()
    assert dialog.changes() == {}  # the full edition's choice stays stored
    dialog.reject()


def test_a_full_edition_shows_no_reranking_note(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    dialog = window.open_settings()
    assert dialog.rerank_note.isHidden() and dialog.rerank_check.isEnabled()
    dialog.reject()


# -- the runtime (ONNX Runtime or PyTorch) -------------------------------------------------------


def test_the_runtime_choice_is_saved_and_the_model_loads_again(qtbot, window, fake_library):  # type: ignore[no-untyped-def]
    dialog = window.open_settings()
    combo = dialog.runtime_combo
    assert combo.currentData() == "auto" and combo.currentText() == "Automatic (recommended)"
    assert [combo.itemData(i) for i in range(combo.count())] == ["auto", "onnx", "torch"]
    assert "PyTorch on a GPU" in combo.itemData(0, Qt.ItemDataRole.ToolTipRole)
    qtbot.waitUntil(lambda: dialog.runtime_status.text() == "Runs on: ONNX Runtime", timeout=3000)
    assert dialog.runtime_note.isHidden()
    combo.setCurrentIndex(combo.findData("torch"))
    assert "loads again" in dialog.runtime_note.text() and not dialog.runtime_note.isHidden()
    loads = len(fake_library.calls_named("load_model"))
    dialog.accept()
    qtbot.waitUntil(lambda: len(fake_library.calls_named("load_model")) == loads + 1, timeout=3000)
    assert fake_library.calls_named("update_settings")[-1] == ({"runtime": "torch"},)
    assert fake_library.runtime_request == "torch"
    assert not window.index_on_start  # the same vectors: nothing is indexed again


def test_a_runtime_set_in_the_environment_is_named(qtbot, window, fake_library, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(type(fake_library), "runtime_request", property(lambda self: "onnx"))
    dialog = window.open_settings()
    assert "PHOTOSEARCH_RUNTIME" in dialog.runtime_note.text()
    assert not dialog.runtime_note.isHidden()
    dialog.reject()


@pytest.fixture
def demo_library(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A real library on the bundled demo model, no photos (the runtime needs none)."""
    from engine.api import Library

    for name in ("PHOTOSEARCH_MODEL", "PHOTOSEARCH_DEVICE", "PHOTOSEARCH_RUNTIME"):
        monkeypatch.delenv(name, raising=False)
    library = Library.open(home=tmp_path / "home", model="demo")
    library.update_settings(device="cpu")
    yield library
    library.close()


@pytest.mark.slow
def test_the_real_runtime_and_its_fidelity_show_and_the_choice_applies(qtbot, demo_library):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_library)  # exports the demo model to ONNX on first use
    status = demo_library.status()
    assert status.runtime == "onnx" and set(status.fidelity) >= {"image", "text"}
    dialog = window.open_settings()
    image, text = status.fidelity["image"], status.fidelity["text"]
    expected = (f"Runs on: ONNX Runtime · image {image['precision']} (min. cosine "
                f"{image['min_cosine']:.5f}) · text {text['precision']} (min. cosine "
                f"{text['min_cosine']:.5f})")
    qtbot.waitUntil(lambda: dialog.runtime_status.text() == expected, timeout=10000)
    assert 0.999 <= image["min_cosine"] <= 1.0

    for runtime in ("onnx", "torch"):
        dialog.runtime_combo.setCurrentIndex(dialog.runtime_combo.findData(runtime))
        dialog.accept()
        qtbot.waitUntil(lambda r=runtime: demo_library.settings.runtime == r, timeout=5000)
        assert demo_library.runtime_request == runtime
        qtbot.waitUntil(lambda: window.model_presenter.state == "ready", timeout=120000)
        qtbot.waitUntil(lambda r=runtime: demo_library.status().runtime == r, timeout=10000)
        dialog = window.open_settings()
        assert dialog.runtime_combo.currentData() == runtime
    qtbot.waitUntil(lambda: dialog.runtime_status.text() == "Runs on: PyTorch", timeout=10000)
    dialog.reject()
    window.shutdown()


def test_the_lean_edition_cannot_choose_pytorch_and_says_why(qtbot, demo_library, monkeypatch):  # type: ignore[no-untyped-def]
    # As tests/engine/lean_python.py (and the lean bundle) do: PyTorch cannot be found.
    find_spec = importlib.util.find_spec

    def lean_find_spec(name: str, package: str | None = None) -> Any:
        return None if name.partition(".")[0] in ("torch", "open_clip") else find_spec(
            name, package)

    monkeypatch.setattr(importlib.util, "find_spec", lean_find_spec)
    from engine.api import edition

    assert edition() == "lean"
    demo_library.update_settings(runtime="torch")  # chosen earlier, in a full edition
    window = make_window(qtbot, demo_library, load_model=False)
    dialog = window.open_settings()
    combo = dialog.runtime_combo
    torch_item = combo.model().item(combo.findData("torch"))
    assert not torch_item.isEnabled() and "lean edition" in torch_item.toolTip()
    assert combo.model().item(combo.findData("onnx")).isEnabled()
    assert "lean edition runs models on ONNX Runtime only" in dialog.runtime_note.text()
    assert not dialog.runtime_note.isHidden()
    # the engine's own status: the stored choice cannot run here
    qtbot.waitUntil(lambda: dialog.runtime_status.text()
                    == "Runs on: PyTorch (not available in this edition)", timeout=10000)
    assert dialog.changes() == {}  # the full edition's choice stays until another is picked
    combo.setCurrentIndex(combo.findData("auto"))
    dialog.accept()
    qtbot.waitUntil(lambda: demo_library.settings.runtime == "auto", timeout=5000)
    assert demo_library.runtime_request == "auto"
    window.shutdown()


@pytest.mark.parametrize("ui_language", ["es"], indirect=True)
def test_the_fidelity_figures_read_in_the_ui_language(ui_language):  # type: ignore[no-untyped-def]
    from app.formatting import format_runtime

    fidelity = {"image": {"precision": "int8_u8u8", "min_cosine": 0.999815},
                "text": {"precision": "fp32", "min_cosine": 1.0}, "calibration": {"images": 200}}
    assert format_runtime("onnx", fidelity) == (
        "ONNX Runtime · imagen int8_u8u8 (coseno mín. 0,99982) · texto fp32 (coseno mín. 1,00000)")
    assert format_runtime("torch", {}) == "PyTorch"
    assert format_runtime("torch (unavailable in the lean edition)", {}) == (
        "PyTorch (no disponible en esta edición)")
