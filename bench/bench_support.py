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


def random_weight_multilingual_model(folder: Path,
                                     arch: str = "xlm-roberta-base-ViT-B-32") -> Path:
    """A local-dir open_clip model folder with random weights for the multilingual ``arch``
    (an XLM-RoBERTa text tower), built offline.

    The text tower's config is xlm-roberta-base's own (250,002 tokens, 12 layers of 768); the
    tokenizer is a STAND-IN, since the real one cannot be downloaded here: a SentencePiece-style
    Unigram model with the same vocabulary size, whose pieces are learnt from a few sentences
    (English, Chinese, Spanish, Japanese, so queries split into a realistic 5-12 pieces) and
    padded with unused pieces. Its cost per query is of the real one's order; the text tower's
    cost does not depend on the weights or on which pieces are chosen.
    """
    import open_clip
    import torch
    from safetensors.torch import save_file
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "open_clip_model.safetensors").exists():
        return folder
    vocab_size = 250_002
    corpus = ["two dogs on a beach at sunset", "kids on a red slide at dusk", "birthday cake",
              "snowy mountains", "a cat sleeping on a sofa", "city skyline at night",
              "海边的两只狗", "黄昏时红色滑梯上的孩子", "生日蛋糕", "雪山", "沙发上睡觉的猫",
              "夜晚的城市天际线", "dos perros en la playa al atardecer", "pastel de cumpleaños",
              "夕暮れのビーチにいる二匹の犬", "誕生日ケーキ", "雪山の夕日"]
    learner = Tokenizer(models.Unigram())
    learner.normalizer = normalizers.NFKC()
    learner.pre_tokenizer = pre_tokenizers.Metaspace()
    learner.train_from_iterator(corpus * 20, trainers.UnigramTrainer(
        vocab_size=2000, unk_token="<unk>", special_tokens=["<s>", "<pad>", "</s>", "<unk>"]))
    learnt = learner.get_vocab()
    pieces = sorted(learnt, key=learnt.__getitem__)
    vocab = [(p, 0.0 if i < 4 else -5.0 - i / 1000) for i, p in enumerate(pieces)]
    vocab += [(f"\u2581unused{i}", -30.0) for i in range(vocab_size - 1 - len(vocab))]
    vocab.append(("<mask>", 0.0))
    tok = Tokenizer(models.Unigram(vocab, unk_id=3))
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    XLMRobertaTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
    ).save_pretrained(folder)
    XLMRobertaConfig(vocab_size=vocab_size, hidden_size=768, num_hidden_layers=12,
                     num_attention_heads=12, intermediate_size=3072,
                     max_position_embeddings=514, type_vocab_size=1, pad_token_id=1,
                     bos_token_id=0, eos_token_id=2, layer_norm_eps=1e-5).save_pretrained(folder)
    cfg = open_clip.get_model_config(arch)
    cfg["text_cfg"]["hf_model_name"] = str(folder)
    cfg["text_cfg"]["hf_tokenizer_name"] = str(folder)
    torch.manual_seed(0)
    model = open_clip.CustomTextCLIP(embed_dim=cfg["embed_dim"], vision_cfg=cfg["vision_cfg"],
                                     text_cfg={**cfg["text_cfg"], "hf_model_pretrained": False})
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(folder / "open_clip_model.safetensors"))
    preprocess = {"size": cfg["vision_cfg"]["image_size"], "mode": "RGB",
                  "mean": list(open_clip.OPENAI_DATASET_MEAN),
                  "std": list(open_clip.OPENAI_DATASET_STD), "interpolation": "bicubic",
                  "resize_mode": "shortest", "fill_color": 0}
    (folder / "open_clip_config.json").write_text(
        json.dumps({"model_cfg": cfg, "preprocess_cfg": preprocess}, indent=1))
    return folder
