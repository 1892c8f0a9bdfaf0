"""The Compare view: every plan's key figures side by side, and their cumulative cash overlaid
with keeping on mining.

Plans are evaluated with the engine when the view is shown and after each edit while it is
shown (a few milliseconds a plan); P(plan beats mining) comes from a background Monte Carlo
run per plan (fewer paths than the dashboard's), dropped if an edit makes it stale.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from desktop.model import field_words
from desktop.model import engine, montecarlo
from desktop.model.errors import InputError
from desktop.store import plans
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.background import Latest
from desktop.charts import charts
from desktop.model.kpis import compare_kpis
from desktop.ui.dashboard.panel import ChartPanel

COMPARE_PATHS = 2_000


def evaluate_plans(project, without_financing: bool = False) -> list[dict]:
    """[{id, name, detail or None, error or None}] for every plan of the project; with
    `without_financing`, each financed plan is followed by itself without its debt (same id,
    `unlevered` True), so the effect of the financing reads side by side."""
    out = []
    for plan in plans.plans(project):
        scenario = scenario_from_project(project, plan.id)
        variants = [(plan.name, scenario, False)]
        if without_financing and scenario["plan"].get("financing"):
            bare = copy.deepcopy(scenario)
            bare["plan"].pop("financing")
            variants.append((f"{plan.name} (no financing)", bare, True))
        for name, s, unlevered in variants:
            try:
                out.append({"id": plan.id, "name": name, "detail": engine.evaluate_detail(s), "error": None,
                            "unlevered": unlevered})
            except InputError as exc:
                out.append({"id": plan.id, "name": name, "detail": None, "error": field_words.explain(exc.field, exc.message),
                            "unlevered": unlevered})
    return out


class CompareModel(QAbstractTableModel):
    """Rows: key figures; columns: plans. Plain data in, text out."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[dict] = []
        self.kpis: list[list] = []      # per plan, its Kpi list (or [] when it cannot be evaluated)
        self.labels: list[str] = []
        self.current_id = None

    def set_runs(self, runs: list[dict], probs: dict | None = None, current_id=None) -> None:
        self.beginResetModel()
        self.runs, self.current_id = runs, current_id
        probs = probs or {}
        self.kpis = [compare_kpis(r["detail"], None if r.get("unlevered") else probs.get(r["id"]))
                     if r["detail"] is not None else [] for r in runs]
        first = next((k for k in self.kpis if k), [])
        self.labels = [k.label for k in first] or ["Δ NPV vs mining"]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.runs)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.runs):
                run = self.runs[section]
                return run["name"] + ("  (current)" if run["id"] == self.current_id and not run.get("unlevered") else "")
            if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.labels):
                return self.labels[section]
        if role == Qt.ItemDataRole.FontRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.runs) and self.runs[section]["id"] == self.current_id:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.column() < len(self.runs) or not 0 <= index.row() < len(self.labels):
            return None
        kpis = self.kpis[index.column()]
        run = self.runs[index.column()]
        if not kpis:
            if role == Qt.ItemDataRole.DisplayRole:
                return "cannot evaluate" if index.row() == 0 else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return run["error"]
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#B91C1C")
            return None
        kpi = kpis[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return kpi.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return kpi.note or None
        if role == Qt.ItemDataRole.ForegroundRole and kpi.tone != "neutral":
            return QColor("#047857" if kpi.tone == "good" else "#B91C1C")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _probabilities(runs: list[dict], n_paths: int):
    items = [(r["id"], r["detail"]) for r in runs if r["detail"] is not None and r["detail"].plan is not None]

    def work(progress, cancelled):
        out = {}
        for i, (plan_id, detail) in enumerate(items):
            mc = montecarlo.simulate(detail.scenario, n_paths, seed=0, detail=detail, cancelled=cancelled)
            out[plan_id] = mc.prob_delta_npv_positive
            progress((i + 1) / len(items))
        return out
    return work


class CompareView(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("compareView")
        self.runs: list[dict] = []
        self.probs: dict = {}
        self.dirty = True
        self.refreshes = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        title = QLabel("Plans side by side, each against keeping on mining")
        title.setStyleSheet("font-weight: 600; font-size: 10pt;")
        head = QHBoxLayout()
        head.addWidget(title, 1)
        self.unlevered_box = QCheckBox("Also each financed plan without its financing")
        self.unlevered_box.setObjectName("compareWithoutFinancing")
        self.unlevered_box.setToolTip("a column more for every plan with debt: the same plan, unlevered")
        self.unlevered_box.toggled.connect(lambda _on: self._on_changed("plans"))
        head.addWidget(self.unlevered_box)
        layout.addLayout(head)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = CompareModel(self)
        self.table = QTableView()
        self.table.setObjectName("compareTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        splitter.addWidget(self.table)
        self.chart = ChartPanel("Cumulative net cash of each plan", charts.draw_compare_cash, name="chart_compare")
        splitter.addWidget(self.chart)
        splitter.setSizes([210, 470])
        layout.addWidget(splitter, 1)
        self.runner = Latest(self)
        self.runner.result.connect(self._probs_arrived)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        ctx.changed.connect(self._on_changed)
        ctx.planChanged.connect(lambda _id: self._on_changed("plans"))

    def _on_changed(self, _kind: str) -> None:
        self.dirty = True
        self.runner.cancel()
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.dirty:
            self._timer.start()

    def refresh(self) -> None:
        self.dirty = False
        self.refreshes += 1
        self.runs = evaluate_plans(self.ctx.project, self.unlevered_box.isChecked())
        self.probs = {}
        self._show()
        levered = [r for r in self.runs if not r.get("unlevered")]
        if any(r["detail"] is not None for r in levered):
            self.runner.start(_probabilities(levered, COMPARE_PATHS))

    def _show(self) -> None:
        self.model.set_runs(self.runs, self.probs, self.ctx.plan_id)
        view = "equity" if self.unlevered_box.isChecked() else "project"   # with and without debt: equity differs
        self.chart.title_label.setText(f"Cumulative cash of each plan ({charts.CASH_VIEW_TEXT[(view, 'aftertax')]})")
        self.chart.show_data([(r["name"], r["detail"]) for r in self.runs if r["detail"] is not None], view)

    def _probs_arrived(self, probs: dict) -> None:
        self.probs = probs
        self.model.set_runs(self.runs, self.probs, self.ctx.plan_id)

    def closeEvent(self, event) -> None:
        self.runner.cancel()
        self.runner.wait(5000)
        super().closeEvent(event)
