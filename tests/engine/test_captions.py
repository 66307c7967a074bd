"""Captions: every source a photo carries, user captions, the vocabulary, describe() and hybrid
(keyword + semantic) search."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DemoSet
from PIL import Image

from engine.api import Library
from engine.media.caption_sources import (
    PhotoCaption,
    decode_user_comment,
    read_photo_captions,
    xmp_descriptions,
)
from engine.search.hybrid import keyword_tiers, query_words
from engine.store.captions import load_vocabulary
from engine.store.catalog import Catalog
from engine.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
EXIF_IFD = 0x8769


def _jpeg(path: Path, colour: tuple[int, int, int] = (90, 140, 200), **save: object) -> Path:
    Image.new("RGB", (64, 48), colour).save(path, "JPEG", quality=90, **save)
    return path


def _xmp_packet(description: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="de">Ein Leuchtturm</rdf:li>'
        f'<rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _with_app_segment(path: Path, marker: int, payload: bytes) -> None:
    """Insert an APPn segment right after the JPEG's SOI marker."""
    data = path.read_bytes()
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(data[:2] + segment + data[2:])


def _iptc_app13(caption: str) -> bytes:
    text = caption.encode("utf-8")
    iptc = (b"\x1c\x01\x5a\x00\x03\x1b%G"  # 1:90 coded character set = UTF-8
            + b"\x1c\x02\x78" + struct.pack(">H", len(text)) + text)  # 2:120 caption
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    return b"Photoshop 3.0\x00" + resource + iptc


def _texts(captions: list[PhotoCaption]) -> dict[str, str]:
    return {c.origin: c.text for c in captions}


# -- sources ------------------------------------------------------------------------------------


def test_exif_image_description(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010E] = "Sunset over the old harbour"
    photo = _jpeg(tmp_path / "a.jpg", exif=exif)
    assert _texts(read_photo_captions(photo)) == {
        "exif:ImageDescription": "Sunset over the old harbour"}


def test_exif_xp_comment_is_utf16(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x9C9C] = "Picnic with grandma \u2764".encode("utf-16-le") + b"\x00\x00"
    photo = _jpeg(tmp_path / "a.jpg", exif=exif)
    assert _texts(read_photo_captions(photo)) == {"exif:XPComment": "Picnic with grandma \u2764"}


@pytest.mark.parametrize("raw, expected", [
    (b"ASCII\x00\x00\x00First day of school", "First day of school"),
    (b"UNICODE\x00" + "Caf\u00e9 in Lisbon".encode("utf-16-le"), "Caf\u00e9 in Lisbon"),
    (b"\x00" * 8 + "Gr\u00fc\u00dfe".encode(), "Gr\u00fc\u00dfe"),
])
def test_user_comment_character_codes(raw: bytes, expected: str) -> None:
    assert decode_user_comment(raw) == expected


def test_exif_user_comment_in_a_photo(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[0x9286] = b"ASCII\x00\x00\x00Ferry to the island"
    photo = _jpeg(tmp_path / "a.jpg", exif=exif)
    assert _texts(read_photo_captions(photo)) == {"exif:UserComment": "Ferry to the island"}


def test_camera_boilerplate_is_not_a_caption(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010E] = "OLYMPUS DIGITAL CAMERA         "
    exif.get_ifd(EXIF_IFD)[0x9286] = b"\x00" * 8 + b"\x00" * 20
    photo = _jpeg(tmp_path / "a.jpg", exif=exif)
    assert read_photo_captions(photo) == []


def test_embedded_xmp_description(tmp_path: Path) -> None:
    photo = _jpeg(tmp_path / "a.jpg")
    _with_app_segment(photo, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00"
                      + _xmp_packet("Lighthouse in a storm"))
    assert [(c.origin, c.text) for c in read_photo_captions(photo)] == [
        ("xmp:dc:description", "Lighthouse in a storm"),  # x-default first
        ("xmp:dc:description", "Ein Leuchtturm")]


def test_xmp_prefers_x_default_and_refuses_a_dtd() -> None:
    assert xmp_descriptions(_xmp_packet("A lighthouse")) == ["A lighthouse", "Ein Leuchtturm"]
    evil = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + _xmp_packet("&a;")
    assert xmp_descriptions(evil) == []
    assert xmp_descriptions(b"not xml at all <") == []


@pytest.mark.parametrize("name", ["a.xmp", "a.jpg.xmp"])
def test_sidecar_xmp(tmp_path: Path, name: str) -> None:
    photo = _jpeg(tmp_path / "a.jpg")
    (tmp_path / name).write_bytes(_xmp_packet("Kayaks on the fjord"))
    assert [c.text for c in read_photo_captions(photo)] == ["Kayaks on the fjord",
                                                            "Ein Leuchtturm"]
    assert {c.origin for c in read_photo_captions(photo)} == {"sidecar:xmp"}


def test_iptc_caption(tmp_path: Path) -> None:
    photo = _jpeg(tmp_path / "a.jpg")
    _with_app_segment(photo, 0xED, _iptc_app13("Stra\u00dfenfest im Juli"))
    assert _texts(read_photo_captions(photo)) == {"iptc:caption": "Stra\u00dfenfest im Juli"}


@pytest.mark.parametrize("name", ["a.txt", "a.jpg.txt"])
def test_sidecar_txt(tmp_path: Path, name: str) -> None:
    photo = _jpeg(tmp_path / "a.jpg")
    (tmp_path / name).write_text("  Grandpa's   workshop\n", encoding="utf-8")
    assert _texts(read_photo_captions(photo)) == {"sidecar:txt": "Grandpa's workshop"}


@pytest.mark.parametrize("name", ["IMG_0001.jpg.json", "IMG_0001.jpg.supplemental-metadata.json",
                                  "IMG_0001.json"])
def test_google_takeout_json(tmp_path: Path, name: str) -> None:
    photo = _jpeg(tmp_path / "IMG_0001.jpg")
    (tmp_path / name).write_text(json.dumps({
        "title": "IMG_0001.jpg", "description": "Snowball fight after school",
        "photoTakenTime": {"timestamp": "1700000000"}}))
    assert _texts(read_photo_captions(photo)) == {
        "takeout:description": "Snowball fight after school"}


def test_takeout_title_counts_when_it_is_not_the_file_name(tmp_path: Path) -> None:
    photo = _jpeg(tmp_path / "IMG_0002.jpg")
    (tmp_path / "IMG_0002.jpg.json").write_text(json.dumps({"title": "Our new kitchen",
                                                            "description": ""}))
    assert _texts(read_photo_captions(photo)) == {"takeout:title": "Our new kitchen"}


def test_sources_together_are_deduplicated_and_damage_is_ignored(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010E] = "Kayaks on the fjord"
    photo = _jpeg(tmp_path / "a.jpg", exif=exif)
    (tmp_path / "a.txt").write_text("kayaks on the   fjord")
    (tmp_path / "a.jpg.json").write_text("{not json")
    (tmp_path / "a.xmp").write_bytes(b"<x:xmpmeta")
    assert [c.text for c in read_photo_captions(photo)] == ["Kayaks on the fjord"]
    assert read_photo_captions(tmp_path / "missing.jpg") == []


# -- the vocabulary -------------------------------------------------------------------------------


def test_vocabulary_is_a_few_thousand_short_distinct_descriptions() -> None:
    lines = load_vocabulary()
    assert 2000 <= len(lines) <= 10000
    assert len(set(lines)) == len(lines)
    assert max(len(line) for line in lines) <= 90
    for expected in ("a beach at sunset", "a birthday party with balloons", "a dog on a beach",
                     "a black and white photo of a city skyline", "a child flying a kite"):
        assert expected in lines


def test_vocabulary_file_is_what_its_generator_writes() -> None:
    out = subprocess.run([sys.executable, "-c",
                          "import runpy,sys;m=runpy.run_path(sys.argv[1]);"
                          "sys.stdout.write(m['render']())",
                          str(ROOT / "resources/captions/generate_vocabulary.py")],
                         capture_output=True, text=True, check=True).stdout
    assert out == (ROOT / "resources/captions/vocabulary.txt").read_text(encoding="utf-8")


# -- the catalog ----------------------------------------------------------------------------------


def test_migration_indexes_the_names_of_existing_photos(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.store.catalog as catalog_module

    monkeypatch.setattr(catalog_module, "MIGRATIONS", MIGRATIONS[:1])
    old = Catalog(tmp_path / "c.db")
    folder = old.add_folder(Path("/pics"))
    with old.transaction() as conn:  # a row as that schema held it (today's writes name
        conn.execute(  # columns of later migrations)
            "INSERT INTO photos(folder_id, path, size, mtime_ns, content_hash, updated_at) "
            "VALUES (?, '/pics/2019/Beach_Party-07.jpg', 1, 1, 'h', '2020-01-01')", (folder,))
    old.close()
    monkeypatch.setattr(catalog_module, "MIGRATIONS", MIGRATIONS)
    new = Catalog(tmp_path / "c.db")
    assert new.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert keyword_tiers(new, "beach party") == {1: 2}
    assert keyword_tiers(new, "2019") == {}  # folder names are not file names
    new.close()


def test_query_words_follow_the_fts_tokenizer() -> None:
    assert query_words("Grandma's 80th B-day!") == ["grandma", "s", "80th", "b", "day"]


# -- the library ----------------------------------------------------------------------------------


@pytest.fixture
def captioned(small_photos: Path, demo: DemoSet,
              open_library: Callable[..., Library]) -> tuple[Library, dict[str, Path]]:
    """20 demo photos indexed: one with an EXIF caption, one with a Google Takeout sidecar, one
    renamed; returns the library and query -> the photo it must find first."""
    names = sorted(p.name for p in small_photos.iterdir())
    kite, lantern = small_photos / names[3], small_photos / names[5]
    with Image.open(kite) as im:
        im.load()
        exif = Image.Exif()
        exif[0x010E] = "Purple kite festival at the seaside"
        im.save(kite, "JPEG", quality=90, exif=exif)
    (small_photos / f"{names[5]}.json").write_text(json.dumps(
        {"title": names[5], "description": "Lantern parade in the old town"}))
    fireworks = small_photos / "harbour_fireworks.jpg"
    shutil.move(small_photos / names[7], fireworks)
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result(timeout=300)
    return lib, {"Purple kite festival at the seaside": kite.resolve(),
                 "lantern parade in the old town": lantern.resolve(),
                 "harbour fireworks": fireworks.resolve()}


def test_indexing_stores_photo_captions(captioned: tuple[Library, dict[str, Path]]) -> None:
    lib, expected = captioned
    assert [(c.text, c.source) for c in lib.photo_captions(expected[
        "Purple kite festival at the seaside"])] == [("Purple kite festival at the seaside",
                                                      "photo")]
    assert [c.text for c in lib.photo_captions(expected["lantern parade in the old town"])] == [
        "Lantern parade in the old town"]


def test_editing_a_sidecar_rereads_captions_without_reembedding(
        captioned: tuple[Library, dict[str, Path]]) -> None:
    lib, expected = captioned
    lantern = expected["lantern parade in the old town"]
    kite = expected["Purple kite festival at the seaside"]
    embedded = lib.status().indexed
    sidecar = lantern.with_name(lantern.name + ".json")
    sidecar.write_text(json.dumps({"description": "Dragon boat race at dawn"}))
    os.utime(sidecar, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # an edit, later
    (kite.with_suffix(".txt")).write_text("Kite flying with grandpa")  # a new sidecar
    report = lib.index().result(timeout=300)
    assert report.updated == 2 and report.embedded == 0  # captions re-read, vectors reused
    assert [c.text for c in lib.photo_captions(lantern)] == ["Dragon boat race at dawn"]
    assert {c.text for c in lib.photo_captions(kite)} == {
        "Purple kite festival at the seaside", "Kite flying with grandpa"}
    assert lib.search("dragon boat race", k=1)[0].path == lantern
    assert lib.status().indexed == embedded
    sidecar.unlink()  # deleting it takes its caption away
    assert lib.index().result(timeout=300).updated == 1
    assert lib.photo_captions(lantern) == []
    assert lib.index().result(timeout=300).updated == 0  # and then nothing changes


def test_a_query_matching_a_caption_word_for_word_ranks_that_photo_first(
        captioned: tuple[Library, dict[str, Path]]) -> None:
    lib, expected = captioned
    for query, photo in expected.items():
        hits = lib.search(query, k=10, rerank=False)
        assert hits[0].path == photo and hits[0].keyword_match, query
    # The same words in another order are not a phrase match: they only get a small bonus.
    assert not lib.search("seaside festival kite purple", k=5, rerank=False)[0].keyword_match


def test_user_captions_are_searchable_at_once_and_can_be_removed(
        captioned: tuple[Library, dict[str, Path]], small_photos: Path) -> None:
    lib, _ = captioned
    target = sorted(small_photos.glob("*.jpg"))[12].resolve()
    lib.set_caption(target, "Grandma's 80th birthday")
    hits = lib.search("grandma's 80th birthday", k=5, rerank=False)
    assert hits[0].path == target and hits[0].keyword_match
    assert [(c.text, c.source) for c in lib.photo_captions(target)] == [
        ("Grandma's 80th birthday", "user")]
    lib.index().result(timeout=300)  # re-indexing keeps user captions
    assert lib.photo_captions(target)[0].source == "user"
    lib.set_caption(target, None)
    assert lib.photo_captions(target) == []
    assert not any(h.keyword_match for h in lib.search("grandma's 80th birthday", k=5,
                                                       rerank=False))


def test_keyword_hits_respect_filters(captioned: tuple[Library, dict[str, Path]],
                                      tmp_path: Path) -> None:
    from engine.api import SearchFilters

    lib, _ = captioned
    elsewhere = SearchFilters(folder=tmp_path / "nowhere")
    assert lib.search("harbour fireworks", k=5, filters=elsewhere, rerank=False) == []


def test_describe_returns_captions_with_score_and_source(
        captioned: tuple[Library, dict[str, Path]], small_photos: Path, demo: DemoSet,
        tmp_path: Path) -> None:
    lib, _ = captioned
    name = demo.names[0]
    photo = small_photos / name
    own = demo.captions[name][0]
    lib.set_caption(photo, own)
    hits = lib.describe(photo, k=10, rerank=False)
    assert len(hits) == 10
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {h.source for h in hits} <= {"photo", "user", "vocabulary"}
    assert any(h.text == own and h.source == "user" and h.photo_id is not None for h in hits)
    vocab = [h for h in hits if h.source == "vocabulary"]
    assert vocab and all(h.photo_id is None for h in vocab)
    # Any image file, in the library or not, and encoded bytes, give (nearly) the same answer.
    outside = tmp_path / "outside.jpg"
    shutil.copy(demo.folder / name, outside)
    texts = {h.text for h in hits}
    assert len(texts & {h.text for h in lib.describe(outside, k=10, rerank=False)}) >= 8
    from_bytes = lib.describe(outside.read_bytes(), k=10, rerank=False)
    assert len(texts & {h.text for h in from_bytes}) >= 8


def test_captions_cli(captioned: tuple[Library, dict[str, Path]], small_photos: Path,
                     capsys: pytest.CaptureFixture[str], demo: DemoSet) -> None:
    from engine.cli import main

    lib, _ = captioned
    home = lib.home
    photo = (small_photos / demo.names[1]).resolve()
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "caption",
                 str(photo), "Sandcastle contest"]) == 0
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "caption",
                 str(photo)]) == 0
    assert "user       Sandcastle contest" in capsys.readouterr().out
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "captions",
                 str(photo), "-k", "5", "--json", "--no-rerank"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5 and {"text", "score", "source", "photo_id"} <= set(rows[0])
    assert main(["--home", str(home), "--model", "demo", "--device", "cpu", "search",
                 "sandcastle contest", "--json", "--no-rerank"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert first["path"] == str(photo) and first["keyword_match"] is True
