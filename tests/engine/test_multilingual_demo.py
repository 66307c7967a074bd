"""The demo in every language: captions in Chinese, Spanish and Japanese, the bundled
``demo-multilingual`` model (XLM-R text tower, its own tokenizer) through the engine and the CLI,
and captions that describe a photo in the user's language (with the demo vocabulary when the
model is a demo model)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DemoSet

from engine.api import Library
from engine.errors import EngineError
from engine.evaluation import demo_data
from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

ROOT = Path(__file__).resolve().parents[2]
ML = "demo-multilingual"
LANGS = ("zh", "es", "ja")

# Words that name each attribute, per language (any one of them must appear).
ZH = {
    "colour": {"red": ("红色",), "orange": ("橙色", "橘色"), "yellow": ("黄色",),
               "green": ("绿色",), "blue": ("蓝色",), "purple": ("紫色",),
               "pink": ("粉色", "粉红色"), "white": ("白色",)},
    "shape": {"circle": ("圆",), "square": ("正方形", "方块", "方形"), "triangle": ("三角形",),
              "star": ("星星", "五角星", "星形"), "cross": ("十字",), "diamond": ("菱形",)},
    "count": {1: ("一个", "一颗", "一块"), 2: ("两个", "两颗", "两块", "一对"),
              3: ("三个", "三颗", "三块")},
    "position": {"left": ("左",), "right": ("右",), "top": ("上", "顶部"),
                 "bottom": ("下", "底部"), "center": ("中间", "中央")},
    "background": {"wooden table": ("木",), "grass": ("草",), "night sky": ("夜空", "星空"),
                   "sand": ("沙",)},
}
ES = {
    "shape": {"circle": ("círculo",), "square": ("cuadrado",), "triangle": ("triángulo",),
              "star": ("estrella",), "cross": ("cruz", "cruces"), "diamond": ("rombo", "diamante")},
    "count": {1: ("un", "una"), 2: ("dos", "un par de"), 3: ("tres",)},
    "position": {"left": ("izquierd",), "right": ("derech",), "top": ("arriba", "superior"),
                 "bottom": ("abajo", "inferior"), "center": ("centro", "medio")},
    "background": {"wooden table": ("madera",), "grass": ("hierba", "césped"),
                   "night sky": ("nocturno", "estrellado"), "sand": ("arena",)},
}
ES_COLOUR_STEMS = {"red": "roj", "orange": "naranja", "yellow": "amarill", "green": "verde",
                   "blue": "azul", "purple": "morad", "pink": "rosa", "white": "blanc"}
JA = {
    "colour": {"red": ("赤",), "orange": ("オレンジ",), "yellow": ("黄色",), "green": ("緑",),
               "blue": ("青",), "purple": ("紫",), "pink": ("ピンク",), "white": ("白",)},
    "shape": {"circle": ("丸", "円"), "square": ("四角", "正方形"), "triangle": ("三角",),
              "star": ("星",), "cross": ("十字",), "diamond": ("ひし形", "菱形")},
    "count": {1: ("一つ", "ひとつ", "1個"), 2: ("二つ", "ふたつ", "2個"),
              3: ("三つ", "みっつ", "3個")},
    "position": {"left": ("左",), "right": ("右",), "top": ("上",), "bottom": ("下",),
                 "center": ("中央", "真ん中", "中心")},
    "background": {"wooden table": ("木",), "grass": ("芝生", "草"), "night sky": ("夜",
                   "星空"), "sand": ("砂",)},
}


def test_scene_test_split() -> list[tuple[int, demo_data.Scene]]:
    """The 1,000 test scenes of the default demo dataset (seed 1234), with their image ids."""
    return [(i, s) for i, (split, s) in enumerate(demo_data.iter_dataset_scenes(
        DemoSplits(train=0, val=0, test=1000, compositional=0), 1234)) if split == "test"]


test_scene_test_split.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


# -- captions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_caption_names_every_attribute(lang: str) -> None:
    table = {"zh": ZH, "es": ES, "ja": JA}[lang]
    for img_id, scene in test_scene_test_split():
        for caption in demo_data.captions(scene, random.Random(f"1234-{img_id}-{lang}"),
                                          lang=lang):
            where = f"{scene.key}: {caption!r}"
            for attr in ("shape", "position", "background"):
                words = table[attr][getattr(scene, attr)]
                assert any(w in caption for w in words), (attr, where)
            if lang == "es":
                assert re.search(rf"\b{ES_COLOUR_STEMS[scene.colour]}", caption), where
                assert re.search(rf"^(.* )?({'|'.join(table['count'][scene.count])}) ",
                                 caption), where
            else:
                assert any(w in caption for w in table["colour"][scene.colour]), where
                counts = table["count"][scene.count]
                assert any(w in caption for w in counts), where


def test_captions_identify_their_scene_in_every_language() -> None:
    """Within the 1K test split no caption (in any language) belongs to two scenes."""
    for lang in LANGS:
        owner: dict[str, str] = {}
        for img_id, scene in test_scene_test_split():
            for caption in demo_data.captions(scene, random.Random(f"1234-{img_id}-{lang}"),
                                              lang=lang):
                assert owner.setdefault(caption, scene.key) == scene.key, (lang, caption)


def test_phrasings_follow_each_languages_grammar() -> None:
    """Not word-for-word: measure words, gender and number agreement, counters after nouns."""
    rng = random.Random(0)
    star3 = demo_data.Scene("star", "red", 3, "left", "grass")
    cross1 = demo_data.Scene("cross", "white", 1, "top", "sand")
    circle2 = demo_data.Scene("circle", "yellow", 2, "right", "night sky")
    for _ in range(50):
        zh = demo_data.random_caption(star3, rng, "zh")
        assert "个星星" not in zh and "星星" not in zh.replace("颗", "") or "颗" in zh, zh
        es = demo_data.random_caption(cross1, rng, "es")
        assert "cruz blanca" in es or "cruz de color blanco" in es, es
        assert "blanco " not in es.replace("de color blanco", ""), es
        es2 = demo_data.random_caption(circle2, rng, "es")
        assert "círculos amarillos" in es2 or "círculos de color amarillo" in es2, es2
        ja = demo_data.random_caption(circle2, rng, "ja")
        assert not ja.isascii() and " " not in ja, ja
    # Several phrasings per scene, as in English.
    assert len({demo_data.random_caption(star3, rng, "ja") for _ in range(60)}) >= 10
    with pytest.raises(ValueError, match="no demo captions"):
        demo_data.captions(star3, rng, lang="fr")


def test_dataset_json_keeps_english_and_adds_each_language(tmp_path: Path) -> None:
    path = write_demo_dataset(tmp_path, DemoSplits(train=0, val=0, test=6, compositional=1),
                              seed=7, size=32)
    images = json.loads(path.read_text(encoding="utf-8"))["images"]
    scenes = [s for _, s in demo_data.iter_dataset_scenes(
        DemoSplits(train=0, val=0, test=6, compositional=1), 7)]
    for image, scene in zip(images, scenes, strict=True):
        # English as before: the captions drawn right after the render from the same stream.
        rng = random.Random(f"7-{image['imgid']}")
        demo_data.render(scene, 32, rng)
        assert [s["raw"] for s in image["sentences"]] == demo_data.captions(scene, rng)
        assert set(image["sentences"][0]) == {"raw", "tokens", "sentid"}
        assert set(image["sentences_i18n"]) == set(LANGS)
        for lang in LANGS:
            sentences = image["sentences_i18n"][lang]
            assert len(sentences) == 5 and len({s["raw"] for s in sentences}) == 5
            assert all(s["tokens"] for s in sentences)
    assert "圆" in path.read_text(encoding="utf-8") or "星" in path.read_text(encoding="utf-8")


# -- the model --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ml_library(tmp_path_factory: pytest.TempPathFactory, demo: DemoSet) -> Iterator[Library]:
    """The 40 demo photos indexed with demo-multilingual (runtime auto)."""
    lib = Library.open(tmp_path_factory.mktemp("ml-home"), model=ML, device="cpu")
    lib.add_folder(demo.folder)
    report = lib.index().result()
    assert report.failed == 0
    yield lib
    lib.close()


def test_the_spec_resolves_to_the_bundled_folder_with_its_own_tokenizer() -> None:
    from engine.models.clip import is_demo_model, open_clip_overrides, parse_model_spec

    spec = parse_model_spec(ML)
    assert spec.local_dir == ROOT / "resources" / "models" / "demo-multilingual"
    for name in ("open_clip_config.json", "open_clip_model.safetensors", "config.json",
                 "tokenizer.json", "tokenizer_config.json"):
        assert (spec.local_dir / name).is_file(), name
    cfg = json.loads((spec.local_dir / "config.json").read_text())
    assert cfg["model_type"] == "xlm-roberta"
    text_cfg = open_clip_overrides(spec)["text_cfg"]
    assert Path(text_cfg["hf_model_name"]) == spec.local_dir
    assert is_demo_model(ML) and is_demo_model("demo") and not is_demo_model("ViT-B-32/x")
    assert spec.model_id != parse_model_spec("demo").model_id
    weights = spec.local_dir / "open_clip_model.safetensors"
    assert weights.stat().st_size < 10_000_000  # smaller than the demo model's 14 MB


def test_the_tokenizer_fits_every_caption_of_the_test_split_in_its_context() -> None:
    """No caption loses its last words to truncation (the background phrase comes last), and
    English and Spanish are not spelled out letter by letter (a tokenizer trained on distinct
    words made English captions twice as long as this, a quarter of them past the context)."""
    import open_clip

    folder = ROOT / "resources" / "models" / "demo-multilingual"
    context = json.loads((folder / "open_clip_config.json").read_text())[
        "model_cfg"]["text_cfg"]["context_length"]
    tokenizer = open_clip.get_tokenizer(f"local-dir:{folder}")
    for lang in ("en", *LANGS):
        texts = [c for img_id, scene in test_scene_test_split()
                 for c in demo_data.captions(scene, random.Random(f"1234-{img_id}-{lang}"),
                                             lang=lang)]
        lengths = [len(ids) for ids in tokenizer.tokenizer(texts).input_ids]
        assert max(lengths) <= context, (lang, max(lengths))
        assert sum(lengths) / len(lengths) <= 20, (lang, sum(lengths) / len(lengths))


def test_the_encoder_loads_offline_and_falls_back_to_torch_cleanly(
        ml_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The ONNX path covers CLIP's BPE tokenizer only: ``auto`` runs the model on torch and
    says why in one log line (the tokenizer, refused before any export work); the tokens are
    the shipped tokenizer's."""
    from engine.models.clip import parse_model_spec
    from engine.models.runtime import OnnxEncoder

    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(tmp_path / "onnx"))
    with caplog.at_level("WARNING"):
        fresh = OnnxEncoder(parse_model_spec(ML), "cpu", fallback=True).load()
    assert fresh.runtime == "torch" and fresh.dim == 128
    why = [r.getMessage() for r in caplog.records if "ONNX path" in r.getMessage()]
    assert len(why) == 1 and "tokenizer" in why[0] and "BPE tokenizer only" in why[0], why
    assert "using PyTorch" in why[0] and why[0].count("cannot take the ONNX path") == 1, why
    assert not (tmp_path / "onnx").exists() or not any((tmp_path / "onnx").iterdir())
    encoder = ml_library.encoder
    assert encoder.runtime == "torch"
    assert encoder.dim == 128
    vecs = encoder.encode_texts(["两个红色的圆形", "dos círculos rojos", "赤い丸が二つ"])
    assert vecs.shape == (3, 128)
    from engine.models.clip import ClipEncoder, parse_model_spec

    direct = ClipEncoder(parse_model_spec(ML), "cpu", "fp32").load()
    ids = direct.tokenize(["两个红色的圆形"])[0].tolist()
    assert ids[0] == 0 and 2 in ids and 3 not in ids  # <s> ... </s>, no unknown pieces


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_a_query_in_each_language_finds_its_scene(ml_library: Library, demo: DemoSet,
                                                  lang: str) -> None:
    data = json.loads((demo.root / "dataset.json").read_text(encoding="utf-8"))
    hits = 0
    for image in data["images"]:
        sentences = image["sentences"] if lang == "en" else image["sentences_i18n"][lang]
        top = ml_library.search(sentences[0]["raw"], k=1, rerank=False)
        hits += bool(top) and Path(top[0].path).name == image["filename"]
    assert hits >= 0.9 * len(data["images"]), (lang, hits)


# -- captions in the user's language ------------------------------------------------------------


def test_caption_language_accepts_locales_and_refuses_others() -> None:
    from engine.search.captions import caption_language, vocabulary_key

    assert caption_language(None) == "en"
    assert caption_language("zh_CN") == "zh" and caption_language("zh-Hant") == "zh"
    assert caption_language("es-MX") == "es" and caption_language("ja_JP.UTF-8") == "ja"
    with pytest.raises(EngineError) as info:
        caption_language("fr")
    assert "en, zh, es, ja" in info.value.user_message
    assert vocabulary_key("demo", "zh") == "demo-zh"
    assert vocabulary_key(ML, None) == "demo-en"
    assert vocabulary_key("ViT-B-32/laion2b_s34b_b79k", "ja_JP") == "ja"


def test_demo_vocabulary_files_are_what_their_generator_writes() -> None:
    script = ROOT / "resources/captions/generate_demo_vocabulary.py"
    for lang in ("en", *LANGS):
        out = subprocess.run([sys.executable, "-c",
                              "import runpy,sys;m=runpy.run_path(sys.argv[1]);"
                              "sys.stdout.write(m['render'](sys.argv[2]))", str(script), lang],
                             capture_output=True, text=True, check=True, encoding="utf-8").stdout
        path = ROOT / f"resources/captions/demo-vocabulary.{lang}.txt"
        assert out == path.read_text(encoding="utf-8"), lang


def _demo_lines(lang: str) -> set[str]:
    from engine.store.captions import load_vocabulary, vocabulary_path

    return set(load_vocabulary(vocabulary_path(f"demo-{lang}")))


@pytest.mark.parametrize("lang", ["en", *LANGS])
def test_describe_with_the_demo_model_uses_the_demo_vocabulary_in_that_language(
        ml_library: Library, demo: DemoSet, lang: str) -> None:
    """"Described as" names shapes, colours and places, in the UI language, and for most
    photos one of the three best names the photo's own shape and colour."""
    lines = _demo_lines(lang)
    table = {"zh": ZH, "ja": JA}.get(lang)
    right = 0
    names = demo.names[:10]
    for name in names:
        hits = ml_library.describe(demo.folder / name, k=3, rerank=False, lang=lang)
        vocab = [h.text for h in hits if h.source == "vocabulary"]
        assert vocab and set(vocab) <= lines, (lang, vocab)
        _, colour, shape, _, _ = demo.scenes[name].split("-", 4)

        def names_it(text: str, colour: str = colour, shape: str = shape) -> bool:
            if table is not None:
                return any(w in text for w in table["shape"][shape]) and any(
                    w in text for w in table["colour"][colour])
            if lang == "es":
                return any(w in text for w in ES["shape"][shape]) and (
                    ES_COLOUR_STEMS[colour] in text)
            return shape in text and colour in text

        right += any(names_it(t) for t in vocab)
    assert right >= 0.6 * len(names), (lang, right)  # chance: about 1 in 16


def test_the_english_demo_model_also_describes_with_the_demo_vocabulary(
        open_library: object, small_photos: Path, demo: DemoSet) -> None:
    lib = open_library()  # type: ignore[operator]
    hits = lib.describe(small_photos / demo.names[0], k=5, rerank=False)
    assert {h.text for h in hits if h.source == "vocabulary"} <= _demo_lines("en")
    zh = lib.describe(small_photos / demo.names[0], k=5, rerank=False, lang="zh_CN")
    assert {h.text for h in zh if h.source == "vocabulary"} <= _demo_lines("zh")
    with pytest.raises(EngineError):
        lib.describe(small_photos / demo.names[0], k=5, rerank=False, lang="fr")


def test_captions_cli_in_chinese(ml_library: Library, demo: DemoSet,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    photo = demo.folder / demo.names[2]
    assert main(["--home", str(ml_library.home), "--model", ML, "--device", "cpu", "captions",
                 str(photo), "-k", "3", "--lang", "zh", "--json", "--no-rerank"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and all(r["text"] in _demo_lines("zh") for r in rows)


# -- eval --lang --------------------------------------------------------------------------------


def test_eval_reports_recall_per_language(demo: DemoSet,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import main

    dataset = str(demo.root / "dataset.json")
    assert main(["--model", ML, "--device", "cpu", "eval", dataset, "--images", str(demo.root),
                 "--lang", "all", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["lang"] == "en" and set(result["by_lang"]) == {"en", *LANGS}
    for lang, r in result["by_lang"].items():
        assert r["t2i"]["R@1"] >= 0.85, (lang, r)
    assert main(["--model", ML, "--device", "cpu", "eval", dataset, "--images", str(demo.root),
                 "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"engine zh\s+\d\.\d{3}", out), out
    assert main(["--model", ML, "--device", "cpu", "eval", dataset, "--images", str(demo.root),
                 "--lang", "fr"]) != 0
    assert "no captions in 'fr'" in capsys.readouterr().err


@pytest.mark.slow
def test_the_multilingual_goal_on_the_1k_test_split(tmp_path: Path) -> None:
    """The issue's goal through the whole CLI path: Chinese text->image R@1 >= 0.80 on the 1K
    test split and within 0.05 of English; Spanish and Japanese as well (every language within
    0.05 of every other)."""
    data_dir = tmp_path / "demo-data"
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "demo-data", str(data_dir),
                           "--compositional", "0"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "--home", str(tmp_path / "h"),
                           "--model", ML, "eval", str(data_dir / "dataset.json"), "--images",
                           str(data_dir), "--lang", "all", "--json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    by_lang = result["by_lang"]
    assert set(by_lang) == {"en", *LANGS}
    r1 = {lang: r["t2i"]["R@1"] for lang, r in by_lang.items()}
    assert min(r1.values()) >= 0.80, by_lang
    assert abs(r1["zh"] - r1["en"]) <= 0.05, by_lang
    assert max(r1.values()) - min(r1.values()) <= 0.05, by_lang


@pytest.mark.slow
def test_a_chinese_query_finds_the_right_scene_among_the_1k_test_split(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo-data"
    path = write_demo_dataset(data_dir, DemoSplits(train=0, val=0, test=1000, compositional=0))
    images = json.loads(path.read_text(encoding="utf-8"))["images"]
    lib = Library.open(tmp_path / "home", model=ML, device="cpu")
    try:
        lib.add_folder(data_dir / "test")
        assert lib.index().result().failed == 0
        sample = images[::20]  # 50 scenes; R@1 is 0.89-0.90 per language on the whole split
        for lang in LANGS:
            found = Counter()
            for image in sample:
                top = lib.search(image["sentences_i18n"][lang][0]["raw"], k=1, rerank=False)
                found[bool(top) and Path(top[0].path).name == image["filename"]] += 1
            assert found[True] >= 0.7 * len(sample), (lang, found)
    finally:
        lib.close()


# -- the product vocabulary in each language ----------------------------------------------------


def test_vocabulary_files_in_each_language_are_what_their_generator_writes() -> None:
    script = ROOT / "resources/captions/generate_vocabulary_i18n.py"
    for lang in LANGS:
        out = subprocess.run([sys.executable, "-c",
                              "import runpy,sys;m=runpy.run_path(sys.argv[1]);"
                              "sys.stdout.write(m['render'](sys.argv[2]))", str(script), lang],
                             capture_output=True, text=True, check=True, encoding="utf-8").stdout
        path = ROOT / f"resources/captions/vocabulary.{lang}.txt"
        assert out == path.read_text(encoding="utf-8"), lang


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ("日落时的海滩", "海滩上的一只狗", "一个孩子在放风筝", "一颗红色的星星")),
    ("es", ("una playa al atardecer", "un perro en la playa", "un niño volando una cometa",
            "una estrella roja", "dos cruces blancas")),
    ("ja", ("夕暮れの海辺", "海辺にいる犬", "凧揚げをしている子ども", "赤い星")),
])
def test_each_language_has_a_few_thousand_of_its_own_descriptions(
        lang: str, expected: tuple[str, ...]) -> None:
    from engine.store.captions import load_vocabulary, vocabulary_path

    lines = load_vocabulary(vocabulary_path(lang))
    assert 2000 <= len(lines) <= 10000 and len(set(lines)) == len(lines)
    for line in expected:
        assert line in lines
    english = set(load_vocabulary())
    assert len(english & set(lines)) <= 3  # written in the language (loanwords: sushi, tacos)


def test_a_language_vocabulary_loads_beside_english_and_indexes_alone(
        open_library: object) -> None:
    """Vocabularies are rows of their own: loading Chinese keeps English, and what a Chinese
    caption index embeds and holds is Chinese lines (with photo and user captions), never
    English ones."""
    import numpy as np

    from engine.store.captions import CaptionStore, load_vocabulary, vocabulary_path

    lib = open_library()  # type: ignore[operator]
    store = CaptionStore(lib.catalog)
    en, zh = load_vocabulary(), load_vocabulary(vocabulary_path("zh"))
    assert store.sync_vocabulary(key="en") and store.sync_vocabulary(key="zh")
    assert not store.sync_vocabulary(key="zh")  # unchanged: nothing to do
    assert store.count()["vocabulary"] == len(en) + len(zh)
    missing = store.missing_texts("model-x", "zh")
    assert {t for _, t in missing} == set(zh)
    store.put_vectors([(h, np.full(4, 0.5, np.float32)) for h, _ in missing], "model-x")
    assert len(store.ids_with_vectors("model-x", "zh")) == len(zh)
    assert len(store.ids_with_vectors("model-x", "en")) == 0  # English has none yet
    assert {t for _, t in store.missing_texts("model-x", "en")} == set(en)
