"""A table model over plain rows (dicts with an "id"), with named columns.

Columns say how a value is shown and whether (by which rule section) it can be edited. The
model never writes anything itself: an edit goes to `on_edit(row, key, value)`, which
writes through the undo stack; the view then hands the model fresh rows with `set_rows`.
`set_rows` keeps the rows (and so the selection and the editor) in place when only values
changed, and resets the model when rows came or went. `SORT_ROLE` gives the raw value for
a QSortFilterProxyModel.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from desktop.model import field_rules
from desktop.model.errors import InputError

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
KEY_ROLE = Qt.ItemDataRole.UserRole + 11   # the column's key
ID_ROLE = Qt.ItemDataRole.UserRole + 12    # the row's id

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def plain(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    section: str | None = None            # rule section: the column is editable
    fmt: Callable[[Any], str] = plain
    numeric: bool = False
    tooltip: str = ""


class RecordTableModel(QAbstractTableModel):
    def __init__(self, columns: list[Column], on_edit: Callable[[dict, str, Any], None] | None = None, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[dict] = []
        self.on_edit = on_edit
        self.readonly = on_edit is None
        self.last_error: InputError | None = None

    # -- data in ---------------------------------------------------------------------------
    def set_rows(self, rows: list[dict]) -> None:
        if [r["id"] for r in rows] == [r["id"] for r in self.rows]:
            changed = [i for i, (a, b) in enumerate(zip(self.rows, rows)) if a != b]
            self.rows = rows
            if changed:
                self.dataChanged.emit(self.index(min(changed), 0),
                                      self.index(max(changed), len(self.columns) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, row_id) -> int:
        for i, row in enumerate(self.rows):
            if row["id"] == row_id:
                return i
        return -1

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.ToolTipRole:
                if column.tooltip:
                    return column.tooltip
                return field_rules.describe(column.section, column.key) if column.section else None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT if column.numeric else _LEFT)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)) or not (0 <= index.column() < len(self.columns)):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        value = row.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.fmt(value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == SORT_ROLE:
            if column.numeric:
                return float(value) if value is not None else float("-inf")
            return plain(value).lower()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get(f"{column.key}__tip")
        if role == KEY_ROLE:
            return column.key
        if role == ID_ROLE:
            return row["id"]
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.readonly and self.columns[index.column()].section:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.readonly:
            return False
        column = self.columns[index.column()]
        if not column.section:
            return False
        row = self.rows[index.row()]
        if isinstance(value, str) and field_rules.rule(column.section, column.key).kind not in ("text", "choice"):
            value, message = field_rules.parse(column.section, column.key, value)
        else:
            message = field_rules.check(column.section, column.key, value)
        if message:
            self.last_error = InputError(column.title, message)
            return False
        if value == row.get(column.key):
            return True
        try:
            self.on_edit(row, column.key, value)
        except InputError as exc:
            self.last_error = InputError(column.title, exc.message)
            return False
        self.last_error = None
        return True
