"""Compare: plans side by side on every v2 figure, and a plan with and without its financing."""
from __future__ import annotations

import pytest

from desktop.model import engine
from desktop.model.formatting import usd
from desktop.store import settings
from desktop.store.deal_terms import build_deal_plan
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext


def test_compare_shows_v2_figures_and_the_plan_without_financing(qapp, qtbot, qtmodeltester, demo_project):
    from desktop.ui.plans.compare_view import CompareView

    plan_id = build_deal_plan(demo_project, settings.current_plan_id(demo_project))
    ctx = ProjectContext(demo_project)
    view = CompareView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    model = view.model
    labels = model.labels
    for label in ("Δ equity NPV", "Equity IRR", "Minimum DSCR", "Terminal value", "Tax", "Debt drawn", "Interest",
                  "Equity net cash", "Curtailment credits"):
        assert label in labels
    names = [model.headerData(c, 1) for c in range(model.columnCount())]   # Qt.Horizontal == 1
    assert len(names) == 2
    view.unlevered_box.setChecked(True)
    view.refresh()
    qtmodeltester.check(model)
    names = [r["name"] for r in view.runs]
    assert names[-1] == "Public deals, levered (no financing)"
    col = {r["name"]: i for i, r in enumerate(view.runs)}
    row = labels.index("Δ equity NPV")
    levered = engine.evaluate(scenario_from_project(demo_project, plan_id))
    bare = scenario_from_project(demo_project, plan_id)
    bare["plan"].pop("financing")
    unlevered = engine.evaluate(bare)
    assert model.index(row, col["Public deals, levered"]).data() == usd(levered["delta"]["equity_npv_usd"])
    assert model.index(row, col["Public deals, levered (no financing)"]).data() == usd(unlevered["delta"]["equity_npv_usd"])
    debt = labels.index("Debt drawn")
    assert model.index(debt, col["Public deals, levered (no financing)"]).data() == usd(0.0)
    assert unlevered["delta"]["equity_npv_usd"] == pytest.approx(unlevered["delta"]["npv_usd"])

    plot = view.chart.plot
    runs = [r for r in view.runs if r["detail"] is not None and r["detail"].plan is not None]
    for i, run in enumerate(view.runs):
        if run["detail"] is None or run["detail"].plan is None:
            continue
        plan = run["detail"].plan
        import numpy as np

        np.testing.assert_allclose(plot._rs_items[f"plan{i}"].getData()[1],
                                   np.cumsum(plan.equity_cash_usd - plan.terminal_value_usd), atol=1e-3)
    assert "equity" in view.chart.title_label.text() and runs
