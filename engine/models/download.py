"""Fetching a model's weights from the Hugging Face Hub with byte progress and cancellation.

open_clip downloads what it needs by itself, with no progress a caller can show and no way to
stop it. So before open_clip loads a Hub model, :func:`download_model_files` fetches the very
files open_clip will ask for (same repositories, same names, same order of preference) into
the same Hugging Face cache, reporting bytes as they arrive; open_clip then finds them cached.

Cancelling works through the progress callback: it raises (``Job``'s report raises
``Cancelled`` once the job is cancelled) inside huggingface_hub's download loop, which deletes
its temporary ``.incomplete`` file. A file only enters the cache, under its final name, once it
arrived whole and had the size the Hub announced, so a cancelled download never passes for a
finished one and the next attempt starts that file afresh.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engine.records import ModelProgress

if TYPE_CHECKING:
    from engine.models.clip import ModelSpec

log = logging.getLogger(__name__)

CONFIG_FILE = "open_clip_config.json"
SAFE_WEIGHTS_FILE = "open_clip_model.safetensors"
WEIGHTS_FILE = "open_clip_pytorch_model.bin"
# huggingface_hub hands over 10 MB at a time; at a slow connection's 1 MB/s that would be 10 s
# between two chances to cancel. 256 KB keeps cancelling prompt at negligible cost.
CHUNK_BYTES = 256 * 1024

_settings_lock = threading.Lock()


@dataclass(frozen=True)
class HubFile:
    """One file to fetch: where it lives and how big it is."""

    repo: str
    name: str
    size: int


def hub_candidates(spec: ModelSpec) -> list[tuple[str, tuple[str, ...]]]:
    """What open_clip will fetch from the Hub for ``spec``: (repository, file names to try in
    order) pairs; the first name that exists is the one used. Empty for local models and for
    pretrained tags open_clip fetches from a plain URL."""
    if spec.local_dir is not None:
        return []
    if spec.open_clip_name.startswith("hf-hub:"):
        repo = spec.open_clip_name[len("hf-hub:") :].strip("/")
        return [(repo, (CONFIG_FILE,)), (repo, (SAFE_WEIGHTS_FILE, WEIGHTS_FILE))]
    try:
        import open_clip

        cfg = open_clip.get_pretrained_cfg(spec.open_clip_name, spec.pretrained or "")
    except Exception:
        return []
    if not cfg or cfg.get("file") or not cfg.get("hf_hub"):
        return []
    # open_clip's convention: "org/repo/" means the default weights file, "org/repo/name.bin"
    # that file; either way a .safetensors twin is preferred when the repository has one.
    repo, filename = os.path.split(str(cfg["hf_hub"]))
    if not filename or filename == WEIGHTS_FILE:
        return [(repo, (SAFE_WEIGHTS_FILE, WEIGHTS_FILE))]
    if filename.endswith((".bin", ".pth")):
        return [(repo, (filename[:-4] + ".safetensors", filename))]
    return [(repo, (filename,))]


def files_to_download(candidates: list[tuple[str, tuple[str, ...]]]) -> list[HubFile]:
    """The files still needed from the Hub, of ``candidates`` ((repository, file names to try
    in order) pairs; asks the Hub for sizes, so it needs it online).

    A group whose preferred file is cached needs nothing; a name the repository lacks is
    skipped for the next; a group where no name exists is left to the loader to report.
    """
    from huggingface_hub import get_hf_file_metadata, hf_hub_url, try_to_load_from_cache
    from huggingface_hub.errors import EntryNotFoundError

    wanted: list[HubFile] = []
    for repo, names in candidates:
        for name in names:
            if isinstance(try_to_load_from_cache(repo, name), str):
                break
            try:
                meta = get_hf_file_metadata(hf_hub_url(repo, name))
            except EntryNotFoundError:
                continue
            wanted.append(HubFile(repo, name, int(meta.size or 0)))
            break
    return wanted


def download_model_files(spec: ModelSpec, on_progress: Callable[[ModelProgress], None]) -> int:
    """Fetch the Hub files the open_clip model ``spec`` is missing into the Hugging Face
    cache; returns the bytes fetched (see :func:`download_files`)."""
    return download_files(spec.raw, hub_candidates(spec), on_progress)


def download_files(label: str, candidates: list[tuple[str, tuple[str, ...]]],
                   on_progress: Callable[[ModelProgress], None]) -> int:
    """Fetch the files of ``candidates`` (see :func:`files_to_download`) that are not cached
    yet; returns the bytes fetched. ``on_progress`` gets a "download" :class:`ModelProgress`
    for the model ``label`` at the start, after every chunk and at the end; whatever it raises
    (``Cancelled``) stops the download."""
    from huggingface_hub import hf_hub_download

    files = files_to_download(candidates)
    if not files:
        return 0
    total = sum(f.size for f in files)
    done = 0
    log.info("downloading %s: %d file(s), %d bytes", label, len(files), total)

    def report(name: str) -> None:
        on_progress(ModelProgress("download", label, name, done, total))

    report(files[0].name)
    for hub_file in files:
        start = done

        def arrived(n: int, name: str = hub_file.name) -> None:
            nonlocal done
            done += n
            report(name)

        with _plain_http_downloads():
            hf_hub_download(hub_file.repo, hub_file.name, tqdm_class=_byte_counter(arrived))
        if hub_file.size:  # the announced size is what counts (a re-sent chunk counts twice)
            done = start + hub_file.size
    report(files[-1].name)
    return total


def _byte_counter(on_bytes: Callable[[int], None]) -> Any:
    """A stand-in for the tqdm class huggingface_hub draws its bar with: it forwards each
    chunk's byte count to ``on_bytes`` and draws nothing."""

    class ByteCounter:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self.n = int(kwargs.get("initial") or 0)

        def __enter__(self) -> ByteCounter:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def update(self, n: float | None = 1) -> None:
            self.n += int(n or 0)
            on_bytes(int(n or 0))

        def close(self) -> None:
            return None

    return ByteCounter


@contextmanager
def _plain_http_downloads() -> Iterator[None]:
    """Download over plain HTTP in small chunks while inside.

    The Xet transfer path runs in native code and offers no point at which a cancel can stop
    it; plain HTTP (which the Hub still serves for every file) checks at every chunk. These
    are huggingface_hub module settings, read at call time, hence the lock.
    """
    from huggingface_hub import constants

    with _settings_lock:
        saved = constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE
        constants.HF_HUB_DISABLE_XET = True
        constants.DOWNLOAD_CHUNK_SIZE = CHUNK_BYTES
        try:
            yield
        finally:
            constants.HF_HUB_DISABLE_XET, constants.DOWNLOAD_CHUNK_SIZE = saved
