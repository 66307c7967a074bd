"""Plain value types the facade hands out: search hits, status, progress, reports.

They are frozen dataclasses with no behaviour, so the app and the CLI can hold and copy them
freely across threads. :mod:`engine.api` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search to photos matching all the given conditions (None = no condition)."""

    after: date | None = None  # taken on or after this day
    before: date | None = None  # taken before this day
    folder: Path | None = None  # inside this folder (any depth)
    camera: str | None = None  # case-insensitive substring of "make model"
    places: tuple[str, ...] = ()  # in any of these cities/regions/countries (by name)

    def is_empty(self) -> bool:
        """True when no condition is set."""
        return not (self.after or self.before or self.folder or self.camera or self.places)


@dataclass(frozen=True)
class SearchHit:
    """One photo in a result list, best first."""

    photo_id: int
    path: Path
    score: float  # cosine similarity for semantic queries (about -1..1), higher is better
    taken_at: str | None
    width: int | None
    height: int | None
    camera: str | None
    size_bytes: int
    online: bool = True
    # Set by the second stage (rerank): the matcher's probability that the query describes the
    # photo. The list order is then the fused order; ``score`` stays the first stage's cosine.
    match_probability: float | None = None
    # Set by hybrid search: a caption or the file name holds the query word for word.
    keyword_match: bool = False
    # Set by hybrid search: the text in the photo (OCR) holds the query.
    text_match: bool = False
    # "video" for a video: ``time_s`` is its best moment for the search (the poster frame's
    # time when no sampled frame beat it), ``duration_s`` its length.
    kind: str = "photo"
    time_s: float | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class PhotoDetails:
    """Everything the catalog knows of one photo (for a preview pane)."""

    photo_id: int
    path: Path
    folder: Path | None
    size_bytes: int
    width: int | None
    height: int | None
    taken_at: str | None
    camera_make: str | None
    camera_model: str | None
    gps_lat: float | None
    gps_lon: float | None
    status: str
    error: str | None


@dataclass(frozen=True)
class FolderInfo:
    """A library folder and how much of it is indexed."""

    path: Path
    photos: int
    indexed: int
    failed: int
    paused: bool
    online: bool


@dataclass(frozen=True)
class FailedPhoto:
    """A photo that could not be indexed, with the reason a user understands."""

    path: Path
    reason: str


@dataclass(frozen=True)
class LibraryStatus:
    """A snapshot of the library for ``photosearch status`` and the app's status bar."""

    home: Path
    photos: int  # every catalogued file, videos included (the other counts are over these)
    indexed: int
    pending: int
    failed: int
    offline: int
    model: str
    device: str
    index_bytes: int
    folders: list[FolderInfo] = field(default_factory=list)
    failures: list[FailedPhoto] = field(default_factory=list)
    analyses: list[AnalysisCoverage] = field(default_factory=list)
    runtime: str = ""  # "onnx" or "torch" (planned, until the model loads)
    # ONNX towers vs open_clip fp32; "matcher_image": the loaded reranker's image tower
    fidelity: dict[str, Any] = field(default_factory=dict)
    videos: int = 0  # how many of ``photos`` are videos (shown apart: "120 photos, 3 videos")


@dataclass(frozen=True)
class AnalysisCoverage:
    """How far one per-photo analysis has got over the library's readable photos."""

    name: str  # "clip", "metadata", "text", ...
    title: str  # what a person reads: "meaning", "text in photos"
    stage: str  # "meaning" (part of indexing) or "background" (its own pass afterwards)
    version: str
    enabled: bool
    done: int  # photos whose content this version has run on successfully
    pending: int  # photos still waiting for it
    failed: int  # photos it could not analyse (with reasons in ``failures``)
    failures: list[FailedPhoto] = field(default_factory=list)


@dataclass(frozen=True)
class AnalysisReport:
    """What one background analysis pass did."""

    name: str
    title: str
    done: int
    failed: int
    seconds: float
    cancelled: bool = False
    error: str | None = None  # why the pass could not run at all (its model is missing, ...)


@dataclass(frozen=True)
class IndexProgress:
    """Where an indexing run stands; sent to progress callbacks."""

    phase: str  # "scanning", "embedding", "saving", "done"
    done: int
    total: int
    failed: int
    reused: int
    rate: float  # photos per second over the embedding phase so far
    eta_s: float | None
    current: str | None = None
    # Which pass: "meaning" (the indexing pass itself) or a background analysis's name, with
    # the title a person reads ("text in photos"). Background passes report phase "analysing".
    pass_name: str = "meaning"
    title: str = "meaning"


@dataclass(frozen=True)
class ModelProgress:
    """Where a model load stands; sent to ``Library.load_model``'s progress callback.

    ``phase`` is "download" while weights come from the Hugging Face Hub (``done_bytes`` of
    ``total_bytes``, summed over every file the model needs; ``file`` is the one arriving now),
    "load" once they are on disk and the model is being read into memory, and "prepare" while a
    model is exported to ONNX Runtime and checked, once per computer (minutes on a slow CPU).
    """

    phase: str  # "download", "load" or "prepare"
    model: str  # the model spec, e.g. "ViT-B-32/laion2b_s34b_b79k"
    file: str = ""
    done_bytes: int = 0
    total_bytes: int = 0


@dataclass(frozen=True)
class IndexReport:
    """What an indexing run did."""

    scanned: int
    added: int
    updated: int
    unchanged: int
    removed: int
    reused: int  # embedded without decoding: an identical file was already embedded
    embedded: int
    failed: int
    seconds: float
    failures: list[FailedPhoto] = field(default_factory=list)
    cancelled: bool = False
    raw_alternates: int = 0  # RAW files indexed once, through their JPEG twin
    analyses: list[AnalysisReport] = field(default_factory=list)  # the background passes


@dataclass(frozen=True)
class Settings:
    """User settings, stored as TOML in the library folder."""

    model: str = "ViT-B-32/laion2b_s34b_b79k"
    device: str = "auto"  # auto, cpu, cuda, mps
    rerank: bool = False
    thumbnail_cache_mb: int = 512
    exclude: tuple[str, ...] = ()
    matcher: str = ""  # second-stage model; "" = demo for the demo model, else BLIP ITM base
    rerank_k: int = 0  # candidates the second stage reorders; 0 = measured default per device
    # While reranking is on, the most recent photos whose matcher features are prepared in the
    # background (engine.search.rerank_prepare), so that reranking them starts warm; 0 = none.
    # 1000 is about 0.9 GB of BLIP-base features.
    rerank_prepare: int = 1000
    disabled_analyses: tuple[str, ...] = ()  # background analyses switched off by the user
    runtime: str = "auto"  # auto (ONNX Runtime on the CPU, PyTorch on a GPU), torch or onnx
    # Where searches find vectors: "" = the local index; milvus://HOST:PORT[/NAME] (never with
    # credentials: they come from the environment or the OS keyring; docs/scale.md)
    vectors: str = ""
    hub_endpoint: str = ""  # the Hugging Face Hub (or a mirror) models come from; "" = the Hub
    query_language: str = ""  # the language of queries, for models that ask; "" = detect


@dataclass(frozen=True)
class CaptionHit:
    """A caption that describes an image (``Library.describe``), best first."""

    text: str
    score: float  # cosine similarity of the image and the caption's text (dual encoder)
    source: str  # "photo" (embedded in a photo or its sidecar), "user" or "vocabulary"
    photo_id: int | None  # the photo the caption belongs to (None for vocabulary captions)
    match_probability: float | None = None  # the matcher's verdict, when reranked


@dataclass(frozen=True)
class PhotoTextLine:
    """One line of text read in a photo: its four corners in the photo's pixels (as
    displayed, clockwise from top-left) and the recogniser's confidence (0..1)."""

    text: str
    box: tuple[tuple[float, float], ...]
    confidence: float


@dataclass(frozen=True)
class PhotoText:
    """What a photo says (``Library.photo_text``): its lines, top to bottom."""

    path: Path
    lines: list[PhotoTextLine]
    from_catalog: bool  # read by the background pass (else read just now)
    note: str | None = None  # why nothing was read ("too small ..."), if so

    @property
    def text(self) -> str:
        """The lines joined by newlines."""
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class PlaceCount:
    """A place of the library's photos, for the Places filter."""

    city: str
    country: str
    photos: int


@dataclass(frozen=True)
class PhotoPlace:
    """Where a photo was taken (``Library.photo_place``): None fields when unknown, with the
    reason (no GPS, (0, 0), out of range)."""

    city: str | None
    region: str | None
    country: str | None
    country_code: str | None
    reason: str | None = None


@dataclass(frozen=True)
class CaptureDate:
    """When a photo was taken and where that came from: ``source`` is "exif", "xmp",
    "xmp-sidecar", "iptc", "exif-ifd0" or "file" (the file's own time, shown as "file date");
    ``offset`` the UTC offset ("+01:00") when the file says; ``rejected`` the dates that were
    ignored, with why."""

    local: str | None  # ISO local time "2019-07-14T10:30:00"
    offset: str | None
    source: str | None
    rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class DuplicatePhoto:
    """One photo of a duplicates group, with what a person compares copies by."""

    photo_id: int
    path: Path
    folder: Path | None
    size_bytes: int
    width: int | None
    height: int | None
    taken_at: str | None
    file_format: str  # the file's suffix, lower case, without the dot


@dataclass(frozen=True)
class DuplicateGroup:
    """Photos that are copies of one picture (``Library.duplicates``).

    ``kind``: "exact" (identical files), "near" (the same picture resized, re-saved,
    converted, lightly cropped or edited) or "similar" (shots of one moment, like a burst).
    ``photos[0]`` is the copy we suggest keeping, for the reason ``keeper_reason``.
    """

    kind: str
    photos: list[DuplicatePhoto]
    keeper_reason: str

    @property
    def keeper(self) -> DuplicatePhoto:
        """The copy we suggest keeping."""
        return self.photos[0]


@dataclass(frozen=True)
class TrashReport:
    """What ``Library.trash`` did: files moved to the system trash (never deleted), and the
    ones left in place with the reason."""

    moved: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    """A group of faces the library believes are one person (``Library.people``)."""

    id: int  # stable: never reused, kept through re-clustering and re-indexing
    name: str | None  # the user's; None until named
    hidden: bool
    face_count: int
    photo_count: int


@dataclass(frozen=True)
class PhotoFace:
    """One face found in a photo (``Library.faces``); ``index`` addresses it in that photo
    (best detector score first) for ``Library.remove_face``."""

    index: int
    box: tuple[float, float, float, float]  # left, top, right, bottom in 0..1 of the photo
    score: float  # the detector's margin
    person_id: int | None  # None: not grouped (too small to recognise)
    person_name: str | None
    described: bool  # whether it has a descriptor (faces narrower than 40 px have none)
