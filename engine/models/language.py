"""The language of a search query, for models that want to be told it (NLLB's language codes).

NLLB-CLIP's text tower is the encoder of the NLLB translation model, whose tokenizer starts each
text with a language code (``zho_Hans``, ``spa_Latn``...). PhotoSearch detects the query's
language offline with py3langid (langid.py's model, shipped inside its wheel; BSD-3), or takes
the language the user gave (``photosearch search --lang zh``, the ``query_language`` setting).

Detection is by script first where the script names one language (Hangul, kana, Han characters
alone, Thai...), because a statistical detector is unreliable on a two-word query; otherwise
py3langid's answer is kept when it is confident; when not, ``fallback`` (the system's language,
or English) is used unless the letters rule it out.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Any

from engine.errors import EngineError
from engine.i18n import _

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5  # py3langid's normalised probability below which we do not trust it

# ISO 639-1 (what py3langid answers, what users type) -> NLLB-200's FLORES code. Languages
# py3langid knows that NLLB lacks are absent (their queries use the fallback).
NLLB_CODES: dict[str, str] = {
    "af": "afr_Latn", "am": "amh_Ethi", "ar": "arb_Arab", "as": "asm_Beng", "az": "azj_Latn",
    "ba": "bak_Cyrl", "be": "bel_Cyrl", "bg": "bul_Cyrl", "bn": "ben_Beng", "bs": "bos_Latn",
    "ca": "cat_Latn", "cs": "ces_Latn", "cy": "cym_Latn", "da": "dan_Latn", "de": "deu_Latn",
    "dz": "dzo_Tibt", "el": "ell_Grek", "en": "eng_Latn", "eo": "epo_Latn", "es": "spa_Latn",
    "et": "est_Latn", "eu": "eus_Latn", "fa": "pes_Arab", "fi": "fin_Latn", "fo": "fao_Latn",
    "fr": "fra_Latn", "ga": "gle_Latn", "gd": "gla_Latn", "gl": "glg_Latn", "gu": "guj_Gujr",
    "ha": "hau_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "hr": "hrv_Latn", "ht": "hat_Latn",
    "hu": "hun_Latn", "hy": "hye_Armn", "id": "ind_Latn", "ig": "ibo_Latn", "is": "isl_Latn",
    "it": "ita_Latn", "ja": "jpn_Jpan", "jv": "jav_Latn", "ka": "kat_Geor", "kk": "kaz_Cyrl",
    "km": "khm_Khmr", "kn": "kan_Knda", "ko": "kor_Hang", "ku": "kmr_Latn", "ky": "kir_Cyrl",
    "lb": "ltz_Latn", "lg": "lug_Latn", "ln": "lin_Latn", "lo": "lao_Laoo", "lt": "lit_Latn",
    "lv": "lvs_Latn", "mg": "plt_Latn", "mk": "mkd_Cyrl", "ml": "mal_Mlym", "mn": "khk_Cyrl",
    "mr": "mar_Deva", "ms": "zsm_Latn", "mt": "mlt_Latn", "my": "mya_Mymr", "ne": "npi_Deva",
    "nl": "nld_Latn", "nn": "nno_Latn", "no": "nob_Latn", "nb": "nob_Latn", "oc": "oci_Latn",
    "om": "gaz_Latn", "or": "ory_Orya", "pa": "pan_Guru", "pl": "pol_Latn", "ps": "pbt_Arab",
    "pt": "por_Latn", "qu": "quy_Latn", "ro": "ron_Latn", "ru": "rus_Cyrl", "rw": "kin_Latn",
    "sa": "san_Deva", "si": "sin_Sinh", "sk": "slk_Latn", "sl": "slv_Latn", "sn": "sna_Latn",
    "so": "som_Latn", "sq": "als_Latn", "sr": "srp_Cyrl", "st": "sot_Latn", "sv": "swe_Latn",
    "sw": "swh_Latn", "ta": "tam_Taml", "te": "tel_Telu", "tg": "tgk_Cyrl", "th": "tha_Thai",
    "tk": "tuk_Latn", "tl": "tgl_Latn", "tr": "tur_Latn", "tt": "tat_Cyrl", "ug": "uig_Arab",
    "uk": "ukr_Cyrl", "ur": "urd_Arab", "uz": "uzn_Latn", "vi": "vie_Latn", "xh": "xho_Latn",
    "yo": "yor_Latn", "yue": "yue_Hant", "zh": "zho_Hans", "zu": "zul_Latn",
}

# Scripts that name a single language (Unicode character-name prefixes).
_SCRIPT_LANGUAGE = (("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("THAI", "th"),
                    ("GREEK", "el"), ("HEBREW", "he"), ("ARMENIAN", "hy"), ("GEORGIAN", "ka"),
                    ("KHMER", "km"), ("LAO", "lo"), ("SINHALA", "si"), ("MYANMAR", "my"),
                    ("TAMIL", "ta"), ("TELUGU", "te"), ("KANNADA", "kn"), ("MALAYALAM", "ml"),
                    ("GUJARATI", "gu"), ("GURMUKHI", "pa"), ("ORIYA", "or"), ("ETHIOPIC", "am"))

# Languages by how many people write them (roughly), to break near-ties on short queries.
_WIDELY_WRITTEN = ("en", "zh", "es", "ar", "hi", "pt", "ru", "ja", "de", "fr", "ko", "tr", "vi",
                   "it", "fa", "pl", "uk", "nl", "th", "id", "ro", "el", "cs", "sv", "hu", "he",
                   "bg", "sr", "da", "fi", "no", "sk", "hr", "mk", "be", "kk")

_lock = threading.Lock()
_identifier: Any = None


_NLLB_FORM = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")  # FLORES-200: language_Script


def _is_nllb_code(text: str) -> bool:
    return bool(_NLLB_FORM.match(text))


def normalise_language(value: str) -> str:
    """A user's language (``zh``, ``zh-CN``, ``zh_Hans``, ``zho_Hans``, ``Chinese`` is not
    accepted) as an ISO 639-1 code or an NLLB code kept as given; EngineError if unknown."""
    text = value.strip()
    if _is_nllb_code(text):
        return text
    base = text.replace("_", "-").split("-")[0].lower()
    if base in NLLB_CODES:
        return base
    raise EngineError(
        _("'{value}' is not a language PhotoSearch knows. Use an ISO 639-1 code such as "
          "zh, es or ja, or an NLLB code such as zho_Hant.").format(value=value))


def nllb_code(language: str) -> str:
    """NLLB's code for ``language`` (ISO 639-1 or already NLLB); English when it has none."""
    if _is_nllb_code(language):
        return language
    return NLLB_CODES.get(language.lower(), NLLB_CODES["en"])


def _script_language(text: str) -> str | None:
    """The language the letters' script names, if it names one (Han alone: Chinese)."""
    han = other = 0
    found: set[str] = set()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CJK UNIFIED IDEOGRAPH") or name.startswith("CJK COMPATIBILITY"):
            han += 1
            continue
        for prefix, language in _SCRIPT_LANGUAGE:
            if name.startswith(prefix):
                found.add(language)
                break
        else:
            other += 1
    if "ja" in found:  # kana beside Han characters: Japanese
        return "ja"
    if len(found) == 1 and not other:
        return found.pop()
    if han and not found and not other:
        return "zh"
    return None


def _langid() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def detect_language(text: str, fallback: str = "en") -> str:
    """The ISO 639-1 code of ``text``'s language, or ``fallback`` when unsure (see the
    module's docstring)."""
    by_script = _script_language(text)
    if by_script is not None:
        return by_script
    if not any(c.isalpha() for c in text):
        return fallback
    ranked = [(lang, p) for lang, p in _langid().rank(text)[:5] if lang in NLLB_CODES]
    if not ranked:
        return fallback
    language, probability = ranked[0]
    if probability >= MIN_CONFIDENCE:
        return str(language)
    # Unsure: the fallback if it is a candidate at all; else, for a text with no Latin letters
    # (which English cannot be), the best guess (Russian and Bulgarian look alike; both beat
    # English for Cyrillic); else the fallback.
    log.debug("language of %r unsure (%s, %.2f)", text, language, probability)
    if any(lang == fallback for lang, _ in ranked):
        return fallback
    if not any(unicodedata.name(c, "").startswith("LATIN") for c in text):
        # Close candidates (a short Russian query scores like Bulgarian): the more widely
        # written language is the better bet.
        close = [lang for lang, p in ranked if p >= probability / 3]
        return min(close, key=lambda lang: _WIDELY_WRITTEN.index(lang)
                   if lang in _WIDELY_WRITTEN else len(_WIDELY_WRITTEN))
    return fallback


def system_language() -> str:
    """The ISO 639-1 code of this computer's language (``LC_ALL``/``LC_MESSAGES``/``LANG``, then
    the locale module; ``en`` when unknown). The app passes Qt's own answer instead."""
    import locale
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(":")[0].replace("-", "_").split("_")[0].split(".")[0].lower()
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return code.split("_")[0].lower() or "en"


def default_language() -> str:
    """The language assumed for a query too short to tell: the system's, if NLLB knows it."""
    language = system_language()
    return language if language in NLLB_CODES else "en"
