"""A fake engine behind the same facade as ``engine.api.Library``, for fast widget tests.

It writes real small JPEG photos into a temp folder (so thumbnails and previews decode for real)
and answers searches deterministically from the words in each photo's name: the photo
``red_circle.jpg`` scores higher for a query that mentions "red" or "circle". Indexing and model
loading run as real ``engine.api.Job`` objects on their own threads, so progress, pause and
cancel take the same paths as with the real engine. Every call is recorded in ``calls``.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from engine.api import (
    CaptionHit,
    FailedPhoto,
    FolderInfo,
    IndexProgress,
    IndexReport,
    Job,
    Library,
    LibraryStatus,
    ModelProgress,
    PhotoDetails,
    SearchFilters,
    SearchHit,
    Settings,
)
from engine.errors import EngineError, InvalidQueryError

COLOURS = {
    "red": (214, 39, 40),
    "green": (44, 160, 44),
    "blue": (31, 90, 220),
    "yellow": (242, 220, 40),
}
SHAPES = ("circle", "square", "triangle")
CAMERAS = ("Canon EOS 5D", "FUJIFILM X100V")


@dataclass
class FakePhoto:
    """One photo the fake knows about."""

    photo_id: int
    path: Path
    words: frozenset[str]
    colour: tuple[int, int, int]
    taken_at: str
    camera: str
    width: int
    height: int
    indexed: bool = True


def _draw(colour: tuple[int, int, int], shape: str, size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, (235, 230, 220))
    draw = ImageDraw.Draw(img)
    w, h = size
    box = (w * 0.25, h * 0.25, w * 0.75, h * 0.75)
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    elif shape == "square":
        draw.rectangle(box, fill=colour)
    else:
        draw.polygon([(w * 0.5, h * 0.2), (w * 0.8, h * 0.8), (w * 0.2, h * 0.8)], fill=colour)
    return img


class FakeWatch:
    """What ``Library.watch()`` returns: running until stopped."""

    def __init__(self) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False


class FakeLibrary:
    """Deterministic stand-in for ``engine.api.Library`` (same methods, same value types)."""

    def __init__(self, root: Path, photos: int = 12, with_folder: bool = True) -> None:
        self.home = root / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.photo_root = root / "photos"
        self.holiday = self.photo_root / "holiday"
        self.garden = self.photo_root / "garden"
        self.calls: list[tuple[str, Any]] = []
        self.model_error: BaseException | None = None
        self.search_error: BaseException | None = None
        self.model_delay = 0.02
        self.model_errors: dict[str, BaseException] = {}  # model spec -> what loading raises
        # A model download: bytes to fetch before loading (0 = already cached), the time per
        # twentieth, and a byte count at which it waits (until cancelled or set to None).
        self.download_bytes = 0
        self.download_step_s = 0.0
        self.download_hold_at: int | None = None
        self.downloaded: set[str] = set()
        self.search_delay = 0.0
        self.rerank_delay = 0.0
        self.matcher_ready = True
        self.matcher_delay = 0.0
        # Library.rerank_unavailable: the lean edition's reason (None: reranking can run)
        self.rerank_unavailable: str | None = None
        self.captions_delay = 0.0
        # photo id -> [(text, source)]: the first photo has a caption embedded in its file
        self.captions: dict[int, list[tuple[str, str]]] = {
            1: [("Red circle on the beach", "photo")]
        }
        self.rerank_error: BaseException | None = None
        self.index_step_s = 0.0
        self.photos_indexed = 0  # photos its index runs have done (a test's clock reads it)
        self.index_hold = threading.Event()  # set = indexing holds after its first photo
        self._lock = threading.Lock()
        self._settings = Settings(model="demo", device="auto")
        self._model_ready = False
        self._folders: dict[Path, bool] = {}  # path -> paused
        self._photos: list[FakePhoto] = []
        self._write_photos(photos)
        self.broken = self.holiday / "broken.jpg"
        self.broken.write_bytes(b"\xff\xd8 not really a jpeg")
        if with_folder:
            for folder in (self.holiday, self.garden):
                self._folders[folder] = False

    # -- test data ---------------------------------------------------------------------------

    def _write_photos(self, n: int) -> None:
        names = [(c, s) for s in SHAPES for c in COLOURS]
        for i in range(n):
            colour, shape = names[i % len(names)]
            folder = self.holiday if i % 2 == 0 else self.garden
            folder.mkdir(parents=True, exist_ok=True)
            size = (96, 64) if i % 3 else (64, 96)
            path = folder / f"{colour}_{shape}_{i:02d}.jpg"
            _draw(COLOURS[colour], shape, size).save(path, "JPEG", quality=85)
            self._photos.append(
                FakePhoto(
                    photo_id=i + 1,
                    path=path,
                    words=frozenset({colour, shape}),
                    colour=COLOURS[colour],
                    taken_at=f"2023-{1 + i % 12:02d}-{1 + i:02d} 10:00:00",
                    camera=CAMERAS[i % 2],
                    width=size[0],
                    height=size[1],
                )
            )

    def _record(self, name: str, *args: Any) -> None:
        with self._lock:
            self.calls.append((name, args))

    def calls_named(self, name: str) -> list[tuple[Any, ...]]:
        """The argument tuples of every recorded call to ``name``."""
        with self._lock:
            return [args for n, args in self.calls if n == name]

    def _in_folders(self, photo: FakePhoto) -> bool:
        return any(photo.path.is_relative_to(f) for f in self._folders)

    # -- settings and model ------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self._settings

    def update_settings(self, **changes: Any) -> Settings:
        self._record("update_settings", changes)
        self._settings = replace(self._settings, **changes)
        return self._settings

    @property
    def model_spec(self) -> str:
        return self._settings.model

    @property
    def runtime_request(self) -> str:
        return self._settings.runtime or "auto"

    check_model_folder = staticmethod(Library.check_model_folder)  # the engine's own check

    def load_model(self, on_progress: Any = None) -> Job:
        self._record("load_model")
        model = self._settings.model

        def work(token: Any, report: Any) -> str:
            report(ModelProgress("load", model))
            total = self.download_bytes
            if total and model not in self.downloaded:
                for step in range(21):
                    done = total * step // 20
                    report(ModelProgress("download", model, "weights", done, total))
                    while self.download_hold_at is not None and done >= self.download_hold_at:
                        time.sleep(0.005)
                        token.check()
                    time.sleep(self.download_step_s)
                self.downloaded.add(model)
                report(ModelProgress("load", model))
            time.sleep(self.model_delay)
            error = self.model_errors.get(model) or self.model_error
            if error is not None:
                raise error
            self._model_ready = True
            return f"{model} on cpu (fake)"

        return Job("load-model", work, on_progress).start()

    @property
    def model_ready(self) -> bool:
        return self._model_ready

    # -- folders -----------------------------------------------------------------------------

    def add_folder(self, path: Path) -> FolderInfo:
        self._record("add_folder", path)
        path = Path(path)
        if not path.is_dir():
            raise EngineError(f"The folder {path} does not exist.", details=f"add_folder({path!r})")
        self._folders[path] = False
        for p in self._photos:
            if p.path.is_relative_to(path):
                p.indexed = False
        return self._folder_info(path)

    def remove_folder(self, path: Path) -> None:
        self._record("remove_folder", path)
        self._folders.pop(Path(path), None)

    def set_folder_paused(self, path: Path, paused: bool) -> None:
        self._record("set_folder_paused", path, paused)
        self._folders[Path(path)] = paused

    def _folder_info(self, path: Path) -> FolderInfo:
        inside = [p for p in self._photos if p.path.is_relative_to(path)]
        failed = 1 if self.broken.is_relative_to(path) else 0
        return FolderInfo(
            path=path,
            photos=len(inside) + failed,
            indexed=sum(p.indexed for p in inside),
            failed=failed,
            paused=self._folders.get(path, False),
            online=path.is_dir(),
        )

    def folders(self) -> list[FolderInfo]:
        self._record("folders")
        return [self._folder_info(f) for f in sorted(self._folders)]

    # -- indexing ----------------------------------------------------------------------------

    def watch(self, on_event: Any = None) -> FakeWatch:
        self._record("watch")
        self.watching = FakeWatch()
        return self.watching

    def index(self, on_progress: Any = None) -> Job:
        self._record("index")
        todo = [p for p in self._photos if self._in_folders(p) and not p.indexed]

        def work(token: Any, report: Any) -> IndexReport:
            start = time.monotonic()
            report(IndexProgress("scanning", 0, len(todo), 0, 0, 0.0, None))
            for i, photo in enumerate(todo):
                if self.index_step_s:
                    time.sleep(self.index_step_s)
                photo.indexed = True
                self.photos_indexed += 1
                elapsed = max(time.monotonic() - start, 1e-3)
                rate = (i + 1) / elapsed
                report(
                    IndexProgress(
                        "embedding",
                        i + 1,
                        len(todo),
                        0,
                        0,
                        rate,
                        (len(todo) - i - 1) / rate,
                        str(photo.path),
                    )
                )
                while self.index_hold.is_set():
                    time.sleep(0.005)
                    token.check()
            report(IndexProgress("done", len(todo), len(todo), 0, 0, 0.0, 0.0))
            return IndexReport(
                scanned=len(todo),
                added=len(todo),
                updated=0,
                unchanged=0,
                removed=0,
                reused=0,
                embedded=len(todo),
                failed=0,
                seconds=time.monotonic() - start,
            )

        return Job("index", work, on_progress).start()

    # -- search ------------------------------------------------------------------------------

    def _matches(self, photo: FakePhoto, filters: SearchFilters | None) -> bool:
        if not photo.indexed or not self._in_folders(photo):
            return False
        if filters is None:
            return True
        taken = date.fromisoformat(photo.taken_at[:10])
        if filters.after and taken < filters.after:
            return False
        if filters.before and taken >= filters.before:
            return False
        if filters.folder and not photo.path.is_relative_to(filters.folder):
            return False
        return not (filters.camera and filters.camera.lower() not in photo.camera.lower())

    def _hit(self, photo: FakePhoto, score: float) -> SearchHit:
        return SearchHit(
            photo_id=photo.photo_id,
            path=photo.path,
            score=round(score, 4),
            taken_at=photo.taken_at,
            width=photo.width,
            height=photo.height,
            camera=photo.camera,
            size_bytes=photo.path.stat().st_size,
        )

    def _rank(
        self, scored: list[tuple[float, FakePhoto]], k: int, cut_off: bool
    ) -> list[SearchHit]:
        scored.sort(key=lambda sp: (-sp[0], sp[1].photo_id))
        if cut_off and scored:
            best = scored[0][0]
            scored = [sp for sp in scored if sp[0] >= best - 0.15]
        return [self._hit(p, s) for s, p in scored[:k]]

    def warm_up(self) -> None:
        self._record("warm_up")

    def search(
        self,
        query: str,
        k: int = 100,
        filters: SearchFilters | None = None,
        cut_off: bool = True,
        rerank: bool | None = None,
    ) -> list[SearchHit]:
        self._record("search", query, k, filters, cut_off, rerank)
        if self.search_delay:
            time.sleep(self.search_delay)
        if self.search_error is not None:
            raise self.search_error
        if not query.strip():
            raise InvalidQueryError("Type something to search for.")
        words = set(query.lower().replace(",", " ").split())
        scored = [
            (0.2 + 0.1 * len(words & p.words) - p.photo_id * 0.001, p)
            for p in self._photos
            if self._matches(p, filters)
        ]
        return self._rank(scored, k, cut_off)

    def load_matcher(self, on_progress: Any = None) -> Job:
        self._record("load_matcher")

        def work(token: Any, report: Any) -> str:
            report(ModelProgress("load", "fake-matcher"))
            total = 900_000_000  # a first download, in ten steps over matcher_delay
            for step in range(11):
                report(ModelProgress("download", "fake-matcher", "model.safetensors",
                                     total * step // 10, total))
                time.sleep(self.matcher_delay / 10)
            if self.rerank_error is not None:
                raise self.rerank_error
            self.matcher_ready = True
            return "demo matcher on cpu (fake)"

        return Job("load-matcher", work, on_progress).start()

    def prepare_reranking(self) -> None:
        self._record("prepare_reranking")

    def rerank(
        self, query: str, hits: list[SearchHit], k: int | None = None, cancel: Any = None
    ) -> list[SearchHit]:
        """The second stage, made visible: the top ``k`` (default 5) in reverse order, each with
        a match probability; takes ``rerank_delay`` seconds, checking ``cancel`` as it goes."""
        self._record("rerank", query, [h.photo_id for h in hits])
        deadline = time.monotonic() + self.rerank_delay
        while time.monotonic() < deadline:
            if cancel is not None:
                cancel.check()
            time.sleep(0.01)
        if self.rerank_error is not None:
            raise self.rerank_error
        k = k or 5
        head = [replace(h, match_probability=0.9) for h in reversed(hits[:k])]
        return head + list(hits[k:])

    def prepare_captions(self, on_progress: Any = None, lang: str | None = None) -> Job:
        self._record("prepare_captions", lang)

        def work(token: Any, report: Any) -> int:
            report("embedding captions")
            time.sleep(self.captions_delay)
            return 0

        return Job("prepare-captions", work, on_progress).start()

    def photo_captions(self, photo: int | Path) -> list[CaptionHit]:
        self._record("photo_captions", photo)
        own = sorted(self.captions.get(int(photo), []), key=lambda c: c[1] != "user")
        return [CaptionHit(text, 1.0, source, int(photo)) for text, source in own]

    def set_caption(self, photo: int | Path, text: str | None) -> None:
        self._record("set_caption", photo, text)
        kept = [c for c in self.captions.get(int(photo), []) if c[1] != "user"]
        self.captions[int(photo)] = kept + ([(text, "user")] if text else [])

    def describe(
        self, image: Path | bytes, k: int = 10, rerank: bool | None = None, cancel: Any = None,
        lang: str | None = None,
    ) -> list[CaptionHit]:
        """Vocabulary captions named after the photo's colour and shape (for a library path),
        or after the image's average colour (bytes)."""
        self._record("describe", image, k, rerank, lang)
        photo = next((p for p in self._photos if isinstance(image, Path) and p.path == image),
                     None)
        if photo is None:
            data = image if isinstance(image, bytes) else Path(image).read_bytes()
            with Image.open(io.BytesIO(data)) as im:
                colour = im.convert("RGB").resize((1, 1)).getpixel((0, 0))
            name = min(COLOURS, key=lambda c: sum((a - b) ** 2 for a, b in
                                                  zip(COLOURS[c], colour, strict=True)))
            words = [name, "shape"]
        else:
            words = sorted(photo.words, key=lambda w: w not in COLOURS)
        texts = [f"a {words[0]} {words[1]}", f"something {words[0]}", f"a {words[1]} shape"]
        return [CaptionHit(t, 0.3 - 0.01 * i, "vocabulary", None)
                for i, t in enumerate(texts[:k])]

    def similar(
        self,
        image: Path | bytes,
        k: int = 100,
        filters: SearchFilters | None = None,
        cut_off: bool = True,
    ) -> list[SearchHit]:
        self._record("similar", image, k, filters, cut_off)
        if isinstance(image, bytes):
            with Image.open(io.BytesIO(image)) as im:
                colour = im.convert("RGB").resize((1, 1)).getpixel((0, 0))
        else:
            with Image.open(image) as im:
                colour = im.convert("RGB").resize((1, 1)).getpixel((0, 0))

        def score(p: FakePhoto) -> float:
            dist = sum((a - b) ** 2 for a, b in zip(colour, p.colour, strict=True)) ** 0.5
            return 1.0 - dist / 450.0

        scored = [(score(p), p) for p in self._photos if self._matches(p, filters)]
        return self._rank(scored, k, cut_off)

    def photo(self, photo_id: int) -> PhotoDetails:
        self._record("photo", photo_id)
        p = next(p for p in self._photos if p.photo_id == photo_id)
        make, _, model = p.camera.partition(" ")
        folder = next((f for f in self._folders if p.path.is_relative_to(f)), None)
        return PhotoDetails(
            photo_id=p.photo_id,
            path=p.path,
            folder=folder,
            size_bytes=p.path.stat().st_size,
            width=p.width,
            height=p.height,
            taken_at=p.taken_at,
            camera_make=make,
            camera_model=model,
            gps_lat=None,
            gps_lon=None,
            status="indexed",
            error=None,
        )

    def cameras(self) -> list[str]:
        self._record("cameras")
        return sorted({p.camera for p in self._photos if self._in_folders(p)})

    # -- status ------------------------------------------------------------------------------

    def failures(self) -> list[FailedPhoto]:
        self._record("failures")
        if not any(self.broken.is_relative_to(f) for f in self._folders):
            return []
        return [FailedPhoto(self.broken, "Not a valid image: the JPEG data is truncated.")]

    def status(self) -> LibraryStatus:
        self._record("status")
        inside = [p for p in self._photos if self._in_folders(p)]
        failures = self.failures()
        return LibraryStatus(
            home=self.home,
            photos=len(inside) + len(failures),
            indexed=sum(p.indexed for p in inside),
            pending=sum(not p.indexed for p in inside),
            failed=len(failures),
            offline=0,
            model=self._settings.model,
            device="cpu",
            index_bytes=1024,
            folders=self.folders(),
            failures=failures,
            # what the engine plans on a CPU; the fake exports nothing, so no fidelity figures
            runtime="torch" if self.runtime_request == "torch" else "onnx",
        )

    def close(self) -> None:
        self._record("close")
