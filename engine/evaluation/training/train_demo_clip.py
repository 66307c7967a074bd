"""Train the tiny open_clip model shipped as ``--model demo`` on procedurally generated scenes.

Usage (any machine; a GPU makes it minutes instead of hours)::

    python -m engine.evaluation.training.train_demo_clip \
        --out resources/models/demo-clip --minutes 8

Scenes come from :mod:`engine.evaluation.demo_data`, rendered on the fly in DataLoader workers,
each batch
half made of near twins (one attribute changed) so the model learns to tell shapes, colours,
counts, positions and backgrounds apart. Images go through open_clip's own inference transform,
after a JPEG round trip, exactly as photos do at search time. The model is an ordinary open_clip
``CLIP`` saved as ``open_clip_config.json`` + ``open_clip_model.safetensors`` (fp16 to stay
small), loadable with ``open_clip.create_model("local-dir:...")``.

The validation split of the demo dataset picks the best checkpoint; the test split is only
reported at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from engine.evaluation import demo_data
from engine.evaluation.training.optim import adamw_with_decay

MODEL_CFG: dict[str, Any] = {
    "embed_dim": 128,
    "vision_cfg": {
        "image_size": 96,
        "layers": 4,
        "width": 192,
        "head_width": 64,
        "patch_size": 8,
        "mlp_ratio": 4.0,
    },
    "text_cfg": {
        "context_length": 32,
        "vocab_size": 49408,
        "width": 96,
        "heads": 2,
        "layers": 3,
    },
}
PREPROCESS_CFG: dict[str, Any] = {
    "size": 96,
    "mode": "RGB",
    "mean": [0.48145466, 0.4578275, 0.40821073],
    "std": [0.26862954, 0.26130258, 0.27577711],
    "interpolation": "bicubic",
    "resize_mode": "shortest",
    "fill_color": 0,
}


class SceneStream(IterableDataset):
    """Endless (image, tokens, scene id) triples; consecutive samples are near twins."""

    def __init__(self, seed: int, render_size: int, pair_fraction: float) -> None:
        super().__init__()
        self.seed = seed
        self.render_size = render_size
        self.pair_fraction = pair_fraction

    def __iter__(self):  # type: ignore[no-untyped-def]
        import open_clip

        info = get_worker_info()
        worker = info.id if info else 0
        rng = random.Random(self.seed * 1000 + worker)
        singles = demo_data.all_scenes()
        transform = open_clip.image_transform(96, is_train=False,
                                              mean=PREPROCESS_CFG["mean"],
                                              std=PREPROCESS_CFG["std"])
        tokenizer = open_clip.SimpleTokenizer(context_length=MODEL_CFG["text_cfg"]
                                              ["context_length"])
        while True:
            scene = demo_data.sample_training_scene(rng, self.pair_fraction, singles)
            for s in (scene, demo_data.mutate(scene, rng)):
                size = rng.choice((self.render_size, self.render_size, 160, 224, 256))
                img = demo_data.render(s, size, rng)
                if rng.random() < 0.8:
                    img = demo_data.jpeg_roundtrip(img, rng.randint(70, 95))
                tokens = tokenizer([demo_data.random_caption(s, rng)])[0]
                yield transform(img), tokens, zlib.crc32(s.key.encode()) & 0x7FFFFFFF


def _eval_images(split: str, counts: demo_data.DemoSplits, seed: int) -> tuple[list, list[str]]:
    """The split's images rendered exactly as ``write_demo_dataset`` writes them."""
    rows = [(i, sc) for i, (sp, sc) in enumerate(demo_data.iter_dataset_scenes(counts, seed))
            if sp == split]
    images, texts = [], []
    for img_id, scene in rows:
        rng = random.Random(f"{seed}-{img_id}")
        img = demo_data.render(scene, 256, rng)
        images.append(demo_data.jpeg_roundtrip(img, 90))
        texts.extend(demo_data.captions(scene, rng))
    return images, texts


@torch.no_grad()
def evaluate(model: Any, images: list, texts: list[str], device: str) -> dict:
    """Recall@K both ways, 5 captions per image (Flickr30K convention)."""
    import open_clip

    model.eval()
    transform = open_clip.image_transform(96, is_train=False, mean=PREPROCESS_CFG["mean"],
                                          std=PREPROCESS_CFG["std"])
    tok = open_clip.SimpleTokenizer(context_length=MODEL_CFG["text_cfg"]["context_length"])
    img_emb = torch.cat([
        F.normalize(model.encode_image(torch.stack([transform(i) for i in images[b:b + 256]])
                                       .to(device)).float(), dim=-1)
        for b in range(0, len(images), 256)])
    txt_emb = torch.cat([
        F.normalize(model.encode_text(tok(texts[b:b + 512]).to(device)).float(), dim=-1)
        for b in range(0, len(texts), 512)])
    sims = txt_emb @ img_emb.T  # (5N, N)
    truth = torch.arange(len(texts), device=device) // 5
    ranks_t2i = (sims > sims.gather(1, truth[:, None])).sum(1)
    sims_i2t = sims.T
    best = torch.stack([sims_i2t[i, 5 * i:5 * i + 5].max() for i in range(len(images))])
    ranks_i2t = (sims_i2t > best[:, None]).sum(1)
    model.train()
    out = {}
    for name, ranks in (("t2i", ranks_t2i), ("i2t", ranks_i2t)):
        out[name] = {f"R@{k}": float((ranks < k).float().mean()) for k in (1, 5, 10)}
    return out


def train(args: argparse.Namespace) -> dict:
    """Run the training loop; returns the final metrics."""
    from open_clip.model import CLIP
    from safetensors.torch import save_file

    torch.manual_seed(args.seed)
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    model = CLIP(**MODEL_CFG).to(device)
    counts = demo_data.DemoSplits()
    val_images, val_texts = _eval_images("val", counts, args.dataset_seed)

    loader = DataLoader(SceneStream(args.seed, args.render_size, args.pair_fraction),
                        batch_size=args.batch, num_workers=args.workers,
                        persistent_workers=args.workers > 0, pin_memory=device == "cuda",
                        prefetch_factor=4 if args.workers else None)
    opt = adamw_with_decay(model, args.lr, "embedding")
    budget = args.minutes * 60.0
    start = time.time()
    best, best_state, history = -1.0, None, []
    step = 0
    amp = device == "cuda"
    for images, tokens, ids in loader:
        elapsed = time.time() - start
        if elapsed > budget:
            break
        frac = elapsed / budget
        warm = min(1.0, step / 200)
        lr = args.lr * warm * 0.5 * (1 + math.cos(math.pi * frac))
        for g in opt.param_groups:
            g["lr"] = lr
        images, tokens, ids = (images.to(device, non_blocking=True),
                               tokens.to(device, non_blocking=True), ids.to(device))
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
            img = F.normalize(model.encode_image(images), dim=-1)
            txt = F.normalize(model.encode_text(tokens), dim=-1)
        logits = model.logit_scale.exp().clamp(max=100) * img.float() @ txt.float().T
        # Several samples of one scene in a batch are all positives for each other.
        same = (ids[:, None] == ids[None, :]).float()
        targets = same / same.sum(1, keepdim=True)
        loss = (torch.sum(-targets * F.log_softmax(logits, 1), 1).mean()
                + torch.sum(-targets * F.log_softmax(logits.T, 1), 1).mean()) / 2
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % args.eval_every == 0:
            metrics = evaluate(model, val_images, val_texts, device)
            r1 = metrics["t2i"]["R@1"]
            history.append({"step": step, "s": round(elapsed), "loss": float(loss), **metrics})
            print(f"step {step} {elapsed:.0f}s loss {float(loss):.3f} lr {lr:.2e} "
                  f"val t2i R@1 {r1:.3f} R@5 {metrics['t2i']['R@5']:.3f}", flush=True)
            if r1 >= best:
                best = r1
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    if best_state is not None:
        metrics = evaluate(model, val_images, val_texts, device)
        if metrics["t2i"]["R@1"] < best:
            model.load_state_dict(best_state)
    test_images, test_texts = _eval_images("test", counts, args.dataset_seed)
    test = evaluate(model, test_images, test_texts, device)
    print(f"test t2i {test['t2i']} i2t {test['i2t']}", flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu", torch.float16).contiguous()
             for k, v in model.state_dict().items()}
    save_file(state, str(out / "open_clip_model.safetensors"))
    (out / "open_clip_config.json").write_text(json.dumps(
        {"model_cfg": MODEL_CFG, "preprocess_cfg": PREPROCESS_CFG}, indent=2))
    log = {"steps": step, "minutes": args.minutes, "device": device, "batch": args.batch,
           "seed": args.seed, "test": test, "history": history,
           "params": sum(p.numel() for p in model.parameters())}
    (out / "training_log.json").write_text(json.dumps(log, indent=1))
    return test


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="resources/models/demo-clip")
    parser.add_argument("--minutes", type=float, default=8.0)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--workers", type=int, default=max(1, (torch.get_num_threads() or 2) - 1))
    parser.add_argument("--render-size", type=int, default=128)
    parser.add_argument("--pair-fraction", type=float, default=0.25)
    parser.add_argument("--eval-every", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dataset-seed", type=int, default=1234,
                        help="seed of the demo dataset whose val/test splits are evaluated")
    parser.add_argument("--device", default=None)
    args = parser.parse_args(argv)
    np.random.seed(args.seed)
    train(args)


if __name__ == "__main__":
    main()
