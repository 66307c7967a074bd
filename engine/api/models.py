"""The facade's part for settings and models: the stored settings, which CLIP model, device,
runtime and Hub address are in effect, loading the model, and the reranking model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.api.part import _FacadePart
from engine.errors import ModelUnavailableError
from engine.jobs import CancelToken, Job
from engine.models.clip import check_local_dir, parse_model_spec
from engine.models.hub import check_endpoint, current_endpoint, resolve_endpoint, use_endpoint
from engine.models.language import normalise_language
from engine.models.matcher import matcher_unavailable_reason, resolve_matcher
from engine.models.runtime import edition, fidelity_summary, planned_runtime, resolve_runtime
from engine.models.session import Encoder
from engine.records import ModelProgress, Settings
from engine.store.milvus_vectors import parse_vectors_uri
from engine.store.photo_vectors import PhotoVectors
from engine.store.settings import resolve_device, resolve_model, save_settings


class ModelsFacade(_FacadePart):
    """Mixed into :class:`engine.api.Library`."""

    # -- settings and models ------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The stored user settings."""
        return self._settings

    def update_settings(self, **changes: Any) -> Settings:
        """Change and persist settings; a new model or device applies on the next load."""
        new = replace(self._settings, **changes)
        if "model" in changes:
            parse_model_spec(new.model)
        if "vectors" in changes:  # never saves credentials: a URI holding them is refused
            parse_vectors_uri(new.vectors)
            self._close_store()
        if changes.get("hub_endpoint"):
            new = replace(new, hub_endpoint=check_endpoint(new.hub_endpoint))
        if changes.get("query_language"):
            new = replace(new, query_language=normalise_language(new.query_language))
        save_settings(self.home, new)
        if "hub_endpoint" in changes:
            use_endpoint(resolve_endpoint(self._endpoint_override, new.hub_endpoint))
        with self._model.lock:
            self._settings = new
            if ("model" in changes and self._model_override is None or "device" in changes
                    or "runtime" in changes):
                self._model.reset()
        return new

    @property
    def model_spec(self) -> str:
        """The model spec in effect (argument, environment, setting or default)."""
        return resolve_model(self._model_override, self._settings)

    @property
    def device_request(self) -> str:
        """The device asked for (auto, cpu, cuda, mps)."""
        return resolve_device(self._device_override, self._settings)

    @property
    def hub_endpoint_request(self) -> str | None:
        """The Hub address asked for (``--hub-endpoint``, ``$HF_ENDPOINT``, the setting), or
        None for huggingface_hub's default."""
        return resolve_endpoint(self._endpoint_override, self._settings.hub_endpoint)

    @property
    def hub_endpoint(self) -> str:
        """The Hub address every model download of this process uses now."""
        return current_endpoint()

    @property
    def query_language(self) -> str | None:
        """The language queries are in, for models that ask for it (NLLB): this session's
        choice (:meth:`set_query_language`), else the ``query_language`` setting; None: each
        query's language is detected."""
        return self._language_override or self._settings.query_language or None

    def set_query_language(self, language: str | None) -> None:
        """Fix the query language for this session (``zh``, ``es``, ``zho_Hant``...); None
        detects it again. Raises EngineError for a language PhotoSearch does not know."""
        self._language_override = normalise_language(language) if language else None

    @property
    def runtime_request(self) -> str:
        """The runtime asked for: $PHOTOSEARCH_RUNTIME, then the setting (auto, torch, onnx)."""
        return resolve_runtime(self._settings.runtime)

    @property
    def encoder(self) -> Encoder:
        """The model (not necessarily loaded yet)."""
        return self._model.encoder

    @property
    def model_ready(self) -> bool:
        """Whether the model is loaded and searches can run at once."""
        return self._model.ready

    def load_model(self, on_progress: Callable[[ModelProgress], None] | None = None
                   ) -> Job[str, ModelProgress]:
        """Load the model (ONNX Runtime on the CPU, exporting it on first use; torch on a GPU)
        and its vector index in the background; the result is the model's description.

        Weights missing from the Hugging Face cache are downloaded first when the Hub is
        reachable: ``on_progress`` then gets "download" :class:`ModelProgress` values with
        bytes done and total, and ``cancel()`` stops the download within a chunk (the job
        ends with ``Cancelled``; the next load starts the unfinished file again). Offline,
        missing weights fail at once with a ModelUnavailableError whose ``reason`` is
        "offline".
        """
        return self._model.load_job(on_progress)

    @staticmethod
    def check_model_folder(path: Path) -> str:
        """The ``local-dir:`` model spec for ``path`` if the folder holds an open_clip model
        (config and weights) or ONNX towers (our export, Immich's layout); raises
        ModelUnavailableError saying what is missing."""
        spec = parse_model_spec(f"local-dir:{Path(path).expanduser().resolve()}")
        from engine.models.onnx_clip import is_onnx_clip_folder

        if spec.local_dir is None or not is_onnx_clip_folder(spec.local_dir):  # ONNX towers
            check_local_dir(spec)
        return spec.raw

    def _ensure_ready(self, on_progress: Callable[[ModelProgress], None] | None = None
                      ) -> Encoder:
        return self._model.ensure_ready(on_progress)

    def _photo_vectors(self) -> PhotoVectors:
        return self._model.vectors()

    def _vector_index(self) -> Any:
        """The current model's HNSW index (for tests and benchmarks)."""
        return self._photo_vectors().index


    # -- the reranking model ---------------------------------------------------------------

    @property
    def rerank_unavailable(self) -> str | None:
        """Why this installation cannot rerank at all (the lean edition has no PyTorch), in
        the user's words; None where it can (the matcher may still need a download)."""
        return matcher_unavailable_reason()

    @property
    def matcher_ready(self) -> bool:
        """Whether the reranking model is in memory (a rerank then starts at once)."""
        return self._reranker.stage().matcher.loaded

    def load_matcher(self, on_progress: Callable[[ModelProgress], None] | None = None
                     ) -> Job[str, ModelProgress]:
        """Load (downloading on first use, with byte progress) the reranking model in the
        background, so that no caller waits for it in line with searches; the job's result is
        its description. Cancelling the job stops a download."""

        def work(token: CancelToken, report: Callable[[ModelProgress], None]) -> str:
            report(ModelProgress("load", self.matcher_spec))
            return self._reranker.matcher(on_progress=report).description

        return Job("load-matcher", work, on_progress).start()

    @property
    def rerank_k(self) -> int:
        """How many first-stage results the second stage reorders (setting, else measured
        default for the matcher's device; loads the matcher)."""
        return self._reranker.k()

    @property
    def matcher_spec(self) -> str:
        """The reranking model in effect (argument, $PHOTOSEARCH_MATCHER, setting, default)."""
        return resolve_matcher(self._matcher_override, self._settings.matcher, self.model_spec)

    @property
    def matcher_description(self) -> str:
        """E.g. ``demo on cpu (fp32)`` (loads the matcher)."""
        return self._reranker.matcher().description

    # -- runtime (ONNX Runtime or PyTorch) ----------------------------------------------------

    def _runtime_status(self, encoder: Encoder | None) -> tuple[str, dict[str, Any]]:
        """The runtime in use (or planned) and the ONNX export's fidelity figures."""
        if encoder is not None and encoder.loaded:
            return encoder.runtime, dict(encoder.fidelity)
        from engine.models.export import read_manifest
        from engine.models.runtime import onnx_folder_for

        try:
            planned = planned_runtime(self.runtime_request, self.device_request)
        except ModelUnavailableError:  # e.g. runtime torch in the lean edition: loading says why
            return f"{self.runtime_request} (unavailable in the {edition()} edition)", {}
        spec = self.encoder.spec
        if planned != "onnx":
            return planned, {}
        return planned, fidelity_summary(read_manifest(onnx_folder_for(spec)))
