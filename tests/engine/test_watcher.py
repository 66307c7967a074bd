"""The watcher keeps the library current: new, changed, moved, deleted and unplugged photos.

Real engine, real demo model, real watchdog events on temp folders. The model is loaded once
per module and shared by the libraries (``ClipEncoder`` is thread-safe); an
:class:`EmbedCounter` around it counts the photos that go through the model.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DemoSet
from watch_support import (
    EmbedCounter,
    assert_index_matches_catalog,
    disk_photos,
    photo_ids,
    photo_rows,
    searchable,
    tagged_jpeg,
    wait_for,
    write_file,
)

from engine.api import Library, WatchEvent
from engine.errors import LibraryLockedError
from engine.models.clip import ClipEncoder, parse_model_spec


@pytest.fixture(scope="module")
def encoder() -> ClipEncoder:
    """The demo model, loaded once for the module."""
    return ClipEncoder(parse_model_spec("demo"), "cpu").load()


@dataclass
class Watched:
    """A library watching ``roots``, the events it sent and the photos it embedded."""

    lib: Library
    roots: list[Path]
    embeds: EmbedCounter
    events: list[WatchEvent] = field(default_factory=list)
    watch: object = None

    def kinds(self, kind: str) -> list[WatchEvent]:
        return [e for e in list(self.events) if e.kind == kind]

    def idle(self) -> None:
        assert self.watch.wait_idle(timeout=60), "the watch did not settle"


@pytest.fixture
def open_lib(tmp_path: Path, encoder: ClipEncoder,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Watched]]:
    """Open a library on ``roots`` (sharing the loaded model); ``watch=True`` starts watching
    and waits for the catch-up pass. Everything is closed afterwards."""
    counter = EmbedCounter(encoder)
    monkeypatch.setattr(encoder, "encode_pixel_batch", counter)
    opened: list[Library] = []

    def factory(*roots: Path, watch: bool = True, exclude: tuple[str, ...] = ()) -> Watched:
        lib = Library.open(tmp_path / "home", model="demo", device="cpu")
        lib._model._encoder = encoder
        opened.append(lib)
        if exclude:
            lib.update_settings(exclude=exclude)
        for root in roots:
            if root.resolve() not in [f.path for f in lib.folders()]:
                lib.add_folder(root)
        w = Watched(lib, [r.resolve() for r in roots], counter)
        if watch:
            w.watch = lib.watch(on_event=w.events.append)
            assert w.watch.wait_reconciled(60)
            w.idle()
        return w

    yield factory
    for lib in reversed(opened):
        lib.close()


def make_root(tmp_path: Path, name: str, demo: DemoSet, picks: dict[str, int]) -> Path:
    """A folder holding demo photos: relative path -> demo photo number."""
    root = (tmp_path / name).resolve()
    root.mkdir()
    for rel, n in picks.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(demo.folder / demo.names[n], root / rel)
    return root


def top_path(lib: Library, path: Path) -> Path | None:
    """The best hit when searching with the photo itself as the query."""
    hits = lib.search(str(path), k=1, cut_off=False)
    return hits[0].path if hits else None


def test_new_changed_and_deleted_photos_follow_the_disk(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    root = make_root(tmp_path, "photos", demo, {"a.jpg": 0, "b.jpg": 1})
    w = open_lib(root)
    lib = w.lib
    assert w.embeds.count == 2 and set(photo_ids(lib)) == disk_photos(root)

    new = root / "new.jpg"
    write_file(new, (demo.folder / demo.names[2]).read_bytes())
    wait_for(lambda: lib.catalog.photo_id_for_path(str(new)), what="the new photo")
    assert top_path(lib, new) == new
    assert w.embeds.count == 3
    photo_id = lib.catalog.photo_id_for_path(str(new))
    old_hash = photo_rows(lib)[str(new)][2]

    write_file(new, (demo.folder / demo.names[3]).read_bytes())  # changed in place
    wait_for(lambda: photo_rows(lib)[str(new)][2] != old_hash, what="the change")
    assert lib.catalog.photo_id_for_path(str(new)) == photo_id
    assert w.embeds.count == 4
    assert top_path(lib, new) == new

    new.unlink()
    wait_for(lambda: lib.catalog.photo_id_for_path(str(new)) is None, what="the deletion")
    hits = lib.search("a photo", k=100, cut_off=False)
    assert {h.path for h in hits} == {root / "a.jpg", root / "b.jpg"}
    w.idle()
    assert_index_matches_catalog(lib)
    assert {e.kind for e in w.events} >= {"watching", "reconciled", "indexed", "removed"}
    assert w.embeds.count == 4 and not lib.failures()


def test_a_sidecar_written_beside_a_photo_updates_its_captions(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    root = make_root(tmp_path, "photos", demo, {"a.jpg": 0, "b.jpg": 1})
    w = open_lib(root)
    lib = w.lib
    (root / "a.txt").write_text("Sunday market in the square")
    wait_for(lambda: [c.text for c in lib.photo_captions(root / "a.jpg")]
             == ["Sunday market in the square"], what="the new sidecar's caption")
    assert lib.search("sunday market", k=1)[0].path == root / "a.jpg"
    (root / "a.txt").rename(root / "b.jpg.txt")  # now it is b's caption, not a's
    wait_for(lambda: [c.text for c in lib.photo_captions(root / "b.jpg")]
             == ["Sunday market in the square"], what="the renamed sidecar")
    wait_for(lambda: lib.photo_captions(root / "a.jpg") == [], what="a's caption gone")
    w.idle()
    assert w.embeds.count == 2  # captions only: no photo was embedded again
    assert_index_matches_catalog(lib)


def test_a_file_is_read_only_once_complete(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched],
        decode_calls: list[Path]) -> None:
    root = make_root(tmp_path, "photos", demo, {})
    w = open_lib(root)
    lib = w.lib
    data = (demo.folder / demo.names[5]).read_bytes()
    slow = root / "slow.jpg"
    with open(slow, "wb") as f:  # a copy that takes a while, writing every 0.3 s
        for start in range(0, len(data), len(data) // 6 + 1):
            f.write(data[start:start + len(data) // 6 + 1])
            f.flush()
            time.sleep(0.3)
            assert lib.catalog.photo_id_for_path(str(slow)) is None
    wait_for(lambda: lib.catalog.photo_id_for_path(str(slow)), what="the finished copy")
    assert decode_calls.count(slow) == 1 and not lib.failures()

    # A writer that stalls for longer than the settle time may be read half-way; the file is
    # then recorded as failed, and read again (successfully) once the write completes.
    stalled = root / "stalled.jpg"
    with open(stalled, "wb") as f:
        f.write(data[: len(data) // 2])
        f.flush()
        time.sleep(2.0)
        f.write(data[len(data) // 2:])
    w.idle()
    wait_for(lambda: photo_rows(lib).get(str(stalled), (0, 0, None, "x"))[3] is None,
             what="the stalled copy to be indexed")
    assert not lib.failures()
    assert top_path(lib, stalled) in (stalled, slow)  # the same picture
    assert_index_matches_catalog(lib)


def test_moves_and_renames_keep_ids_and_vectors(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    a = make_root(tmp_path, "a", demo, {"one.jpg": 0, "two.jpg": 1, "three.jpg": 2,
                                        "trip/four.jpg": 3, "trip/deep/five.jpg": 4})
    b = make_root(tmp_path, "b", demo, {})
    w = open_lib(a, b)
    lib = w.lib
    before = photo_ids(lib)
    embedded = w.embeds.count

    os.rename(a / "one.jpg", a / "renamed.jpg")
    (a / "sub").mkdir()
    os.rename(a / "two.jpg", a / "sub" / "two.jpg")
    os.rename(a / "trip", a / "holiday")  # a folder with a subfolder
    os.rename(a / "three.jpg", b / "three.jpg")  # into another library folder
    w.idle()

    after = photo_ids(lib)
    assert set(after) == disk_photos(a, b)
    assert after[str(a / "renamed.jpg")] == before[str(a / "one.jpg")]
    assert after[str(a / "sub" / "two.jpg")] == before[str(a / "two.jpg")]
    assert after[str(a / "holiday" / "four.jpg")] == before[str(a / "trip" / "four.jpg")]
    assert (after[str(a / "holiday" / "deep" / "five.jpg")]
            == before[str(a / "trip" / "deep" / "five.jpg")])
    assert after[str(b / "three.jpg")] == before[str(a / "three.jpg")]
    assert w.embeds.count == embedded, "a moved photo was embedded again"
    assert top_path(lib, a / "holiday" / "four.jpg") == a / "holiday" / "four.jpg"
    assert lib.photo(after[str(b / "three.jpg")]).folder == b
    assert len(w.kinds("moved")) >= 5
    assert_index_matches_catalog(lib)


def test_catch_up_on_start_without_blocking_search(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    root = make_root(tmp_path, "photos", demo, {f"p{n}.jpg": n for n in range(4)})
    w = open_lib(root, watch=False)
    w.lib.index().result(timeout=120)
    before = photo_ids(w.lib)
    w.lib.close()

    # While nothing watches: 16 new photos, one changed, one deleted, one renamed.
    for n in range(4, 20):
        shutil.copyfile(demo.folder / demo.names[n], root / f"p{n}.jpg")
    write_file(root / "p0.jpg", (demo.folder / demo.names[30]).read_bytes())
    (root / "p1.jpg").unlink()
    os.rename(root / "p2.jpg", root / "renamed.jpg")

    w = open_lib(root, watch=False)
    lib = w.lib
    lib._vector_index()
    embedded = w.embeds.count
    searches_during: list[int] = []
    errors: list[BaseException] = []
    watch_started = threading.Event()

    def search_loop() -> None:
        watch_started.wait()
        while not w.watch.reconciled:
            try:
                hits = lib.search("a photo", k=5, cut_off=False)
                searches_during.append(len(hits))
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                return

    searcher = threading.Thread(target=search_loop)
    searcher.start()
    w.watch = lib.watch(on_event=w.events.append)
    watch_started.set()
    assert w.watch.wait_reconciled(60)
    searcher.join()
    assert not errors and searches_during and all(n > 0 for n in searches_during)
    w.idle()
    after = photo_ids(lib)
    assert set(after) == disk_photos(root)
    assert after[str(root / "renamed.jpg")] == before[str(root / "p2.jpg")]
    assert after[str(root / "p0.jpg")] == before[str(root / "p0.jpg")]
    assert w.embeds.count - embedded == 17  # the new ones and the changed one, nothing else
    assert_index_matches_catalog(lib)


def test_an_unplugged_folder_goes_offline_and_returns_without_reembedding(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    a = make_root(tmp_path, "drive", demo, {"x.jpg": 0, "y.jpg": 1, "sub/z.jpg": 2})
    b = make_root(tmp_path, "local", demo, {"l.jpg": 3})
    w = open_lib(a, b)
    lib = w.lib
    before = photo_ids(lib)
    embedded = w.embeds.count

    os.rename(a, tmp_path / "unplugged")
    wait_for(lambda: not next(f for f in lib.folders() if f.path == a).online,
             what="the folder to go offline")
    assert photo_ids(lib) == before  # kept in the catalog
    hits = lib.search("a photo", k=100, cut_off=False)
    assert {h.path for h in hits} == {b / "l.jpg"}
    assert lib.status().offline == 3
    assert_index_matches_catalog(lib)

    os.rename(tmp_path / "unplugged", a)
    wait_for(lambda: next(f for f in lib.folders() if f.path == a).online,
             what="the folder to come back")
    w.idle()
    assert photo_ids(lib) == before
    assert w.embeds.count == embedded
    assert len(lib.search("a photo", k=100, cut_off=False)) == 4
    assert [e.path for e in w.kinds("offline")] == [a]
    assert [e.path for e in w.kinds("online")] == [a]
    assert_index_matches_catalog(lib)


def test_index_hides_an_offline_folder_from_the_vector_index(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    a = make_root(tmp_path, "drive", demo, {"x.jpg": 0, "y.jpg": 1})
    b = make_root(tmp_path, "local", demo, {"l.jpg": 3})
    w = open_lib(a, b, watch=False)
    lib = w.lib
    lib.index().result(timeout=120)
    ids = photo_ids(lib)
    os.rename(a, tmp_path / "away")
    lib.index().result(timeout=120)
    assert photo_ids(lib) == ids
    assert {int(i) for i in lib._vector_index().live_ids()} == {ids[str(b / "l.jpg")]}
    assert_index_matches_catalog(lib)
    os.rename(tmp_path / "away", a)
    report = lib.index().result(timeout=120)
    assert report.embedded == 0 and report.unchanged == 3
    assert len(lib._vector_index()) == 3
    assert_index_matches_catalog(lib)


def test_excluded_folders_odd_names_and_unreadable_folders(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path, "photos", demo, {
        "ok.jpg": 0, ".hidden/h.jpg": 1, "@eaDir/t.jpg": 2, ".git/g.jpg": 3,
        "private_x.jpg": 4, "locked/l.jpg": 5, "album/.thumbnails/t.jpg": 6})
    odd = os.fsencode(root) + b"/caf\xe9-\xff.jpg"  # not valid UTF-8
    with open(odd, "wb") as f:
        f.write((demo.folder / demo.names[7]).read_bytes())
    (root / "album" / "loop").symlink_to(root)  # a symlink loop
    locked = root / "locked"
    if os.geteuid() == 0:  # root reads anything: make the folder refuse like chmod 000 would
        real_scandir = os.scandir

        def refusing(path: object = ".") -> object:
            if os.fspath(path) == str(locked):  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", str(locked))
            return real_scandir(path)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", refusing)
    else:
        locked.chmod(0)

    try:
        w = open_lib(root, exclude=("private*",))
        lib = w.lib
        reconciled = w.kinds("reconciled")[0].detail
        assert reconciled.startswith("2 photos: 2 embedded")
        failed = {e.path: e.detail for e in w.kinds("failed")}
        assert set(failed) == {locked, root / "album" / "loop"}
        assert "permission denied" in failed[locked]
        assert f"link to {root}" in failed[root / "album" / "loop"]
        odd_path = os.fsdecode(odd)
        assert set(photo_ids(lib)) == {str(root / "ok.jpg"), odd_path}
        hit = lib.search_by_vector(lib.embed_texts(["a photo"])[0], k=10, cut_off=False)
        assert odd_path in {str(h.path) for h in hit}
        assert all(os.path.exists(h.path) for h in hit)

        # While watching: files in excluded places are ignored, odd names are indexed.
        write_file(root / ".hidden" / "new.jpg", (demo.folder / demo.names[8]).read_bytes())
        write_file(root / "private_y.jpg", (demo.folder / demo.names[9]).read_bytes())
        write_file(root / "album" / ".thumbnails" / "u.jpg",
                   (demo.folder / demo.names[10]).read_bytes())
        odd2 = os.fsencode(root) + b"/\x80\x81.jpg"
        with open(odd2, "wb") as f:
            f.write((demo.folder / demo.names[11]).read_bytes())
        wait_for(lambda: lib.catalog.photo_id_for_path(os.fsdecode(odd2)), what="odd name")
        os.rename(odd2, os.fsencode(root) + b"/renamed-\xfe.jpg")
        wait_for(lambda: lib.catalog.photo_id_for_path(
            os.fsdecode(os.fsencode(root) + b"/renamed-\xfe.jpg")), what="odd rename")
        w.idle()
        assert len(photo_ids(lib)) == 3 and not lib.failures()
        assert_index_matches_catalog(lib)
    finally:
        locked.chmod(0o755)


def test_raw_and_jpeg_of_one_shot_are_indexed_once(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    pytest.importorskip("rawpy")
    from imaging_samples import displayed_sample, write_dng

    root = make_root(tmp_path, "photos", demo, {"IMG_1.JPG": 0})
    write_dng(root / "IMG_1.DNG", displayed_sample())
    write_dng(root / "IMG_2.dng", displayed_sample())
    w = open_lib(root, watch=False)
    lib = w.lib
    report = lib.index().result(timeout=120)
    assert report.raw_alternates == 1 and report.failed == 0
    assert set(photo_ids(lib)) == {str(root / "IMG_1.JPG"), str(root / "IMG_2.dng")}

    w.watch = lib.watch(on_event=w.events.append)
    assert w.watch.wait_reconciled(60)
    (root / "IMG_1.JPG").unlink()  # the RAW is now the only copy of that shot
    write_file(root / "img_2.jpg", (demo.folder / demo.names[1]).read_bytes())  # a new twin
    wait_for(lambda: set(photo_ids(lib)) == {str(root / "IMG_1.DNG"), str(root / "img_2.jpg")},
             what="the pairs to settle")
    w.idle()
    assert [(e.path, e.detail) for e in w.kinds("alternate")] == [
        (root / "IMG_2.dng", str(root / "img_2.jpg"))]
    assert not lib.failures()
    assert_index_matches_catalog(lib)


def test_searches_during_watching_stay_correct(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    root = make_root(tmp_path, "photos", demo, {f"p{n}.jpg": n for n in range(6)})
    w = open_lib(root)
    lib = w.lib
    stop = threading.Event()
    errors: list[BaseException] = []
    searches = [0]

    def search_loop() -> None:
        query = lib.embed_texts(["a red circle"])[0]
        while not stop.is_set():
            try:
                for hit in lib.search("a photo", k=50, cut_off=False):
                    assert hit.path.parent == root
                lib.search_by_vector(query, k=10)
                searches[0] += 1
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)
                return

    threads = [threading.Thread(target=search_loop) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        base = (demo.folder / demo.names[10]).read_bytes()
        for n in range(24):
            write_file(root / f"new{n}.jpg", tagged_jpeg(base, f"new {n}"))
            if n % 6 == 5:
                time.sleep(0.5)
        for n in range(3):
            (root / f"p{n}.jpg").unlink()
            os.rename(root / f"p{n + 3}.jpg", root / f"moved{n}.jpg")
        w.idle()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors and searches[0] > 0
    hits = lib.search("a photo", k=1000, cut_off=False)
    assert {h.photo_id for h in hits} == searchable(lib) == set(photo_ids(lib).values())
    assert {str(h.path) for h in hits} == disk_photos(root)
    assert_index_matches_catalog(lib)


def test_one_writer_per_library_in_a_process(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched]) -> None:
    root = make_root(tmp_path, "photos", demo, {"a.jpg": 0})
    w = open_lib(root)
    with pytest.raises(LibraryLockedError, match="watched already"):
        w.lib.watch()
    other = Library.open(w.lib.home, model="demo", device="cpu")
    try:
        with pytest.raises(LibraryLockedError, match="Another PhotoSearch process"):
            other.watch()
        with pytest.raises(LibraryLockedError):
            other.index()
    finally:
        other.close()
    # index() of the watching library itself waits for the watch's batch, then runs.
    report = w.lib.index().result(timeout=60)
    assert report.unchanged == 1
    w.watch.stop()
    assert not w.watch.running and w.kinds("stopped")
    w.lib.index().result(timeout=60)  # the lock is free again


def test_a_search_racing_a_write_never_keeps_stale_results(
        tmp_path: Path, demo: DemoSet, open_lib: Callable[..., Watched],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path, "photos", demo, {"a.jpg": 0, "b.jpg": 1})
    w = open_lib(root, watch=False)
    lib = w.lib
    lib.index().result(timeout=60)
    real = lib.catalog.searchable_vectors
    read_done, release = threading.Event(), threading.Event()

    def slow_read(*args: object, **kwargs: object) -> object:
        out = real(*args, **kwargs)
        if threading.current_thread().name == "racing-search":
            read_done.set()
            release.wait(30)  # the write lands between this read and its use
        return out

    monkeypatch.setattr(lib.catalog, "searchable_vectors", slow_read)
    lib._photo_vectors().changed()
    racer = threading.Thread(target=lambda: lib.search("a photo", k=10, cut_off=False),
                             name="racing-search")
    racer.start()
    assert read_done.wait(30)
    shutil.copyfile(demo.folder / demo.names[2], root / "c.jpg")
    lib.index().result(timeout=60)
    release.set()
    racer.join()
    hits = lib.search("a photo", k=10, cut_off=False)
    assert {h.path.name for h in hits} == {"a.jpg", "b.jpg", "c.jpg"}
