"""The commercial terms of the selected conversion as a form, beside the compact list of the
plan's conversions: every term readable at 1280x800 without scrolling sideways.

The form holds no data: it shows `terms_model.rows[...]` for the selected conversion, and a
changed field goes through `terms_model.edit` (the engine's rules, one undo step). A refusal is
said in the planner's words under the form; a valid but unusual value is stored and warned
about beside its field (desktop.model.field_words).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.ui.editors.fields import FieldEdit
from desktop.ui.plans.terms import COLUMNS, MODE_TEXT, applies
from desktop.ui.plans.terms_delegate import MonthSpinBox

WARNING_STYLE = "color: #B45309;"
UNITS = {"usd": "$", "usd_small": "$/kW-month", "usd_cents": "$ per GPU-hour", "pct": "%",
         "pct_year": "%/yr", "months": "months", "term": "months"}   # when field_words has no unit
COMPACT_KEYS = ("label", "start_month", "breaches")   # the list beside the form; the form has the rest


def _section(column) -> str:
    return column.modes[0] if len(column.modes) == 1 else "conversion"


class TermsForm(QWidget):
    refused = Signal(str)

    def __init__(self, terms_model, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("termsForm")
        self.model = terms_model
        self.conversion_id: int | None = None
        self.editors: dict[str, QWidget] = {}
        self.warnings: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(4, 0, 4, 0)
        self.form.setVerticalSpacing(3)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.title = QLabel("Select a conversion to edit its terms.")
        self.title.setObjectName("termsFormTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        self.form.addRow(self.title)
        for column in COLUMNS:
            if not column.editable:
                continue
            editor = self._editor(column)
            editor.setObjectName(f"term_{column.key}")
            warning = QLabel()
            warning.setStyleSheet(WARNING_STYLE)
            warning.setWordWrap(True)
            row = QHBoxLayout()
            row.setSpacing(6)
            row.addWidget(editor)
            unit = QLabel(field_words.unit(_section(column), column.key) or UNITS.get(column.unit, ""))
            unit.setStyleSheet("color: #5f6368;")
            row.addWidget(unit)
            row.addWidget(warning, 1)
            label = QLabel(column.header if column.key in ("mode", "start_month") else
                           field_words.label(_section(column), column.key))
            label.setToolTip(column.tip)
            self.form.addRow(label, row)
            self.editors[column.key], self.warnings[column.key], self.labels[column.key] = editor, warning, label
        self.load(None)

    # -- editors -----------------------------------------------------------------------------
    def _editor(self, column) -> QWidget:
        if column.kind == "mode":
            box = QComboBox()
            for mode, text in MODE_TEXT.items():
                box.addItem(text, mode)
            box.activated.connect(lambda _i, b=box, k=column.key: self._commit(k, b.currentData()))
            return box
        if column.kind == "month":
            spin = MonthSpinBox()
            spin.setMinimumWidth(170)
            spin.editingFinished.connect(lambda s=spin, k=column.key: self._commit(k, s.value()))
            return spin
        if column.kind == "bool":
            check = QCheckBox()
            check.clicked.connect(lambda on, k=column.key: self._commit(k, bool(on)))
            return check
        edit = FieldEdit(_section(column), column.key)
        edit.setMinimumWidth(110)
        edit.setMaximumWidth(140)
        edit.committed.connect(self._commit)
        edit.problem.connect(lambda key, message: self._problem(key, message))
        return edit

    # -- showing -----------------------------------------------------------------------------
    def conversion(self):
        return next((c for c in self.model.rows if c.id == self.conversion_id), None)

    def load(self, conversion_id: int | None) -> None:
        self.conversion_id = conversion_id
        conv = self.conversion()
        if conv is None:
            self.conversion_id = None
        self.title.setText(f"{conv.label or 'Conversion'}: commercial terms" if conv is not None
                           else "Select a conversion to edit its terms.")
        readonly = self.model.ctx.readonly
        for column in COLUMNS:
            if column.key not in self.editors:
                continue
            editor, warning = self.editors[column.key], self.warnings[column.key]
            shown = conv is not None and applies(column, conv.mode)
            editor.setEnabled(shown and not readonly)
            self.form.setRowVisible(self.labels[column.key], conv is None or shown)
            warning.setText("")
            if not shown:
                continue
            value = getattr(conv, column.key)
            for widget in (editor,):
                widget.blockSignals(True)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            elif isinstance(editor, MonthSpinBox):
                editor.set_calendar(self.model.start_month, self.model.horizon)
                editor.setValue(int(value))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            else:
                editor.set_value(value)
                editor.setReadOnly(readonly)
                warning.setText(field_words.plausibility(conv.mode, column.key, value) or "")
                warning.setToolTip(field_words.typical(conv.mode, column.key))
            editor.blockSignals(False)

    def reload(self) -> None:
        self.load(self.conversion_id)

    # -- editing -----------------------------------------------------------------------------
    def _problem(self, key: str, message: str) -> None:
        if message:
            conv = self.conversion()
            self.refused.emit(field_words.sentence(conv.mode if conv else "conversion", key, message))

    def _commit(self, key: str, value) -> None:
        conv = self.conversion()
        if conv is None or getattr(conv, key) == value:
            return
        try:
            self.model.edit(conv.id, key, value)
        except InputError as exc:
            self.refused.emit(field_words.explain(exc.field, exc.message, conv.mode))
            self.reload()
            return
        self.reload()
