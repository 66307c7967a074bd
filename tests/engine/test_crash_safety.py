"""kill -9 at random moments of indexing, watching and saving loses and duplicates nothing.

Each trial forks a real worker process (``crash_worker.py``) on one library, changes photos,
kills the worker with SIGKILL at a random moment and then checks, from this process:

* the vector index (reconciled on open) holds exactly the catalog's searchable photos;
* search works;
* no photo the catalog had committed is lost (unless the test itself changed that file);
* the worker embedded nothing whose vector had been committed before it started, and what it
  embedded but lost is at most the batches in flight (one being embedded, one being written).

A last run indexes to the end: the catalog then equals the files on disk, one row per file.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from conftest import DemoSet
from watch_support import (
    assert_index_matches_catalog,
    disk_photos,
    photo_rows,
    tagged_jpeg,
    wait_for,
    write_file,
)

from engine.api import Library
from engine.errors import LibraryLockedError
from engine.models.clip import ClipEncoder, parse_model_spec

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("crash_worker.py")
BATCH = 6
TRIALS = ("index", "index", "watch", "save") * 6  # 24 kills


class WorkerServer:
    """The pre-warmed process that forks workers (see crash_worker.py)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, cwd=WORKER.parents[2])
        assert json.loads(self._read(180)) == {"ready": True}

    def _read(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"worker server exited with {self.proc.wait(timeout)}")
        return line

    def _ask(self, request: dict) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self._read(60))

    def start(self, mode: str, home: Path, out: Path, log: Path, args: list[str] | None = None,
              stay: bool = False) -> int:
        return int(self._ask({"mode": mode, "home": str(home), "out": str(out),
                              "log": str(log), "batch": BATCH, "args": args or [],
                              "stay": stay})["pid"])

    def reap(self, pid: int) -> int:
        return int(self._ask({"reap": pid})["status"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(60)


@pytest.fixture(scope="module")
def server() -> Iterator[WorkerServer]:
    s = WorkerServer()
    yield s
    s.close()


@pytest.fixture(scope="module")
def encoder() -> ClipEncoder:
    return ClipEncoder(parse_model_spec("demo"), "cpu").load()


def wait_output(out: Path, text: str, timeout: float = 60.0) -> None:
    wait_for(lambda: out.exists() and text in out.read_text(errors="replace"), timeout,
             what=f"{text!r} in {out.name}: {out.read_text() if out.exists() else ''}")


def open_checked(home: Path, encoder: ClipEncoder) -> Library:
    lib = Library.open(home, model="demo", device="cpu")
    lib._model._encoder = encoder
    assert_index_matches_catalog(lib)  # opening reconciled the cache with the catalog
    return lib


def settled(rows: dict[str, tuple]) -> dict[str, tuple]:
    """Rows that match their file on disk (others still have work pending)."""
    out = {}
    for path, row in rows.items():
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns) == row[:2]:
            out[path] = row
    return out


def embeddings(lib: Library) -> set[str]:
    return {r[0] for r in lib.catalog._query("SELECT content_hash FROM embeddings")}


@dataclass
class Photos:
    """The test's side: writes, changes and deletes photos, remembering what it touched."""

    root: Path
    demo: DemoSet
    rng: random.Random
    made: int = 0

    def __post_init__(self) -> None:
        self.touched: set[str] = set()
        self.bases = [(self.demo.folder / n).read_bytes() for n in self.demo.names]

    def _bytes(self) -> bytes:
        self.made += 1
        return tagged_jpeg(self.rng.choice(self.bases), f"photo {self.made}")

    def existing(self) -> list[Path]:
        return sorted(Path(p) for p in disk_photos(self.root))

    def add(self, n: int) -> None:
        for _ in range(n):
            path = self.root / self.rng.choice(["a", "b", "b/c"]) / f"n{self.made + 1:04d}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, self._bytes())
            self.touched.add(str(path))

    def modify(self) -> None:
        path = self.rng.choice(self.existing())
        write_file(path, self._bytes())
        self.touched.add(str(path))

    def rename(self) -> None:
        path = self.rng.choice(self.existing())
        folder = self.root / self.rng.choice(["a", "b", "b/c"])
        target = folder / f"r{self.made + 1:04d}-{path.name}"
        self.made += 1
        path.rename(target)
        self.touched |= {str(path), str(target)}

    def delete(self) -> None:
        path = self.rng.choice(self.existing())
        path.unlink()
        self.touched.add(str(path))


def test_kill_9_at_random_points_loses_and_duplicates_nothing(
        server: WorkerServer, encoder: ClipEncoder, demo: DemoSet, tmp_path: Path) -> None:
    rng = random.Random(20261122)
    root = (tmp_path / "photos").resolve()
    for sub in ("a", "b/c"):
        (root / sub).mkdir(parents=True)
    home = tmp_path / "home"
    photos = Photos(root, demo, rng)
    photos.add(30)
    lib = Library.open(home, model="demo", device="cpu")
    lib.add_folder(root)
    lib.close()

    committed: dict[str, tuple] = {}  # path -> row, as of the last check
    committed_hashes: set[str] = set()
    killed_while_working = 0
    lost_max = 0
    trial = -1
    while (trial := trial + 1) < len(TRIALS) or (killed_while_working < 20
                                                  and trial < len(TRIALS) + 10):
        mode = TRIALS[trial] if trial < len(TRIALS) else "index"  # until 20 hit running work
        photos.touched = set()
        out, log = tmp_path / f"out{trial}.txt", tmp_path / f"log{trial}.txt"
        log.touch()
        if mode == "index":
            photos.add(rng.randint(24, 40))
            for change in (photos.modify, photos.rename, photos.delete):
                change()
        pid = server.start(mode, home, out, log, stay=True)
        wait_output(out, "started")
        if mode == "watch":
            deadline = time.monotonic() + rng.uniform(0.3, 4.0)
            steps = [lambda: photos.add(4), photos.rename, photos.modify, photos.delete,
                     lambda: photos.add(4), photos.rename]
            for step in steps:
                if time.monotonic() >= deadline:
                    break
                step()
                time.sleep(0.25)
            time.sleep(max(0.0, deadline - time.monotonic()))
        else:
            time.sleep(rng.uniform(0.0, 1.0 if mode == "index" else 0.6))
        os.kill(pid, signal.SIGKILL)
        assert os.WIFSIGNALED(server.reap(pid)), out.read_text()
        text = out.read_text(errors="replace")
        assert "Traceback" not in text, text
        killed_while_working += "done" not in text

        lib = open_checked(home, encoder)
        try:
            rows = photo_rows(lib)
            hashes = embeddings(lib)
            hits = lib.search("a photo", k=10, cut_off=False)
            assert {str(h.path) for h in hits} <= set(rows)
            if rows:
                some = next(iter(lib._vector_index().live_ids()))
                vec = lib.catalog.vectors_for_ids(np.asarray([some]), encoder.spec.model_id, 0)
                assert lib.search_by_vector(vec[0], k=1, cut_off=False)[0].score > 0.99
            # Nothing committed is lost, except what the test itself changed.
            for path, row in committed.items():
                if path not in photos.touched and row[3] is None:
                    assert rows.get(path) == row, f"trial {trial} ({mode}) lost {path}"
                    assert row[2] in hashes
            attempted = set(log.read_text().split())
            again = attempted & committed_hashes
            assert not again, f"trial {trial} ({mode}) embedded committed photos again"
            lost = attempted - hashes
            lost_max = max(lost_max, len(lost))
            assert len(lost) <= 2 * BATCH, f"trial {trial} ({mode}) lost {len(lost)} vectors"
            committed, committed_hashes = settled(rows), hashes
        finally:
            lib.close()

    # A run to the end: the library equals the files on disk and re-embeds only what it lacks.
    out, log = tmp_path / "final.txt", tmp_path / "final-log.txt"
    log.touch()
    pid = server.start("index", home, out, log)
    wait_output(out, "done", timeout=300)
    assert server.reap(pid) == 0
    assert not set(log.read_text().split()) & committed_hashes
    lib = open_checked(home, encoder)
    try:
        rows = photo_rows(lib)
        assert set(rows) == disk_photos(root)  # none lost, none duplicated, none stale
        assert all(r[3] is None and r[2] in embeddings(lib) for r in rows.values())
        assert len(lib._vector_index()) == len(rows)
        assert not list((home / "index").glob("*.tmp"))
    finally:
        lib.close()
    print(f"\n{trial} kills ({killed_while_working} while working), "
          f"{len(rows)} photos at the end, at most {lost_max} embeddings lost per kill")
    assert killed_while_working >= 20


def test_a_second_process_gets_a_clear_lock_message(
        server: WorkerServer, encoder: ClipEncoder, demo: DemoSet, tmp_path: Path) -> None:
    root = (tmp_path / "photos").resolve()
    root.mkdir()
    for n in range(3):
        write_file(root / f"p{n}.jpg", (demo.folder / demo.names[n]).read_bytes())
    home = tmp_path / "home"
    lib = Library.open(home, model="demo", device="cpu")
    lib._model._encoder = encoder
    lib.add_folder(root)
    out, log = tmp_path / "cli.txt", tmp_path / "log.txt"
    pid = server.start("cli", home, out, log,
                       ["--home", str(home), "--model", "demo", "watch"])
    try:
        wait_output(out, "reconciled:")
        with pytest.raises(LibraryLockedError, match=f"Another PhotoSearch process \\(process "
                                                     f"{pid}\\) is updating this library"):
            lib.index()
        with pytest.raises(LibraryLockedError, match="Another PhotoSearch process"):
            lib.watch()
        write_file(root / "new.jpg", (demo.folder / demo.names[5]).read_bytes())
        wait_output(out, f"indexed {root / 'new.jpg'}")
        hits = lib.search("a photo", k=10, cut_off=False)  # searching is never locked out
        assert {h.path.name for h in hits} == {"p0.jpg", "p1.jpg", "p2.jpg", "new.jpg"}
    finally:
        os.kill(pid, signal.SIGTERM)
        status = server.reap(pid)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, out.read_text()
    assert "stopped: 1 indexed (1 embedded)" in out.read_text()
    report = lib.index().result(timeout=60)  # the lock was released
    assert report.unchanged == 4
    lib.close()
