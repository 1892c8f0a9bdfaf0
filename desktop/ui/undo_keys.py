"""Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y reach the project's undo stack wherever the focus is.

A line edit, a spin box or an editable combo box takes the undo keys for itself (Qt sends
it a ShortcutOverride and it accepts), so after a value was typed and committed with Tab
or Enter, Ctrl+Z would only undo the widget's own typing and never the stored edit. This
filter, installed on the application, lets such a widget keep the keys only while it
holds typing that is not committed yet (as Qt Creator does: the field undoes its own
typing first); once committed (editingFinished) the keys go to the menu's Undo and Redo.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit

_COMMITTED_HOOK = "_rackshift_undo_hook"
_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
_EXTRA_REDO = QKeySequence("Ctrl+Y")


def _line_edit(widget) -> QLineEdit | None:
    if isinstance(widget, QLineEdit):
        return widget
    if isinstance(widget, QAbstractSpinBox):
        return widget.lineEdit()
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    return None


def is_undo_key(event) -> bool:
    if any(event.matches(key) for key in _KEYS):
        return True
    combined = QKeySequence(event.keyCombination())
    return combined.matches(_EXTRA_REDO) == QKeySequence.SequenceMatch.ExactMatch


def _mark_committed(edit: QLineEdit) -> None:
    edit.setModified(False)


class UndoKeysFilter(QObject):
    """Application event filter; one per application (see `install`)."""

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            edit = _line_edit(watched)
            if edit is not None and not watched.property(_COMMITTED_HOOK):
                watched.setProperty(_COMMITTED_HOOK, True)
                # a spin box says editingFinished itself (Enter does not reach its line edit)
                source = watched if isinstance(watched, QAbstractSpinBox) else edit
                source.editingFinished.connect(lambda e=edit: _mark_committed(e))
                edit.setModified(False)
        elif kind == QEvent.Type.ShortcutOverride and is_undo_key(event):
            edit = _line_edit(watched)
            if edit is not None and not (edit.isModified() and not edit.isReadOnly()):
                event.ignore()
                return True  # not taken by the widget: the window's Undo/Redo shortcut fires
        return False


_installed: dict[int, UndoKeysFilter] = {}


def install(app) -> UndoKeysFilter:
    """Install the filter once on `app` (the main window calls this)."""
    if id(app) not in _installed:
        undo_filter = UndoKeysFilter(app)
        app.installEventFilter(undo_filter)
        _installed[id(app)] = undo_filter
    return _installed[id(app)]
