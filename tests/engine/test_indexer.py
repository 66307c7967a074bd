"""Indexing: incremental runs, moves and duplicates, bad files, vanishing files, progress.

Every test indexes real demo photos with the real demo model; decode calls are counted by
wrapping engine.media.imaging.decode_photo (the real decoder still runs).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import DemoSet
from PIL import Image

from engine.analyses.base import AnalysisContext
from engine.analyses.registry import AnalysisSet
from engine.api import IndexProgress, Library
from engine.ingest.indexer import Indexer
from engine.ingest.scan import scan_folder
from engine.jobs import CancelToken
from engine.media import imaging
from engine.models.clip import parse_model_spec
from engine.records import Settings
from engine.store import catalog as catalog_module
from engine.store.catalog import Catalog
from engine.store.photo_vectors import VectorSink


def indexed_library(open_library: Callable[..., Library], folder: Path) -> Library:
    lib = open_library()
    lib.add_folder(folder)
    report = lib.index().result(timeout=300)
    assert report.failed == 0
    return lib


def photo_ids(lib: Library) -> dict[str, int]:
    """path -> photo id of every catalogued photo."""
    return {r[0]: r[1] for r in lib.catalog._query("SELECT path, id FROM photos")}


def top_path(lib: Library, query: str) -> Path:
    hits = lib.search(query, k=1, cut_off=False)
    assert hits
    return hits[0].path


# ------------------------------------------------------------------------ incremental runs


def test_first_run_indexes_everything_and_reports_it(
        small_photos: Path, open_library: Callable[..., Library],
        decode_calls: list[Path]) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    progress: list[IndexProgress] = []
    report = lib.index(on_progress=progress.append).result(timeout=300)
    assert (report.scanned, report.added, report.embedded, report.failed) == (20, 20, 20, 0)
    assert (report.unchanged, report.removed, report.reused) == (0, 0, 0)
    assert sorted(p.name for p in decode_calls) == sorted(p.name for p in small_photos.iterdir())
    assert progress[0].phase == "scanning" and progress[-1].phase == "done"
    assert progress[-1].done == progress[-1].total == 20
    assert all(0 <= p.done <= max(p.total, 0) or p.phase == "scanning" for p in progress)
    st = lib.status()
    assert (st.photos, st.indexed, st.pending, st.failed, st.offline) == (20, 20, 0, 0, 0)
    assert st.index_bytes > 0 and st.model == "demo"
    [folder] = st.folders
    assert (folder.path, folder.photos, folder.indexed, folder.failed) == (
        small_photos.resolve(), 20, 20, 0)


def test_a_second_run_decodes_nothing(small_photos: Path, open_library: Callable[..., Library],
                                      decode_calls: list[Path]) -> None:
    lib = indexed_library(open_library, small_photos)
    decode_calls.clear()
    report = lib.index().result(timeout=300)
    assert decode_calls == []
    assert (report.unchanged, report.embedded, report.added, report.updated) == (20, 0, 0, 0)
    lib.close()
    again = open_library()  # a fresh process sees the same
    assert again.index().result(timeout=300).unchanged == 20 and decode_calls == []


def test_renamed_and_moved_files_keep_their_id_and_vector(
        small_photos: Path, open_library: Callable[..., Library], decode_calls: list[Path],
        demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    before = photo_ids(lib)
    a, b = demo.names[0], demo.names[1]
    renamed = small_photos / "holiday.jpg"
    (small_photos / a).rename(renamed)
    (small_photos / "deep" / "er").mkdir(parents=True)
    moved = small_photos / "deep" / "er" / b
    (small_photos / b).rename(moved)
    decode_calls.clear()
    report = lib.index().result(timeout=300)
    assert decode_calls == []
    assert (report.embedded, report.removed, report.added, report.failed) == (0, 0, 0, 0)
    ids = photo_ids(lib)
    assert ids[str(renamed)] == before[str(small_photos / a)]
    assert ids[str(moved)] == before[str(small_photos / b)]
    assert str(small_photos / a) not in ids and len(ids) == 20
    assert top_path(lib, demo.captions[a][0]) == renamed
    assert top_path(lib, demo.captions[b][0]) == moved


def test_a_move_survives_a_slow_catalog_writer(
        small_photos: Path, open_library: Callable[..., Library], demo: DemoSet,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run must wait for the writer to record a move before forgetting vanished rows."""
    lib = indexed_library(open_library, small_photos)
    before = photo_ids(lib)
    real_move = Catalog.move_photo

    def slow_move(self: Catalog, *args: object, **kwargs: object) -> None:
        time.sleep(0.5)
        real_move(self, *args, **kwargs)

    monkeypatch.setattr(catalog_module.Catalog, "move_photo", slow_move)
    a = demo.names[3]
    (small_photos / "sub").mkdir()
    (small_photos / a).rename(small_photos / "sub" / a)
    report = lib.index().result(timeout=300)
    assert report.removed == 0
    ids = photo_ids(lib)
    assert ids.get(str(small_photos / "sub" / a)) == before[str(small_photos / a)]
    assert lib.status().photos == 20 and lib.status().indexed == 20
    assert top_path(lib, demo.captions[a][0]) == small_photos / "sub" / a


def test_a_duplicate_reuses_the_vector_and_both_are_found(
        small_photos: Path, open_library: Callable[..., Library], decode_calls: list[Path],
        demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    a = demo.names[5]
    (small_photos / "copies").mkdir()
    copy = small_photos / "copies" / "same-photo.jpg"
    shutil.copy(small_photos / a, copy)
    decode_calls.clear()
    report = lib.index().result(timeout=300)
    assert decode_calls == []
    assert (report.added, report.reused, report.embedded) == (1, 1, 0)
    top2 = lib.search(demo.captions[a][0], k=2, cut_off=False)
    assert {h.path for h in top2} == {small_photos / a, copy}
    assert top2[0].score == pytest.approx(top2[1].score, abs=1e-6)
    assert lib.status().indexed == 21
    # Deleting one copy keeps the other (and the shared vector).
    (small_photos / a).unlink()
    lib.index().result(timeout=300)
    assert top_path(lib, demo.captions[a][0]) == copy
    assert lib.status().indexed == 20


def test_a_modified_file_is_embedded_again(
        small_photos: Path, open_library: Callable[..., Library], decode_calls: list[Path],
        demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    a, other = demo.names[2], demo.names[30]
    target = small_photos / a
    old_id = photo_ids(lib)[str(target)]
    # New content: another scene, written over the file.
    shutil.copy(demo.folder / other, target)
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))
    decode_calls.clear()
    report = lib.index().result(timeout=300)
    assert decode_calls == [target]
    assert (report.embedded, report.updated, report.added) == (1, 1, 0)
    assert photo_ids(lib)[str(target)] == old_id
    assert top_path(lib, demo.captions[other][0]) == target
    assert top_path(lib, demo.captions[a][0]) != target
    # The old content's vector is gone from the catalog.
    model_id = lib.encoder.spec.model_id
    n_vectors = lib.catalog._query("SELECT COUNT(*) FROM embeddings WHERE model_id = ?",
                                   (model_id,))[0][0]
    assert n_vectors == 20


def test_a_touched_but_unchanged_file_is_not_decoded(
        small_photos: Path, open_library: Callable[..., Library],
        decode_calls: list[Path], demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    target = small_photos / demo.names[4]
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    decode_calls.clear()
    report = lib.index().result(timeout=300)
    assert decode_calls == [] and report.embedded == 0
    decode_calls.clear()
    assert lib.index().result(timeout=300).unchanged == 20 and decode_calls == []


def test_deleted_files_vanish_from_results_and_catalog(
        small_photos: Path, open_library: Callable[..., Library], demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    gone = [small_photos / n for n in demo.names[:3]]
    for path in gone:
        path.unlink()
    report = lib.index().result(timeout=300)
    assert report.removed == 3
    st = lib.status()
    assert (st.photos, st.indexed, st.pending) == (17, 17, 0)
    hits = lib.search("a shape", k=50, cut_off=False)
    assert len(hits) == 17 and not {h.path for h in hits} & set(gone)
    for path in gone:
        assert lib.catalog.photo_id_for_path(str(path)) is None
    model_id = lib.encoder.spec.model_id
    assert lib.catalog._query("SELECT COUNT(*) FROM embeddings WHERE model_id = ?",
                              (model_id,))[0][0] == 17


def test_removing_a_folder_forgets_its_photos(
        tmp_path: Path, open_library: Callable[..., Library], demo: DemoSet) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for n in demo.names[:6]:
        shutil.copy(demo.folder / n, first / n)
    for n in demo.names[6:10]:
        shutil.copy(demo.folder / n, second / n)
    shutil.copy(demo.folder / demo.names[0], second / "dup.jpg")  # shared content
    lib = open_library()
    lib.add_folder(first)
    lib.add_folder(second)
    lib.index().result(timeout=300)
    lib.remove_folder(first)
    st = lib.status()
    assert (st.photos, st.indexed) == (5, 5) and [f.path for f in st.folders] == [second]
    hits = lib.search(demo.captions[demo.names[0]][0], k=10, cut_off=False)
    assert {h.path.parent for h in hits} == {second}
    assert hits[0].path == second / "dup.jpg"  # the shared vector was kept
    with pytest.raises(Exception, match="not a library folder"):
        lib.remove_folder(first)


def test_paused_and_offline_folders(tmp_path: Path, open_library: Callable[..., Library],
                                    demo: DemoSet, decode_calls: list[Path]) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    for n in demo.names[:5]:
        shutil.copy(demo.folder / n, folder / n)
    lib = open_library()
    lib.add_folder(folder)
    lib.set_folder_paused(folder, True)
    assert lib.index().result(timeout=300).scanned == 0 and decode_calls == []
    lib.set_folder_paused(folder, False)
    assert lib.index().result(timeout=300).embedded == 5
    # An unplugged drive: its photos are kept but hidden, and come back without re-embedding.
    hidden = tmp_path / "unplugged"
    folder.rename(hidden)
    report = lib.index().result(timeout=300)
    assert report.removed == 0
    st = lib.status()
    assert st.photos == 5 and st.offline == 5 and not st.folders[0].online
    assert lib.search("a shape", k=10, cut_off=False) == []
    hidden.rename(folder)
    decode_calls.clear()
    lib.index().result(timeout=300)
    assert decode_calls == [] and len(lib.search("a shape", k=10, cut_off=False)) == 5


def test_excluded_and_non_photo_files_are_skipped(tmp_path: Path, demo: DemoSet) -> None:
    root = tmp_path / "photos"
    for sub in (".thumbnails", "@eaDir", "keep"):
        (root / sub).mkdir(parents=True)
        shutil.copy(demo.folder / demo.names[0], root / sub / "a.jpg")
    (root / "notes.txt").write_text("hello")
    (root / "keep" / "B.JPG").write_bytes((demo.folder / demo.names[1]).read_bytes())
    os.symlink(root, root / "keep" / "loop")  # a symlink loop must not hang the scan
    found = sorted(Path(f.path).relative_to(root).as_posix() for f in scan_folder(root).files)
    assert found == ["keep/B.JPG", "keep/a.jpg"]


# ------------------------------------------------------------------------------ bad input


@pytest.fixture
def bad_folder(tmp_path: Path, demo: DemoSet) -> Path:
    """Five good demo photos and five bad files."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for n in demo.names[:5]:
        shutil.copy(demo.folder / n, folder / n)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.jpg").write_text("this is not a photo\n" * 20)
    good = (demo.folder / demo.names[6]).read_bytes()
    (folder / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (folder / "noise.png").write_bytes(np.random.default_rng(1).bytes(5000))
    shutil.copy(demo.folder / demo.names[7], folder / "locked.jpg")
    return folder


@pytest.fixture
def locked_files(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """File names whose opening raises PermissionError (chmod 000 does not stop root)."""
    names = {"locked.jpg"}
    real_open = open

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | os.PathLike) and Path(file).name in names:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(imaging, "open", guarded_open, raising=False)
    return names


EXPECTED_REASONS = {
    "empty.jpg": "empty",
    "text.jpg": "not an image",
    "truncated.jpg": "truncated or corrupt",
    "noise.png": "not an image",
    "locked.jpg": "permission denied",
}


def test_bad_files_are_recorded_and_the_run_goes_on(
        bad_folder: Path, locked_files: set[str], open_library: Callable[..., Library],
        decode_calls: list[Path], demo: DemoSet) -> None:
    lib = open_library()
    lib.add_folder(bad_folder)
    report = lib.index().result(timeout=300)
    assert report.embedded == 5 and report.failed == 5
    assert {f.path.name for f in report.failures} == set(EXPECTED_REASONS)
    failures = {f.path.name: f.reason for f in lib.failures()}
    assert set(failures) == set(EXPECTED_REASONS)
    for name, fragment in EXPECTED_REASONS.items():
        assert fragment in failures[name].lower(), (name, failures[name])
    st = lib.status()
    assert (st.photos, st.indexed, st.pending, st.failed) == (10, 5, 0, 5)
    assert {f.path.name for f in st.failures} == set(EXPECTED_REASONS)
    hits = lib.search("a shape", k=20, cut_off=False)
    assert {h.path.name for h in hits} == set(demo.names[:5])
    assert top_path(lib, demo.captions[demo.names[2]][0]).name == demo.names[2]

    # Unchanged failures are not tried again ...
    decode_calls.clear()
    again = lib.index().result(timeout=300)
    assert decode_calls == [] and again.failed == 0 and again.unchanged == 10
    assert len(lib.failures()) == 5
    # ... unless asked to.
    locked_files.clear()  # the permission problem was fixed meanwhile
    retried = lib.index(retry_failed=True).result(timeout=300)
    assert {p.name for p in decode_calls} == set(EXPECTED_REASONS)
    assert retried.failed == 4 and retried.embedded == 1
    assert {f.path.name for f in lib.failures()} == set(EXPECTED_REASONS) - {"locked.jpg"}
    assert lib.status().indexed == 6


def test_a_repaired_file_is_indexed_on_the_next_run(
        bad_folder: Path, open_library: Callable[..., Library], demo: DemoSet) -> None:
    lib = open_library()
    lib.add_folder(bad_folder)
    lib.index().result(timeout=300)
    assert "truncated.jpg" in {f.path.name for f in lib.failures()}
    shutil.copy(demo.folder / demo.names[6], bad_folder / "truncated.jpg")
    report = lib.index().result(timeout=300)
    assert report.embedded >= 1
    assert "truncated.jpg" not in {f.path.name for f in lib.failures()}
    assert top_path(lib, demo.captions[demo.names[6]][0]).name == "truncated.jpg"


@pytest.mark.parametrize("stage", ["hash", "decode"])
def test_a_file_vanishing_mid_run_does_not_crash(
        stage: str, small_photos: Path, open_library: Callable[..., Library],
        monkeypatch: pytest.MonkeyPatch, demo: DemoSet) -> None:
    victim = demo.names[7]
    name = "content_hash" if stage == "hash" else "decode_photo"
    real = getattr(imaging, name)

    def vanishing(path: Path, *args: object) -> object:
        if Path(path).name == victim and Path(path).exists():
            Path(path).unlink()
        return real(path, *args)

    monkeypatch.setattr(imaging, name, vanishing)
    lib = open_library()
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert report.embedded == 19
    assert lib.catalog.photo_id_for_path(str(small_photos / victim)) is None
    assert lib.status().photos == 19 and lib.status().indexed == 19
    assert victim not in {h.path.name for h in lib.search("a shape", k=40, cut_off=False)}


def test_an_indexed_file_vanishing_mid_run_is_forgotten(
        small_photos: Path, open_library: Callable[..., Library],
        monkeypatch: pytest.MonkeyPatch, demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    victim = small_photos / demo.names[8]
    # Edited, so it is read again, and deleted just as it is read.
    Image.open(demo.folder / demo.names[9]).save(victim, "JPEG", quality=80)
    real = imaging.content_hash

    def vanishing(path: Path) -> str:
        if Path(path) == victim:
            victim.unlink()
        return real(path)

    monkeypatch.setattr(imaging, "content_hash", vanishing)
    report = lib.index().result(timeout=300)
    assert report.failed == 0
    assert lib.catalog.photo_id_for_path(str(victim)) is None
    assert lib.status().photos == 19
    assert victim not in {h.path for h in lib.search("a shape", k=40, cut_off=False)}


def test_an_unreadable_subfolder_is_reported_not_fatal(
        small_photos: Path, open_library: Callable[..., Library],
        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = small_photos / "secret"
    secret.mkdir()
    real_scandir = os.scandir

    def guarded(path: object = ".") -> object:
        if Path(str(path)) == secret:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    lib = open_library()
    lib.add_folder(small_photos)
    report = lib.index().result(timeout=300)
    assert report.embedded == 20
    assert [(f.path, "permission denied" in f.reason) for f in report.failures] == [
        (secret, True)]


# ------------------------------------------------------------- bookkeeping with a fake model


class FakeEncoder:
    """Deterministic stand-in for bookkeeping tests: a vector from the pixels' mean colour."""

    def __init__(self) -> None:
        self.spec = parse_model_spec("local-dir:/fake-model-for-tests")
        self.image_size = 8
        self.dim = 4

    def load(self) -> FakeEncoder:
        return self

    def preprocess(self, image: Image.Image) -> object:
        import torch

        return torch.from_numpy(np.asarray(image.resize((8, 8)), np.float32).copy())

    def encode_pixel_batch(self, pixels: object) -> np.ndarray:
        arr = np.asarray(pixels, np.float32).mean(axis=(1, 2))
        vecs = np.concatenate([arr, np.ones((len(arr), 1), np.float32)], axis=1)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


class RecordingSink(VectorSink):
    def __init__(self) -> None:
        self.vectors: dict[int, np.ndarray] = {}

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        for i, v in zip(ids, vectors, strict=True):
            self.vectors[int(i)] = v

    def remove(self, ids: list[int]) -> None:
        for i in ids:
            self.vectors.pop(int(i), None)


def test_the_vector_sink_mirrors_the_catalog(tmp_path: Path, demo: DemoSet) -> None:
    """Whatever a run does, the sink ends up holding exactly the catalog's searchable vectors."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for n in demo.names[:12]:
        shutil.copy(demo.folder / n, folder / n)
    catalog = Catalog(tmp_path / "catalog.db")
    catalog.add_folder(folder)
    encoder = FakeEncoder()
    sink = RecordingSink()
    context = AnalysisContext(catalog, Settings(), tmp_path,
                              {"encoder": encoder, "vectors": sink})
    indexer = Indexer(catalog, AnalysisSet(context).meaning, batch_size=5)

    def run_and_compare() -> None:
        indexer.run(CancelToken(), lambda p: None)
        ids, vecs = catalog.searchable_vectors(encoder.spec.model_id, encoder.dim)
        assert sorted(sink.vectors) == sorted(ids.tolist())
        for i, v in zip(ids, vecs, strict=True):
            np.testing.assert_allclose(sink.vectors[int(i)], v, rtol=1e-6)

    run_and_compare()
    assert len(sink.vectors) == 12
    (folder / demo.names[0]).rename(folder / "renamed.jpg")
    (folder / demo.names[1]).unlink()
    shutil.copy(folder / demo.names[2], folder / "dup.jpg")
    (folder / demo.names[3]).write_bytes(b"broken")
    Image.open(demo.folder / demo.names[20]).save(folder / demo.names[4], "JPEG")
    run_and_compare()
    assert len(sink.vectors) == 11  # 12 - deleted - broken + duplicate
    catalog.close()


def test_a_progress_callback_that_raises_stops_the_run_cleanly(
        small_photos: Path, open_library: Callable[..., Library]) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    calls = []

    def broken(p: IndexProgress) -> None:
        calls.append(p)
        if p.phase == "embedding":
            raise RuntimeError("callback bug")

    with pytest.raises(RuntimeError, match="callback bug"):
        lib.index(on_progress=broken).result(timeout=300)
    # The library is not left locked and the next run completes.
    report = lib.index().result(timeout=300)
    assert lib.status().indexed == 20 and report.failed == 0


def test_index_jobs_can_be_paused(small_photos: Path, open_library: Callable[..., Library],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    started = threading.Event()
    job_box: list = []
    real = imaging.decode_photo

    def pausing(path: Path, min_side: int) -> imaging.DecodedPhoto:
        if not started.is_set():
            job_box[0].pause()
            started.set()
        return real(path, min_side)

    monkeypatch.setattr(imaging, "decode_photo", pausing)
    job_box.append(lib.index())
    assert started.wait(60)
    time.sleep(0.5)
    assert job_box[0].paused and not job_box[0].done()
    job_box[0].resume()
    assert job_box[0].result(timeout=300).embedded == 20


def test_adding_a_parent_of_a_library_folder_indexes_each_photo_once(
        tmp_path: Path, open_library: Callable[..., Library], demo: DemoSet,
        decode_calls: list[Path]) -> None:
    parent = tmp_path / "Pictures"
    child = parent / "Phone"
    child.mkdir(parents=True)
    for n in demo.names[:4]:
        shutil.copy(demo.folder / n, parent / n)
    for n in demo.names[4:8]:
        shutil.copy(demo.folder / n, child / n)
    lib = open_library()
    lib.add_folder(child)
    lib.index().result(timeout=300)
    child_ids = photo_ids(lib)
    lib.add_folder(parent)
    first = lib.index().result(timeout=300)
    assert first.added == 4 and first.removed == 0
    assert photo_ids(lib) == {**child_ids, **{k: v for k, v in photo_ids(lib).items()
                                              if k not in child_ids}}
    st = lib.status()
    assert st.photos == 8 and st.indexed == 8
    assert sum(f.photos for f in st.folders) == 8
    # Nothing changed on disk: nothing is read again, run after run.
    for _ in range(2):
        report = lib.index().result(timeout=300)
        assert (report.unchanged, report.added, report.updated, report.reused) == (8, 0, 0, 0)
    assert len(lib.search("a shape", k=20, cut_off=False)) == 8


def test_a_photo_that_turns_corrupt_leaves_the_results(
        small_photos: Path, open_library: Callable[..., Library], demo: DemoSet) -> None:
    lib = indexed_library(open_library, small_photos)
    victim = small_photos / demo.names[6]
    victim.write_bytes(victim.read_bytes()[:300])
    report = lib.index().result(timeout=300)
    assert report.failed == 1 and report.failures[0].path == victim
    st = lib.status()
    assert (st.photos, st.indexed, st.failed) == (20, 19, 1)
    assert victim not in {h.path for h in lib.search("a shape", k=40, cut_off=False)}
    assert lib.search(demo.captions[demo.names[6]][0], k=1)[0].path != victim


def test_exclude_patterns_from_the_settings(small_photos: Path,
                                            open_library: Callable[..., Library]) -> None:
    private = small_photos / "private-2024"
    private.mkdir()
    for path in sorted(small_photos.glob("*.jpg"))[:5]:
        path.rename(private / path.name)
    lib = open_library()
    lib.update_settings(exclude=("private-*",))
    lib.add_folder(small_photos)
    assert lib.index().result(timeout=300).scanned == 15
    lib.close()
    again = open_library()  # the setting was stored
    assert again.settings.exclude == ("private-*",)
    assert again.index().result(timeout=300).scanned == 15
