"""The second stage of a search: the matcher's feature cache, fusion with the first stage,
and the facade's reranker (which matcher, which K, reranking hits and captions).

The matcher itself (:class:`engine.models.matcher.Matcher`) lives with the models; this module
decides how its verdict reorders a result list (:func:`fuse`) and keeps its query-independent
image features (:class:`FeatureCache`).

Why one module past 500 lines: the cache, the fusion rule and the reranker that applies them
are one stage's policy (what is cached is keyed by the matcher the reranker chose, and fusion
reads the features' verdicts); the matcher's own code is already apart.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import EngineError
from engine.jobs import CancelToken
from engine.models.matcher import (
    BF16_MIN_PARAMS,
    DEFAULT_K,
    SMALL_MATCHER_K,
    BlipMatcher,
    Matcher,
    parse_matcher_spec,
    sigmoid,
)
from engine.records import ModelProgress
from engine.search.query import Query

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Feature cache


class FeatureCache:
    """The matcher's image features by (matcher id, photo content hash): memory LRU + disk.

    Features do not depend on the query, so every later query that reaches the same photo
    skips the image tower. The memory side holds ``memory_bytes`` (least recently used first
    out); the disk side (``disk_dir``, under the library folder) holds ``disk_bytes`` of
    ``.npy`` files written atomically, oldest first out. BLIP-base features are ~0.9 MB per
    photo (577 x 768 float16); the demo matcher's 33 KB.
    """

    def __init__(self, disk_dir: Path | None = None, *, memory_bytes: int = 256 << 20,
                 disk_bytes: int = 2 << 30) -> None:
        self.disk_dir = disk_dir
        self.memory_bytes = memory_bytes
        self.disk_bytes = disk_bytes
        self._mem: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._mem_size = 0
        self._lock = threading.Lock()
        self._puts_since_trim = 0

    def _file(self, matcher_id: str, key: str) -> Path | None:
        if self.disk_dir is None:
            return None
        return self.disk_dir / _slug(matcher_id) / key[:2] / f"{key}.npy"

    def get(self, matcher_id: str, key: str) -> np.ndarray | None:
        """Cached features, or None."""
        with self._lock:
            arr = self._mem.get((matcher_id, key))
            if arr is not None:
                self._mem.move_to_end((matcher_id, key))
                return arr
        path = self._file(matcher_id, key)
        if path is None or not path.is_file():
            return None
        try:
            arr = np.load(path, allow_pickle=False)
            os.utime(path)  # recently used: evicted last
        except (OSError, ValueError):
            log.warning("ignoring an unreadable cached feature file %s", path)
            return None
        self._remember(matcher_id, key, arr)
        return arr

    def has(self, matcher_id: str, key: str) -> bool:
        """Whether features are cached (in memory or on disk), without reading them."""
        with self._lock:
            if (matcher_id, key) in self._mem:
                return True
        path = self._file(matcher_id, key)
        return path is not None and path.is_file()

    def put(self, matcher_id: str, key: str, features: np.ndarray) -> None:
        """Store features in memory and on disk."""
        self._remember(matcher_id, key, features)
        path = self._file(matcher_id, key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, features, allow_pickle=False)
            os.replace(tmp, path)
        except OSError:
            log.warning("could not write the feature cache %s", path, exc_info=True)
            return
        self._puts_since_trim += 1
        if self._puts_since_trim >= 64:
            self._puts_since_trim = 0
            self.trim_disk()

    def _remember(self, matcher_id: str, key: str, arr: np.ndarray) -> None:
        with self._lock:
            old = self._mem.pop((matcher_id, key), None)
            if old is not None:
                self._mem_size -= old.nbytes
            self._mem[(matcher_id, key)] = arr
            self._mem_size += arr.nbytes
            while self._mem_size > self.memory_bytes and len(self._mem) > 1:
                _, dropped = self._mem.popitem(last=False)
                self._mem_size -= dropped.nbytes

    def trim_disk(self) -> None:
        """Delete the least recently used files until the disk side fits ``disk_bytes``."""
        if self.disk_dir is None or not self.disk_dir.is_dir():
            return
        files = []
        for path in self.disk_dir.rglob("*.npy"):
            try:
                st = path.stat()
            except OSError:
                continue
            files.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.disk_bytes:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass

    def clear_memory(self) -> None:
        """Forget the in-memory side (the disk side stays)."""
        with self._lock:
            self._mem.clear()
            self._mem_size = 0


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:120]


def bytes_key(data: bytes) -> str:
    """The cache key of encoded image bytes (same digest as :func:`imaging.content_hash`)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# ---------------------------------------------------------------------------------------------
# Fusion


@dataclass(frozen=True)
class FusionPolicy:
    """How the matcher's verdict and the first stage's score combine (see :func:`fuse`)."""

    first_scale: float = 100.0  # the dual encoder's logit scale: cosine -> log-odds units
    max_log_odds: float = 6.9  # the matcher's log-odds are clipped to +-this (p = 0.001..0.999)
    reject_below: float = 0.2  # the first stage's top hit moves only if the matcher gives it
    accept_above: float = 0.5  # less than this and the new leader at least this probability,
    keep_within: int = 3  # and even then it stays among the first ``keep_within`` results

    @property
    def unbeatable_lead(self) -> float:
        """A first-stage cosine lead no matcher verdict can overturn (2 L / scale)."""
        return 2 * self.max_log_odds / self.first_scale


def fuse(first: np.ndarray, log_odds: np.ndarray, policy: FusionPolicy = FusionPolicy(),
         pinned: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The reranked order of K candidates and their fused scores.

    ``first`` holds the first stage's cosine similarities, ``log_odds`` the matcher's (NaN where
    it has no verdict, e.g. an unreadable file: treated as 0, no opinion). ``pinned`` marks
    exact keyword hits (a caption or file name that contains the query word for word): they
    stay in front, in their first-stage order.

    The fused score is a product of two experts, in log space::

        fused_i = first_scale * (first_i - max(first)) + clip(log_odds_i, -L, +L)

    The first term is the log of the dual encoder's own softmax over the candidates (CLIP's
    logit scale turns cosines into log-odds units); the second the matcher's log-odds. Near
    ties of the first stage (the compositional twins: same objects, colours swapped) are
    decided by the matcher; clear first-stage differences are only overturned by a confident
    matcher. Guarantees, whatever the matcher says:

    1. Bounded influence: the clip makes any matcher verdict worth at most 2 L in the
       comparison of two candidates, so a candidate whose cosine leads another's by more than
       ``policy.unbeatable_lead`` (0.138 at scale 100) always stays ahead of it.
    2. The first stage's top hit keeps first place unless the matcher confidently rejects it
       (probability < ``reject_below``) *and* confidently accepts the candidate that would
       replace it (>= ``accept_above``).
    3. Even then it is never pushed below place ``keep_within`` (3): a wrong matcher can cost an
       exact hit two places, never bury it.
    4. Pinned keyword hits never move behind an unpinned candidate.
    """
    first = np.asarray(first, np.float64)
    n = len(first)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    lo = np.nan_to_num(np.asarray(log_odds, np.float64), nan=0.0)
    lo = np.clip(lo, -policy.max_log_odds, policy.max_log_odds)
    fused = policy.first_scale * (first - first.max()) + lo
    pin = np.zeros(n, bool) if pinned is None else np.asarray(pinned, bool)
    head = [i for i in np.argsort(-first, kind="stable") if pin[i]]
    rest_idx = np.flatnonzero(~pin)
    if len(rest_idx) == 0:
        return np.asarray(head, np.int64), fused
    rest = list(rest_idx[np.argsort(-fused[rest_idx], kind="stable")])
    top = int(rest_idx[np.argmax(first[rest_idx])])
    if rest[0] != top:
        p = sigmoid(lo)
        confident = p[top] < policy.reject_below and p[rest[0]] >= policy.accept_above
        rest.remove(top)
        place = min(max(0, policy.keep_within - 1), len(rest)) if confident else 0
        if confident:
            place = min(place, _natural_place(rest, fused, top))
        rest.insert(place, top)
    return np.asarray(head + rest, np.int64), fused


def _natural_place(rest: list[int], fused: np.ndarray, item: int) -> int:
    """Where ``item`` falls in ``rest`` (sorted by fused score) by its own fused score."""
    return sum(1 for i in rest if fused[i] > fused[item])


# ---------------------------------------------------------------------------------------------
# The second stage


@dataclass(frozen=True)
class Candidate:
    """One image to rerank: its cache key (content hash; None = do not cache) and a loader."""

    key: str | None
    load: Callable[[], Image.Image]


class SecondStage:
    """A matcher with its feature cache: log-odds of one text against many images, or of one
    image against many texts. Images the cache lacks are decoded on a small thread pool and
    encoded in batches; an image that cannot be read gets NaN (no verdict)."""

    def __init__(self, matcher: Matcher, cache: FeatureCache) -> None:
        self.matcher = matcher
        self.cache = cache

    def features(self, candidates: Sequence[Candidate],
                 cancel: CancelToken | None = None) -> list[np.ndarray | None]:
        """Features per candidate (None where the image cannot be read).

        Photos are decoded on a thread per core while the device encodes them in chunks of
        :attr:`Matcher.encode_chunk`; ``cancel`` is checked between chunks (raises
        :class:`~engine.errors.Cancelled`), and chunks already encoded stay cached.
        """
        matcher = self.matcher.load()
        out: list[np.ndarray | None] = [None] * len(candidates)
        missing: list[int] = []
        for i, cand in enumerate(candidates):
            hit = self.cache.get(matcher.feature_id, cand.key) if cand.key else None
            if hit is not None:
                out[i] = hit
            else:
                missing.append(i)
        if not missing:
            return out

        def load(i: int) -> Any:
            image = _try_load(candidates[i])
            return None if image is None else matcher.prepare(image)

        pool = ThreadPoolExecutor(decode_threads(len(missing)), thread_name_prefix="rerank-decode")
        try:
            pending = [pool.submit(load, i) for i in missing]
            step = max(1, matcher.encode_chunk)
            for start in range(0, len(missing), step):
                if cancel is not None:
                    cancel.check()
                chunk = [(i, f.result()) for i, f in zip(missing[start:start + step],
                                                         pending[start:start + step], strict=True)]
                ok = [(i, im) for i, im in chunk if im is not None]
                feats = matcher.encode_prepared([im for _, im in ok])
                for (i, _), f in zip(ok, feats, strict=True):
                    out[i] = f
                    key = candidates[i].key
                    if key:
                        self.cache.put(matcher.feature_id, key, f)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return out

    def text_against_images(self, text: str, candidates: Sequence[Candidate],
                            cancel: CancelToken | None = None) -> np.ndarray:
        """Log-odds of ``text`` for each candidate image (NaN where unreadable)."""
        feats = self.features(candidates, cancel)
        out = np.full(len(candidates), np.nan, np.float32)
        have = [(i, f) for i, f in enumerate(feats) if f is not None]
        if have:
            if cancel is not None:
                cancel.check()
            out[[i for i, _ in have]] = self.matcher.match([f for _, f in have], [text])
        return out

    def image_against_texts(self, candidate: Candidate, texts: Sequence[str],
                            cancel: CancelToken | None = None) -> np.ndarray:
        """Log-odds of each text for one image (all NaN if it cannot be read)."""
        feats = self.features([candidate], cancel)[0]
        if feats is None or not texts:
            return np.full(len(texts), np.nan, np.float32)
        return self.matcher.match([feats], list(texts))


def photo_loader(path: Path, size: int) -> Callable[[], Image.Image]:
    """A :class:`Candidate`'s loader for the photo at ``path``, decoded for an image tower of
    ``size`` pixels (reduced-scale JPEG decoding, EXIF orientation)."""
    from engine.media import imaging

    return lambda: imaging.decode_photo(path, size).image


def decode_threads(n: int) -> int:
    """Threads for decoding ``n`` photos: one per core, at most 16 (JPEG decoding and resizing
    release the GIL, so they scale with cores; the device work stays on the caller's thread)."""
    return max(1, min(n, os.cpu_count() or 4, 16))


def _try_load(candidate: Candidate) -> Image.Image | None:
    try:
        return candidate.load()
    except EngineError as exc:
        log.info("rerank skips an image: %s", exc.user_message)
    except OSError as exc:
        log.info("rerank skips an image: %s", exc)
    return None


def default_rerank_k(matcher: Matcher) -> int:
    """K for a loaded matcher on its device, from measurements (see :data:`DEFAULT_K`)."""
    if 0 < matcher.parameters < BF16_MIN_PARAMS:
        return SMALL_MATCHER_K
    device = matcher.device.split(":")[0]
    return DEFAULT_K.get(device, DEFAULT_K["cpu"])


# ---------------------------------------------------------------------------------------------
# The facade's second stage


def content_hashes(catalog: Any, ids: Sequence[int]) -> dict[int, str]:
    """photo id -> content hash (the feature cache's key)."""
    out: dict[int, str] = {}
    ids = [int(i) for i in ids]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = catalog._query(f"SELECT id, content_hash FROM photos WHERE id IN "
                              f"({','.join('?' * len(chunk))}) AND content_hash IS NOT NULL",
                              chunk)
        out.update({int(r[0]): r[1] for r in rows})
    return out


class Reranker:
    """The second stage as the library uses it: the matcher its settings name (rebuilt when
    they change), the feature cache under the library folder, K and the fusion policy."""

    def __init__(self, catalog: Any, home: Path, spec: Callable[[], str],
                 device: Callable[[], str], k_setting: Callable[[], int],
                 encoder: Callable[[], Any]) -> None:
        self.catalog = catalog
        self.home = home
        self._spec = spec
        self._device = device
        self._k_setting = k_setting
        self._encoder = encoder
        self._stage: SecondStage | None = None
        self._key: tuple[str, str] | None = None
        self._lock = threading.Lock()
        self._scale: float | None = None
        self._busy = 0  # reranks running now (background preparation waits for them)

    @property
    def busy(self) -> bool:
        """Whether a search's rerank is running now."""
        return self._busy > 0

    @contextmanager
    def _in_use(self) -> Iterator[None]:
        with self._lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1

    @property
    def spec(self) -> str:
        """The matcher spec in effect."""
        return self._spec()

    def stage(self) -> SecondStage:
        """The matcher (not necessarily loaded) with its cache; rebuilt when settings change."""
        key = (self.spec, self._device())
        with self._lock:
            if self._stage is None or self._key != key:
                matcher = BlipMatcher(parse_matcher_spec(key[0]), key[1])
                cache = FeatureCache(self.home / "cache" / "matcher")
                self._stage, self._key = SecondStage(matcher, cache), key
            return self._stage

    def image_tower(self) -> dict[str, Any]:
        """The matcher's image tower (``runtime``: ``torch`` or ``onnx <precision>``) with its
        ONNX fidelity figures. Asking loads nothing: before the matcher loads, the export it
        would use on the CPU (with ``planned``: True), or empty when there is none yet."""
        stage = self._stage
        if stage is not None and stage.matcher.loaded:
            return {"runtime": stage.matcher.image_tower, **stage.matcher.image_fidelity}
        from engine.models.matcher import matcher_unavailable_reason
        from engine.models.matcher_export import (
            fidelity_of,
            is_current_matcher_export,
            matcher_export_folder,
            read_manifest_of,
        )
        from engine.models.runtime import planned_runtime, resolve_runtime

        if matcher_unavailable_reason() is not None:  # the lean edition: no reranking
            return {}
        try:
            if planned_runtime(resolve_runtime(None), self._device()) != "onnx":
                return {}
            matcher_id = parse_matcher_spec(self.spec).matcher_id
        except EngineError:  # a bad spec or runtime: searching with --rerank says why
            return {}
        folder = matcher_export_folder(matcher_id)
        manifest = read_manifest_of(folder)
        if manifest is None or not is_current_matcher_export(
                folder, matcher_id, int(manifest.get("image_size", 0))):
            return {}
        figures = fidelity_of(manifest)
        return {"runtime": f"onnx {figures['precision']}", **figures, "planned": True}

    def matcher(self, on_progress: Callable[[ModelProgress], None] | None = None) -> Matcher:
        """The loaded matcher (raises ModelUnavailableError when its weights are missing);
        ``on_progress`` hears of a first-time download's bytes."""
        return self.stage().matcher.load(on_progress)

    def k(self) -> int:
        """Candidates to rerank: the ``rerank_k`` setting, else the measured default."""
        configured = int(self._k_setting() or 0)
        return configured if configured > 0 else default_rerank_k(self.matcher())

    def policy(self) -> FusionPolicy:
        """The fusion policy, on the dual encoder's own logit scale."""
        if self._scale is None:
            self._scale = _logit_scale(self._encoder())
        return FusionPolicy(first_scale=self._scale)

    def rerank_hits(self, query: Query, hits: Sequence[Any], k: int | None = None,
                    cancel: CancelToken | None = None) -> list[Any]:
        """``hits`` with the first ``k`` reordered by the matcher (the rest keep their order)."""
        text = query.rerank_text
        if text is None or not hits:
            return list(hits)
        with self._in_use():
            return self._rerank_hits(text, hits, k, cancel)

    def _rerank_hits(self, text: str, hits: Sequence[Any], k: int | None,
                     cancel: CancelToken | None) -> list[Any]:
        from dataclasses import replace

        stage = self.stage()
        matcher = stage.matcher.load()
        k = k or self.k()
        head, tail = list(hits[:k]), list(hits[k:])
        hashes = content_hashes(self.catalog, [h.photo_id for h in head])
        size = matcher.image_size
        candidates = [Candidate(hashes.get(h.photo_id), photo_loader(h.path, size))
                      for h in head]
        log_odds = stage.text_against_images(text, candidates, cancel)
        order, _ = fuse(np.asarray([h.score for h in head]), log_odds, self.policy(),
                        pinned=[bool(getattr(h, "keyword_match", False)) for h in head])
        probs = sigmoid(log_odds)
        reranked = [replace(head[i], match_probability=None if np.isnan(log_odds[i])
                            else float(probs[i])) for i in order]
        return reranked + tail

    def rerank_captions(self, candidate: Candidate, hits: Sequence[Any],
                        k: int | None = None, cancel: CancelToken | None = None) -> list[Any]:
        """Caption hits for one image, the first ``k`` reordered by the matcher."""
        if not hits:
            return []
        with self._in_use():
            return self._rerank_captions(candidate, hits, k, cancel)

    def _rerank_captions(self, candidate: Candidate, hits: Sequence[Any], k: int | None,
                         cancel: CancelToken | None) -> list[Any]:
        from dataclasses import replace

        stage = self.stage()
        stage.matcher.load()
        k = k or self.k()
        head, tail = list(hits[:k]), list(hits[k:])
        log_odds = stage.image_against_texts(candidate, [h.text for h in head], cancel)
        order, _ = fuse(np.asarray([h.score for h in head]), log_odds, self.policy())
        probs = sigmoid(log_odds)
        return [replace(head[i], match_probability=None if np.isnan(log_odds[i])
                        else float(probs[i])) for i in order] + tail


def _logit_scale(encoder: Any) -> float:
    """The dual encoder's learned temperature (CLIP: 100), clamped to [10, 100]."""
    try:
        recorded = getattr(encoder, "logit_scale", None)  # the ONNX encoder's, from its export
        scale = float(recorded) if recorded else float(encoder.model.logit_scale.detach().exp())
    except Exception:
        return FusionPolicy.first_scale
    return float(min(100.0, max(10.0, scale)))


