"""The procedural demo dataset: captions that identify scenes, hard-negative twins, and the
Karpathy JSON layout that ``photosearch eval`` reads."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import DemoSet
from PIL import Image

from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

COUNT_WORDS = {1: ("a", "an", "one", "a single"), 2: ("two", "2", "a pair of"),
               3: ("three", "3", "a group of three")}
POSITION_WORDS = {"left": ("left",), "right": ("right",), "top": ("top", "upper"),
                  "bottom": ("bottom", "lower"), "center": ("middle", "center", "centre")}
BACKGROUND_WORDS = {"wooden table": ("wood", "wooden"), "grass": ("grass", "grassy", "lawn"),
                    "night sky": ("night", "starry"), "sand": ("sand", "sandy")}
COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "white")
PLURALS = {"circle": "circles", "square": "squares", "triangle": "triangles", "star": "stars",
           "cross": "crosses", "diamond": "diamonds"}
PAIR_KEY = re.compile(r"^pair-(\w+)-(\w+)-(left-of|above)-(\w+)-(\w+)-(.+)$")


def has_word(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """Full-size splits (1,000 test, 200 val scenes, 30 compositional groups) at 32 px."""
    root = tmp_path_factory.mktemp("demo-big")
    path = write_demo_dataset(root, DemoSplits(train=50, val=200, test=1000, compositional=30),
                              size=32)
    return json.loads(path.read_text())["images"]


def by_split(images: list[dict], split: str) -> list[dict]:
    return [e for e in images if e["split"] == split]


def test_split_sizes(big_dataset: list[dict]) -> None:
    counts = Counter(e["split"] for e in big_dataset)
    assert counts == {"train": 50, "val": 200, "test": 1000, "compositional": 90}


@pytest.mark.parametrize("split", ["test", "val"])
def test_captions_are_unique_within_test_and_val(big_dataset: list[dict], split: str) -> None:
    images = by_split(big_dataset, split)
    assert len({e["scene"] for e in images}) == len(images)  # distinct scenes
    captions = [s["raw"] for e in images for s in e["sentences"]]
    duplicates = [c for c, n in Counter(captions).items() if n > 1]
    assert duplicates == []
    # And no caption of one scene is a caption of another scene in any other split it shares.
    assert not {e["scene"] for e in by_split(big_dataset, "val")} & {
        e["scene"] for e in by_split(big_dataset, "test")}


def test_every_single_object_caption_names_every_attribute(big_dataset: list[dict]) -> None:
    singles = [e for e in big_dataset if not e["scene"].startswith("pair-")]
    assert len(singles) == 1250
    for image in singles:
        count_s, colour, shape, position, background = image["scene"].split("-", 4)
        count = int(count_s)
        noun = shape if count == 1 else PLURALS[shape]
        assert len(image["sentences"]) == 5
        for sentence in image["sentences"]:
            caption = sentence["raw"]
            where = f"{image['scene']}: {caption!r}"
            assert has_word(caption, colour), where
            assert has_word(caption, noun), where
            if count == 1:
                assert not has_word(caption, PLURALS[shape]), where
            assert any(has_word(caption, w) for w in COUNT_WORDS[count]), where
            for other, words in COUNT_WORDS.items():
                if other != count and other != 1:
                    assert not any(has_word(caption, w) for w in words), where
            assert any(has_word(caption, w) for w in POSITION_WORDS[position]), where
            assert any(has_word(caption, w) for w in BACKGROUND_WORDS[background]), where
            for other, words in POSITION_WORDS.items():
                if other != position:
                    assert not any(has_word(caption, w) for w in words), where
            # No other object colour is named ("green lawn" names the background).
            text = caption.replace("green lawn", "")
            assert [c for c in COLOURS if has_word(text, c)] == [colour], where


def test_compositional_split_holds_each_pair_with_its_two_swapped_twins(
        big_dataset: list[dict]) -> None:
    images = by_split(big_dataset, "compositional")
    assert len(images) == 90
    keys = [e["scene"] for e in images]
    assert len(set(keys)) == 90
    for start in range(0, 90, 3):
        parsed = [PAIR_KEY.match(k) for k in keys[start : start + 3]]
        assert all(parsed), keys[start : start + 3]
        (c1, s1, rel, c2, s2, bg), colour_swap, position_swap = (p.groups() for p in parsed)
        assert c1 != c2 and s1 != s2
        assert colour_swap == (c2, s1, rel, c1, s2, bg)
        assert position_swap == (c2, s2, rel, c1, s1, bg)
    for image in images:
        c1, s1, rel, c2, s2, _bg = PAIR_KEY.match(image["scene"]).groups()
        for sentence in image["sentences"]:
            caption = sentence["raw"]
            for word in (c1, s1, c2, s2):
                assert has_word(caption, word), (image["scene"], caption)


def test_karpathy_format(demo: DemoSet) -> None:
    data = json.loads((demo.root / "dataset.json").read_text())
    assert data["dataset"] and isinstance(data["images"], list)
    sentids, imgids = [], []
    for image in data["images"]:
        assert {"filename", "filepath", "split", "imgid", "sentences"} <= set(image)
        assert image["split"] == image["filepath"] == "test"
        path = demo.root / image["filepath"] / image["filename"]
        with Image.open(path) as im:
            assert im.format == "JPEG" and im.size == (256, 256) and im.mode == "RGB"
        imgids.append(image["imgid"])
        assert len(image["sentences"]) == 5
        for sentence in image["sentences"]:
            assert {"raw", "tokens", "sentid"} <= set(sentence)
            assert sentence["tokens"] == sentence["raw"].lower().replace(",", " ").split()
            sentids.append(sentence["sentid"])
    assert imgids == list(range(len(imgids)))
    assert sentids == list(range(5 * len(imgids)))


def test_the_dataset_is_reproducible(tmp_path: Path) -> None:
    splits = DemoSplits(train=2, val=2, test=3, compositional=1)
    a = write_demo_dataset(tmp_path / "a", splits, seed=7, size=32)
    b = write_demo_dataset(tmp_path / "b", splits, seed=7, size=32)
    c = write_demo_dataset(tmp_path / "c", splits, seed=8, size=32)
    assert a.read_text() == b.read_text() != c.read_text()
    for image in json.loads(a.read_text())["images"]:
        rel = Path(image["filepath"]) / image["filename"]
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
