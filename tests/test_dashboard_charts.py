"""The dashboard's charts hold the engine's numbers (their data, not their pixels), and export."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import PySide6  # noqa: F401  (before pyqtgraph)
import pyqtgraph as pg

from desktop.model import engine, montecarlo, sensitivity
from desktop.store import scenario_export, settings
from desktop.charts import charts
from desktop.model import kpis
from desktop.ui.dashboard import export
from desktop.charts.axes import MonthAxis, UsdAxis, month_text
from desktop.model.formatting import usd


@pytest.fixture
def scenario(demo_project):
    return scenario_export.scenario_from_project(demo_project, settings.current_plan_id(demo_project))


@pytest.fixture
def detail(scenario):
    return engine.evaluate_detail(scenario)


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    item = widget.getPlotItem()
    item._test_widget = widget   # keeps the widget (and its layout) alive with the item
    return item


def curve(plot, name):
    found = [i for i in plot.items if isinstance(i, pg.PlotDataItem) and i.name() == name]
    assert len(found) == 1, f"no single curve named {name}: {[getattr(i, 'name', lambda: None)() for i in plot.items]}"
    return found[0]


def bars(plot, name):
    return next(i for i in plot.items if isinstance(i, pg.BarGraphItem) and i.name() == name)


def test_cumulative_cash_is_the_engines(plot, detail):
    readout = charts.draw_cumulative_cash(plot, detail)
    x, y = curve(plot, "Keep mining").getData()
    np.testing.assert_allclose(y, detail.baseline.cumulative_cash_usd)
    np.testing.assert_array_equal(x, np.arange(len(detail.months)))
    _, plan = curve(plot, "Plan").getData()
    np.testing.assert_allclose(plan, np.cumsum([m["plan_net_cash_usd"] for m in detail.result["monthly"]]))
    crossover = plot._rs_items["crossover"]
    assert crossover.value() == detail.result["delta"]["payback_month"] == charts.crossover_month(detail)
    assert isinstance(plot.getAxis("bottom"), MonthAxis) and isinstance(plot.getAxis("left"), UsdAxis)
    assert readout.text_at(0, 0).startswith(month_text(detail.months[0], 0))


def test_redraw_updates_in_place(plot, detail, scenario):
    charts.draw_cumulative_cash(plot, detail)
    item = curve(plot, "Plan")
    scenario["market"]["btc_price_usd"] *= 1.5
    other = engine.evaluate_detail(scenario)
    charts.draw_cumulative_cash(plot, other)
    assert curve(plot, "Plan") is item
    np.testing.assert_allclose(item.getData()[1], other.plan.cumulative_cash_usd)


def test_revenue_and_costs_are_stacked(plot, detail):
    charts.draw_revenue_costs(plot, detail)
    parts = charts.monthly_parts(detail.plan)
    mining, hosting, resale = bars(plot, "Mining"), bars(plot, "Hosting"), bars(plot, "Resale")
    np.testing.assert_allclose(mining.opts["height"], detail.plan.mining_revenue_usd.sum(axis=0))
    np.testing.assert_allclose(hosting.opts["height"], parts["hosting_revenue_usd"])
    np.testing.assert_allclose(hosting.opts["y0"], parts["mining_revenue_usd"])
    np.testing.assert_allclose(resale.opts["y0"], parts["mining_revenue_usd"] + parts["hosting_revenue_usd"])
    power, capex = bars(plot, "Power"), bars(plot, "Capex")
    np.testing.assert_allclose(power.opts["height"], -parts["power_cost_usd"])
    np.testing.assert_allclose(capex.opts["y0"], -parts["power_cost_usd"] - parts["opex_usd"])
    np.testing.assert_allclose(plot._rs_items["net"].getData()[1], detail.plan.cash_usd)
    assert abs(detail.result["plan"]["capex_usd"] - parts["capex_usd"].sum()) < 1e-3
    charts.draw_revenue_costs(plot, detail, "baseline")
    np.testing.assert_allclose(bars(plot, "Mining").opts["height"], detail.baseline.mining_revenue_usd.sum(axis=0))


def test_power_per_site_and_grid(plot, detail):
    site = detail.site_names.index("Red Mesa")
    charts.draw_power(plot, detail, site)
    pue = detail.scenario["sites"][site]["pue_mining"]
    _, mining = plot._rs_items["mining"].getData()
    np.testing.assert_allclose(mining, detail.plan.mining_mw[site] * pue)
    _, total = plot._rs_items["hosting"].getData()
    np.testing.assert_allclose(total - mining, detail.plan.hosting_mw_reserved[site])
    edges, capacity = plot._rs_items["grid"].getData()
    np.testing.assert_allclose(capacity, detail.grid_capacity_by_month_mw[site])   # stepped: one step a month
    assert len(edges) == len(capacity) + 1 and capacity[0] == detail.grid_capacity_mw[site]
    assert (total <= detail.grid_capacity_by_month_mw[site] + 1e-9).all()
    charts.draw_power(plot, detail, None)
    assert plot._rs_items["grid"].getData()[1][0] == pytest.approx(sum(detail.grid_capacity_mw))


def test_hashprice_cost_per_btc_and_halving(plot, detail):
    charts.draw_hashprice(plot, detail)
    np.testing.assert_allclose(plot._rs_items["hashprice"].getData()[1], detail.market.hashprice_usd_per_ph_day)
    assert plot._rs_items["hashprice"].getData()[1][0] == pytest.approx(detail.result["market"]["hashprice_usd_per_ph_day"], rel=0.02)
    _, cost = plot._rs_right_items["cost"].getData()
    assert cost[0] == pytest.approx(detail.result["baseline"]["cost_per_btc_usd"])
    halving = plot._rs_items["halving0"].value()
    assert month_text(detail.months[0], int(halving)).endswith("2028")
    height = detail.market.heights[int(halving)]
    assert height <= 1_050_000 < height + detail.market.blocks[int(halving)]


def test_tornado_bars_are_the_sensitivity(plot, scenario):
    rows = sensitivity.tornado(scenario)
    readout = charts.draw_tornado(plot, rows)
    low, high = bars(plot, "Input down"), bars(plot, "Input up")
    base = rows[0]["base_delta_npv_usd"]
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        j = list(high.opts["y"]).index(y)
        assert (high.opts["x0"][j], high.opts["x1"][j]) == (min(base, row["delta_npv_high"]), max(base, row["delta_npv_high"]))
        assert (low.opts["x0"][j], low.opts["x1"][j]) == (min(base, row["delta_npv_low"]), max(base, row["delta_npv_low"]))
    labels = [t[1] for t in plot.getAxis("left")._tickLevels[0]]
    assert labels == [r["label"] for r in rows]
    assert rows[0]["label"] in readout.text_at(0, len(rows) - 1)


def test_fan_is_the_monte_carlo_percentiles(plot, scenario, detail):
    mc = montecarlo.simulate(scenario, 300, seed=1, detail=detail)
    charts.draw_fan(plot, mc)
    bands = mc.delta.cumulative_cash_percentiles_usd
    np.testing.assert_allclose(plot._rs_items["median"].getData()[1], bands[2])
    np.testing.assert_allclose(plot._rs_items["p5"].getData()[1], bands[0])
    np.testing.assert_allclose(plot._rs_items["p95"].getData()[1], bands[4])
    assert isinstance(plot._rs_items["outer"], pg.FillBetweenItem)
    np.testing.assert_allclose(plot._rs_items["deterministic"].getData()[1], np.cumsum(detail.delta_cash_usd))


def test_compare_overlays_plans(plot, detail, scenario):
    scenario["plan"]["conversions"][0]["lease_usd_per_kw_month"] = 100.0
    cheaper = engine.evaluate_detail(scenario)
    charts.draw_compare_cash(plot, [("A", detail), ("B", cheaper)])
    np.testing.assert_allclose(curve(plot, "A").getData()[1], detail.plan.cumulative_cash_usd)
    np.testing.assert_allclose(curve(plot, "B").getData()[1], cheaper.plan.cumulative_cash_usd)
    np.testing.assert_allclose(curve(plot, "Keep mining").getData()[1], detail.baseline.cumulative_cash_usd)
    charts.draw_compare_cash(plot, [("A renamed", detail)])
    assert curve(plot, "A renamed") is not None and "plan1" not in plot._rs_items


def test_kpis_from_the_result(detail):
    figures = kpis.plan_figures(detail)
    result = detail.result
    assert figures["delta_npv_usd"] == result["delta"]["npv_usd"]
    assert figures["btc_forgone"] == pytest.approx(result["baseline"]["btc_mined"] - result["plan"]["btc_mined"])
    assert figures["critical_it_mw"] == pytest.approx(sum(c["critical_it_mw"] for c in detail.scenario["plan"]["conversions"]))
    tiles = {k.key: k for k in kpis.plan_kpis(detail, 0.73)}
    assert tiles["p_beats"].text == "73 %"
    assert tiles["payback"].text == month_text(detail.months[0], result["delta"]["payback_month"])
    assert tiles["delta_npv"].tone == ("good" if result["delta"]["npv_usd"] > 0 else "bad")


def test_axes_read_as_dates_and_dollars(qtbot):
    axis = MonthAxis("2026-12")
    levels = axis.tickValues(0, 120, 1000)
    assert levels[0][0] == 12 and levels[0][1][0] == 1.0   # January 2027 is month 1
    assert axis.tickStrings(levels[0][1][:2], 1, 12) == ["2027", "2028"]
    usd_axis = UsdAxis()
    assert usd_axis.tickStrings([-100e6, 0, 100e6], 1, 100e6) == ["-$100M", "$0", "$100M"]
    assert usd_axis.tickStrings([0, 2500, 5000], 1, 2500) == ["$0", "$2.5k", "$5.0k"]


def test_export_png_and_svg(qtbot, tmp_path, detail):
    from desktop.ui.dashboard.panel import ChartPanel

    panel = ChartPanel("Cumulative cash", charts.draw_cumulative_cash)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    panel.show_data(detail)
    panel.export_to(tmp_path / "cash.png")
    panel.export_to(tmp_path / "cash.svg")
    assert (tmp_path / "cash.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    root = ET.parse(tmp_path / "cash.svg").getroot()
    assert root.tag.endswith("svg")
    text = (tmp_path / "cash.svg").read_text(encoding="utf-8")
    assert "2028" in text and "$" in text          # the axes' text is in the vector file
    assert "<path" in text or "<polyline" in text
    with pytest.raises(Exception):
        export.export(panel.widget, tmp_path / "cash.gif")


def test_hover_reads_values_with_units(qtbot, detail):
    from desktop.ui.dashboard.panel import ChartPanel

    panel = ChartPanel("Power", charts.draw_power)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_data(detail, 0)
    month = 30
    scene_pos = panel.plot.vb.mapViewToScene(pg.Point(month, 10))
    panel._mouse_moved(scene_pos)
    text = panel.readout_label.text()
    assert text.startswith(month_text(detail.months[0], month)) and "MW" in text
    assert panel.crosshair.isVisible() and panel.crosshair.value() == month


def test_cost_per_btc_never_leaves_the_plot(plot, detail):
    """The demo's cost per BTC passes $2M after the 2036 halving, far above the right axis: the
    drawn curve stops on the axis's top (whatever the renderer clips), and the text under the months
    says from when and how high."""
    charts.draw_hashprice(plot, detail)
    top = plot._rs_right.viewRange()[1][1]
    assert float(np.nanmax(detail.baseline.cost_per_btc_usd)) > top
    for key in ("cost", "price"):
        x, y = plot._rs_right_items[key].getData()
        assert np.nanmax(y) <= top * (1 + 1e-9)
        assert x.min() >= -0.5 and x.max() <= len(detail.months) - 0.5
    x, y = plot._rs_right_items["cost"].getData()
    assert np.nanmax(y) == pytest.approx(top)            # the curve reaches the top, then stops
    axis = plot.getAxis("bottom")
    highest = usd(float(np.nanmax(detail.baseline.cost_per_btc_usd)))
    # (the axis tops out at a round step above 1.1 x the capped cost: off scale from Feb 33)
    assert axis.label.isVisible() and axis.labelText == f"cost per BTC off scale from Feb 33, peak {highest}"


def test_cut_at_keeps_what_is_under_the_ceiling():
    x, y = charts.cut_at(np.arange(5.0), np.array([1.0, 3.0, 5.0, 3.0, 1.0]), 4.0)
    np.testing.assert_allclose(x, [0, 1, 1.5, 1.5, 2, 2.5, 3, 4])
    np.testing.assert_allclose(y, [1, 3, 4, np.nan, np.nan, 4, 3, 1])
    x, y = charts.cut_at(np.arange(3.0), np.array([1.0, 2.0, 3.0]), 4.0)
    np.testing.assert_allclose(y, [1, 2, 3])


def test_halving_texts_never_share_a_height_with_a_neighbour(plot, detail):
    """Three halvings in the demo's ten years: each text at its own height, and only the one in
    the last quarter of the horizon on the left of its line (no text leaves the plot)."""
    charts.draw_hashprice(plot, detail)
    lines = [plot._rs_items[f"halving{i}"] for i in range(len(charts.halving_months(detail)))]
    assert len(lines) == 3
    assert len({line.label.orthoPos for line in lines}) == 3
    sides = [line.label.anchors[0][0] for line in lines]
    assert sides == [0, 0, 1]
