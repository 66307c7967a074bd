"""Real photos that packages ship, and the copies a phone library is full of.

``distinct_photos``: scikit-image and scikit-learn sample photos (plus non-overlapping halves of
the large ones, which are different pictures too). ``copies``: what sharing and editing do to a
photo. ``burst``: shifted crops of one photo, like shots taken a moment apart.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageEnhance

_SKIMAGE = ("astronaut", "brick", "camera", "chelsea", "coffee", "coins", "grass", "gravel",
            "hubble_deep_field", "immunohistochemistry", "moon", "rocket", "clock", "retina",
            "cell", "horse", "page", "text")


@lru_cache(maxsize=1)
def distinct_photos() -> dict[str, Image.Image]:
    from skimage import data

    photos: dict[str, Image.Image] = {}
    for name in _SKIMAGE:
        array = getattr(data, name)()
        if array.dtype == bool:
            array = array.astype(np.uint8) * 255
        if array.ndim == 2:
            array = np.stack([array] * 3, axis=-1)
        photos[name] = Image.fromarray(array[..., :3]).convert("RGB")
    left, right = data.stereo_motorcycle()[:2]
    photos["motorcycle"] = Image.fromarray(left)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.datasets import load_sample_images

        for name, array in zip(("china", "flower"), load_sample_images().images, strict=True):
            photos[name] = Image.fromarray(array)
    for name in ("hubble_deep_field", "retina", "china", "coffee"):
        image = photos[name]
        w, h = image.size
        photos[f"{name}-left"] = image.crop((0, 0, w // 2, h))
        photos[f"{name}-right"] = image.crop((w // 2, 0, w, h))
    return photos


def _resave(image: Image.Image, fmt: str, **options: object) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def copies(image: Image.Image) -> dict[str, Image.Image]:
    """The near-duplicates a library collects: each must be grouped with ``image``."""
    w, h = image.size
    dx, dy = round(w * 0.05), round(h * 0.05)
    return {
        "resized 50%": image.resize((w // 2, h // 2), Image.Resampling.LANCZOS),
        "JPEG quality 60": _resave(image, "JPEG", quality=60),
        "PNG": _resave(image, "PNG"),
        "WebP quality 80": _resave(image, "WEBP", quality=80),
        "cropped 5% (centre)": image.crop((dx // 2, dy // 2, w - dx // 2, h - dy // 2)),
        "cropped 5% (one corner)": image.crop((0, 0, w - dx, h - dy)),
        "brightness +15%": ImageEnhance.Brightness(image).enhance(1.15),
        "brightness -15%": ImageEnhance.Brightness(image).enhance(0.85),
        "resized 50% + JPEG 60": _resave(image.resize((w // 2, h // 2)), "JPEG", quality=60),
    }


def burst(image: Image.Image, shots: int = 4, window: float = 0.8, step: float = 0.06
          ) -> list[Image.Image]:
    """Shots a moment apart: windows of ``window`` of the frame, moving ``step`` each shot."""
    w, h = image.size
    ww, wh = round(w * window), round(h * window)
    out = []
    for i in range(shots):
        left = round(w * step * i)
        top = round(h * step * i * 0.5)
        out.append(image.crop((left, top, left + ww, top + wh)))
    return out


def temporary_trash(tmp_path: Path, monkeypatch: Any) -> Path:
    """Point send2trash at a trash folder under ``tmp_path`` (it reads XDG_DATA_HOME once, at
    import, so its module constants are patched); returns the trash folder."""
    import os

    from send2trash import plat_other

    data = tmp_path / "xdg-data"
    data.mkdir()
    monkeypatch.setattr(plat_other, "XDG_DATA_HOME", os.fsencode(data))
    monkeypatch.setattr(plat_other, "HOMETRASH_B", os.fsencode(data / "Trash"))
    monkeypatch.setattr(plat_other, "HOMETRASH", str(data / "Trash"))
    return data / "Trash"
