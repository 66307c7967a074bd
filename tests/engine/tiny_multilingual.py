"""Tiny random-weight open_clip models with a Hugging Face text tower, built locally.

They have the architecture family of open_clip's multilingual models (``xlm-roberta-base-ViT-B-32``:
a ViT image tower and an XLM-RoBERTa text tower with mean pooling; ``nllb-clip-base``: the encoder
of an M2M100/NLLB translation model with CLS pooling) at a size a test builds in a second, with a
tokenizer trained here on a few sentences in several languages, saved in the Hugging Face
layout. Served by ``fake_hub``, they exercise the real download, load and tokenisation code; their
embeddings mean nothing (random weights), so tests check plumbing, not retrieval quality.
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = [
    "two dogs on a beach at sunset", "a red circle on green grass", "a birthday cake",
    "海边的两只狗", "草地上的红色圆圈", "生日蛋糕", "日落时的海滩",
    "dos perros en la playa al atardecer", "un círculo rojo sobre la hierba",
    "夕暮れのビーチにいる二匹の犬", "芝生の上の赤い丸", "誕生日ケーキ",
]
NLLB_LANGUAGES = ["eng_Latn", "zho_Hans", "spa_Latn", "jpn_Jpan"]
WIDTH = 32
CONTEXT = 77


def _trained_tokenizer(extra_special: list[str]) -> object:
    """A SentencePiece-style Unigram tokenizer trained on :data:`CORPUS` (XLM-R's special
    tokens: <s>=0, <pad>=1, </s>=2, <unk>=3)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    trainer = trainers.UnigramTrainer(
        vocab_size=200, unk_token="<unk>",
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", *extra_special, "<mask>"])
    tok.train_from_iterator(CORPUS * 4, trainer)
    return tok


def _open_clip_config(repo: str, pooler: str, proj: str) -> dict[str, object]:
    return {
        "model_cfg": {
            "embed_dim": WIDTH,
            "vision_cfg": {"image_size": 32, "layers": 2, "width": WIDTH, "head_width": 16,
                           "patch_size": 8},
            "text_cfg": {"hf_model_name": repo, "hf_tokenizer_name": repo,
                         "hf_pooler_type": pooler, "hf_proj_type": proj,
                         "context_length": CONTEXT},
        },
        "preprocess_cfg": {"mean": [0.48145466, 0.4578275, 0.40821073],
                           "std": [0.26862954, 0.26130258, 0.27577711]},
    }


def build_tiny_xlmr_clip(folder: Path, text_repo: str) -> Path:
    """Write a tiny xlm-roberta-ViT open_clip model into ``folder``: open_clip_config.json
    (whose text tower is ``text_repo`` on the Hub), random weights, and the text tower's
    config.json and tokenizer files (served from the same folder by ``fake_hub``)."""
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = XLMRobertaTokenizerFast(
        tokenizer_object=_trained_tokenizer([]), bos_token="<s>", eos_token="</s>",
        unk_token="<unk>", pad_token="<pad>", cls_token="<s>", sep_token="</s>",
        mask_token="<mask>", model_max_length=CONTEXT)
    tokenizer.save_pretrained(folder)
    XLMRobertaConfig(
        vocab_size=len(tokenizer), hidden_size=WIDTH, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=2 * WIDTH, max_position_embeddings=CONTEXT + 2,
        type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
    ).save_pretrained(folder)
    return _save_model(folder, _open_clip_config(text_repo, "mean_pooler", "mlp"))


def build_tiny_nllb_clip(folder: Path, text_repo: str) -> Path:
    """Write a tiny nllb-clip-style open_clip model into ``folder``: an M2M100 (NLLB's
    architecture) text tower whose tokenizer knows :data:`NLLB_LANGUAGES` as language codes."""
    from transformers import M2M100Config, NllbTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = NllbTokenizerFast(
        tokenizer_object=_trained_tokenizer(NLLB_LANGUAGES), bos_token="<s>", eos_token="</s>",
        unk_token="<unk>", pad_token="<pad>", cls_token="<s>", sep_token="</s>",
        mask_token="<mask>", src_lang="eng_Latn", model_max_length=CONTEXT,
        additional_special_tokens=NLLB_LANGUAGES)
    tokenizer.save_pretrained(folder)
    M2M100Config(
        vocab_size=len(tokenizer), d_model=WIDTH, encoder_layers=2, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=2 * WIDTH,
        decoder_ffn_dim=2 * WIDTH, max_position_embeddings=CONTEXT + 2, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
    ).save_pretrained(folder)
    return _save_model(folder, _open_clip_config(text_repo, "cls_pooler", "linear"))


def _save_model(folder: Path, config: dict[str, object]) -> Path:
    """Build the open_clip model of ``config`` from ``folder``'s text tower files (random
    weights, fixed seed) and save it next to them."""
    import open_clip
    import torch
    from open_clip.hf_model import HFTextEncoder
    from safetensors.torch import save_file
    from transformers import AutoConfig

    torch.manual_seed(0)
    model_cfg = json.loads(json.dumps(config["model_cfg"]))
    text_cfg = model_cfg["text_cfg"]
    # Build the text tower from the local files (the Hub names in the config are for loading).
    hf_config = AutoConfig.from_pretrained(folder)
    model = open_clip.CustomTextCLIP(embed_dim=model_cfg["embed_dim"],
                                     vision_cfg=model_cfg["vision_cfg"],
                                     text_cfg={**text_cfg, "hf_model_pretrained": False,
                                               "hf_model_name": str(folder)})
    assert isinstance(model.text, HFTextEncoder) and model.text.config.to_dict() == (
        hf_config.to_dict())
    save_file({k: v.contiguous() for k, v in model.state_dict().items()},
              str(folder / "open_clip_model.safetensors"))
    (folder / "open_clip_config.json").write_text(json.dumps(config, indent=2))
    return folder
