"""Editors for the terms table: a choice for the mode, the app's month box (2027-06 (Jun)), and a
plain text field for amounts (the model parses "$9,000,000" or "9e6" and refuses the rest)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate

from desktop.ui.month_spin import MonthSpinBox
from desktop.ui.plans.terms import COLUMNS, MODE_TEXT

__all__ = ["MonthSpinBox", "TermsDelegate"]


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
