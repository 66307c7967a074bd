"""The lean edition: no PyTorch, the demo model's ONNX export shipped, clear words where torch
would be needed.

The lean bundle leaves torch and what needs it out (packaging/photosearch.spec); here the same
code paths run from the checkout under ``lean_python.py``, which makes those modules unfindable.
The demo model's export comes from this session's ONNX cache (exported once, on first use,
with torch, as ``packaging/export_demo.py`` does at build time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import ModelUnavailableError
from engine.models import runtime
from engine.models.clip import parse_model_spec
from engine.models.export import MANIFEST
from engine.models.matcher import matcher_unavailable_reason
from engine.models.runtime import OnnxEncoder, build_encoder, onnx_folder_for

ROOT = Path(__file__).resolve().parents[2]
LEAN_PYTHON = Path(__file__).with_name("lean_python.py")


@pytest.fixture(scope="module")
def demo_export() -> Path:
    """The demo model's ONNX towers in this session's cache (exported on first use)."""
    encoder = build_encoder(parse_model_spec("demo"), "cpu", "onnx")
    assert isinstance(encoder, OnnxEncoder)
    encoder.load()
    assert encoder.folder is not None
    return encoder.folder


def lean(*args: str, expect: int = 0, env: dict[str, str] | None = None,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python lean_python.py <args>`` (a module without torch) from the checkout."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
                **(env or {})}
    for name in ("PHOTOSEARCH_RUNTIME", "PHOTOSEARCH_HOME", "PHOTOSEARCH_MODEL"):
        if env is None or name not in env:
            full_env.pop(name, None)
    proc = subprocess.run([sys.executable, str(LEAN_PYTHON), *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == expect, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


def test_a_shipped_export_is_used_before_the_cache(demo_export: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "resources" / "onnx"
    shutil.copytree(demo_export, shipped / demo_export.name)
    cache = tmp_path / "cache"
    monkeypatch.setattr(runtime, "bundled_onnx_root", lambda: shipped)
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(cache))
    spec = parse_model_spec("demo")
    assert onnx_folder_for(spec) == shipped / demo_export.name
    encoder = OnnxEncoder(spec, "cpu").load()
    assert encoder.folder == shipped / demo_export.name
    assert encoder.encode_texts(["a red circle"]).shape == (1, encoder.dim)
    assert not cache.exists()  # nothing exported, nothing written

    # A shipped export of another model version (a retrained demo model) is not used.
    manifest = json.loads((shipped / demo_export.name / MANIFEST).read_text())
    manifest["model_id"] = "local:demo-clip:000000000000"
    (shipped / demo_export.name / MANIFEST).write_text(json.dumps(manifest))
    assert onnx_folder_for(spec) == cache / demo_export.name


def test_the_demo_model_without_its_weights_keeps_its_id_and_runs_on_the_shipped_export(
        demo_export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lean bundle leaves out the demo model's torch weights (14 MB) and ships their
    fingerprint instead: the model id, which every library's vectors carry, must not change."""
    from engine.models.clip import FINGERPRINT_FILE, _fingerprint_dir
    from engine.store.paths import demo_model_dir

    shipped = tmp_path / "resources" / "onnx"
    shutil.copytree(demo_export, shipped / demo_export.name)
    monkeypatch.setattr(runtime, "bundled_onnx_root", lambda: shipped)
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(tmp_path / "empty-cache"))
    lean_demo = tmp_path / "lean" / "demo-clip"
    shutil.copytree(demo_model_dir(), lean_demo,
                    ignore=shutil.ignore_patterns("*.safetensors"))
    spec = parse_model_spec(f"local-dir:{lean_demo}")
    full_id = parse_model_spec("demo").model_id
    assert spec.model_id != full_id  # without the weights or their fingerprint: another model

    (lean_demo / FINGERPRINT_FILE).write_text(_fingerprint_dir(demo_model_dir()) + "\n")
    spec = parse_model_spec(f"local-dir:{lean_demo}")
    assert spec.model_id == full_id
    lean_vector = OnnxEncoder(spec, "cpu").load().encode_texts(["a red circle"])
    full_vector = OnnxEncoder(parse_model_spec("demo"), "cpu").load().encode_texts(
        ["a red circle"])
    assert float((lean_vector * full_vector).sum()) > 0.9999

    # The recorded fingerprint stands in for missing weights only, and must look like one.
    (lean_demo / FINGERPRINT_FILE).write_text("not a fingerprint")
    assert parse_model_spec(f"local-dir:{lean_demo}").model_id != full_id
    weighted = tmp_path / "weighted" / "demo-clip"
    shutil.copytree(demo_model_dir(), weighted)
    (weighted / FINGERPRINT_FILE).write_text("0123456789ab")
    assert parse_model_spec(f"local-dir:{weighted}").model_id == full_id


def test_without_torch_a_model_without_export_says_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "torch_available", lambda: False)
    monkeypatch.setenv("PHOTOSEARCH_ONNX_CACHE", str(tmp_path / "empty-cache"))
    assert runtime.edition() == "lean"
    encoder = build_encoder(parse_model_spec("ViT-B-32/laion2b_s34b_b79k"), "auto", "auto")
    assert isinstance(encoder, OnnxEncoder)
    with pytest.raises(ModelUnavailableError) as caught:
        encoder.load()  # runtime auto: no torch to fall back on
    message = caught.value.user_message
    assert "no ONNX export" in message and "lean edition" in message
    assert "--model local-dir:" in message and "--model demo" in message
    with pytest.raises(ModelUnavailableError, match="lean edition"):
        runtime.planned_runtime("torch", "auto")
    with pytest.raises(ModelUnavailableError, match="needs PyTorch"):
        runtime.planned_runtime("auto", "cuda")
    assert runtime.planned_runtime("auto", "auto") == "onnx"


def test_text_is_read_without_opencv() -> None:
    """OCR in the lean edition: cv2 cannot be imported, and neither it nor RapidOCR's code is
    loaded; the models are read from the rapidocr wheel's folder."""
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests" / "engine")])
    out = json.loads(lean("ocr_worker", env={"PYTHONPATH": path}).stdout.strip().splitlines()[-1])
    assert out["loaded"] == []
    assert any("Platform 9" in line for line in out["lines"]), out


def test_the_full_environment_can_rerank() -> None:
    assert runtime.edition() == "full"  # this checkout's test environment has torch
    assert matcher_unavailable_reason() is None


@pytest.mark.slow
def test_lean_command_line_indexes_searches_and_explains_what_it_lacks(
        demo_export: Path, tmp_path: Path) -> None:
    photos, home = tmp_path / "photos", tmp_path / "home"
    base = ["engine.cli", "--home", str(home), "--model", "demo"]
    lean(*base, "demo-data", str(photos), "--test", "6", "--compositional", "0")
    dataset = json.loads((photos / "dataset.json").read_text(encoding="utf-8"))
    image = dataset["images"][2]
    expected = photos / image["filepath"] / image["filename"]
    lean(*base, "add", str(photos / "test"))
    indexed = lean(*base, "index").stdout
    # Every analysis ran without torch: meaning (ONNX Runtime), OCR and faces included.
    for title in ("text in photos: 6 analysed, 0 failed", "faces: 6 analysed, 0 failed"):
        assert title in indexed, indexed
    hits = json.loads(lean(*base, "search", image["sentences"][0]["raw"], "--json").stdout)
    assert Path(hits[0]["path"]).resolve() == expected.resolve()

    status = json.loads(lean(*base, "status", "--json").stdout)
    assert status["edition"] == "lean" and status["runtime"] == "onnx"
    assert status["indexed"] == 6 and status["rerank_unavailable"]
    assert "edition  lean" in lean(*base, "status").stdout

    # The second stage: one clear sentence, exit 1, never a traceback.
    refused = lean(*base, "search", "a red circle", "--rerank", expect=1)
    assert "Reranking is not available in this edition" in refused.stderr
    assert "Traceback" not in refused.stderr
    gpu = lean(*base, "--device", "cuda", "search", "a red circle", expect=1)
    assert "needs PyTorch" in gpu.stderr and "Traceback" not in gpu.stderr


@pytest.mark.slow
@pytest.mark.gui
def test_lean_self_test_runs_on_onnx_runtime(demo_export: Path) -> None:
    proc = lean("app", "--self-test", timeout=600)
    line = proc.stdout.strip().splitlines()[-1]
    assert line.startswith("self-test ok: lean edition, onnxruntime "), line
    assert "(no torch), demo on cpu (onnx: image " in line, line
