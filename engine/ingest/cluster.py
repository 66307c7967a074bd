"""Indexing on a Ray cluster: decoding and the model run as Ray Data ``map_batches`` stages on
the cluster's workers; this process stays the single catalog writer.

    this process: scan, diff (as the local indexer)
        -> Ray Data: read + hash + decode (tasks)  ->  the model (one replica per actor,
           a GPU each where the cluster has them)
        -> streamed back here: moves, reuse, the light analyses, the single writer

Everything but the per-file pixel work is the local :class:`~engine.ingest.indexer.Indexer`'s
own code: the same progress, cancel (at the next progress point; the Ray job is torn down),
crash safety (one transaction per batch) and per-file failures (a worker records the reason,
the run goes on). Workers read the photos from shared storage: the same paths on every node,
or ``path_map`` pairs (this machine's prefix, the workers' prefix).

Every worker needs PhotoSearch installed (same version, same model files); a worker whose
model differs from this library's is refused, so vectors never mix. The Ray address is only
ever the one the user gave; nothing here listens on a port (Ray's own processes do, on the
cluster the user runs).
"""

from __future__ import annotations

import contextlib
import logging
import pickle
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.analyses.base import Analysis, PhotoInput
from engine.errors import Cancelled, EngineError
from engine.i18n import _
from engine.ingest.indexer import PASS_NAME, REPORT_EVERY_S, Indexer, analyses_to_run
from engine.ingest.pipeline import PassStats, PhotoFailed, image_side, prepare_all
from engine.ingest.work import PhotoWork
from engine.ingest.writer import Writer
from engine.records import IndexProgress
from engine.store.catalog import Catalog, PhotoRecord, PhotoRow

log = logging.getLogger(__name__)


class ClusterError(EngineError):
    """The Ray cluster cannot be reached, or its workers cannot index."""


@dataclass(frozen=True)
class ClusterOptions:
    """How to use the cluster the user named."""

    address: str  # what ray.init(address=...) takes: "HOST:PORT" or "ray://HOST:PORT"
    path_map: tuple[tuple[str, str], ...] = ()  # (this machine's prefix, the workers' prefix)
    replicas: int = 0  # model replicas (actors); 0: one per node of the cluster
    cpus_per_replica: float = 1.0  # fractional on small machines (a whole CPU each can
    # leave none for the read tasks: Ray Data then waits forever)
    cpus_per_read: float = 0.25
    batch_size: int = 32


def map_path(path: str, path_map: Sequence[tuple[str, str]]) -> str:
    """``path`` as the workers see it: the first matching prefix replaced."""
    for local, remote in path_map:
        if path == local or path.startswith(local.rstrip("/\\") + "/") or path.startswith(
                local.rstrip("/\\") + "\\"):
            return remote.rstrip("/\\") + path[len(local.rstrip("/\\")):]
    return path


def parse_path_map(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``LOCAL=REMOTE`` strings as pairs; raises ClusterError for a malformed one."""
    pairs = []
    for value in values:
        local, sep, remote = value.partition("=")
        if not sep or not local or not remote:
            raise ClusterError(_("'{value}' is not a path mapping: use "
                                 "LOCAL_PREFIX=WORKER_PREFIX, e.g. "
                                 "/Volumes/photos=/mnt/photos.").format(value=value))
        pairs.append((str(Path(local).expanduser().resolve()), remote))
    return tuple(pairs)


# -- what runs on the workers ----------------------------------------------------------------

def read_batch(batch: Any, side: int) -> Any:
    """Ray Data stage 1 (tasks): hash and decode each file once, at the pass's size. A file
    that cannot be read carries its reason instead."""
    from engine.media import imaging

    hashes, payloads, errors = [], [], []
    for path in batch["path"]:
        try:
            digest = imaging.content_hash(Path(path))
            decoded = imaging.decode_photo(Path(path), side) if side else None
            image = np.asarray(decoded.image) if decoded is not None else None
            metadata = (decoded.metadata if decoded is not None
                        else imaging.read_metadata(Path(path)))
            hashes.append(digest)
            payloads.append(pickle.dumps((image, metadata), protocol=5))
            errors.append("")
        except EngineError as exc:
            hashes.append("")
            payloads.append(b"")
            errors.append(exc.user_message)
        except Exception as exc:  # an exotic file: its reason, as the local indexer says it
            hashes.append("")
            payloads.append(b"")
            errors.append(f"could not be read: {exc.__class__.__name__}: {exc}")
    out = batch.copy()
    out["hash"], out["payload"], out["error"] = hashes, payloads, errors
    return out


class EmbedBatch:
    """Ray Data stage 2 (an actor pool): one model replica per actor, loaded once."""

    def __init__(self, model: str, model_id: str, device: str, runtime: str,
                 threads: int) -> None:
        import torch

        from engine.models.clip import parse_model_spec
        from engine.models.runtime import build_encoder

        torch.set_num_threads(max(1, threads))
        spec = parse_model_spec(model)
        if spec.model_id != model_id:
            raise ClusterError(
                _("A worker's model '{model}' is {worker_model_id}, this library's is "
                  "{library_model_id}: install the same PhotoSearch and model files on every "
                  "worker.").format(model=model, worker_model_id=spec.model_id,
                                    library_model_id=model_id))
        self.encoder = build_encoder(spec, device, runtime).load()

    def __call__(self, batch: Any) -> Any:
        from PIL import Image

        vectors: list[bytes] = [b""] * len(batch)
        rows, inputs = [], []
        for n, (payload, error) in enumerate(zip(batch["payload"], batch["error"],
                                                 strict=True)):
            if error or not payload:
                continue
            image, _metadata = pickle.loads(payload)
            if image is None:
                continue
            rows.append(n)
            inputs.append(self.encoder.preprocess(Image.fromarray(image)))
        if inputs:
            if isinstance(inputs[0], np.ndarray):
                pixels: Any = np.stack(inputs)
            else:
                import torch

                pixels = torch.stack(inputs)
            out = np.asarray(self.encoder.encode_pixel_batch(pixels), np.float32)
            for n, vector in zip(rows, out, strict=True):
                vectors[n] = vector.tobytes()
        result = batch.copy()
        result["vector"] = vectors
        return result


# -- this process -----------------------------------------------------------------------------

class RayIndexer(Indexer):
    """The local indexer, with decoding and the model on a Ray cluster."""

    def __init__(self, catalog: Catalog, analyses: Sequence[Analysis], options: ClusterOptions,
                 *, model: str, device: str, runtime: str, **kwargs: Any) -> None:
        super().__init__(catalog, analyses, batch_size=options.batch_size, **kwargs)
        self.options = options
        self.model = model
        self.device = device
        self.runtime = runtime

    def _process(self, todo: list[PhotoWork], vanished_by_hash: dict[str, PhotoRow],
                 writer: Writer, stats: PassStats,
                 report: Callable[[IndexProgress], None]) -> None:
        if not todo:
            return
        stats.begin()
        last_report = [0.0]

        def tick(work: PhotoWork | None, submitted: bool = False) -> None:
            # Also after each batch handed to the writer: results arrive in bursts, and a
            # cancel (checked by report) must stop the run at the next batch.
            now = self.clock()
            if work is None or submitted or now - last_report[0] > REPORT_EVERY_S:
                last_report[0] = now
                report(IndexProgress("embedding", stats.done, stats.total, stats.failed,
                                     stats.reused, stats.rate(), stats.eta(),
                                     work.path if work is not None else None,
                                     pass_name=PASS_NAME))

        # closing(): a cancel or an error ends the Ray job (and this driver) at once.
        with contextlib.closing(self._remote_results(todo)) as results:
            self._consume(todo, results, vanished_by_hash, writer, stats, tick)

    def _consume(self, todo: list[PhotoWork], results: Iterator[tuple[int, dict[str, Any]]],
                 vanished_by_hash: dict[str, PhotoRow], writer: Writer, stats: PassStats,
                 tick: Callable[[PhotoWork | None, bool], None]) -> None:
        claimed: set[int] = set()
        batch: list[PhotoWork] = []
        for index, row in results:
            work = todo[index]
            self._finish(work, row, vanished_by_hash, claimed)
            stats.account(work)
            batch.append(work)
            submitted = len(batch) >= self.batch_size
            if submitted:
                writer.submit(batch)
                batch = []
            tick(work, submitted)
        if batch:
            writer.submit(batch)
        tick(None, False)

    def _finish(self, work: PhotoWork, row: dict[str, Any],
                vanished_by_hash: dict[str, PhotoRow], claimed: set[int]) -> None:
        """A worker's result as the local indexer's ``_prepare`` + compute would leave it."""
        f = work.scanned
        assert f is not None
        try:
            if row["error"]:
                raise PhotoFailed(row["error"])
            digest = str(row["hash"])
            work.content_hash = digest
            if work.existing is None:
                moved = vanished_by_hash.get(digest)
                if moved is not None and moved.id not in claimed:
                    claimed.add(moved.id)
                    work.move_from = moved.id
            work.pending = analyses_to_run(self.analyses, Path(f.path), digest)
            image, metadata = pickle.loads(row["payload"])
            from PIL import Image

            photo = PhotoInput(Path(f.path), digest,
                               Image.fromarray(image) if image is not None else None, metadata)
            pending = work.pending
            work.pending = [a for a in pending if not a.heavy]
            prepare_all(work, photo, isolate_failures=False)
            work.pending = pending
            for analysis in pending:
                if analysis.heavy:
                    if not row["vector"]:
                        raise PhotoFailed(f"{analysis.title} was not computed on the cluster")
                    work.results[analysis.name] = np.frombuffer(row["vector"], np.float32)
                    work.computed = True
            work.record = PhotoRecord(path=f.path, folder_id=work.folder_id or 0, size=f.size,
                                      mtime_ns=f.mtime_ns, content_hash=digest)
        except PhotoFailed as exc:
            if not Path(f.path).exists():
                work.vanished = True
            work.error = exc.reason
        except Cancelled:
            raise
        except Exception as exc:  # a bug or an exotic file: record it, keep going
            log.warning("unexpected error with %s", f.path, exc_info=True)
            work.error = f"could not be read: {exc.__class__.__name__}: {exc}"
        if work.error is not None:
            work.prepared.clear()
            work.results.clear()
            work.computed = False
            work.record = PhotoRecord(path=f.path, folder_id=work.folder_id or 0, size=f.size,
                                      mtime_ns=f.mtime_ns, content_hash=None, error=work.error)

    def _remote_results(self, todo: list[PhotoWork]
                        ) -> Generator[tuple[int, dict[str, Any]], None, None]:
        """(index into ``todo``, the workers' row) as results stream in, in any order."""
        ray = _connect(self.options.address)
        try:
            yield from self._stream(ray, todo)
        except (Cancelled, EngineError):
            raise
        except Exception as exc:
            log.warning("the Ray job failed", exc_info=True)
            raise ClusterError(
                _("Indexing on the Ray cluster at {address} failed ({error}: {message}). "
                  "What was written so far is kept; run the index again to go on.").format(
                    address=self.options.address, error=exc.__class__.__name__,
                    message=str(exc)[:300]), details=repr(exc)) from exc
        finally:
            ray.shutdown()  # this driver only: the cluster goes on running

    def _stream(self, ray: Any, todo: list[PhotoWork]) -> Iterator[tuple[int, dict[str, Any]]]:
        import ray.data

        options = self.options
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = False
        side = image_side(self.analyses)
        heavy = [a for a in self.analyses if a.heavy]
        model_id = str(heavy[0].version) if heavy else ""
        resources = ray.cluster_resources()
        gpus = float(resources.get("GPU", 0))
        replicas = options.replicas or max(1, len([n for n in ray.nodes() if n.get("Alive")]))
        if gpus:
            replicas = min(replicas, int(gpus)) or 1
        items = [{"i": n, "path": map_path(w.path, options.path_map)}
                 for n, w in enumerate(todo)]
        ds = ray.data.from_items(items, override_num_blocks=max(
            1, min(len(items) // options.batch_size + 1, 4096)))
        ds = ds.map_batches(read_batch, fn_kwargs={"side": side}, batch_format="pandas",
                            batch_size=options.batch_size, num_cpus=options.cpus_per_read)
        if heavy:
            ds = ds.map_batches(
                EmbedBatch, batch_format="pandas", batch_size=options.batch_size,
                fn_constructor_kwargs={
                    "model": self.model, "model_id": model_id,
                    "device": "cuda" if gpus else self.device, "runtime": self.runtime,
                    "threads": max(1, int(options.cpus_per_replica))},
                concurrency=replicas, num_cpus=options.cpus_per_replica,
                num_gpus=1 if gpus else 0)
        log.info("indexing %d photos on %s: %d model replicas%s", len(items), options.address,
                 replicas, " on GPUs" if gpus else "")
        for batch in ds.iter_batches(batch_size=options.batch_size, batch_format="pandas"):
            for row in batch.to_dict("records"):
                row.setdefault("vector", b"")
                yield int(row["i"]), row


def _connect(address: str) -> Any:
    """Join the cluster the user named (never one we start or guess)."""
    try:
        import ray
    except ImportError as exc:
        raise ClusterError(
            _("Indexing on a cluster needs Ray: pip install 'photosearch[archive]' (or pip "
              "install 'ray[data]').")) from exc
    if not address or address == "auto" or address.startswith("local"):
        raise ClusterError(_("Give the address of a running Ray cluster, e.g. --ray "
                             "10.0.0.5:6379 (PhotoSearch never starts or guesses one)."))
    try:
        ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False,
                 ignore_reinit_error=True)
    except Exception as exc:
        raise ClusterError(
            _("Could not join the Ray cluster at {address} ({error}: {message}). Check "
              "that it runs (`ray status` on its head node) and that this machine can "
              "reach it.").format(address=address, error=exc.__class__.__name__,
                                  message=str(exc)[:300]), details=repr(exc)) from exc
    return ray
