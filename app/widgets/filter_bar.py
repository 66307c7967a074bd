"""Filters for folder, date range, camera and place; emits a ``SearchFilters`` on every change."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QPushButton, QWidget

from app.engine_access import search_filters
from app.i18n import translate


class FilterBar(QWidget):
    """Folder and camera pickers and an optional date range ("from" inclusive, "to" inclusive)."""

    filters_changed = Signal(object)  # SearchFilters

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._emitting = True
        self.folder_combo = QComboBox()
        self.folder_combo.addItem(translate("FilterBar", "All folders"), None)
        self.folder_combo.setMinimumContentsLength(18)
        self.folder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.after_check = QCheckBox(translate("FilterBar", "From"))
        self.after_edit = self._date_edit(QDate.currentDate().addYears(-1))
        self.before_check = QCheckBox(translate("FilterBar", "To"))
        self.before_edit = self._date_edit(QDate.currentDate())
        self.camera_combo = QComboBox()
        self.camera_combo.addItem(translate("FilterBar", "Any camera"), None)
        self.camera_combo.setMinimumContentsLength(14)
        self.place_combo = QComboBox()
        self.place_combo.addItem(translate("FilterBar", "Any place"), None)
        self.place_combo.setMinimumContentsLength(14)
        self.place_combo.setToolTip(translate(
            "FilterBar", "Where the photo was taken (from its GPS position)"))
        self.clear_button = QPushButton(translate("FilterBar", "Clear filters"))

        for signal in (
            self.folder_combo.currentIndexChanged,
            self.camera_combo.currentIndexChanged,
            self.place_combo.currentIndexChanged,
            self.after_check.toggled,
            self.before_check.toggled,
            self.after_edit.dateChanged,
            self.before_edit.dateChanged,
        ):
            signal.connect(self._changed)
        self.after_check.toggled.connect(self.after_edit.setEnabled)
        self.before_check.toggled.connect(self.before_edit.setEnabled)
        self.clear_button.clicked.connect(self.clear)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.folder_combo)
        layout.addSpacing(8)
        layout.addWidget(self.after_check)
        layout.addWidget(self.after_edit)
        layout.addWidget(self.before_check)
        layout.addWidget(self.before_edit)
        layout.addSpacing(8)
        layout.addWidget(self.camera_combo)
        layout.addWidget(self.place_combo)
        layout.addStretch(1)
        layout.addWidget(self.clear_button)

    @staticmethod
    def _date_edit(initial: QDate) -> QDateEdit:
        edit = QDateEdit(initial)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
        edit.setEnabled(False)
        return edit

    def filters(self) -> Any:
        """The filters as set now (an ``engine.api.SearchFilters``)."""
        after = self._day(self.after_edit) if self.after_check.isChecked() else None
        before = None
        if self.before_check.isChecked():
            before = self._day(self.before_edit.date().addDays(1))  # "to" includes that day
        folder = self.folder_combo.currentData()
        return search_filters(
            after=after,
            before=before,
            folder=Path(folder) if folder else None,
            camera=self.camera_combo.currentData(),
            places=(self.place_combo.currentData(),) if self.place_combo.currentData() else (),
        )

    @staticmethod
    def _day(value: QDateEdit | QDate) -> date:
        qdate = value.date() if isinstance(value, QDateEdit) else value
        return date(qdate.year(), qdate.month(), qdate.day())

    def clear(self) -> None:
        """Remove every filter."""
        self._emitting = False
        self.folder_combo.setCurrentIndex(0)
        self.camera_combo.setCurrentIndex(0)
        self.place_combo.setCurrentIndex(0)
        self.after_check.setChecked(False)
        self.before_check.setChecked(False)
        self._emitting = True
        self._changed()

    def set_folders(self, folders: list[Any]) -> None:
        """Offer the library's folders (``FolderInfo`` values), keeping the selection."""
        self._refill(
            self.folder_combo, translate(
                "FilterBar", "All folders"), [(str(f.path), str(f.path)) for f in folders]
        )

    def set_cameras(self, cameras: list[str]) -> None:
        """Offer the cameras found in the library."""
        self._refill(self.camera_combo, translate(
            "FilterBar", "Any camera"), [(c, c) for c in cameras])

    def set_places(self, places: list[Any]) -> None:
        """Offer the places of the library's photos (``PlaceCount`` values: city, country,
        photos), most photos first."""
        self._refill(self.place_combo, translate("FilterBar", "Any place"),
                     [(f"{p.city}, {p.country} ({p.photos})" if p.country
                       else f"{p.city} ({p.photos})", p.city) for p in places])

    def _refill(self, combo: QComboBox, any_label: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        self._emitting = False
        combo.clear()
        combo.addItem(any_label, None)
        for label, data in items:
            combo.addItem(label, data)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        self._emitting = True
        if current is not None and index < 0:
            self._changed()  # the selected folder/camera is gone

    def _changed(self, *_: object) -> None:
        if self._emitting:
            self.filters_changed.emit(self.filters())
