"""Faces and people on real faces: the model finds every variant of two real people (Grace
Hopper from matplotlib's sample data, Eileen Collins from scikit-image), photos without people
give none, and grouping keeps each person in one group and the two apart; the user's names and
corrections survive re-clustering, re-computing, a model change and kill -9.

The library-level tests (indexing, the CLI, search) are in ``test_people_library.py``.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from real_faces import PEOPLE, VARIANTS, eileen, grace, no_face_photos

from engine.analyses import faces as faces_analysis
from engine.analyses import people
from engine.errors import ModelUnavailableError
from engine.models.faces import (
    DESCRIPTOR_SIZE,
    Face,
    FaceReader,
    default_models_dir,
    descriptor_distance,
)
from engine.store.catalog import Catalog

pytestmark = pytest.mark.faces

ROOT = Path(__file__).resolve().parents[2]
# The assignment threshold chosen from these photos (README, People).
SAME_PERSON = people.DEFAULT_THRESHOLD
VERSION = "test-v1"


@pytest.fixture(scope="module")
def reader() -> FaceReader:
    """One loaded FaceReader for the module (loading takes ~1 s)."""
    face_reader = FaceReader()
    face_reader.load()
    return face_reader


@pytest.fixture(scope="module")
def variant_faces(reader: FaceReader) -> dict:
    """Faces of every (person, variant) of the real test photos, computed once (~30 s)."""
    return {(person, name): (make(load()).size, reader.faces(make(load())))
            for person, load in PEOPLE.items() for name, make in VARIANTS.items()}

def test_every_variant_has_exactly_one_face(variant_faces: dict) -> None:
    for key, (_, faces) in variant_faces.items():
        assert len(faces) == 1, (key, [(f.score, f.box) for f in faces])


def test_boxes_are_in_original_pixels(reader: FaceReader) -> None:
    # Grace's face in the 512x600 original sits at about (160-180, 140, 370, 325).
    small = reader.faces(grace())[0]
    backdrop = Image.new("RGB", (4000, 3000), (128, 128, 128))
    backdrop.paste(grace(), (2000, 1000))
    placed = reader.faces(backdrop)[0]
    shifted = np.array(placed.box) - np.array([2000, 1000, 2000, 1000])
    # Detection ran at 1500 px (2.7x smaller) and HOG boxes snap to its pyramid levels, so the
    # box is compared by overlap; landmarks come from full pixels and agree within a few.
    assert _iou(tuple(shifted), small.box) > 0.7
    moved = np.array(placed.landmarks5) - np.array([2000, 1000])
    assert np.abs(moved - np.array(small.landmarks5)).max() <= 6
    for x, y in placed.landmarks5:
        assert placed.box[0] - 20 <= x <= placed.box[2] + 20
        assert placed.box[1] - 20 <= y <= placed.box[3] + 20


def _iou(a: tuple, b: tuple) -> float:
    inter_w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    inter_h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = inter_w * inter_h
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area


def test_descriptors_shape_and_dtype(variant_faces: dict) -> None:
    face = variant_faces[("grace", "original")][1][0]
    assert face.descriptor is not None
    assert face.descriptor.shape == (DESCRIPTOR_SIZE,)
    assert face.descriptor.dtype == np.float32
    assert len(face.landmarks5) == 5


def test_faces_too_small_to_recognise_are_kept_without_descriptor(variant_faces: dict) -> None:
    # Eileen at 0.3x: a 154 px photo whose face is ~30 px wide, found but not described.
    (face,) = variant_faces[("eileen", "scale_0.3")][1]
    assert face.width < 40
    assert face.descriptor is None


def test_each_person_within_threshold_and_people_apart(variant_faces: dict) -> None:
    described = {
        k: f[0].descriptor for k, (_, f) in variant_faces.items() if f[0].descriptor is not None
    }
    assert len(described) >= 2 * len(VARIANTS) - 1  # only Eileen at 0.3x lacks one
    for (ka, da), (kb, db) in itertools.combinations(described.items(), 2):
        distance = descriptor_distance(da, db)
        if ka[0] == kb[0]:
            assert distance < SAME_PERSON - 0.1, (ka, kb, distance)
        else:
            assert distance > SAME_PERSON + 0.1, (ka, kb, distance)


def test_no_faces_in_photos_without_people(reader: FaceReader) -> None:
    for name, photo in no_face_photos().items():
        assert reader.faces(photo) == [], name


def test_grey_palette_alpha_and_16bit_inputs(reader: FaceReader) -> None:
    base = grace()
    grey16 = Image.fromarray(np.asarray(base.convert("L"), dtype=np.uint16) * 257)
    modes = {
        "L": base.convert("L"),
        "P": base.convert("P"),
        "RGBA": base.convert("RGBA"),
        "I;16": grey16,
        "CMYK": base.convert("CMYK"),
    }
    for mode, image in modes.items():
        faces = reader.faces(image)
        assert len(faces) == 1, mode
        assert faces[0].descriptor is not None


def test_tiny_and_degenerate_images_give_no_faces(reader: FaceReader) -> None:
    for size in [(1, 1), (5, 400), (31, 31), (400, 8)]:
        assert reader.faces(Image.new("RGB", size, (200, 100, 50))) == []
    assert reader.faces(Image.new("RGB", (640, 480), (0, 0, 0))) == []


def test_huge_photo_is_reduced_for_detection(reader: FaceReader) -> None:
    # 8000x6000 (48 MP) with Grace at 4x: the face is found and described from full pixels.
    big = Image.new("RGB", (8000, 6000), (90, 110, 130))
    big.paste(grace().resize((2048, 2400)), (5000, 2000))
    (face,) = reader.faces(big)
    assert face.box[0] > 5000 and face.width > 600
    assert face.descriptor is not None
    reference = reader.faces(grace())[0].descriptor
    assert descriptor_distance(face.descriptor, reference) < 0.3


def test_exif_rotated_photo_needs_the_engine_to_orient_it(reader: FaceReader) -> None:
    # A camera file stored sideways with Orientation=6 (rotate 90 clockwise to view).
    sideways = grace().transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    sideways.save(buffer, "JPEG", quality=90, exif=exif)
    buffer.seek(0)
    with Image.open(buffer) as stored:
        # Why the engine orients first: the frontal detector does not find sideways faces.
        assert reader.faces(stored) == []
        oriented = ImageOps.exif_transpose(stored)
    assert oriented.size == (512, 600)
    assert len(reader.faces(oriented)) == 1


def _fifty_faces() -> Image.Image:
    """A 12 MP photo with 50 real faces (Grace and Eileen alternately, faces ~130 px)."""
    tiles = []
    for load, box in ((grace, (60, 40, 480, 460)), (eileen, (130, 30, 310, 210))):
        tile = load().crop(box)
        tiles.append(tile.resize((400, round(400 * tile.height / tile.width))))
    canvas = Image.new("RGB", (4000, 3000), (70, 80, 90))
    for i in range(50):
        row, col = divmod(i, 10)
        tile = tiles[(row + col) % 2]
        canvas.paste(tile, (col * 400, row * 600 + 50))
    return canvas


def test_fifty_faces_capped_descriptors(reader: FaceReader) -> None:
    capped = FaceReader(max_described=8)
    capped._detector, capped._landmarks, capped._describer = (  # share loaded models
        reader._detector,
        reader._landmarks,
        reader._describer,
    )
    faces = capped.faces(_fifty_faces())
    assert len(faces) == 50
    assert sum(f.descriptor is not None for f in faces) == 8
    scores = [f.score for f in faces]
    assert scores == sorted(scores, reverse=True)
    assert all(f.descriptor is not None for f in faces[:8])


def test_missing_models_give_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError) as caught:
        FaceReader(models_dir=tmp_path).load()
    assert "pip install" in caught.value.user_message
    assert caught.value.reason == ModelUnavailableError.FOLDER
    with pytest.raises(ModelUnavailableError):
        FaceReader(models_dir=tmp_path).faces(grace())


def test_damaged_model_file_gives_a_clear_error(tmp_path: Path) -> None:
    source = default_models_dir()
    assert source is not None
    shutil.copy(source / "shape_predictor_5_face_landmarks.dat", tmp_path)
    (tmp_path / "dlib_face_recognition_resnet_model_v1.dat").write_bytes(b"not a model" * 100)
    with pytest.raises(ModelUnavailableError) as caught:
        FaceReader(models_dir=tmp_path).load()
    assert caught.value.reason == ModelUnavailableError.LOAD_FAILED


def test_never_loads_the_non_commercial_68_point_model() -> None:
    source = ROOT / "engine" / "models" / "faces.py"
    code = source.read_text()
    assert "shape_predictor_68" not in code.replace("68-point", "")


_catalogs: list[Catalog] = []


def _connect(path: Path | str | None = None) -> sqlite3.Connection:
    """A catalog's connection (core tables, the faces and people tables)."""
    if path is None:
        path = Path(os.environ["FACES_TEST_TMP"]) / f"c{len(_catalogs)}.db"
    catalog = Catalog(Path(path))
    people.ensure_schema(catalog)
    _catalogs.append(catalog)
    return catalog.conn


@pytest.fixture(autouse=True)
def _catalog_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FACES_TEST_TMP", str(tmp_path))
    yield
    while _catalogs:
        _catalogs.pop().close()


def _ingest(
    conn: sqlite3.Connection,
    photos: dict[str, tuple[tuple[int, int], list[Face]]],
    threshold: float = people.DEFAULT_THRESHOLD,
    version: str = VERSION,
) -> None:
    """What the indexer's writer does per photo: store faces, re-attach, group new faces."""
    for content_hash, (size, faces) in photos.items():
        conn.execute("BEGIN IMMEDIATE")
        faces_analysis.store_faces(conn, content_hash, version, size, faces)
        people.reattach_rows(conn, content_hash)
        people.assign_faces(conn, content_hash, threshold)
        conn.execute("COMMIT")


@pytest.fixture()
def photos(variant_faces: dict) -> dict[str, tuple[tuple[int, int], list[Face]]]:
    """Every variant as its own photo, in a shuffled (but fixed) order."""
    items = [(f"{person}/{variant}", value) for (person, variant), value in variant_faces.items()]
    random.Random(7).shuffle(items)
    return dict(items)


def _groups(conn: sqlite3.Connection) -> dict[str, set[int]]:
    """Person ids holding each real person's faces."""
    found: dict[str, set[int]] = {"grace": set(), "eileen": set()}
    for content_hash, person_id in conn.execute(
        "SELECT content_hash, person_id FROM face_people WHERE face_index IS NOT NULL"
    ):
        found[content_hash.split("/")[0]].add(person_id)
    return found


def _person(conn: sqlite3.Connection, name: str) -> int:
    return conn.execute("SELECT id FROM people WHERE name = ?", (name,)).fetchone()[0]


def test_incremental_grouping_one_person_each(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos)
    groups = _groups(conn)
    assert len(groups["grace"]) == 1 and len(groups["eileen"]) == 1
    assert groups["grace"].isdisjoint(groups["eileen"])
    # Eileen at 0.3x is a face without descriptor: found, stored, not grouped.
    assert people.person_of(conn, "eileen/scale_0.3", 0) is None
    listed = people.list_people(conn)
    assert sorted(p.face_count for p in listed) == [17, 18]


def test_recluster_merges_fragmented_groups(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos, threshold=0.12)  # too strict on purpose: people split into groups
    fragmented = _groups(conn)
    assert len(fragmented["grace"]) > 1 and len(fragmented["eileen"]) > 1
    conn.execute("BEGIN")
    people.recluster(conn, VERSION)
    conn.execute("COMMIT")
    groups = _groups(conn)
    assert len(groups["grace"]) == 1 and len(groups["eileen"]) == 1
    assert groups["grace"].isdisjoint(groups["eileen"])
    assert len(people.list_people(conn, min_faces=1)) == 2  # empty groups were removed


def test_recluster_never_merges_two_named_people(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos, threshold=0.12)
    first, second = sorted(_groups(conn)["grace"])[:2]
    people.name_person(conn, first, "Grace")
    people.name_person(conn, second, "Amazing Grace")  # the user says: two people
    people.recluster(conn, VERSION)
    named = {p.name: p.face_count for p in people.list_people(conn)}
    assert "Grace" in named and "Amazing Grace" in named
    assert named["Grace"] + named["Amazing Grace"] == 18  # all of Grace's described faces
    assert named["Amazing Grace"] > 0
    assert len(_groups(conn)["grace"]) == 2


def test_names_survive_recluster_reindex_and_model_change(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos)
    grace_id = next(iter(_groups(conn)["grace"]))
    people.name_person(conn, grace_id, "Grace")
    people.recluster(conn, VERSION)
    assert _groups(conn)["grace"] == {grace_id}
    _ingest(conn, photos)  # a re-index: every photo's faces recomputed
    assert _groups(conn)["grace"] == {grace_id}
    # A new model: new version, boxes a little different, faces renumbered.
    shifted = {}
    for content_hash, (size, faces) in photos.items():
        moved = [
            dataclasses.replace(f, box=(f.box[0] + 3, f.box[1] - 2, f.box[2] + 4, f.box[3] + 1))
            for f in faces
        ]
        shifted[content_hash] = (size, moved)
    _ingest(conn, shifted, version="test-v2")
    people.recluster(conn, "test-v2")
    assert _groups(conn)["grace"] == {grace_id}
    assert _person(conn, "Grace") == grace_id


def test_not_this_person_is_never_undone(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos)
    grace_id = next(iter(_groups(conn)["grace"]))
    people.name_person(conn, grace_id, "Grace")
    elsewhere = people.remove_face(conn, "grace/jpeg_30", 0)
    assert elsewhere is not None and elsewhere != grace_id
    people.recluster(conn, VERSION)
    assert people.person_of(conn, "grace/jpeg_30", 0) != grace_id
    _ingest(conn, {"grace/jpeg_30": photos["grace/jpeg_30"]})  # re-index that photo
    people.recluster(conn, VERSION)
    assert people.person_of(conn, "grace/jpeg_30", 0) != grace_id
    # Merging the stray group back into Grace does not override the user's "not Grace" either.
    stray = people.person_of(conn, "grace/jpeg_30", 0)
    assert stray is not None
    people.merge_people(conn, grace_id, stray)
    assert people.person_of(conn, "grace/jpeg_30", 0) != grace_id
    # Putting it back on purpose does.
    people.assign_face_to(conn, "grace/jpeg_30", 0, grace_id)
    people.recluster(conn, VERSION)
    assert people.person_of(conn, "grace/jpeg_30", 0) == grace_id


def test_merge_survives_recluster_and_reindex(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos)
    grace_id = next(iter(_groups(conn)["grace"]))
    eileen_id = next(iter(_groups(conn)["eileen"]))
    people.name_person(conn, eileen_id, "Eileen")
    # The user says they are one person (wrong, but theirs to say): it must stick.
    people.merge_people(conn, eileen_id, grace_id)
    people.recluster(conn, VERSION)
    _ingest(conn, photos)
    people.recluster(conn, VERSION)
    groups = _groups(conn)
    assert groups["grace"] == groups["eileen"] == {eileen_id}
    assert [p.name for p in people.list_people(conn)] == ["Eileen"]


def test_hidden_person_keeps_collecting_faces_unlisted(photos: dict) -> None:
    conn = _connect()
    first_half = dict(list(photos.items())[: len(photos) // 2])
    _ingest(conn, first_half)
    eileen_id = next(iter(_groups(conn)["eileen"]))
    people.hide_person(conn, eileen_id)
    _ingest(conn, photos)
    assert _groups(conn)["eileen"] == {eileen_id}
    assert eileen_id not in {p.id for p in people.list_people(conn)}
    assert eileen_id in {p.id for p in people.list_people(conn, include_hidden=True)}


def test_two_faces_in_one_photo_are_two_people(variant_faces: dict) -> None:
    # The same face twice in one photo (a mirror): a person appears once per photo.
    (size, (face,)) = variant_faces[("grace", "original")]
    twin = dataclasses.replace(face, box=(face.box[0] + 300, *face.box[1:]))
    conn = _connect()
    _ingest(conn, {"mirror": ((size[0] + 400, size[1]), [face, twin])})
    first, second = people.person_of(conn, "mirror", 0), people.person_of(conn, "mirror", 1)
    assert first is not None and second is not None and first != second


def test_photos_with_people_together(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, photos)
    grace_id = next(iter(_groups(conn)["grace"]))
    eileen_id = next(iter(_groups(conn)["eileen"]))
    (size_g, grace_faces) = photos["grace/original"]
    (_, eileen_faces) = photos["eileen/original"]
    together = [
        grace_faces[0],
        dataclasses.replace(
            eileen_faces[0],
            box=(
                eileen_faces[0].box[0] + 600,
                *eileen_faces[0].box[1:2],
                eileen_faces[0].box[2] + 600,
                eileen_faces[0].box[3],
            ),
        ),
    ]
    _ingest(conn, {"both": ((1200, 700), together)})
    assert people.photos_with(conn, [grace_id, eileen_id]) == ["both"]
    assert len(people.photos_with(conn, [grace_id])) == 19


def test_delete_all_face_data_leaves_nothing(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, dict(list(photos.items())[:4]))
    people.name_person(conn, next(iter(people.list_people(conn, min_faces=1))).id, "Grace")
    people.delete_all_face_data(conn)
    for table in ("faces", "face_runs", "people", "face_people", "face_rejections"):
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table


def test_user_data_survives_kill_9(tmp_path: Path, photos: dict) -> None:
    db = tmp_path / "library.db"
    conn = _connect(db)
    _ingest(conn, photos)
    grace_id = next(iter(_groups(conn)["grace"]))
    _catalogs.pop().close()
    script = textwrap.dedent(
        f"""
        import os, signal, sqlite3, sys
        sys.path.insert(0, {str(ROOT)!r})
        from engine.analyses import people
        conn = sqlite3.connect({str(db)!r}, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        people.name_person(conn, {grace_id}, "Grace")
        people.remove_face(conn, "grace/flip", 0)
        conn.execute("COMMIT")
        conn.execute("BEGIN")
        people.name_person(conn, {grace_id}, "half-written")
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, cwd=ROOT)
    assert result.returncode == -signal.SIGKILL
    conn = _connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _person(conn, "Grace") == grace_id
    _ingest(conn, photos)
    people.recluster(conn, VERSION)
    assert people.person_of(conn, "grace/flip", 0) != grace_id
    assert _person(conn, "Grace") == grace_id
    assert os.path.exists(db)


def test_descriptor_blobs_round_trip(photos: dict) -> None:
    conn = _connect()
    _ingest(conn, {"grace/original": photos["grace/original"]})
    blob = conn.execute("SELECT descriptor FROM faces").fetchone()[0]
    stored = np.frombuffer(blob, dtype=np.float32)
    assert np.array_equal(stored, photos["grace/original"][1][0].descriptor)
