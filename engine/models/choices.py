"""The models PhotoSearch offers by name: size, languages and published retrieval figures.

``photosearch models`` and the app's Settings list these; :func:`recommended_model` picks the
one to offer on first run from the system language. Any other open_clip spec still works with
``--model``; this list is what we can describe.

Retrieval figures are open_clip's published results (github.com/mlfoundations/open_clip,
``docs/openclip_multilingual_retrieval_results.csv`` and ``docs/openclip_retrieval_results.csv``):
text-to-image recall@1 on Crossmodal-3600 (XM3600: 3,600 photos captioned natively in 36
languages; "for 54% of Chinese queries the right photo comes first") in English, Chinese and
averaged over the 36 languages, and on MS-COCO 5k (English) where published. Download sizes are
approximate: the parameter count in open_clip's results table times 4 bytes (fp32 weights), plus
the tokenizer files for Hugging Face text towers.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.models.language import system_language

DEFAULT_MODEL = "ViT-B-32/laion2b_s34b_b79k"
MULTILINGUAL_MODEL = "xlm-roberta-base-ViT-B-32/laion5b_s13b_b90k"
SOURCE = ("open_clip results tables (docs/openclip_multilingual_retrieval_results.csv, "
          "docs/openclip_retrieval_results.csv)")


@dataclass(frozen=True)
class ModelChoice:
    """A model PhotoSearch can describe: what it is, what it costs, how well it finds."""

    spec: str  # the --model value
    title: str  # a short name for people
    download_bytes: int  # approximate; 0 for a bundled model
    languages: str  # "English", "100 languages (XLM-RoBERTa)", ...
    multilingual: bool
    wants_language: bool  # the tokenizer is told the query's language (NLLB)
    xm3600_en_r1: float | None  # Crossmodal-3600 text->image recall@1, English
    xm3600_zh_r1: float | None  # ... Chinese
    xm3600_avg_r1: float | None  # ... averaged over its 36 languages
    coco_r1: float | None  # MS-COCO 5k text->image recall@1 (English)
    note: str = ""

    def summary(self) -> str:
        """One line: size, languages and the figures, e.g. for a tooltip."""
        size = "bundled" if not self.download_bytes else f"about {_size(self.download_bytes)}"
        parts = [size, self.languages]
        if self.xm3600_zh_r1 is not None:
            parts.append(f"Crossmodal-3600 R@1: English {_pct(self.xm3600_en_r1)}, Chinese "
                         f"{_pct(self.xm3600_zh_r1)}, 36 languages {_pct(self.xm3600_avg_r1)}")
        if self.coco_r1 is not None:
            parts.append(f"MS-COCO R@1 {_pct(self.coco_r1)}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def _pct(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{100 * value:.1f}%" if value < 0.1 else f"{round(100 * value)}%"


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{round(n / 1e6)} MB"


_XLMR_TOKENIZER = 14_000_000  # sentencepiece.bpe.model + tokenizer.json of xlm-roberta-*
_NLLB_TOKENIZER = 22_000_000  # the same files of facebook/nllb-200-distilled-*

MODEL_CHOICES: tuple[ModelChoice, ...] = (
    ModelChoice("demo", "Demo (tiny, bundled)", 0, "English (shapes, colours and places)",
                False, False, None, None, None, None,
                "for trying PhotoSearch out; it knows only the demo photos' world"),
    ModelChoice(DEFAULT_MODEL, "ViT-B/32, English (default)", 605_000_000, "English", False,
                False, 0.4761, 0.0072, 0.0700, 0.3934),
    ModelChoice(MULTILINGUAL_MODEL, "ViT-B/32 + XLM-RoBERTa base, multilingual",
                1_464_000_000 + _XLMR_TOKENIZER, "100 languages (XLM-RoBERTa)", True, False,
                0.4700, 0.5369, 0.4256, 0.3778),
    ModelChoice("nllb-clip-base-siglip/mrl", "SigLIP ViT-B/16 + NLLB-600M, multilingual",
                2_030_000_000 + _NLLB_TOKENIZER, "200 languages (NLLB-200)", True, True,
                0.4914, 0.5353, 0.5539, None, "told each query's language (detected, or --lang)"),
    ModelChoice("xlm-roberta-large-ViT-H-14/frozen_laion5b_s13b_b90k",
                "ViT-H/14 + XLM-RoBERTa large, multilingual (large)",
                4_772_000_000 + _XLMR_TOKENIZER, "100 languages (XLM-RoBERTa)", True, False,
                0.5133, 0.5906, 0.5022, 0.4921, "slow on a CPU"),
    ModelChoice("nllb-clip-large-siglip/mrl", "SigLIP So400m + NLLB-1.3B, multilingual (large)",
                4_782_000_000 + _NLLB_TOKENIZER, "200 languages (NLLB-200)", True, True,
                0.5211, 0.5950, 0.6079, None, "slow on a CPU; told each query's language"),
)


def model_choices() -> list[ModelChoice]:
    """The models PhotoSearch describes, the bundled demo and the default first."""
    return list(MODEL_CHOICES)


def model_choice(spec: str) -> ModelChoice | None:
    """The description of ``spec``, if it is one of :data:`MODEL_CHOICES`."""
    return next((c for c in MODEL_CHOICES if c.spec == spec.strip()), None)


def recommended_model(language: str | None = None) -> str:
    """The model to offer first for a person whose system language is ``language`` (an ISO
    639-1 code or a locale name such as ``zh_CN``; None: this computer's): the English default
    for English, else the multilingual model."""
    code = (language or system_language()).replace("-", "_").split("_")[0].split(".")[0]
    if code.lower() in ("", "en", "c", "posix"):
        return DEFAULT_MODEL
    return MULTILINGUAL_MODEL
