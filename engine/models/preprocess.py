"""open_clip's inference preprocessing in PIL + numpy (no torch, no torchvision).

open_clip's eval transform for ``resize_mode="shortest"`` on a square model is torchvision's
``Resize(size)`` (shortest side to ``size``, the other side ``int(size * long / short)``, PIL
resampling; skipped when the size already matches), ``CenterCrop(size)`` (offsets
``int(round((side - size) / 2))``), ``convert("RGB")``, ``ToTensor`` (``/255`` in float32) and
``Normalize``. ``squash`` resizes straight to ``size x size``. Each step below is the same PIL
call or the same float32 arithmetic, so the output equals torchvision's bit for bit (the tests
check it).

The configuration is open_clip's ``preprocess_cfg`` (``open_clip_config.json``) or Immich's
``visual/preprocess_cfg.json``, which is the same dictionary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

# open_clip.constants.OPENAI_DATASET_MEAN / _STD: the default when a config names none.
OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)

_RESAMPLING = {
    "bicubic": Image.Resampling.BICUBIC,
    "bilinear": Image.Resampling.BILINEAR,
    "nearest": Image.Resampling.NEAREST,
    "lanczos": Image.Resampling.LANCZOS,
    "box": Image.Resampling.BOX,
    "hamming": Image.Resampling.HAMMING,
}


@dataclass(frozen=True)
class PreprocessConfig:
    """How a CLIP image tower wants its pixels (open_clip's ``preprocess_cfg``)."""

    size: int
    mean: tuple[float, float, float] = OPENAI_MEAN
    std: tuple[float, float, float] = OPENAI_STD
    interpolation: str = "bicubic"
    resize_mode: str = "shortest"
    mode: str = "RGB"

    def __post_init__(self) -> None:
        if self.interpolation not in _RESAMPLING:
            raise ValueError(f"unsupported interpolation {self.interpolation!r}")
        if self.resize_mode not in ("shortest", "squash"):
            # open_clip's "longest" (letterbox with fill) is used by no CLIP checkpoint we ship.
            raise ValueError(f"unsupported resize_mode {self.resize_mode!r}")

    @classmethod
    def from_dict(cls, cfg: Mapping[str, Any]) -> PreprocessConfig:
        """From open_clip's / Immich's ``preprocess_cfg`` dictionary."""
        size = cfg["size"]
        if isinstance(size, (list, tuple)):
            if len(set(size)) != 1:
                raise ValueError(f"non-square image size {size} is not supported")
            size = size[0]
        return cls(
            size=int(size),
            mean=_triple(cfg.get("mean", OPENAI_MEAN)),
            std=_triple(cfg.get("std", OPENAI_STD)),
            interpolation=str(cfg.get("interpolation", "bicubic")).lower(),
            resize_mode=str(cfg.get("resize_mode", "shortest")),
            mode=str(cfg.get("mode", "RGB")),
        )

    def to_dict(self) -> dict[str, Any]:
        """open_clip's ``preprocess_cfg`` dictionary (what ``preprocess_cfg.json`` holds)."""
        return {
            "size": self.size,
            "mode": self.mode,
            "mean": list(self.mean),
            "std": list(self.std),
            "interpolation": self.interpolation,
            "resize_mode": self.resize_mode,
            "fill_color": 0,
        }


def _triple(values: Sequence[float] | float) -> tuple[float, float, float]:
    if isinstance(values, (int, float)):
        return (float(values),) * 3  # type: ignore[return-value]
    a, b, c = (float(v) for v in values)
    return (a, b, c)


def resize_and_crop(image: Image.Image, cfg: PreprocessConfig) -> Image.Image:
    """The geometric part: resize (shortest side or squash) and centre crop, as open_clip."""
    size = cfg.size
    resample = _RESAMPLING[cfg.interpolation]
    if cfg.resize_mode == "squash":
        if image.size != (size, size):
            image = image.resize((size, size), resample)
        return image
    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    new_long = int(size * long / short)
    new_w, new_h = (size, new_long) if width <= height else (new_long, size)
    if (new_w, new_h) != (width, height):
        image = image.resize((new_w, new_h), resample)
    left = round((new_w - size) / 2.0)
    top = round((new_h - size) / 2.0)
    if (left, top, new_w, new_h) != (0, 0, size, size):
        image = image.crop((left, top, left + size, top + size))
    return image


def preprocess_image(image: Image.Image, cfg: PreprocessConfig) -> np.ndarray:
    """One PIL image -> ``(3, size, size)`` float32, normalised, exactly as open_clip."""
    image = resize_and_crop(image, cfg)
    if image.mode != cfg.mode:
        image = image.convert(cfg.mode)
    pixels = np.asarray(image, dtype=np.uint8).astype(np.float32) / np.float32(255.0)
    mean = np.asarray(cfg.mean, dtype=np.float32)
    std = np.asarray(cfg.std, dtype=np.float32)
    # Subtract then divide (not multiply by 1/std): torchvision's Normalize order, same rounding.
    return np.ascontiguousarray(((pixels - mean) / std).transpose(2, 0, 1))


def preprocess_batch(images: Sequence[Image.Image], cfg: PreprocessConfig) -> np.ndarray:
    """Several PIL images -> ``(n, 3, size, size)`` float32."""
    out = np.empty((len(images), 3, cfg.size, cfg.size), dtype=np.float32)
    for i, image in enumerate(images):
        out[i] = preprocess_image(image, cfg)
    return out
