"""The engine's embeddings equal open_clip's own, on the same weights and files."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from engine.errors import InvalidModelSpecError, ModelUnavailableError
from engine.evaluation import demo_data
from engine.media import imaging
from engine.models.clip import (
    ClipEncoder,
    ModelSpec,
    _encode_text_fast,
    choose_device,
    parse_model_spec,
)
from engine.store.paths import demo_model_dir

CAPTIONS = [
    "two red circles on the left on grass",
    "a photo of a blue star at the top, on a sandy beach",
    "there is a white cross in the middle in the night sky",
    "three yellow squares near the bottom edge over a wooden surface",
]


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("enc-photos")
    rng = random.Random(3)
    scenes = rng.sample(demo_data.all_scenes(), 12)
    paths = []
    for n, scene in enumerate(scenes):
        path = folder / f"p{n}.jpg"
        demo_data.render(scene, 256, rng).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def reference() -> tuple:
    import open_clip

    name = f"local-dir:{demo_model_dir()}"
    model, _, preprocess = open_clip.create_model_and_transforms(name)
    model.eval()
    return model, preprocess, open_clip.get_tokenizer(name)


def _ref_images(reference: tuple, paths: list[Path]) -> np.ndarray:
    model, preprocess, _ = reference
    with torch.inference_mode():
        batch = torch.stack([preprocess(Image.open(p).convert("RGB")) for p in paths])
        return model.encode_image(batch, normalize=True).numpy()


def _ref_texts(reference: tuple, texts: list[str]) -> np.ndarray:
    model, _, tokenizer = reference
    with torch.inference_mode():
        return model.encode_text(tokenizer(texts), normalize=True).numpy()


def test_exact_path_equals_open_clip(photos: list[Path], reference: tuple) -> None:
    enc = ClipEncoder(parse_model_spec("demo"), device="cpu", precision="fp32").load()
    ours = enc.encode_images([Image.open(p).convert("RGB") for p in photos])
    ref = _ref_images(reference, photos)
    assert (ours * ref).sum(1).min() >= 0.9999
    texts = enc.encode_texts(CAPTIONS)
    assert (texts * _ref_texts(reference, CAPTIONS)).sum(1).min() >= 0.9999


def test_fast_path_stays_within_0999(photos: list[Path], reference: tuple) -> None:
    """What the indexer does: reduced-scale decode + the auto precision (bf16 on such CPUs)."""
    enc = ClipEncoder(parse_model_spec("demo"), device="cpu", precision="auto").load()
    decoded = [imaging.decode_photo(p, enc.image_size).image for p in photos]
    ours = enc.encode_images(decoded)
    cos = (ours * _ref_images(reference, photos)).sum(1)
    assert cos.min() >= 0.999, (enc.precision, cos)
    texts = enc.encode_texts(CAPTIONS)
    assert (texts * _ref_texts(reference, CAPTIONS)).sum(1).min() >= 0.999


def test_truncated_text_tower_is_identical(reference: tuple) -> None:
    model, _, tokenizer = reference
    tokens = tokenizer(CAPTIONS + ["a"])
    with torch.inference_mode():
        full = model.encode_text(tokens)
        fast = _encode_text_fast(model, tokens)
    assert torch.allclose(full, fast, atol=1e-5)


def test_low_precision_is_verified_against_fp32() -> None:
    enc = ClipEncoder(parse_model_spec("demo"), device="cpu", precision="bf16").load()
    assert enc.precision == "bf16"
    assert enc.calibration_cosine >= 0.999


def test_embeddings_are_unit_float32(photos: list[Path]) -> None:
    enc = ClipEncoder(parse_model_spec("demo"), device="cpu").load()
    vecs = enc.encode_images([Image.open(photos[0]).convert("RGB")])
    assert vecs.dtype == np.float32 and vecs.shape == (1, enc.dim)
    assert abs(float(np.linalg.norm(vecs[0])) - 1.0) < 1e-4
    assert enc.encode_texts([]).shape == (0, enc.dim)


@pytest.mark.parametrize(
    ("spec", "name", "pretrained"),
    [
        ("ViT-B-32/laion2b_s34b_b79k", "ViT-B-32", "laion2b_s34b_b79k"),
        ("hf-hub:laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
         "hf-hub:laion/CLIP-ViT-B-32-laion2B-s34B-b79K", None),
    ],
)
def test_parse_model_spec(spec: str, name: str, pretrained: str | None) -> None:
    parsed = parse_model_spec(spec)
    assert (parsed.open_clip_name, parsed.pretrained) == (name, pretrained)


def test_demo_and_local_dir_specs(tmp_path: Path) -> None:
    demo = parse_model_spec("demo")
    assert demo.local_dir == demo_model_dir()
    local = parse_model_spec(f"local-dir:{tmp_path}")
    assert local.local_dir == tmp_path.resolve()
    assert local.model_id != demo.model_id


@pytest.mark.parametrize("bad", ["", "nonsense", "hf-hub:", "ViT-B-32/", "/laion"])
def test_bad_specs_are_explained(bad: str) -> None:
    with pytest.raises(InvalidModelSpecError) as info:
        parse_model_spec(bad)
    assert "local-dir:" in info.value.user_message


def test_model_id_changes_with_weights(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(demo_model_dir(), copy)
    before = parse_model_spec(f"local-dir:{copy}").model_id
    weights = copy / "open_clip_model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    data[5000] ^= 0xFF
    weights.write_bytes(bytes(data))
    assert parse_model_spec(f"local-dir:{copy}").model_id != before


def test_missing_local_dir_says_what_to_do(tmp_path: Path) -> None:
    enc = ClipEncoder(ModelSpec("local-dir:x", f"local-dir:{tmp_path / 'x'}", None,
                                tmp_path / "x"))
    with pytest.raises(ModelUnavailableError) as info:
        enc.load()
    assert "does not exist" in info.value.user_message
    (tmp_path / "y").mkdir()
    enc = ClipEncoder(parse_model_spec(f"local-dir:{tmp_path / 'y'}"))
    with pytest.raises(ModelUnavailableError) as info:
        enc.load()
    assert "open_clip_config.json" in info.value.user_message


def test_unavailable_gpu_is_explained() -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ModelUnavailableError) as info:
        choose_device("cuda")
    assert "--device cpu" in info.value.user_message
    assert choose_device("auto") in ("cpu", "mps")
