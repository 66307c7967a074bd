"""Which analyses exist, and the library's set of them.

Adding an analysis is writing one module with an :class:`~engine.analyses.base.Analysis`
subclass decorated with :func:`register`, and importing that module in :func:`_load_builtins`
(a plain import, so a frozen bundle finds it too; tests and plugins may call :func:`register`
directly). Nothing else changes: the indexer, the
writer and the facade reach analyses only through :class:`AnalysisSet`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from engine.analyses.base import Analysis, AnalysisContext

_registered: dict[str, type[Analysis]] = {}
_lock = threading.Lock()
_builtins_loaded = False


def register(cls: type[Analysis]) -> type[Analysis]:
    """Make an analysis class known (a class decorator); a later class of the same name
    replaces the earlier one."""
    with _lock:
        _registered[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    """Forget an analysis class (its stored results stay in the catalog)."""
    with _lock:
        _registered.pop(name, None)


def registered() -> list[type[Analysis]]:
    """Every known analysis class: meaning stage first, then background, each in the order
    they were registered."""
    global _builtins_loaded
    if not _builtins_loaded:
        _load_builtins()
        _builtins_loaded = True
    with _lock:
        classes = list(_registered.values())
    return sorted(classes, key=lambda c: c.stage != "meaning")


class AnalysisSet:
    """One library's analyses, built on one context (so a pass's CLIP analysis stays bound to
    the model and vector index it started with, whatever the settings do meanwhile)."""

    def __init__(self, context: AnalysisContext, classes: list[type[Analysis]] | None = None
                 ) -> None:
        self.context = context
        self.all: list[Analysis] = [cls(context) for cls in (classes or registered())]
        for analysis in self.all:
            schema = analysis.schema()
            if schema:
                context.catalog.apply_schema(f"analysis:{analysis.name}", schema)

    def __iter__(self) -> Iterator[Analysis]:
        return iter(self.all)

    def get(self, name: str) -> Analysis | None:
        """The analysis called ``name``, if known."""
        return next((a for a in self.all if a.name == name), None)

    def enabled(self) -> list[Analysis]:
        """The analyses the settings leave on (the meaning stage is always on)."""
        off = set(self.context.settings.disabled_analyses)
        return [a for a in self.all if not (a.can_disable and a.name in off)]

    @property
    def meaning(self) -> list[Analysis]:
        """What runs inside the indexing pass."""
        return [a for a in self.enabled() if a.stage == "meaning"]

    @property
    def background(self) -> list[Analysis]:
        """What runs in background passes after it."""
        return [a for a in self.enabled() if a.stage == "background"]


def _load_builtins() -> None:
    """Import the built-in analyses (each registers itself), in the order they run within a
    stage."""
    # This order is the order they run in within a stage.
    import engine.analyses.metadata  # noqa: F401, I001
    import engine.analyses.clip  # noqa: F401
    import engine.analyses.video  # noqa: F401  (meaning: what a video is; background: frames)
    import engine.analyses.places  # noqa: F401  (background: cheap, no pixels)
    import engine.analyses.text  # noqa: F401  (background: OCR)
    import engine.analyses.phash  # noqa: F401
    import engine.analyses.neighbours  # noqa: F401
    import engine.analyses.faces  # noqa: F401
