"""Inputs for the ONNX path's tests: photos of odd sizes and modes, and ~400 varied texts."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image

from engine.store.paths import demo_model_dir, resources_dir

DEMO_DIR = demo_model_dir()
VOCABULARY = resources_dir() / "captions" / "vocabulary.txt"

HANDWRITTEN = [
    "", " ", "a", "A photo of a DOG", "  multiple   spaces\tand\nnewlines ",
    "Café “quoted” ‘single’ &amp; <b>html</b> &lt;tag&gt; &amp;amp;",
    "ÉCOLE über naïve façade Ångström", "日本語のテキスト、東京タワー", "北京烤鸭", "한국어 문장",
    "Привет, мир!", "ΣΟΦΙΑ ΟΔΟΣ σοφία", "İstanbul ıi", "straße STRASSE", "עברית", "العربية",
    "हिन्दी पाठ", "ไทย", "emoji 🐶🏖️ test 👨‍👩‍👧 🇫🇷", "it's they're we've I'm you'll he'd",
    "IT'S THEY'RE", "x" * 300, "word " * 100, "ﬁ ligature ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
    "cafÃ© mojibake â€œquoteâ€\x9d", "123,456.78 $%^&*()_+-=[]{}|;:,.<>/?", "3.14159265358979",
    "e-mail: someone@example.com, url https://example.org/a?b=c#d", "#hashtag @mention",
    "zero\u200bwidth", "soft\u00adhyphen", "nbsp\u00a0space", "tab\tsep", "\x00control\x07",
    "combining e\u0301 vs é", "ℌ𝔢𝔩𝔩𝔬 𝓜𝓪𝓽𝓱", "...", "!!!???", "'quoted'", "don't stop",
    "a" + " b" * 80, "supercalifragilisticexpialidocious " * 10,
]


def corpus() -> list[str]:
    """About 400 strings: every 25th caption of the vocabulary (the export's calibration takes
    other lines), hand-written edge cases, seeded random mixtures."""
    captions = [line for line in VOCABULARY.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")][::25]
    rng = random.Random(7)
    pool = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            "     \t\n.,;:!?'\"-_()[]{}<>/\\@#$%^&*+=~`|"
            "éèêëàâäîïôöùûüçñßøåæœÉÀÇ" "αβγδΣΩ" "жщюЯ" "日本語中文한국" "🐶🏖️🎉👍🏽" "“”‘’–—…€£¥")
    mixtures = ["".join(rng.choice(pool) for _ in range(rng.randint(1, 120)))
                for _ in range(180)]
    entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&eacute;"]
    mixtures += [" ".join(rng.choice(captions) + rng.choice(entities)
                          for _ in range(rng.randint(1, 12))) for _ in range(20)]
    return captions + HANDWRITTEN + mixtures


def real_images(photo_folder: Path | None = None) -> list[Image.Image]:
    """Demo photographs (JPEG files the indexer reads) plus Pillow's own generated images, in odd
    sizes and modes: grayscale, very wide, already the demo's size, tall and narrow."""
    images: list[Image.Image] = []
    if photo_folder is not None:
        for path in sorted(photo_folder.glob("*.jpg"))[:6]:
            with Image.open(path) as im:
                images.append(im.convert("RGB"))
    images.append(Image.effect_mandelbrot((320, 240), (-2.0, -1.2, 1.0, 1.2), 64).convert("RGB"))
    noise = Image.effect_noise((200, 300), 40).convert("RGB")
    images.append(Image.merge("RGB", (Image.linear_gradient("L").resize((200, 300)),
                                      noise.getchannel(0),
                                      Image.radial_gradient("L").resize((200, 300)))))
    images.append(Image.radial_gradient("L").convert("RGB"))  # grayscale content
    images.append(images[0].crop((0, 0, min(301, images[0].width), 97)))  # very wide, odd size
    images.append(images[1].resize((96, 96)))  # already the demo model's size
    images.append(images[-3].resize((95, 400)))  # tall, smaller than 96 on one side
    return images
