"""Market assumptions: spin boxes and sliders for the project-wide scenario inputs.

Every change writes `settings.put_assumptions` through an undoable command. Changes are
coalesced with a short timer (`COALESCE_MS`), so a slider drag writes (and the dashboard
recomputes) at most every few tens of milliseconds, and all writes of one drag merge into
one undo step (StoreCommand merge ids, keyed by the field and the drag). A spin box edit or
a keyboard step is an undo step of its own. Values are checked with the engine's rules
(desktop.model.scenario.check_field); a refused value turns the field red and says why.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QDateEdit, QDoubleSpinBox, QFormLayout, QFrame, QHBoxLayout, QLabel,
                               QSlider, QVBoxLayout, QWidget)

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.model.months import month_label
from desktop.model.scenario import check_field
from desktop.store import plans, settings
from desktop.ui import context
from desktop.ui.commands import push_edit

COALESCE_MS = 30
MERGE_ID = 0x6D6B   # "mk": assumption edits of one drag merge into one undo step


@dataclass(frozen=True)
class FieldSpec:
    """One assumption: its spin box covers the valid range (the engine's rule, capped at
    `maximum` where the rule has no top), its slider the plausible range
    (desktop.model.field_words) in steps of `slider_step`."""
    key: str
    section: str          # "market" or "root" (the scenario's top level)
    label: str
    suffix: str
    minimum: float
    maximum: float
    step: float
    decimals: int = 0
    prefix: str = ""
    slider_step: float = 0.0   # 0: the spin box's step

    @property
    def slider_range(self) -> tuple[float, float]:
        w = field_words.words(self.section, self.key)
        low = self.minimum if w.low is None else max(self.minimum, w.low)
        high = self.maximum if w.high is None else min(self.maximum, w.high)
        return low, high

    @property
    def slider_unit(self) -> float:
        return self.slider_step or self.step


FIELDS = [
    FieldSpec("btc_price_usd", "market", "BTC price", "", 1, 100_000_000, 1_000, 0, "$ ", 10_000),
    FieldSpec("btc_price_growth_pct_per_year", "market", "BTC price growth", " %/yr", -99.9, 1_000, 1, 1, "", 5),
    FieldSpec("network_hashrate_ehs", "market", "Network hashrate", " EH/s", 1, 1_000_000, 10, 0, "", 100),
    FieldSpec("network_hashrate_growth_pct_per_year", "market", "Hashrate growth", " %/yr", -99.9, 1_000, 1, 1, "", 5),
    FieldSpec("fees_btc_per_block", "market", "Fees", " BTC/block", 0, 50, 0.005, 3, "", 0.01),
    FieldSpec("block_height_at_start", "market", "Block height at start", "", 0, 10_000_000, 500, 0, "", 10_000),
    FieldSpec("discount_rate_pct", "root", "Discount rate", " %/yr", -99.9, 1_000, 0.5, 1, "", 0.5),
    FieldSpec("horizon_months", "root", "Horizon", " months", 1, 1200, 12, 0),
]
BY_KEY = {f.key: f for f in FIELDS}


def read(assumptions: dict, spec: FieldSpec):
    return (assumptions["market"] if spec.section == "market" else assumptions)[spec.key]


def with_values(assumptions: dict, values: dict) -> dict:
    """A copy of `assumptions` with `values` ({key: value}, market or top-level keys) set."""
    out = copy.deepcopy(assumptions)
    for key, value in values.items():
        spec = BY_KEY.get(key)
        if spec is None and key != "start_month":
            raise KeyError(key)
        (out["market"] if spec is not None and spec.section == "market" else out)[key] = value
    return out


def horizon_problem(project, assumptions: dict) -> str | None:
    """Why `assumptions` cannot be stored with the project's plans, or None: every plan's
    conversions must start inside the horizon (ECONOMICS.md), or the plan could no longer be
    evaluated, compared or reported."""
    horizon = assumptions["horizon_months"]
    latest = None
    for plan in plans.plans(project):
        for conv in plans.conversions(project, plan.id):
            if conv.start_month >= horizon and (latest is None or conv.start_month > latest[0]):
                latest = (conv.start_month, plan.name, conv.label)
    if latest is None:
        return None
    month, plan_name, label = latest
    what = f"conversion {label!r}" if label else "a conversion"
    return (f"must be at least {month + 1} months: {what} of plan {plan_name!r} starts in "
            f"{month_label(assumptions['start_month'], month)} (month {month})")


class MarketPanel(QWidget):
    edited = Signal(dict)   # the values written, after each (coalesced) write

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("marketPanel")
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self._pending: dict = {}
        self._pending_drag: int | None = None
        self._drag_serial = 0
        self.writes = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self.flush)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        title = QLabel("Market assumptions")
        title.setStyleSheet("font-weight: 600; font-size: 10pt;")
        layout.addWidget(title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(2)
        self.start = QDateEdit()
        self.start.setDisplayFormat("yyyy-MM")   # a month written one way everywhere; its name beside
        self.start.setCalendarPopup(False)
        self.start.setKeyboardTracking(False)
        self.start.setCurrentSection(QDateEdit.Section.MonthSection)
        self.start.dateChanged.connect(lambda d: self._stage("start_month", f"{d.year():04d}-{d.month():02d}", None))
        self.start_name = QLabel()
        self.start_name.setObjectName("startMonthName")
        self.start_name.setStyleSheet("color: #5f6368;")
        self.start.dateChanged.connect(lambda d: self.start_name.setText(d.toString("MMMM yyyy")))
        start_row = QHBoxLayout()
        start_row.setContentsMargins(0, 0, 0, 0)
        start_row.addWidget(self.start, 1)
        start_row.addWidget(self.start_name)
        form.addRow("Start month", start_row)
        for spec in FIELDS:
            form.addRow(spec.label, self._field(spec))
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B91C1C;")
        layout.addWidget(self.message)
        layout.addStretch(1)
        ctx.changed.connect(self._on_changed)
        self.load()

    def _field(self, spec: FieldSpec) -> QWidget:
        box = QFrame()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 4)
        col.setSpacing(0)
        spin = QDoubleSpinBox()
        spin.setObjectName(spec.key)
        spin.setRange(spec.minimum, spec.maximum)
        spin.setDecimals(spec.decimals)
        spin.setSingleStep(spec.step)
        spin.setSuffix(spec.suffix)
        spin.setPrefix(spec.prefix)
        spin.setGroupSeparatorShown(True)
        spin.setKeyboardTracking(False)
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.valueChanged.connect(lambda v, s=spec: self._stage(s.key, self._typed(s, v), None))
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(spec.key + "_slider")
        low, high = spec.slider_range
        slider.setRange(0, round((high - low) / spec.slider_unit))
        slider.setPageStep(max(1, slider.maximum() // 10))
        slider.setToolTip(field_words.typical(spec.section, spec.key) or spec.label)
        slider.sliderPressed.connect(self._begin_drag)
        slider.valueChanged.connect(lambda i, s=spec: self._slid(s, i))
        col.addWidget(spin)
        col.addWidget(slider)
        self.spins[spec.key], self.sliders[spec.key] = spin, slider
        return box

    @staticmethod
    def _typed(spec: FieldSpec, value: float):
        return int(round(value)) if spec.decimals == 0 and spec.key in ("block_height_at_start", "horizon_months") \
            else float(round(value, spec.decimals))

    # -- widgets <-> store --------------------------------------------------------------
    def _warn(self, spec: FieldSpec, value: float) -> None:
        """A valid but unusual value: an amber box and the typical range in its tooltip."""
        warning = field_words.plausibility(spec.section, spec.key, value) or ""
        typical = field_words.typical(spec.section, spec.key)
        spin = self.spins[spec.key]
        spin.setProperty("warning", warning)
        if spin.styleSheet() != "background: #FEE2E2;":   # a refusal's red wins
            spin.setStyleSheet("background: #FFF7E6;" if warning else "")
        spin.setToolTip("\n".join(t for t in (warning, typical[:1].upper() + typical[1:]) if t))

    def load(self) -> None:
        a = settings.assumptions(self.ctx.project)
        for spec in FIELDS:
            value = float(read(a, spec))
            self._warn(spec, value)
            spin, slider = self.spins[spec.key], self.sliders[spec.key]
            if spin.value() != value:   # untouched widgets are not repainted
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
            low, high = spec.slider_range
            position = round((min(max(value, low), high) - low) / spec.slider_unit)
            if not slider.isSliderDown() and slider.value() != position:
                slider.blockSignals(True)
                slider.setValue(position)
                slider.blockSignals(False)
        year, month = (int(p) for p in a["start_month"].split("-"))
        if self.start.date() != QDate(year, month, 1):
            self.start.blockSignals(True)
            self.start.setDate(QDate(year, month, 1))
            self.start.blockSignals(False)
        self.start_name.setText(self.start.date().toString("MMMM yyyy"))
        self.setEnabled(not self.ctx.readonly)

    def _on_changed(self, kind: str) -> None:
        if kind in (context.ASSUMPTIONS, context.ALL):
            self.load()

    def _begin_drag(self) -> None:
        self._drag_serial += 1

    def _slid(self, spec: FieldSpec, index: int) -> None:
        value = self._typed(spec, spec.slider_range[0] + index * spec.slider_unit)
        spin = self.spins[spec.key]
        spin.blockSignals(True)
        spin.setValue(float(value))
        spin.blockSignals(False)
        slider = self.sliders[spec.key]
        self._stage(spec.key, value, self._drag_serial if slider.isSliderDown() else None)

    def _stage(self, key: str, value, drag: int | None) -> None:
        """Remember a change; write it (with any others) when the timer fires."""
        if self._pending and (drag is None or drag != self._pending_drag):
            self.flush()   # a different kind of edit: the staged one is its own step
        self._pending[key] = value
        self._pending_drag = drag
        self._timer.start()

    def flush(self) -> None:
        """Write the staged values as one undoable edit (merged into the running drag's step)."""
        self._timer.stop()
        values, drag = self._pending, self._pending_drag
        self._pending, self._pending_drag = {}, None
        if not values:
            return
        old = settings.assumptions(self.ctx.project)
        for key, value in values.items():
            spec = BY_KEY.get(key)
            problem = check_field("root" if spec is None else spec.section, key, value)
            if problem:
                self._refuse(key, problem)
                return
        new = with_values(old, values)
        if new == old:
            return
        if "horizon_months" in values:
            problem = horizon_problem(self.ctx.project, new)
            if problem:
                self._refuse("horizon_months", problem)
                return
        project = self.ctx.project
        names = ", ".join(BY_KEY[k].label if k in BY_KEY else "start month" for k in values)
        try:
            push_edit(self.ctx, f"Set {names}", lambda: settings.put_assumptions(project, new),
                      lambda: settings.put_assumptions(project, old), context.ASSUMPTIONS,
                      MERGE_ID if drag is not None else -1, (tuple(sorted(values)), drag))
        except InputError as exc:
            self._refuse(next(iter(values)), exc.message)
            return
        self.writes += 1
        self._clear_refusal()
        self.edited.emit(values)

    def _refuse(self, key: str, message: str) -> None:
        section = BY_KEY[key].section if key in BY_KEY else "root"
        self.message.setText(field_words.sentence(section, key, message))
        widget = self.spins.get(key, self.start)
        widget.setStyleSheet("background: #FEE2E2;")
        self.load()

    def _clear_refusal(self) -> None:
        if self.message.text():
            self.message.setText("")
            for widget in (*self.spins.values(), self.start):
                widget.setStyleSheet("")

    def set_value(self, key: str, value) -> None:
        """Set a field as the user would (through its spin box); the write follows the timer."""
        if key == "start_month":
            year, month = (int(p) for p in value.split("-"))
            self.start.setDate(QDate(year, month, 1))
        else:
            self.spins[key].setValue(float(value))
