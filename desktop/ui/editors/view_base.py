"""What the editor views share: the context, a toolbar of buttons, a status line for refusals,
and confirmation/warning hooks that tests replace (no modal loop in tests)."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

STATUS_STYLE = "color: #c62828;"
HINT_STYLE = "color: #5f6368;"


class EditorView(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.status = QLabel()
        self.status.setObjectName("editorStatus")
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setWordWrap(True)

    # hooks (tests replace them) -----------------------------------------------------------
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def warn(self, title: str, text: str) -> None:
        self.report(text)
        QMessageBox.warning(self, title, text)

    def report(self, message: str) -> None:
        self.status.setText(message)

    @property
    def readonly(self) -> bool:
        return self.ctx.readonly


def button_row(*buttons: QPushButton, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        row.addWidget(button)
    if stretch:
        row.addStretch(1)
    return row


def button(text: str, name: str, slot, tip: str = "") -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(HINT_STYLE)
    return label


def style_table(table) -> None:
    """Compact rows, one line per cell, no row numbers: a table a planner scans."""
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)


def fit_columns(table, padding: int = 18, max_width: int = 360) -> None:
    """Columns as wide as their contents plus some air, none wider than `max_width`."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(header.count() - 1):
        header.resizeSection(column, min(max_width, header.sectionSize(column) + padding))
