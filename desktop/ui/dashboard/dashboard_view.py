"""The Dashboard view: the current plan against keeping on mining, following every edit.

Left, the market assumptions (their sliders recompute as they move); right, the KPI tiles
and six charts. The four deterministic charts are redrawn from the engine on the GUI thread
as soon as an edit lands (LiveModel); the tornado and the Monte Carlo fan follow from a
background worker, with progress in the fan's header and a Cancel button.
"""
from __future__ import annotations

from html import escape

import time

import numpy as np

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from desktop.model import field_words
from desktop.ui import context
from desktop.charts import charts, debt_chart
from desktop.model.kpis import plan_kpis
from desktop.ui.dashboard.live import LiveModel
from desktop.ui.dashboard.panel import ChartPanel
from desktop.ui.dashboard.risk_inputs import RiskInputs
from desktop.ui.dashboard.tiles import KpiTiles
from desktop.ui.plans.market_panel import MarketPanel

def _key(*parts) -> tuple:
    """A cheap fingerprint of a chart's data (arrays by their bytes)."""
    return tuple(hash(p.tobytes()) if isinstance(p, np.ndarray) else p for p in parts)


class DashboardView(QWidget):
    chartsUpdated = Signal(int)     # how many charts were redrawn
    riskUpdated = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboardView")
        self.live = LiveModel(ctx, self)
        self.live.risk_enabled = False      # runs while the dashboard is shown
        self.last_drawn_at = 0.0
        self.last_draw_ms = 0.0
        self._keys: dict = {}   # what each chart shows, to skip redrawing an unchanged chart
        self._painted: dict = {}   # panel -> its update count when last sent to the screen
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.market = MarketPanel(ctx)
        self.risk_inputs = RiskInputs()
        self.live.mc_options = self.risk_inputs.options()
        self.risk_inputs.changed.connect(self._risk_inputs_changed)
        side_body = QWidget()
        side_col = QVBoxLayout(side_body)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.addWidget(self.market)
        side_col.addWidget(self.risk_inputs)
        side_col.addStretch(1)
        side = QScrollArea()
        side.setWidget(side_body)
        side.setWidgetResizable(True)
        side.setFixedWidth(250)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(side)
        main = QVBoxLayout()
        outer.addLayout(main, 1)
        self.banner = QLabel()
        self.banner.setObjectName("dashboardBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #FEF2F2; color: #991B1B; border: 1px solid #FCA5A5;"
                                  "border-radius: 4px; padding: 6px;")
        self.banner.hide()
        main.addWidget(self.banner)
        self.tiles = KpiTiles()
        main.addWidget(self.tiles)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        self.panels = {
            "cash": ChartPanel("Cumulative cash", charts.draw_cumulative_cash, name="chart_cash"),
            "revenue": ChartPanel("Monthly revenue and costs", charts.draw_revenue_costs, name="chart_revenue"),
            "power": ChartPanel("Power from the grid", charts.draw_power, name="chart_power"),
            "hashprice": ChartPanel("Hashprice and cost per BTC", charts.draw_hashprice, name="chart_hashprice"),
            "debt": ChartPanel("Debt and DSCR", debt_chart.draw_debt,
                               name="chart_debt"),
            "tornado": ChartPanel("Sensitivity of Δ NPV", charts.draw_tornado, name="chart_tornado"),
            "fan": ChartPanel("Monte Carlo: cumulative Δ cash", charts.draw_fan, name="chart_fan"),
        }
        self.grid, self.columns = grid, 0
        for panel in self.panels.values():
            panel.setMinimumHeight(250)
        self.scroll = scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidget(grid_host)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.viewport().installEventFilter(self)
        self._lay_out_charts()
        main.addLayout(self._jump_bar())
        main.addWidget(scroll, 1)
        self._chart_tools()
        self.live.evaluated.connect(self.show_detail)
        self.live.failed.connect(self.show_error)
        self.live.blocked.connect(self.show_blocked)
        self.live.riskStarted.connect(self._risk_started)
        self.live.riskProgress.connect(lambda f: self.progress.setValue(round(f * 100)))
        self.live.riskReady.connect(self.show_risk)
        self.live.riskFailed.connect(lambda exc: self._risk_status(f"risk not computed: {exc}"))
        ctx.changed.connect(self._on_changed)
        self._fill_sites()
        self.live.evaluate_now()

    # -- layout: two columns where they fit, else one; a bar that jumps to any chart -----------
    NARROW_PX = 1000   # below this, two charts side by side would cut their legends and titles

    def _lay_out_charts(self) -> None:
        columns = 1 if self.scroll.viewport().width() < self.NARROW_PX else 2
        if columns == self.columns:
            return
        self.columns = columns
        for panel in self.panels.values():
            self.grid.removeWidget(panel)
        for i, panel in enumerate(self.panels.values()):
            self.grid.addWidget(panel, i // columns, i % columns)
        for column in range(2):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll.viewport():
            self._lay_out_charts()
        return super().eventFilter(watched, event)

    def _jump_bar(self) -> QHBoxLayout:
        """Buttons that bring a chart into view: the risk charts are one click away."""
        bar = QHBoxLayout()
        bar.setSpacing(2)
        bar.addWidget(QLabel("Charts:"))
        self.jump_buttons = {}
        for key, text in (("cash", "Net cash"), ("revenue", "Revenue and costs"), ("power", "Power"),
                          ("hashprice", "Hashprice"), ("debt", "Debt"), ("tornado", "Sensitivity"),
                          ("fan", "Monte Carlo")):
            button = QPushButton(text)
            button.setObjectName(f"jump_{key}")
            button.setFlat(True)
            button.setStyleSheet("QPushButton { color: #2563EB; padding: 1px 6px; }")
            button.clicked.connect(lambda _=False, k=key: self.show_chart(k))
            bar.addWidget(button)
            self.jump_buttons[key] = button
        bar.addStretch(1)
        return bar

    def show_chart(self, key: str) -> None:
        """Scroll so the chart's title is at the top (a chart taller than the view shows its top,
        not its bottom as ensureWidgetVisible would)."""
        panel = self.panels[key]
        top = panel.mapTo(self.scroll.widget(), panel.rect().topLeft()).y()
        self.scroll.verticalScrollBar().setValue(top)

    def _chart_tools(self) -> None:
        self.site_box = QComboBox()
        self.site_box.setObjectName("powerSite")
        self.site_box.currentIndexChanged.connect(lambda _i: self._redraw_power())
        self.panels["power"].add_tool(self.site_box)
        self.cash_box = QComboBox()
        self.cash_box.setObjectName("cashView")
        for (view, basis), text in charts.CASH_VIEW_TEXT.items():
            self.cash_box.addItem(text[0].upper() + text[1:], f"{view}/{basis}")
        self.cash_box.setToolTip("project or equity (after debt) cash, before or after tax; "
                                 "the terminal value is the step at the horizon")
        self.cash_box.currentIndexChanged.connect(lambda _i: self._redraw_cash())
        self.panels["cash"].add_tool(self.cash_box)
        self.case_box = QComboBox()
        self.case_box.addItem("Plan", "plan")
        self.case_box.addItem("Keep mining", "baseline")
        self.case_box.currentIndexChanged.connect(lambda _i: self._redraw_revenue())
        self.panels["revenue"].add_tool(self.case_box)
        self.progress = QProgressBar()
        self.progress.setObjectName("riskProgress")
        self.progress.setFixedWidth(110)
        self.progress.setMaximumHeight(14)
        self.progress.setRange(0, 100)
        self.progress.setFormat("paths %p%")
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setFlat(True)
        self.cancel_button.setStyleSheet("color: #2563EB; font-size: 8pt;")
        self.cancel_button.clicked.connect(self.cancel_risk)
        self.cancel_button.hide()
        self.risk_status = QLabel("")
        self.risk_status.setStyleSheet("color: #6B7280; font-size: 8pt; border: none;")
        for w in (self.progress, self.cancel_button, self.risk_status):
            self.panels["fan"].add_tool(w)

    # -- the deterministic part ------------------------------------------------------------
    def _fill_sites(self) -> None:
        from desktop.store import sites

        current = self.site_box.currentData()
        self.site_box.blockSignals(True)
        self.site_box.clear()
        self.site_box.addItem("All sites", None)
        for site in sites.sites(self.ctx.project):
            self.site_box.addItem(site.name, site.id)   # by id: a reorder or delete never shifts the choice
        index = self.site_box.findData(current)
        self.site_box.setCurrentIndex(max(index, 0))
        self.site_box.blockSignals(False)

    def _on_changed(self, kind: str) -> None:
        if kind in (context.SITES, context.ALL):
            self._fill_sites()

    def show_detail(self, detail) -> None:
        started = time.perf_counter()
        self.banner.hide()
        for panel in self.panels.values():
            panel.setEnabled(True)
        drawn = self._redraw_cash()
        drawn += self._redraw_revenue()
        drawn += self._redraw_power()
        drawn += self._draw("hashprice", _key(detail.months[0], detail.market.hashprice_usd_per_ph_day,
                                              detail.market.btc_price_usd, detail.baseline.cost_per_btc_usd), detail)
        plan = detail.plan
        drawn += self._draw("debt", _key(detail.months[0], *((plan.debt_balance_usd, plan.debt_drawn_usd, plan.cfads_usd,
                                                              plan.interest_usd) if plan else ())), detail)
        risk = self.live.risk
        stale = risk is None or risk.montecarlo is None or risk.montecarlo.detail is not detail
        prob = risk.montecarlo.prob_delta_npv_positive if risk and risk.montecarlo else None
        self._one_frame()
        self.tiles.show_kpis(plan_kpis(detail, prob, "updating…" if stale and prob is not None else ""))
        self.last_drawn_at = time.perf_counter()
        self.last_draw_ms = (self.last_drawn_at - started) * 1000   # the charts' data set (not painted)
        self.chartsUpdated.emit(drawn)

    def _one_frame(self) -> None:
        """Bring every chart just updated to the screen in one frame of the window. Each scene
        works out what changed in a queued call of its own, and Qt's QGraphicsView then paints
        the whole window at once (it flushes the window's pending update), so three charts cost
        three frames, each painting the window's stacked widgets again. Here the scenes do that
        now, while their views ignore updates; turning updates back on asks for one repaint of
        each view, which the window's next frame paints together."""
        changed = [p for p in self.panels.values() if p.updates != self._painted.get(p, -1)]
        if not changed:
            return
        for panel in changed:
            self._painted[panel] = panel.updates
            panel.widget.viewport().setUpdatesEnabled(False)
        try:
            for panel in changed:
                QCoreApplication.sendPostedEvents(panel.widget.scene(), QEvent.Type.MetaCall)
        finally:
            for panel in changed:
                panel.widget.viewport().setUpdatesEnabled(True)   # and update(): repainted next frame

    def _draw(self, name: str, key, *args) -> int:
        """Redraw a chart unless what it shows is unchanged (a market edit leaves the power
        chart as it was, a plan edit the hashprice): 1 if it was redrawn."""
        if self._keys.get(name) == key:
            return 0
        self._keys[name] = key
        self.panels[name].show_data(*args)
        return 1

    def _redraw_cash(self) -> int:
        detail = self.live.detail
        if detail is None:
            return 0
        view, basis = (self.cash_box.currentData() or "project/aftertax").split("/")
        cases = [detail.baseline] + ([detail.plan] if detail.plan else [])
        arrays = [a for c in cases for a in (c.cash_usd, c.equity_cash_usd, c.tax_usd, c.levered_tax_usd)]
        return self._draw("cash", _key(detail.months[0], view, basis, *arrays), detail, view, basis)

    def _redraw_revenue(self) -> int:
        detail = self.live.detail
        if detail is None:
            return 0
        case = self.case_box.currentData() or "plan"
        chosen = detail.plan if case == "plan" and detail.plan is not None else detail.baseline
        parts = charts.monthly_parts(chosen)
        return self._draw("revenue", _key(detail.months[0], case, *parts.values()), detail, case)

    def _redraw_power(self) -> int:
        detail = self.live.detail
        if detail is None:
            return 0
        site = self._site_index(detail, self.site_box.currentData())
        p = charts.site_power(detail, site)
        return self._draw("power", _key(detail.months[0], site, p["mining_mw"], p["hosting_mw"], p["grid_by_month_mw"],
                                        p["yielded_mwh"], p["curtailed_mwh"]),
                          detail, site)

    def _site_index(self, detail, site_id) -> int | None:
        """The chosen site's place in the evaluated scenario (None: all sites, or a site gone)."""
        if site_id is None:
            return None
        from desktop.store import sites

        site = sites.by_id(self.ctx.project, site_id)
        return detail.site_names.index(site.name) if site is not None and site.name in detail.site_names else None

    def show_blocked(self, text: str) -> None:
        """The plan has breaches that block its economics: the charts show keeping on mining,
        the banner names each breach and how to resolve it, the tiles say the plan is blocked."""
        if not text:
            return
        lines = "".join(f"<li>{escape(line)}</li>" for line in text.splitlines())
        self.banner.setText("<b>The plan's economics cannot be computed until these are resolved</b> "
                            f"(the charts show keeping on mining):<ul style='margin:2px'>{lines}</ul>")
        self.banner.show()
        self.tiles.show_unavailable("blocked: see the breaches above")

    def show_error(self, exc) -> None:
        self.banner.setText("This plan cannot be evaluated. " + field_words.explain(exc.field, exc.message))
        self.banner.show()
        self.tiles.show_unavailable("cannot be evaluated")   # the last figures are of another scenario
        for panel in self.panels.values():
            panel.setEnabled(False)
        self.chartsUpdated.emit(0)

    # -- the risk ------------------------------------------------------------------------
    def _risk_started(self) -> None:
        self.risk_status.setText("")
        self.progress.setValue(0)
        self.progress.show()          # shown while the paths run (_risk_status hides them)
        self.cancel_button.show()

    def _risk_status(self, text: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.risk_status.setText(text)
        self.risk_status.setMinimumWidth(self.risk_status.sizeHint().width())   # the title wraps instead

    def show_risk(self, risk) -> None:
        self._risk_status(f"{self.live.n_paths:,} paths")
        self.panels["tornado"].show_data(risk.tornado)
        self.panels["fan"].show_data(risk.montecarlo, risk.montecarlo.detail if risk.montecarlo else None)
        if self.live.detail is not None:
            prob = risk.montecarlo.prob_delta_npv_positive if risk.montecarlo else None
            self.tiles.show_kpis(plan_kpis(self.live.detail, prob))
        self.riskUpdated.emit()

    def _risk_inputs_changed(self, options: dict) -> None:
        """New volatilities or schedule risk: the Monte Carlo runs again with them."""
        self.live.mc_options = dict(options)
        if self.live.detail is not None and self.live.risk_enabled:
            self.live.start_risk()

    def cancel_risk(self) -> None:
        self.live.cancel_risk()
        self._risk_status("cancelled")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.live.risk_enabled = True
        risk = self.live.risk
        if self.live.detail is not None and not self.live.runner.running and (
                risk is None or risk.montecarlo is None or risk.montecarlo.detail is not self.live.detail):
            self.live.start_risk()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.live.risk_enabled = False

    def closeEvent(self, event) -> None:
        self.live.shutdown()
        super().closeEvent(event)
