"""The dashboard's v2 figures (equity NPV and IRR, minimum DSCR, terminal value, tax), the
cash view toggle with the terminal value as a step, and the debt chart: by data, against the
engine's evaluation of the exported scenario."""
from __future__ import annotations

import numpy as np
import pytest

import PySide6  # noqa: F401  (before pyqtgraph)
import pyqtgraph as pg

from desktop.charts import charts, debt_chart
from desktop.model import engine, finance_view
from desktop.model.formatting import usd
from desktop.store import settings
from desktop.store.deal_terms import build_deal_plan
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext


@pytest.fixture
def v2(demo_project):
    plan_id = build_deal_plan(demo_project, settings.current_plan_id(demo_project))
    settings.put(demo_project, "current_plan_id", plan_id)
    return demo_project, plan_id


@pytest.fixture
def detail(v2):
    project, plan_id = v2
    return engine.evaluate_detail(scenario_from_project(project, plan_id))


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    item = widget.getPlotItem()
    item._test_widget = widget
    return item


def test_cash_views_add_up_to_the_engines_cash(detail):
    plan = detail.plan
    assert plan.terminal_value_usd.sum() > 0 and plan.tax_usd.sum() > 0 and plan.debt_drawn_usd.sum() > 0
    tv = plan.terminal_value_usd
    np.testing.assert_allclose(finance_view.cash_series(detail, "plan", "project", "aftertax") + tv, plan.cash_usd)
    np.testing.assert_allclose(finance_view.cash_series(detail, "plan", "equity", "aftertax") + tv,
                               plan.equity_cash_usd, atol=1e-6)
    np.testing.assert_allclose(finance_view.cash_series(detail, "plan", "project", "pretax"), plan.pretax_cash_usd)
    base = detail.baseline
    np.testing.assert_allclose(finance_view.cash_series(detail, "baseline", "equity", "aftertax")
                               + base.terminal_value_usd, base.equity_cash_usd)


def test_cumulative_cash_shows_terminal_value_as_a_step(plot, detail):
    charts.draw_cumulative_cash(plot, detail, "equity", "aftertax")
    _, plan = plot._rs_items["plan"].getData()
    np.testing.assert_allclose(plan, np.cumsum(detail.plan.equity_cash_usd - detail.plan.terminal_value_usd),
                               rtol=1e-9, atol=1e-3)
    _, step = plot._rs_items["tv_plan"].getData()
    assert step[0] == pytest.approx(plan[-1]) and step[1] - step[0] == pytest.approx(detail.result["plan"]["terminal_value_usd"])
    assert step[1] == pytest.approx(detail.result["plan"]["equity_net_cash_usd"], rel=1e-9)


def test_debt_chart_holds_the_engines_debt(plot, detail):
    readout = debt_chart.draw_debt(plot, detail)
    plan = detail.plan
    np.testing.assert_allclose(plot._rs_items["balance"].getData()[1], plan.debt_balance_usd)
    np.testing.assert_allclose(plot._rs_items["drawn"].opts["height"], plan.debt_drawn_usd)
    np.testing.assert_allclose(plot._rs_items["service"].opts["height"], -(plan.interest_usd + plan.scheduled_principal_usd))
    np.testing.assert_allclose(plot._rs_items["cfads"].getData()[1], plan.cfads_usd)
    assert readout.dscr == plan.dscr_by_year and len(readout.dscr) > 0
    assert plot._rs_items["dscr0"].toPlainText() == f"{plan.dscr_by_year[0][1]:.2f}x"
    assert plan.debt_drawn_usd.sum() == pytest.approx(detail.result["plan"]["debt_drawn_usd"])


def test_dashboard_tiles_toggle_and_debt_chart_follow_the_v2_plan(qapp, qtbot, v2):
    from desktop.ui.dashboard.dashboard_view import DashboardView

    project, plan_id = v2
    ctx = ProjectContext(project)
    assert ctx.plan_id == plan_id
    view = DashboardView(ctx)
    qtbot.addWidget(view)
    result = engine.evaluate(scenario_from_project(project, plan_id))
    assert view.tiles.text("equity_npv") == usd(result["delta"]["equity_npv_usd"])
    assert view.tiles.text("min_dscr") == f"{result['plan']['min_dscr']:.2f}x"
    assert view.tiles.text("terminal_value") == usd(result["plan"]["terminal_value_usd"])
    assert view.tiles.text("tax") == usd(result["plan"]["levered_tax_usd"])
    assert view.tiles.text("equity_irr").endswith("%") or view.tiles.text("equity_irr") == "n/a"
    plot = view.panels["cash"].plot
    view.cash_box.setCurrentIndex(view.cash_box.findData("equity/aftertax"))
    _, plan = plot._rs_items["plan"].getData()
    assert plan[-1] + result["plan"]["terminal_value_usd"] == pytest.approx(result["plan"]["equity_net_cash_usd"])
    view.cash_box.setCurrentIndex(view.cash_box.findData("project/pretax"))
    _, plan = plot._rs_items["plan"].getData()
    detail = view.live.detail
    np.testing.assert_allclose(plan, np.cumsum(detail.plan.pretax_cash_usd))
    debt = view.panels["debt"].plot._rs_items["balance"].getData()[1]
    np.testing.assert_allclose(debt, detail.plan.debt_balance_usd)


def test_the_debt_chart_is_one_click_away(main_window, qtbot):
    from PySide6.QtWidgets import QApplication

    dash = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(dash)
    main_window.resize(1280, 800)
    qtbot.waitUntil(lambda: dash.columns == 1, timeout=5000)
    debt = dash.panels["debt"]
    dash.scroll.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    dash.jump_buttons["debt"].click()
    QApplication.processEvents()
    assert debt.visibleRegion().boundingRect().height() >= min(debt.height(), dash.scroll.viewport().height()) - 2
