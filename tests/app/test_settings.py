"""The settings dialog saves what changed; a new model or device reloads the model."""

from __future__ import annotations

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
    dialog.matcher_edit.setText("  local-dir:/models/blip-itm ")
    dialog.rerank_k_spin.setValue(20)
    searches = len(fake_library.calls_named("search"))
    dialog.accept()
    qtbot.waitUntil(lambda: fake_library.calls_named("update_settings") != [], timeout=3000)
    assert fake_library.calls_named("update_settings")[-1] == (
        {"rerank": True, "matcher": "local-dir:/models/blip-itm", "rerank_k": 20},)
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
