"""Model downloads: byte progress, prompt cancellation, clean restarts, offline fail-fast.

The Hub is a local HTTP server (fake_hub.py) serving the real bundled demo model's files, so
huggingface_hub's real download code runs end to end and the downloaded model really loads.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import numpy as np
import pytest
from fake_hub import fake_hub

from engine.api import Job, Library, ModelProgress
from engine.errors import Cancelled, ModelUnavailableError
from engine.models.clip import ClipEncoder, parse_model_spec
from engine.models.download import files_to_download, hub_candidates
from engine.store.paths import demo_model_dir

WEIGHTS = "open_clip_model.safetensors"
CONFIG = "open_clip_config.json"


def _fresh_repo() -> str:
    # Engine tests share loaded encoders by model id: a new repository name means a new model.
    return f"photosearch-test/demo-clip-{uuid.uuid4().hex[:8]}"


def _model_bytes() -> int:
    folder = demo_model_dir()
    return (folder / WEIGHTS).stat().st_size + (folder / CONFIG).stat().st_size


def _cached(repo: str, name: str) -> str | None:
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(repo, name)
    return found if isinstance(found, str) else None


def _assert_cancels_promptly(job: Job) -> None:
    """Cancel a download in progress: it must end as Cancelled (the timeout only guards
    against a hang; speed is not measured in tests)."""
    job.cancel()
    with pytest.raises(Cancelled):
        job.result(timeout=60)


def _demo_text_vector(text: str) -> np.ndarray:
    return ClipEncoder(parse_model_spec("demo"), "cpu", "fp32").load().encode_texts([text])


def test_download_reports_bytes_from_zero_to_total_then_the_model_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _fresh_repo()
    with fake_hub(demo_model_dir(), tmp_path / "hf", monkeypatch) as hub:
        library = Library.open(home=tmp_path / "home", model=f"hf-hub:{repo}", device="cpu")
        seen: list[ModelProgress] = []
        description = library.load_model(on_progress=seen.append).result(timeout=120)
        downloads = [p for p in seen if p.phase == "download"]
        total = _model_bytes()
        assert downloads[0].done_bytes == 0
        assert downloads[-1].done_bytes == downloads[-1].total_bytes == total
        assert all(p.total_bytes == total for p in downloads)
        done = [p.done_bytes for p in downloads]
        assert done == sorted(done) and len(set(done)) > 10  # it moved chunk by chunk
        assert {p.file for p in downloads} == {CONFIG, WEIGHTS}
        assert seen[-1].phase == "load"  # reading the weights comes after the download
        assert sorted(hub.gets) == [CONFIG, WEIGHTS]  # each file fetched once
        # The cache holds the real files, and the model embeds like the bundled one.
        assert Path(_cached(repo, WEIGHTS) or "").read_bytes() == (
            demo_model_dir() / WEIGHTS
        ).read_bytes()
        assert repo in description
        text = "two red circles on the left on grass"
        vector = library.embed_texts([text])
        assert vector.shape == (1, 128)
        assert float(vector[0] @ _demo_text_vector(text)[0]) > 0.999
        assert files_to_download(hub_candidates(parse_model_spec(f"hf-hub:{repo}"))) == []
        library.close()


def test_cancel_stops_a_slow_download_promptly_and_the_next_load_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _fresh_repo()
    with fake_hub(demo_model_dir(), tmp_path / "hf", monkeypatch) as hub:
        hub.delay_s = 0.02  # 64 KB per 20 ms: the 14 MB weights would take ~4.5 s
        library = Library.open(home=tmp_path / "home", model=f"hf-hub:{repo}", device="cpu")
        seen: list[ModelProgress] = []
        job = library.load_model(on_progress=seen.append)
        deadline = time.monotonic() + 30
        while not any(p.file == WEIGHTS and p.done_bytes > 1_000_000 for p in seen):
            assert time.monotonic() < deadline and not job.done(), "the download never started"
            time.sleep(0.01)
        _assert_cancels_promptly(job)
        assert max(p.done_bytes for p in seen) < _model_bytes()
        # The partial weights are nowhere a later load could take them for the real thing.
        assert _cached(repo, WEIGHTS) is None
        assert not list((tmp_path / "hf").rglob("*.incomplete"))
        assert not library.model_ready

        hub.delay_s = 0.0
        again: list[ModelProgress] = []
        library.load_model(on_progress=again.append).result(timeout=120)
        weights = [p for p in again if p.phase == "download" and p.file == WEIGHTS]
        assert weights[-1].done_bytes == weights[-1].total_bytes == _model_bytes() - (
            demo_model_dir() / CONFIG
        ).stat().st_size  # the config was already whole; only the weights came again
        assert Path(_cached(repo, WEIGHTS) or "").read_bytes() == (
            demo_model_dir() / WEIGHTS
        ).read_bytes()
        assert library.embed_texts(["a blue star on a beach"]).shape == (1, 128)
        library.close()


def test_offline_missing_weights_fail_at_once_with_reason_offline(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    # conftest sets HF_HUB_OFFLINE=1: the Hub is out of reach and nothing is cached here.
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    seen: list[ModelProgress] = []
    encoder = ClipEncoder(parse_model_spec(f"hf-hub:{_fresh_repo()}"), "cpu")
    with pytest.raises(ModelUnavailableError) as caught:
        encoder.load(on_progress=seen.append)
    assert caught.value.reason == ModelUnavailableError.OFFLINE
    assert "no internet connection" in caught.value.user_message
    assert all(p.phase == "load" for p in seen)


def test_a_pretrained_tag_downloads_the_files_open_clip_will_ask_for() -> None:
    import open_clip

    spec = parse_model_spec("ViT-B-32/laion2b_s34b_b79k")
    hub = open_clip.get_pretrained_cfg("ViT-B-32", "laion2b_s34b_b79k")["hf_hub"]
    assert hub_candidates(spec) == [
        (hub.rstrip("/"), ("open_clip_model.safetensors", "open_clip_pytorch_model.bin"))
    ]
    assert hub_candidates(parse_model_spec("hf-hub:org/repo")) == [
        ("org/repo", (CONFIG,)),
        ("org/repo", ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")),
    ]
    assert hub_candidates(parse_model_spec("demo")) == []


def test_check_model_folder_accepts_a_model_and_explains_a_folder_without_one(
    tmp_path: Path,
) -> None:
    assert Library.check_model_folder(demo_model_dir()) == f"local-dir:{demo_model_dir()}"
    with pytest.raises(ModelUnavailableError) as caught:
        Library.check_model_folder(tmp_path)
    assert caught.value.reason == ModelUnavailableError.FOLDER
    assert "has no open_clip_config.json" in caught.value.user_message
    (tmp_path / CONFIG).write_text("{}")
    with pytest.raises(ModelUnavailableError, match="has no weights"):
        Library.check_model_folder(tmp_path)


def test_the_matcher_downloads_with_progress_then_reranks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from engine.models.matcher import BLIP_FILES

    folder = demo_model_dir().parent / "demo-matcher"
    repo = f"photosearch-test/demo-matcher-{uuid.uuid4().hex[:8]}"
    served = {p.name for p in folder.iterdir()}
    needed = [next(n for n in names if n in served) for names in BLIP_FILES
              if any(n in served for n in names)]
    total = sum((folder / name).stat().st_size for name in needed)
    with fake_hub(folder, tmp_path / "hf", monkeypatch) as hub:
        library = Library.open(home=tmp_path / "home", model="demo", device="cpu", matcher=repo)
        assert not library.matcher_ready
        seen: list[ModelProgress] = []
        description = library.load_matcher(on_progress=seen.append).result(timeout=120)
        assert repo in description and library.matcher_ready
        downloads = [p for p in seen if p.phase == "download"]
        assert downloads[0].done_bytes == 0
        assert downloads[-1].done_bytes == downloads[-1].total_bytes == total
        assert sorted(hub.gets) == sorted(needed)  # each file once; nothing else (no log)
        assert "training_log.json" not in hub.gets
        # The downloaded matcher is the bundled one: same verdicts.
        images = [Image.new("RGB", (64, 64), c) for c in ("red", "blue")]
        ours = library._reranker.matcher().score(images, "a red circle")
        from engine.models.matcher import BlipMatcher, parse_matcher_spec

        bundled = BlipMatcher(parse_matcher_spec("demo"), "cpu").load().score(images,
                                                                             "a red circle")
        np.testing.assert_allclose(ours, bundled, atol=1e-3)
        library.close()


def test_a_cancelled_matcher_download_stops_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = demo_model_dir().parent / "demo-matcher"
    repo = f"photosearch-test/demo-matcher-{uuid.uuid4().hex[:8]}"
    with fake_hub(folder, tmp_path / "hf", monkeypatch) as hub:
        hub.delay_s = 0.2  # 64 KB per 0.2 s: the 870 KB of weights take ~3 s
        library = Library.open(home=tmp_path / "home", model="demo", device="cpu", matcher=repo)
        job = library.load_matcher(on_progress=lambda p: None)
        deadline = time.monotonic() + 30
        while "model.safetensors" not in hub.gets and time.monotonic() < deadline:
            time.sleep(0.02)
        _assert_cancels_promptly(job)
        assert not library.matcher_ready
        assert _cached(repo, "model.safetensors") is None  # no partial file passes for whole
        library.close()
