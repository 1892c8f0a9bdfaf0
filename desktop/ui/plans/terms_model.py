"""The current plan's conversions with their commercial terms, one row each (columns: terms.COLUMNS).

Editing a cell is an undoable edit (plan_commands.set_terms) checked with the engine's rules
first; a refused value leaves the file as it was and `refused` says why, naming the field.
Terms of the other mode show a dash and are not editable.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.model.months import month_display, month_label
from desktop.store import checks, plans, settings, sites
from desktop.ui import context
from desktop.ui.plans import plan_commands
from desktop.ui.plans.terms import COLUMNS, MODE_TEXT, applies, check, mode_change, parse, term_change, value_text

CONVERSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NA_COLOR = QColor("#9CA3AF")
WARN_COLOR = QColor("#B45309")


class ConversionTermsModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows = []
        self.site_names: dict[int, str] = {}
        self.start_month = "2026-01"
        self.horizon = 120
        self.reload()
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        # the breaches column is derived from sites, halls, fleet and catalog too
        if kind in (context.CONVERSIONS, context.PLANS, context.ASSUMPTIONS, context.SITES, context.ALL,
                    context.POSITIONS, context.HALLS, context.FLEET, context.CATALOG):
            self.reload()

    def reload(self) -> None:
        project = self.ctx.project
        self.beginResetModel()
        plan_id = self.ctx.plan_id
        known = {p.id for p in plans.plans(project)}
        self.rows = sorted(plans.conversions(project, plan_id), key=lambda c: c.id) if plan_id in known else []
        self.breaches = checks.breaches_by_conversion(project, plan_id) if plan_id in known else {}
        self.site_names = {s.id: s.name for s in sites.sites(project)}
        a = settings.assumptions(project)
        self.start_month, self.horizon = a["start_month"], int(a["horizon_months"])
        self.endResetModel()

    # -- shape -------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return COLUMNS[section].tip or None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    # -- cells ---------------------------------------------------------------------------
    def raw(self, conv, column):
        if column.key == "site":
            return self.site_names.get(conv.site_id, "?")
        if column.kind == "breaches":
            return self.breaches.get(conv.id, [])
        return getattr(conv, column.key)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        conv, column = self.rows[index.row()], COLUMNS[index.column()]
        value = self.raw(conv, column)
        ok = applies(column, conv.mode)
        if role == CONVERSION_ID_ROLE:
            return conv.id
        if column.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole and ok:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return ("yes" if value else "no") if ok else "-"
            if role == Qt.ItemDataRole.EditRole:
                return bool(value)
        elif role == Qt.ItemDataRole.DisplayRole:
            return self._text(conv, column, value, ok)
        elif role == Qt.ItemDataRole.EditRole:
            return value if ok else None
        warning = self.warning(conv, column, value) if ok else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if not ok:
                return NA_COLOR
            if (column.kind == "breaches" and value) or warning:
                return WARN_COLOR
        if role == Qt.ItemDataRole.ToolTipRole:
            if warning:
                return f"{warning}\n{field_words.typical(conv.mode, column.key)}"
            if column.kind == "breaches":
                return "\n".join(value) or "no breaches"
            if column.kind == "month":
                return f"month {value} of the horizon"
            return column.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("number", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def warning(conv, column, value) -> str | None:
        """Why a stored term looks implausible (field_words' typical range), or None."""
        if column.kind not in ("number", "int") or not column.editable:
            return None
        return field_words.plausibility(conv.mode, column.key, value)

    def _text(self, conv, column, value, ok: bool) -> str:
        if not ok:
            return "-"
        if column.kind == "mode":
            return MODE_TEXT.get(value, value)
        if column.kind == "month":
            return month_display(month_label(self.start_month, value))
        if column.kind == "breaches":
            return f"{len(value)} breach{'es' if len(value) != 1 else ''}" if value else "ok"
        if column.kind in ("text", "site"):
            return str(value)
        if value is None and column.optional:
            return "to the horizon" if column.key == "term_months" else "as the term"
        return value_text(column, value)

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = COLUMNS[index.column()]
        conv = self.rows[index.row()]
        if column.editable and applies(column, conv.mode) and not self.ctx.readonly:
            flags |= Qt.ItemFlag.ItemIsUserCheckable if column.kind == "bool" else Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable):
            return False
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and column.kind == "bool":
            value = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        elif role != Qt.ItemDataRole.EditRole:
            return False
        try:
            self.edit(self.rows[index.row()].id, column.key, value)
        except InputError as exc:
            conv = self.rows[index.row()]
            self.refused.emit(field_words.sentence(conv.mode, exc.field, exc.message))
            return False
        return True

    def edit(self, conversion_id: int, key: str, value) -> None:
        """Set one term of one conversion as the editor does: parse, check, write undoably."""
        from desktop.ui.plans.terms import BY_KEY

        column = BY_KEY[key]
        conv = plans.get_conversion(self.ctx.project, conversion_id)
        value = parse(column, value)
        mode = value if column.kind == "mode" else conv.mode
        problem = check(column, mode, value, self.horizon, conv)
        if problem:
            raise InputError(column.key, problem)
        if column.key == "term_months":
            plan_commands.set_terms(self.ctx, conversion_id, term_change(conv, value))
        elif column.kind == "mode":
            new = mode_change(self.ctx.project, conv, value)
            plan_commands.set_terms(self.ctx, conversion_id, new, f"Switch {conv.label or 'conversion'} to {value}")
        else:
            plan_commands.set_terms(self.ctx, conversion_id, {column.key: value})
