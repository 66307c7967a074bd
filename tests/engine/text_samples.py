"""Rendered photos with known text, for OCR tests and bench/ocr_throughput.py.

Backgrounds are real photos that Python packages ship (scikit-image, scikit-learn), plus
gradients and noise; text is drawn with Debian's fonts (packages: fonts-dejavu-core,
fonts-liberation2, fonts-freefont-ttf, fonts-noto-cjk) in several sizes and colours, on a plate
like a sign or straight on the photo, turned by a few degrees, and the result goes through JPEG.
Nothing here is made up: every truth string was drawn into its image.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Debian package -> font files the renderer uses (install them in CI with apt-get).
FONT_PACKAGES: dict[str, tuple[str, ...]] = {
    "fonts-dejavu-core": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    ),
    "fonts-liberation2": (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
    ),
    "fonts-freefont-ttf": (
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf",
    ),
    "fonts-noto-cjk": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
}
CJK_FONTS = FONT_PACKAGES["fonts-noto-cjk"]
LATIN_FONTS = tuple(f for k, v in FONT_PACKAGES.items() if k != "fonts-noto-cjk" for f in v)

LATIN_PHRASES = (
    "wifi password hunter2", "invoice 4471", "Rua Augusta", "BOARDING PASS", "Gate B12",
    "Happy Birthday Anna", "NO PARKING", "Platform 9", "Cafe Central", "Total 23.50 EUR",
    "Exit", "Harbour Street", "OPEN 24 HOURS", "Station Road", "Welcome to Lisbon",
    "Flight LH 1172", "Fresh Bread", "Room 214", "Museum of Art", "Sale 50% off",
    "Kyoto Tower", "Parking P3", "Bus stop 42", "Library", "Main Square",
)
CHINESE_PHRASES = (
    "增值税发票", "北京欢迎你", "出口", "停车场", "火车站", "生日快乐", "禁止吸烟", "人民路",
    "中国银行", "餐厅营业中",
)


@dataclass(frozen=True)
class Sample:
    """A rendered photo and the lines of text drawn into it ([] for a photo without text)."""

    image: Image.Image
    lines: tuple[str, ...]
    text_height_px: int  # cap height of the drawn text in the final image, 0 without text


def missing_fonts() -> list[str]:
    """Font files the renderer wants that are not installed (names the Debian package)."""
    return [f"{path} (apt-get install {package})"
            for package, paths in FONT_PACKAGES.items() for path in paths
            if not Path(path).is_file()]


@lru_cache(maxsize=1)
def photo_backgrounds() -> tuple[Image.Image, ...]:
    """Real photos shipped by scikit-image and scikit-learn when installed (the research set),
    else the demo scenes' textured backgrounds (grass, sand, water, ... with shapes on them)
    rendered by :mod:`engine.evaluation.demo_data`."""
    try:
        from skimage import data
        from sklearn.datasets import load_sample_images
    except ImportError:
        from engine.evaluation.demo_data import all_scenes, render

        rng = random.Random(7)
        scenes = rng.sample(all_scenes(), 12)
        return tuple(render(scene, 512, rng).convert("RGB") for scene in scenes)
    arrays = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket(),
              data.hubble_deep_field()]
    arrays += list(load_sample_images().images)
    return tuple(Image.fromarray(np.asarray(a)).convert("RGB") for a in arrays)


def gradient_background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A two-colour diagonal gradient with sensor-like noise."""
    w, h = 256, max(1, round(256 * size[1] / size[0]))
    a = np.array([rng.randrange(256) for _ in range(3)], dtype=np.float32)
    b = np.array([rng.randrange(256) for _ in range(3)], dtype=np.float32)
    t = (np.add.outer(np.arange(h), np.arange(w)) / (w + h))[..., None]
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, (h, w, 3))
    pixels = np.clip(a * (1 - t) + b * t + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels).resize(size, Image.Resampling.BICUBIC)


def background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A photo (cropped to ``size``'s aspect, scaled up) or, one time in four, a gradient."""
    if rng.random() < 0.25:
        return gradient_background(rng, size)
    photo = rng.choice(photo_backgrounds())
    aspect = size[0] / size[1]
    pw, ph = photo.size
    cw, ch = (pw, round(pw / aspect)) if pw / ph < aspect else (round(ph * aspect), ph)
    left, top = rng.randrange(pw - cw + 1), rng.randrange(ph - ch + 1)
    crop = photo.crop((left, top, left + cw, top + ch))
    return crop.resize(size, Image.Resampling.BICUBIC)


def draw_text(
    image: Image.Image,
    text: str,
    font_path: str,
    height_px: int,
    rng: random.Random,
    angle: float = 0.0,
    plate: bool = True,
    centre: tuple[float, float] | None = None,
) -> Image.Image:
    """``image`` with ``text`` drawn at font size ``height_px``, turned ``angle`` degrees, on a
    plate (a sign) or straight on the photo with a contrasting colour."""
    font = ImageFont.truetype(font_path, height_px)
    left, top, right, bottom = font.getbbox(text)
    pad = max(2, height_px // 3)
    width, height = right - left + 2 * pad, bottom - top + 2 * pad
    # Rotated extent, to place the layer before drawing (the colour depends on what is below).
    rad = math.radians(abs(angle))
    span = (math.ceil(width * math.cos(rad) + height * math.sin(rad)) + 2,
            math.ceil(width * math.sin(rad) + height * math.cos(rad)) + 2)
    if span[0] >= image.width or span[1] >= image.height:
        raise ValueError(f"text {text!r} at {height_px}px does not fit in {image.size}")
    if centre is None:
        x, y = rng.randrange(0, image.width - span[0]), rng.randrange(0, image.height - span[1])
    else:
        x = min(max(0, round(centre[0] * image.width - span[0] / 2)), image.width - span[0])
        y = min(max(0, round(centre[1] * image.height - span[1] / 2)), image.height - span[1])
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    if plate:
        plate_colour = tuple(rng.randrange(256) for _ in range(3))
        fill = (20, 20, 20) if sum(plate_colour) > 380 else (245, 245, 245)
        draw.rectangle((0, 0, width, height), fill=(*plate_colour, 235))
    else:  # a caption or a painted sign: dark on light ground, light on dark, as people do
        below = image.crop((x, y, x + span[0], y + span[1])).convert("L")
        light = float(np.asarray(below).mean()) > 128
        fill = (rng.randrange(40), rng.randrange(40), rng.randrange(60)) if light else (
            255 - rng.randrange(30), 255 - rng.randrange(30), 200 + rng.randrange(55))
    draw.text((pad - left, pad - top), text, font=font, fill=(*fill, 255))
    layer = layer.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    out = image.copy()
    out.paste(layer, (x, y), layer)
    return out


def jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    """``image`` after a JPEG encode and decode at ``quality`` (its blocking and ringing)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def render_sample(
    rng: random.Random,
    size: tuple[int, int] = (1600, 1200),
    lines: int = 1,
    chinese: bool = False,
    height_fraction: float | None = None,
) -> Sample:
    """One photo with ``lines`` phrases (0 for none) whose letters are ``height_fraction`` of
    the photo's height (random between 2.5% and 8% when None)."""
    image = background(rng, size)
    drawn: list[str] = []
    height_px = 0
    slots = rng.sample([0.15, 0.35, 0.55, 0.75, 0.9], k=min(lines, 5))
    for slot in slots:
        text = rng.choice(CHINESE_PHRASES if chinese else LATIN_PHRASES)
        font = rng.choice(CJK_FONTS if chinese else LATIN_FONTS)
        fraction = height_fraction if height_fraction is not None else rng.uniform(0.025, 0.08)
        height_px = max(6, round(size[1] * fraction))
        image = draw_text(image, text, font, height_px, rng, angle=rng.uniform(-4, 4),
                          plate=rng.random() < 0.6, centre=(rng.uniform(0.3, 0.7), slot))
        drawn.append(text)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 0.8) * size[0] / 1600))
    image = jpeg_roundtrip(image, rng.randrange(70, 95))
    return Sample(image, tuple(drawn), height_px)


def sample_set(count: int, seed: int = 0, size: tuple[int, int] = (1600, 1200),
               text_fraction: float = 0.5, chinese_fraction: float = 0.3) -> Iterator[Sample]:
    """``count`` samples, the first ``text_fraction`` of them with 1-2 lines of text."""
    rng = random.Random(seed)
    with_text = round(count * text_fraction)
    for index in range(count):
        if index < with_text:
            yield render_sample(rng, size, lines=rng.choice((1, 1, 2)),
                                chinese=rng.random() < chinese_fraction)
        else:
            yield render_sample(rng, size, lines=0)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def normalise_for_cer(text: str) -> str:
    """Case and spacing do not count as errors: lower case, no whitespace."""
    return "".join(text.split()).lower()


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference's length (after normalising)."""
    ref, hyp = normalise_for_cer(reference), normalise_for_cer(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)


def line_cer(truth: tuple[str, ...], read: list[str]) -> float:
    """CER of each drawn line against the best-matching recognised line, averaged over the
    drawn lines (extra recognised lines, e.g. text already in the background photo, are not
    errors; a line not read at all counts as 1.0)."""
    if not truth:
        return 0.0
    total = 0.0
    for line in truth:
        total += min((cer(line, r) for r in read), default=1.0)
    return min(1.0, total / len(truth)) if not math.isnan(total) else 1.0
