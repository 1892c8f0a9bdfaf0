"""Editors for the terms table: a choice for the mode, a month box that reads as a date, and a
plain text field for amounts (the model parses "$9,000,000" or "9e6" and refuses the rest)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QStyledItemDelegate

from desktop.charts.axes import MONTH_NAMES, month_index, month_text
from desktop.ui.plans.terms import COLUMNS, MODE_TEXT


class MonthSpinBox(QSpinBox):
    """A month offset shown as "Jun 2027 (m6)"; steps by one month."""

    def __init__(self, start_month: str = "2026-01", horizon: int = 120, parent=None):
        super().__init__(parent)
        self.start_month = start_month
        self.setRange(0, max(horizon - 1, 0))
        self.setKeyboardTracking(False)

    def set_calendar(self, start_month: str, horizon: int) -> None:
        self.start_month = start_month
        self.setRange(0, max(horizon - 1, 0))
        self.lineEdit().setText(self.textFromValue(self.value()))

    def textFromValue(self, value: int) -> str:
        return f"{month_text(self.start_month, value)} (m{value})"

    def parse(self, text: str) -> int | None:
        """"Jun 2027 (m6)", "Jun 2027", "m6" or "6" -> 6; None when it is none of these."""
        text = text.strip()
        if "(m" in text:
            text = text.split("(m")[1].rstrip(")")
        text = text.lstrip("m")
        if text.lstrip("-").isdigit():
            return int(text)
        parts = text.split()
        if len(parts) == 2 and parts[0][:3].title() in MONTH_NAMES and parts[1].isdigit():
            return int(parts[1]) * 12 + MONTH_NAMES.index(parts[0][:3].title()) - month_index(self.start_month)
        return None

    def valueFromText(self, text: str) -> int:
        value = self.parse(text)
        return self.value() if value is None else value

    def validate(self, text, pos):
        value = self.parse(text)
        ok = value is not None and self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


class TermsDelegate(QStyledItemDelegate):
    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent, option, index):
        column = COLUMNS[index.column()]
        if column.kind == "mode":
            box = QComboBox(parent)
            for mode, text in MODE_TEXT.items():
                box.addItem(text, mode)
            return box
        if column.kind == "month":
            return MonthSpinBox(self.model.start_month, self.model.horizon, parent)
        if column.kind in ("number", "int"):
            edit = QLineEdit(parent)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            return edit
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, MonthSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else f"{value:g}" if isinstance(value, float) else str(value))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, MonthSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
