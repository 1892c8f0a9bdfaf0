"""A form over the fields of one record (a site, a hall): label, checked input, unit and the
reason a value is refused, row by row.

The form holds no data of its own: `load(record)` shows a record (a dict, or None for
nothing selected), and a valid changed field goes to `on_commit(key, old, new)`, which
writes it through the undo stack. If the store refuses it (a duplicate name), the callback
raises InputError and the form marks the field with the message; nothing was written.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QWidget

from desktop.model import field_rules
from desktop.model.errors import InputError
from desktop.ui.editors.fields import BoolEdit, ChoiceEdit, FieldEdit

ERROR_LABEL_STYLE = "color: #c62828;"
WARNING_LABEL_STYLE = "color: #b45309;"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    unit: str = ""
    width: int = 120


class RecordForm(QWidget):
    def __init__(self, section: str, specs: list[FieldSpec], on_commit: Callable[[str, object, object], None],
                 parent=None):
        super().__init__(parent)
        self.section, self.specs, self._on_commit = section, specs, on_commit
        self.fields: dict[str, FieldEdit | ChoiceEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self._record: dict | None = None
        layout = QFormLayout(self)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setVerticalSpacing(4)
        for spec in specs:
            rule = field_rules.rule(section, spec.key)
            edit = (ChoiceEdit(section, spec.key) if rule.kind == "choice" else
                    BoolEdit(section, spec.key) if rule.kind == "bool" else FieldEdit(section, spec.key))
            edit.setMinimumWidth(spec.width)
            if spec.width < 300:
                edit.setMaximumWidth(spec.width)
            edit.committed.connect(self._commit)
            if isinstance(edit, FieldEdit):
                edit.problem.connect(self._show_problem)
                edit.warning.connect(self._show_warning)
            unit = QLabel(spec.unit)
            unit.setMinimumWidth(max(64, unit.sizeHint().width()))
            unit.setStyleSheet("color: #5f6368;")
            error = QLabel()
            error.setObjectName(f"error_{spec.key}")
            error.setStyleSheet(ERROR_LABEL_STYLE)
            error.setWordWrap(True)
            error.setMinimumWidth(120)
            row = QHBoxLayout()
            row.setSpacing(6)
            row.addWidget(edit)
            row.addWidget(unit)
            row.addWidget(error, 1)
            label = QLabel(spec.label)
            label.setMinimumWidth(label.sizeHint().width())   # a row's name is never cut
            layout.addRow(label, row)
            self.fields[spec.key] = edit
            self.errors[spec.key] = error
        self.load(None)

    # -- showing -------------------------------------------------------------------------
    def load(self, record: dict | None, readonly: bool = False) -> None:
        self._record = dict(record) if record else None
        for key, edit in self.fields.items():
            edit.set_value(record.get(key) if record else None)
            edit.setEnabled(record is not None)
            if isinstance(edit, FieldEdit):
                edit.setReadOnly(readonly)
            else:
                edit.setEnabled(record is not None and not readonly)
            if isinstance(edit, FieldEdit) and edit.warning_text:
                self._show_warning(key, edit.warning_text)
            else:
                self.errors[key].setText("")

    @property
    def record(self) -> dict | None:
        return self._record

    def message(self, key: str) -> str:
        return self.errors[key].text()

    # -- editing -------------------------------------------------------------------------
    def _show_problem(self, key: str, message: str) -> None:
        self.errors[key].setStyleSheet(ERROR_LABEL_STYLE)
        self.errors[key].setText(message)

    def _show_warning(self, key: str, warning: str) -> None:
        """A valid but unusual value: said in amber beside the field (it is stored)."""
        if getattr(self.fields[key], "message", ""):
            return
        self.errors[key].setStyleSheet(WARNING_LABEL_STYLE)
        self.errors[key].setText(warning)
        self.errors[key].setToolTip(self.fields[key].toolTip() if warning else "")

    def warning(self, key: str) -> str:
        edit = self.fields[key]
        return edit.warning_text if isinstance(edit, FieldEdit) else ""

    def _commit(self, key: str, value) -> None:
        if self._record is None:
            return
        old = self._record.get(key)
        try:
            self._on_commit(key, old, value)
        except InputError as exc:
            edit = self.fields[key]
            if isinstance(edit, FieldEdit):
                edit.show_error(exc.message)
            else:
                edit.set_value(old)
            self.errors[key].setText(exc.message)
            return
        self._record[key] = value
        edit = self.fields[key]
        self._show_warning(key, edit.warning_text if isinstance(edit, FieldEdit) else "")
