"""People through the library and the CLI, on real faces: indexing finds every face and groups
each person into one person; names, "not this person" and merges survive a re-index, a model
change, a move and ``kill -9``; ``--person`` and names typed in a query filter the search;
deleting face data leaves none; a missing model skips the pass with the pip command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from real_faces import VARIANTS, eileen, grace, no_face_photos

import engine.models.faces as face_models
from engine.api import Library
from engine.cli import main

pytestmark = pytest.mark.faces

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FACE_TABLES = ("faces", "face_runs", "people", "face_people", "face_rejections")
GRACE = ("original", "jpeg_30", "bright_-30", "rot_+8", "placed_1600", "crop_upper")
EILEEN = ("original", "scale_2", "flip", "grey", "placed_1600", "jpeg_60")


@pytest.fixture(scope="module")
def face_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve photos of two real people (six variants each) and four without people."""
    folder = tmp_path_factory.mktemp("faces") / "photos"
    folder.mkdir()
    for person, load, variants in (("grace", grace, GRACE), ("eileen", eileen, EILEEN)):
        for variant in variants:
            VARIANTS[variant](load()).convert("RGB").save(folder / f"{person}_{variant}.jpg",
                                                         quality=95)
    for name, photo in no_face_photos().items():
        photo.convert("RGB").save(folder / f"none_{name}.jpg", quality=95)
    return folder


@pytest.fixture(scope="module")
def indexed_home(face_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of the face folder, indexed once (meaning and faces)."""
    home = tmp_path_factory.mktemp("indexed") / "home"
    with Library.open(home, model="demo") as lib:
        lib.add_folder(face_folder)
        report = lib.index().result()
        assert [(a.name, a.error) for a in report.analyses if a.name == "faces"] == [
            ("faces", None)]
    return home


@pytest.fixture
def lib(indexed_home: Path, tmp_path: Path) -> Iterator[Library]:
    """A copy of the indexed library (the photos stay where they are)."""
    home = tmp_path / "home"
    shutil.copytree(indexed_home, home)
    with Library.open(home, model="demo") as library:
        yield library


def who(lib: Library) -> dict[str, set[int | None]]:
    """'grace' / 'eileen' / 'none' -> the people their photos' faces belong to."""
    found: dict[str, set[int | None]] = {"grace": set(), "eileen": set(), "none": set()}
    for row in lib.catalog._query("SELECT path FROM photos"):
        path = Path(row[0])
        for face in lib.faces(path):
            found[path.name.split("_")[0]].add(face.person_id)
    return found


def person_named(lib: Library, name: str) -> int:
    return next(p.id for p in lib.people(include_hidden=True, min_faces=1) if p.name == name)


def faces_pass(report: Any) -> Any:
    """The faces pass's report among the run's background passes."""
    return next(a for a in report.analyses if a.name == "faces")


def recompute_faces(lib: Library) -> None:
    """A re-index of the faces: forget which photos were analysed, then index again."""
    with lib.catalog.transaction() as conn:
        conn.execute("DELETE FROM analysis_state WHERE analysis = 'faces'")
    report = lib.index().result()
    assert faces_pass(report).done == 16


def cli(home: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--home", str(home), "--model", "demo", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_face_found_each_person_one_group_never_shared(lib: Library,
                                                            face_folder: Path) -> None:
    for path in sorted(face_folder.iterdir()):
        faces = lib.faces(path)
        expected = 0 if path.name.startswith("none_") else 1
        assert len(faces) == expected, (path.name, faces)
    groups = who(lib)
    assert len(groups["grace"]) == 1 and len(groups["eileen"]) == 1
    assert groups["grace"] != groups["eileen"] and None not in groups["grace"] | groups["eileen"]
    listed = lib.people()
    assert sorted(p.photo_count for p in listed) == [6, 6]
    assert all(p.name is None and not p.hidden for p in listed)


def test_cli_names_people_and_search_understands_and_filters(
        lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    home = lib.home
    grace_id = next(iter(who(lib)["grace"]))
    eileen_id = next(iter(who(lib)["eileen"]))
    lib.close()
    code, out, _ = cli(home, "people", "--json", capsys=capsys)
    assert code == 0
    assert {(p["id"], p["name"], p["photos"], p["hidden"]) for p in json.loads(out)} == {
        (grace_id, None, 6, False), (eileen_id, None, 6, False)}
    assert cli(home, "people", "name", str(grace_id), "Grace", capsys=capsys)[0] == 0
    assert cli(home, "people", "name", str(eileen_id), "Eileen Collins", capsys=capsys)[0] == 0
    code, out, _ = cli(home, "people", capsys=capsys)
    assert "Grace" in out and "Eileen Collins" in out

    code, out, err = cli(home, "search", "Grace beach", "--all", capsys=capsys)
    assert code == 0 and "understood: beach · person Grace" in err
    paths = [line.split()[-1] for line in out.splitlines()]
    assert len(paths) == 6 and all(Path(p).name.startswith("grace_") for p in paths)

    code, out, err = cli(home, "search", "beach", "--person", "eileen collins", "--json",
                         capsys=capsys)
    assert code == 0 and "understood" not in err
    hits = json.loads(out)
    assert hits and all(Path(h["path"]).name.startswith("eileen_") for h in hits)

    code, out, err = cli(home, "search", "Grace at the beach", "--json", capsys=capsys)
    result = json.loads(out)
    assert result["understood"]["words"] == "beach"
    assert result["understood"]["chips"] == [
        {"kind": "person", "label": "Grace", "source": "Grace"}]
    assert all(Path(h["path"]).name.startswith("grace_") for h in result["results"])

    # A name alone lists the person's photos; two people means together (none here).
    code, out, err = cli(home, "search", "grace", capsys=capsys)
    assert "understood: person Grace" in err and len(out.splitlines()) == 6
    code, out, err = cli(home, "search", "Grace", "--person", "Eileen Collins", capsys=capsys)
    assert code == 0 and out == "" and "no matching photos" in err

    # --literal: the words as typed, nothing understood.
    code, out, err = cli(home, "search", "Grace beach", "--literal", "--all", capsys=capsys)
    assert code == 0 and "understood" not in err and len(out.splitlines()) > 6

    code, out, err = cli(home, "search", "beach", "--person", "Nobody", capsys=capsys)
    assert code == 1 and "No person is called 'Nobody'" in err


def test_faces_command_and_remove_face_address_a_face(
        lib: Library, face_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = lib.home
    grace_id = next(iter(who(lib)["grace"]))
    lib.close()
    photo = face_folder / "grace_rot_+8.jpg"
    code, out, _ = cli(home, "faces", str(photo), capsys=capsys)
    assert code == 0 and out.startswith(f"face 0: person {grace_id}")
    code, out, _ = cli(home, "people", "remove-face", str(photo), "0", capsys=capsys)
    assert code == 0 and "removed" in out
    code, out, _ = cli(home, "faces", str(photo), "--json", capsys=capsys)
    (face,) = json.loads(out)
    assert face["index"] == 0 and face["person"] not in (None, grace_id)
    code, _, err = cli(home, "people", "remove-face", str(face_folder / "none_coffee.jpg"), "0",
                       capsys=capsys)
    assert code == 1 and "belongs to no person" in err


def test_names_splits_and_merges_survive_reindex_model_change_and_moves(
        lib: Library, face_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups = who(lib)
    grace_id, eileen_id = next(iter(groups["grace"])), next(iter(groups["eileen"]))
    lib.name_person(grace_id, "Grace")
    split_photo = face_folder / "grace_jpeg_30.jpg"
    elsewhere = lib.remove_face(split_photo, 0)
    assert elsewhere not in (None, grace_id)
    lib.hide_person(eileen_id)

    def check() -> None:
        assert person_named(lib, "Grace") == grace_id
        assert lib.faces(split_photo)[0].person_id != grace_id
        grace_photos = {h.path.name for h in lib.person_photos(grace_id)}
        assert grace_photos == {f"grace_{v}.jpg" for v in GRACE} - {split_photo.name}
        assert eileen_id not in {p.id for p in lib.people()}
        assert eileen_id in {p.id for p in lib.people(include_hidden=True)}
        assert who(lib)["eileen"] == {eileen_id}

    recompute_faces(lib)  # every photo's faces computed again
    check()
    lib.regroup_people()
    check()
    # A new face model (another version): everything recomputed, decisions re-attached.
    monkeypatch.setattr(face_models, "MODEL_ID", "dlib-next")
    report = lib.index().result()
    assert faces_pass(report).done == 16
    lib.regroup_people()
    check()
    # A moved and renamed photo keeps its faces' people (results follow the content).
    moved = face_folder / "grace_original.jpg"
    target = face_folder / "moved_grace.jpg"
    moved.rename(target)
    try:
        lib.index().result()
        assert lib.faces(target)[0].person_id == grace_id
    finally:
        target.rename(moved)
        lib.index().result()
    # Merging is for good: two people become one and stay one through a re-index.
    lib.hide_person(eileen_id, False)
    lib.merge_people(grace_id, eileen_id)
    recompute_faces(lib)
    lib.regroup_people()
    after = who(lib)
    assert after["eileen"] == {grace_id}
    assert [p.name for p in lib.people()] == ["Grace"]


def test_naming_and_splitting_survive_kill_9_mid_pass(face_folder: Path,
                                                      tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Library.open(home, model="demo") as lib:
        lib.add_folder(face_folder)
        lib.index().result()
        grace_id = next(iter(who(lib)["grace"]))
        lib.name_person(grace_id, "Grace")
        lib.remove_face(face_folder / "grace_bright_-30.jpg", 0)
        with lib.catalog.transaction() as conn:  # every photo's faces must be found again
            conn.execute("DELETE FROM analysis_state WHERE analysis = 'faces'")
    env = dict(os.environ, FACES_DELAY_S="0.3", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(HERE / "faces_worker.py"), str(home)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        with sqlite3.connect(home / "catalog.db", timeout=5) as conn:
            committed = conn.execute(
                "SELECT COUNT(*) FROM analysis_state WHERE analysis = 'faces'").fetchone()[0]
        if committed >= 4:
            break
    assert proc.poll() is None, proc.communicate()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 4 <= committed < 16
    with sqlite3.connect(home / "catalog.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Library.open(home, model="demo") as lib:
        assert person_named(lib, "Grace") == grace_id
        report = lib.index().result()
        assert faces_pass(report).done <= 16 - committed
        assert person_named(lib, "Grace") == grace_id
        assert lib.faces(face_folder / "grace_bright_-30.jpg")[0].person_id != grace_id
        assert len({h.path.name for h in lib.person_photos(grace_id)}) == 5
        assert who(lib)["grace"] - {grace_id} == {
            lib.faces(face_folder / "grace_bright_-30.jpg")[0].person_id}


def test_delete_all_leaves_no_face_data_and_switches_faces_off(
        lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    home = lib.home
    lib.name_person(next(iter(who(lib)["grace"])), "Grace")
    lib.close()
    code, _, err = cli(home, "people", "delete-all", capsys=capsys)
    assert code == 2 and "Names are not kept" in err
    assert cli(home, "people", "--json", capsys=capsys)[1] != "[]\n"
    code, out, _ = cli(home, "people", "delete-all", "--yes", capsys=capsys)
    assert code == 0 and "names" in out
    with sqlite3.connect(home / "catalog.db") as conn:
        for table in FACE_TABLES:
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
        assert conn.execute("SELECT COUNT(*) FROM analysis_state WHERE analysis = 'faces'"
                            ).fetchone()[0] == 0
    assert b"Grace" not in (home / "catalog.db").read_bytes()
    with Library.open(home, model="demo") as reopened:
        assert "faces" in reopened.settings.disabled_analyses
        report = reopened.index().result()
        assert [a for a in report.analyses if a.name == "faces"] == []
        assert reopened.people(min_faces=1) == []
    code, _, err = cli(home, "search", "Grace beach", capsys=capsys)
    assert "understood" not in err


def test_a_missing_face_model_skips_the_pass_with_the_pip_command(
        face_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(face_models, "default_models_dir", lambda: tmp_path)
    with Library.open(tmp_path / "home", model="demo") as lib:
        lib.add_folder(face_folder)
        report = lib.index().result()
        faces = faces_pass(report)
        assert faces.error is not None and "pip install dlib-bin face_recognition_models" in (
            faces.error)
        assert lib.search("beach", k=3)  # the meaning search works all the same
