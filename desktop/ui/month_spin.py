"""The one month editor: a spin box over the horizon's month offsets that writes a month one
way everywhere, `2027-06 (Jun)` (the model's YYYY-MM with the month's name beside it), and
reads `2027-06`, `2027-06 (Jun)`, `Jun 2027`, `m6` or `6`. Wide enough to show its value."""
from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox

from desktop.model.errors import InputError
from desktop.model.months import MONTH_NAMES, month_display, month_label, month_offset

_PARTIAL = re.compile(r"^\d{0,4}(-\d{0,2})?( \(\w*\)?)?$")
_WORDS = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")


class MonthSpinBox(QSpinBox):
    def __init__(self, start_month: str = "2026-01", horizon_months: int = 120, parent=None):
        super().__init__(parent)
        self.start_month = start_month
        self.setRange(0, max(0, horizon_months - 1))
        self.setKeyboardTracking(False)
        self.setAccelerated(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("2027-09 (Sep)") + 44)

    def set_calendar(self, start_month: str, horizon_months: int) -> None:
        self.start_month = start_month
        self.setRange(0, max(0, horizon_months - 1))
        self.lineEdit().setText(self.textFromValue(self.value()))

    def textFromValue(self, value: int) -> str:
        return month_display(month_label(self.start_month, int(value)))

    def parse(self, text: str) -> int | None:
        """The month offset `text` names, or None."""
        text = text.strip()
        if text.startswith("m") and text[1:].isdigit():
            return int(text[1:])
        if text.lstrip("-").isdigit():
            return int(text)
        words = _WORDS.match(text)
        if words and words.group(1).title() in MONTH_NAMES:
            text = f"{words.group(2)}-{MONTH_NAMES.index(words.group(1).title()) + 1:02d}"
        try:
            return month_offset(self.start_month, text.split(" (")[0])
        except InputError:
            return None

    def valueFromText(self, text: str) -> int:
        value = self.parse(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):
        value = self.parse(text)
        if value is None:
            state = QValidator.State.Intermediate if _PARTIAL.match(text.strip()) or text.strip()[:1].isalpha() \
                else QValidator.State.Invalid
            return state, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos
