"""Searching what is written in photos, where and when they were taken, end to end: a library
of rendered photos (real fonts, sizes, colours, slight rotation, JPEG noise, photo-like
backgrounds), indexed with the demo model, the places and text passes run for real (RapidOCR,
GeoNames), then searched through the facade and the CLI."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from exif_samples import gps_ifd
from PIL import Image
from text_samples import (
    CHINESE_PHRASES,
    CJK_FONTS,
    LATIN_FONTS,
    background,
    draw_text,
    jpeg_roundtrip,
    missing_fonts,
    render_sample,
)

from engine.api import Library, SearchFilters
from engine.cli import main

pytestmark = [pytest.mark.skipif(bool(missing_fonts()),
                                 reason=f"fonts missing: {missing_fonts()}"),
              pytest.mark.background_analyses]

# Photos in the library, 20 of them with text: 60 by default (about a minute on a 2-core
# machine); the 200 runs as a slow test.
SIZES = [60, pytest.param(200, marks=pytest.mark.slow)]
SIZE = (960, 720)
FILE_TIME = datetime(2024, 6, 1, 12, 0).timestamp()
# (file name, text, font, letter height in px, colour-ish seed, angle)
TARGETS = [
    ("wifi.jpg", "wifi password hunter2", LATIN_FONTS[0], 40, 1, 2.0),
    ("invoice.jpg", "invoice 4471", LATIN_FONTS[4], 46, 2, -1.5),
    ("street.jpg", "Harbour Street", LATIN_FONTS[7], 44, 3, 1.0),
    ("fapiao.jpg", "增值税发票", CJK_FONTS[0], 48, 4, -1.0),
    ("beijing.jpg", "北京欢迎你", CJK_FONTS[1], 48, 5, 1.5),
]
GPS = {"lisbon.jpg": (38.7077, -9.1365), "kyoto.jpg": (35.0116, 135.7681),
       "paris.jpg": (48.8584, 2.2945), "zero.jpg": (0.0, 0.0)}
XMP_2019 = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
            b'02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.'
            b'com/xap/1.0/" xmp:CreateDate="2019-08-01T09:00:00+01:00"/></rdf:RDF></x:xmpmeta>')


@dataclass
class TextLibrary:
    lib: Library
    folder: Path
    home: Path


def _save(image: Image.Image, path: Path, taken: str | None = None,
          gps: tuple[float, float] | None = None, xmp: bytes | None = None) -> None:
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if gps:
        exif[0x8825] = gps_ifd(*gps)
    kwargs: dict[str, object] = {"exif": exif}
    if xmp:
        kwargs["xmp"] = xmp
    image.save(path, "JPEG", quality=88, **kwargs)
    os.utime(path, (FILE_TIME, FILE_TIME))


@pytest.fixture(scope="module", params=SIZES)
def text_library(tmp_path_factory: pytest.TempPathFactory,
                 request: pytest.FixtureRequest) -> Iterator[TextLibrary]:
    photos = int(request.param)
    root = tmp_path_factory.mktemp("textlib")
    folder = root / "photos"
    folder.mkdir()
    rng = random.Random(11)
    for name, text, font, height, seed, angle in TARGETS:
        r = random.Random(seed)
        image = draw_text(background(r, SIZE), text, font, height, r, angle=angle,
                          plate=seed % 2 == 1, centre=(0.5, 0.45))
        _save(jpeg_roundtrip(image, 82), folder / name)
    others = [p for p in ("Gate B12", "Cafe Central", "OPEN 24 HOURS", "Station Road",
                          "Fresh Bread", "Museum of Art", "Bus stop 42", "Main Square",
                          "Platform 9", "Flight LH 1172", "Room 214", "Total 23.50 EUR")]
    for i in range(15):  # 15 more photos with other text, rendered at random
        sample = render_sample(rng, SIZE, lines=0)
        text = others[i % len(others)] if i < 12 else CHINESE_PHRASES[i - 7]
        font = CJK_FONTS[i % 3] if i >= 12 else LATIN_FONTS[i % len(LATIN_FONTS)]
        image = draw_text(sample.image, text, font, rng.randrange(30, 50), rng,
                          angle=rng.uniform(-3, 3), plate=rng.random() < 0.6,
                          centre=(rng.uniform(0.35, 0.65), rng.uniform(0.2, 0.8)))
        _save(jpeg_roundtrip(image, rng.randrange(75, 92)), folder / f"text{i:02}.jpg")
    for name, position in GPS.items():
        _save(render_sample(rng, SIZE, lines=0).image, folder / name, gps=position)
    _save(render_sample(rng, SIZE, lines=0).image, folder / "exif2019.jpg",
          taken="2019:07:14 10:30:00")
    _save(render_sample(rng, SIZE, lines=0).image, folder / "xmp2019.jpg", xmp=XMP_2019)
    _save(render_sample(rng, SIZE, lines=0).image, folder / "march2023.jpg",
          taken="2023:03:10 18:00:00")
    _save(render_sample(rng, SIZE, lines=0).image, folder / "future.jpg",
          taken="2031:01:01 00:00:00")
    _save(render_sample(rng, SIZE, lines=0).image, folder / "old.jpg",
          taken="1800:01:01 00:00:00")
    done = len(list(folder.iterdir()))
    for i in range(photos - done):
        _save(render_sample(rng, SIZE, lines=0).image, folder / f"plain{i:03}.jpg")
    lib = Library.open(root / "home", model="demo")
    lib.add_folder(folder)
    report = lib.index().result()
    assert report.added == photos
    assert [(a.name, a.error) for a in report.analyses if a.name in ("places", "text")] == [
        ("places", None), ("text", None)]
    yield TextLibrary(lib, folder, root / "home")
    lib.close()


def _names(hits: list) -> list[str]:  # noqa: ANN001 - SearchHit list
    return [h.path.name for h in hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("wifi password", "wifi.jpg"),
    ("invoice 4471", "invoice.jpg"),
    ("harbour street", "street.jpg"),
    ("发票", "fapiao.jpg"),
    ("增值税发票", "fapiao.jpg"),
    ("欢迎", "beijing.jpg"),
])
def test_a_phrase_printed_in_a_photo_ranks_it_first(text_library: TextLibrary, query: str,
                                                    expected: str) -> None:
    hits = text_library.lib.search(query, k=10)
    assert _names(hits)[:1] == [expected]
    assert hits[0].text_match and hits[0].keyword_match


def test_a_quoted_query_searches_the_text_only(text_library: TextLibrary) -> None:
    lib = text_library.lib
    query = lib.parse('"wifi password"')
    assert query.quoted == ("wifi password",)
    assert _names(lib.search(query, k=10)) == ["wifi.jpg"]
    assert lib.search('"a phrase nobody printed"', k=10) == []
    # --literal: the same words, no longer understood as quoted text.
    assert lib.parse('"wifi password"', literal=True).quoted == ()


def test_the_text_of_a_photo_with_boxes_and_confidences(text_library: TextLibrary) -> None:
    found = text_library.lib.photo_text(text_library.folder / "invoice.jpg")
    assert found.from_catalog and "4471" in found.text
    line = next(ln for ln in found.lines if "4471" in ln.text)
    xs = [p[0] for p in line.box]
    assert len(line.box) == 4 and 0.5 < line.confidence <= 1.0
    assert 200 < (min(xs) + max(xs)) / 2 < 760  # drawn around the middle of 960 px
    plain = text_library.lib.photo_text(text_library.folder / "plain000.jpg")
    assert plain.lines == [] and plain.from_catalog


def test_places_are_words_filters_and_listed(text_library: TextLibrary) -> None:
    lib = text_library.lib
    for query, expected in (("Lisbon", "lisbon.jpg"), ("Portugal", "lisbon.jpg"),
                            ("Kyoto", "kyoto.jpg"), ("Japan", "kyoto.jpg"),
                            ("France", "paris.jpg")):
        assert _names(lib.search(query, k=10)) == [expected], query
    # A place the library knows is understood: it filters, the rest searches by meaning.
    query = lib.parse("beach Lisbon")
    assert query.places == ("Lisbon",) and [t.text for t in query.terms] == ["beach"]
    assert _names(lib.search(query, k=10)) == ["lisbon.jpg"]
    assert _names(lib.search("trees", k=10, filters=SearchFilters(places=("Japan",)))) == [
        "kyoto.jpg"]
    places = {(p.city, p.country): p.photos for p in lib.places()}
    assert places == {("Lisbon", "Portugal"): 1, ("Kyoto", "Japan"): 1,
                      ("Paris", "France"): 1}
    # Other languages' names of the towns and countries: understood, filtered, --place.
    for typed, english, expected in (("海滩 里斯本", "Lisbon", "lisbon.jpg"),
                                     ("Strand Lissabon", "Lisbon", "lisbon.jpg"),
                                     ("京都の寺", "Kyoto", "kyoto.jpg"),
                                     ("playa Japón", "Japan", "kyoto.jpg"),
                                     ("海滩 法国", "France", "paris.jpg")):
        query = lib.parse(typed)
        assert query.places == (english,), typed
        assert [c.label for c in query.understood if c.kind == "place"] == [
            typed.split()[-1] if " " in typed else "京都"], typed
        assert _names(lib.search(query, k=10)) == [expected], typed
    assert _names(lib.search("trees", k=10, filters=SearchFilters(places=("葡萄牙",)))) == [
        "lisbon.jpg"]
    assert lib.parse("Berlin beach").places == ()  # not a place of this library
    zero = lib.photo_place(text_library.folder / "zero.jpg")
    assert zero is not None and zero.city is None and "(0, 0)" in (zero.reason or "")
    nogps = lib.photo_place(text_library.folder / "plain001.jpg")
    assert nogps is not None and nogps.city is None and nogps.reason == "no coordinates"


def test_date_queries_filter_including_xmp_only_dates(text_library: TextLibrary) -> None:
    lib = text_library.lib
    query = lib.parse("photos 2019")
    assert (query.after, query.before) == (date(2019, 1, 1), date(2020, 1, 1))
    assert sorted(_names(lib.search(query, k=50))) == ["exif2019.jpg", "xmp2019.jpg"]
    assert _names(lib.search("landscape March 2023", k=50)) == ["march2023.jpg"]
    assert sorted(_names(lib.search("在2019年的海滩", k=50))) == ["exif2019.jpg", "xmp2019.jpg"]
    xmp = lib.capture_date(text_library.folder / "xmp2019.jpg")
    assert xmp is not None and (xmp.local, xmp.offset, xmp.source) == (
        "2019-08-01T09:00:00", "+01:00", "xmp")


def test_impossible_dates_are_ignored_with_a_reason(text_library: TextLibrary) -> None:
    for name, why in (("future.jpg", "in the future"), ("old.jpg", "before 1826")):
        found = text_library.lib.capture_date(text_library.folder / name)
        assert found is not None and found.source == "file"
        assert found.local == "2024-06-01T12:00:00"
        assert any(why in reason for reason in found.rejected), found.rejected


def test_the_cli_says_what_it_understood(text_library: TextLibrary,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--home", str(text_library.home), "--model", "demo", "--device", "cpu"]
    text_library.lib.close()  # the CLI opens the library itself
    assert main([*home, "search", "beach Lisbon 2019", "-k", "5"]) == 0
    out = capsys.readouterr()
    assert "understood: beach · place Lisbon · 2019" in out.err
    assert main([*home, "search", "beach Lisbon", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["understood"]["places"] == ["Lisbon"]
    assert [Path(r["path"]).name for r in data["results"]] == ["lisbon.jpg"]
    assert main([*home, "search", "beach Lisbon", "--literal", "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)
    assert main([*home, "search", "x", "--place", "Kyoto", "--json", "--all"]) == 0
    assert [Path(r["path"]).name for r in json.loads(capsys.readouterr().out)] == ["kyoto.jpg"]
    assert main([*home, "text", str(text_library.folder / "wifi.jpg"), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["from_catalog"] and "hunter2" in " ".join(ln["text"] for ln in said["lines"])
    assert all(len(ln["box"]) == 4 and ln["confidence"] > 0.5 for ln in said["lines"])
    assert main([*home, "places"]) == 0
    assert "Lisbon, Portugal" in capsys.readouterr().out
