"""The Finance view: income tax and terminal value (project-wide, with the assumptions) and the
current plan's financing (`plan.financing`), each field with one line of meaning and a typical
value with its source (desktop.model.finance_fields).

Each section is a checkable group: unchecked means none (no tax, no terminal value, no debt),
as ECONOMICS.md reads a left-out object. Every change is one undoable edit; values are checked
as typed by the engine's rules (FieldEdit over desktop.model.field_rules).
"""
from __future__ import annotations

import copy

from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget)

from desktop.model.errors import InputError
from desktop.model.finance_fields import DEFAULTS, FINANCE_FIELDS
from desktop.store import plans, settings
from desktop.ui import context
from desktop.ui.commands import push_edit
from desktop.ui.editors.fields import ChoiceEdit, FieldEdit

TITLES = {"tax": "Income tax (the whole portfolio is one taxpayer)",
          "terminal": "Terminal value at the horizon",
          "financing": "Financing of the plan's capex"}


class OptionalFieldEdit(FieldEdit):
    """A FieldEdit that may be left empty (None): the equity discount rate."""

    def parsed(self):
        if not self.text().strip():
            return None, None
        return super().parsed()


def set_section(ctx, section: str, value: dict | None) -> None:
    """Write tax or terminal (assumptions) or the current plan's financing: one undo step."""
    project = ctx.project
    if section == "financing":
        plan_id = ctx.plan_id
        if plan_id is None:
            raise InputError("financing", "no current plan: add or pick one first")
        old = plans.get(project, plan_id).financing
        if old == value:
            return
        push_edit(ctx, f"Set financing of {plans.get(project, plan_id).name}",
                  lambda: plans.set_financing(project, plan_id, value),
                  lambda: plans.set_financing(project, plan_id, old), context.PLANS)
        return
    old_a = settings.assumptions(project)
    if old_a.get(section) == value:
        return
    new_a = copy.deepcopy(old_a)
    new_a[section] = value
    push_edit(ctx, f"Set {section}", lambda: settings.put_assumptions(project, new_a),
              lambda: settings.put_assumptions(project, old_a), context.ASSUMPTIONS)


def current_section(ctx, section: str) -> dict | None:
    if section == "financing":
        if ctx.plan_id is None or all(p.id != ctx.plan_id for p in plans.plans(ctx.project)):
            return None
        return plans.get(ctx.project, ctx.plan_id).financing
    return settings.assumptions(ctx.project).get(section)


class FinancePanel(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("financeView")
        self.groups: dict[str, QGroupBox] = {}
        self.fields: dict[tuple[str, str], FieldEdit | ChoiceEdit] = {}
        self.errors: dict[tuple[str, str], QLabel] = {}
        self.warnings: dict[tuple[str, str], QLabel] = {}
        body = QWidget()
        col = QVBoxLayout(body)
        intro = QLabel("Tax, terminal value and debt turn the plan's operating cash into the after-tax, levered "
                       "answer. Unchecked sections are left out of the scenario (no tax, no terminal value, no "
                       "debt). Typical values name their source; those marked estimate have none.")
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #4B5563;")
        col.addWidget(intro)
        columns = QHBoxLayout()          # two columns: a laptop screen shows every field without scrolling
        left, right = QVBoxLayout(), QVBoxLayout()
        for section, column in (("tax", left), ("terminal", left), ("financing", right)):
            column.addWidget(self._group(section))
        for column in (left, right):
            column.addStretch(1)
            columns.addLayout(column, 1)
        col.addLayout(columns)
        self.message = QLabel("")
        self.message.setObjectName("financeMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B91C1C;")
        col.addWidget(self.message)
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(scroll)
        ctx.changed.connect(self._on_changed)
        self.load()

    def _group(self, section: str) -> QGroupBox:
        box = QGroupBox(TITLES[section])
        box.setObjectName(f"finance_{section}")
        box.setCheckable(True)
        box.toggled.connect(lambda on, s=section: self._toggled(s, on))
        form = QFormLayout(box)
        form.setVerticalSpacing(2)
        for spec in (f for f in FINANCE_FIELDS if f.section == section):
            if spec.key == "amortization":
                edit = ChoiceEdit(section, spec.key)
            elif spec.key == "equity_discount_rate_pct":
                edit = OptionalFieldEdit(section, spec.key)
            else:
                edit = FieldEdit(section, spec.key)
            edit.setObjectName(f"{section}_{spec.key}")
            edit.setMaximumWidth(140)
            edit.committed.connect(lambda key, value, s=section: self.commit(s, key, value))
            unit = QLabel(spec.unit)
            unit.setMinimumWidth(70)
            unit.setStyleSheet("color: #5f6368;")
            error = QLabel("")
            error.setStyleSheet("color: #c62828;")
            warn = QLabel("")
            warn.setObjectName(f"warning_{section}_{spec.key}")
            warn.setStyleSheet("color: #B45309;")
            if isinstance(edit, FieldEdit):
                edit.problem.connect(lambda key, text, lab=error: lab.setText(text))
                edit.warning.connect(lambda key, text, lab=warn: lab.setText(text))   # plausible range (field_words)
            row = QHBoxLayout()
            row.addWidget(edit)
            row.addWidget(unit)
            row.addWidget(error)
            row.addWidget(warn, 1)
            help_text = QLabel(f"{spec.meaning}. <span style='color:#6B7280'>Typical: {spec.typical}.</span>")
            help_text.setObjectName(f"help_{section}_{spec.key}")
            help_text.setWordWrap(True)
            help_text.setStyleSheet("color: #374151; font-size: 8pt; margin-bottom: 4px;")
            help_text.setMinimumHeight(help_text.heightForWidth(380))   # wrapped lines are never squeezed away
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addLayout(row)
            cell.addWidget(help_text)
            form.addRow(spec.label, cell)
            self.fields[(section, spec.key)] = edit
            self.errors[(section, spec.key)] = error
            self.warnings[(section, spec.key)] = warn
        self.groups[section] = box
        return box

    # -- store -> widgets -------------------------------------------------------------------
    def _on_changed(self, kind: str) -> None:
        if kind in (context.ASSUMPTIONS, context.PLANS, context.ALL):
            self.load()

    def load(self) -> None:
        for section, box in self.groups.items():
            value = current_section(self.ctx, section)
            box.blockSignals(True)
            box.setChecked(value is not None)
            box.blockSignals(False)
            shown = value if value is not None else DEFAULTS[section]
            for (s, key), edit in self.fields.items():
                if s == section:
                    edit.set_value(shown.get(key))
                    self.errors[(s, key)].setText("")
                    self.warnings[(s, key)].setText(getattr(edit, "warning_text", "") if value is not None else "")
        plan_name = None
        if self.ctx.plan_id is not None and any(p.id == self.ctx.plan_id for p in plans.plans(self.ctx.project)):
            plan_name = plans.get(self.ctx.project, self.ctx.plan_id).name
        self.groups["financing"].setTitle(f"{TITLES['financing']}: {plan_name}" if plan_name else
                                          f"{TITLES['financing']} (no current plan)")
        self.groups["financing"].setEnabled(plan_name is not None and not self.ctx.readonly)
        for section in ("tax", "terminal"):
            self.groups[section].setEnabled(not self.ctx.readonly)

    # -- widgets -> store -------------------------------------------------------------------
    def _toggled(self, section: str, on: bool) -> None:
        self._write(section, dict(DEFAULTS[section]) if on else None)

    def commit(self, section: str, key: str, value) -> None:
        """Set one field of a section (turning the section on if it was off)."""
        current = current_section(self.ctx, section)
        new = dict(current if current is not None else DEFAULTS[section])
        if value is None:
            new.pop(key, None)
        else:
            new[key] = value
        self._write(section, new)

    def _write(self, section: str, value) -> None:
        try:
            set_section(self.ctx, section, value)
        except InputError as exc:
            self.message.setText(f"{exc.field}: {exc.message}")
            self.load()
            return
        self.message.setText("")
