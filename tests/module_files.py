"""Python files that are no importable module (a script under packaging/ or resources/, a
helper of another test folder), loaded as modules for the tests that call their functions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_module(path: Path, name: str | None = None, *, register: bool = False) -> ModuleType:
    """The file at ``path`` run as a module named ``name`` (its stem by default). ``register``
    puts it in ``sys.modules`` first, unless a module of that name is there already: a file
    whose dataclasses look their module up by name needs it."""
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module
