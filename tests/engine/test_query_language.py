"""The query's language (py3langid, offline) and the model choices offered per system language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.api import model_choice, model_choices, recommended_model
from engine.cli import main
from engine.errors import EngineError
from engine.models.language import (
    default_language,
    detect_language,
    nllb_code,
    normalise_language,
    system_language,
)

# Real sentences people type, each in the language named.
SENTENCES = {
    "zh": ["海边的两只狗", "我女儿的生日蛋糕", "雪山上的日落", "猫"],
    "ja": ["夕暮れのビーチにいる二匹の犬", "誕生日ケーキとろうそく", "雪の中の赤い車"],
    "ko": ["해변에 있는 두 마리 개", "생일 케이크"],
    "es": ["dos perros en la playa al atardecer", "el pastel de cumpleaños de mi abuela"],
    "fr": ["un chat noir sur le canapé", "la tour Eiffel sous la pluie"],
    "de": ["zwei Hunde am Strand bei Sonnenuntergang", "ein rotes Auto im Schnee"],
    "ru": ["красная машина в снегу", "собака на пляже летом"],
    "en": ["two dogs on a beach at sunset", "my daughter's birthday cake with candles"],
    "th": ["สุนัขสองตัวบนชายหาด"],
    "el": ["δύο σκύλοι στην παραλία"],
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_real_sentences_are_detected_in_their_language(language: str) -> None:
    for sentence in SENTENCES[language]:
        assert detect_language(sentence) == language, sentence


def test_a_query_too_short_to_tell_takes_the_fallback_unless_its_letters_rule_it_out() -> None:
    assert detect_language("cat", fallback="en") == "en"
    assert detect_language("cat", fallback="es") == "es"
    assert detect_language("2024", fallback="fr") == "fr"
    assert detect_language("猫", fallback="en") == "zh"  # Han characters alone: Chinese
    assert detect_language("собака на пляже", fallback="en") in ("ru", "bg", "uk")


def test_languages_map_to_nllb_codes_and_users_may_give_either_form() -> None:
    assert [nllb_code(x) for x in ("zh", "es", "ja", "en")] == [
        "zho_Hans", "spa_Latn", "jpn_Jpan", "eng_Latn"]
    assert nllb_code("zho_Hant") == "zho_Hant"  # Traditional Chinese, when the user says so
    assert normalise_language("zh-CN") == "zh" and normalise_language("ES") == "es"
    assert normalise_language("zho_Hant") == "zho_Hant"
    with pytest.raises(EngineError, match="zho_Hant"):
        normalise_language("Klingon")


def test_the_system_language_comes_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert system_language() == "zh" and default_language() == "zh"
    monkeypatch.setenv("LC_ALL", "es_ES.UTF-8")
    assert system_language() == "es"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert system_language() == "en"


def test_the_multilingual_model_is_recommended_unless_the_system_speaks_english(
        monkeypatch: pytest.MonkeyPatch) -> None:
    multilingual = "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k"
    for language in ("zh_CN", "zh-TW", "ja", "es_ES.UTF-8", "ru", "ar"):
        assert recommended_model(language) == multilingual, language
    for language in ("en", "en_US", "en-GB", "C"):
        assert recommended_model(language) == "ViT-B-32/laion2b_s34b_b79k", language
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    assert recommended_model() == multilingual


def test_choices_carry_the_published_figures() -> None:
    specs = [c.spec for c in model_choices()]
    assert specs[:2] == ["demo", "ViT-B-32/laion2b_s34b_b79k"]
    for spec in ("xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k", "nllb-clip-base-siglip/mrl",
                 "xlm-roberta-large-ViT-H-14/frozen_laion5b_s13b_b90k",
                 "nllb-clip-large-siglip/mrl"):
        choice = model_choice(spec)
        assert choice is not None and choice.multilingual and choice.download_bytes > 1e9
        assert choice.xm3600_zh_r1 is not None and choice.xm3600_zh_r1 > 0.5
    english = model_choice("ViT-B-32/laion2b_s34b_b79k")
    assert english is not None and english.xm3600_zh_r1 is not None
    assert english.xm3600_zh_r1 < 0.02  # an English-only model cannot read Chinese
    nllb = model_choice("nllb-clip-base-siglip/mrl")
    assert nllb is not None and nllb.wants_language and nllb.xm3600_avg_r1 == 0.5539
    assert "Chinese 54%" in nllb.summary() and "36 languages 55%" in nllb.summary()


def test_photosearch_models_lists_them_with_the_recommendation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "home")
    assert main(["--home", home, "--model", "demo", "models", "--language", "zh",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["current"] == "demo"
    assert data["recommended"] == "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k"
    assert {m["spec"] for m in data["models"]} >= {"nllb-clip-base-siglip/mrl", "demo"}
    assert main(["--home", home, "models", "--language", "en"]) == 0
    text = capsys.readouterr().out
    assert "ViT-B-32/laion2b_s34b_b79k  (in use, recommended)" in text
    assert "Chinese 54%" in text and "about 1.5 GB" in text


def test_settings_command_stores_the_query_language_and_refuses_unknown_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "home")
    assert main(["--home", home, "settings", "query_language", "zh-CN"]) == 0
    assert "query_language = 'zh'" in capsys.readouterr().out
    assert main(["--home", home, "settings", "query_language", "Klingon"]) == 1
    assert "not a language PhotoSearch knows" in capsys.readouterr().err
    assert main(["--home", home, "settings", "colour", "red"]) == 1
    assert "There is no setting 'colour'" in capsys.readouterr().err


def test_search_lang_is_checked_and_used_for_the_session(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "home")
    assert main(["--home", home, "--model", "demo", "search", "一个红色的圆", "--lang",
                 "Klingon"]) == 1
    assert "not a language PhotoSearch knows" in capsys.readouterr().err
    # A model that takes no language code (the demo's CLIP tokenizer) searches as usual.
    assert main(["--home", home, "--model", "demo", "search", "a red circle", "--lang", "en",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out) is not None
