"""What the search understood, as removable chips under the search box: "place Lisbon ×",
"2019 ×", '"wifi password" ×'. Removing a chip searches again with that chip's words as plain
words (the other chips stay), so a word taken for a place or a date can be searched as a word."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.i18n import translate

# What the engine understood, by kind ("place Lisbon"); dates and quoted text show as they are.
_KINDS = {
    "place": QT_TRANSLATE_NOOP("UnderstoodChips", "place %1"),
    "person": QT_TRANSLATE_NOOP("UnderstoodChips", "person %1"),
}


def chip_label(understood: Any) -> str:
    """'place Lisbon', '2019', '"wifi password"'."""
    if understood.kind in ("date", "text"):
        return str(understood.label)
    if understood.kind in _KINDS:
        return translate("UnderstoodChips", _KINDS[understood.kind]).replace(
            "%1", str(understood.label))
    return f"{understood.kind} {understood.label}"


class UnderstoodChips(QWidget):
    """A row of chips; hidden while nothing was understood."""

    removed = Signal(object)  # the Understood value whose chip was removed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("understoodChips")
        self.chips: list[QToolButton] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._title = QLabel(translate("UnderstoodChips", "Understood:"))
        self._layout.addWidget(self._title)
        self._layout.addStretch(1)
        self.setVisible(False)

    def set_understood(self, understood: list[Any]) -> None:
        """Show one chip per understood thing (an empty list hides the row)."""
        for chip in self.chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for n, item in enumerate(understood):
            chip = QToolButton()
            chip.setText(f"{chip_label(item)}  ×")
            chip.setToolTip(translate("UnderstoodChips", "Remove: search these words as words"))
            chip.setAutoRaise(False)
            chip.clicked.connect(lambda _=False, value=item: self.removed.emit(value))
            self._layout.insertWidget(1 + n, chip)
            self.chips.append(chip)
        self.setVisible(bool(understood))
