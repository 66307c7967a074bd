"""Query parsing, term combination and the relevance cut-off (pure functions, no model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from engine.errors import InvalidQueryError
from engine.media import imaging
from engine.search.cutoff import relevance_cutoff
from engine.search.query import QueryTerm, combine, parse_terms


def parse(query: str) -> list[tuple[float, str]]:
    return [(t.weight, t.text) for t in parse_terms(query, is_image=imaging.is_photo_path)]


# ------------------------------------------------------------------------------ parse_terms


def test_a_plain_query_is_one_term() -> None:
    assert parse("two dogs on a beach at sunset") == [(1.0, "two dogs on a beach at sunset")]
    assert parse("   padded   ") == [(1.0, "padded")]


def test_plus_and_minus_split_only_when_spaced() -> None:
    assert parse("beach + sunset - people") == [(1.0, "beach"), (1.0, "sunset"),
                                                (-1.0, "people")]
    assert parse("t-shirt") == [(1.0, "t-shirt")]
    assert parse("rock+roll") == [(1.0, "rock+roll")]
    assert parse("red t-shirt - blue-jeans") == [(1.0, "red t-shirt"), (-1.0, "blue-jeans")]
    assert parse("C++ code") == [(1.0, "C++ code")]
    assert parse("beach  +\tsunset") == [(1.0, "beach"), (1.0, "sunset")]


def test_weights() -> None:
    assert parse("2:beach + 0.5:sunset") == [(2.0, "beach"), (0.5, "sunset")]
    assert parse("beach - 3:people") == [(1.0, "beach"), (-3.0, "people")]
    assert parse("1.5 : beach") == [(1.5, "beach")]
    # A colon that is not a weight stays text.
    assert parse("time: 10:30 meeting") == [(1.0, "time: 10:30 meeting")]
    assert parse("x:2 beach") == [(1.0, "x:2 beach")]


def test_a_leading_sign_applies_to_the_first_term() -> None:
    assert parse("- people + beach") == [(-1.0, "people"), (1.0, "beach")]
    assert parse("+ beach") == [(1.0, "beach")]
    assert parse("-beach") == [(1.0, "-beach")]  # not spaced: part of the text


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_query_is_refused(query: str) -> None:
    with pytest.raises(InvalidQueryError, match="empty"):
        parse_terms(query)


@pytest.mark.parametrize("query", ["- people", "- people - cars", "0:beach", "-2:beach",
                                   "0:beach - sky"])
def test_a_query_without_a_positive_term_is_refused(query: str) -> None:
    with pytest.raises(InvalidQueryError, match="positive"):
        parse_terms(query)


def test_image_paths_are_image_terms(tmp_path: Path) -> None:
    photo = tmp_path / "that.jpg"
    photo.write_bytes(b"not decoded by the parser")
    terms = parse_terms(f"{photo} + snow", is_image=imaging.is_photo_path)
    assert terms == [QueryTerm(1.0, str(photo), photo), QueryTerm(1.0, "snow", None)]
    weighted = parse_terms(f"snow - 2:{photo}", is_image=imaging.is_photo_path)
    assert weighted[1].weight == -2.0 and weighted[1].image == photo
    quoted = parse_terms(f"'{photo}'", is_image=imaging.is_photo_path)
    assert quoted[0].image == photo
    # "~" is expanded.
    home_photo = Path.home() / "photosearch-test-does-not-exist.jpg"
    with pytest.raises(InvalidQueryError, match="does not exist"):
        parse_terms("~/photosearch-test-does-not-exist.jpg", is_image=imaging.is_photo_path)
    assert not home_photo.exists()


def test_a_missing_image_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidQueryError, match="does not exist"):
        parse_terms(f"{tmp_path / 'gone.jpg'} + snow", is_image=imaging.is_photo_path)
    with pytest.raises(InvalidQueryError, match="does not exist"):
        parse_terms("./no/such/photo.png", is_image=imaging.is_photo_path)


def test_words_with_dots_are_text_unless_they_are_photos(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert parse_terms("st. peter's square", is_image=imaging.is_photo_path)[0].image is None
    assert parse_terms("photo.jpg", is_image=imaging.is_photo_path)[0].image is None
    (tmp_path / "photo.jpg").write_bytes(b"x")
    assert parse_terms("photo.jpg", is_image=imaging.is_photo_path)[0].image == Path("photo.jpg")
    assert parse_terms("notes.txt", is_image=imaging.is_photo_path)[0].image is None


# ---------------------------------------------------------------------------------- combine


def unit(*xs: float) -> np.ndarray:
    v = np.asarray(xs, np.float32)
    return v / np.linalg.norm(v)


def test_combine_is_the_normalised_weighted_sum() -> None:
    a, b = unit(1, 0, 0), unit(0, 1, 0)
    np.testing.assert_allclose(combine([a, b], [1.0, 1.0]), unit(1, 1, 0), rtol=1e-6)
    np.testing.assert_allclose(combine([a, b], [2.0, -1.0]), unit(2, -1, 0), rtol=1e-6)
    assert combine([a], [3.0]).dtype == np.float32


def test_terms_that_cancel_are_refused() -> None:
    a = unit(1, 2, 3)
    with pytest.raises(InvalidQueryError, match="cancel"):
        combine([a, a], [1.0, -1.0])


# ------------------------------------------------------------------------ relevance_cutoff


def background(mean: float, sd: float, n: int = 500, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(mean, sd, n).astype(np.float32)


def test_cutoff_keeps_hits_that_stand_out_and_drops_the_tail() -> None:
    scores = np.array([0.34, 0.33, 0.32, 0.21, 0.20, 0.19], np.float32)
    assert relevance_cutoff(scores, background(0.2, 0.01)) == 3


def test_cutoff_keeps_everything_relevant() -> None:
    scores = np.array([0.40, 0.39, 0.38, 0.37], np.float32)
    assert relevance_cutoff(scores, background(0.2, 0.01)) == 4


def test_cutoff_never_returns_less_than_min_keep() -> None:
    scores = np.array([0.21, 0.20, 0.19], np.float32)  # nothing stands out
    assert relevance_cutoff(scores, background(0.2, 0.01)) == 1
    assert relevance_cutoff(scores, background(0.2, 0.01), min_keep=3) == 3
    assert relevance_cutoff(scores, background(0.5, 0.01)) == 1  # all below the background
    assert relevance_cutoff(scores[:1], background(0.2, 0.01), min_keep=3) == 1


def test_cutoff_is_a_count_of_a_prefix() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        scores = np.sort(rng.normal(0.2, 0.05, 30).astype(np.float32))[::-1]
        keep = relevance_cutoff(scores, background(0.2, 0.03, seed=int(rng.integers(99))))
        assert 1 <= keep <= 30
        floor = scores[keep - 1]
        assert all(s <= floor + 1e-7 for s in scores[keep:])


def test_cutoff_without_enough_background_keeps_all() -> None:
    scores = np.array([0.9, 0.1], np.float32)
    assert relevance_cutoff(scores, np.array([0.1, 0.2], np.float32)) == 2
    assert relevance_cutoff(np.zeros(0, np.float32), background(0.2, 0.01)) == 0


def test_cutoff_adapts_to_the_query_scale() -> None:
    """Same shape of scores at another offset and spread gives the same cut."""
    scores = np.array([0.34, 0.33, 0.32, 0.21, 0.20, 0.19], np.float32)
    bg = background(0.2, 0.01)
    shifted = relevance_cutoff((scores - 0.2) * 3 + 0.5, (bg - 0.2) * 3 + 0.5)
    assert shifted == relevance_cutoff(scores, bg) == 3


def test_a_quoted_term_is_never_split(tmp_path: Path) -> None:
    """Folder names like "Trip - Day 1" are common: quoting a path keeps it one term."""
    folder = tmp_path / "Trip - Day 1 + 2"
    folder.mkdir()
    photo = folder / "IMG 001.jpg"
    photo.write_bytes(b"x")
    for quote in ("'", '"'):
        terms = parse_terms(f"{quote}{photo}{quote} + snow - 2:{quote}rock - roll{quote}",
                            is_image=imaging.is_photo_path)
        assert [(t.weight, t.image) for t in terms] == [(1.0, photo), (1.0, None), (-2.0, None)]
        assert terms[1].text == "snow" and terms[2].text == "rock - roll"
    # An apostrophe inside a term is not a quote.
    assert parse("kid's party - clowns") == [(1.0, "kid's party"), (-1.0, "clowns")]
    assert parse("'s-Hertogenbosch + canal") == [(1.0, "'s-Hertogenbosch"), (1.0, "canal")]
