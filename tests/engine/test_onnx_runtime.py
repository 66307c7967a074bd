"""The ONNX Runtime path against open_clip's own fp32: export, fidelity, runtime choice, the
library on ONNX, Immich's layout, and a cold text search that imports no torch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import DemoSet
from onnx_samples import DEMO_DIR, HANDWRITTEN, corpus, real_images

from engine.api import Library
from engine.errors import ModelUnavailableError
from engine.models.clip import ClipEncoder, parse_model_spec
from engine.models.export import (
    INT8_MARGIN,
    MIN_COSINE,
    calibration_images,
    calibration_texts,
    export_clip,
    export_folder_for,
    is_current_export,
    read_manifest,
)
from engine.models.onnx_clip import OnnxClipEncoder, is_onnx_clip_folder
from engine.models.runtime import OnnxEncoder, build_encoder, onnx_folder_for, resolve_runtime

ROOT = Path(__file__).resolve().parents[2]
TEXTS = corpus()


@pytest.fixture(scope="module")
def demo_encoder() -> OnnxEncoder:
    """The demo model on the ONNX path: exported into this session's cache on first use."""
    encoder = build_encoder(parse_model_spec("demo"), "cpu", "onnx")
    assert isinstance(encoder, OnnxEncoder)
    return encoder.load()


@pytest.fixture(scope="module")
def demo_export(demo_encoder: OnnxEncoder) -> Path:
    assert demo_encoder.folder is not None
    return demo_encoder.folder


@pytest.fixture(scope="module")
def demo_open_clip() -> tuple:
    """open_clip's own demo model, transform and tokenizer (the reference, fp32)."""
    import open_clip

    model, _, transform = open_clip.create_model_and_transforms(f"local-dir:{DEMO_DIR}")
    model.eval()
    return model, transform, open_clip.get_tokenizer(f"local-dir:{DEMO_DIR}")


def _reference(reference: tuple, images: list, texts: list[str]) -> tuple[np.ndarray, ...]:
    import torch

    model, transform, tokenizer = reference
    with torch.inference_mode():
        img = model.encode_image(torch.stack([transform(i) for i in images]), normalize=True)
        txt = model.encode_text(tokenizer(texts), normalize=True)
    return img.numpy(), txt.numpy()


# -- export ---------------------------------------------------------------------------------


def test_export_goes_to_the_cache_with_its_figures(demo_export: Path) -> None:
    assert demo_export.parent == Path(os.environ["PHOTOSEARCH_ONNX_CACHE"])
    assert not demo_export.is_relative_to(ROOT / "resources")
    assert is_onnx_clip_folder(demo_export)
    spec = parse_model_spec("demo")
    assert is_current_export(demo_export, spec.model_id)
    manifest = read_manifest(demo_export)
    assert manifest is not None and manifest["tokenizer_exact"] is True
    assert manifest["calibration"] == {"images": 200, "texts": 300}
    for tower in ("visual", "textual"):
        chosen = manifest[tower]["chosen"]
        figures = {c["precision"]: c for c in manifest[tower]["candidates"]}
        assert figures["fp32"]["min_cosine"] > 0.99999
        needed = MIN_COSINE if chosen == "fp32" else MIN_COSINE + INT8_MARGIN
        assert figures[chosen]["min_cosine"] >= needed
    assert not list(demo_export.glob("*/model.*.onnx"))  # only the chosen model.onnx stays


def test_calibration_sets_are_a_few_hundred() -> None:
    texts = calibration_texts()
    assert len(texts) == 300 and len(set(texts)) > 290
    assert not (set(texts) & set(TEXTS)) - set(HANDWRITTEN)  # held-out captions differ
    assert len(calibration_images()) == 200


def test_export_folder_names() -> None:
    a = export_folder_for("open_clip:ViT-B-32/laion2b_s34b_b79k", Path("/c"))
    b = export_folder_for("open_clip:ViT-B-32/laion2b-s34b-b79k", Path("/c"))
    assert a.parent == Path("/c/onnx") and a != b and "/" not in a.name


# -- fidelity against open_clip fp32 -----------------------------------------------------------


def test_demo_fidelity_on_photos_and_texts(demo_encoder: OnnxEncoder, demo_open_clip: tuple,
                                           demo: DemoSet) -> None:
    """Held out: photo files and ~400 texts the calibration never saw, cosine >= 0.999."""
    images = real_images(demo.folder)
    img_ref, txt_ref = _reference(demo_open_clip, images, TEXTS)
    img_cos = (demo_encoder.encode_images(images) * img_ref).sum(1)
    txt_cos = (demo_encoder.encode_texts(TEXTS) * txt_ref).sum(1)
    assert img_cos.min() >= MIN_COSINE, img_cos.min()
    assert txt_cos.min() >= MIN_COSINE, txt_cos.min()
    # The indexer's route (preprocess, then a batch of pixels) gives the same vectors.
    pixels = np.stack([demo_encoder.preprocess(i) for i in images])
    np.testing.assert_allclose(demo_encoder.encode_pixel_batch(pixels),
                               demo_encoder.encode_images(images), atol=1e-5)


@pytest.mark.slow
def test_random_vit_b32_fidelity(tmp_path: Path, demo: DemoSet) -> None:
    """A random-weight ViT-B-32 (open_clip.create_model without pretrained) exported and checked
    against open_clip fp32 on held-out photos and texts."""
    import open_clip
    import torch

    torch.manual_seed(0)
    report = export_clip("ViT-B-32", tmp_path / "vitb32", model_id="random-vit-b-32",
                         images=calibration_images(48), texts=calibration_texts(120))
    torch.manual_seed(0)
    model, _, transform = open_clip.create_model_and_transforms("ViT-B-32")
    model.eval()
    images, texts = real_images(demo.folder), TEXTS[::2]
    img_ref, txt_ref = _reference((model, transform, open_clip.get_tokenizer("ViT-B-32")),
                                  images, texts)
    enc = OnnxClipEncoder(report.folder)
    img_cos = (enc.encode_images(images) * img_ref).sum(1)
    txt_cos = (enc.encode_texts(texts) * txt_ref).sum(1)
    assert img_cos.min() >= MIN_COSINE, (report.visual.chosen, img_cos.min())
    assert txt_cos.min() >= MIN_COSINE, (report.textual.chosen, txt_cos.min())


def test_fp32_export_is_exact(demo_export: Path, demo_open_clip: tuple, demo: DemoSet,
                              tmp_path: Path) -> None:
    folder = tmp_path / "fp32"
    export_clip(f"local-dir:{DEMO_DIR}", folder, model_id="demo-fp32", int8_candidates=(),
                images=calibration_images(16), texts=calibration_texts(40))
    images = real_images(demo.folder)
    img_ref, txt_ref = _reference(demo_open_clip, images, TEXTS)
    enc = OnnxClipEncoder(folder)
    assert enc.precision("visual") == enc.precision("textual") == "fp32"
    assert (enc.encode_images(images) * img_ref).sum(1).min() > 0.99999
    assert (enc.encode_texts(TEXTS) * txt_ref).sum(1).min() > 0.99999


# -- runtime choice -------------------------------------------------------------------------


def test_runtime_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = parse_model_spec("demo")
    assert isinstance(build_encoder(spec, "cpu", "auto"), OnnxEncoder)
    assert isinstance(build_encoder(spec, "cpu", "torch"), ClipEncoder)
    assert isinstance(build_encoder(spec, "auto", "onnx"), OnnxEncoder)
    assert resolve_runtime(None) == "auto"
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "Torch")
    assert resolve_runtime("onnx") == "torch"  # the environment wins over the setting
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "tensorflow")
    with pytest.raises(ModelUnavailableError, match="auto, torch or onnx"):
        resolve_runtime(None)


def test_library_on_onnx_keeps_the_model_id_and_shows_figures(
        open_library: Callable[..., Library], small_photos: Path) -> None:
    lib = open_library()
    status = lib.status()
    assert status.runtime == "onnx"
    lib.add_folder(small_photos)
    lib.index().result()
    assert lib.encoder.runtime == "onnx"
    assert lib.encoder.spec.model_id == ClipEncoder(parse_model_spec("demo")).spec.model_id
    status = lib.status()
    assert status.runtime == "onnx" and status.pending == 0
    assert status.fidelity["image"]["min_cosine"] >= MIN_COSINE
    assert status.fidelity["text"]["min_cosine"] >= MIN_COSINE
    assert status.fidelity["calibration"] == {"images": 200, "texts": 300}
    assert "onnx" in lib.encoder.description


def test_status_names_a_runtime_the_lean_edition_lacks(
        open_library: Callable[..., Library], monkeypatch: pytest.MonkeyPatch) -> None:
    """PyTorch chosen in a full edition, the library opened by the lean one: the status still
    answers (the app asks on every refresh) and says so; loading says what to do."""
    import importlib.util

    from engine.models import runtime, session

    find_spec = importlib.util.find_spec
    monkeypatch.delenv("PHOTOSEARCH_RUNTIME", raising=False)
    # A fresh encoder: the session's shared one may have been loaded on torch by a test before
    # (status reports a loaded encoder's runtime), which the lean edition never has.
    monkeypatch.setattr(session, "build_encoder", runtime.build_encoder)
    lib = open_library()
    lib.update_settings(runtime="torch")
    # As tests/engine/lean_python.py and the lean bundle do: PyTorch cannot be found.
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: (
        None if name.partition(".")[0] in ("torch", "open_clip") else find_spec(name, package)))
    status = lib.status()
    assert status.runtime == "torch (unavailable in the lean edition)"
    assert status.model == "demo" and status.fidelity == {}
    with pytest.raises(ModelUnavailableError, match="lean edition"):
        lib.load_model().result(timeout=60)
    lib.update_settings(runtime="auto")
    assert lib.status().runtime == "onnx"


def test_a_library_indexed_on_torch_searches_on_onnx_without_reembedding(
        tmp_path: Path, small_photos: Path, demo: DemoSet,
        monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "torch")
    with Library.open(home, model="demo", device="cpu") as lib:
        lib.add_folder(small_photos)
        assert lib.index().result().embedded == 20
        assert lib.encoder.runtime == "torch"
        query = demo.captions[demo.names[3]][0]
        torch_hits = [h.path.name for h in lib.search(query, k=5)]
    monkeypatch.setenv("PHOTOSEARCH_RUNTIME", "onnx")
    with Library.open(home, model="demo", device="cpu") as lib:
        report = lib.index().result()
        assert report.embedded == 0  # the torch vectors stand: same model id
        onnx_hits = [h.path.name for h in lib.search(query, k=5)]
        assert lib.encoder.runtime == "onnx"
    assert onnx_hits[0] == torch_hits[0]
    assert len(set(onnx_hits) & set(torch_hits)) >= min(len(onnx_hits), len(torch_hits)) - 1


def test_eval_recall_is_the_same_on_both_runtimes(tmp_path_factory: pytest.TempPathFactory,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`photosearch eval` on 200 demo scenes (1,000 captions): R@K within 0.005 of torch's
    (one image's i2t flip is 0.005 here; on the 1,000-scene split t2i R@1 differs by 0.001)."""
    from engine.evaluation.demo_data import DemoSplits, write_demo_dataset
    from engine.evaluation.retrieval import evaluate_library, load_split

    root = tmp_path_factory.mktemp("eval200")
    dataset = write_demo_dataset(root, DemoSplits(train=0, val=0, test=200, compositional=0))
    images = load_split(dataset, root, "test")
    results = {}
    for runtime in ("torch", "onnx"):
        monkeypatch.setenv("PHOTOSEARCH_RUNTIME", runtime)
        results[runtime] = evaluate_library(images, "demo", open_library=Library.open,
                                            device="cpu")
        assert results[runtime]["device"].count("onnx") == (runtime == "onnx")
    for direction in ("t2i", "i2t"):
        for k, value in results["torch"][direction].items():
            assert abs(results["onnx"][direction][k] - value) <= 0.005 + 1e-9, (direction, k)


# -- Immich's published layout ----------------------------------------------------------------


def _immich_style_folder(folder: Path, demo_export: Path) -> Path:
    """A folder as Immich's exporter writes one: TorchScript export, batch 1, fixed length,
    int32 text input, HF tokenizer files with pad_token <|endoftext|>, config.json = model cfg."""
    import open_clip
    import torch

    model, _, _ = open_clip.create_model_and_transforms(f"local-dir:{DEMO_DIR}")
    model.eval()
    cfg = json.loads((DEMO_DIR / "open_clip_config.json").read_text())
    (folder / "visual").mkdir(parents=True)
    (folder / "textual").mkdir()
    (folder / "config.json").write_text(json.dumps(cfg["model_cfg"]))
    (folder / "visual" / "preprocess_cfg.json").write_text(
        json.dumps(open_clip.get_model_preprocess_cfg(model)))
    shutil.copy(demo_export / "textual" / "tokenizer.json", folder / "textual")
    (folder / "textual" / "tokenizer_config.json").write_text(
        json.dumps({"pad_token": "<|endoftext|>", "model_max_length": 77}))
    torch.backends.mha.set_fastpath_enabled(False)

    class Fn(torch.nn.Module):
        def __init__(self, fn: Callable) -> None:
            super().__init__()
            self.model, self.fn = model, fn

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fn(x)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Fn(lambda x: model.encode_image(x, normalize=True)), (torch.randn(1, 3, 96, 96),),
            str(folder / "visual" / "model.onnx"), input_names=["image"],
            output_names=["embedding"], opset_version=17, dynamo=False)
        torch.onnx.export(
            Fn(lambda t: model.encode_text(t, normalize=True)),
            (torch.ones(1, 32, dtype=torch.int32),), str(folder / "textual" / "model.onnx"),
            input_names=["text"], output_names=["embedding"], opset_version=17, dynamo=False)
    return folder


def test_loads_immich_layout_as_a_local_dir(demo_export: Path, demo_open_clip: tuple,
                                            demo: DemoSet, tmp_path: Path) -> None:
    folder = _immich_style_folder(tmp_path / "immich" / "demo", demo_export)
    assert not (folder / "photosearch_onnx.json").exists()
    spec = parse_model_spec(f"local-dir:{folder}")
    assert onnx_folder_for(spec) == folder  # no export: the folder is the model
    assert Library.check_model_folder(folder) == spec.raw  # the app's Browse... accepts it
    enc = build_encoder(spec, "auto", "auto").load()
    assert isinstance(enc, OnnxEncoder) and enc.runtime == "onnx" and enc.dim == 128
    images, texts = real_images(demo.folder), TEXTS[:60]
    img_ref, txt_ref = _reference(demo_open_clip, images, texts)
    assert (enc.encode_images(images) * img_ref).sum(1).min() > 0.99999  # batch 1, row by row
    assert (enc.encode_texts(texts) * txt_ref).sum(1).min() > 0.99999  # padded with EOT
    assert enc.fidelity == {}  # not our export: no figures to show


def test_incomplete_onnx_folder_is_a_user_error(demo_export: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_export, tmp_path / "m")
    (tmp_path / "m" / "textual" / "tokenizer.json").unlink()
    with pytest.raises(ModelUnavailableError, match="tokenizer.json"):
        OnnxClipEncoder(tmp_path / "m")


# -- a cold text search imports no torch ------------------------------------------------------

COLD_SEARCH = """
import contextlib, io, json, sys
from engine import cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = cli.main(["--home", {home!r}, "--model", "demo", "search", "a red circle", "-k", "3"])
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"torch", "torchvision", "open_clip",
    "transformers", "timm", "huggingface_hub", "safetensors", "onnx", "onnxscript"}})
print(json.dumps({{"rc": rc, "heavy": heavy, "ort": "onnxruntime" in sys.modules,
                   "lines": out.getvalue().splitlines()}}))
"""


def test_cold_text_search_imports_no_torch(open_library: Callable[..., Library],
                                           small_photos: Path, tmp_path: Path) -> None:
    lib = open_library()
    lib.add_folder(small_photos)
    lib.index().result()
    lib.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PHOTOSEARCH_RUNTIME", None)
    out = subprocess.run([sys.executable, "-c", COLD_SEARCH.format(home=str(tmp_path / "home"))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["rc"] == 0 and len(result["lines"]) >= 1
    assert result["heavy"] == []
    assert result["ort"] is True
