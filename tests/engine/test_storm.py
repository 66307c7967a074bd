"""A storm of file changes under a running watch: the catalog ends equal to a fresh index.

2,000 small demo photos (64-128 px) are created in bursts across three library folders, then
modified, renamed, moved across folders (and library folders), deleted and created again in
random order, with whole folders renamed and moved too. Afterwards:

* the catalog (paths, sizes, mtimes, content hashes, dimensions, folders, errors) and every
  photo's vector equal what a fresh index of the final tree yields;
* the vector index holds exactly the catalog's searchable photos;
* no photo whose content the library already knew was embedded again (moves, renames and
  folder moves are never re-embedded: the content hashes sent to the model are recorded), and
  photos moved within a library folder kept their ids.

Everything is the real engine on the bundled demo model (about a minute and a half on two
cores). On a slower machine ``PHOTOSEARCH_STORM_PROJECTION=1`` swaps the image tower for a
deterministic projection of the preprocessed pixels, which checks the same things.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from watch_support import assert_index_matches_catalog, disk_photos, tagged_jpeg, write_file

from engine.api import Library
from engine.evaluation.demo_data import DemoSplits, write_demo_dataset
from engine.ingest.indexer import Indexer
from engine.models.clip import ClipEncoder, parse_model_spec

pytestmark = pytest.mark.slow

PHOTOS = 2000
REAL_MODEL = os.environ.get("PHOTOSEARCH_STORM_PROJECTION") != "1"


class ProjectionModel:
    """Deterministic stand-in for the image tower: a fixed random projection of the pixels."""

    def __init__(self, dim: int, size: int) -> None:
        rng = np.random.default_rng(0)
        self.matrix = rng.standard_normal((3 * size * size, dim)).astype(np.float32)
        self.calls = 0

    def __call__(self, pixels: Any) -> np.ndarray:
        self.calls += int(pixels.shape[0])
        flat = pixels.float().reshape(pixels.shape[0], -1).numpy()
        out = flat @ self.matrix
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def encoder() -> ClipEncoder:
    enc = ClipEncoder(parse_model_spec("demo"), "cpu").load()
    if not REAL_MODEL:
        enc.encode_pixel_batch = ProjectionModel(enc.dim, enc.image_size)  # type: ignore[method-assign]
    return enc


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """250 distinct small scenes, 64 to 128 px."""
    root = tmp_path_factory.mktemp("storm-bases")
    out: list[bytes] = []
    for size, n, seed in ((64, 90, 1), (96, 90, 2), (128, 70, 3)):
        write_demo_dataset(root / str(size), DemoSplits(train=0, val=0, test=n, compositional=0),
                           seed=seed, size=size)
        out += [p.read_bytes() for p in sorted((root / str(size) / "test").glob("*.jpg"))]
    return out


@dataclass
class Tracked:
    """One photo's life: where it is, whether its content changed since phase A."""

    path: Path
    changed: bool = False
    crossed: bool = False  # moved into another library folder


class Storm:
    def __init__(self, roots: list[Path], bases: list[bytes], rng: random.Random) -> None:
        self.roots, self.bases, self.rng = roots, bases, rng
        self.live: list[Tracked] = []
        self.made = 0
        self.folders = [r / sub for r in roots for sub in ("", "x", "y/z")]
        for f in self.folders:
            f.mkdir(parents=True, exist_ok=True)

    def content(self) -> bytes:
        self.made += 1
        return tagged_jpeg(self.rng.choice(self.bases), f"storm {self.made}")

    def root_of(self, path: Path) -> Path:
        return next(r for r in self.roots if path.is_relative_to(r))

    def create(self) -> None:
        path = self.rng.choice(self.folders) / f"s{self.made + 1:05d}.jpg"
        write_file(path, self.content())
        self.live.append(Tracked(path, changed=True))

    def modify(self, t: Tracked) -> None:
        write_file(t.path, self.content())
        t.changed = True

    def rename(self, t: Tracked) -> None:
        self.made += 1
        target = t.path.with_name(f"r{self.made:05d}.jpg")
        t.path.rename(target)
        t.path = target

    def move(self, t: Tracked) -> None:
        self.made += 1
        target = self.rng.choice(self.folders) / f"m{self.made:05d}.jpg"
        t.crossed |= self.root_of(target) != self.root_of(t.path)
        t.path.rename(target)
        t.path = target

    def delete(self, t: Tracked) -> None:
        t.path.unlink()
        self.live.remove(t)

    def move_folder(self, source: Path, target: Path) -> None:
        crossed = self.root_of(source) != self.root_of(target)
        source.rename(target)
        for t in self.live:
            if t.path.is_relative_to(source):
                t.path = target / t.path.relative_to(source)
                t.crossed |= crossed
        self.folders = [target / f.relative_to(source) if f.is_relative_to(source) else f
                        for f in self.folders]

    def bursts(self, ops: list[Callable[[], None]]) -> None:
        """Run ``ops`` in bursts of 1 to 150 with pauses of 0 to 0.8 s."""
        i = 0
        while i < len(ops):
            size = self.rng.choice([1, 3, 10, 40, 150])
            for op in ops[i:i + size]:
                op()
            i += size
            time.sleep(self.rng.choice([0.0, 0.02, 0.1, 0.3, 0.8]))


def embedded_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Content hashes of every photo sent to the model from now on."""
    sent: list[str] = []
    real = Indexer._compute_batch

    def recording(self: Indexer, batch: list[Any]) -> None:
        sent.extend(w.content_hash for w in batch if "clip" in w.prepared)
        real(self, batch)

    monkeypatch.setattr(Indexer, "_compute_batch", recording)
    return sent


def catalog_view(lib: Library) -> dict[str, tuple]:
    rows = lib.catalog._query(
        "SELECT p.path, p.size, p.mtime_ns, p.content_hash, p.width, p.height, p.error, f.path "
        "FROM photos p JOIN folders f ON f.id = p.folder_id")
    return {r[0]: tuple(r[1:]) for r in rows}


def vectors_by_path(lib: Library) -> dict[str, np.ndarray]:
    enc = lib.encoder
    ids, vecs = lib.catalog.searchable_vectors(enc.spec.model_id, enc.dim)
    paths = {r[0]: r[1] for r in lib.catalog._query("SELECT id, path FROM photos")}
    return {paths[int(i)]: v for i, v in zip(ids, vecs, strict=True)}


def test_storm_of_changes_ends_equal_to_a_fresh_index(
        tmp_path: Path, encoder: ClipEncoder, bases: list[bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(2000)
    roots = [(tmp_path / name).resolve() for name in ("phone", "camera", "archive")]
    storm = Storm(roots, bases, rng)
    lib = Library.open(tmp_path / "home", model="demo", device="cpu")
    lib._model._encoder = encoder
    for root in roots:
        lib.add_folder(root)
    watch = lib.watch()
    assert watch.wait_reconciled(60)
    start = time.perf_counter()

    # Phase A: 2,000 photos arrive in bursts; some change again at once (within the debounce).
    ops: list[Callable[[], None]] = []
    for _ in range(PHOTOS):
        ops.append(storm.create)
        if rng.random() < 0.05:
            ops.append(lambda: storm.modify(storm.live[-1]))
        if rng.random() < 0.05:
            ops.append(lambda: storm.rename(storm.live[-1]))
    storm.bursts(ops)
    assert watch.wait_idle(timeout=300, quiet=1.5)
    phase_a = time.perf_counter() - start
    ids_a = {r[1]: r[0] for r in lib.catalog._query("SELECT id, path FROM photos")}
    hashes_a = {r[0] for r in lib.catalog._query("SELECT content_hash FROM photos")}
    assert len(ids_a) == PHOTOS and not lib.failures()
    identity = {id(t): ids_a[str(t.path)] for t in storm.live}
    for t in storm.live:
        t.changed = False

    # Phase B: modify, rename, move (also across library folders), delete, create, and move
    # whole folders, in random order and in bursts.
    sent = embedded_hashes(monkeypatch)
    kinds = ["modify"] * 300 + ["rename"] * 400 + ["move"] * 400 + ["delete"] * 300 + [
        "create"] * 200
    rng.shuffle(kinds)
    ops = []
    for kind in kinds:
        if kind == "create":
            ops.append(storm.create)
        else:
            ops.append(lambda kind=kind: getattr(storm, kind)(rng.choice(storm.live)))
    ops.insert(300, lambda: storm.move_folder(roots[0] / "y", roots[0] / "w"))
    ops.insert(900, lambda: storm.move_folder(roots[1] / "x", roots[2] / "from-camera"))
    ops.insert(1400, lambda: storm.move_folder(roots[2] / "y" / "z", roots[2] / "z2"))
    start_b = time.perf_counter()
    storm.bursts(ops)
    assert watch.wait_idle(timeout=300, quiet=1.5)
    phase_b = time.perf_counter() - start_b
    watch.stop()

    final = catalog_view(lib)
    assert set(final) == disk_photos(*roots) == {str(t.path) for t in storm.live}
    assert not lib.failures()
    assert_index_matches_catalog(lib)
    embedded_b = len(sent)
    again = set(sent) & hashes_a
    assert not again, f"{len(again)} photos the library knew were embedded again"
    ids_end = {r[1]: r[0] for r in lib.catalog._query("SELECT id, path FROM photos")}
    kept = [t for t in storm.live if id(t) in identity and not t.changed]
    same_root = [t for t in kept if not t.crossed]
    bad = [str(t.path) for t in same_root if ids_end[str(t.path)] != identity[id(t)]]
    assert not bad, f"{len(bad)} of {len(same_root)} moved photos got a new id: {bad[:3]}"
    crossed = [t for t in kept if t.crossed]
    crossed_kept = sum(ids_end[str(t.path)] == identity[id(t)] for t in crossed)
    assert crossed_kept >= 0.95 * len(crossed)  # a deletion and a creation in other folders
    vectors = vectors_by_path(lib)
    lib.close()

    # A fresh index of the final tree, with the same model.
    fresh = Library.open(tmp_path / "fresh", model="demo", device="cpu")
    fresh._model._encoder = encoder
    for root in roots:
        fresh.add_folder(root)
    report = fresh.index().result(timeout=600)
    assert catalog_view(fresh) == final
    fresh_vectors = vectors_by_path(fresh)
    assert set(fresh_vectors) == set(vectors)
    worst = min(float(vectors[p] @ fresh_vectors[p]) for p in vectors)
    assert worst > 0.999
    fresh.close()
    print(f"\nstorm: {PHOTOS} photos created in {phase_a:.1f} s, then {len(ops)} changes in "
          f"{phase_b:.1f} s; {len(final)} photos at the end (fresh index: {report.seconds:.1f} s);"
          f" {embedded_b} embedded in phase B, none known before; {len(same_root)} moved within "
          f"a library folder kept their ids, {crossed_kept}/{len(crossed)} moved across library "
          f"folders kept theirs; {'real demo model' if REAL_MODEL else 'projection model'}")
