"""The row at the top: search box, sort order, relevance cut-off, filters and settings buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app import desktop, theme
from app.i18n import example_query, translate
from app.models.results_model import SortOrder


class SearchBar(QWidget):
    """Emits what the user asks for; holds no search logic."""

    text_changed = Signal(str)
    submitted = Signal()
    move_to_results = Signal()  # Down arrow in the search box
    sort_changed = Signal(object)  # SortOrder
    cut_off_changed = Signal(bool)
    filters_toggled = Signal(bool)
    settings_requested = Signal()
    people_requested = Signal()
    paste_image = Signal()  # Ctrl+V in the search box with an image on the clipboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(
            translate("SearchBar", "Describe a photo, e.g. “%1”, or drop a photo here").replace(
                "%1", example_query())
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_action = self.search_box.addAction(
            theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search_box.textChanged.connect(self.text_changed)
        self.search_box.returnPressed.connect(self.submitted)
        self.search_box.installEventFilter(self)

        self.sort_combo = QComboBox()
        self.sort_combo.addItem(translate("SearchBar", "Best match first"), SortOrder.RELEVANCE)
        self.sort_combo.addItem(translate("SearchBar", "Newest first"), SortOrder.DATE)
        self.sort_combo.setToolTip(translate(
            "SearchBar", "Sort results by relevance or by the date taken"))
        self.sort_combo.currentIndexChanged.connect(
            lambda _: self.sort_changed.emit(SortOrder(self.sort_combo.currentData()))
        )

        self.cut_off_check = QCheckBox(translate("SearchBar", "Best matches only"))
        self.cut_off_check.setChecked(True)
        self.cut_off_check.setToolTip(
            translate(
                "SearchBar",
                "Hide the long tail of weak matches. The cut-off adapts to each query's scores.",
            )
        )
        self.cut_off_check.toggled.connect(self.cut_off_changed)

        self.filters_button = QToolButton()
        self.filters_button.setIcon(theme.icon("filter"))
        self.filters_button.setText(translate("SearchBar", "Filters"))
        self.filters_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.filters_button.setCheckable(True)
        self.filters_button.setToolTip(translate("SearchBar", "Filter by folder, date and camera"))
        self.filters_button.toggled.connect(self.filters_toggled)

        self.people_button = QToolButton()
        self.people_button.setText(translate("SearchBar", "People"))
        self.people_button.setToolTip(translate(
            "SearchBar", "The people found in your photos (Ctrl+Shift+P)"))
        self.people_button.clicked.connect(self.people_requested)

        self.settings_button = QToolButton()
        self.settings_button.setIcon(theme.icon("settings"))
        self.settings_button.setToolTip(translate("SearchBar", "Settings"))
        self.settings_button.clicked.connect(self.settings_requested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_box, 1)
        layout.addWidget(self.sort_combo)
        layout.addWidget(self.cut_off_check)
        layout.addWidget(self.filters_button)
        layout.addWidget(self.people_button)
        layout.addWidget(self.settings_button)

    def set_text_silently(self, text: str) -> None:
        """Show ``text`` without emitting ``text_changed``."""
        self.search_box.blockSignals(True)
        self.search_box.setText(text)
        self.search_box.blockSignals(False)

    def refresh_icons(self) -> None:
        """Re-tint icons after a palette change."""
        self.search_action.setIcon(theme.icon("search"))
        self.filters_button.setIcon(theme.icon("filter"))
        self.settings_button.setIcon(theme.icon("settings"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search_box and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
                self.move_to_results.emit()
                return True
            if event.matches(QKeySequence.StandardKey.Paste) and self._clipboard_has_image():
                if event.type() == QEvent.Type.KeyPress:
                    self.paste_image.emit()
                event.accept()  # the line edit must not paste the image's file name as text
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _clipboard_has_image() -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return mime is not None and desktop.can_accept(mime)
