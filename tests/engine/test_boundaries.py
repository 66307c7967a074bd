"""Architecture boundaries: the engine is headless, and its facade imports no deep learning."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "app")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an engine file imports, at any depth (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def test_the_engine_never_imports_qt_or_the_app() -> None:
    files = sorted(ENGINE.rglob("*.py"))
    assert len(files) >= 10
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in files
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_the_scan_would_catch_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n"
                      "import importlib\nimportlib.import_module('app.main')\n")
    assert sorted(m for _, m in imported_modules(sample)) == ["PySide6.QtCore", "app.main",
                                                              "importlib"]


def loaded_modules(code: str) -> set[str]:
    """sys.modules after running ``code`` in a fresh interpreter."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


HEAVY = ("torch", "open_clip", "torchvision", "transformers", "PySide6")


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("module", ["engine.api", "engine.cli", "engine.errors"])
def test_importing_the_facade_loads_no_deep_learning(module: str) -> None:
    assert heavy(loaded_modules(f"import {module}")) == []


def test_cli_help_is_instant() -> None:
    code = ("import contextlib, io\nfrom engine import cli\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    cli.main(['--help'])\n"
            "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
            "    cli.main(['search', '--help'])")
    assert heavy(loaded_modules(code)) == []


def test_opening_a_library_and_reading_status_loads_no_model(tmp_path: Path) -> None:
    code = ("from pathlib import Path\nfrom engine.api import Library\n"
            f"lib = Library.open(Path({str(tmp_path / 'home')!r}), model='demo')\n"
            f"lib.add_folder(Path({str(tmp_path)!r}))\n"
            "st = lib.status(); lib.folders(); lib.close()")
    assert heavy(loaded_modules(code)) == []
