"""Repainting less after an edit: chart ranges snap to round steps, so an edit that moves the
data a little leaves the range and the axis (its laid-out tick texts) as they were; the
dashboard's axes paint from a cached pixmap on screen and as themselves in exported files."""
from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import assume, given, strategies as st

from desktop.charts import charts
from desktop.charts.layers import fit, nice_step, snap
from desktop.model import engine
from desktop.store import scenario_export, settings


@pytest.fixture
def detail(demo_project):
    return engine.evaluate_detail(scenario_export.scenario_from_project(demo_project,
                                                                        settings.current_plan_id(demo_project)))


@given(st.floats(-1e12, 1e12), st.floats(1e-6, 1e12))
def test_snap_widens_to_round_steps_by_less_than_a_fifth(lo, span):
    assume(span > abs(lo) * 1e-6)                # a chart's span is never a millionth of its level
    hi = lo + span
    a, b = snap((lo, hi))
    tiny = span * 1e-8                           # float rounding at the edges, invisible
    assert a <= lo + tiny and b >= hi - tiny
    assert (lo - a) <= span / 5 * (1 + 1e-9) and (b - hi) <= span / 5 * (1 + 1e-9)
    step = nice_step(span / 10)
    for edge in (a, b):
        assert abs(edge / step - round(edge / step)) < 1e-6


@pytest.mark.parametrize("value, step", [(0.9, 1), (1, 1), (1.1, 2), (2.2, 2.5), (3, 5), (7, 10), (120, 200)])
def test_nice_step(value, step):
    assert nice_step(value) == pytest.approx(step)


def test_a_small_change_keeps_the_range(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    first = fit(plot, (0, 10), [np.linspace(-3.0e6, 41.0e6, 11)])
    second = fit(plot, (0, 10), [np.linspace(-3.0e6, 41.4e6, 11)])
    assert first == second and first[0] <= -3.0e6 and first[1] >= 41.4e6
    assert fit(plot, (0, 10), [np.linspace(-3.0e6, 80e6, 11)])[1] >= 80e6   # a real change still refits


def test_an_edit_that_moves_the_cash_a_little_does_not_lay_out_the_axis_again(qtbot, demo_project):
    import copy

    scenario = scenario_export.scenario_from_project(demo_project, settings.current_plan_id(demo_project))
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    plot = widget.getPlotItem()
    charts.draw_cumulative_cash(plot, engine.evaluate_detail(scenario))
    widget.grab()                              # painted: the axis lays out its ticks
    left = plot.getAxis("left")
    assert left.picture is not None
    before, drawn = plot.vb.viewRange(), plot._rs_items["plan"].getData()[1].copy()
    edited = copy.deepcopy(scenario)
    edited["market"]["btc_price_usd"] *= 1.001        # a planner nudges the price
    charts.draw_cumulative_cash(plot, engine.evaluate_detail(edited))
    assert not np.allclose(plot._rs_items["plan"].getData()[1], drawn)   # the data did move
    assert plot.vb.viewRange() == before
    assert left.picture is not None            # its ticks and texts as they were: not drawn again


def test_dashboard_axes_paint_from_a_cache_on_screen(qtbot, detail):
    from PySide6.QtWidgets import QGraphicsItem

    from desktop.ui.dashboard.panel import ChartPanel

    panel = ChartPanel("Cumulative cash", charts.draw_cumulative_cash)
    qtbot.addWidget(panel)
    panel.show_data(detail)
    for side in ("left", "bottom"):
        assert panel.plot.getAxis(side).cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache


def test_a_hidden_summary_follows_edits_when_shown_again(main_window):
    from desktop.store import sites
    from desktop.ui import context

    summary = main_window.views["Summary"]
    main_window.tabs.setCurrentWidget(main_window.views["Dashboard"])
    assert not summary.isVisible()
    calls = []
    original = summary.refresh
    summary.refresh = lambda: (calls.append(1), original())
    ctx = main_window.ctx
    shown = sites.by_name(ctx.project, "Red Mesa")
    sites.update(ctx.project, shown.id, location="Moved while hidden")
    ctx.notify(context.SITES)
    assert calls == []                         # nobody sees it: not refreshed
    main_window.tabs.setCurrentWidget(summary)
    assert calls == [1] and "Moved while hidden" in summary.toPlainText()


def test_redrawing_the_hashprice_sets_no_text_that_did_not_change(qtbot, detail, monkeypatch):
    from pyqtgraph.graphicsItems.InfiniteLine import InfLineLabel

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    charts.draw_hashprice(plot, detail)
    calls = []
    monkeypatch.setattr(InfLineLabel, "setFormat", lambda self, text: calls.append(text))
    monkeypatch.setattr(pg.AxisItem, "setLabel", lambda self, *a, **k: calls.append(a))
    charts.draw_hashprice(plot, detail)        # the halvings, their texts and the axis labels as they were
    assert calls == []


def test_an_edit_reaches_the_screen_in_one_frame(main_window, qtbot):
    """The charts an edit changes are painted together, once each, in one frame of the window."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    dash = main_window.views["Dashboard"]
    main_window.resize(1500, 950)
    main_window.tabs.setCurrentWidget(dash)
    qtbot.waitUntil(lambda: dash.live.detail is not None)
    dash.live.risk_enabled = False           # no background run to deliver during the edit
    dash.live.cancel_risk()
    dash.live.runner.wait(30000)
    qtbot.wait(400)                          # shown and laid out: all painted
    viewports = {panel.widget.viewport(): name for name, panel in dash.panels.items()}
    frames = []

    class Frames(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.UpdateRequest and obj is main_window:
                frames.append([])
            elif event.type() == QEvent.Type.Paint and obj in viewports and frames:
                frames[-1].append(viewports[obj])
            return False

    spy = Frames()
    evaluated = []
    dash.live.evaluated.connect(lambda _detail: evaluated.append(len(frames)))
    QApplication.instance().installEventFilter(spy)
    try:
        before = {name: panel.updates for name, panel in dash.panels.items()}
        dash.market.set_value("btc_price_usd", 91_000.0)
        dash.market.flush()
        qtbot.waitUntil(lambda: not dash.live.pending and dash.live.evaluations > 0)
        for _ in range(10):
            QApplication.processEvents()
    finally:
        QApplication.instance().removeEventFilter(spy)
    updated = sorted(name for name, panel in dash.panels.items() if panel.updates > before[name]
                     and not panel.widget.viewport().visibleRegion().isEmpty())   # on screen: painted
    assert {"cash", "hashprice"} <= set(updated)
    assert len(evaluated) == 1
    with_updated = [f for f in frames[evaluated[0]:] if set(f) & set(updated)]   # the frames after the edit's result
    assert len(with_updated) == 1                              # one frame
    assert sorted(n for n in with_updated[0] if n in updated) == updated   # each changed chart once
