"""Input widgets checked as the planner types, by the one rule table (desktop.model.field_rules).

`FieldEdit` is a line edit for one field of one section: while the text breaks the field's
rule it turns red and its tooltip (and the `problem` signal) says why; Enter or leaving the
field hands a valid, changed value to `committed`. An invalid value is never handed on.
`ChoiceEdit` is the combo-box equivalent for choice fields.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from desktop.model import field_rules

ERROR_STYLE = "QLineEdit { border: 1px solid #c62828; background: #fdecea; }"
WARNING_STYLE = "QLineEdit { border: 1px solid #b45309; background: #fff7e6; }"


def format_value(value) -> str:
    """A value as the edit shows it: no exponent, no thousands separators, no trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return str(value)


class FieldEdit(QLineEdit):
    committed = Signal(str, object)       # key, the new valid value
    problem = Signal(str, str)            # key, message ("" when fine)
    warning = Signal(str, str)            # key, "unusually high (...)" ("" when plausible)

    def __init__(self, section: str, key: str, parent=None):
        super().__init__(parent)
        self.section, self.key = section, key
        self.setObjectName(f"field_{key}")
        self._value = None
        self._help = field_rules.describe(section, key)
        self._message = ""
        self._warning = ""
        self._refused_text: str | None = None   # a value the store refused: not offered again
        self.setToolTip(self._help)
        self.textEdited.connect(self._check)
        self.editingFinished.connect(self._finish)

    # -- state -------------------------------------------------------------------------
    def set_value(self, value) -> None:
        """Show a stored value (clears any error)."""
        self._value = value
        self.setText(format_value(value))
        self.setCursorPosition(0)
        self._set_message("")

    def stored_value(self):
        return self._value

    def parsed(self):
        """(value, message) of the current text."""
        return field_rules.parse(self.section, self.key, self.text())

    @property
    def message(self) -> str:
        return self._message

    @property
    def warning_text(self) -> str:
        """Why a valid value looks implausible (stored all the same), or ""."""
        return self._warning

    def show_error(self, message: str) -> None:
        """Mark the field refused (by the rule, or by the store: a duplicate name)."""
        self._refused_text = self.text()
        self._set_message(message)

    # -- typing ------------------------------------------------------------------------
    def _set_message(self, message: str) -> None:
        warning = "" if message else self._plausibility()
        if message == self._message and warning == self._warning:
            return
        self._message, self._warning = message, warning
        self.setStyleSheet(ERROR_STYLE if message else WARNING_STYLE if warning else "")
        typical = field_rules.typical(self.section, self.key)
        help_text = self._help + (f"\n{typical[0].upper()}{typical[1:]}" if typical else "")
        note = message or warning
        self.setToolTip(f"{note}\n\n{help_text}" if note else help_text)
        self.setProperty("invalid", bool(message))
        self.problem.emit(self.key, message)
        self.warning.emit(self.key, warning)

    def _plausibility(self) -> str:
        value, message = self.parsed()
        return "" if message else (field_rules.plausibility(self.section, self.key, value) or "")

    def _check(self, _text: str = "") -> None:
        self._refused_text = None
        _, message = self.parsed()
        self._set_message(message or "")

    def _finish(self) -> None:
        if not self.isVisible():
            return  # focus left because the window is closing
        self._commit()

    def _commit(self) -> None:
        if self.isReadOnly() or self.text() == self._refused_text:
            return  # (refused: the reason is already shown)
        value, message = self.parsed()
        if message:
            self._set_message(message)
            return
        self._set_message("")
        if value != self._value:
            self.committed.emit(self.key, value)

    def commit_now(self) -> None:
        """What Enter does (for tests and for a form's Apply)."""
        self._refused_text = None
        self._commit()


class ChoiceEdit(QComboBox):
    committed = Signal(str, object)

    def __init__(self, section: str, key: str, parent=None):
        super().__init__(parent)
        self.section, self.key = section, key
        self.setObjectName(f"field_{key}")
        rule = field_rules.rule(section, key)
        self.addItems(list(rule.choices))
        self.setToolTip(field_rules.describe(section, key))
        self._value = None
        self.activated.connect(self._activated)

    def set_value(self, value) -> None:
        self._value = value
        index = self.findText(str(value)) if value is not None else -1
        self.setCurrentIndex(index)

    def stored_value(self):
        return self._value

    def _activated(self, index: int) -> None:
        value = self.itemText(index)
        if value != self._value and field_rules.check(self.section, self.key, value) is None:
            self.committed.emit(self.key, value)

    def choose(self, value: str) -> None:
        """Pick a value as a user would (for tests)."""
        index = self.findText(value)
        self.setCurrentIndex(index)
        self._activated(index)


class BoolEdit(QCheckBox):
    """The check-box equivalent for true/false fields (a site's miners yielding to firm load)."""
    committed = Signal(str, object)

    def __init__(self, section: str, key: str, parent=None):
        super().__init__(parent)
        self.section, self.key = section, key
        self.setObjectName(f"field_{key}")
        self.setToolTip(field_rules.describe(section, key))
        self._value = None
        self.clicked.connect(self._clicked)

    def set_value(self, value) -> None:
        self._value = value
        self.setChecked(bool(value))

    def stored_value(self):
        return self._value

    def _clicked(self, checked: bool) -> None:
        if bool(checked) != bool(self._value):
            self.committed.emit(self.key, bool(checked))
