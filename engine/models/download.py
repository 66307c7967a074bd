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

A model whose text tower is a Hugging Face model (open_clip's multilingual models: XLM-RoBERTa,
NLLB) also needs that tower's ``config.json`` and its tokenizer's files, from another
repository (``text_cfg.hf_model_name`` / ``hf_tokenizer_name``): transformers fetches them
while open_clip builds the model, so they are fetched here too, with the same progress, and the
model then loads from the cache alone (offline as well).
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
# What transformers asks a Hugging Face text tower's repositories for, in its order: the
# architecture (AutoConfig) and the tokenizer (AutoTokenizer: a fast tokenizer.json, the
# SentencePiece model of XLM-R and NLLB, and the small JSON files). Absent ones are skipped.
TEXT_CONFIG_FILE = "config.json"
TOKENIZER_FILES = ("tokenizer_config.json", "config.json", "tokenizer.json",
                   "sentencepiece.bpe.model", "special_tokens_map.json", "added_tokens.json")

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
        return [(repo, (CONFIG_FILE,)), (repo, (SAFE_WEIGHTS_FILE, WEIGHTS_FILE)),
                *text_tower_candidates(model_config(spec))]
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
    weights: list[tuple[str, tuple[str, ...]]]
    if not filename or filename == WEIGHTS_FILE:
        weights = [(repo, (SAFE_WEIGHTS_FILE, WEIGHTS_FILE))]
    elif filename.endswith((".bin", ".pth")):
        weights = [(repo, (filename[:-4] + ".safetensors", filename))]
    else:
        weights = [(repo, (filename,))]
    return weights + text_tower_candidates(model_config(spec))


def text_tower_repos(model_cfg: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """The Hub repositories of an open_clip ``model_cfg``'s Hugging Face text tower and
    tokenizer ((None, None) for CLIP's own text transformer)."""
    text_cfg = (model_cfg or {}).get("text_cfg") or {}
    return text_cfg.get("hf_model_name") or None, text_cfg.get("hf_tokenizer_name") or None


def text_tower_candidates(model_cfg: dict[str, Any] | None) -> list[tuple[str, tuple[str, ...]]]:
    """The text tower files transformers will fetch for ``model_cfg`` (see
    :func:`hub_candidates`); local folders are not fetched."""
    model_repo, tokenizer_repo = text_tower_repos(model_cfg)
    out: list[tuple[str, tuple[str, ...]]] = []
    if model_repo and not os.path.isdir(model_repo):
        out.append((model_repo, (TEXT_CONFIG_FILE,)))
    if tokenizer_repo and not os.path.isdir(tokenizer_repo):
        out += [(tokenizer_repo, (name,)) for name in TOKENIZER_FILES
                if (tokenizer_repo, (name,)) not in out]
    return out


def model_config(spec: ModelSpec) -> dict[str, Any] | None:
    """The open_clip ``model_cfg`` of ``spec`` if known without the network: built in, in a
    local folder, or an hf-hub config already in the cache."""
    import json

    path: str | None = None
    if spec.local_dir is not None:
        path = str(spec.local_dir / CONFIG_FILE)
    elif spec.open_clip_name.startswith("hf-hub:"):
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(spec.open_clip_name[len("hf-hub:"):].strip("/"),
                                       CONFIG_FILE)
        path = found if isinstance(found, str) else None
    else:
        import open_clip

        return open_clip.get_model_config(spec.open_clip_name)
    if path is None or not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            cfg = json.load(fh).get("model_cfg")
    except (OSError, ValueError, AttributeError):
        return None
    return cfg if isinstance(cfg, dict) else None


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
    cache, its text tower's and tokenizer's included; returns the bytes fetched (see
    :func:`download_files`)."""
    candidates = hub_candidates(spec)
    later = None
    if spec.open_clip_name.startswith("hf-hub:") and model_config(spec) is None:
        # The text tower is named in the config, which comes first: ask again once it is here.
        def later() -> list[tuple[str, tuple[str, ...]]]:
            return text_tower_candidates(model_config(spec))

    return download_files(spec.raw, candidates, on_progress, later)


def download_files(label: str, candidates: list[tuple[str, tuple[str, ...]]],
                   on_progress: Callable[[ModelProgress], None],
                   later: Callable[[], list[tuple[str, tuple[str, ...]]]] | None = None) -> int:
    """Fetch the files of ``candidates`` (see :func:`files_to_download`) that are not cached
    yet; returns the bytes fetched. ``on_progress`` gets a "download" :class:`ModelProgress`
    for the model ``label`` at the start, after every chunk and at the end; whatever it raises
    (``Cancelled``) stops the download. ``later`` names more candidates once the first file
    (a config that names them) has arrived; the total grows by their size then."""
    from huggingface_hub import hf_hub_download

    files = files_to_download(candidates)
    if later is not None and not files:
        files, later = files_to_download(later()), None
    if not files:
        return 0
    total = sum(f.size for f in files)
    done = 0
    log.info("downloading %s: %d file(s), %d bytes", label, len(files), total)

    def report(name: str) -> None:
        on_progress(ModelProgress("download", label, name, done, total))

    report(files[0].name)
    index = 0
    while index < len(files):
        hub_file = files[index]
        index += 1
        start = done

        def arrived(n: int, name: str = hub_file.name) -> None:
            nonlocal done
            done += n
            report(name)

        with _plain_http_downloads():
            hf_hub_download(hub_file.repo, hub_file.name, tqdm_class=_byte_counter(arrived))
        if hub_file.size:  # the announced size is what counts (a re-sent chunk counts twice)
            done = start + hub_file.size
        if later is not None:
            more = [f for f in files_to_download(later()) if f not in files]
            later = None
            if more:
                files += more
                total += sum(f.size for f in more)
                log.info("and the text tower: %d file(s), %d bytes", len(more),
                         sum(f.size for f in more))
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
