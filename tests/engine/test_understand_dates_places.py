"""Query understanding: dates, known place names, and the words left for the encoder."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from engine.search.query import Understood
from engine.search.understand_dates import understand_dates
from engine.search.understand_places import NameVocabulary, understand_places

NOW = datetime(2026, 1, 15, 12, 0)  # mid-winter: "last winter" is the one before this one
PLACES = ["Lisbon", "New York", "York", "Kyoto", "Portugal", "São Paulo", "Nice", "东京",
          "Reading"]


def d(y: int, m: int, dd: int) -> date:
    return date(y, m, dd)


@pytest.mark.parametrize(("query", "words", "start", "end"), [
    ("beach 2019", "beach", d(2019, 1, 1), d(2020, 1, 1)),
    ("kids in snow last winter", "kids in snow", d(2024, 12, 1), d(2025, 3, 1)),
    ("birthday March 2023", "birthday", d(2023, 3, 1), d(2023, 4, 1)),
    ("photos from last summer", "", d(2025, 6, 1), d(2025, 9, 1)),
    ("在2019年的海滩", "海滩", d(2019, 1, 1), d(2020, 1, 1)),
    ("2019年3月 花", "花", d(2019, 3, 1), d(2019, 4, 1)),
    ("plage été 2021", "plage", d(2021, 6, 1), d(2021, 9, 1)),
    ("Strand Sommer 2020", "Strand", d(2020, 6, 1), d(2020, 9, 1)),
    ("winter 2019 skiing", "skiing", d(2019, 12, 1), d(2020, 3, 1)),
    ("playa julio 2018", "playa", d(2018, 7, 1), d(2018, 8, 1)),
    ("wedding 14 July 2019", "wedding", d(2019, 7, 14), d(2019, 7, 15)),
    ("party last year", "party", d(2025, 1, 1), d(2026, 1, 1)),
    ("snow this winter", "snow", d(2025, 12, 1), d(2026, 3, 1)),
    ("cake yesterday", "cake", d(2026, 1, 14), d(2026, 1, 15)),
    ("dog last month", "dog", d(2025, 12, 1), d(2026, 1, 1)),
    ("1984", "", d(1984, 1, 1), d(1985, 1, 1)),
])
def test_dates(query: str, words: str, start: date, end: date) -> None:
    rest, after, before, chips = understand_dates(query, NOW)
    assert rest == words
    assert (after, before) == (start, end)
    assert [c.kind for c in chips] == ["date"]


@pytest.mark.parametrize("query", [
    "2 dogs", "May at the beach", "May and June", "3000 steps", "room 214", "2031",
    "1700 paintings", "tea at 1530", "summer", "version 2.2019", "invoice 4471", "sunday lunch",
    "1800 and 1825 maps", "grandma's 80th birthday", "3rd floor",
])
def test_not_dates(query: str) -> None:
    rest, after, before, chips = understand_dates(query, NOW)
    assert (after, before, chips) == (None, None, [])
    assert rest == query


def test_places_and_words() -> None:
    rest, places, chips = understand_places("beach Lisbon", PLACES)
    assert (rest, places) == ("beach", ["Lisbon"])
    assert chips == [Understood("place", "Lisbon", "Lisbon")]


def test_multi_word_longest_first_case_and_accents() -> None:
    assert understand_places("new york skyline", PLACES)[1] == ["New York"]
    assert understand_places("york minster", PLACES)[1] == ["York"]
    assert understand_places("sao paulo rain", PLACES)[:2] == ("rain", ["São Paulo"])


def test_no_place_inside_a_word_and_common_words_need_a_capital() -> None:
    assert understand_places("lisbonne", PLACES)[1] == []
    assert understand_places("nice sunset", PLACES) == ("nice sunset", [], [])
    assert understand_places("sunset Nice", PLACES)[1] == ["Nice"]
    assert understand_places("reading a book", PLACES)[1] == []


def test_place_then_date_and_a_chinese_place() -> None:
    rest, places, _ = understand_places("beach Lisbon 2019", PLACES)
    rest, after, _, _ = understand_dates(rest, NOW)
    assert (rest, places, after) == ("beach", ["Lisbon"], d(2019, 1, 1))
    rest, places, _ = understand_places("在东京的寺庙", PLACES)
    assert places == ["东京"] and "寺庙" in rest


def test_people_plug_into_the_same_matcher() -> None:
    people = NameVocabulary("person", {"May": 7, "Anna Lee": 8})
    found = people.find("May at the beach with anna lee")
    assert [(label, value) for _, _, label, value in found] == [("May", 7), ("Anna Lee", 8)]


def test_no_known_places_understands_nothing() -> None:
    assert understand_places("beach Lisbon", []) == ("beach Lisbon", [], [])


def test_the_pipeline_fills_the_query_slots_and_keeps_removed_chips_as_words(
        tmp_path: Path) -> None:
    from engine.search.pipeline import SearchPipeline
    from engine.store.catalog import Catalog

    catalog = Catalog(tmp_path / "catalog.db")
    try:
        pipeline = SearchPipeline(catalog, lambda: None, lambda: None, None, None)  # type: ignore[arg-type]
        query = pipeline.parse("beach summer 2019")
        assert [t.text for t in query.terms] == ["beach"]
        assert (query.after, query.before) == (d(2019, 6, 1), d(2019, 9, 1))
        assert [u.kind for u in query.understood] == ["date"]
        kept = pipeline.parse("beach summer 2019", keep=("summer 2019",))
        assert [t.text for t in kept.terms] == ["beach summer 2019"] and kept.after is None
        literal = pipeline.parse("beach 2019", literal=True)
        assert literal.understood == () and literal.after is None
        quoted = pipeline.parse('"wifi password"')
        assert quoted.quoted == ("wifi password",) and quoted.understood[0].kind == "text"
    finally:
        catalog.close()


def test_warm_up_loads_the_date_parser_which_opening_does_not(tmp_path: Path) -> None:
    """Opening a library stays cheap; ``warm_up`` loads what the first typed search needs."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = ("import sys\nfrom engine.api import Library\n"
            f"lib = Library.open(home={str(tmp_path / 'home')!r}, model='demo')\n"
            "before = 'dateparser' in sys.modules\nlib.warm_up()\n"
            "print(before, 'dateparser.search' in sys.modules)\nlib.close()\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.split() == ["False", "True"]


WITHOUT_DIGITS_OR_RELATIVE_WORDS = [
    "kids on a red slide at dusk", "May at the beach", "May and June", "sunday lunch", "summer",
    "Christmas morning", "a cat sleeping on a sofa", "noon picnic", "mañana en la playa",
]


@pytest.mark.parametrize("query", WITHOUT_DIGITS_OR_RELATIVE_WORDS)
def test_dateparser_is_not_asked_when_no_span_could_be_taken(
        query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """dateparser costs 4 ms a query (0.4 s to load); its answer is used only for spans with a
    digit or a relative word, so a query with neither must not reach it."""
    import dateparser.search

    asked: list[object] = []
    monkeypatch.setattr(dateparser.search, "search_dates",
                        lambda text, *args, **kwargs: asked.append(text))
    assert understand_dates(query, NOW) == (query, None, None, [])
    assert asked == []


@pytest.mark.parametrize("query", [
    *WITHOUT_DIGITS_OR_RELATIVE_WORDS, "lastly the beach", "weekend at the lake",
    "today's lunch", "two weeks ago", "cake yesterday", "birthday March 2023", "Agosto 2019 playa",
    "wedding 14 July 2019", "hier au parc", "ontem na praia", "party last week",
])
def test_the_dateparser_gate_changes_no_answer(query: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.search.understand_dates as module

    gated = understand_dates(query, NOW)
    monkeypatch.setattr(module, "_MAY_HOLD_DATE", module.re.compile(""))
    assert understand_dates(query, NOW) == gated
