"""Procedurally generated, captioned scenes: the demo photos and the test suite's ground truth.

Why one module past 500 lines: the scene grammar, its captions and its renderer must agree
word for word (the captions are the ground truth of the tests); they change together.

Two kinds of scene:

* :class:`Scene` - one to three identical shapes of one colour at one position on a textured
  background ("two red circles on the left on grass"). Every attribute is named in each caption,
  so within a split where each attribute combination appears once, a caption identifies its scene.
* :class:`PairScene` - two different objects in a spatial relation ("a red circle left of a blue
  square"). The ``compositional`` split holds each pair scene next to its twins with colours or
  positions swapped, which a dual encoder struggles to tell apart (it is blind to binding).

``write_demo_dataset`` writes the scenes as JPEG photos plus a Karpathy-format ``dataset.json``
(the layout used for Flickr30K and COCO retrieval), which ``photosearch eval`` reads. Captions
come in English and, phrased by :mod:`engine.evaluation.demo_phrasing`, in Chinese, Spanish and
Japanese (:data:`CAPTION_LANGUAGES`).
"""

from __future__ import annotations

import io
import itertools
import json
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from engine.evaluation import demo_phrasing

CAPTION_LANGUAGES: tuple[str, ...] = ("en", *demo_phrasing.LANGUAGES)

SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "cross", "diamond")
PLURALS: dict[str, str] = {
    "circle": "circles",
    "square": "squares",
    "triangle": "triangles",
    "star": "stars",
    "cross": "crosses",
    "diamond": "diamonds",
}
COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (214, 39, 40),
    "orange": (245, 135, 20),
    "yellow": (242, 220, 40),
    "green": (44, 160, 44),
    "blue": (31, 90, 220),
    "purple": (130, 60, 190),
    "pink": (247, 140, 200),
    "white": (248, 248, 248),
}
BACKGROUNDS: dict[str, tuple[int, int, int]] = {
    "wooden table": (133, 87, 50),
    "grass": (58, 110, 40),
    "night sky": (16, 20, 48),
    "sand": (222, 200, 150),
}
POSITIONS: dict[str, tuple[float, float]] = {
    "left": (0.26, 0.5),
    "right": (0.74, 0.5),
    "top": (0.5, 0.26),
    "bottom": (0.5, 0.74),
    "center": (0.5, 0.5),
}
COUNTS: tuple[int, ...] = (1, 2, 3)
RELATIONS: tuple[str, ...] = ("left of", "above")

_COUNT_WORDS: dict[int, tuple[str, ...]] = {
    1: ("a", "one", "a single"),
    2: ("two", "2", "a pair of"),
    3: ("three", "3", "a group of three"),
}
_POSITION_PHRASES: dict[str, tuple[str, ...]] = {
    "left": ("on the left", "at the left side", "in the left part of the picture"),
    "right": ("on the right", "at the right side", "in the right part of the picture"),
    "top": ("at the top", "near the top edge", "in the upper part of the picture"),
    "bottom": ("at the bottom", "near the bottom edge", "in the lower part of the picture"),
    "center": ("in the middle", "in the center", "in the centre of the frame"),
}
_BACKGROUND_PHRASES: dict[str, tuple[str, ...]] = {
    "wooden table": ("on a wooden table", "on a wood grain background", "over a wooden surface"),
    "grass": ("on grass", "on a green lawn", "in a grassy field"),
    "night sky": ("against a night sky", "on a dark starry background", "in the night sky"),
    "sand": ("on sand", "on a sandy beach", "over beige sand"),
}
_RELATION_PHRASES: dict[str, tuple[str, ...]] = {
    "left of": ("left of", "to the left of", "on the left of"),
    "above": ("above", "over", "on top of"),
}
_INVERSE_PHRASES: dict[str, tuple[str, ...]] = {
    "left of": ("right of", "to the right of", "on the right of"),
    "above": ("below", "under", "beneath"),
}

# Colour/background pairs too close to tell apart are never generated.
_MIN_CONTRAST = 110.0


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    return math.dist(a, b)


def visible(colour: str, background: str) -> bool:
    """Whether a shape of ``colour`` stands out clearly on ``background``."""
    return _distance(COLOURS[colour], BACKGROUNDS[background]) >= _MIN_CONTRAST


@dataclass(frozen=True)
class Scene:
    """``count`` identical shapes of one colour, grouped at one position, on a background."""

    shape: str
    colour: str
    count: int
    position: str
    background: str

    @property
    def key(self) -> str:
        """A stable identifier of the attribute combination."""
        return f"{self.count}-{self.colour}-{self.shape}-{self.position}-{self.background}"


@dataclass(frozen=True)
class PairScene:
    """Object ``first`` stands in ``relation`` to object ``second`` (each is (shape, colour))."""

    first: tuple[str, str]
    second: tuple[str, str]
    relation: str
    background: str

    @property
    def key(self) -> str:
        """A stable identifier of the attribute combination."""
        (s1, c1), (s2, c2) = self.first, self.second
        rel = self.relation.replace(" ", "-")
        return f"pair-{c1}-{s1}-{rel}-{c2}-{s2}-{self.background}"


AnyScene = Scene | PairScene


def all_scenes() -> list[Scene]:
    """Every single-object attribute combination that is visibly distinct."""
    return [
        Scene(shape, colour, count, position, background)
        for shape, colour, count, position, background in itertools.product(
            SHAPES, COLOURS, COUNTS, POSITIONS, BACKGROUNDS
        )
        if visible(colour, background)
    ]


def random_pair_scene(rng: random.Random) -> PairScene:
    """A random two-object scene with different colours and shapes, both visible."""
    background = rng.choice(list(BACKGROUNDS))
    colours = [c for c in COLOURS if visible(c, background)]
    c1, c2 = rng.sample(colours, 2)
    s1, s2 = rng.sample(SHAPES, 2)
    return PairScene((s1, c1), (s2, c2), rng.choice(RELATIONS), background)


def swapped_twins(scene: PairScene) -> list[PairScene]:
    """The hard negatives of a pair scene: colours swapped, and positions swapped."""
    (s1, c1), (s2, c2) = scene.first, scene.second
    return [
        PairScene((s1, c2), (s2, c1), scene.relation, scene.background),
        PairScene((s2, c2), (s1, c1), scene.relation, scene.background),
    ]


# ---------------------------------------------------------------------------------------------
# Captions


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _object_phrase(count: int, colour: str, shape: str, rng: random.Random) -> str:
    noun = shape if count == 1 else PLURALS[shape]
    count_word = rng.choice(_COUNT_WORDS[count])
    if count_word == "a":
        count_word = _article(colour)
    return f"{count_word} {colour} {noun}"


def _caption_single(scene: Scene, template: int, rng: random.Random) -> str:
    obj = _object_phrase(scene.count, scene.colour, scene.shape, rng)
    pos = rng.choice(_POSITION_PHRASES[scene.position])
    bg = rng.choice(_BACKGROUND_PHRASES[scene.background])
    verb = "is" if scene.count == 1 else "are"
    noun = scene.shape if scene.count == 1 else PLURALS[scene.shape]
    count_word = rng.choice(_COUNT_WORDS[scene.count])
    templates = (
        f"{obj} {pos} {bg}",
        f"a photo of {obj} {pos}, {bg}",
        f"{bg}, {obj} {pos}",
        f"there {verb} {obj} {pos} {bg}",
        f"{count_word} {noun} in {scene.colour} {pos} {bg}",
        f"a picture showing {obj} {bg}, {pos}",
        f"{scene.background} scene with {obj} {pos}",
    )
    return templates[template % len(templates)]


def _caption_pair(scene: PairScene, template: int, rng: random.Random) -> str:
    (s1, c1), (s2, c2) = scene.first, scene.second
    a = f"{_article(c1)} {c1} {s1}"
    b = f"{_article(c2)} {c2} {s2}"
    rel = rng.choice(_RELATION_PHRASES[scene.relation])
    inv = rng.choice(_INVERSE_PHRASES[scene.relation])
    bg = rng.choice(_BACKGROUND_PHRASES[scene.background])
    templates = (
        f"{a} {rel} {b} {bg}",
        f"a photo of {b} {inv} {a}, {bg}",
        f"{bg}, {a} {rel} {b}",
        f"there is {a} {rel} {b} {bg}",
        f"{b} with {a} {rel} it, {bg}",
        f"a picture of {a} placed {rel} {b} {bg}",
    )
    return templates[template % len(templates)]


def _caption(scene: AnyScene, template: int, rng: random.Random, lang: str) -> str:
    if lang == "en":
        if isinstance(scene, Scene):
            return _caption_single(scene, template, rng)
        return _caption_pair(scene, template, rng)
    if lang not in demo_phrasing.LANGUAGES:
        raise ValueError(f"no demo captions in {lang!r}; languages: {CAPTION_LANGUAGES}")
    if isinstance(scene, Scene):
        return demo_phrasing.caption_single(lang, scene.count, scene.colour, scene.shape,
                                            scene.position, scene.background, template, rng)
    return demo_phrasing.caption_pair(lang, scene.first, scene.second, scene.relation,
                                      scene.background, template, rng)


def captions(scene: AnyScene, rng: random.Random, n: int = 5, lang: str = "en") -> list[str]:
    """``n`` different phrasings of the scene in ``lang`` (one of :data:`CAPTION_LANGUAGES`);
    each names every attribute of the scene."""
    return [_caption(scene, t, rng, lang) for t in range(n)]


def random_caption(scene: AnyScene, rng: random.Random, lang: str = "en") -> str:
    """One phrasing drawn from every template (training uses more variety than the dataset)."""
    count = (7 if isinstance(scene, Scene) else 6) if lang == "en" else (
        demo_phrasing.SINGLE_TEMPLATES if isinstance(scene, Scene)
        else demo_phrasing.PAIR_TEMPLATES)
    return _caption(scene, rng.randrange(count), rng, lang)


# ---------------------------------------------------------------------------------------------
# Rendering


def _shape_points(shape: str, cx: float, cy: float, r: float, angle: float) -> list[tuple]:
    def polar(k: int, n: int, radius: float, offset: float = 0.0) -> tuple[float, float]:
        a = angle + offset + 2 * math.pi * k / n
        return (cx + radius * math.cos(a), cy + radius * math.sin(a))

    if shape == "square":
        return [polar(k, 4, r * 1.25, math.pi / 4) for k in range(4)]
    if shape == "diamond":
        return [polar(k, 4, r * 1.3) for k in range(4)]
    if shape == "triangle":
        return [polar(k, 3, r * 1.3, -math.pi / 2) for k in range(3)]
    if shape == "star":
        return [polar(k // 2, 5, r * (1.35 if k % 2 == 0 else 0.55), -math.pi / 2 + (k % 2) *
                      math.pi / 5) for k in range(10)]
    if shape == "cross":
        w = r * 0.38
        pts = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w),
               (-r, w), (-r, -w), (-w, -w)]
        ca, sa = math.cos(angle), math.sin(angle)
        return [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]
    raise ValueError(f"unknown shape {shape!r}")


def _jitter_colour(rgb: tuple[int, int, int], rng: random.Random, amount: int) -> tuple:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in rgb)


def _draw_background(name: str, size: int, rng: random.Random) -> Image.Image:
    base = _jitter_colour(BACKGROUNDS[name], rng, 12)
    img = Image.new("RGB", (size, size), base)
    np_rng = np.random.default_rng(rng.getrandbits(32))
    if name == "wooden table":
        draw = ImageDraw.Draw(img)
        y = 0.0
        while y < size:
            delta = rng.randint(-28, 28)
            shade = tuple(max(0, min(255, c + delta)) for c in BACKGROUNDS[name])
            h = rng.uniform(size / 40, size / 12)
            draw.rectangle([0, y, size, y + h], fill=shade)
            y += h
        for _ in range(rng.randint(3, 7)):
            yy = rng.uniform(0, size)
            draw.line([(0, yy), (size, yy + rng.uniform(-8, 8))], fill=(90, 55, 30), width=1)
    elif name == "grass":
        # vertical streaks: noise stretched along y looks like blades
        streaks = np_rng.normal(0, 22, (size // 6 + 1, size, 1))
        noise = np.asarray(
            Image.fromarray(np.clip(streaks[..., 0] + 128, 0, 255).astype(np.uint8)).resize(
                (size, size), Image.Resampling.BILINEAR
            ),
            dtype=np.float32,
        )[..., None] - 128
        img = _add_noise(img, noise * np.array([0.6, 1.0, 0.5], dtype=np.float32))
    elif name == "night sky":
        draw = ImageDraw.Draw(img)
        for _ in range(rng.randint(size // 8, size // 4)):
            x, y = rng.uniform(0, size), rng.uniform(0, size)
            v = rng.randint(150, 255)
            draw.point((x, y), fill=(v, v, v))
    elif name == "sand":
        img = _add_noise(img, np_rng.normal(0, 14, (size, size, 1)).astype(np.float32))
    return img


def _add_noise(img: Image.Image, noise: np.ndarray) -> Image.Image:
    arr = np.asarray(img, dtype=np.float32) + noise
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _draw_object(draw: ImageDraw.ImageDraw, shape: str, colour: str, cx: float, cy: float,
                 r: float, rng: random.Random) -> None:
    fill = _jitter_colour(COLOURS[colour], rng, 14)
    outline = tuple(int(c * 0.55) for c in fill)
    width = max(1, round(r / 9))
    if shape == "circle":
        draw.ellipse([cx - r * 1.1, cy - r * 1.1, cx + r * 1.1, cy + r * 1.1], fill=fill,
                     outline=outline, width=width)
        return
    angle = rng.uniform(-0.2, 0.2)
    draw.polygon(_shape_points(shape, cx, cy, r, angle), fill=fill, outline=outline,
                 width=width)


def _group_offsets(count: int, position: str) -> list[tuple[float, float]]:
    """Where the members of a group sit around its centre (fractions of the image)."""
    if count == 1:
        return [(0.0, 0.0)]
    vertical = position in ("left", "right")
    step = 0.24 if count == 2 else 0.23
    offsets = [(i - (count - 1) / 2) * step for i in range(count)]
    return [(0.0, o) if vertical else (o, 0.0) for o in offsets]


def render(scene: AnyScene, size: int, rng: random.Random) -> Image.Image:
    """Draw the scene as an RGB image of ``size`` x ``size`` pixels, with random jitter."""
    scale = 2  # supersample for smooth edges, like a photo
    big = size * scale
    img = _draw_background(scene.background, big, rng)
    draw = ImageDraw.Draw(img)
    if isinstance(scene, Scene):
        cx, cy = POSITIONS[scene.position]
        radius = {1: 0.13, 2: 0.095, 3: 0.085}[scene.count] * rng.uniform(0.85, 1.15)
        cx += rng.uniform(-0.04, 0.04)
        cy += rng.uniform(-0.04, 0.04)
        for dx, dy in _group_offsets(scene.count, scene.position):
            ox = (cx + dx + rng.uniform(-0.015, 0.015)) * big
            oy = (cy + dy + rng.uniform(-0.015, 0.015)) * big
            _draw_object(draw, scene.shape, scene.colour, ox, oy, radius * big, rng)
    else:
        radius = 0.12 * rng.uniform(0.85, 1.15)
        gap = rng.uniform(0.22, 0.3)
        cx, cy = 0.5 + rng.uniform(-0.06, 0.06), 0.5 + rng.uniform(-0.06, 0.06)
        if scene.relation == "left of":
            p1, p2 = (cx - gap, cy + rng.uniform(-0.05, 0.05)), (cx + gap, cy)
        else:
            p1, p2 = (cx + rng.uniform(-0.05, 0.05), cy - gap), (cx, cy + gap)
        for (shape, colour), (px, py) in ((scene.first, p1), (scene.second, p2)):
            _draw_object(draw, shape, colour, px * big, py * big, radius * big, rng)
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    return img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.2, 0.6)))


def jpeg_roundtrip(image: Image.Image, quality: int,
                   draft_size: int | None = None) -> Image.Image:
    """Encode and decode as JPEG, as a camera file would be; with ``draft_size``, decoded at
    the reduced scale JPEG draft mode picks for that size (as the engine decodes files)."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    if draft_size is not None:
        out.draft("RGB", (draft_size, draft_size))
    out.load()
    return out.convert("RGB")


# ---------------------------------------------------------------------------------------------
# Datasets


@dataclass(frozen=True)
class DemoSplits:
    """How many scenes each split holds."""

    train: int = 2000
    val: int = 200
    test: int = 1000
    compositional: int = 300  # pair scenes, written with their two swapped twins (x3 images)


def _single_split_scenes(counts: DemoSplits, rng: random.Random) -> dict[str, list[Scene]]:
    combos = all_scenes()
    rng.shuffle(combos)
    # test and val scenes are distinct combinations, so captions identify scenes uniquely within
    # each of those splits; train may repeat combinations (different renderings).
    test = combos[: counts.test]
    val = combos[counts.test : counts.test + counts.val]
    train = [rng.choice(combos) for _ in range(counts.train)]
    return {"train": train, "val": val, "test": test}


def _compositional_scenes(n_groups: int, rng: random.Random) -> list[PairScene]:
    seen: set[str] = set()
    scenes: list[PairScene] = []
    while len(scenes) < n_groups * 3:
        base = random_pair_scene(rng)
        group = [base, *swapped_twins(base)]
        if any(s.key in seen for s in group):
            continue
        seen.update(s.key for s in group)
        scenes.extend(group)
    return scenes


def iter_dataset_scenes(counts: DemoSplits, seed: int) -> Iterator[tuple[str, AnyScene]]:
    """The (split, scene) pairs of the demo dataset, in file order."""
    rng = random.Random(seed)
    for split, scenes in _single_split_scenes(counts, rng).items():
        for scene in scenes:
            yield split, scene
    for pair in _compositional_scenes(counts.compositional, rng):
        yield "compositional", pair


def write_demo_dataset(
    out_dir: Path,
    counts: DemoSplits = DemoSplits(),
    *,
    seed: int = 1234,
    size: int = 256,
    quality: int = 90,
) -> Path:
    """Write the scenes as JPEG photos under ``out_dir/<split>/`` and ``out_dir/dataset.json``.

    The JSON follows the Karpathy split format used for Flickr30K/COCO retrieval:
    ``{"dataset": ..., "images": [{"filename", "filepath", "split", "imgid", "sentences":
    [{"raw", "tokens", "sentid"}], "scene"}]}``, with the English captions in ``sentences`` as
    every Karpathy reader expects. The other languages' captions sit beside them in
    ``"sentences_i18n": {"zh": [{"raw", "tokens"}], "es": [...], "ja": [...]}`` (five per
    image, drawn from their own random stream, so the English captions and the photos are the
    same as without them). Returns the JSON's path.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    images: list[dict] = []
    sent_id = 0
    for img_id, (split, scene) in enumerate(iter_dataset_scenes(counts, seed)):
        rng = random.Random(f"{seed}-{img_id}")
        folder = out_dir / split
        folder.mkdir(exist_ok=True)
        filename = f"{split}_{img_id:05d}.jpg"
        render(scene, size, rng).save(folder / filename, "JPEG", quality=quality)
        sentences = []
        for raw in captions(scene, rng):
            sentences.append({"raw": raw, "tokens": _tokens(raw), "sentid": sent_id})
            sent_id += 1
        i18n = {}
        for lang in demo_phrasing.LANGUAGES:
            lang_rng = random.Random(f"{seed}-{img_id}-{lang}")
            i18n[lang] = [{"raw": raw, "tokens": _tokens(raw, lang)}
                          for raw in captions(scene, lang_rng, lang=lang)]
        images.append(
            {
                "filename": filename,
                "filepath": split,
                "split": split,
                "imgid": img_id,
                "sentences": sentences,
                "sentences_i18n": i18n,
                "scene": scene.key,
            }
        )
    dataset_path = out_dir / "dataset.json"
    dataset_path.write_text(
        json.dumps({"dataset": "photosearch-synthetic", "images": images}, indent=1,
                   ensure_ascii=False),
        encoding="utf-8",
    )
    return dataset_path


_CJK_PUNCTUATION = "，。：、（）"


def _tokens(raw: str, lang: str = "en") -> list[str]:
    """Karpathy-style tokens: words, or characters for Chinese and Japanese (no spaces)."""
    if lang in ("zh", "ja"):
        return [c for c in raw if not c.isspace() and c not in _CJK_PUNCTUATION]
    return [t for t in raw.lower().replace(",", " ").replace(":", " ").split() if t]


def mutate(scene: AnyScene, rng: random.Random) -> AnyScene:
    """A near twin of ``scene`` that differs in exactly one attribute (a hard negative).

    Pair scenes get a new colour or shape for one object, never a swap: swaps are what the
    ``compositional`` split tests, and a dual encoder is not expected to learn them.
    """
    for _ in range(20):
        if isinstance(scene, Scene):
            attr = rng.choice(("shape", "colour", "count", "position", "background"))
            pool = {"shape": SHAPES, "colour": tuple(COLOURS), "count": COUNTS,
                    "position": tuple(POSITIONS), "background": tuple(BACKGROUNDS)}[attr]
            value = rng.choice([v for v in pool if v != getattr(scene, attr)])
            twin = Scene(**{**scene.__dict__, attr: value})
            if visible(twin.colour, twin.background):
                return twin
        else:
            (s1, c1), (s2, c2) = scene.first, scene.second
            which = rng.randrange(2)
            if rng.random() < 0.5:
                c_new = rng.choice([c for c in COLOURS if c not in (c1, c2)])
                objs = [(s1, c_new), (s2, c2)] if which == 0 else [(s1, c1), (s2, c_new)]
            else:
                s_new = rng.choice([s for s in SHAPES if s not in (s1, s2)])
                objs = [(s_new, c1), (s2, c2)] if which == 0 else [(s1, c1), (s_new, c2)]
            pair = PairScene(objs[0], objs[1], scene.relation, scene.background)
            if visible(objs[0][1], pair.background) and visible(objs[1][1], pair.background):
                return pair
    return scene


def sample_training_scene(rng: random.Random, pair_fraction: float,
                          singles: Sequence[Scene]) -> AnyScene:
    """One random scene for training: a pair scene with probability ``pair_fraction``."""
    if rng.random() < pair_fraction:
        return random_pair_scene(rng)
    return rng.choice(singles)


def write_demo_photos(folder: Path, count: int = 200, seed: int = 1234) -> Path:
    """Write ``count`` generated demo photos (the scenes the bundled demo model knows) into
    ``folder`` with their captions in ``folder/dataset.json``; kept if already there.

    Lets a newcomer see PhotoSearch work offline, before any real model is downloaded.
    """
    folder = Path(folder).expanduser()
    if not (folder / "dataset.json").is_file():
        write_demo_dataset(folder, DemoSplits(train=0, val=0, test=count, compositional=0),
                           seed=seed)
    return folder
