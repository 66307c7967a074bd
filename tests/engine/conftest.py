"""Shared fixtures for the engine tests: demo photos written once, libraries on the demo model.

Everything runs on the real open_clip code path with the bundled tiny model (``--model demo``);
the demo scenes' own captions (``dataset.json``) are the ground truth for search results.
Tests that change photos work on a copy under ``tmp_path``.
"""

from __future__ import annotations

import os

# No test may reach the network: Hugging Face reads this when it is first imported.
os.environ["HF_HUB_OFFLINE"] = "1"
# ONNX exports (engine.models.runtime) go to a folder of this test session, never the user's
# cache; the demo model is exported once per session, on first use.
if "PHOTOSEARCH_ONNX_CACHE" not in os.environ:
    import tempfile

    os.environ["PHOTOSEARCH_ONNX_CACHE"] = tempfile.mkdtemp(prefix="photosearch-onnx-")

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from engine.api import Library
from engine.evaluation.demo_data import DemoSplits, write_demo_dataset

DEMO_PHOTOS = 40
EXIF_IFD = 0x8769
TAG_DATETIME_ORIGINAL = 0x9003
TAG_MAKE = 0x010F
TAG_MODEL = 0x0110


@dataclass(frozen=True)
class DemoSet:
    """Demo scenes on disk: ``folder`` holds the JPEGs; ``captions``: file name -> 5 captions."""

    root: Path
    folder: Path
    captions: dict[str, list[str]]
    scenes: dict[str, str]

    @property
    def names(self) -> list[str]:
        """File names in dataset order."""
        return list(self.captions)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own PHOTOSEARCH_* settings must not leak into the tests."""
    for name in ("PHOTOSEARCH_MODEL", "PHOTOSEARCH_HOME", "PHOTOSEARCH_DEVICE",
                 "PHOTOSEARCH_RUNTIME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def _shared_encoders() -> Iterator[None]:
    """Libraries of one session share one real encoder per model, device and runtime (loading
    costs ~3 s each).

    The encoder is the real one (open_clip, or ONNX Runtime on the CPU); only its loading is
    done once instead of per library. It is thread-safe by contract, so sharing it changes no
    result.
    """
    from engine.models import runtime, session
    from engine.models.clip import ModelSpec

    cache: dict[tuple[str, str, str], Any] = {}

    def shared(spec: ModelSpec, device: str = "auto", requested: str = "auto") -> Any:
        key = (spec.model_id, device, requested)
        if key not in cache:
            cache[key] = runtime.build_encoder(spec, device, requested)
        return cache[key]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(session, "build_encoder", shared)
        yield


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSet:
    """40 captioned demo scenes (test split), written once per session. Do not modify."""
    root = tmp_path_factory.mktemp("demo")
    dataset = write_demo_dataset(root, DemoSplits(train=0, val=0, test=DEMO_PHOTOS,
                                                  compositional=0))
    images = json.loads(dataset.read_text())["images"]
    captions = {e["filename"]: [s["raw"] for s in e["sentences"]] for e in images}
    scenes = {e["filename"]: e["scene"] for e in images}
    return DemoSet(root, root / "test", captions, scenes)


@pytest.fixture
def photos(tmp_path: Path, demo: DemoSet) -> Path:
    """A private, writable copy of the 40 demo photos."""
    target = tmp_path / "photos"
    shutil.copytree(demo.folder, target)
    return target


@pytest.fixture
def small_photos(tmp_path: Path, demo: DemoSet) -> Path:
    """A private, writable copy of the first 20 demo photos (for tests that index repeatedly)."""
    target = tmp_path / "photos"
    target.mkdir()
    for name in demo.names[:20]:
        shutil.copy2(demo.folder / name, target / name)
    return target


@pytest.fixture
def open_library(tmp_path: Path) -> Iterator[Callable[..., Library]]:
    """Open libraries on the demo model (home defaults to ``tmp_path/home``); all are closed."""
    opened: list[Library] = []

    def factory(home: Path | None = None, model: str = "demo") -> Library:
        lib = Library.open(home or tmp_path / "home", model=model, device="cpu")
        opened.append(lib)
        return lib

    yield factory
    for lib in reversed(opened):
        lib.close()


@pytest.fixture
def library(open_library: Callable[..., Library]) -> Library:
    """An empty library on the demo model."""
    return open_library()


@pytest.fixture
def decode_calls(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every photo the indexer decodes (the real decoder still runs)."""
    from engine.media import imaging

    calls: list[Path] = []
    real = imaging.decode_photo

    def counting(path: Path, min_side: int) -> imaging.DecodedPhoto:
        calls.append(Path(path))
        return real(path, min_side)

    monkeypatch.setattr(imaging, "decode_photo", counting)
    return calls


def write_exif(path: Path, *, taken: datetime | None = None, make: str | None = None,
               model: str | None = None) -> None:
    """Re-save a JPEG with EXIF capture time (Exif IFD DateTimeOriginal), Make and Model."""
    with Image.open(path) as im:
        im.load()
        exif = Image.Exif()
        if make:
            exif[TAG_MAKE] = make
        if model:
            exif[TAG_MODEL] = model
        if taken:
            exif.get_ifd(EXIF_IFD)[TAG_DATETIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
        im.save(path, "JPEG", quality=92, exif=exif)


@dataclass(frozen=True)
class IndexedLibrary:
    """A library over the demo photos laid out for the filters, indexed once per session.

    ``photos/trip`` holds 15 photos taken 2021-06-01..15 with a Canon EOS 5D, ``photos/phone``
    15 taken 2023-03-01..15 with a Google Pixel 7 and 10 without any EXIF.
    """

    lib: Library
    root: Path
    paths: dict[str, Path]  # demo file name -> where it lies in the library
    demo: DemoSet

    def in_folder(self, sub: str) -> set[Path]:
        """The library paths inside ``root/sub``."""
        return {p for p in self.paths.values() if p.parent == self.root / sub}


@pytest.fixture(scope="session")
def indexed(tmp_path_factory: pytest.TempPathFactory, demo: DemoSet) -> Iterator[IndexedLibrary]:
    """Read-only: a session-wide indexed library. Tests must not add, index or remove."""
    base = tmp_path_factory.mktemp("indexed")
    root = (base / "photos").resolve()
    (root / "trip").mkdir(parents=True)
    (root / "phone").mkdir()
    paths: dict[str, Path] = {}
    for n, name in enumerate(demo.names):
        sub = "trip" if n < 15 else "phone"
        target = root / sub / name
        shutil.copy2(demo.folder / name, target)
        if n < 15:
            write_exif(target, taken=datetime(2021, 6, 1, 9) + timedelta(days=n),
                       make="Canon", model="Canon EOS 5D")
        elif n < 30:
            write_exif(target, taken=datetime(2023, 3, 1, 9) + timedelta(days=n - 15),
                       make="Google", model="Pixel 7")
        paths[name] = target
    lib = Library.open(base / "home", model="demo", device="cpu")
    lib.add_folder(root)
    report = lib.index().result(timeout=300)
    assert report.embedded == DEMO_PHOTOS and report.failed == 0
    yield IndexedLibrary(lib, root, paths, demo)
    lib.close()
