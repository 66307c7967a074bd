"""Query understanding: a list of understanders, each taking the text left and returning
(chips, remaining text, slot values); a person's name and any other kind run the same way."""

from __future__ import annotations

from engine.search.query import Understood, parse_query
from engine.search.understand import Understanding, take_words, tidy, understand


def people(*names: str):  # type: ignore[no-untyped-def]
    def understander(text: str) -> Understanding:
        chips, found = [], []
        for name in names:
            taken = take_words(text, name)
            if taken is not None:
                text, source = taken
                chips.append(Understood("person", name, source))
                found.append(name)
        return chips, text, ({"people": tuple(found)} if found else {})
    return understander


def places(text: str) -> Understanding:
    taken = take_words(text, "Lisbon")
    if taken is None:
        return [], text, {}
    return [Understood("place", "Lisbon", taken[1])], taken[0], {"places": ("Lisbon",)}


def test_a_name_becomes_a_person_and_the_rest_is_searched() -> None:
    query = understand(parse_query("Grace beach"), [people("Grace")])
    assert [t.text for t in query.terms] == ["beach"]
    assert query.people == ("Grace",)
    assert query.understood == (Understood("person", "Grace", "Grace"),)


def test_understanders_run_in_turn_on_what_is_left() -> None:
    query = understand(parse_query("grace's birthday with Alan in Lisbon"),
                       [people("Grace", "Alan"), places])
    assert query.terms[0].text == "birthday"
    assert query.people == ("Grace", "Alan") and query.places == ("Lisbon",)
    assert [(u.kind, u.label, u.source) for u in query.understood] == [
        ("person", "Grace", "grace's"), ("person", "Alan", "Alan"), ("place", "Lisbon", "Lisbon")]


def test_only_whole_words_and_only_plain_queries_are_understood() -> None:
    assert understand(parse_query("graceful dance"), [people("Grace")]).people == ()
    for literal in ('"Grace beach"', "Grace + beach", "2:Grace beach", "beach - Grace"):
        assert understand(parse_query(literal), [people("Grace")]).people == (), literal
    assert understand(parse_query("Grace beach"), [people("Grace")], literal=True).people == ()


def test_a_name_alone_leaves_no_terms() -> None:
    query = understand(parse_query("Grace"), [people("Grace")])
    assert query.terms == () and query.people == ("Grace",)


def test_tidy_drops_dangling_connectors() -> None:
    assert tidy("  and at the beach with ") == "beach"
