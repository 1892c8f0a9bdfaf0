"""What just happened, said in the status bar: "Converted 56 positions in Hall A",
"Deleted plan Phase 2 (3 conversions and their terms)", with an Undo button after a
destructive step. Views call `ctx.announce(text, undoable=True)`; the window owns one
`Announcement` and shows it. It goes after `SHOW_MS`, or when the undo stack moves on.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

SHOW_MS = 15000


class Announcement(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("announcement")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.label = QLabel()
        self.label.setObjectName("announcementText")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setObjectName("announcementUndo")
        self.undo_button.setFlat(True)
        self.undo_button.setStyleSheet("QPushButton { color: #1D4ED8; text-decoration: underline; padding: 0 4px; }")
        self.undo_button.clicked.connect(self._undo)
        row.addWidget(self.label)
        row.addWidget(self.undo_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self._stack = None
        self._index = -1
        self.clear()

    def follow(self, stack) -> None:
        """The undo stack whose step the Undo button takes back."""
        self._stack = stack
        stack.indexChanged.connect(self._stack_moved)
        self.clear()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget()) or self.label.text() else ""

    def show_text(self, text: str, undoable: bool = False) -> None:
        self.label.setText(text)
        self.label.setToolTip(text)
        self._index = self._stack.index() if self._stack is not None else -1
        self.undo_button.setVisible(undoable and self._stack is not None and self._stack.canUndo())
        self.undo_button.setToolTip(f"Undo {self._stack.undoText()}" if self.undo_button.isVisibleTo(self) else "")
        self.setVisible(bool(text))
        self._timer.start(SHOW_MS)

    def clear(self) -> None:
        self.label.setText("")
        self.undo_button.hide()
        self.hide()

    def _stack_moved(self, index: int) -> None:
        if index != self._index:   # undone, redone or another edit: the message is history
            self.undo_button.hide()

    def _undo(self) -> None:
        if self._stack is not None and self._stack.index() == self._index:
            self._stack.undo()
        self.clear()
