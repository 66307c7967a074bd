"""Real, freely licensed photos that installed packages ship, and variants made from them.

People:
- ``grace``: Grace Hopper, matplotlib ``mpl-data/sample_data/grace_hopper.jpg`` (US Navy photo,
  public domain).
- ``eileen``: Eileen Collins, scikit-image ``data.astronaut()`` (NASA photo, public domain).
No faces: scikit-image ``coffee()``, ``chelsea()`` (a cat), ``rocket()``, ``horse()``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageEnhance, ImageOps


def grace() -> Image.Image:
    """Grace Hopper, 512x600, face ~190 px wide."""
    import matplotlib

    path = os.path.join(matplotlib.get_data_path(), "sample_data", "grace_hopper.jpg")
    with Image.open(path) as image:
        return image.convert("RGB")


def eileen() -> Image.Image:
    """Eileen Collins (scikit-image astronaut), 512x512, face ~90 px wide."""
    from skimage import data

    return Image.fromarray(data.astronaut())


PEOPLE: dict[str, Callable[[], Image.Image]] = {"grace": grace, "eileen": eileen}


def no_face_photos() -> dict[str, Image.Image]:
    """Real photos without a human face (one has a cat's face)."""
    from skimage import data
    photos = {
        "coffee": Image.fromarray(data.coffee()),
        "chelsea_cat": Image.fromarray(data.chelsea()),
        "rocket": Image.fromarray(data.rocket()),
        "horse": Image.fromarray((~data.horse()).astype(np.uint8) * 255),
    }
    return photos


def backdrop(width: int, height: int) -> Image.Image:
    """A larger photo of other real content (the rocket, coffee, the cat) tiled to the size."""
    from skimage import data

    tiles = [
        Image.fromarray(data.rocket()),
        Image.fromarray(data.coffee()),
        Image.fromarray(data.chelsea()),
    ]
    canvas = Image.new("RGB", (width, height))
    tile_w = width // 3 + 1
    for i, tile in enumerate(tiles):
        canvas.paste(tile.resize((tile_w, height), Image.Resampling.BILINEAR), (i * tile_w, 0))
    return canvas


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as reread:
        return reread.convert("RGB")


def _scale(image: Image.Image, factor: float) -> Image.Image:
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


def _placed(image: Image.Image, width: int, height: int, x: float, y: float) -> Image.Image:
    canvas = backdrop(width, height)
    canvas.paste(image, (round((width - image.width) * x), round((height - image.height) * y)))
    return canvas


VARIANTS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "original": lambda im: im,
    "crop_upper": lambda im: im.crop((0, 0, im.width, im.height * 2 // 3)),
    "crop_left": lambda im: im.crop((im.width // 8, 0, im.width, im.height)),
    "scale_0.5": lambda im: _scale(im, 0.5),
    "scale_0.3": lambda im: _scale(im, 0.3),
    "scale_2": lambda im: _scale(im, 2.0),
    "jpeg_30": lambda im: _jpeg(im, 30),
    "jpeg_45": lambda im: _jpeg(im, 45),
    "jpeg_60": lambda im: _jpeg(im, 60),
    "bright_+30": lambda im: ImageEnhance.Brightness(im).enhance(1.3),
    "bright_-30": lambda im: ImageEnhance.Brightness(im).enhance(0.7),
    "rot_+8": lambda im: im.rotate(8, Image.Resampling.BICUBIC, expand=True, fillcolor=(90,) * 3),
    "rot_-8": lambda im: im.rotate(-8, Image.Resampling.BICUBIC, expand=True, fillcolor=(90,) * 3),
    "flip": ImageOps.mirror,
    "grey": lambda im: im.convert("L"),
    "placed_1600": lambda im: _placed(im, 1600, 1000, 0.3, 0.5),
    "placed_12mp": lambda im: _placed(im, 4000, 3000, 0.7, 0.4),
    "placed_12mp_x2": lambda im: _placed(_scale(im, 2.0), 4000, 3000, 0.1, 0.9),
}
