"""The project's plans as a list model: one row a plan, the current one in bold.

Renaming in place (EditRole) is an undoable edit; the model reloads from the store when
`ctx.changed` says plans moved.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.store import plans
from desktop.ui import context
from desktop.ui.plans import plan_commands

PLAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PlanListModel(QAbstractListModel):
    refused = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._plans = []
        self.reload()
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        if kind in (context.PLANS, context.ALL, context.CONVERSIONS):
            self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._plans = plans.plans(self.ctx.project)
        self._counts = {p.id: len(plans.conversions(self.ctx.project, p.id)) for p in self._plans}
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._plans)

    def plan_at(self, row: int):
        return self._plans[row]

    def row_of(self, plan_id) -> int:
        return next((i for i, p in enumerate(self._plans) if p.id == plan_id), -1)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._plans):
            return None
        plan = self._plans[index.row()]
        current = plan.id == self.ctx.plan_id
        if role == Qt.ItemDataRole.DisplayRole:
            n = self._counts.get(plan.id, 0)
            return ("\u25cf " if current else "    ") + f"{plan.name}  \u00b7  {n} conversion{'s' if n != 1 else ''}"
        if role == Qt.ItemDataRole.EditRole:
            return plan.name
        if role == Qt.ItemDataRole.FontRole and current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return plan.notes or plan.name
        if role == PLAN_ID_ROLE:
            return plan.id
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.ctx.readonly:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        try:
            plan_commands.rename_plan(self.ctx, self._plans[index.row()].id, str(value))
        except InputError as exc:
            self.refused.emit(field_words.explain(exc.field, exc.message, "plan"))
            return False
        return True
