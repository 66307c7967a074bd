"""The app's languages: Qt's translation system over ``resources/translations/``.

Every visible string goes through :func:`translate` (Qt's ``QCoreApplication.translate`` under
the name ``pyside6-lupdate`` extracts), with a literal context and source text. The ``.ts``
sources are committed; the ``.qm`` files are built from them by ``make`` (see
``resources/translations/build.py``) and bundled. English is the source language; its ``.qm``
holds only the plural forms ("1 photo", "2 photos").

The app follows the system language (``QLocale.system()``) unless the Settings dialog's
Language field names one; that choice is kept in the user's QSettings (it belongs to the
person, not to a library) and applies when PhotoSearch next starts. Numbers and dates are
formatted with ``QLocale()``, which :func:`install` sets to the language in use. :func:`install`
also sets the language of the engine's own messages (``engine.errors.set_message_language``),
so an error or a photo's failure reason reaches the window in the UI's language.
"""

from __future__ import annotations

import importlib.util
import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from engine.errors import set_message_language

log = logging.getLogger(__name__)

# Language code -> its name in that language (shown as is in every language, like an OS does).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "zh_CN": "简体中文",
    "es": "Español",
    "ja": "日本語",
}
SOURCE_LANGUAGE = "en"
SETTINGS_KEY = "ui/language"

_installed: list[QTranslator] = []
_language: list[str] = []  # the language install() put in place, once it has run


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the UI language (``n`` picks the plural form of ``%n``/``%Ln``).

    Call it with literal ``context`` and ``text`` so that ``pyside6-lupdate`` finds them.
    """
    return QCoreApplication.translate(context, text, disambiguation, n)


def translations_dir() -> Path:
    """Where the ``.ts`` sources and the built ``.qm`` files are."""
    from app.theme import resources_dir  # (QtGui and QtSvg: not for `--help`)

    return resources_dir() / "translations"


def _built(source: Path, suffix: str) -> bool:
    target = source.with_suffix(suffix)
    return target.is_file() and target.stat().st_mtime >= source.stat().st_mtime


def build_if_stale() -> None:
    """In a source checkout, compile the ``.qm`` files that are missing or older than their
    ``.ts``, and the engine's ``.mo`` files likewise from their ``.po`` (what ``make`` does),
    so ``python -m app`` from a fresh clone is translated too. A frozen bundle carries its
    ``.qm`` and ``.mo`` files and no sources."""
    folder = translations_dir()
    script = folder / "build.py"
    if getattr(sys, "frozen", False) or not script.is_file():
        return
    qm_ready = all(_built(ts, ".qm") for ts in folder.glob("*.ts"))
    mo_ready = all(_built(po, ".mo") for po in folder.parent.glob("locale/*/LC_MESSAGES/*.po"))
    if qm_ready and mo_ready:
        return
    spec = importlib.util.spec_from_file_location("photosearch_translations_build", script)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        if not qm_ready:
            module.build()
        if not mo_ready:
            module.build_catalogs()  # needs Babel (the dev extra), as make does
    except (OSError, RuntimeError, ImportError, subprocess.CalledProcessError):
        log.warning("cannot build the translations in %s", folder, exc_info=True)


def user_settings() -> QSettings:
    """The person's app settings (an INI file in the user's config folder)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "PhotoSearch", "PhotoSearch"
    )


def language_for_locale(locale: QLocale) -> str:
    """The supported language closest to ``locale`` (English when none fits)."""
    name = locale.name()  # e.g. "zh_CN", "es_MX", "ja_JP", "en_US"
    if name in LANGUAGES:
        return name
    if locale.language() == QLocale.Language.Chinese:
        return "zh_CN"  # Simplified is closer to a Traditional reader than English is
    prefix = name.split("_")[0]
    return prefix if prefix in LANGUAGES else SOURCE_LANGUAGE


def preferred_language() -> str:
    """The Settings override, or ``""`` to follow the system language."""
    value = str(user_settings().value(SETTINGS_KEY, "") or "")
    return value if value in LANGUAGES else ""


def set_preferred_language(code: str) -> None:
    """Keep the Settings override (``""``: follow the system); applies at the next start."""
    if code and code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    settings = user_settings()
    if code:
        settings.setValue(SETTINGS_KEY, code)
    else:
        settings.remove(SETTINGS_KEY)
    settings.sync()


def installed_language() -> str | None:
    """The language :func:`install` last put in place (None before it ran)."""
    return _language[-1] if _language else None


def caption_language() -> str | None:
    """The language photos are described in: the UI's (``"zh_CN"``, ``"es"``...), or None for
    English (the engine's own vocabulary)."""
    language = installed_language()
    return None if language in (None, SOURCE_LANGUAGE) else language


def install(language: str | None = None) -> str:
    """Put the translations for ``language`` (default: the Settings override, else the system
    language) in place on the running ``QCoreApplication``, with Qt's own (standard buttons,
    dialogs), and make ``QLocale()`` format numbers and dates for it. Returns the code used.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translations")
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    build_if_stale()
    chosen = language or preferred_language()
    if chosen:
        locale = QLocale(chosen)
    else:
        locale = QLocale.system()
        chosen = language_for_locale(locale)
        if locale.language() == QLocale.Language.C:  # no locale set (LANG=C): plain English
            locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    _language.append(chosen)
    # The engine's messages (errors, photos' failure reasons) in the same language, by gettext
    # (engine/i18n.py; engine.errors, not engine.api, so the window still paints first).
    set_message_language(chosen)
    ours = QTranslator(app)
    if ours.load(f"photosearch_{chosen}", str(translations_dir())):
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        log.warning("no translation photosearch_%s.qm in %s", chosen, translations_dir())
    if chosen != SOURCE_LANGUAGE:
        qt = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{chosen}", qt_dir):
            app.installTranslator(qt)
            _installed.append(qt)
    return chosen


# The first query the window suggests. It stays in English while the models PhotoSearch offers
# understand English only. Picked by running candidates on the demo library (200 generated
# photos, demo model): all three photos it returns are blue squares on grass.
EXAMPLE_QUERY = "blue squares on grass"


def example_query() -> str:
    """The search the empty window suggests (one the bundled demo library answers well)."""
    return EXAMPLE_QUERY
