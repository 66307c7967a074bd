"""Dates in a typed query: "beach 2019", "kids in snow last winter", "birthday March 2023",
"在2019年的海滩" -> a date range (the filter) and the rest of the words (for the text encoder).

``understand_dates(text, now)`` -> (remaining text, after, before, chips). Dates come from:

* our own rules, tried first because they are exact and fast: a bare year (1826..this year),
  ``2019年`` / ``2019年3月`` / ``2019年3月5日`` (Chinese and Japanese), seasons with a year
  (``summer 2019``, ``été 2021``, ``Sommer 2020``) or relative (``last winter``, ``this summer``),
  ``last year``, ``this year``, ``last month``, ``this month``;
* ``dateparser`` (BSD-3-Clause) for month names and full dates in several languages
  (``March 2023``, ``juillet 2021``, ``14 July 2019``, ``yesterday``, ``last week``), limited to
  :data:`LANGUAGES` (all 200 locales cost ~6 s on the first call; six cost ~0.7 s, then a few
  ms a query).

Rules against false positives: a month name alone is a word, not a date ("May" is also a name);
a number is a year only with four digits in 1826..now ("2 dogs", "3000 steps", "invoice 4471"
stay words); dateparser's answer is taken only for a span that holds a digit or a relative word
(it reads "May and" as a date); dateparser never sees CJK dates (it reads 在2019年 as 4045).
Seasons are meteorological, northern hemisphere: winter 2019 is Dec 2019 - Feb 2020; "last
winter" is the latest winter already over.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from engine.search.query import Understood

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "fr", "de", "es", "pt", "it")
EARLIEST_YEAR = 1826

_SEASONS: dict[str, str] = {}
for _season, _names in {
    "spring": "spring printemps frühling fruhling primavera",
    "summer": "summer été ete sommer verano verão verao estate",
    "autumn": "autumn fall automne herbst otoño otono outono autunno",
    "winter": "winter hiver invierno inverno",
}.items():
    _SEASONS.update(dict.fromkeys(_names.split(), _season))
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
_LAST = (r"(?:last|past|previous|dernier|derni[eè]re|letzten?|letztes|pasad[oa]|passad[oa]"
         r"|scors[oa])")
_THIS = r"(?:this|cet|cette|ce|diese[nrs]?|este|esta|questo|questa)"
_SEASON_WORD = "|".join(sorted(map(re.escape, _SEASONS), key=len, reverse=True))
_CJK_DATE = re.compile(
    r"(?:在|于|於)?(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?(?:的)?")
_SEASON_YEAR = re.compile(rf"(?i)\b(?:(?:en|im|in|de|em)\s+)?(?:l'|el\s+)?({_SEASON_WORD})\s+"
                          rf"(?:de\s+)?(\d{{4}})\b")
_RELATIVE_SEASON = re.compile(rf"(?i)\b(?:({_LAST})|({_THIS}))\s+({_SEASON_WORD})\b"
                              rf"|\b(?:l'|el\s+|o\s+)?({_SEASON_WORD})\s+(?:({_LAST})|({_THIS}))\b")
_RELATIVE_SPAN = re.compile(r"(?i)\b(last|this)\s+(year|month)\b")
_YEAR = re.compile(r"(?<![\w.,:/-])(\d{4})(?![\w.,:/-]|\s*(?:%|€|\$|km|m\b))")
_RELATIVE_WORDS = "yesterday|today|ago|last|week|hier|gestern|ayer|ontem"
_RELATIVE_HINT = re.compile(rf"(?i)\b({_RELATIVE_WORDS})\b")
# A span of the query is taken from dateparser only if it holds a digit or a relative word, so a
# query holding neither (most queries: "kids on a red slide") cannot give one, and dateparser,
# which costs more than the rest of a warm query but the text tower (4 ms a query; 0.4 s to load),
# is not asked. Without word boundaries this matches every query a kept span could come from.
_MAY_HOLD_DATE = re.compile(rf"(?i)\d|{_RELATIVE_WORDS}")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ORDINAL_ONLY = re.compile(r"(?i)\W*\d{1,3}\s*(?:st|nd|rd|th|er|e|ème|eme|º|ª|\.)?\W*")
_FILLER = re.compile(
    r"(?i)^(?:from|in|of|during|taken|photos?|pictures?|en|de|du|im|vom|em|do|da)$")




@dataclass(frozen=True)
class DateRange:
    """A half-open interval of local dates: ``start <= day < end``."""

    start: date
    end: date


Span = tuple[int, int, str, DateRange]  # start, end, label, range


def understand_dates(text: str, now: datetime) -> tuple[str, date | None, date | None,
                                                       list[Understood]]:
    """Split ``text`` into the words left and the date range it names (``after`` inclusive,
    ``before`` exclusive; the first date when it names several), with a chip per date."""
    spans = find_dates(text, now.date())
    if not spans:
        return text, None, None, []
    rest = cut_spans(text, [(s, e) for s, e, _, _ in spans])
    first = spans[0][3]
    chips = [Understood("date", label, text[s:e].strip()) for s, e, label, _ in spans]
    return rest, first.start, first.end, chips


def find_dates(query: str, today: date) -> list[Span]:
    """Every date in ``query``, left to right, not overlapping."""
    found = _dates(query, today)
    found.sort(key=lambda s: s[0])
    return found


_FILLER = re.compile(
    r"(?i)^(?:from|in|of|during|taken|photos?|pictures?|en|de|du|im|vom|em|do|da)$")


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans, and without the filler words that only led to them
    ("photos from [last summer]", "beach in [2019]")."""
    rest, cursor = [], 0
    for start, end in sorted(spans):
        words = text[cursor:start].split()
        while words and _FILLER.match(words[-1]):
            words.pop()
        rest.append(" ".join(words))
        cursor = end
    rest.append(text[cursor:])
    return " ".join(" ".join(rest).replace(",", " ").split())


def warm_up() -> None:
    """Load dateparser's locales now (about 0.7 s), e.g. on a background thread at start."""
    understand_dates("March 2023", datetime.now())


def _dates(query: str, today: date) -> list[Span]:
    found: list[Span] = []

    def add(start: int, end: int, label: str, rng: DateRange | None) -> None:
        if rng is not None and not _overlaps(found, start, end):
            found.append((start, end, label, rng))

    for m in _CJK_DATE.finditer(query):
        year, month, day = (int(g) if g else None for g in m.groups())
        add(m.start(), m.end(), _strip_cjk(m.group(0)), _ymd_range(year, month, day, today))
    for m in _SEASON_YEAR.finditer(query):
        add(m.start(), m.end(), m.group(0).strip(),
            _season_range(_SEASONS[m.group(1).lower()], int(m.group(2)), today))
    for m in _RELATIVE_SEASON.finditer(query):
        season = _SEASONS[(m.group(3) or m.group(4)).lower()]
        last = bool(m.group(1) or m.group(5))
        add(m.start(), m.end(), m.group(0).strip(), _relative_season(season, last, today))
    for m in _RELATIVE_SPAN.finditer(query):
        add(m.start(), m.end(), m.group(0), _relative_span(m.group(1).lower(),
                                                          m.group(2).lower(), today))
    for start, end, label, rng in _dateparser_dates(query, today):
        add(start, end, label, rng)
    for m in _YEAR.finditer(query):
        add(m.start(), m.end(), m.group(1), _ymd_range(int(m.group(1)), None, None, today))
    return found


def _dateparser_dates(query: str, today: date) -> list[tuple[int, int, str, DateRange]]:
    """Month-year, full dates and relative days through dateparser, for spans that hold a
    digit or a relative word."""
    if not _MAY_HOLD_DATE.search(query):
        return []
    parser = _date_parser()
    if parser is None:
        return []
    from dateparser.search import search_dates

    base = datetime(today.year, today.month, today.day)
    try:
        spans = search_dates(query, languages=list(LANGUAGES),
                             settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    except Exception as exc:  # dateparser is a heuristic: a failure means "no date"
        logger.debug("dateparser failed on %r: %r", query, exc)
        return []
    out = []
    cursor = 0
    for text, when in spans or []:
        start = query.find(text, cursor)
        if start < 0:
            continue
        cursor = start + len(text)
        if not (re.search(r"\d", text) or _RELATIVE_HINT.search(text)):
            continue  # "May", "May and", "Sunday": words, not a date range
        if re.fullmatch(r"\s*\d{1,4}\s*", text):
            continue  # bare numbers: our own year rule decides
        if _ORDINAL_ONLY.fullmatch(text):
            continue  # "80th birthday", "3rd floor": an ordinal alone is no date
        # search_dates honours RELATIVE_BASE ("yesterday"); the parser says how precise it is.
        data = parser.get_date_data(text)
        if data.date_obj is None:
            continue
        rng = _period_range(when.date(), data.period or "day", today)
        if rng is not None:
            out.append((start, start + len(text), text.strip(), rng))
    return out


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    try:
        from dateparser.date import DateDataParser
    except ImportError:
        logger.info("dateparser is not installed: month names in queries are not understood")
        return None
    return DateDataParser(languages=list(LANGUAGES), settings={"PREFER_DATES_FROM": "past"})


def _period_range(day: date, period: str, today: date) -> DateRange | None:
    if period == "year":
        return _ymd_range(day.year, None, None, today)
    if period == "month":
        return _ymd_range(day.year, day.month, None, today)
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return DateRange(start, start + timedelta(days=7))
    return _ymd_range(day.year, day.month, day.day, today)


def _ymd_range(year: int | None, month: int | None, day: int | None,
               today: date) -> DateRange | None:
    if year is None or not EARLIEST_YEAR <= year <= today.year:
        return None
    try:
        if month is None:
            return DateRange(date(year, 1, 1), date(year + 1, 1, 1))
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return DateRange(date(year, month, 1), date(year, month, last) + timedelta(days=1))
        start = date(year, month, day)
        return DateRange(start, start + timedelta(days=1))
    except ValueError:  # month 13, 31 February
        return None


def _season_range(season: str, year: int, today: date) -> DateRange | None:
    if not EARLIEST_YEAR <= year <= today.year:
        return None
    month = _SEASON_START[season]
    start = date(year, month, 1)
    end_month = month + 3
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
    return DateRange(start, end) if start <= today else None


def _relative_season(season: str, last: bool, today: date) -> DateRange | None:
    """``this summer``: the one of this year (winter: the one that began last December if we
    are before December). ``last summer``: the latest one that is over."""
    for year in range(today.year, today.year - 3, -1):
        rng = _season_range(season, year, today)
        if rng is None:
            continue
        if last and rng.end <= today:
            return rng
        if not last:
            return rng
    return None


def _relative_span(which: str, unit: str, today: date) -> DateRange:
    if unit == "year":
        year = today.year - (which == "last")
        return DateRange(date(year, 1, 1), date(year + 1, 1, 1))
    first = today.replace(day=1)
    if which == "last":
        first = (first - timedelta(days=1)).replace(day=1)
    last = calendar.monthrange(first.year, first.month)[1]
    return DateRange(first, first.replace(day=last) + timedelta(days=1))


# -- helpers -------------------------------------------------------------------------------


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(start < s[1] and s[0] < end for s in spans)


def _strip_cjk(text: str) -> str:
    return text.lstrip("在于於").rstrip("的")
