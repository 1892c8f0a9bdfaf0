"""The live controller evaluates only when the scenario changed: an edit the economics do not
rest on reuses the last result (the engine is not run, the risk is not restarted), and whatever
the sequence of edits, what the dashboard holds equals a full evaluation of the plan."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from desktop.model import engine
from desktop.store import settings, sites
from desktop.store.scenario_export import scenario_from_project
from desktop.ui import context
from desktop.ui.context import ProjectContext
from desktop.ui.dashboard import live as live_module


@pytest.fixture
def ctx(qapp, demo_project):
    return ProjectContext(demo_project)


@pytest.fixture
def dash(qtbot, ctx):
    from desktop.ui.dashboard.dashboard_view import DashboardView

    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.live.risk_enabled = False
    yield view
    view.live.shutdown()


def settle(qtbot, dash, before: int) -> None:
    qtbot.waitUntil(lambda: dash.live.evaluations > before and not dash.live.pending, timeout=5000)


def full_result(ctx) -> dict:
    return engine.evaluate_detail(scenario_from_project(ctx.project, ctx.plan_id)).result


def test_an_edit_the_scenario_leaves_out_reuses_the_result(qtbot, ctx, dash, monkeypatch):
    runs = []
    real = live_module.engine.evaluate_detail
    monkeypatch.setattr(live_module.engine, "evaluate_detail", lambda s: runs.append(1) or real(s))
    detail = dash.live.detail
    site = sites.sites(ctx.project)[0]
    before = dash.live.evaluations
    sites.update(ctx.project, site.id, notes="call the utility about the 2027 upgrade")
    ctx.notify(context.SITES)
    settle(qtbot, dash, before)
    assert runs == [] and dash.live.reused == 1 and dash.live.detail is detail
    before = dash.live.evaluations
    sites.update(ctx.project, site.id, energy_price_usd_per_mwh=site.energy_price_usd_per_mwh + 5)
    ctx.notify(context.SITES)
    settle(qtbot, dash, before)
    assert runs == [1] and dash.live.detail is not detail
    assert dash.live.detail.result == full_result(ctx)


EDITS = st.lists(st.sampled_from(["price", "notes", "energy", "nothing", "undo"]), min_size=1, max_size=6)


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_what_the_dashboard_holds_equals_a_full_evaluation(qtbot, ctx, dash, edits):
    site = sites.sites(ctx.project)[0]
    for k, edit in enumerate(edits):
        before = dash.live.evaluations
        if edit == "price":
            dash.market.set_value("btc_price_usd", 80_000 + 1_000 * (len(edits) + k))
            dash.market.flush()
        elif edit == "undo" and ctx.undo_stack.canUndo():
            ctx.undo_stack.undo()
        else:
            if edit == "notes":
                sites.update(ctx.project, site.id, notes=f"note {k}")
            elif edit == "energy":
                sites.update(ctx.project, site.id, energy_price_usd_per_mwh=30.0 + k)
            ctx.notify(context.SITES)
        if dash.live.pending or dash.live.evaluations == before:
            dash.live.evaluate_now()
        assert dash.live.detail.result == full_result(ctx)
