"""Shared helpers for the benchmarks: realistic photos and random-weight model folders.

Random weights are fine for timing (compute does not depend on the weights); accuracy claims
are made with the trained demo model instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def realistic_jpeg(path: Path, seed: int, size: tuple[int, int] = (4000, 3000)) -> None:
    """A 12-megapixel JPEG with photo-like content: gradients, shapes, texture and noise.

    Plain colour fields compress to almost nothing and decode unrealistically fast; camera
    files carry sensor noise and detail, so this one does too (about 3-5 MB at quality 92).
    """
    rng = np.random.default_rng(seed)
    w, h = size
    small = rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)
    img = Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(50, 600))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(2))
    noise = rng.normal(0, 9, (h, w, 3))
    arr = np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    Image.fromarray(arr).save(path, "JPEG", quality=92)


def random_weight_model(folder: Path, arch: str = "ViT-B-32") -> Path:
    """A local-dir open_clip model folder with random weights for ``arch``."""
    import open_clip
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "open_clip_model.safetensors").exists():
        return folder
    torch.manual_seed(0)
    model = open_clip.create_model(arch, pretrained=None)
    cfg = open_clip.get_model_config(arch)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(folder / "open_clip_model.safetensors"))
    preprocess = {"size": cfg["vision_cfg"]["image_size"], "mode": "RGB",
                  "mean": list(open_clip.OPENAI_DATASET_MEAN),
                  "std": list(open_clip.OPENAI_DATASET_STD), "interpolation": "bicubic",
                  "resize_mode": "shortest", "fill_color": 0}
    (folder / "open_clip_config.json").write_text(
        json.dumps({"model_cfg": cfg, "preprocess_cfg": preprocess}, indent=1))
    return folder
