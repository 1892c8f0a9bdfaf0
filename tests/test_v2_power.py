"""Power per site (ECONOMICS.md v2): energy price growth, curtailment and its credit, miners
yielding to firm load, and the grid schedule, edited in the Sites view (undoable) and drawn on
the power chart by data."""
from __future__ import annotations

import numpy as np
import pytest

import PySide6  # noqa: F401  (before pyqtgraph)
import pyqtgraph as pg

from desktop.charts import charts
from desktop.model import engine
from desktop.model.errors import InputError
from desktop.model.grid_schedule import checked_schedule
from desktop.store import sites
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext


@pytest.fixture
def view(qapp, qtbot, demo_project):
    from desktop.ui.editors.sites_view import SitesView

    ctx = ProjectContext(demo_project)
    widget = SitesView(ctx)
    qtbot.addWidget(widget)
    widget.select(sites.sites(demo_project)[0].id)
    return widget


def test_site_form_edits_energy_growth_curtailment_and_yield(view):
    ctx, site_id = view.ctx, view.current_id()
    for key, text, value in (("energy_price_growth_pct_per_year", "3", 3.0), ("curtailment_pct", "5", 5.0),
                             ("curtailment_credit_usd_per_mwh", "40", 40.0)):
        edit = view.form.fields[key]
        edit.setText(text)
        edit.commit_now()
        assert getattr(sites.get(ctx.project, site_id), key) == value
    view.form.fields["curtailment_pct"].setText("101")
    view.form.fields["curtailment_pct"]._check()
    assert "between 0 and 100" in view.form.fields["curtailment_pct"].message
    box = view.form.fields["miners_yield_to_grid"]
    box.click()
    assert sites.get(ctx.project, site_id).miners_yield_to_grid is True or \
        sites.get(ctx.project, site_id).miners_yield_to_grid == 1
    result = engine.evaluate(scenario_from_project(ctx.project, ctx.plan_id))
    assert result["baseline"]["power_credit_usd"] > 0 and result["baseline"]["curtailed_mwh"] > 0
    ctx.undo_stack.undo()
    assert not sites.get(ctx.project, site_id).miners_yield_to_grid and not box.isChecked()


def test_grid_schedule_editor_adds_edits_and_removes_steps_undoably(view):
    ctx, site_id = view.ctx, view.current_id()
    editor = view.grid_schedule
    capacity = sites.get(ctx.project, site_id).grid_capacity_mw
    editor.add_step()
    assert sites.get(ctx.project, site_id).grid_schedule == [{"from_month": 12, "capacity_mw": capacity}]
    model = editor.model
    assert model.setData(model.index(0, 1), str(capacity + 20))
    assert model.setData(model.index(0, 0), "24")
    assert model.index(0, 0).data().endswith("(m24)")
    assert sites.get(ctx.project, site_id).grid_schedule == [{"from_month": 24, "capacity_mw": capacity + 20}]
    assert not model.setData(model.index(0, 1), "0")            # the engine's rule: capacity > 0
    assert not model.setData(model.index(0, 0), "100000")       # past the horizon
    assert "grid_schedule" in editor.message.text()
    detail = engine.evaluate_detail(scenario_from_project(ctx.project, ctx.plan_id))
    s = detail.site_names.index(sites.get(ctx.project, site_id).name)
    assert detail.grid_capacity_by_month_mw[s, 23] == capacity and detail.grid_capacity_by_month_mw[s, 24] == capacity + 20
    editor.remove_step()
    assert sites.get(ctx.project, site_id).grid_schedule == []
    ctx.undo_stack.undo()
    assert sites.get(ctx.project, site_id).grid_schedule == [{"from_month": 24, "capacity_mw": capacity + 20}]
    assert editor.model.rowCount() == 1


def test_checked_schedule_sorts_and_refuses_clashes():
    assert checked_schedule([{"from_month": 24, "capacity_mw": 80}, {"from_month": 6, "capacity_mw": 70}], 60) == \
        [{"from_month": 6, "capacity_mw": 70.0}, {"from_month": 24, "capacity_mw": 80.0}]
    with pytest.raises(InputError, match="two steps"):
        checked_schedule([{"from_month": 6, "capacity_mw": 70}, {"from_month": 6, "capacity_mw": 80}], 60)


def test_power_chart_draws_the_stepped_grid_and_yielded_and_curtailed_energy(qtbot, demo_project):
    scenario = scenario_from_project(demo_project, ProjectContext(demo_project).plan_id)
    site = scenario["sites"][0]
    site["grid_schedule"] = [{"from_month": 30, "capacity_mw": site["grid_capacity_mw"] * 1.5}]
    site["curtailment_pct"], site["curtailment_credit_usd_per_mwh"] = 4.0, 30.0
    site["miners_yield_to_grid"] = True
    detail = engine.evaluate_detail(scenario)
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    readout = charts.draw_power(plot, detail, 0)
    edges, capacity = plot._rs_items["grid"].getData()
    np.testing.assert_allclose(capacity, detail.grid_capacity_by_month_mw[0])
    assert capacity[29] == site["grid_capacity_mw"] and capacity[30] == site["grid_capacity_mw"] * 1.5
    hours = 24 * detail.market.days
    np.testing.assert_allclose(plot._rs_items["curtailed"].getData()[1], detail.plan.curtailed_mwh[0] / hours)
    assert detail.plan.curtailed_mwh[0].sum() > 0
    assert "Curtailed MWh" in readout.text_at(1, 0)
