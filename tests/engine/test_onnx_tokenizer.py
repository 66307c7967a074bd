"""The torch-free tokenizer gives open_clip's exact token ids."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from onnx_samples import corpus

from engine.models.tokenizer import ClipTokenizer, clean_text


@pytest.fixture(scope="module")
def bpe_path() -> Path:
    import open_clip

    return Path(os.path.dirname(open_clip.__file__)) / "bpe_simple_vocab_16e6.txt.gz"


@pytest.mark.parametrize("context_length", [77, 32])
def test_ids_equal_open_clip(bpe_path: Path, context_length: int) -> None:
    from open_clip.tokenizer import SimpleTokenizer

    texts = corpus()
    ours = ClipTokenizer.from_bpe_vocab(bpe_path, context_length)
    theirs = SimpleTokenizer(context_length=context_length)
    # <start_of_text> typed into a query: open_clip maps it to the special id (documented gap).
    texts = [t for t in texts if "<start_of_text>" not in t.lower()]
    got, want = ours(texts), theirs(texts).numpy()
    bad = [t for t, a, b in zip(texts, got, want, strict=True) if not np.array_equal(a, b)]
    assert not bad, bad[:5]
    assert got.dtype == np.int64 and got.shape == (len(texts), context_length)


def test_saved_tokenizer_json_round_trips(bpe_path: Path, tmp_path: Path) -> None:
    from open_clip.tokenizer import SimpleTokenizer

    ClipTokenizer.from_bpe_vocab(bpe_path, 77).save(tmp_path)
    loaded = ClipTokenizer.from_folder(tmp_path, 77)
    texts = [t for t in corpus() if "<start_of_text>" not in t.lower()]
    assert np.array_equal(loaded(texts), SimpleTokenizer()(texts).numpy())


def test_truncation_keeps_eot_last_and_lengths(bpe_path: Path) -> None:
    tok = ClipTokenizer.from_bpe_vocab(bpe_path, 16)
    batch = tok.encode(["word " * 40, "a dog"])
    assert batch.ids[0, 0] == tok.sot_id and batch.ids[0, -1] == tok.eot_id
    assert list(batch.lengths) == [16, 4]
    assert list(batch.ids[1, :5]) == [tok.sot_id, *batch.ids[1, 1:3], tok.eot_id, 0]


def test_immich_style_encode_matches_for_clean_text(bpe_path: Path, tmp_path: Path) -> None:
    """Immich's loader calls Tokenizer.encode on the saved file directly; for already clean
    lower-case text it must see the same ids (so our exports serve Immich too)."""
    from tokenizers import Tokenizer

    ours = ClipTokenizer.from_bpe_vocab(bpe_path, 77)
    ours.save(tmp_path)
    raw = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    raw.enable_padding(length=77, pad_token="!", pad_id=0)
    raw.enable_truncation(max_length=77)
    texts = ["a photo of a dog", "Two Red Circles on the left", "café au lait", "x " * 100]
    for text in texts:
        assert raw.encode(text).ids == list(ours([text])[0]), text


def test_clean_text_modes() -> None:
    assert clean_text("  Hello,   World! &amp; ") == "hello, world! &"
    assert clean_text("Hello,  World!", "whitespace") == "Hello, World!"
    assert clean_text("Hello_World, again!", "canonicalize") == "hello world again"
    with pytest.raises(ValueError):
        clean_text("x", "shout")
