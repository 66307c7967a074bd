"""The engine's messages in the user's language: Python's standard ``gettext``.

Every message the engine writes for a person (an :class:`~engine.errors.EngineError`'s
``user_message``, a photo's failure reason) is marked ``_("...")`` where it is made, with
named ``{placeholders}`` filled in *after* translation (``_("The folder {folder} ...")
.format(folder=...)``), so each language may order the words its own way. Module-level
constants are marked with :func:`N_` and translated where they are used (``_(CONSTANT)``).

The catalogs are ``resources/locale/<lang>/LC_MESSAGES/photosearch.po`` (committed, extracted
with Babel: ``pybabel extract`` over ``engine/``) and their compiled ``.mo`` files (built by
``make translations``, git-ignored, bundled). At run time only the standard library reads them.

English is the source language and the default. The app calls :func:`set_language` with its UI
language (through ``engine.api.set_message_language``); the CLI follows the system locale
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), like any gettext program.

This module sits at the bottom of the engine beside ``errors.py``: every layer imports it, so it
imports nothing of the engine.
"""

from __future__ import annotations

import gettext
import logging
import os
import sys
import threading
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "photosearch"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("zh_CN", "es", "ja")  # those with a catalog

_lock = threading.Lock()
_state: dict[str, gettext.NullTranslations | str] = {
    "translations": gettext.NullTranslations(),
    "language": SOURCE_LANGUAGE,
}


def locale_dir() -> Path:
    """``resources/locale``: under the bundle's root when frozen, else in the source tree.

    (The same rule as ``engine.store.paths.resources_dir``, which this module may not import:
    it sits below every layer.)
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources" / "locale"
    return Path(__file__).resolve().parents[1] / "resources" / "locale"


def supported_language(name: str | None) -> str:
    """The catalog closest to a locale name (``zh_TW.UTF-8`` -> ``zh_CN``, ``es_MX`` -> ``es``,
    ``ja_JP`` -> ``ja``); English for anything else, ``C`` and ``POSIX`` included."""
    if not name:
        return SOURCE_LANGUAGE
    code = name.split(".")[0].split("@")[0].replace("-", "_")
    if code in LANGUAGES:
        return code
    prefix = code.split("_")[0].lower()
    if prefix == "zh":
        return "zh_CN"  # Simplified is closer to a Traditional reader than English is
    return prefix if prefix in LANGUAGES else SOURCE_LANGUAGE


def system_language() -> str:
    """The language the environment asks for, read the way gettext reads it: the first of
    ``LANGUAGE`` (a colon list), ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return supported_language(value.split(":")[0])
    return SOURCE_LANGUAGE


def set_language(language: str | None) -> str:
    """Write the engine's messages in ``language`` (``"zh_CN"``, ``"es"``, ``"ja"``, ``"en"``,
    or a locale name such as ``"es_MX.UTF-8"``); None follows the system locale. Returns the
    language in use: English when the catalog is missing (logged), so a message is never lost.
    """
    code = system_language() if language is None else supported_language(language)
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if code != SOURCE_LANGUAGE:
        try:
            translations = gettext.translation(DOMAIN, locale_dir(), languages=[code])
        except OSError:
            log.warning("no compiled catalog %s.mo for %s in %s (run `make translations`); "
                        "engine messages stay in English", DOMAIN, code, locale_dir())
            code = SOURCE_LANGUAGE
    with _lock:
        _state["translations"] = translations
        _state["language"] = code
    return code


def current_language() -> str:
    """The language engine messages are written in now (``"en"`` unless set)."""
    return str(_state["language"])


def _(message: str) -> str:
    """``message`` in the current language (itself when untranslated)."""
    translations = _state["translations"]
    assert isinstance(translations, gettext.NullTranslations)
    return translations.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark a constant for extraction without translating it (translate it where used)."""
    return message
