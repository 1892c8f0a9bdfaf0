"""A spin box over the horizon's month offsets that shows and reads `YYYY-MM`."""
from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox

from desktop.model.errors import InputError
from desktop.model.months import month_label, month_offset

_PARTIAL = re.compile(r"^\d{0,4}(-\d{0,2})?$")


class MonthSpinBox(QSpinBox):
    def __init__(self, start_month: str = "2026-01", horizon_months: int = 120, parent=None):
        super().__init__(parent)
        self.start_month = start_month
        self.setRange(0, max(0, horizon_months - 1))
        self.setAccelerated(True)

    def set_calendar(self, start_month: str, horizon_months: int) -> None:
        self.start_month = start_month
        self.setRange(0, max(0, horizon_months - 1))
        self.lineEdit().setText(self.textFromValue(self.value()))

    def textFromValue(self, value: int) -> str:
        return month_label(self.start_month, int(value))

    def valueFromText(self, text: str) -> int:
        try:
            return month_offset(self.start_month, text.strip())
        except InputError:
            return self.value()

    def validate(self, text: str, pos: int):
        text = text.strip()
        try:
            offset = month_offset(self.start_month, text)
        except InputError:
            state = QValidator.State.Intermediate if _PARTIAL.match(text) else QValidator.State.Invalid
            return state, text, pos
        ok = self.minimum() <= offset <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos
