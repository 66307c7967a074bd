"""Build the app's translations: ``.ts`` sources (committed) -> ``.qm`` files (built).

    python resources/translations/build.py            build the .qm files that are missing
                                                      or older than their .ts (make does this)
    python resources/translations/build.py --update   re-extract the app's strings into the
                                                      .ts files first (after changing app/)

Uses ``lupdate``/``lrelease`` from the PySide6 wheel, so nothing else is needed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ("zh_CN", "es", "ja")  # full translations; en holds the English plural forms


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-extract strings from app/")
    parser.add_argument("--force", action="store_true", help="rebuild every .qm")
    args = parser.parse_args(argv)
    if args.update:
        update()
    build(force=args.force or args.update)
    return 0


if __name__ == "__main__":
    sys.exit(main())
