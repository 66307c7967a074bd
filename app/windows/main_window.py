"""The main window: search box and grid, folders, preview, indexing progress, model state.

It builds the widgets and wires them to the presenters; the logic lives in the presenters and
models, so this file is mostly layout and signal plumbing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QImage,
    QKeySequence,
    QPaintEvent,
    QShortcut,
)
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import theme
from app.bridge import EngineBridge
from app.engine_access import load_thumbnail
from app.errors import ErrorReporter
from app.formatting import format_clock
from app.i18n import caption_language, example_query, translate
from app.models.results_model import ResultsModel
from app.models.thumbnail_cache import ThumbnailCache
from app.models.thumbnail_loader import ThumbnailLoader
from app.paths import thumbnail_folder
from app.presenters.index_presenter import IndexPresenter
from app.presenters.library_presenter import LibraryPresenter
from app.presenters.model_presenter import ModelPresenter, ModelState
from app.presenters.search_presenter import SearchPresenter, SearchState, SimilarSource
from app.presenters.watch_presenter import WatchPresenter
from app.qt_images import pil_to_qimage
from app.widgets.banners import NoticeBar, SimilarBar
from app.widgets.filter_bar import FilterBar
from app.widgets.folders_panel import FoldersPanel
from app.widgets.index_panel import IndexPanel
from app.widgets.model_banner import ModelBanner
from app.widgets.pages import FirstRunPage, MessagePage
from app.widgets.preview_pane import PreviewPane
from app.widgets.results_view import ResultsView
from app.widgets.search_bar import SearchBar
from app.widgets.understood_chips import UnderstoodChips
from app.windows.duplicates_actions import DuplicatesActions
from app.windows.image_drop import ImageDropTarget
from app.windows.library_actions import LibraryActions
from app.windows.model_actions import ModelActions
from app.windows.photo_actions import PhotoActions
from app.windows.status_line import StatusLine

if TYPE_CHECKING:
    from engine.api import SearchHit

log = logging.getLogger(__name__)

THUMB_SIDE = 160
FOLDER_REFRESH_S = 3.0
# The example in the empty page's hint: a query the demo library answers well (see
# app/demo_fallback.py's EXAMPLE_QUERY), in the UI language.
_MESSAGES = {
    SearchState.IDLE: (
        "search",
        QT_TRANSLATE_NOOP("MainWindow", "Find photos by describing them"),
        QT_TRANSLATE_NOOP(
            "MainWindow",
            "Type what you are looking for above, like “%1”. Or drop a photo on this window "
            "(or paste one with Ctrl+V) to find similar ones.",
        ),
    ),
    SearchState.WAITING_MODEL: ("refresh", QT_TRANSLATE_NOOP("MainWindow", "Getting ready…"), ""),
    SearchState.EMPTY: ("search", QT_TRANSLATE_NOOP("MainWindow", "No matches"), ""),
    SearchState.ERROR: ("alert", QT_TRANSLATE_NOOP("MainWindow", "Cannot search"), ""),
}


class MainWindow(ImageDropTarget, LibraryActions, ModelActions, DuplicatesActions, QMainWindow):
    """The PhotoSearch window over one library.

    Give it an open library, or None and then ``open_library(opener)``: the window paints
    first and the library (and the engine's imports) open in the background.
    ``library_opened(library)`` or ``open_failed(exception)`` follows.
    """

    library_opened = Signal(object)
    open_failed = Signal(object)

    def __init__(
        self, library: Any = None, log_path: Path | None = None, index_on_start: bool = True
    ) -> None:
        super().__init__()
        self.setWindowTitle("PhotoSearch")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.library: Any = None
        self.index_on_start = index_on_start
        self._start_requested = False
        self._painted = False
        self._pending_opener: Callable[[], Any] | None = None
        self.report_open_failure = True  # main() handles it itself (and quits)
        self._preview_wanted = True  # Space hides and shows the preview pane
        self._restyling = False
        self._folders_refreshed_at = 0.0
        self.bridge = EngineBridge(None, self)
        self.reporter = ErrorReporter(self, log_path)
        self.bridge.unhandled_error.connect(self.reporter.report)
        # Replaceable so tests can answer without a modal dialog.
        self.ask_folder: Callable[[], Path | None] = self._ask_folder
        self.ask_model_folder: Callable[[], Path | None] = self._ask_model_folder
        self.confirm: Callable[[str, str], bool] = self._confirm

        self.model_presenter = ModelPresenter(self.bridge, self)
        self.index_presenter = IndexPresenter(self.bridge, self)
        self.watch_presenter = WatchPresenter(self.bridge, self)
        self.index_presenter.about_to_start.connect(self.watch_presenter.stop)
        self.watch_presenter.changed.connect(self._watched_changes)
        self.watch_presenter.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.library_presenter = LibraryPresenter(self.bridge, self.index_presenter, self)
        self.search_presenter = SearchPresenter(self.bridge, parent=self)
        for presenter in (
            self.model_presenter,
            self.index_presenter,
            self.library_presenter,
            self.search_presenter,
        ):
            presenter.error.connect(self.reporter.report)

        side = int(THUMB_SIDE * max(1.0, self.devicePixelRatioF()))
        self.thumbnail_cache: ThumbnailCache | None = None  # set when the library is open
        self.thumbnails = ThumbnailLoader(None, side, decode=load_thumbnail, parent=self)
        self.results_model = ResultsModel(self.thumbnails, self)
        self._build()
        self._connect()
        self._install_shortcuts()
        if library is not None:
            self.attach(library)
        else:
            self._set_library_controls(False)
            self.message_page.show_message(
                "photos", translate("MainWindow", "Opening your library…"), "")
            self.stack.setCurrentWidget(self.message_page)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_bar = SearchBar()
        self.filter_bar = FilterBar()
        self.understood_chips = UnderstoodChips()
        self.filter_bar.setVisible(False)
        self.model_banner = ModelBanner()
        self.model_banner.setVisible(False)
        self.similar_bar = SimilarBar()
        self.similar_bar.setVisible(False)
        self.notice_bar = NoticeBar()
        self.notice_bar.setVisible(False)
        self.folders_panel = FoldersPanel()
        self.results_view = ResultsView(THUMB_SIDE)
        self.results_view.setModel(self.results_model)
        self.first_run_page = FirstRunPage()
        self.message_page = MessagePage()
        self.stack = QStackedWidget()
        for page in (self.message_page, self.results_view, self.first_run_page):
            self.stack.addWidget(page)
        self.preview_pane = PreviewPane(self.bridge)
        self.actions = PhotoActions(self.bridge, self.statusBar(), self.reporter.report, self)
        self.index_panel = IndexPanel()
        self.index_panel.setVisible(False)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.folders_panel)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 720, 320])
        self.splitter.setCollapsible(1, False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 10, 10, 4)
        for widget in (self.notice_bar, self.search_bar, self.understood_chips, self.filter_bar,
                       self.model_banner, self.similar_bar):
            layout.addWidget(widget)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.index_panel)
        self.setCentralWidget(central)
        self.status_line = StatusLine(self.statusBar())
        self._add_duplicates_action()

    def _connect(self) -> None:
        sp, sb, lp, ip = (
            self.search_presenter,
            self.search_bar,
            self.library_presenter,
            self.index_presenter,
        )
        sb.text_changed.connect(sp.set_text)
        sb.submitted.connect(sp.search_now)
        sp.understood_changed.connect(self.understood_chips.set_understood)
        self.understood_chips.removed.connect(sp.remove_understood)
        sb.move_to_results.connect(self.results_view.focus_first)
        sb.paste_image.connect(self.paste)
        sb.sort_changed.connect(self.results_model.set_sort_order)
        sb.cut_off_changed.connect(sp.set_cut_off)
        sb.filters_toggled.connect(self._toggle_filters)
        sb.settings_requested.connect(self.open_settings)
        sb.people_requested.connect(self.open_people)
        self.filter_bar.filters_changed.connect(sp.set_filters)
        sp.results_ready.connect(self._show_results)
        sp.state_changed.connect(lambda state: self._show_search_state(SearchState(state)))
        sp.message_changed.connect(
            lambda message: self.status_line.set_search_message(
                message if self.search_presenter.state == SearchState.RESULTS else "",
                self.search_presenter.rerank_problem or "",
            )
        )
        sp.similar_changed.connect(self._show_similar_source)
        self.similar_bar.closed.connect(self.clear_search)

        self.model_presenter.state_changed.connect(self._model_state_changed)
        self.model_banner.settings_requested.connect(self.open_settings)
        self.model_banner.retry_requested.connect(self.model_presenter.load)
        self.model_banner.cancel_requested.connect(self.model_presenter.cancel)
        self.model_banner.choose_folder_requested.connect(self.choose_model_folder)
        self.model_banner.demo_requested.connect(self.use_demo_model)
        self.model_presenter.download_progress.connect(self.show_download_progress)

        lp.folders_changed.connect(self._folders_changed)
        lp.status_changed.connect(self.status_line.set_library_status)
        lp.cameras_changed.connect(self.filter_bar.set_cameras)
        lp.places_changed.connect(self.filter_bar.set_places)
        self.folders_panel.add_requested.connect(self.add_folder)
        self.first_run_page.add_requested.connect(self.add_folder)
        self.first_run_page.model_offer_accepted.connect(self.use_offered_model)
        self.folders_panel.remove_requested.connect(self.remove_folder)
        self.folders_panel.pause_requested.connect(lp.set_folder_paused)
        self.status_line.failures_requested.connect(self.open_failures)

        ip.running_changed.connect(self._indexing_changed)
        ip.progress_changed.connect(self.index_panel.set_progress)
        ip.progress_changed.connect(self._refresh_folders_now_and_then)
        ip.paused_changed.connect(self.index_panel.set_paused)
        ip.finished.connect(self._indexing_finished)
        self.index_panel.pause_clicked.connect(ip.toggle_pause)
        self.index_panel.cancel_clicked.connect(ip.cancel)
        self.index_panel.failures_clicked.connect(self.open_failures)

        rv, pp, act = self.results_view, self.preview_pane, self.actions
        rv.selectionModel().currentChanged.connect(lambda cur, _prev: self._current_changed(cur))
        for source in (rv, pp):
            source.open_requested.connect(act.open)
            source.reveal_requested.connect(act.reveal_in_file_manager)
            source.copy_path_requested.connect(act.copy_paths)
            source.copy_image_requested.connect(act.copy_image)
            source.find_similar_requested.connect(self.find_similar_to)
        rv.preview_requested.connect(self.toggle_preview)
        pp.play_requested.connect(act.play)

    def _install_shortcuts(self) -> None:
        def shortcut(keys: QKeySequence | str, slot: Callable[[], Any]) -> QShortcut:
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(slot)
            return sc

        self.find_shortcut = shortcut(QKeySequence.StandardKey.Find, self.focus_search)
        self.escape_shortcut = shortcut("Esc", self.clear_search)
        self.paste_shortcut = shortcut(QKeySequence.StandardKey.Paste, self.paste)
        self.people_shortcut = shortcut("Ctrl+Shift+P", self.open_people)

    # -- lifecycle ---------------------------------------------------------------------------

    def open_library(self, opener: Callable[[], Any]) -> None:
        """Run ``opener()`` (which returns an open Library) off the GUI thread once the window
        has painted, then attach and start it."""
        if not self._painted and self.isVisible():
            self._pending_opener = opener
            QTimer.singleShot(500, self._open_pending)  # in case no paint event comes
            return
        self.bridge.call(opener, self._opened, self._open_failed)

    def _open_pending(self) -> None:
        opener, self._pending_opener = self._pending_opener, None
        if opener is not None:
            self.bridge.call(opener, self._opened, self._open_failed)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._open_pending)

    def _opened(self, library: Any) -> None:
        self.attach(library)
        self.start()
        self.library_opened.emit(library)

    def _open_failed(self, exc: BaseException) -> None:
        message = getattr(exc, "user_message", None) or f"{type(exc).__name__}: {exc}"
        self.message_page.show_message(
            "alert", translate("MainWindow", "PhotoSearch cannot open the library"), message)
        self.stack.setCurrentWidget(self.message_page)
        self.open_failed.emit(exc)
        if self.report_open_failure:
            self.reporter.report(exc)

    def attach(self, library: Any) -> None:
        """Use the open ``library`` (the cheap getters ``home`` and ``settings`` are read)."""
        self.library = library
        self.bridge.library = library
        cache_mb = int(getattr(library.settings, "thumbnail_cache_mb", 512))
        folder = thumbnail_folder(Path(library.home))
        self.thumbnail_cache = ThumbnailCache(folder, cache_mb << 20)
        self.thumbnails.set_cache(self.thumbnail_cache)
        self._set_library_controls(True)
        self._show_search_state(self.search_presenter.state)
        if self._start_requested:
            self.start()

    def _set_library_controls(self, enabled: bool) -> None:
        for widget in (self.folders_panel, self.first_run_page, self.search_bar.settings_button,
                       self.duplicates_action):
            widget.setEnabled(enabled)

    def start(self) -> None:
        """Ask for the library's state and load the model in the background (after show())."""
        if self.library is None:
            self._start_requested = True
            return
        self._start_requested = False
        self.library_presenter.refresh()
        self.offer_recommended_model()
        self.model_presenter.load()
        # The first typed search would wait ~0.7 s for the date parser: load it alongside the
        # model, off the engine lane so that no search queues behind it.
        self.bridge.call(self.library.warm_up, lane="images")

    def shutdown(self) -> None:
        """Stop background work (idempotent); the caller closes the library."""
        if getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        self.watch_presenter.stop_now()
        self.thumbnails.shutdown()
        self.bridge.shutdown()
        for dialog in list(self.reporter.dialogs):
            dialog.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if (
            event.type()
            in (
                QEvent.Type.ApplicationPaletteChange,
                QEvent.Type.PaletteChange,
                QEvent.Type.ThemeChange,
            )
            and not self._restyling
        ):
            self._restyling = True  # re-applying the style sheet sends more of these events
            try:
                theme.follow_palette()
            finally:
                self._restyling = False
            self.status_line.set_model_state(self.model_presenter.state, self.model_presenter.text)
            for widget in (
                self.search_bar,
                self.folders_panel,
                self.preview_pane,
                self.index_panel,
                self.first_run_page,
                self.message_page,
                self.model_banner,
                self.similar_bar,
                self.notice_bar,
            ):
                widget.refresh_icons()
        super().changeEvent(event)

    # -- search ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box."""
        self.search_bar.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.search_box.selectAll()

    def clear_search(self) -> None:
        """Esc: clear the query, the similar-photo source and the results."""
        self.search_bar.set_text_silently("")
        self.search_presenter.clear()
        self.focus_search()

    def find_similar(self, image: Path | bytes, label: str) -> None:
        """Search for photos like ``image`` (a file path or encoded image bytes)."""
        self.search_bar.set_text_silently("")
        self.search_presenter.find_similar(image, label)

    def find_similar_to(self, hit: SearchHit) -> None:
        """ "Find similar" on a result (a video: like its frame at the best moment)."""
        moment = getattr(hit, "time_s", None) if getattr(hit, "kind", "photo") == "video" else None
        if moment is None:
            self.find_similar(hit.path, hit.path.name)
            return
        self.search_bar.set_text_silently("")
        self.search_presenter.find_similar(hit.path, f"{hit.path.name} at "
                                           f"{format_clock(moment)}", time_s=moment)

    def _show_results(self, hits: list[SearchHit]) -> None:
        # The same photos in a new order (the second stage finished): keep the one the user is
        # looking at selected and in view, rather than jumping back to the first.
        kept = self.results_model.hit(self.results_view.currentIndex().row())
        self.results_model.set_hits(hits)
        row = self.results_model.row_of(kept.photo_id) if kept is not None else None
        if row is not None:
            index = self.results_model.index(row, 0)
            self.results_view.setCurrentIndex(index)
            self.results_view.scrollTo(index)
        elif hits and self.results_view.currentIndex().row() < 0:
            self.results_view.setCurrentIndex(self.results_model.index(0, 0))
        elif not hits:
            self.preview_pane.show_hit(None)

    def _show_search_state(self, state: SearchState) -> None:
        if self.library is None:
            return  # "Opening your library…" or why it could not be opened
        first_run = self.library_presenter.first_run and not self.search_presenter.has_query()
        self.folders_panel.setVisible(not first_run)
        grid = state in (SearchState.RESULTS, SearchState.SEARCHING) or (
            state is SearchState.WAITING_MODEL and self.results_model.rowCount() > 0
        )
        self.preview_pane.setVisible(grid and not first_run and self._preview_wanted)
        if first_run:
            self.stack.setCurrentWidget(self.first_run_page)
            return
        if grid:
            self.stack.setCurrentWidget(self.results_view)
            return
        icon_name, title, text = _MESSAGES.get(state, _MESSAGES[SearchState.IDLE])
        if text:
            text = translate("MainWindow", text).replace("%1", example_query())
        self.message_page.show_message(
            icon_name, translate("MainWindow", title), text or self.search_presenter.message)
        self.stack.setCurrentWidget(self.message_page)

    def _show_similar_source(self, source: SimilarSource | None) -> None:
        if source is None:
            self.similar_bar.setVisible(False)
            return
        # after the similar search, which find_similar queues right after this signal
        QTimer.singleShot(0, lambda: self._describe_similar_source(source))
        if isinstance(source.image, bytes):
            self.similar_bar.show_source(source.label, QImage.fromData(source.image))
            return
        self.similar_bar.show_source(source.label, None)
        path = source.image
        self.bridge.call(
            lambda: pil_to_qimage(load_thumbnail(path, 96)),
            lambda image: (
                self.search_presenter.similar is source
                and self.similar_bar.show_source(source.label, image)
            ),
            lambda exc: None,
            lane="images",
        )

    def _describe_similar_source(self, source: SimilarSource) -> None:
        """Put the captions that describe a dropped or pasted image in the "similar to" bar."""
        if self.search_presenter.similar is not source or not self.preview_pane.captions.ready:
            return
        library, image = self.library, source.image
        rerank = None if library.matcher_ready else False  # never load the matcher in line
        language = caption_language()
        self.bridge.call(
            lambda: library.describe(image, k=3, rerank=rerank, lang=language),
            lambda hits: (self.search_presenter.similar is source
                          and self.similar_bar.show_captions([h.text for h in hits])),
            lambda exc: None,  # the similar search itself reports what is wrong with the image
        )

    def _toggle_filters(self, shown: bool) -> None:
        self.filter_bar.setVisible(shown)
        if not shown:
            self.filter_bar.clear()

    # -- preview -----------------------------------------------------------------------------

    def _current_changed(self, index: Any) -> None:
        hit = self.results_model.hit(index.row()) if index.isValid() else None
        if self.preview_pane.isVisible() or hit is None:
            self.preview_pane.show_hit(hit)

    def toggle_preview(self, hit: SearchHit) -> None:
        """Space: show the preview pane for ``hit``, or hide it if it already shows it."""
        if self.preview_pane.isVisible() and self.preview_pane.hit == hit:
            self._preview_wanted = False
            self.preview_pane.setVisible(False)
            return
        self._preview_wanted = True
        self.preview_pane.setVisible(True)
        self.preview_pane.show_hit(hit)

    # -- folders, indexing, model ------------------------------------------------------------

    def _folders_changed(self, folders: list[Any]) -> None:
        self.folders_panel.set_folders(folders)
        self.filter_bar.set_folders(folders)
        self._show_search_state(self.search_presenter.state)

    def _refresh_folders_now_and_then(self, *_: Any) -> None:
        """Keep folder counts moving during a long run (every few seconds)."""
        now = time.monotonic()
        if now - self._folders_refreshed_at > FOLDER_REFRESH_S:
            self._folders_refreshed_at = now
            self.library_presenter.refresh()

    def _indexing_changed(self, running: bool) -> None:
        if running:
            self.statusBar().clearMessage()
            self._folders_refreshed_at = time.monotonic()
            self.index_panel.reset()
        self.index_panel.setVisible(running)

    def _watched_changes(self) -> None:
        """Photos appeared, changed, moved or vanished while watching: refresh what is shown."""
        self.library_presenter.refresh()
        if self.search_presenter.has_query():
            self.search_presenter.search_now()

    def _indexing_finished(self, report: Any, summary: str) -> None:
        # Between passes the watch keeps the library current (it needs the writer lock).
        if not self.index_presenter.running:
            self.watch_presenter.start()
        changed = report is None or report.embedded or report.reused or report.removed
        if changed or report.failed:  # a catch-up run that found nothing new stays quiet
            self.statusBar().showMessage(summary, 8000)
        self.library_presenter.refresh()
        if changed:
            self.preview_pane.captions.refresh()  # indexing reads captions from the files
        if changed and self.search_presenter.has_query():
            self.search_presenter.search_now()  # newly indexed photos may match

    def _prepare_captions(self) -> None:
        """Embed the caption corpus for the model in the background, so that describing a
        photo never waits for it (nor holds up searches behind it)."""
        captions = self.preview_pane.captions
        captions.set_ready(False)
        self.bridge.start_job(
            lambda report: self.library.prepare_captions(on_progress=report,
                                                         lang=caption_language()),
            on_done=lambda _count: captions.set_ready(True),
            on_error=lambda _exc: captions.set_ready(True),  # describe then says what is wrong
        )

    def _model_state_changed(self, state: str, text: str) -> None:
        self.status_line.set_model_state(state, text)
        self.first_run_page.model_label.setText(
            "" if state == ModelState.READY
            else translate("MainWindow", "Model: %1").replace("%1", text)
        )
        if state == ModelState.READY:
            self.model_banner.setVisible(False)
            self.search_presenter.set_model_ready(True)
            self._prepare_captions()
            # While reranking is on, the matcher loads and the most recent photos' features are
            # prepared on an engine thread, so the first rerank starts warm (a no-op when off).
            self.bridge.call(self.library.prepare_reranking, lane="images")
            if self.index_on_start and self.library_presenter.folders:
                self.index_on_start = False
                self.index_presenter.start()
        elif state == ModelState.UNAVAILABLE:
            self.model_banner.show_problem(text, self.model_presenter.details)
            self.search_presenter.set_model_unavailable(text)
        elif state == ModelState.CANCELLED:
            self.model_banner.show_cancelled(text)
            self.search_presenter.set_model_unavailable(text)
        else:
            if state != ModelState.DOWNLOADING:
                self.model_banner.setVisible(False)  # loading: the status line says so
            self.search_presenter.set_model_ready(False)
