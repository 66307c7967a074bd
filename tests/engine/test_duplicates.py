"""Perceptual hashes and duplicate grouping on real photos (scikit-image, scikit-learn).

Two kinds of test. The grouping rules are tested on real photos with real hashes and stand-in
CLIP vectors (one random direction per source photo, noise sized to the cosine a real CLIP
model should give such copies), because the demo model only knows rendered shapes: its cosines
between *different* real photos reach 0.89 here (and 0.947 in FINDINGS' wider measurement),
between crops and their original go down to 0.59, so it cannot show what a real model's
cosines separate. The library tests then go through the real path (index with the demo model,
the perceptual-hash and neighbours passes, ``Library.duplicates``, ``Library.trash``) and
assert only what holds whatever the model's cosines: resized, re-saved, converted and
brightened copies (pHash <= 6 bits on every photo measured) group with their original,
different photos never do, burst shots are never called duplicates.

Threshold margins (FINDINGS.md, 29 real photos): pHash distance of resized / JPEG 60 / PNG /
WebP / brightness copies <= 6, different photos >= 20 -> ``phash_near = 10``; crops move 2-24
bits, so they also need a very close CLIP cosine and the same capture moment.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import imagehash
import numpy as np
import photo_samples as ps
import pytest
from conftest import write_exif

from engine.analyses.phash import dhash, hamming, phash, to_signed, to_unsigned
from engine.api import Library
from engine.search.duplicates import (
    CopyFacts,
    DuplicateKind,
    PhotoFacts,
    choose_keeper,
    group_duplicates,
    vector_pairs,
)
from engine.store.trash import restore


@pytest.mark.parametrize("name", ["astronaut", "coffee", "camera", "china", "motorcycle"])
def test_hashes_equal_imagehash(name: str) -> None:
    image = ps.distinct_photos()[name]
    assert phash(image) == int(str(imagehash.phash(image)), 16)
    assert dhash(image) == int(str(imagehash.dhash(image)), 16)


def test_signed_round_trip() -> None:
    for value in (0, 1, 2**63 - 1, 2**63, 2**64 - 1):
        assert -(2**63) <= to_signed(value) < 2**63
        assert to_unsigned(to_signed(value)) == value


def test_edits_other_than_crops_stay_close_and_different_photos_far() -> None:
    photos = ps.distinct_photos()
    for image in list(photos.values())[:8]:
        for kind, copy in ps.copies(image).items():
            if "cropped" not in kind:
                assert hamming(phash(image), phash(copy)) <= 10, kind
    hashes = [phash(p) for p in photos.values()]
    distances = [hamming(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    assert min(distances) > 10


# -- the rules, with stand-in vectors -----------------------------------------------------------


def _library(rng: np.random.Generator) -> tuple[PhotoFacts, np.ndarray, list[str], list[str]]:
    """Originals, their copies, bursts of two photos: (facts, vectors, source of each row,
    kind of each row)."""
    photos = ps.distinct_photos()
    direction = {name: rng.normal(size=512) for name in photos}
    rows: list[tuple[str, str, object, float, float]] = []  # source, kind, image, cos, time
    for i, (name, image) in enumerate(photos.items()):
        taken = 1e6 * i
        rows.append((name, "original", image, 1.0, taken))
        for kind, copy in ps.copies(image).items():
            rows.append((name, kind, copy, 0.975 if "cropped" in kind else 0.99, taken))
    for name in ("astronaut", "rocket"):
        taken = 1e6 * list(photos).index(name)
        for shot_no, shot in enumerate(ps.burst(photos[name])[1:], start=1):
            # shots 2 s apart; cos 0.95 to the scene, so ~0.90 between shots
            rows.append((name, "burst", shot, 0.95, taken + shot_no * 2.0))
    vectors = []
    for source, _kind, _image, cos, _t in rows:
        d = direction[source] / np.linalg.norm(direction[source])
        noise = rng.normal(size=512)
        noise -= noise @ d * d
        noise /= np.linalg.norm(noise)
        vectors.append(cos * d + np.sqrt(1 - cos**2) * noise)
    facts = PhotoFacts(
        content_hash=[f"{r[0]}/{r[1]}/{i}" for i, r in enumerate(rows)],
        phash=np.array([phash(r[2]) for r in rows], dtype=np.uint64),  # type: ignore[arg-type]
        dhash=np.array([dhash(r[2]) for r in rows], dtype=np.uint64),  # type: ignore[arg-type]
        taken_at=np.array([r[4] for r in rows], dtype=np.float64),
    )
    return facts, np.array(vectors, np.float32), [r[0] for r in rows], [r[1] for r in rows]


def test_copies_group_with_their_original_and_bursts_stay_apart() -> None:
    facts, vectors, sources, kinds = _library(np.random.default_rng(0))
    # the burst's first shot is the original photo itself (taken moments before)
    groups = group_duplicates(facts, *vector_pairs(vectors, 10))
    near = [g for g in groups if g.kind is DuplicateKind.NEAR]
    for group in near:
        assert len({sources[m] for m in group.members}) == 1, "different photos grouped"
        assert all(kinds[m] != "burst" for m in group.members), "a burst shot as a duplicate"
    grouped = {m for g in near for m in g.members}
    missed = [(sources[r], k) for r, k in enumerate(kinds) if k != "burst" and r not in grouped]
    # Known limit: a crop of a pure texture (grass, gravel, brick) moves both hashes past the
    # crop gate (24 bits); only crops may be missed, and only on textures.
    assert all("cropped" in k and s in {"grass", "gravel", "brick"} for s, k in missed), missed
    similar = [g for g in groups if g.kind is DuplicateKind.SIMILAR]
    burst_rows = {row for row, kind in enumerate(kinds) if kind == "burst"}
    assert {m for g in similar for m in g.members} >= burst_rows
    for group in similar:
        assert len({sources[m] for m in group.members}) == 1


def test_exact_copies_and_no_similar_unless_asked() -> None:
    facts, vectors, _, _ = _library(np.random.default_rng(1))
    doubled = PhotoFacts(
        content_hash=[*facts.content_hash, facts.content_hash[0]],
        phash=np.r_[facts.phash, facts.phash[:1]],
        dhash=np.r_[facts.dhash, facts.dhash[:1]],
        taken_at=np.r_[facts.taken_at, facts.taken_at[:1]],
    )
    groups = group_duplicates(doubled, *vector_pairs(np.r_[vectors, vectors[:1]], 10),
                              similar=False)
    exact = [g for g in groups if g.kind is DuplicateKind.EXACT]
    assert [g.members for g in exact] == [(0, len(doubled.content_hash) - 1)]
    assert not any(g.kind is DuplicateKind.SIMILAR for g in groups)


def test_keeper_rules_and_reasons() -> None:
    camera = CopyFacts(4032, 3024, "jpg", True, 3_000_000, 100.0)
    small = CopyFacts(2016, 1512, "jpg", True, 900_000, 50.0)
    png = CopyFacts(4032, 3024, "png", False, 12_000_000, 200.0)
    stripped = CopyFacts(4032, 3024, "jpg", False, 3_000_000, 20.0)
    older = CopyFacts(4032, 3024, "jpg", True, 3_000_000, 10.0)
    choice = choose_keeper([small, camera])
    assert choice.index == 1 and choice.reason.startswith("largest resolution")
    choice = choose_keeper([png, camera])
    assert choice.index == 1 and "original format (JPG)" in choice.reason
    choice = choose_keeper([stripped, camera])
    assert choice.index == 1 and "camera metadata" in choice.reason
    choice = choose_keeper([camera, older])
    assert choice.index == 1 and "oldest" in choice.reason


# -- the library: indexing with the demo model, duplicates, trash -------------------------------

DISTINCT = ["astronaut", "coffee", "chelsea", "rocket", "motorcycle", "flower", "camera",
            "hubble_deep_field-left"]
COPIED = "china"  # its copies, plus the original
BURST_START = datetime(2024, 5, 1, 12, 0, 0)


def _write_library(folder: Path) -> dict[str, Path]:
    """Real photos, one photo's copies of every kind, an identical copy, a burst with EXIF
    times 2 s apart. Returns name -> path."""
    photos = ps.distinct_photos()
    folder.mkdir(parents=True)
    paths: dict[str, Path] = {}
    for name in [*DISTINCT, COPIED]:
        paths[name] = folder / f"{name}.jpg"
        photos[name].save(paths[name], quality=95)
    for kind, image in ps.copies(photos[COPIED]).items():
        ext = {"PNG": "png", "WebP quality 80": "webp"}.get(kind, "jpg")
        paths[kind] = folder / f"{COPIED} ({kind.replace('%', ' pc')}).{ext}"
        image.save(paths[kind], **({"quality": 60} if "JPEG" in kind else {}))
    paths["identical"] = folder / "coffee copy.jpg"
    shutil.copy2(paths["coffee"], paths["identical"])
    for i, shot in enumerate(ps.burst(photos["rocket"])):
        paths[f"burst {i}"] = folder / f"burst-{i}.jpg"
        shot.save(paths[f"burst {i}"], quality=95)
        write_exif(paths[f"burst {i}"], taken=BURST_START + timedelta(seconds=2 * i),
                   make="Google", model="Pixel 7")
    return paths


def _source(name: str) -> str:
    """The photo a file of :func:`_write_library` was made from."""
    if name.startswith("burst"):
        return "burst"
    return {"identical": "coffee"}.get(name, name if name in DISTINCT else COPIED)


@pytest.fixture
def dupes(tmp_path: Path, open_library: Callable[..., Library]
          ) -> tuple[Library, dict[str, Path]]:
    paths = _write_library(tmp_path / "photos")
    lib = open_library()
    lib.add_folder(tmp_path / "photos")
    report = lib.index().result()
    assert [(a.name, a.error) for a in report.analyses if a.name == "neighbours"] == [
        ("neighbours", None)]
    coverage = {a.name: (a.pending, a.failed) for a in lib.status().analyses}
    assert coverage["phash"] == coverage["neighbours"] == (0, 0)
    return lib, paths


def test_the_library_groups_copies_and_keeps_kinds_apart(
        dupes: tuple[Library, dict[str, Path]]) -> None:
    lib, paths = dupes
    source = {p: _source(name) for name, p in paths.items()}
    groups = lib.duplicates(similar=True)
    exact = [g for g in groups if g.kind == "exact"]
    assert [{p.path for p in g.photos} for g in exact] == [{paths["coffee"], paths["identical"]}]

    near = [g for g in groups if g.kind == "near"]
    copied = next(g for g in near if g.keeper.path == paths[COPIED])
    members = {p.path for p in copied.photos}
    # Every copy whose pHash stays within 6 bits (all but the crops) joins its original, with
    # any model whose cosine for such copies clears clip_confirm (the demo model's lowest here
    # is 0.95). Crops need a real model's cosine (>= 0.97), so they are not asserted.
    for kind in ps.copies(ps.distinct_photos()[COPIED]):
        if "cropped" not in kind:
            assert paths[kind] in members, kind
    for group in near:  # different photos never group
        assert len({source[p.path] for p in group.photos}) == 1
        assert not any(source[p.path] == "burst" for p in group.photos)
    # The original JPEG is kept: same size as the PNG/WebP/JPEG-60 copies, larger than the
    # halves, original format.
    assert copied.keeper.path == paths[COPIED]
    for group in [g for g in groups if g.kind == "similar"]:
        # Only the burst shares a capture moment; whether all four shots join depends on the
        # model's cosines (the demo model's are 0.82-0.86 between shots), so only purity is
        # asserted here, the full burst in the stand-in test above.
        assert all(source[p.path] == "burst" for p in group.photos)
    assert not any(g.kind == "similar" for g in lib.duplicates(similar=False))


@pytest.fixture
def home_trash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return ps.temporary_trash(tmp_path, monkeypatch)


def test_trash_moves_copies_out_of_the_results_and_a_restore_comes_back(
        dupes: tuple[Library, dict[str, Path]], home_trash: Path, tmp_path: Path) -> None:
    from engine.store.trash import TrashedFile

    lib, paths = dupes
    png = paths["PNG"]
    outside = tmp_path / "not in the library.jpg"
    outside.write_bytes(paths["coffee"].read_bytes())
    report = lib.trash([png, outside])
    assert report.moved == [png]
    assert [p for p, _ in report.failed] == [outside] and outside.exists()
    assert not png.exists() and (home_trash / "files" / png.name).exists()
    listed = {p.path for g in lib.duplicates() for p in g.photos}
    assert png not in listed and paths["JPEG quality 60"] in listed
    hits = lib.search("a photo", k=100, cut_off=False)
    assert png not in {h.path for h in hits}

    restore(TrashedFile(png, home_trash / "files" / png.name,
                        home_trash / "info" / f"{png.name}.trashinfo"))
    again = lib.index().result()
    assert again.added == 1 and again.embedded == 0  # its vector was reused, not recomputed
    listed = {p.path for g in lib.duplicates() for p in g.photos}
    assert png in listed


def test_a_photo_added_later_finds_the_earlier_copies(
        dupes: tuple[Library, dict[str, Path]]) -> None:
    lib, paths = dupes
    late = paths[COPIED].with_name("sent by message.jpg")
    ps.distinct_photos()[COPIED].resize((320, 213)).save(late, quality=70)
    lib.index().result()
    copied = next(g for g in lib.duplicates() if g.keeper.path == paths[COPIED])
    assert late in {p.path for p in copied.photos}


def test_the_command_line_lists_groups_and_trashes(
        dupes: tuple[Library, dict[str, Path]], home_trash: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from engine.cli import main

    lib, paths = dupes
    common = ["--home", str(lib.home), "--model", "demo", "--device", "cpu"]
    assert main([*common, "duplicates", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert [g["kind"] for g in groups][:1] == ["exact"]
    near = next(g for g in groups if g["keep"] == str(paths[COPIED]))
    assert near["kind"] == "near" and near["why"]
    assert {"path", "folder", "size_bytes", "width", "height", "taken_at", "format"} <= set(
        near["photos"][0])
    assert main([*common, "duplicates"]) == 0
    text = capsys.readouterr().out
    assert f"keep {paths[COPIED].name}" in text and "near-duplicates" in text
    assert main([*common, "trash", str(paths["WebP quality 80"])]) == 0
    assert "moved to the trash" in capsys.readouterr().out
    assert not paths["WebP quality 80"].exists()
    assert main([*common, "trash", str(paths["WebP quality 80"])]) == 1
    assert "not a photo of this library" in capsys.readouterr().err


def test_the_camera_original_is_kept_over_a_larger_copy_dated_only_by_its_file(
        tmp_path: Path, open_library: Callable[..., Library]) -> None:
    """A copy that lost its EXIF (a messenger's, an editor's) still has a date, its file's
    time; that is no camera metadata, so the original wins by that rule, not by file size."""
    folder = tmp_path / "photos"
    folder.mkdir()
    image = ps.distinct_photos()[COPIED]
    original, copy = folder / "IMG_2041.jpg", folder / "IMG_2041 copy.jpg"
    image.save(original, quality=80)
    write_exif(original, taken=BURST_START, make="Google", model="Pixel 7")
    image.save(copy, quality=98)  # the same pixels, re-saved larger, without EXIF
    assert copy.stat().st_size > original.stat().st_size
    for name in DISTINCT[:3]:
        ps.distinct_photos()[name].save(folder / f"{name}.jpg", quality=95)
    lib = open_library()
    lib.add_folder(folder)
    lib.index().result()
    assert lib.capture_date(copy) is not None  # dated, by the file's time
    [group] = lib.duplicates()
    assert group.kind == "near" and [p.path for p in group.photos] == [original, copy]
    assert group.keeper_reason == "same resolution and format; the one with camera metadata"
