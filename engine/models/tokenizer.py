"""CLIP text tokenization without torch: open_clip's exact token ids from ``tokenizers``.

open_clip's ``SimpleTokenizer`` is OpenAI's byte-level BPE (49,408 ids: 256 byte symbols, the
same 256 with ``</w>``, 48,894 merges, ``<start_of_text>`` = 49406 and ``<end_of_text>`` = 49407)
behind a Python cleaning step (ftfy, HTML unescaping, whitespace folding, lower case). This module
keeps the cleaning in Python - it is what the models were trained with, and ``tokenizers``'
Rust normalizers differ from ``ftfy`` (curly quotes, mojibake, full-width forms) - and hands the
BPE itself to ``tokenizers`` (a 30x faster Rust implementation, no torch).

Two sources for the BPE:

* :meth:`ClipTokenizer.from_bpe_vocab` - open_clip's own ``bpe_simple_vocab_16e6.txt.gz``
  (used once, at export time, where open_clip is installed);
* :meth:`ClipTokenizer.from_folder` - a ``tokenizer.json`` (+ ``tokenizer_config.json``) as in
  Immich's published model folders and in our own exports (:meth:`ClipTokenizer.save` writes one
  that Immich's loader reads too).

Sequences are laid out as open_clip does: ``[SOT] + tokens + [EOT]``, cut to ``context_length``
with the last position forced to EOT, then padded (open_clip pads with 0; Immich's folders name
their pad token in ``tokenizer_config.json``; CLIP pools at the first EOT, so the pad value does
not change the embedding).

Known divergence: open_clip's pre-tokenizer regex also matches the literal strings
``<start_of_text>`` / ``<end_of_text>`` inside a query and maps them to the special ids; here they
are tokenized as ordinary text.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import string
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_CONTEXT_LENGTH = 77
SOT_TOKEN = "<|startoftext|>"  # Hugging Face's names for open_clip's <start_of_text> ...
EOT_TOKEN = "<|endoftext|>"  # ... and <end_of_text>: same ids (49406, 49407)
CLEAN_MODES = ("lower", "whitespace", "canonicalize")

# open_clip's pre-tokenizer pattern (tokenizer.py) without its special-token alternatives.
_CLIP_SPLIT = r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""
_PUNCTUATION = str.maketrans("", "", string.punctuation)


@dataclass(frozen=True)
class TokenBatch:
    """Token ids for a batch of texts.

    ``ids`` is ``(n, context_length)`` int64; ``lengths[i]`` counts the real tokens of row i
    (SOT through EOT), so a text tower with a dynamic sequence axis can run only
    ``ids[:, : lengths.max()]``.
    """

    ids: np.ndarray
    lengths: np.ndarray


def clean_text(text: str, mode: str = "lower") -> str:
    """open_clip's text cleaning (``tokenizer._clean_lower`` and friends), exactly.

    ftfy repairs mojibake, uncurls quotes and normalises to NFC; HTML entities are unescaped
    twice; runs of whitespace fold to one space; ``lower`` lower-cases, ``canonicalize`` also
    drops ASCII punctuation (open_clip's ``clean="canonicalize"`` models).
    """
    text = html.unescape(html.unescape(_ftfy_fix_text(text))).strip()
    if mode == "canonicalize":
        text = text.replace("_", " ").translate(_PUNCTUATION).lower()
        return " ".join(text.split()).strip()
    text = " ".join(text.split()).strip()
    if mode == "lower":
        return text.lower()
    if mode == "whitespace":
        return text
    raise ValueError(f"clean mode must be one of {CLEAN_MODES}, got {mode!r}")


def _ftfy_fix_text(text: str) -> str:
    # ftfy is imported on first use (about 40 ms); it is pure Python, Apache-2.0.
    import ftfy

    return ftfy.fix_text(text)


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible map from the 256 byte values to printable characters."""
    bs = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b)
            cs.append(2**8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs], strict=True))


def read_bpe_vocab(path: Path) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Vocabulary and merges exactly as open_clip's ``SimpleTokenizer`` builds them."""
    with gzip.open(path) as fh:
        lines = fh.read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1 : 49152 - 256 - 2 + 1]]
    symbols = list(bytes_to_unicode().values())
    vocab_list = symbols + [s + "</w>" for s in symbols]
    vocab_list += ["".join(m) for m in merges]
    vocab_list += [SOT_TOKEN, EOT_TOKEN]
    return {tok: i for i, tok in enumerate(vocab_list)}, [(a, b) for a, b in merges]


class ClipTokenizer:
    """Texts -> CLIP token ids (numpy), open_clip-exact, no torch.

    Safe to share between threads (``tokenizers.Tokenizer.encode_batch`` is re-entrant).
    """

    def __init__(
        self,
        tokenizer: Any,
        context_length: int = DEFAULT_CONTEXT_LENGTH,
        pad_id: int = 0,
        clean: str = "lower",
    ) -> None:
        if clean not in CLEAN_MODES:
            raise ValueError(f"clean mode must be one of {CLEAN_MODES}, got {clean!r}")
        if context_length < 2:
            raise ValueError("context_length must leave room for SOT and EOT")
        sot, eot = tokenizer.token_to_id(SOT_TOKEN), tokenizer.token_to_id(EOT_TOKEN)
        if sot is None or eot is None:
            raise ValueError(
                f"not a CLIP BPE tokenizer: it lacks {SOT_TOKEN} / {EOT_TOKEN}"
            )
        # The cleaning above is the normaliser; a file's own (NFC + lowercase in Rust) would
        # differ from open_clip's for a few characters. Special tokens are added below.
        tokenizer.normalizer = None
        tokenizer.no_padding()
        tokenizer.no_truncation()
        self._tokenizer = tokenizer
        self.context_length = context_length
        self.pad_id = pad_id
        self.clean = clean
        self.sot_id = int(sot)
        self.eot_id = int(eot)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_bpe_vocab(
        cls, path: Path, context_length: int = DEFAULT_CONTEXT_LENGTH, clean: str = "lower"
    ) -> ClipTokenizer:
        """Build from open_clip's ``bpe_simple_vocab_16e6.txt.gz``."""
        vocab, merges = read_bpe_vocab(Path(path))
        return cls(_build_clip_bpe(vocab, merges), context_length, 0, clean)

    @classmethod
    def from_folder(
        cls, folder: Path, context_length: int = DEFAULT_CONTEXT_LENGTH, clean: str = "lower"
    ) -> ClipTokenizer:
        """Load ``folder/tokenizer.json`` (and the pad token of ``tokenizer_config.json``).

        This is the layout of Immich's model repositories (``textual/``) and of our exports.
        """
        from tokenizers import Tokenizer

        folder = Path(folder)
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        pad_id = 0
        config_path = folder / "tokenizer_config.json"
        if config_path.is_file():
            pad = json.loads(config_path.read_text(encoding="utf-8")).get("pad_token")
            if isinstance(pad, dict):  # older transformers write an AddedToken dict
                pad = pad.get("content")
            found = tokenizer.token_to_id(pad) if isinstance(pad, str) else None
            if found is not None:
                pad_id = int(found)
        return cls(tokenizer, context_length, pad_id, clean)

    def save(self, folder: Path) -> None:
        """Write ``tokenizer.json`` and ``tokenizer_config.json`` (Immich's textual layout).

        The saved file carries a Hugging Face style normaliser and SOT/EOT post-processor, so
        Immich's loader (which calls ``Tokenizer.encode`` directly) gets the same ids for clean
        input; this class ignores both and applies open_clip's cleaning instead.
        """
        from tokenizers import normalizers, processors

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        tok = self._tokenizer
        saved_normalizer = tok.normalizer
        tok.normalizer = normalizers.Sequence(
            [
                normalizers.NFC(),
                normalizers.Replace(_regex(r"\s+"), " "),
                normalizers.Lowercase(),
            ]
        )
        tok.post_processor = processors.TemplateProcessing(
            single=f"{SOT_TOKEN} $A {EOT_TOKEN}",
            pair=f"{SOT_TOKEN} $A {EOT_TOKEN} $B {EOT_TOKEN}",
            special_tokens=[(SOT_TOKEN, self.sot_id), (EOT_TOKEN, self.eot_id)],
        )
        try:
            tok.save(str(folder / "tokenizer.json"))
        finally:
            tok.normalizer = saved_normalizer
        pad = tok.id_to_token(self.pad_id)
        config = {
            "tokenizer_class": "CLIPTokenizer",
            "model_max_length": self.context_length,
            "bos_token": SOT_TOKEN,
            "eos_token": EOT_TOKEN,
            "unk_token": EOT_TOKEN,
            "pad_token": pad,
            "do_lower_case": True,
            "clean": self.clean,
        }
        (folder / "tokenizer_config.json").write_text(json.dumps(config, indent=1) + "\n")

    # -- encoding -----------------------------------------------------------------------------

    def encode(self, texts: Sequence[str]) -> TokenBatch:
        """Token ids for ``texts`` laid out as open_clip's tokenizer does (see module doc)."""
        cleaned = [clean_text(t, self.clean) for t in texts]
        encodings = self._tokenizer.encode_batch(cleaned, add_special_tokens=False)
        n, width = len(texts), self.context_length
        ids = np.full((n, width), self.pad_id, dtype=np.int64)
        lengths = np.zeros(n, dtype=np.int64)
        for row, encoding in enumerate(encodings):
            tokens = [self.sot_id, *encoding.ids[: width - 2], self.eot_id]
            ids[row, : len(tokens)] = tokens
            lengths[row] = len(tokens)
        return TokenBatch(ids, lengths)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """The ``(n, context_length)`` ids, like open_clip's tokenizer (numpy, not torch)."""
        return self.encode(texts).ids


def _regex(pattern: str) -> Any:
    from tokenizers import Regex

    return Regex(pattern)


def _build_clip_bpe(vocab: dict[str, int], merges: list[tuple[str, str]]) -> Any:
    """A ``tokenizers`` BPE with CLIP's pre-tokenization (regex split, then byte-level map)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    bpe = models.BPE(
        vocab=vocab,
        merges=merges,
        end_of_word_suffix="</w>",
        continuing_subword_prefix="",
        unk_token=EOT_TOKEN,
        fuse_unk=False,
    )
    tokenizer = Tokenizer(bpe)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(_regex(_CLIP_SPLIT), behavior="removed", invert=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens(
        [AddedToken(SOT_TOKEN, normalized=False), AddedToken(EOT_TOKEN, normalized=False)]
    )
    return tokenizer
