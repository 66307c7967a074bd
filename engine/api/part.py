"""The base of the facade's parts: what they use of :class:`engine.api.Library`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.ingest.runs import LibraryRuns
    from engine.models.session import ModelSession
    from engine.records import Settings
    from engine.search.captions import CaptionSearch
    from engine.search.pipeline import SearchPipeline
    from engine.search.second_stage import Reranker
    from engine.store.catalog import Catalog


class _FacadePart:
    """What the facade's parts use of the library (declared for the type checker)."""

    home: Path
    catalog: Catalog
    _search: SearchPipeline
    _model: ModelSession
    _runs: LibraryRuns
    _settings: Settings
    _captions: CaptionSearch
    _reranker: Reranker
    _model_override: str | None
    _device_override: str | None
    _matcher_override: str | None
    _endpoint_override: str | None
    _language_override: str | None

    if TYPE_CHECKING:
        def _photo_id(self, photo: int | Path) -> int: ...
        def update_settings(self, **changes: Any) -> Settings: ...
        def _analyses(self, *, bound: bool) -> Any: ...
        def _ensure_ready(self, on_progress: Any = None) -> Any: ...
        def _close_store(self) -> None: ...
        @property
        def encoder(self) -> Any: ...
