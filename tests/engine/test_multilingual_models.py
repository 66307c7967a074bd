"""Multilingual models: open_clip models with a Hugging Face text tower (XLM-RoBERTa, NLLB).

The real ones (1.5-4.8 GB) cannot be downloaded here, so their specs are checked for what would be
fetched and for the offline explanation; the whole download -> load -> tokenise -> embed path
runs on tiny random-weight models of the same architecture family (tiny_multilingual.py) served
by the local fake Hub, through huggingface_hub, transformers and open_clip's real code.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest
from fake_hub import fake_hub
from tiny_multilingual import build_tiny_nllb_clip, build_tiny_xlmr_clip

from engine.api import Library, ModelProgress
from engine.errors import ModelUnavailableError
from engine.models.clip import ClipEncoder, parse_model_spec
from engine.models.download import TOKENIZER_FILES, files_to_download, hub_candidates
from engine.models.runtime import OnnxEncoder

REAL_MULTILINGUAL = {
    "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k":
        ("laion/CLIP-ViT-B-32-xlm-roberta-base-laion5B-s13B-b90k", "xlm-roberta-base"),
    "nllb-clip-base-siglip/mrl":
        ("visheratin/nllb-siglip-mrl-base", "facebook/nllb-200-distilled-600M"),
    "xlm-roberta-large-ViT-H-14/frozen_laion5b_s13b_b90k":
        ("laion/CLIP-ViT-H-14-frozen-xlm-roberta-large-laion5B-s13B-b90k", "xlm-roberta-large"),
    "nllb-clip-large-siglip/mrl":
        ("visheratin/nllb-siglip-mrl-large", "facebook/nllb-200-distilled-1.3B"),
}
SENTENCES = ["海边的两只狗", "dos perros en la playa al atardecer", "夕暮れのビーチにいる二匹の犬",
             "two dogs on a beach at sunset"]


def _repos() -> tuple[str, str]:
    tag = uuid.uuid4().hex[:8]  # engine tests share loaded encoders by model id: fresh names
    return f"photosearch-test/tiny-clip-{tag}", f"photosearch-test/tiny-text-{tag}"


@pytest.mark.parametrize("spec", sorted(REAL_MULTILINGUAL))
def test_real_multilingual_specs_fetch_weights_text_tower_and_tokenizer(spec: str) -> None:
    weights_repo, text_repo = REAL_MULTILINGUAL[spec]
    candidates = hub_candidates(parse_model_spec(spec))
    assert candidates[0] == (weights_repo, ("open_clip_model.safetensors",
                                            "open_clip_pytorch_model.bin"))
    assert (text_repo, ("config.json",)) in candidates  # transformers' AutoConfig
    for name in TOKENIZER_FILES:  # AutoTokenizer's files, each tried once
        assert (text_repo, (name,)) in candidates
    assert len(candidates) == len(set(candidates))


@pytest.mark.parametrize("spec", sorted(REAL_MULTILINGUAL))
def test_real_multilingual_specs_offline_say_the_exact_next_step(
        spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # conftest sets HF_HUB_OFFLINE=1: nothing can be fetched and the cache is empty.
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    weights_repo, text_repo = REAL_MULTILINGUAL[spec]
    with pytest.raises(ModelUnavailableError) as caught:
        ClipEncoder(parse_model_spec(spec), "cpu").load(on_progress=lambda p: None)
    error = caught.value
    assert error.reason == ModelUnavailableError.OFFLINE
    message = error.user_message
    assert f"`photosearch --model {spec} index`" in message
    assert f"https://huggingface.co/{weights_repo}" in message
    assert f"https://huggingface.co/{text_repo}" in message  # the tokenizer's repository too
    assert "https://hf-mirror.com" in message and "--hub-endpoint" in message
    assert "local-dir" not in message  # a folder cannot stand in for the text tower's repo
    assert error.endpoint == "https://huggingface.co"


def test_a_tiny_xlmr_model_downloads_with_its_tokenizer_loads_and_works_offline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")
    model_repo, text_repo = _repos()
    folder = build_tiny_xlmr_clip(tmp_path / "served", text_repo)
    with fake_hub(folder, tmp_path / "hf", monkeypatch) as hub:
        library = Library.open(home=tmp_path / "home", model=f"hf-hub:{model_repo}",
                               device="cpu")
        seen: list[ModelProgress] = []
        library.load_model(on_progress=seen.append).result(timeout=120)
        downloads = [p for p in seen if p.phase == "download"]
        done = [p.done_bytes for p in downloads]
        assert done[0] == 0 and done == sorted(done)
        assert downloads[-1].done_bytes == downloads[-1].total_bytes
        fetched = {(repo, name) for method, repo, name in hub.requests if method == "GET"}
        assert (model_repo, "open_clip_model.safetensors") in fetched
        for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
            assert (text_repo, name) in fetched  # the text tower's files, from its own repo
        assert {p.file for p in downloads} >= {"open_clip_model.safetensors", "tokenizer.json"}
        # The model's tokenizer is the one built here, byte for byte the same ids.
        from transformers import AutoTokenizer

        local = AutoTokenizer.from_pretrained(folder)
        tokens = library.encoder.tokenize(SENTENCES)
        for row, text in zip(tokens.tolist(), SENTENCES, strict=True):
            ids = local(text).input_ids
            assert row[:len(ids)] == ids and set(row[len(ids):]) <= {local.pad_token_id}
        assert local(SENTENCES[0]).input_ids[1] != local.unk_token_id  # Chinese is in vocab
        vectors = library.embed_texts(SENTENCES)
        assert vectors.shape == (4, 32)
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        assert library.encoder.runtime == "torch"
        library.close()
        asked = len(hub.requests)

    # Everything is in the cache now: a new process loads it with the Hub out of reach.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    again = ClipEncoder(parse_model_spec(f"hf-hub:{model_repo}"), "cpu", "fp32")
    again.load(on_progress=lambda p: None)
    np.testing.assert_allclose(again.encode_texts(SENTENCES), vectors, atol=1e-5)
    assert len(hub.requests) == asked


def test_trailing_padding_is_skipped_without_changing_the_text_embedding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    model_repo, text_repo = _repos()
    folder = build_tiny_xlmr_clip(tmp_path / "served", text_repo)
    with fake_hub(folder, tmp_path / "hf", monkeypatch):
        encoder = ClipEncoder(parse_model_spec(f"hf-hub:{model_repo}"), "cpu", "fp32").load()
        tokens = encoder.tokenize(SENTENCES)
        assert tokens.shape[1] == 77 and int((tokens != 1).sum(1).max()) < 30
        with torch.inference_mode():
            full = torch.nn.functional.normalize(encoder.model.encode_text(tokens), dim=-1)
        np.testing.assert_allclose(encoder.encode_texts(SENTENCES), full.numpy(), atol=1e-5)


def test_the_onnx_runtime_hands_a_hugging_face_text_tower_to_torch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(tmp_path / "onnx"))
    model_repo, text_repo = _repos()
    folder = build_tiny_xlmr_clip(tmp_path / "served", text_repo)
    spec = parse_model_spec(f"hf-hub:{model_repo}")
    with fake_hub(folder, tmp_path / "hf", monkeypatch):
        # runtime onnx: a clear refusal that names the way out.
        with pytest.raises(ModelUnavailableError) as caught:
            OnnxEncoder(spec, "cpu").load()
        assert "cannot take the ONNX path" in caught.value.user_message
        assert "PHOTOSEARCH_RUNTIME=torch" in caught.value.user_message
        # Now the config is cached: refused before any export is tried, naming the tower.
        with pytest.raises(ModelUnavailableError, match=text_repo):
            OnnxEncoder(spec, "cpu").load()
        # runtime auto: PyTorch serves it, with the same vectors as the torch encoder.
        auto = OnnxEncoder(spec, "cpu", fallback=True).load()
        assert auto.runtime == "torch"
        reference = ClipEncoder(spec, "cpu", "fp32").load().encode_texts(SENTENCES)
        np.testing.assert_allclose(auto.encode_texts(SENTENCES), reference, atol=1e-4)
    assert not list((tmp_path / "onnx").rglob("*.onnx"))  # nothing half-exported is kept


def test_nllb_tokenizer_is_told_each_querys_language_or_the_users(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")
    model_repo, text_repo = _repos()
    folder = build_tiny_nllb_clip(tmp_path / "served", text_repo)
    with fake_hub(folder, tmp_path / "hf", monkeypatch):
        library = Library.open(home=tmp_path / "home", model=f"hf-hub:{model_repo}",
                               device="cpu")
        library.load_model().result(timeout=120)
        encoder = library.encoder
        assert encoder.wants_language
        from transformers import AutoTokenizer

        vocab = AutoTokenizer.from_pretrained(folder)
        code_id = vocab.convert_tokens_to_ids
        assert encoder.text_languages(SENTENCES) == ["zho_Hans", "spa_Latn", "jpn_Jpan",
                                                     "eng_Latn"]
        tokens = encoder.tokenize(SENTENCES)  # one batch, four languages
        assert [row[0] for row in tokens.tolist()] == [
            code_id(c) for c in ("zho_Hans", "spa_Latn", "jpn_Jpan", "eng_Latn")]
        detected = library.embed_texts(SENTENCES[:1])

        library.set_query_language("es")  # the user's fix wins over detection
        assert library.query_language == "es"
        assert encoder.text_languages(SENTENCES) == ["spa_Latn"] * 4
        assert encoder.tokenize(SENTENCES[:1])[0, 0] == code_id("spa_Latn")
        fixed = library.embed_texts(SENTENCES[:1])
        assert float(fixed[0] @ detected[0]) < 0.9999  # the language code changes the input

        library.set_query_language(None)
        library.update_settings(query_language="ja")  # the stored setting, for every session
        assert encoder.text_languages(SENTENCES[:1]) == ["jpn_Jpan"]
        library.update_settings(query_language="")
        assert encoder.text_languages(SENTENCES[:1]) == ["zho_Hans"]
        library.close()


def test_a_cancelled_text_tower_download_leaves_nothing_that_passes_for_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.errors import Cancelled

    model_repo, text_repo = _repos()
    folder = build_tiny_xlmr_clip(tmp_path / "served", text_repo)
    with fake_hub(folder, tmp_path / "hf", monkeypatch):
        spec = parse_model_spec(f"hf-hub:{model_repo}")

        def stop_at_tokenizer(progress: ModelProgress) -> None:
            if progress.file == "tokenizer.json":
                raise Cancelled()

        with pytest.raises(Cancelled):
            ClipEncoder(spec, "cpu", "fp32").load(on_progress=stop_at_tokenizer)
        from huggingface_hub import try_to_load_from_cache

        assert not isinstance(try_to_load_from_cache(text_repo, "tokenizer.json"), str)
        # The next load fetches only what is missing, the tokenizer among it, and works.
        missing = {f.name for f in files_to_download(hub_candidates(spec))}
        assert "tokenizer.json" in missing and "open_clip_model.safetensors" not in missing
        encoder = ClipEncoder(spec, "cpu", "fp32").load(on_progress=lambda p: None)
        assert encoder.encode_texts(SENTENCES[:1]).shape == (1, 32)


def test_without_transformers_a_multilingual_model_says_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        # This computer as one without the rerank extra: transformers is not installed.
        return None if name == "transformers" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(ModelUnavailableError) as caught:
        ClipEncoder(parse_model_spec("xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k"),
                    "cpu").load()
    assert "`pip install transformers`" in caught.value.user_message
    assert "xlm-roberta-base" in caught.value.user_message
