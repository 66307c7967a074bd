"""End-to-end tests of the facade on the real demo model: search, similar, query arithmetic,
filters, the relevance cut-off, the vector cache, models and concurrency."""

from __future__ import annotations

import io
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import DEMO_PHOTOS, IndexedLibrary
from PIL import Image

import engine.api
import engine.search.first_stage
from engine.api import Library, SearchFilters
from engine.errors import (
    Cancelled,
    EngineError,
    InvalidModelSpecError,
    InvalidQueryError,
    LibraryLockedError,
    ModelUnavailableError,
)
from engine.media import imaging
from engine.search.cutoff import relevance_cutoff
from engine.store.paths import demo_model_dir
from engine.store.vector_index import VectorIndex


def names(hits: list) -> list[str]:
    return [h.path.name for h in hits]


# ------------------------------------------------------------------------------- text search


def test_captions_find_their_own_scene_first(indexed: IndexedLibrary) -> None:
    lib, demo = indexed.lib, indexed.demo
    right = total = 0
    for n, (name, caps) in enumerate(demo.captions.items()):
        caption = caps[n % len(caps)]  # every phrasing template, in turn
        hits = lib.search(caption, k=10)
        total += 1
        right += bool(hits) and hits[0].path == indexed.paths[name]
    assert right / total >= 0.9, f"only {right}/{total} captions ranked their scene first"


def test_hits_carry_metadata_and_are_sorted(indexed: IndexedLibrary) -> None:
    hits = indexed.lib.search("a red circle", k=DEMO_PHOTOS, cut_off=False)
    assert len(hits) == DEMO_PHOTOS
    assert len({h.photo_id for h in hits}) == DEMO_PHOTOS
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(-1.0001 <= s <= 1.0001 for s in scores)
    for h in hits:
        assert h.path.is_file() and h.width == 256 and h.height == 256 and h.size_bytes > 0
        if h.path.parent.name == "trip":
            assert h.camera == "Canon Canon EOS 5D" and h.taken_at.startswith("2021-06-")


def test_k_limits_the_number_of_hits(indexed: IndexedLibrary) -> None:
    assert len(indexed.lib.search("a blue star", k=7, cut_off=False)) == 7
    assert indexed.lib.search("a blue star", k=0) == []


@pytest.mark.parametrize("query", ["", "   ", "- people", "0:beach", "-1:beach + -2:sky"])
def test_unusable_queries_raise_invalid_query(indexed: IndexedLibrary, query: str) -> None:
    with pytest.raises(InvalidQueryError) as info:
        indexed.lib.search(query)
    assert info.value.user_message


def test_cancelling_terms_raise_invalid_query(indexed: IndexedLibrary) -> None:
    with pytest.raises(InvalidQueryError, match="cancel"):
        indexed.lib.search("a red circle on grass - a red circle on grass")


# --------------------------------------------------------------------------- relevance cut-off


def test_cut_off_drops_the_tail_but_never_everything(indexed: IndexedLibrary) -> None:
    lib, demo = indexed.lib, indexed.demo
    caption = demo.captions[demo.names[3]][0]
    full = lib.search(caption, k=DEMO_PHOTOS, cut_off=False)
    cut = lib.search(caption, k=DEMO_PHOTOS)
    assert len(full) == DEMO_PHOTOS
    assert 1 <= len(cut) < DEMO_PHOTOS
    assert names(cut) == names(full)[: len(cut)]  # a prefix: the cut-off never reorders
    for nonsense in ("zebra quantum xylophone", "qqqq", "a photo"):
        assert len(lib.search(nonsense, k=DEMO_PHOTOS)) >= 1


def test_cut_off_with_filters_keeps_at_least_one(indexed: IndexedLibrary) -> None:
    hits = indexed.lib.search("a white star", k=20, filters=SearchFilters(camera="pixel"))
    assert 1 <= len(hits) <= 15


# ------------------------------------------------------------------------------------ similar


def test_similar_to_a_library_photo_excludes_itself(indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    for name in indexed.demo.names[:5]:
        path = indexed.paths[name]
        hits = lib.similar(path, k=10, cut_off=False)
        assert len(hits) == 10
        assert path not in [h.path for h in hits]
        cut = lib.similar(path, k=10)
        assert path not in [h.path for h in cut]
        assert 1 <= len(cut) <= 10
        assert names(cut) == names(hits)[: len(cut)]


def test_similar_cut_off_is_not_fooled_by_the_query_photo_itself(
        indexed: IndexedLibrary) -> None:
    """The cut-off applies to the hits similar() returns: the query photo's own perfect score
    (it is left out) must not decide how many of the others are relevant."""
    lib = indexed.lib
    for name in indexed.demo.names[:6]:
        path = indexed.paths[name]
        full = lib.similar(path, k=DEMO_PHOTOS, cut_off=False)
        assert len(full) == DEMO_PHOTOS - 1
        scores = np.array([h.score for h in full], np.float32)
        library_scores = np.concatenate([[1.0], scores]).astype(np.float32)  # all 40 photos
        expected = relevance_cutoff(scores, library_scores, min_keep=3)
        cut = lib.similar(path, k=DEMO_PHOTOS)
        assert names(cut) == names(full)[:expected]


def test_similar_to_a_file_outside_the_library_and_to_raw_bytes(
        indexed: IndexedLibrary, tmp_path: Path) -> None:
    lib = indexed.lib
    right_path = right_bytes = 0
    for name in indexed.demo.names[:8]:
        outside = tmp_path / f"copy-of-{name}"
        with Image.open(indexed.demo.folder / name) as im:
            im.resize((200, 200)).save(outside, "JPEG", quality=70)
        by_path = lib.similar(outside, k=5)
        by_bytes = lib.similar(outside.read_bytes(), k=5)
        right_path += bool(by_path) and by_path[0].path == indexed.paths[name]
        right_bytes += bool(by_bytes) and by_bytes[0].path == indexed.paths[name]
    assert right_path >= 7 and right_bytes >= 7


def test_similar_rejects_unreadable_input(indexed: IndexedLibrary, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-photo.jpg"
    bogus.write_text("hello")
    with pytest.raises(InvalidQueryError):
        indexed.lib.similar(bogus)
    with pytest.raises(InvalidQueryError):
        indexed.lib.similar(b"definitely not an image")
    for side in (15_000, 20_000):  # past the pixel limit, and past Pillow's own bomb error
        with pytest.raises(InvalidQueryError, match="too large"):
            indexed.lib.similar(png_header_bytes(side, side))
    with pytest.raises(InvalidQueryError):
        indexed.lib.similar(png_header_bytes(64, 64))  # a header with no pixel data
    with pytest.raises(EngineError):
        indexed.lib.similar(tmp_path / "missing.jpg")


def png_header_bytes(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` but holds one pixel of data."""
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    body = bytearray(data[12:29])  # "IHDR" + 13 bytes
    body[4:12] = struct.pack(">II", width, height)
    data[12:29] = body
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(body)))
    return bytes(data)


# ---------------------------------------------------------------------------- query arithmetic


def _pairs(indexed: IndexedLibrary, n: int = 8) -> list[tuple[str, str, str, str]]:
    d = indexed.demo
    return [(d.names[i], d.names[i + 1], d.captions[d.names[i]][0], d.captions[d.names[i + 1]][0])
            for i in range(0, 2 * n, 2)]


def test_plus_finds_both_concepts(indexed: IndexedLibrary) -> None:
    good = 0
    for a, b, cap_a, cap_b in _pairs(indexed):
        top3 = names(indexed.lib.search(f"{cap_a} + {cap_b}", k=3, cut_off=False))
        good += a in top3 and b in top3
    assert good >= 7


def test_minus_pushes_a_concept_down(indexed: IndexedLibrary) -> None:
    good = 0
    for _a, b, cap_a, cap_b in _pairs(indexed):
        plain = names(indexed.lib.search(cap_a, k=DEMO_PHOTOS, cut_off=False))
        minus = names(indexed.lib.search(f"{cap_a} - {cap_b}", k=DEMO_PHOTOS, cut_off=False))
        assert minus.index(b) >= plain.index(b)
        good += minus.index(b) >= DEMO_PHOTOS - 4
    assert good >= 7


def test_a_leading_minus_term_is_subtracted(indexed: IndexedLibrary) -> None:
    a, b, cap_a, cap_b = _pairs(indexed, 1)[0]
    hits = names(indexed.lib.search(f"- {cap_b} + {cap_a}", k=DEMO_PHOTOS, cut_off=False))
    assert hits.index(b) >= DEMO_PHOTOS - 4


def test_weights_shift_the_balance(indexed: IndexedLibrary) -> None:
    first_a = first_b = 0
    for a, b, cap_a, cap_b in _pairs(indexed):
        first_a += names(indexed.lib.search(f"3:{cap_a} + {cap_b}", k=1, cut_off=False)) == [a]
        first_b += names(indexed.lib.search(f"{cap_a} + 3:{cap_b}", k=1, cut_off=False)) == [b]
    assert first_a >= 7 and first_b >= 7


def test_query_vector_is_the_normalised_weighted_sum_of_its_terms(
        indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    x, y, z = "a red circle on grass", "three blue stars", "on sand"
    tx, ty, tz = lib.embed_texts([x, y, z])
    expected = 2 * tx + ty - 0.5 * tz
    expected /= np.linalg.norm(expected)
    got = lib.embed_query(f"2:{x} + {y} - 0.5:{z}")
    assert float(got @ expected) > 0.9999
    assert abs(float(np.linalg.norm(got)) - 1.0) < 1e-5


def test_an_image_path_is_a_query_term(indexed: IndexedLibrary, tmp_path: Path) -> None:
    lib = indexed.lib
    good = 0
    for a, b, _cap_a, cap_b in _pairs(indexed):
        top3 = names(lib.search(f"{indexed.paths[a]} + {cap_b}", k=3, cut_off=False))
        good += a in top3 and b in top3
    assert good >= 7
    # An image outside the library works too (it is embedded on the fly), weighted or not.
    a = indexed.demo.names[0]
    outside = tmp_path / "outside.jpg"
    shutil.copy(indexed.demo.folder / a, outside)
    assert names(lib.search(str(outside), k=1)) == [a]
    assert names(lib.search(f"2:{outside} + a white cross", k=1, cut_off=False)) == [a]


def test_a_missing_image_path_in_a_query_raises(indexed: IndexedLibrary, tmp_path: Path) -> None:
    with pytest.raises(InvalidQueryError, match="does not exist"):
        indexed.lib.search(f"{tmp_path / 'nope.jpg'} + snow")


# ------------------------------------------------------------------------------------ filters


def test_folder_filter(indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    trip = indexed.in_folder("trip")
    phone_name = next(n for n, p in indexed.paths.items() if p.parent.name == "phone")
    caption = indexed.demo.captions[phone_name][0]
    hits = lib.search(caption, k=DEMO_PHOTOS, filters=SearchFilters(folder=indexed.root / "trip"),
                      cut_off=False)
    assert {h.path for h in hits} == trip
    hits = lib.search(caption, k=5, filters=SearchFilters(folder=indexed.root / "phone"))
    assert hits[0].path == indexed.paths[phone_name]
    assert all(h.path.parent.name == "phone" for h in hits)
    # A folder whose name merely starts like another is not inside it.
    assert lib.search("a star", filters=SearchFilters(folder=indexed.root / "tri")) == []


def test_folder_filter_accepts_relative_paths(indexed: IndexedLibrary,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(indexed.root)
    for folder in (Path("trip"), Path("./trip/"), Path("phone/../trip")):
        hits = indexed.lib.search("a shape", k=50, cut_off=False,
                                  filters=SearchFilters(folder=folder))
        assert {h.path for h in hits} == indexed.in_folder("trip"), folder


def test_date_filters(indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    query = "a photo of shapes"

    def taken(f: SearchFilters) -> list[str]:
        return sorted(h.taken_at for h in lib.search(query, k=DEMO_PHOTOS, filters=f,
                                                      cut_off=False))

    in_2023 = taken(SearchFilters(after=date(2023, 1, 1), before=date(2024, 1, 1)))
    assert len(in_2023) == 15 and all(t.startswith("2023-03-") for t in in_2023)
    # The 10 photos without EXIF are dated by their file's own time (a "file date").
    assert len(taken(SearchFilters(after=date(2023, 1, 1)))) == 25
    before_2022 = taken(SearchFilters(before=date(2022, 1, 1)))
    assert len(before_2022) == 15 and all(t.startswith("2021-06-") for t in before_2022)
    # after is inclusive, before exclusive: 5..9 June 2021.
    window = taken(SearchFilters(after=date(2021, 6, 5), before=date(2021, 6, 10)))
    assert [t[:10] for t in window] == [f"2021-06-{d:02d}" for d in range(5, 10)]
    assert taken(SearchFilters(after=date(2030, 1, 1))) == []


def test_camera_filter(indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    hits = lib.search("a green square", k=DEMO_PHOTOS, filters=SearchFilters(camera="pixel"),
                      cut_off=False)
    assert len(hits) == 15 and all(h.camera == "Google Pixel 7" for h in hits)
    hits = lib.search("a green square", k=DEMO_PHOTOS,
                      filters=SearchFilters(camera="canon", folder=indexed.root / "phone"),
                      cut_off=False)
    assert hits == []
    assert set(lib.cameras()) == {"Canon Canon EOS 5D", "Google Pixel 7"}


def test_filters_apply_to_similar(indexed: IndexedLibrary) -> None:
    lib = indexed.lib
    trip_photo = sorted(indexed.in_folder("trip"))[0]
    hits = lib.similar(trip_photo, k=DEMO_PHOTOS, cut_off=False,
                       filters=SearchFilters(folder=indexed.root / "phone"))
    assert len(hits) == 25 and all(h.path.parent.name == "phone" for h in hits)


# ------------------------------------------------------------------------------- vector cache


def _index_file(home: Path) -> Path:
    files = list((home / "index").glob("*.hnsw"))
    assert len(files) == 1, files
    return files[0]


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble"])
def test_a_lost_or_damaged_vector_cache_is_rebuilt(
        damage: str, small_photos: Path, open_library: Callable[..., Library], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, demo) -> None:
    monkeypatch.setattr(engine.search.first_stage, "EXACT_SEARCH_LIMIT", 0)  # search through HNSW
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result()
    queries = [demo.captions[n][0] for n in demo.names[:5]]
    before = [names(lib.search(q, k=3)) for q in queries]
    assert [b[0] for b in before] == demo.names[:5]
    lib.close()

    path = _index_file(tmp_path / "home")
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        data = bytearray(path.read_bytes())
        data[100:4000] = np.random.default_rng(0).integers(0, 256, 3900, np.uint8).tobytes()
        path.write_bytes(bytes(data))

    lib = open_library()
    assert [names(lib.search(q, k=3))[0] for q in queries] == [b[0] for b in before]
    lib.close()
    # The rebuilt cache was saved and agrees with the catalog.
    reopened = open_library()
    model_id = reopened.encoder.load().spec.model_id
    catalog_ids, _ = reopened.catalog.searchable_vectors(model_id, reopened.encoder.dim)
    cache = VectorIndex.open(_index_file(tmp_path / "home"), reopened.encoder.dim)
    assert sorted(cache.live_ids().tolist()) == sorted(catalog_ids.tolist())
    assert len(catalog_ids) == 20


def test_readers_never_rewrite_the_vector_cache(
        photos: Path, open_library: Callable[..., Library], tmp_path: Path, demo) -> None:
    """Searching is read-only: closing a library that only searched leaves the cache file alone,
    so a reader cannot overwrite a writer's newer cache with its stale copy."""
    later = photos.parent / "later"
    later.mkdir()
    for name in demo.names[30:]:
        (photos / name).rename(later / name)
    writer = open_library()
    writer.add_folder(photos)
    writer.index().result()
    path = _index_file(tmp_path / "home")
    reader = open_library()
    assert reader.search("a red circle", k=3)
    writer.add_folder(later)
    assert writer.index().result().embedded == 10
    saved = (path.stat().st_mtime_ns, path.read_bytes())
    reader.close()
    assert (path.stat().st_mtime_ns, path.read_bytes()) == saved
    writer.close()
    dim = reader.encoder.dim
    assert len(VectorIndex.open(path, dim)) == DEMO_PHOTOS


def test_hnsw_and_exact_search_agree(indexed: IndexedLibrary,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    lib, demo = indexed.lib, indexed.demo
    queries = [demo.captions[n][1] for n in demo.names[:8]]
    exact = [names(lib.search(q, k=5, cut_off=False)) for q in queries]
    monkeypatch.setattr(engine.search.first_stage, "EXACT_SEARCH_LIMIT", 0)
    ann = [names(lib.search(q, k=5, cut_off=False)) for q in queries]
    assert ann == exact
    assert [names(lib.search(q, k=5))[0] for q in queries] == [e[0] for e in exact]


# ------------------------------------------------------------------------------------- models


@pytest.fixture(scope="session")
def other_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A second tiny model: the demo architecture with freshly initialised weights."""
    import json

    import open_clip
    import torch
    from safetensors.torch import save_file

    from engine.store.paths import demo_model_dir

    folder = tmp_path_factory.mktemp("other-model")
    shutil.copy(demo_model_dir() / "open_clip_config.json", folder)
    cfg = json.loads((folder / "open_clip_config.json").read_text())
    torch.manual_seed(7)
    model = open_clip.model.CLIP(**cfg["model_cfg"])
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(folder / "open_clip_model.safetensors"))
    return f"local-dir:{folder}"


def test_switching_models_reembeds_and_never_mixes_vectors(
        small_photos: Path, open_library: Callable[..., Library], other_model: str,
        decode_calls: list[Path], demo) -> None:
    first = open_library()
    first.add_folder(small_photos)
    first.index().result()
    caption = demo.captions[demo.names[2]][0]
    first_top = first.search(caption, k=3)
    first_model = first.encoder.spec.model_id
    first.close()

    second = open_library(model=other_model)
    second_model = second.encoder.spec.model_id
    assert second_model != first_model
    st = second.status()
    assert (st.photos, st.indexed, st.pending, st.failed) == (20, 0, 20, 0)
    assert second.search(caption, k=5) == []  # no vectors of this model yet: none of the other
    decode_calls.clear()
    report = second.index().result()
    assert report.embedded == 20 and len(decode_calls) == 20
    st = second.status()
    assert (st.indexed, st.pending) == (20, 0)

    # Every vector a search with the second model scores is the second model's own.
    for name in demo.names[:4]:
        path = small_photos / name
        fresh = second.encoder.encode_images([imaging.decode_photo(path, 96).image])[0]
        hit = second.search_by_vector(fresh, k=1, cut_off=False)[0]
        assert hit.path.resolve() == path.resolve() and hit.score > 0.999
    rows = second.catalog._query("SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id")
    assert {r[0]: r[1] for r in rows} == {first_model: 20, second_model: 20}
    assert len(list((second.home / "index").glob("*.hnsw"))) == 2
    second.close()

    # The first model's vectors were kept and still serve its searches unchanged.
    again = open_library()
    assert again.status().indexed == 20
    decode_calls.clear()
    assert again.index().result().embedded == 0 and decode_calls == []
    assert [(h.photo_id, round(h.score, 5)) for h in again.search(caption, k=3)] == [
        (h.photo_id, round(h.score, 5)) for h in first_top]


def test_model_switch_with_moved_and_changed_files(
        small_photos: Path, open_library: Callable[..., Library], other_model: str,
        decode_calls: list[Path], demo) -> None:
    """Files moved or edited while another model was in use are handled once, ids kept."""
    first = open_library()
    first.add_folder(small_photos)
    first.index().result()
    first.close()

    moved_from, edited = small_photos / demo.names[0], small_photos / demo.names[1]
    (small_photos / "sub").mkdir()
    moved_to = small_photos / "sub" / demo.names[0]
    second = open_library(model=other_model)
    moved_id = second.catalog.photo_id_for_path(str(moved_from))
    edited_id = second.catalog.photo_id_for_path(str(edited))
    moved_from.rename(moved_to)
    with Image.open(edited) as im:
        im.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(edited, "JPEG", quality=85)

    report = second.index().result()
    assert report.failed == 0 and report.removed == 0
    assert second.catalog.photo_id_for_path(str(moved_to)) == moved_id
    assert second.catalog.photo_id_for_path(str(moved_from)) is None
    assert second.catalog.photo_id_for_path(str(edited)) == edited_id
    assert second.status().photos == 20 and second.status().indexed == 20
    decode_calls.clear()
    again = second.index().result()
    assert decode_calls == [] and again.embedded == 0 and again.unchanged == 20


def test_changing_the_model_during_a_run_never_mixes_vectors(
        photos: Path, tmp_path: Path, other_model: str, monkeypatch: pytest.MonkeyPatch,
        demo) -> None:
    """A run keeps writing to the index of the model it embeds with, whatever the settings
    say meanwhile; the new model's index never receives the old model's vectors."""
    monkeypatch.setattr(engine.search.first_stage, "EXACT_SEARCH_LIMIT", 0)  # search through HNSW
    gate = threading.Event()
    real = imaging.decode_photo
    held = sorted(photos.iterdir())[-1].name

    def held_decode(path: Path, min_side: int) -> imaging.DecodedPhoto:
        if Path(path).name == held:
            assert gate.wait(60)
        return real(path, min_side)

    monkeypatch.setattr(imaging, "decode_photo", held_decode)
    lib = Library.open(tmp_path / "home", device="cpu")  # the model comes from the settings
    try:
        lib.update_settings(model="demo")
        lib.add_folder(photos)
        job = lib.index()
        try:
            deadline = time.monotonic() + 60
            while lib.status().indexed == 0:
                assert time.monotonic() < deadline and not job.done()
                time.sleep(0.05)
            lib.update_settings(model=other_model)
        finally:
            gate.set()
        job.result(timeout=120)
        # The new model has no vectors yet: nothing may come back, from the index or else.
        assert lib.status().indexed == 0
        assert lib.search("a red circle", k=5, cut_off=False) == []
    finally:
        lib.close()
    with Library.open(tmp_path / "home", model="demo", device="cpu") as again:
        assert again.status().indexed == DEMO_PHOTOS
        caption = demo.captions[held][0]
        assert names(again.search(caption, k=1)) == [held]


def test_a_malformed_model_spec_is_refused_at_open(tmp_path: Path) -> None:
    for spec in ("nonsense", "hf-hub:", "ViT-B-32/", "/laion2b_s34b_b79k"):
        with pytest.raises(InvalidModelSpecError) as info:
            Library.open(tmp_path / "home", model=spec)
        assert "demo" in info.value.user_message


def test_a_missing_local_model_says_what_to_do(open_library: Callable[..., Library],
                                               tmp_path: Path) -> None:
    lib = open_library(model=f"local-dir:{tmp_path / 'no-such-model'}")
    with pytest.raises(ModelUnavailableError) as info:
        lib.search("a red circle")
    assert "no-such-model" in info.value.user_message
    assert "open_clip_config.json" in info.value.user_message


def test_a_local_model_without_weights_says_what_to_put_there(
        open_library: Callable[..., Library], tmp_path: Path) -> None:
    empty = tmp_path / "empty-model"
    empty.mkdir()
    shutil.copy(demo_model_dir() / "open_clip_config.json", empty)
    lib = open_library(model=f"local-dir:{empty}")
    with pytest.raises(ModelUnavailableError, match="open_clip_model.safetensors"):
        lib.search("a red circle")


def test_the_default_model_offline_fails_fast_with_directions(
        open_library: Callable[..., Library], tmp_path: Path) -> None:
    import huggingface_hub.constants

    assert huggingface_hub.constants.HF_HUB_OFFLINE, "conftest sets HF_HUB_OFFLINE=1 first"
    lib = open_library(model="ViT-B-32/laion2b_s34b_b79k")
    (tmp_path / "photos").mkdir()
    lib.add_folder(tmp_path / "photos")
    with pytest.raises(ModelUnavailableError) as info:
        lib.index().result(timeout=120)  # a hang guard: it must not wait on the network
    message = info.value.user_message
    assert "local-dir:" in message and "--model demo" in message
    assert "ViT-B-32/laion2b_s34b_b79k" in message
    # The failed run released the library: another run may start at once.
    with pytest.raises(ModelUnavailableError):
        lib.index().result(timeout=120)


# -------------------------------------------------------------------------------- concurrency


def test_a_second_writer_is_locked_out_while_searches_go_on(
        photos: Path, open_library: Callable[..., Library], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, demo) -> None:
    gate = threading.Event()
    real = imaging.decode_photo
    held = sorted(photos.iterdir())[-1]  # after the first full batch has been written

    def held_decode(path: Path, min_side: int) -> imaging.DecodedPhoto:
        if Path(path).name == held.name:
            assert gate.wait(60), "test never opened the gate"
        return real(path, min_side)

    monkeypatch.setattr(imaging, "decode_photo", held_decode)
    first = open_library()
    first.add_folder(photos)
    job = first.index()
    try:
        deadline = time.monotonic() + 60
        while first.status().indexed == 0:
            assert time.monotonic() < deadline and not job.done(), "nothing was indexed"
            time.sleep(0.05)
        assert not job.done()

        second = open_library()
        with pytest.raises(LibraryLockedError) as info:
            second.index()
        assert "Another PhotoSearch process" in info.value.user_message
        assert "try again" in info.value.user_message
        with pytest.raises(LibraryLockedError):
            first.index()  # the same library cannot start a second run either

        # Searches work meanwhile, in this library and in another one on the same home.
        done_names = {h.path.name for h in first.search("a shape", k=DEMO_PHOTOS,
                                                         cut_off=False)}
        assert 1 <= len(done_names) < DEMO_PHOTOS
        assert second.search("a shape", k=5, cut_off=False)
    finally:
        gate.set()
    report = job.result(timeout=120)
    assert report.embedded == DEMO_PHOTOS
    # Released: the second library may index now (nothing left to do).
    assert second.index().result(timeout=120).embedded == 0
    caption = demo.captions[held.name][0]
    assert names(second.search(caption, k=1)) == [held.name]


def test_cancelling_an_index_run_keeps_the_catalog_consistent(
        photos: Path, open_library: Callable[..., Library], decode_calls: list[Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    lib = open_library()
    lib.add_folder(photos)
    jobs: list = []
    real = imaging.decode_photo

    def slow_decode(path: Path, min_side: int) -> imaging.DecodedPhoto:
        if len(decode_calls) == 12:
            jobs[0].cancel()
        time.sleep(0.03)
        return real(path, min_side)

    monkeypatch.setattr(imaging, "decode_photo", slow_decode)
    jobs.append(lib.index())
    with pytest.raises(Cancelled):
        jobs[0].result(timeout=120)
    monkeypatch.setattr(imaging, "decode_photo", real)
    st = lib.status()
    assert st.indexed == st.photos - st.pending and st.failed == 0
    decode_calls.clear()
    report = lib.index().result(timeout=120)
    assert report.failed == 0 and lib.status().indexed == DEMO_PHOTOS
    assert len(decode_calls) == report.embedded == DEMO_PHOTOS - st.indexed


# ------------------------------------------------------------------------------- settings


def test_model_precedence_argument_environment_setting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, other_model: str) -> None:
    home = tmp_path / "home"
    with Library.open(home) as lib:
        assert lib.model_spec == "ViT-B-32/laion2b_s34b_b79k"
        lib.update_settings(model=other_model)
    with Library.open(home) as lib:
        assert lib.model_spec == other_model
        monkeypatch.setenv("PHOTOSEARCH_MODEL", "demo")
        assert lib.model_spec == "demo"
    with Library.open(home, model="hf-hub:org/repo") as lib:
        assert lib.model_spec == "hf-hub:org/repo"
        with pytest.raises(InvalidModelSpecError):
            lib.update_settings(model="nonsense")
        assert lib.settings.model == other_model  # a refused change is not stored
    monkeypatch.setenv("PHOTOSEARCH_MODEL", "nonsense")
    with pytest.raises(InvalidModelSpecError):
        Library.open(home)


def test_a_broken_settings_file_is_one_clear_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.toml").write_text("model = [unclosed\n")
    with pytest.raises(EngineError) as info:
        Library.open(home)
    assert "settings.toml" in info.value.user_message
    assert "delete it" in info.value.user_message
    (home / "settings.toml").write_text('model = "demo"\nfuture_option = 3\n')
    with Library.open(home) as lib:  # unknown keys are ignored
        assert lib.model_spec == "demo"
