"""Train the tiny BLIP image-text matcher shipped as ``--matcher demo`` on procedural scenes.

Why one module past 500 lines: a training script is read top to bottom (data, model, loss,
schedule, export), and its parts are used nowhere else.

Usage (CPU, about 22 minutes on two cores including rendering; a GPU is faster)::

    python -m engine.evaluation.training.train_demo_matcher \
        --out resources/models/demo-matcher --minutes 20

The model is an ordinary ``transformers.BlipForImageTextRetrieval`` (a ViT image encoder and a
BERT text encoder whose layers cross-attend to the image tokens, with the image-text matching
head), just very small (64 px images in 16 px patches, width 64, 3 + 4 layers, 0.43 M weights).
Its tokenizer is a ``BertTokenizer`` over its own word list, built here from the demo captions'
vocabulary, so nothing is downloaded. Everything is saved with ``save_pretrained`` (fp16
weights) and loads like any BLIP ITM checkpoint.

Data: a pool of groups of three scenes is rendered up front (on all cores) and re-captioned
with fresh phrasings every time a group is drawn. A group is

* a two-object scene with its two swapped twins (colours swapped, positions swapped;
  :func:`engine.evaluation.demo_data.swapped_twins`), or one twin and a near miss (a colour, shape,
  relation or background changed), or
* a one-object scene with two near misses (shape, colour, count, position or background
  changed; :func:`engine.evaluation.demo_data.mutate`).

Each image meets the three captions of its group (one match, two hard negatives) and the
caption of a scene from another group (an easy negative). Losses:

* ITM cross-entropy on every pair, and a listwise cross-entropy inside each group (which of the
  three images does this caption describe, and which caption describes this image) - the exact
  decision the ``compositional`` split asks for;
* BLIP's image-text contrastive loss on the images' own captions;
* auxiliary supervision of *where*: the first layer's cross-attention (two heads) of every colour
  and shape word is taught to look at the patches its object covers in the paired image; a
  linear probe after layer 1 predicts where the object is (or that it is absent), one after
  layer 2 where the caption says it is. Matching is then a comparison of the two.

Without that supervision a model trained from scratch sits at chance on swapped twins (they
share every word and every colour: only word order against arrangement tells them apart; at
initialisation that signal is invisible and the gradient is ~0). With it, the twins separate
after ~600 steps. Note also BLIP's vision ``initializer_range`` default of 1e-10 (meant for
loading pretrained weights): from scratch it leaves the image tower dead, so 0.02 is used.
The probes and the supervision exist only in training; the saved model is stock BLIP.

Scenes of the evaluation splits (the default demo dataset's ``compositional`` groups, and the
validation groups) are never trained on. Images are preprocessed by
:func:`engine.models.matcher.image_to_pixels`, the function the reranker uses at query time, after a
JPEG round trip (and, half of the time, a reduced-size JPEG decode like
:func:`engine.media.imaging.decode_photo`'s draft mode).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812
from PIL import Image

from engine.evaluation import demo_data
from engine.evaluation.training.optim import adamw_with_decay
from engine.models.matcher import CLIP_MEAN, CLIP_STD, image_to_pixels

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

IMAGE_SIZE = 64
MAX_TOKENS = 32
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
VISION_CFG: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 192,
    "num_hidden_layers": 3,
    "num_attention_heads": 4,
    "image_size": IMAGE_SIZE,
    "patch_size": 16,
    # BLIP's default (1e-10) is meant for loading pretrained weights: trained from scratch it
    # leaves the image tower near zero and nothing learns. Use the usual 0.02.
    "initializer_range": 0.02,
}
TEXT_CFG: dict[str, Any] = {
    "hidden_size": 64,
    "encoder_hidden_size": 64,
    "intermediate_size": 192,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "max_position_embeddings": 64,
    "pad_token_id": 0,
    "bos_token_id": 2,
    "sep_token_id": 3,
    "eos_token_id": 3,
}
GROUP = 3  # images per group (a scene and its two twins)
TEXTS_PER_IMAGE = GROUP + 1  # each image meets its group's captions and another scene's
DATASET_SEED = 1234  # the seed of `photosearch demo-data`: its eval scenes are held out


# ---------------------------------------------------------------------------------------------
# Vocabulary and tokenizer


def demo_vocabulary(samples: int = 20_000) -> list[str]:
    """Every word the demo captions use (lower case, punctuation as its own token), sorted."""
    from tokenizers.pre_tokenizers import BertPreTokenizer

    pre = BertPreTokenizer()
    words: set[str] = set()
    rng = random.Random(0)
    singles = demo_data.all_scenes()
    for n in range(samples):
        scene = demo_data.sample_training_scene(rng, 0.5, singles)
        for text in demo_data.captions(scene, rng, n=7 if n % 2 else 6):
            words.update(w for w, _ in pre.pre_tokenize_str(text.lower()))
    return sorted(words)


def build_tokenizer(words: list[str]) -> Any:
    """A ``BertTokenizer`` over ``words`` (plus BERT's special tokens); no download."""
    from transformers import BertTokenizer

    vocab = {token: i for i, token in enumerate([*SPECIAL_TOKENS, *words])}
    return BertTokenizer(vocab=vocab, do_lower_case=True, model_max_length=MAX_TOKENS)


def model_config(vocab_size: int) -> Any:
    """The tiny ``BlipConfig``."""
    from transformers import BlipConfig

    return BlipConfig(text_config={**TEXT_CFG, "vocab_size": vocab_size},
                      vision_config=VISION_CFG, image_text_hidden_size=64)


# ---------------------------------------------------------------------------------------------
# Data


def held_out_keys(dataset_seed: int = DATASET_SEED, groups: int = 300) -> set[str]:
    """Scene keys of the default demo dataset's ``compositional`` split (never trained on)."""
    counts = demo_data.DemoSplits(train=0, val=0, test=0, compositional=groups)
    return {s.key for sp, s in demo_data.iter_dataset_scenes(counts, dataset_seed)
            if sp == "compositional"}


def _group(rng: random.Random, pair_fraction: float,
           singles: list[demo_data.Scene]) -> list[demo_data.AnyScene]:
    if rng.random() < pair_fraction:
        base: demo_data.AnyScene = demo_data.random_pair_scene(rng)
        assert isinstance(base, demo_data.PairScene)
        swaps = demo_data.swapped_twins(base)
        if rng.random() < 0.6:
            return [base, *swaps]
        twins: list[demo_data.AnyScene] = [base, rng.choice(swaps)]
    else:
        base = rng.choice(singles)
        twins = [base]
    while len(twins) < GROUP:
        twin = _extra_negative(base, rng)
        if all(twin.key != t.key for t in twins):
            twins.append(twin)
    return twins


def _extra_negative(scene: demo_data.AnyScene, rng: random.Random) -> demo_data.AnyScene:
    """One more near miss: one attribute changed, or (for pairs) the relation turned."""
    if isinstance(scene, demo_data.PairScene) and rng.random() < 0.3:
        other = [r for r in demo_data.RELATIONS if r != scene.relation]
        return demo_data.PairScene(scene.first, scene.second, rng.choice(other),
                                   scene.background)
    if isinstance(scene, demo_data.PairScene) and rng.random() < 0.2:
        backgrounds = [b for b in demo_data.BACKGROUNDS if b != scene.background
                       and demo_data.visible(scene.first[1], b)
                       and demo_data.visible(scene.second[1], b)]
        if backgrounds:
            return demo_data.PairScene(scene.first, scene.second, scene.relation,
                                       rng.choice(backgrounds))
    return demo_data.mutate(scene, rng)


def photo_like(image: Image.Image, rng: random.Random) -> Image.Image:
    """A JPEG round trip, decoded at reduced size half of the time (like the draft decode)."""
    quality = rng.randint(70, 95)
    draft = IMAGE_SIZE if rng.random() < 0.5 else None
    return demo_data.jpeg_roundtrip(image, quality, draft_size=draft)


def render_group(args: tuple[int, float, frozenset[str]]) -> tuple[list, np.ndarray]:
    """One training group, rendered: (its 3 scenes, a (3, S, S, 3) uint8 array).

    The pixels are what :func:`engine.models.matcher.image_to_pixels` resizes before it normalises,
    so normalising them later gives exactly the reranker's input.
    """
    seed, pair_fraction, excluded = args
    rng = random.Random(seed)
    singles = _SINGLES
    while True:
        group = _group(rng, pair_fraction, singles)
        if not any(s.key in excluded for s in group):
            break
    images = []
    for scene in group:
        size = rng.choice((96, 128, 128, 160, 256))
        img = photo_like(demo_data.render(scene, size, rng), rng)
        img = img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BICUBIC)
        images.append(np.asarray(img, dtype=np.uint8))
    return group, np.stack(images)


_SINGLES = demo_data.all_scenes()


def render_pool(groups: int, seed: int, pair_fraction: float, excluded: set[str],
                workers: int) -> tuple[list, np.ndarray]:
    """Render ``groups`` training groups on ``workers`` processes."""
    import multiprocessing

    jobs = [(seed * 10_000_000 + i, pair_fraction, frozenset(excluded)) for i in range(groups)]
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            out = pool.map(render_group, jobs, chunksize=64)
    else:
        out = [render_group(j) for j in jobs]
    scenes = [g for g, _ in out]
    return scenes, np.stack([px for _, px in out])


PLACES = ("absent", "left", "right", "top", "bottom", "center")


def object_places(scene: demo_data.AnyScene) -> dict[str, int]:
    """Where each colour and shape of a scene is (an index into :data:`PLACES`)."""
    if isinstance(scene, demo_data.Scene):
        where = PLACES.index(scene.position)
        return {scene.colour: where, scene.shape: where}
    first, second = ("left", "right") if scene.relation == "left of" else ("top", "bottom")
    out: dict[str, int] = {}
    for (shape, colour), place in ((scene.first, first), (scene.second, second)):
        out[shape] = out[colour] = PLACES.index(place)
    return out


def object_colours(scene: demo_data.AnyScene) -> dict[str, str]:
    """colour or shape name -> the colour of that object in the scene."""
    if isinstance(scene, demo_data.Scene):
        return {scene.colour: scene.colour, scene.shape: scene.colour}
    out: dict[str, str] = {}
    for shape, colour in (scene.first, scene.second):
        out[shape] = out[colour] = colour
    return out


def colour_maps(pixels: np.ndarray, colours: list[str]) -> dict[str, np.ndarray]:
    """For an (S, S, 3) uint8 image: colour -> a distribution over the image tokens (CLS first,
    then the patches row by row) by how much of each patch that colour covers."""
    patch = VISION_CFG["patch_size"]
    grid = pixels.shape[0] // patch
    out = {}
    px = pixels.astype(np.float32)
    for colour in colours:
        close = np.linalg.norm(px - np.asarray(demo_data.COLOURS[colour], np.float32),
                               axis=-1) < 60.0
        cover = close.reshape(grid, patch, grid, patch).mean(axis=(1, 3)).reshape(-1)
        cover = np.where(cover > 0.04, cover, 0.0)
        if cover.sum() > 0:
            out[colour] = np.concatenate([[0.0], cover / cover.sum()]).astype(np.float32)
    return out


def word_roles(tokenizer: Any) -> dict[int, str]:
    """token id -> the colour or shape it names (plurals too)."""
    vocab = tokenizer.get_vocab()
    roles = {vocab[c]: c for c in demo_data.COLOURS if c in vocab}
    for shape, plural in demo_data.PLURALS.items():
        for word in (shape, plural):
            if word in vocab:
                roles[vocab[word]] = shape
    return roles


class GroupBatches:
    """Batches drawn from the rendered pool, with fresh caption phrasings every time.

    Each batch also carries two labels for every colour or shape word of a caption: where
    that colour or shape *is* in the image it is paired with (or "absent"), and where the
    caption *says* it is. Auxiliary heads learn the first after the text encoder's first layer
    (the cross-attention learns to look in the right place) and the second after its second
    layer (the words learn what the sentence claims about them); matching is then a comparison
    of the two that the last layers make. The heads are dropped after training. Without them a
    from-scratch model sits at chance on swapped twins for a long time: twins share every word
    and every colour, so only the order of words against the arrangement tells them apart.
    """

    def __init__(self, scenes: list, pixels: np.ndarray, tokenizer: Any, groups: int,
                 seed: int) -> None:
        self.scenes = scenes
        self.pixels = torch.from_numpy(pixels)  # (N, 3, S, S, 3) uint8
        self.pixels_np = pixels
        self.tokenizer = tokenizer
        self.groups = groups
        self.rng = random.Random(seed)
        self.roles = word_roles(tokenizer)
        self.mean = torch.tensor(CLIP_MEAN).view(1, 3, 1, 1)
        self.std = torch.tensor(CLIP_STD).view(1, 3, 1, 1)

    def __iter__(self):  # type: ignore[no-untyped-def]
        rng = self.rng
        tokens = 1 + (IMAGE_SIZE // VISION_CFG["patch_size"]) ** 2
        while True:
            picks = [rng.randrange(len(self.scenes)) for _ in range(self.groups)]
            maps = []  # per image: word -> where its object is, as an attention target
            for i in picks:
                for scene, px in zip(self.scenes[i], self.pixels_np[i], strict=True):
                    colour_of = object_colours(scene)
                    cover = colour_maps(px, sorted(set(colour_of.values())))
                    maps.append({w: cover[c] for w, c in colour_of.items() if c in cover})
            texts, places = [], []
            for n, i in enumerate(picks):
                group = self.scenes[i]
                own = [demo_data.random_caption(s, rng) for s in group]
                # An easy negative (a scene of the next group) next to the three hard ones.
                other = rng.choice(self.scenes[picks[(n + 1) % len(picks)]])
                claims = [object_places(s) for s in (*group, other)]
                for scene in group:
                    texts.extend(own)
                    texts.append(demo_data.random_caption(other, rng))
                    places.extend((object_places(scene), claim) for claim in claims)
            tok = self.tokenizer(texts, padding="longest", truncation=True,
                                 max_length=MAX_TOKENS, return_tensors="pt")
            ids = tok["input_ids"]
            actual = torch.full((2, *ids.shape), -100, dtype=torch.long)
            look = torch.zeros((*ids.shape, tokens))
            for row, (token_row, (seen, said)) in enumerate(zip(ids.tolist(), places,
                                                                strict=True)):
                where = maps[row // TEXTS_PER_IMAGE]
                for col, token in enumerate(token_row):
                    name = self.roles.get(token)
                    if name is not None:
                        actual[0, row, col] = seen.get(name, 0)
                        actual[1, row, col] = said.get(name, 0)
                        if name in where:
                            look[row, col] = torch.from_numpy(where[name])
            px = self.pixels[picks].flatten(0, 1).permute(0, 3, 1, 2).float() / 255
            px = (px - self.mean) / self.std
            yield px, ids, tok["attention_mask"], actual, look


# ---------------------------------------------------------------------------------------------
# Model


def match_logits(model: Any, image_embeds: torch.Tensor, input_ids: torch.Tensor,
                 attention_mask: torch.Tensor, texts_per_image: int) -> tuple[torch.Tensor, Any]:
    """ITM log-odds (match minus no-match logit) for each image (vision encoder output) with its
    ``texts_per_image`` consecutive texts (the computation
    :class:`engine.models.matcher.BlipMatcher`
    does), and the text encoder's outputs (token states, cross-attention maps)."""
    image_embeds = image_embeds.repeat_interleave(texts_per_image, dim=0)
    atts = torch.ones(image_embeds.shape[:-1], dtype=torch.long, device=image_embeds.device)
    out = model.text_encoder(input_ids=input_ids, attention_mask=attention_mask,
                             encoder_hidden_states=image_embeds, encoder_attention_mask=atts,
                             output_hidden_states=True, output_attentions=True)
    logits = model.itm_head(out.last_hidden_state[:, 0, :]).float()
    # Token states and cross-attention maps, for the auxiliary losses.
    return logits[:, 1] - logits[:, 0], out


def losses(scores: torch.Tensor, groups: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(pairwise ITM loss, listwise in-group loss) from (groups*3*4) log-odds."""
    s = scores.view(groups, GROUP, TEXTS_PER_IMAGE)  # [group, image, text]
    labels = torch.zeros_like(s)
    eye = torch.eye(GROUP, device=s.device)
    labels[:, :, :GROUP] = eye
    # One positive for three negatives per image: weight positives 3x to balance the classes.
    weights = 1.0 + (TEXTS_PER_IMAGE - 2.0) * labels
    pairwise = F.binary_cross_entropy_with_logits(s, labels, weight=weights)
    square = s[:, :, :GROUP]  # log-odds of image i with caption j
    target = torch.arange(GROUP, device=s.device).expand(groups, GROUP).reshape(-1)
    listwise = (F.cross_entropy(square.reshape(-1, GROUP), target)
                + F.cross_entropy(square.transpose(1, 2).reshape(-1, GROUP), target)) / 2
    return pairwise, listwise


def contrastive_loss(model: Any, pixels_cls: torch.Tensor, input_ids: torch.Tensor,
                     attention_mask: torch.Tensor) -> torch.Tensor:
    """BLIP's image-text contrastive loss on the images' own captions (one per image).

    It grounds words in image regions quickly (a dense signal over the whole batch), which the
    matching head then builds on; BLIP pretrains the same way.
    """
    text = model.text_encoder(input_ids=input_ids, attention_mask=attention_mask)
    txt = F.normalize(model.text_proj(text.last_hidden_state[:, 0, :]).float(), dim=-1)
    img = F.normalize(model.vision_proj(pixels_cls).float(), dim=-1)
    logits = img @ txt.T / 0.07
    target = torch.arange(len(img), device=img.device)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def _eval_groups(split: str, counts: demo_data.DemoSplits, seed: int,
                 tokenizer: Any) -> dict[str, torch.Tensor]:
    """A split's groups rendered exactly as ``write_demo_dataset`` writes them, with their
    five captions each, decoded the way the reranker decodes a file."""
    rows = [(i, sc) for i, (sp, sc) in enumerate(demo_data.iter_dataset_scenes(counts, seed))
            if sp == split]
    pixels, texts = [], []
    for img_id, scene in rows:
        rng = random.Random(f"{seed}-{img_id}")
        im = demo_data.jpeg_roundtrip(demo_data.render(scene, 256, rng), 90,
                                      draft_size=IMAGE_SIZE)
        pixels.append(image_to_pixels(im, IMAGE_SIZE, CLIP_MEAN, CLIP_STD))
        texts.append(demo_data.captions(scene, rng))
    tok = tokenizer([t for five in texts for t in five], padding="max_length", truncation=True,
                    max_length=MAX_TOKENS, return_tensors="pt")
    return {"pixels": torch.from_numpy(np.stack(pixels)), "ids": tok["input_ids"],
            "mask": tok["attention_mask"]}


@torch.no_grad()
def evaluate(model: Any, data: dict[str, torch.Tensor], device: str) -> dict[str, float]:
    """Inside each group of three: how often a caption's own image scores highest (t2i R@1),
    and how often the matcher calls a true pair a match and a twin pair a non-match."""
    model.eval()
    pixels, ids, mask = data["pixels"], data["ids"], data["mask"]
    n_groups = len(pixels) // GROUP
    hits = total = correct = pairs = 0
    for g0 in range(0, n_groups, 64):
        g1 = min(n_groups, g0 + 64)
        px = pixels[g0 * GROUP:g1 * GROUP].to(device)
        embeds = model.vision_model(pixel_values=px).last_hidden_state
        cap_ids = ids[g0 * GROUP * 5:g1 * GROUP * 5].to(device)
        cap_mask = mask[g0 * GROUP * 5:g1 * GROUP * 5].to(device)
        for g in range(g1 - g0):
            img = embeds[g * GROUP:(g + 1) * GROUP]  # 3 images
            caps = slice(g * GROUP * 5, (g + 1) * GROUP * 5)  # their 15 captions
            n_caps = GROUP * 5
            e = img.repeat_interleave(n_caps, dim=0)
            t_ids = cap_ids[caps].repeat(GROUP, 1)
            t_mask = cap_mask[caps].repeat(GROUP, 1)
            hidden = model.text_encoder(
                input_ids=t_ids, attention_mask=t_mask, encoder_hidden_states=e,
                encoder_attention_mask=torch.ones(e.shape[:-1], dtype=torch.long,
                                                  device=device)).last_hidden_state
            logits = model.itm_head(hidden[:, 0, :]).float()
            s = (logits[:, 1] - logits[:, 0]).view(GROUP, n_caps)  # [image, caption]
            owner = torch.arange(n_caps, device=device) // 5
            hits += int((s.argmax(0) == owner).sum())
            total += n_caps
            truth = owner[None, :] == torch.arange(GROUP, device=device)[:, None]
            correct += int(((s > 0) == truth).sum())
            pairs += s.numel()
    model.train()
    return {"group_t2i_r1": hits / total, "pair_accuracy": correct / pairs}


# ---------------------------------------------------------------------------------------------
# Training


def train(args: argparse.Namespace) -> dict:
    """Render the pool, run the training loop; returns the held-out metrics."""
    from transformers import BlipForImageTextRetrieval

    torch.manual_seed(args.seed)
    device: str = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = build_tokenizer(demo_vocabulary())
    model: Any
    if args.init:  # continue from a saved matcher
        model = BlipForImageTextRetrieval.from_pretrained(args.init, dtype=torch.float32)
        model = model.to(device)
    else:
        model = BlipForImageTextRetrieval(model_config(len(tokenizer)))
        model = model.to(device)
    model.train()
    val_counts = demo_data.DemoSplits(train=0, val=0, test=0, compositional=args.val_groups)
    val = _eval_groups("compositional", val_counts, args.val_seed, tokenizer)
    excluded = held_out_keys() | {
        s.key for sp, s in demo_data.iter_dataset_scenes(val_counts, args.val_seed)}
    t0 = time.time()
    scenes, pixels = render_pool(args.pool, args.seed, args.pair_fraction, excluded,
                                 args.workers)
    render_s = time.time() - t0
    print(f"rendered {args.pool} groups in {render_s:.0f} s", flush=True)
    batches = GroupBatches(scenes, pixels, tokenizer, args.groups, args.seed)

    opt = adamw_with_decay(model, args.lr, "embeddings")
    budget = args.minutes * 60.0
    start = time.time()
    best, best_state, history = -1.0, None, []
    step = 0
    amp = device == "cuda"
    own = torch.tensor([i * TEXTS_PER_IMAGE + i % GROUP for i in range(args.groups * GROUP)])
    heads = torch.nn.ModuleList([torch.nn.Linear(TEXT_CFG["hidden_size"], len(PLACES))
                                 for _ in range(2)]).to(device)  # where it is, where it's said
    opt.add_param_group({"params": list(heads.parameters()), "weight_decay": 0.0})
    for pixels_b, ids, mask, places, look in batches:
        elapsed = time.time() - start
        if elapsed > budget:
            break
        frac = elapsed / budget
        warm = min(1.0, step / args.warmup)
        lr = args.lr * warm * 0.5 * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g["lr"] = lr
        pixels_b, ids, mask, places = (pixels_b.to(device, non_blocking=True),
                                       ids.to(device, non_blocking=True),
                                       mask.to(device, non_blocking=True), places.to(device))
        look = look.to(device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
            embeds = model.vision_model(pixel_values=pixels_b).last_hidden_state
            scores, hidden = match_logits(model, embeds, ids, mask, TEXTS_PER_IMAGE)
            itc = contrastive_loss(model, embeds[:, 0, :], ids[own.to(device)],
                                   mask[own.to(device)])
            ground = sum(F.cross_entropy(head(hidden.hidden_states[layer]).float().flatten(0, 1),
                                         places[n].flatten(), ignore_index=-100)
                         for n, (head, layer) in enumerate(zip(heads, (1, 2), strict=True)))
            # Attention supervision: in the first layer, two cross-attention heads of each colour
            # or shape word look at the patches its object covers in this image.
            attn = hidden.cross_attentions[0][:, :2].float().mean(1)  # (pairs, tokens, image)
            supervised = look.sum(-1) > 0
            ground = ground + (-(look * torch.log(attn + 1e-6)).sum(-1))[supervised].mean()
        pairwise, listwise = losses(scores.float(), len(pixels_b) // GROUP)
        loss = pairwise + listwise + args.itc_weight * itc + args.grounding_weight * ground
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % args.eval_every == 0:
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
                metrics = evaluate(model, val, device)
            history.append({"step": step, "s": round(elapsed), "loss": loss.item(),
                            "pairwise": pairwise.item(), "listwise": listwise.item(),
                            "itc": itc.item(), "grounding": ground.item(), **metrics})
            print(f"step {step} {elapsed:.0f}s loss {loss.item():.3f} (pair "
                  f"{pairwise.item():.3f} list {listwise.item():.3f} itc {itc.item():.3f} "
                  f"ground {ground.item():.3f}) "
                  f"lr {lr:.2e} val group R@1 {metrics['group_t2i_r1']:.3f} "
                  f"pair acc {metrics['pair_accuracy']:.3f}", flush=True)
            if metrics["group_t2i_r1"] >= best:
                best = metrics["group_t2i_r1"]
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    test_data = _eval_groups(
        "compositional", demo_data.DemoSplits(train=0, val=0, test=0, compositional=300),
        DATASET_SEED, tokenizer)
    with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
        test = evaluate(model, test_data, device)
    print(f"held-out compositional split (300 groups): {test}", flush=True)
    save(model, tokenizer, Path(args.out), {
        "steps": step, "minutes": args.minutes, "render_s": round(render_s),
        "device": device, "pool_groups": args.pool, "groups_per_batch": args.groups,
        "lr": args.lr, "seed": args.seed, "best_val_group_t2i_r1": best, "test": test,
        "history": history, "params": sum(p.numel() for p in model.parameters())})
    return test


def save(model: Any, tokenizer: Any, out: Path, log: dict) -> None:
    """Write the matcher folder: fp16 weights, config, tokenizer, preprocessing, training log."""
    out.mkdir(parents=True, exist_ok=True)
    model.to("cpu", torch.float16).save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    vocab = sorted(tokenizer.get_vocab().items(), key=lambda kv: kv[1])
    (out / "vocab.txt").write_text("".join(f"{t}\n" for t, _ in vocab), encoding="utf-8")
    (out / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "BlipImageProcessor", "do_resize": True,
        "size": {"height": IMAGE_SIZE, "width": IMAGE_SIZE}, "resample": 3,
        "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": list(CLIP_MEAN), "image_std": list(CLIP_STD), "do_convert_rgb": True,
    }, indent=2))
    (out / "training_log.json").write_text(json.dumps(log, indent=1))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="resources/models/demo-matcher")
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--groups", type=int, default=32, help="groups of 3 images per batch")
    parser.add_argument("--pool", type=int, default=5000,
                        help="groups rendered up front (re-captioned every time they are drawn)")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--itc-weight", type=float, default=1.0)
    parser.add_argument("--grounding-weight", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes rendering the pool")
    parser.add_argument("--pair-fraction", type=float, default=0.8)
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--val-groups", type=int, default=60)
    parser.add_argument("--val-seed", type=int, default=99)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None)
    parser.add_argument("--init", default=None, help="a saved matcher folder to continue from")
    args = parser.parse_args(argv)
    np.random.seed(args.seed)
    random.seed(args.seed)
    train(args)


if __name__ == "__main__":
    main()
