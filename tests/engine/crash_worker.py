"""Worker processes for the crash-safety tests: indexing, watching or saving, until killed.

Importing torch takes seconds, so the tests start this script once (``serve``): it imports the
engine and loads the demo model, then forks one worker process per request. Each worker is a
full process running the real engine through :mod:`engine.api` on a library folder; the tests
kill it with SIGKILL at a random moment and check the library afterwards.

Protocol (JSON lines): a request ``{"mode", "home", "out", "log", "batch", "args"}`` on stdin
is answered with ``{"pid": N}``; ``{"reap": N}`` waits for that worker and answers
``{"status": S}``. Workers write what they do to ``out`` and, just before each batch goes into
the model, the content hashes of its photos to ``log`` (so the test knows what was embedded).

Modes: ``index`` (``Library.index()`` to the end, printing ``started`` and ``done``), ``watch``
(``Library.watch()``, printing ``reconciled`` and each event, until killed), ``save`` (saves
the vector index in a loop while changing it) and ``cli`` (``photosearch ARGS``).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

ENCODER: Any = None


def _library(home: str, log_path: str, batch: int) -> Any:
    from engine.api import Library
    from engine.ingest.indexer import Indexer

    lib = Library.open(Path(home), model="demo", device="cpu")
    lib._model._encoder = ENCODER  # the model the server loaded before forking
    make = lib._new_indexer

    def small_batches() -> Indexer:
        indexer = make()
        indexer.batch_size = batch
        indexer.decode_workers = 1
        return indexer

    lib._new_indexer = small_batches  # type: ignore[method-assign]
    real_compute = Indexer._compute_batch

    def logged_compute(self: Indexer, works: list[Any]) -> None:
        with open(log_path, "a") as f:  # the photos about to go through the model
            f.write("".join(f"{w.content_hash}\n" for w in works if "clip" in w.prepared))
        real_compute(self, works)

    Indexer._compute_batch = logged_compute  # type: ignore[method-assign]
    return lib


def _work(request: dict[str, Any]) -> None:
    mode = request["mode"]
    if mode == "cli":
        from engine import cli

        sys.exit(cli.main(request["args"]))
    lib = _library(request["home"], request["log"], int(request.get("batch", 8)))
    if mode == "index":
        job = lib.index()
        print("started", flush=True)
        report = job.result()
        print(f"done {report.embedded}", flush=True)
        if request.get("stay"):
            while True:  # a kill after the end is no harm either
                time.sleep(1)
    elif mode == "watch":
        watch = lib.watch(on_event=lambda e: print(e.kind, e.path, e.detail, flush=True))
        print("started", flush=True)
        watch.wait_reconciled()
        print("reconciled", flush=True)
        while True:
            time.sleep(1)
    elif mode == "save":
        import numpy as np

        index = lib._vector_index()
        ids = [int(i) for i in index.live_ids()]
        encoder = lib.encoder
        rng = random.Random(os.getpid())
        print("started", flush=True)
        while True:
            some = rng.sample(ids, min(len(ids), 5))
            index.remove(some)
            index.save()
            vecs = lib.catalog.vectors_for_ids(np.asarray(some, np.int64),
                                               encoder.spec.model_id, encoder.dim)
            index.add(np.asarray(some, np.int64), vecs)
            index.save()
    else:
        raise SystemExit(f"unknown mode {mode}")


def _fork(request: dict[str, Any]) -> int:
    pid = os.fork()
    if pid:
        return pid
    try:  # the worker: its own output file, nothing shared with the server's pipes
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(out, 1)
        os.dup2(out, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        _work(request)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def serve() -> None:
    """Load the engine and the model once, then fork workers on request."""
    global ENCODER
    import torch

    torch.set_num_threads(1)  # no thread pool exists before a fork
    from engine.models.clip import ClipEncoder, parse_model_spec

    ENCODER = ClipEncoder(parse_model_spec("demo"), "cpu").load()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "reap" in request:
            _, status = os.waitpid(int(request["reap"]), 0)
            print(json.dumps({"status": status}), flush=True)
        else:
            print(json.dumps({"pid": _fork(request)}), flush=True)


if __name__ == "__main__":
    serve()
