"""Torch-free preprocessing equals open_clip's torchvision transform, bit for bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import DemoSet
from onnx_samples import DEMO_DIR, real_images
from PIL import Image

from engine.models.preprocess import PreprocessConfig, preprocess_batch, preprocess_image


def _open_clip_transform(cfg: PreprocessConfig):
    import open_clip

    return open_clip.image_transform(
        cfg.size, is_train=False, mean=cfg.mean, std=cfg.std,
        interpolation=cfg.interpolation, resize_mode=cfg.resize_mode,
    )


def _images(folder: Path) -> list[Image.Image]:
    images = real_images(folder)
    rgba = images[0].convert("RGBA")
    rgba.putalpha(128)
    return [*images, rgba, images[1].convert("P"), images[2].convert("L"),
            Image.new("RGB", (1, 1))]


@pytest.mark.parametrize("size", [96, 224, 256])
@pytest.mark.parametrize("mode", ["shortest", "squash"])
def test_equals_open_clip(size: int, mode: str, demo: DemoSet) -> None:
    cfg = PreprocessConfig(size=size, resize_mode=mode)
    transform = _open_clip_transform(cfg)
    for image in _images(demo.folder):
        ours = preprocess_image(image, cfg)
        theirs = transform(image).numpy()
        assert ours.shape == theirs.shape == (3, size, size)
        assert ours.dtype == np.float32
        assert np.array_equal(ours, theirs), (image.size, image.mode, np.abs(ours - theirs).max())


def test_from_open_clip_model_config(demo: DemoSet) -> None:
    import open_clip

    model, _, transform = open_clip.create_model_and_transforms(f"local-dir:{DEMO_DIR}")
    cfg = PreprocessConfig.from_dict(open_clip.get_model_preprocess_cfg(model))
    assert cfg.size == 96
    images = _images(demo.folder)
    assert np.array_equal(
        preprocess_batch(images, cfg), np.stack([transform(i).numpy() for i in images])
    )


def test_round_trip_and_refusals() -> None:
    cfg = PreprocessConfig(size=224, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))
    assert PreprocessConfig.from_dict(cfg.to_dict()) == cfg
    assert PreprocessConfig.from_dict({"size": [224, 224]}).size == 224
    with pytest.raises(ValueError):
        PreprocessConfig.from_dict({"size": [224, 256]})
    with pytest.raises(ValueError):
        PreprocessConfig(size=224, resize_mode="longest")
