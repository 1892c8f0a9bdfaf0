"""What the editor views share: the context, a toolbar of buttons, a status line for refusals,
and confirmation/warning hooks that tests replace (no modal loop in tests)."""
from __future__ import annotations


from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QWidget

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

    # following the tree ---------------------------------------------------------------------
    def follow_tree(self) -> None:
        """Call `follow_selection(kind, id)` when the tree's selection really moves.

        The tree reloads after every edit of sites or halls and, while it refills, says
        "selected" for several items before it settles back on the one it had. So the view
        takes the last word once the event loop is free, and only if it differs from the
        one it followed before: a row picked here stays picked across edits."""
        tree = getattr(self.ctx.parent(), "tree", None)  # the main window's tree, built before the views
        self._tree_selection = tree.current() if tree is not None and hasattr(tree, "current") else None
        self._pending_selection = None
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._apply_selection)
        self.ctx.selectionChanged.connect(self._queue_selection)

    def _queue_selection(self, kind: str, object_id) -> None:
        self._pending_selection = (kind, object_id)
        self._selection_timer.start()

    def _apply_selection(self) -> None:
        pending, self._pending_selection = self._pending_selection, None
        if pending is None or pending == self._tree_selection or not self.project_is_open():
            return
        self._tree_selection = pending
        self.follow_selection(*pending)

    def follow_selection(self, kind: str, object_id) -> None:
        raise NotImplementedError

    def project_is_open(self) -> bool:
        """False once the window closed the project (a queued event may still arrive)."""
        return not self.ctx.project.closed

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
    """Compact rows, one line per cell, no row numbers: a table a planner scans. Its columns
    always fit its width (see `fit_columns`): no sideways scrolling on a laptop screen."""
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setHighlightSections(False)
    if not hasattr(table, "_squeezer"):
        table._squeezer = _Squeezer(table)


class _Squeezer(QObject):
    """Fits a table's columns into its viewport again whenever the viewport is resized."""

    def __init__(self, table):
        super().__init__(table)
        self.table = table
        self.wanted: list[int] = []
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            squeeze(self.table)
        return False


def fit_columns(table, padding: int = 12, max_width: int = 360) -> None:
    """Columns as wide as their contents plus some air, none wider than `max_width`; if they
    do not fit the table's width, the widest are narrowed to a common width (their text
    elides) so that the table never needs a horizontal scroll bar."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    wanted = [min(max_width, header.sectionSize(column) + padding) for column in range(header.count())]
    if not hasattr(table, "_squeezer"):
        table._squeezer = _Squeezer(table)
    table._squeezer.wanted = wanted
    squeeze(table)


def squeeze(table) -> None:
    squeezer = getattr(table, "_squeezer", None)
    header = table.horizontalHeader()
    if squeezer is None or len(squeezer.wanted) != header.count():
        return
    wanted = squeezer.wanted
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    room = table.viewport().width()
    cap = max((wanted[c] for c in shown), default=0)
    if room > 0 and sum(wanted[c] for c in shown) > room:
        low, high = 24, cap   # the largest common cap with which every column fits
        while low < high:
            middle = (low + high + 1) // 2
            if sum(min(wanted[c], middle) for c in shown) <= room:
                low = middle
            else:
                high = middle - 1
        cap = low
    header.setStretchLastSection(False)   # (a stretched last section keeps 100 px at least)
    header.setMinimumSectionSize(24)
    for column in shown[:-1]:
        header.resizeSection(column, min(wanted[column], cap))
    if shown:   # the last one takes what is left, so the columns end at the table's edge
        used = sum(min(wanted[c], cap) for c in shown[:-1])
        header.resizeSection(shown[-1], max(min(wanted[shown[-1]], cap), room - used) if room > 0 else wanted[shown[-1]])


def scrolling(layout_or_widget, max_width: int | None = None) -> QScrollArea:
    """A form column that scrolls up and down instead of making the window taller than a
    1280 x 800 screen: as wide as its contents, no frame, no sideways scrolling."""
    content = layout_or_widget
    if not isinstance(content, QWidget):
        content = QWidget()
        content.setLayout(layout_or_widget)
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    content.setAutoFillBackground(False)   # the group box shows through, as without the scroll area
    area.viewport().setAutoFillBackground(False)
    width = content.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width()
    area.setMinimumWidth(width)
    if max_width is not None:
        area.setMaximumWidth(max(width, max_width))
    return area


def delete_key(table, handler) -> None:
    """The Delete key on `table` (while it has focus) runs the same handler as its button."""
    from PySide6.QtGui import QKeySequence, QShortcut

    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(handler)


class RowPicker:
    """Current-row bookkeeping for a table of records with an "id" (sites, halls): which id is
    current, make an id current, and reload rows keeping the current one when it is still there.
    The class using it has `self.table`, `self.model` (`rows`, `row_of(id)`, `set_rows`) and
    `_show_current()`."""

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()]["id"] if index.isValid() and index.row() < len(self.model.rows) else None

    def select(self, row_id: int) -> bool:
        from PySide6.QtCore import QItemSelectionModel

        row = self.model.row_of(row_id)
        if row < 0:
            return False
        if self.current_id() != row_id:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def set_rows_keeping_current(self, rows: list[dict]) -> None:
        current = self.current_id()
        self.model.set_rows(rows)
        fit_columns(self.table)
        if current is not None and self.model.row_of(current) >= 0:
            self.select(current)
        elif self.model.rows:
            self.select(self.model.rows[0]["id"])
        self._show_current()
