"""Retrieval evaluation in the Flickr30K/COCO convention (Karpathy split JSON, 5 captions each).

Text->image: every caption ranks all images of the split; R@K is the fraction of captions whose
image is in the top K. Image->text: every image ranks all captions; a hit is any of its own
captions in the top K. rSum is the sum of the six recalls in percent points. With a 1,000-image
split this is the "1K test" setting of the Flickr30K literature (COCO's 5K test is 5,000
images).

:func:`evaluate_library` goes through the engine's own path (folders, decode, index, search);
:func:`evaluate_reference` runs the same model with open_clip's own preprocessing on the same
files, so the two can be compared to prove the pipeline loses nothing.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import DatasetError
from engine.i18n import _

log = logging.getLogger(__name__)

KS = (1, 5, 10)
SEARCH_PATH_SAMPLE = 500  # captions searched one by one through Library.search_by_vector


@dataclass(frozen=True)
class EvalImage:
    """One image of the split with its captions (in the first language asked for) and, by
    language, every language's captions asked for."""

    path: Path
    captions: list[str]
    captions_by_lang: dict[str, list[str]] | None = None


def _sentences(entry: dict[str, Any], lang: str) -> list[str]:
    """An image's captions in ``lang``: ``sentences`` for English (Karpathy's key), else
    ``sentences_i18n[lang]`` (``photosearch demo-data`` writes zh, es and ja there)."""
    if lang == "en":
        return [s["raw"] for s in entry.get("sentences", [])]
    return [s["raw"] for s in (entry.get("sentences_i18n") or {}).get(lang, [])]


def dataset_languages(dataset: Path) -> list[str]:
    """The caption languages of a dataset.json: English plus those of ``sentences_i18n``."""
    data = json.loads(Path(dataset).read_text(encoding="utf-8"))
    found = {lang for e in data.get("images", []) for lang in (e.get("sentences_i18n") or {})}
    return ["en", *sorted(found)]


def load_split(dataset: Path, images_dir: Path, split: str,
               langs: Sequence[str] = ("en",)) -> list[EvalImage]:
    """Read a Karpathy-format dataset.json and resolve the split's image files; captions in
    ``langs`` (``en`` reads ``sentences``, others ``sentences_i18n``)."""
    try:
        data = json.loads(Path(dataset).read_text(encoding="utf-8"))
        entries = data["images"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatasetError(_("{dataset} is not a readable Karpathy-format dataset.json "
                             "(expected {{'images': [...]}}): {exc}").format(
                               dataset=dataset, exc=exc)) from exc
    wanted = [e for e in entries if e.get("split") == split
              or (split == "train" and e.get("split") == "restval")]
    if not wanted:
        splits = sorted({str(e.get("split")) for e in entries})
        raise DatasetError(_("The dataset has no images in split '{split}'. Splits "
                             "present: {splits}.").format(split=split, splits=', '.join(splits)))
    out = []
    for e in wanted:
        candidates = [images_dir / e.get("filepath", "") / e["filename"],
                      images_dir / e["filename"]]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            raise DatasetError(_("Image {filename} of the dataset is not under "
                                 "{images_dir}. Pass the folder that holds the images with "
                                 "--images.").format(
                                   filename=e['filename'], images_dir=images_dir))
        by_lang = {lang: _sentences(e, lang) for lang in langs}
        for lang, caps in by_lang.items():
            if not caps:
                where = "sentences" if lang == "en" else f"sentences_i18n['{lang}']"
                raise DatasetError(_("Image {filename} has no captions in '{lang}' "
                                     "({where}). Write the dataset again with `photosearch "
                                     "demo-data`, or pick a language it has with --lang.").format(
                                       filename=e['filename'], lang=lang, where=where))
        out.append(EvalImage(path.resolve(), by_lang[langs[0]], by_lang))
    return out


def recall_metrics(image_vecs: np.ndarray, text_vecs: np.ndarray,
                   caption_owner: np.ndarray) -> dict[str, Any]:
    """R@1/5/10 both ways and rSum from unit vectors; ``caption_owner[j]`` = image of caption j."""
    sims = text_vecs @ image_vecs.T  # (captions, images)
    own = sims[np.arange(len(text_vecs)), caption_owner]
    t2i_rank = (sims > own[:, None]).sum(1)
    best_own = np.full(len(image_vecs), -np.inf, dtype=np.float32)
    np.maximum.at(best_own, caption_owner, own)
    i2t_rank = (best_own[:, None] < sims.T).sum(1)
    out: dict[str, Any] = {
        "t2i": {f"R@{k}": float(np.mean(t2i_rank < k)) for k in KS},
        "i2t": {f"R@{k}": float(np.mean(i2t_rank < k)) for k in KS},
    }
    out["rsum"] = 100.0 * (sum(out["t2i"].values()) + sum(out["i2t"].values()))
    out["images"] = int(len(image_vecs))
    out["captions"] = int(len(text_vecs))
    return out


def evaluate_library(images: list[EvalImage], model: str, *,
                     open_library: Callable[..., Any], home: Path | None = None,
                     device: str | None = None,
                     on_progress: Callable[[Any], None] | None = None,
                     rerank: bool = False, rerank_k: int | None = None,
                     matcher: str | None = None) -> dict[str, Any]:
    """Index the split's images through the engine and measure retrieval.

    ``open_library`` is :meth:`engine.api.Library.open` (passed in: evaluation sits below the
    facade and drives it without importing it). With ``rerank``, text->image is also measured
    for the two-stage search: every caption's first-stage top K reordered by the matcher
    (``metrics["rerank"]``, see :func:`rerank_recall`). Images that carry captions in several
    languages (:func:`load_split` with ``langs``) are indexed once and measured per language
    in ``metrics["by_lang"]``; the top-level figures are the first language's.
    """
    with tempfile.TemporaryDirectory(prefix="photosearch-eval-") as tmp:
        tmp_path = Path(tmp)
        # The split may share a folder with other splits: link just its files into one folder.
        folder = tmp_path / "images"
        folder.mkdir()
        linked = []
        for n, img in enumerate(images):
            link = folder / f"{n:06d}{img.path.suffix.lower()}"
            link.symlink_to(img.path)
            linked.append(link)
        lib = open_library(home or tmp_path / "home", model=model, device=device,
                           matcher=matcher)
        try:
            lib.add_folder(folder)
            report = lib.index(on_progress=on_progress).result()
            if report.failed:
                raise DatasetError(_("{failed} images of the split could not be indexed, "
                                     "e.g. {path}: {reason}").format(
                                       failed=report.failed, path=report.failures[0].path,
                                       reason=report.failures[0].reason))
            texts, owner = _captions(images)
            text_vecs = lib.embed_texts(texts)
            found = [lib.catalog.photo_id_for_path(str(p)) for p in linked]
            ids = [i for i in found if i is not None]
            if len(ids) != len(found):  # every image was just indexed without failures
                raise DatasetError(_("some images of the split are missing from the catalog"))
            encoder = lib.encoder
            image_vecs = lib.catalog.vectors_for_ids(np.asarray(ids, np.int64),
                                                     encoder.spec.model_id, encoder.dim)
            metrics = recall_metrics(image_vecs, text_vecs, owner)
            # Cross-check the library's search path on a sample of captions: the ranking it
            # returns must agree with the matrix ranking above.
            sample = np.arange(0, len(texts), max(1, len(texts) // SEARCH_PATH_SAMPLE))
            search_r1 = _search_path_r1(lib, text_vecs[sample], owner[sample], ids)
            matrix_r1 = float(np.mean(np.argmax(text_vecs[sample] @ image_vecs.T, axis=1)
                                      == owner[sample]))
            if abs(search_r1 - matrix_r1) > 0.01:
                log.warning("search path R@1 %.3f differs from the matrix R@1 %.3f on the "
                            "same %d captions", search_r1, matrix_r1, len(sample))
            metrics["search_path_r1"] = search_r1
            metrics["search_path_matrix_r1"] = matrix_r1
            metrics["model"] = model
            metrics["device"] = encoder.description
            if rerank:
                metrics["rerank"] = rerank_recall(lib, texts, text_vecs, owner, ids, rerank_k)
            if images and images[0].captions_by_lang:
                metrics["by_lang"] = {}
                for lang in images[0].captions_by_lang:
                    lang_texts, lang_owner = _captions(images, lang)
                    metrics["by_lang"][lang] = recall_metrics(
                        image_vecs, lib.embed_texts(lang_texts), lang_owner)
            return metrics
        finally:
            lib.close()


def _search_path_r1(lib: Any, text_vecs: np.ndarray, owner: np.ndarray, ids: list) -> float:
    hits = 0
    for j, vec in enumerate(text_vecs):
        top = lib.search_by_vector(vec, k=1, cut_off=False)
        hits += bool(top) and top[0].photo_id == ids[owner[j]]
    return hits / max(1, len(text_vecs))


def _captions(images: list[EvalImage], lang: str | None = None) -> tuple[list[str], np.ndarray]:
    texts, owner = [], []
    for n, img in enumerate(images):
        caps = img.captions if lang is None or not img.captions_by_lang else (
            img.captions_by_lang[lang])
        texts.extend(caps)
        owner.extend([n] * len(caps))
    return texts, np.asarray(owner, np.int64)


def evaluate_reference(images: list[EvalImage], model: str) -> dict[str, Any]:
    """The same measurement with open_clip's own loading, preprocessing and encoders (fp32)."""
    import open_clip
    import torch
    from PIL import Image

    from engine.models.clip import open_clip_overrides, parse_model_spec

    spec = parse_model_spec(model)
    net, _train, preprocess = open_clip.create_model_and_transforms(
        spec.open_clip_name, pretrained=spec.pretrained, **open_clip_overrides(spec))
    tokenizer = open_clip.get_tokenizer(spec.open_clip_name)
    net.eval()
    texts, owner = _captions(images)
    with torch.inference_mode():
        image_vecs = []
        for start in range(0, len(images), 64):
            batch = torch.stack([preprocess(Image.open(i.path).convert("RGB"))
                                 for i in images[start:start + 64]])
            image_vecs.append(net.encode_image(batch, normalize=True).numpy())
        text_vecs = [net.encode_text(tokenizer(texts[s:s + 256]), normalize=True).numpy()
                     for s in range(0, len(texts), 256)]
    return recall_metrics(np.concatenate(image_vecs), np.concatenate(text_vecs), owner)


# ---------------------------------------------------------------------------------------------
# Evaluation


def rerank_recall(library: Any, texts: Sequence[str], text_vecs: np.ndarray, owner: np.ndarray,
                  photo_ids: Sequence[int], k: int | None = None,
                  on_progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Text->image R@1/5/10 of the two-stage search, through the library's own path.

    For each caption: the first stage's top ``max(K, 10)`` (exact, no cut-off), then
    :meth:`engine.api.Library.rerank` on the top K. ``photo_ids[owner[j]]`` is caption j's photo.
    """
    k = k or library.rerank_k
    depth = max(k, 10)
    ranks = np.empty(len(texts), np.int64)
    start = time.perf_counter()
    for j, (text, vec) in enumerate(zip(texts, text_vecs, strict=True)):
        first = library.search_by_vector(vec, k=depth, cut_off=False)
        reranked = library.rerank(text, first, k=k)
        ids = [h.photo_id for h in reranked]
        target = photo_ids[int(owner[j])]
        ranks[j] = ids.index(target) if target in ids else depth
        if on_progress is not None and j % 100 == 0:
            on_progress(j, len(texts))
    seconds = time.perf_counter() - start
    return {"t2i": {f"R@{n}": float(np.mean(ranks < n)) for n in (1, 5, 10)}, "k": int(k),
            "matcher": library.matcher_description, "seconds": round(seconds, 1),
            "ms_per_query": round(1000 * seconds / max(1, len(texts)), 1)}
