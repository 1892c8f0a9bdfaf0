"""A site's grid schedule: steps of MW from a month on, in a small table with Add and Remove.

The model is a thin adapter over the site's `grid_schedule` list; every change hands the whole
new list, checked (desktop.model.grid_schedule), to `on_commit(old, new)`, which writes it as
one undoable site edit. A refused value leaves the store as it was and says why.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop.charts.axes import month_text
from desktop.model.errors import InputError
from desktop.model.grid_schedule import checked_schedule, next_step

COLUMNS = (("from_month", "From month"), ("capacity_mw", "Grid capacity, MW"))


class GridStepsModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, on_commit: Callable[[list, list], None], parent=None):
        super().__init__(parent)
        self.steps: list[dict] = []
        self.start_month, self.horizon = "2026-01", 120
        self.readonly = False
        self._on_commit = on_commit

    def set_steps(self, steps: list[dict], start_month: str, horizon: int, readonly: bool = False) -> None:
        self.beginResetModel()
        self.steps = [dict(s) for s in steps]
        self.start_month, self.horizon, self.readonly = start_month, horizon, readonly
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.steps)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.steps):
            return None
        key = COLUMNS[index.column()][0]
        value = self.steps[index.row()][key]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "from_month":
                return f"{month_text(self.start_month, value)} (m{value})"
            return f"{value:,.1f}"
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags if self.readonly else flags | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.readonly:
            return False
        key = COLUMNS[index.column()][0]
        try:
            number = float(str(value).replace(",", "").strip().lstrip("m"))
        except ValueError:
            self.refused.emit(f"grid_schedule.{key}: must be a number")
            return False
        new = [dict(s) for s in self.steps]
        new[index.row()][key] = int(number) if key == "from_month" and number.is_integer() else number
        return self.commit(new)

    def commit(self, new: list[dict]) -> bool:
        try:
            checked = checked_schedule(new, self.horizon)
            self._on_commit(self.steps, checked)
        except InputError as exc:
            self.refused.emit(f"{exc.field}: {exc.message}")
            return False
        return True


class GridScheduleEditor(QWidget):
    """The steps of one site; `set_site(site, start_month, horizon)` shows a site (None: none)."""

    def __init__(self, on_commit: Callable[[list, list], None], parent=None):
        super().__init__(parent)
        self.setObjectName("gridSchedule")
        self.grid_capacity_mw = 0.0
        self.model = GridStepsModel(on_commit, self)
        self.table = QTableView()
        self.table.setObjectName("gridScheduleTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(120)
        self.add_button = QPushButton("Add step")
        self.add_button.setObjectName("addGridStep")
        self.add_button.clicked.connect(self.add_step)
        self.remove_button = QPushButton("Remove step")
        self.remove_button.setObjectName("removeGridStep")
        self.remove_button.clicked.connect(self.remove_step)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.model.refused.connect(self.message.setText)
        title = QLabel("<b>Grid schedule</b>: the connection's capacity from a month on (an upgrade, a cut); "
                       "before the first step, the grid capacity above.")
        title.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(8, 0, 8, 0)
        col.addWidget(title)
        col.addWidget(self.table)
        col.addLayout(buttons)
        col.addWidget(self.message)

    def set_site(self, record: dict | None, start_month: str, horizon: int, readonly: bool) -> None:
        self.grid_capacity_mw = float(record["grid_capacity_mw"]) if record else 0.0
        self.model.set_steps(record.get("grid_schedule", []) if record else [], start_month, horizon, readonly)
        for w in (self.add_button, self.remove_button, self.table):
            w.setEnabled(record is not None and not readonly)
        self.message.setText("")

    def add_step(self) -> None:
        steps = self.model.steps
        if self.model.commit(steps + [next_step(steps, self.grid_capacity_mw, self.model.horizon)]):
            self.message.setText("")

    def remove_step(self) -> None:
        row = self.table.currentIndex().row()
        steps = self.model.steps
        if not steps:
            return
        row = row if 0 <= row < len(steps) else len(steps) - 1
        if self.model.commit(steps[:row] + steps[row + 1:]):
            self.message.setText("")
