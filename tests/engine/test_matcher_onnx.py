"""The matcher's image tower on ONNX Runtime (engine.models.matcher_export): the export and its
fidelity manifest, reranks equal to torch's on the demo compositional data, the cached folder
reused, and the fall-back to torch when the export cannot be made."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.errors import ModelUnavailableError
from engine.evaluation import demo_data
from engine.models.matcher import BlipMatcher, parse_matcher_spec
from engine.models.matcher_export import (
    MODEL,
    matcher_export_folder,
    order_changes,
    read_manifest_of,
)
from engine.search.second_stage import Candidate, FeatureCache, SecondStage


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture
def cache_env(onnx_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(onnx_cache))
    return onnx_cache


@pytest.fixture(scope="module")
def torch_matcher() -> BlipMatcher:
    return BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32", image_runtime="torch").load()


def _compositional(groups: int = 8) -> tuple[list[Image.Image], list[str]]:
    """Demo pair scenes with their swapped twins, and two captions of each scene."""
    rng = random.Random(7)
    images: list[Image.Image] = []
    texts: list[str] = []
    for _ in range(groups):
        scene = demo_data.random_pair_scene(rng)
        images += [demo_data.render(s, 256, rng) for s in [scene, *demo_data.swapped_twins(scene)]]
        texts += demo_data.captions(scene, rng, 2)
    return images, texts


def _loader(image: Image.Image) -> Callable[[], Image.Image]:
    return lambda: image


def _rerank(matcher: BlipMatcher, images: list[Image.Image], texts: list[str]) -> np.ndarray:
    stage = SecondStage(matcher, FeatureCache())
    candidates = [Candidate(f"k{i}", _loader(im)) for i, im in enumerate(images)]
    return np.stack([stage.text_against_images(t, candidates) for t in texts])


def test_onnx_image_tower_reranks_the_compositional_split_like_torch(
        cache_env: Path, torch_matcher: BlipMatcher) -> None:
    matcher = BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32").load()  # runtime auto
    assert matcher.image_tower.startswith("onnx ")
    folder = matcher_export_folder(matcher.matcher_id)
    assert folder.parent == cache_env and (folder / MODEL).is_file()
    manifest = read_manifest_of(folder)
    assert manifest is not None and manifest["matcher_id"] == matcher.matcher_id
    fp32 = next(c for c in manifest["candidates"] if c["precision"] == "fp32")
    assert fp32["passed"] and fp32["min_cosine"] >= 0.999 and fp32["order_changes"] == 0
    assert manifest["calibration"] == {"images": 16, "texts": 8}
    for cand in manifest["candidates"][1:]:  # an int8 candidate passes only on the full rule
        assert cand["passed"] == (cand["order_changes"] == 0 and cand["min_cosine"] >= 0.999
                                  and cand["max_log_odds_change"]
                                  <= manifest["int8_tolerance_log_odds"])
    assert matcher.image_fidelity["precision"] == manifest["chosen"]
    assert "image tower onnx" in matcher.description

    images, texts = _compositional()
    on_torch, on_onnx = _rerank(torch_matcher, images, texts), _rerank(matcher, images, texts)
    assert matcher.images_encoded == len(images)
    assert order_changes(on_torch, on_onnx, 0.0) == 0  # every caption's top-10 order
    if manifest["chosen"] == "fp32":
        np.testing.assert_allclose(on_onnx, on_torch, atol=0.01)
        # fp32 features are interchangeable with torch's: one cache id, same shape and dtype
        assert matcher.feature_id == matcher.matcher_id
    else:
        assert matcher.feature_id != matcher.matcher_id
    f_torch = torch_matcher.encode_images(images[:2])
    f_onnx = matcher.encode_images(images[:2])
    assert f_onnx[0].dtype == f_torch[0].dtype == np.float16
    assert f_onnx[0].shape == f_torch[0].shape


def test_the_export_is_reused_on_the_next_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(tmp_path))  # none yet: the first exports
    heard: list[str] = []  # the export says so (the app shows it: minutes on a slow CPU)
    first = BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32").load(
        on_progress=lambda step: heard.append(step.phase))
    assert heard == ["prepare"]
    model = matcher_export_folder(first.matcher_id) / MODEL
    stamp = model.stat().st_mtime_ns
    heard.clear()
    with caplog.at_level(logging.INFO, logger="engine.models.matcher"):
        again = BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32").load(
            on_progress=lambda step: heard.append(step.phase))
    assert again.image_tower == first.image_tower
    assert model.stat().st_mtime_ns == stamp
    assert not any("exporting" in r.getMessage() for r in caplog.records)
    assert heard == []


def test_a_failed_export_falls_back_to_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture,
                                             torch_matcher: BlipMatcher) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the ONNX cache root is a file: the export cannot be written")
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(blocker))
    with caplog.at_level(logging.WARNING, logger="engine.models.matcher"):
        matcher = BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32").load()
    assert matcher.image_tower == "torch" and matcher.image_fallback_reason
    assert any("stays on PyTorch" in r.getMessage() for r in caplog.records)
    assert not list(tmp_path.glob(".*"))  # no half-written export left behind
    images, texts = _compositional(2)
    np.testing.assert_allclose(_rerank(matcher, images, texts),
                               _rerank(torch_matcher, images, texts), atol=1e-5)
    with pytest.raises(ModelUnavailableError, match="ONNX Runtime"):
        BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32", image_runtime="onnx").load()


def test_runtime_torch_keeps_the_image_tower_on_torch(
        monkeypatch: pytest.MonkeyPatch, cache_env: Path) -> None:
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")
    matcher = BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32")
    assert matcher.image_runtime == "torch"
    assert matcher.load().image_tower == "torch" and matcher.image_fidelity == {}


def test_status_names_the_image_tower_of_the_matcher(
        cache_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before the matcher loads (a new process: ``photosearch status``), from its export."""
    from engine.cli import main

    BlipMatcher(parse_matcher_spec("demo"), "cpu", "fp32").load()  # the export exists
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "home"), "--model", "demo", "--device", "cpu",
                 "status"]) == 0
    out = capsys.readouterr().out
    assert "matcher  image tower onnx fp32 (min cos 1.0000" in out
    assert "0 top-10 order changes vs torch fp32" in out


def test_order_changes_count_real_swaps_not_near_ties() -> None:
    reference = np.array([[3.0, 2.0, 1.99999, -1.0], [1.0, 1.0, 0.0, -2.0]])
    near_tie = np.array([[3.0, 1.99999, 2.0, -1.0], [1.0, 1.0, 0.0, -2.0]])
    assert order_changes(reference, near_tie, 1e-4) == 0  # within fp32's noise
    assert order_changes(reference, near_tie, 0.0) == 1
    swapped = np.array([[2.0, 3.0, 1.99999, -1.0], [1.0, 1.0, 0.0, -2.0]])
    assert order_changes(reference, swapped, 1e-4) == 1
    from_outside = np.array([[3.0, 2.0, 1.99999, -1.0], [1.0, 1.0, 0.0, 5.0]])
    assert order_changes(reference, from_outside, 1e-4, top_k=2) == 1  # enters the top 2
    assert order_changes(reference, reference, 0.0) == 0
