"""What to search for, when, and what came back: the logic behind the search box and grid.

Typing is debounced (``DEBOUNCE_MS``); only one search is in flight at a time, and a newer query
that arrives meanwhile replaces the in-flight one's results (they are dropped, never shown out of
date). Until the model is ready the query waits ("waiting_model") and runs when it is. Errors
the user can fix by typing (a bad query) or by following a hint (a missing model) are shown in
place; any other failure is raised to the error dialog through ``error``.

Text searches come in two stages when reranking is on (the ``rerank`` setting): the dual
encoder's results are shown at once, then the cross-attention matcher reorders the top K in the
background (seconds on a CPU) and the grid is reordered when it is done. A newer query cancels a
rerank in progress; a matcher that cannot load leaves the first-stage results and says why. The
matcher itself loads (and downloads, the first time) on its own thread, never in line with
searches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.bridge import Call, EngineBridge, JobHandle
from app.formatting import format_seconds, photos_and_videos
from app.i18n import translate
from app.model_messages import megabytes
from engine.errors import Cancelled, InvalidQueryError, ModelUnavailableError
from engine.jobs import CancelToken

if TYPE_CHECKING:
    from engine.api import SearchFilters, SearchHit


class SearchState(StrEnum):
    """What the results area should show."""

    IDLE = "idle"  # nothing asked yet
    WAITING_MODEL = "waiting_model"  # a query waits for the model to load
    SEARCHING = "searching"  # a search is running (earlier results stay visible)
    RESULTS = "results"
    EMPTY = "empty"  # the search found nothing
    ERROR = "error"  # a query problem or a missing model, explained in message


@dataclass(frozen=True)
class SimilarSource:
    """An image to find similar photos to: a file, or encoded bytes from a drop or paste."""

    image: Path | bytes
    label: str
    time_s: float | None = None  # a video: its frame at this moment


def matcher_download_text(step: Any) -> str:
    """"downloading the reranking model: 120 MB of 900 MB" for a "download" ModelProgress."""
    done = megabytes(step.done_bytes)
    if step.total_bytes:
        done = translate("model_messages", "%1 of %2").replace("%1", done).replace(
            "%2", megabytes(step.total_bytes))
    return translate("SearchPresenter", "downloading the reranking model: %1…").replace(
        "%1", done)


def matcher_progress_text(step: Any) -> str:
    """What loading the reranking model is doing: downloading it, or preparing it for this
    computer (its image tower exported to ONNX Runtime and checked, once)."""
    if step.phase == "prepare":
        return translate("SearchPresenter",
                         "preparing the reranking model for this computer (once, a few minutes)…")
    return matcher_download_text(step)


class SearchPresenter(QObject):
    """Runs text and similar-image searches through the bridge for the main window."""

    DEBOUNCE_MS = 250

    state_changed = Signal(str)
    results_ready = Signal(list)  # list[SearchHit]
    message_changed = Signal(str)
    similar_changed = Signal(object)  # SimilarSource | None
    refining_changed = Signal(bool)  # the second stage started (True) or ended
    understood_changed = Signal(list)  # list[Understood]: what the query was understood to say
    error = Signal(object)  # an exception for the error dialog

    def __init__(self, bridge: EngineBridge, k: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.k = k
        self.text = ""
        self.filters: SearchFilters | None = None  # None: no filters
        self.cut_off = True
        self.similar: SimilarSource | None = None
        self.state = SearchState.IDLE
        self.message = ""
        self.hits: list[SearchHit] = []
        self._model_ready = False
        self._model_problem: str | None = None
        self._in_flight: Call | None = None
        self._dirty = False
        self._rerank: tuple[Call, CancelToken] | None = None
        self._matcher_job: JobHandle | None = None  # loading the matcher, off the engine lane
        self._generation = 0  # bumped by every new search: a late matcher load checks it
        self.refining = False
        self.rerank_problem: str | None = None  # why the last rerank could not run
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run)

    # -- inputs ------------------------------------------------------------------------------

    kept: tuple[str, ...] = ()  # words of removed chips: searched as words, not understood

    def set_text(self, text: str) -> None:
        """The search box changed: search after a short pause in typing."""
        if text == self.text and self.similar is None:
            return
        self.text = text
        self.kept = ()
        if self.similar is not None and text.strip():
            self._set_similar(None)
        self._debounce.start()

    def remove_understood(self, removed: Any) -> None:
        """A chip was removed: search again with its words as plain words (``Understood``)."""
        self.kept = (*self.kept, str(getattr(removed, "source", "") or removed.label))
        self._debounce.stop()
        self._run()

    def search_now(self) -> None:
        """Run the pending query at once (Enter in the search box)."""
        self._debounce.stop()
        self._run()

    def find_similar(self, image: Path | bytes, label: str, time_s: float | None = None
                     ) -> None:
        """Search for photos like ``image`` (a file or encoded image bytes; a video's frame
        at ``time_s``)."""
        self.text = ""
        self._set_similar(SimilarSource(image, label, time_s))
        self.search_now()

    def clear(self) -> None:
        """Forget the query and the results."""
        self.text = ""
        self._set_similar(None)
        self.search_now()

    def set_filters(self, filters: SearchFilters | None) -> None:
        """New filters: search again at once."""
        if filters != self.filters:
            self.filters = filters
            self.search_now()

    def set_cut_off(self, cut_off: bool) -> None:
        """Drop (True) or keep the irrelevant tail; search again at once."""
        if cut_off != self.cut_off:
            self.cut_off = cut_off
            self.search_now()

    def set_model_ready(self, ready: bool) -> None:
        """The model finished loading (or is loading again); a waiting query now runs."""
        self._model_ready = ready
        if ready:
            self._model_problem = None
        if ready and self.state in (SearchState.WAITING_MODEL, SearchState.ERROR):
            self.search_now()

    def set_model_unavailable(self, message: str) -> None:
        """The model cannot load; queries explain why instead of waiting forever."""
        self._model_ready = False
        self._model_problem = message
        if self.state is SearchState.WAITING_MODEL:
            self._show([], SearchState.ERROR, message)

    # -- running -----------------------------------------------------------------------------

    def has_filters(self) -> bool:
        """Whether any filter is set."""
        return self.filters is not None and not self.filters.is_empty()

    def has_query(self) -> bool:
        """Whether there is anything to search for."""
        return self.similar is not None or bool(self.text.strip())

    def _set_similar(self, source: SimilarSource | None) -> None:
        if source is not self.similar:
            self.similar = source
            self.similar_changed.emit(source)

    def _run(self) -> None:
        self._cancel_rerank()
        if not self.has_query():
            self._cancel_in_flight()
            self._show([], SearchState.IDLE, "")
            return
        if not self._model_ready:
            if self._model_problem:
                self._show([], SearchState.ERROR, self._model_problem)
            else:
                self._show(
                    self.hits,
                    SearchState.WAITING_MODEL,
                    translate("SearchPresenter",
                              "Loading the model… your search runs as soon as it is ready."),
                )
            return
        if self._in_flight is not None:
            self._dirty = True
            return
        self._dispatch()

    def _cancel_in_flight(self) -> None:
        if self._in_flight is not None:
            self._in_flight.cancel()
            self._in_flight = None
        self._dirty = False

    def _dispatch(self) -> None:
        self._generation += 1
        library = self._bridge.library
        filters = self.filters if self.has_filters() else None
        k, cut_off, similar, text = self.k, self.cut_off, self.similar, self.text.strip()
        started = time.monotonic()
        if similar is not None:

            def work() -> Any:
                moment = {"time_s": similar.time_s} if similar.time_s is not None else {}
                return library.similar(similar.image, k=k, filters=filters,
                                       cut_off=cut_off, **moment), []
        else:

            kept = self.kept

            def work() -> Any:  # the second stage runs after these are shown
                query: Any = text
                if hasattr(library, "parse") and text:
                    query = library.parse(text, keep=kept)
                return library.search(query, k=k, filters=filters, cut_off=cut_off,
                                      rerank=False), list(getattr(query, "understood", ()))

        self._dirty = False
        self._set_state(SearchState.SEARCHING)
        self._in_flight = self._bridge.call(
            work,
            on_result=lambda found: self._on_result(found[0], time.monotonic() - started,
                                                    found[1]),
            on_error=self._on_error,
        )

    def _on_result(self, hits: list[SearchHit], seconds: float,
                   understood: list[Any] | None = None) -> None:
        self._in_flight = None
        self.understood_changed.emit(list(understood or []))
        if self._dirty:
            self._run()
            return
        if hits:
            n_videos = sum(1 for h in hits if getattr(h, "kind", "photo") == "video")
            counted = photos_and_videos(len(hits) - n_videos, n_videos)
            if self.similar and n_videos:  # videos apart: "12 photos and 3 videos like ..."
                what = translate("SearchPresenter", "%1 like %2", "12 photos and 3 videos like "
                                 "IMG_1.jpg").replace("%1", counted)
                what = what.replace("%2", self.similar.label)
            elif self.similar:
                what = translate("SearchPresenter", "%Ln photo(s) like %1", "", len(hits))
                what = what.replace("%1", self.similar.label)
            elif n_videos:
                what = translate("SearchPresenter", "%1 for “%2”", "12 photos and 3 videos for "
                                 "“beach”").replace("%1", counted)
                what = what.replace("%2", self.text.strip())
            else:
                what = translate("SearchPresenter", "%Ln photo(s) for “%1”", "", len(hits))
                what = what.replace("%1", self.text.strip())
            message = f"{what} · {format_seconds(seconds)}"
            if self._wants_rerank():
                refining = translate("SearchPresenter", "refining the order…")
                self._show(hits, SearchState.RESULTS, f"{message} · {refining}")
                self._start_rerank(hits, message)
            else:
                self._show(hits, SearchState.RESULTS, message)
        else:
            self._show([], SearchState.EMPTY, self._empty_message())

    # -- the second stage ---------------------------------------------------------------------

    def _wants_rerank(self) -> bool:
        return (self.similar is None and bool(self.text.strip())
                and bool(self._bridge.library.settings.rerank))

    def _start_rerank(self, hits: list[SearchHit], message: str) -> None:
        library = self._bridge.library
        if not library.matcher_ready:
            self._load_matcher(hits, message)
            return
        text, token = self.text.strip(), CancelToken()
        started = time.monotonic()
        call = self._bridge.call(
            lambda: library.rerank(text, hits, cancel=token),
            on_result=lambda reranked: self._on_reranked(
                reranked, message, time.monotonic() - started),
            on_error=lambda exc: self._on_rerank_error(exc, message),
        )
        self._rerank = (call, token)
        self._set_refining(True)

    def _load_matcher(self, hits: list[SearchHit], message: str) -> None:
        """Load the matcher on its own thread; then rerank these results if they are still
        the ones shown."""
        generation = self._generation
        self._set_refining(True)
        loading = translate("SearchPresenter", "loading the reranking model…")
        self.message = f"{message} · {loading}"
        self.message_changed.emit(self.message)

        def loaded(_description: str) -> None:
            self._matcher_job = None
            if generation == self._generation and self.hits is hits:
                self._start_rerank(hits, message)
            elif self._rerank is None:
                self._set_refining(False)

        def failed(exc: BaseException) -> None:
            self._matcher_job = None
            if generation == self._generation:
                self._on_rerank_error(exc, message)
            elif self._rerank is None:
                self._set_refining(False)

        def progress(step: Any) -> None:
            if generation == self._generation and step.phase in ("download", "prepare"):
                self.message = f"{message} · {matcher_progress_text(step)}"
                self.message_changed.emit(self.message)

        if self._matcher_job is None:
            library = self._bridge.library
            self._matcher_job = self._bridge.start_job(
                lambda report: library.load_matcher(on_progress=report),
                on_progress=progress, on_done=loaded, on_error=failed)
        else:  # already loading for an earlier query: this one takes over its end
            job = self._matcher_job
            job.on_progress, job.on_done, job.on_error = progress, loaded, failed

    def _on_reranked(self, hits: list[SearchHit], message: str, seconds: float) -> None:
        self._rerank = None
        self._set_refining(False)
        self.rerank_problem = None
        refined = translate("SearchPresenter", "refined in %1").replace(
            "%1", format_seconds(seconds))
        self._show(hits, SearchState.RESULTS, f"{message} · {refined}")

    def _on_rerank_error(self, exc: BaseException, message: str) -> None:
        self._rerank = None
        self._set_refining(False)
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, ModelUnavailableError):
            # the first-stage results stay; the status says why they are not refined
            self.rerank_problem = exc.user_message
            why = translate("SearchPresenter", "not refined: the reranking model is unavailable")
            self.message = f"{message} · {why}"
            self.message_changed.emit(self.message)
            return
        why = translate("SearchPresenter", "not refined (the reranking failed)")
        self.message = f"{message} · {why}"
        self.message_changed.emit(self.message)
        self.error.emit(exc)

    def _cancel_rerank(self) -> None:
        if self._matcher_job is not None:
            self._set_refining(False)  # the load goes on; its end is for the current query
        if self._rerank is not None:
            call, token = self._rerank
            call.cancel()
            token.cancel()  # the engine stops at its next chunk, freeing the lane
            self._rerank = None
            self._set_refining(False)

    def _set_refining(self, refining: bool) -> None:
        if refining != self.refining:
            self.refining = refining
            self.refining_changed.emit(refining)

    def _empty_message(self) -> str:
        none = translate("SearchPresenter", "No photos match.")
        if self.cut_off and self.has_filters():
            return none + " " + translate(
                "SearchPresenter", "Try to turn off “Best matches only” or clear the filters.")
        if self.cut_off:
            return none + " " + translate("SearchPresenter",
                                          "Try to turn off “Best matches only”.")
        if self.has_filters():
            return none + " " + translate("SearchPresenter", "Try to clear the filters.")
        return none

    def _on_error(self, exc: BaseException) -> None:
        self._in_flight = None
        if self._dirty:
            self._run()
            return
        if isinstance(exc, Cancelled):
            self._set_state(SearchState.IDLE)
        elif isinstance(exc, InvalidQueryError | ModelUnavailableError):
            self._show([], SearchState.ERROR, exc.user_message)
        else:
            self._show([], SearchState.ERROR, translate("SearchPresenter", "The search failed."))
            self.error.emit(exc)

    def _show(self, hits: list[SearchHit], state: SearchState, message: str) -> None:
        self.hits = hits
        self.results_ready.emit(hits)
        self.message = message
        self._set_state(state)
        self.message_changed.emit(message)

    def _set_state(self, state: SearchState) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(str(state))

    def busy(self) -> bool:
        """Whether a search (or its second stage) is running or waiting to run."""
        return (self._in_flight is not None or self._rerank is not None
                or self._debounce.isActive())
