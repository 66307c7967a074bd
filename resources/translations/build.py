"""Build the translations: the app's ``.ts`` sources (committed) -> ``.qm`` files (built), and
the engine's gettext catalogs ``resources/locale/<lang>/LC_MESSAGES/photosearch.po``
(committed) -> ``.mo`` files (built).

    python resources/translations/build.py            build the .qm and .mo files that are
                                                      missing or older than their sources
                                                      (make does this)
    python resources/translations/build.py --update   re-extract the app's strings into the
                                                      .ts files and the engine's ``_()``
                                                      messages into the .po files first (after
                                                      changing app/ or engine/)

The app's side uses ``lupdate``/``lrelease`` from the PySide6 wheel; the engine's uses Babel
(a dev dependency: ``pybabel extract`` / ``compile`` as a library). At run time the app reads
the ``.qm`` files with Qt and the engine reads the ``.mo`` files with the standard library's
``gettext`` (engine/i18n.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("zh_CN", "es", "ja")  # full translations; en holds the English plural forms
LOCALE = ROOT / "resources" / "locale"  # the engine's gettext catalogs
DOMAIN = "photosearch"


def qt_tool(name: str) -> Path:
    """``lupdate`` or ``lrelease`` from the PySide6 wheel."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "libexec" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name} is not in the PySide6 wheel at {folder}")


def ts_files() -> list[Path]:
    """The committed translation sources, English (plural forms only) first."""
    return [HERE / "photosearch_en.ts"] + [HERE / f"photosearch_{c}.ts" for c in LANGUAGES]


def app_sources() -> list[Path]:
    """The Python files whose strings are translated."""
    return sorted(p for p in (ROOT / "app").rglob("*.py") if "__pycache__" not in p.parts)


def lupdate(sources: list[Path], ts: Path, plural_only: bool = False) -> None:
    """Merge the strings of ``sources`` into ``ts`` (dropping strings no longer used)."""
    args = [str(qt_tool("lupdate")), "-silent", "-no-obsolete", "-locations", "none"]
    if plural_only:
        args.append("-pluralonly")
    subprocess.run([*args, *map(str, sources), "-ts", str(ts)], check=True)


def update() -> None:
    """Re-extract the app's strings into every ``.ts``."""
    sources = app_sources()
    for ts in ts_files():
        lupdate(sources, ts, plural_only=ts.name == "photosearch_en.ts")


def build(force: bool = False) -> list[Path]:
    """Compile each ``.ts`` whose ``.qm`` is missing or older; returns the ``.qm`` files."""
    built = []
    for ts in ts_files():
        qm = ts.with_suffix(".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run(
                [str(qt_tool("lrelease")), "-silent", str(ts), "-qm", str(qm)], check=True
            )
        built.append(qm)
    return built


def po_file(language: str) -> Path:
    """The engine's catalog source for ``language``."""
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def engine_sources() -> list[Path]:
    """The Python files whose ``_()`` / ``N_()`` messages are translated."""
    return sorted(p for p in (ROOT / "engine").rglob("*.py") if "__pycache__" not in p.parts)


def extract_engine_messages() -> Any:
    """The engine's messages as a Babel ``Catalog`` (what ``pybabel extract`` finds with the
    default keywords, ``_`` and ``N_`` among them), each with the files it comes from."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    template = Catalog(project="PhotoSearch", domain=DOMAIN, charset="utf-8")
    for path in engine_sources():
        for lineno, message, comments, context in extract_from_file("python", path):
            template.add(message, locations=[(path.relative_to(ROOT).as_posix(), lineno)],
                         auto_comments=comments, context=context)
    return template


def update_catalogs() -> None:
    """Merge the engine's current messages into every ``.po`` (new ones untranslated; ones no
    longer used dropped), like ``pybabel update``."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = extract_engine_messages()
    for language in LANGUAGES:
        path = po_file(language)
        if path.exists():
            with path.open("rb") as fp:
                catalog = read_po(fp, locale=language, domain=DOMAIN)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="PhotoSearch",
                              version="0.1", copyright_holder="the PhotoSearch authors",
                              msgid_bugs_address="", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fp:
            write_po(fp, catalog, width=100, no_location=True, omit_header=False,
                     sort_output=False)


def build_catalogs(force: bool = False) -> list[Path]:
    """Compile each ``.po`` whose ``.mo`` is missing or older; returns the ``.mo`` files.
    Untranslated and fuzzy entries are left out, so they show in English."""
    built = []
    for language in LANGUAGES:
        po = po_file(language)
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po

            with po.open("rb") as fp:
                catalog = read_po(fp, locale=language, domain=DOMAIN)
            with mo.open("wb") as fp:
                write_mo(fp, catalog)
        built.append(mo)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true",
                        help="re-extract strings from app/ and engine/")
    parser.add_argument("--force", action="store_true", help="rebuild every .qm and .mo")
    args = parser.parse_args(argv)
    if args.update:
        update()
        update_catalogs()
    build(force=args.force or args.update)
    build_catalogs(force=args.force or args.update)
    return 0


if __name__ == "__main__":
    sys.exit(main())
