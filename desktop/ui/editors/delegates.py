"""Editing a table cell with the same checks as a form field: a red editor with the reason as
you type, a combo box for choices; a refused value is never handed to the model."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from desktop.model import field_rules
from desktop.ui.editors.fields import FieldEdit
from desktop.ui.editors.table_model import KEY_ROLE, RecordTableModel


class RuleDelegate(QStyledItemDelegate):
    """`report(message)` is told why a value was refused (or "" when one was accepted)."""

    def __init__(self, model: RecordTableModel, report: Callable[[str], None], parent=None):
        super().__init__(parent)
        self.model, self.report = model, report

    def _column(self, index):
        key = index.data(KEY_ROLE)
        return self.model.columns[self.model.column_of(key)]

    def createEditor(self, parent, option, index):
        column = self._column(index)
        rule = field_rules.rule(column.section, column.key)
        if rule.kind == "choice":
            editor = QComboBox(parent)
            editor.addItems(list(rule.choices))
            return editor
        editor = FieldEdit(column.section, column.key, parent)
        editor.problem.connect(lambda _key, message: self.report(f"{column.title}: {message}" if message else ""))
        return editor

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findText(str(value))))
        else:
            editor.set_value(value)

    def setModelData(self, editor, model, index):
        column = self._column(index)
        if isinstance(editor, QComboBox):
            value = editor.currentText()
        else:
            value, message = editor.parsed()
            if message:
                self.report(f"{column.title}: {message}; not changed")
                return
        if model.setData(index, value, Qt.ItemDataRole.EditRole):
            self.report("")
        elif self.model.last_error is not None:
            self.report(f"{self.model.last_error}; not changed")
