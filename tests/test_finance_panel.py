"""The Finance view: tax, terminal value and the plan's financing, checked as typed, undoable,
and what the engine evaluates."""
from __future__ import annotations

import pytest

from desktop.model import engine
from desktop.model.finance_fields import FINANCE_FIELDS
from desktop.store import plans, settings
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext
from desktop.ui.finance_panel import FinancePanel


@pytest.fixture
def panel(qapp, qtbot, demo_project):
    ctx = ProjectContext(demo_project)
    widget = FinancePanel(ctx)
    qtbot.addWidget(widget)
    return widget


def test_every_finance_field_is_shown_with_its_meaning_and_a_typical_value(panel):
    from PySide6.QtWidgets import QLabel

    for spec in FINANCE_FIELDS:
        assert (spec.section, spec.key) in panel.fields
        help_label = panel.findChild(QLabel, f"help_{spec.section}_{spec.key}")
        assert spec.meaning in help_label.text() and "Typical:" in help_label.text()
    assert not any(g.isChecked() for g in panel.groups.values())   # the demo has no tax, terminal or debt


def test_turning_tax_on_and_typing_a_rate_reaches_the_engine_and_undoes(panel):
    ctx = panel.ctx
    panel.groups["tax"].setChecked(True)
    assert settings.assumptions(ctx.project)["tax"] == {"rate_pct": 21.0, "depreciation_months": 180,
                                                        "gpu_depreciation_months": 60}
    edit = panel.fields[("tax", "rate_pct")]
    edit.setText("25")
    edit.commit_now()
    scenario = scenario_from_project(ctx.project, ctx.plan_id)
    assert scenario["tax"]["rate_pct"] == 25.0
    assert engine.evaluate(scenario)["plan"]["tax_usd"] > 0
    ctx.undo_stack.undo()
    assert settings.assumptions(ctx.project)["tax"]["rate_pct"] == 21.0 and panel.fields[("tax", "rate_pct")].text() == "21"
    ctx.undo_stack.undo()
    assert settings.assumptions(ctx.project)["tax"] is None and not panel.groups["tax"].isChecked()


def test_a_refused_value_names_the_rule_and_stores_nothing(panel):
    ctx = panel.ctx
    panel.groups["terminal"].setChecked(True)
    steps = ctx.undo_stack.count()
    edit = panel.fields[("terminal", "hosting_ebitda_multiple")]
    edit.setText("-3")
    edit._check()
    edit.commit_now()
    assert "at least 0" in edit.message
    assert ctx.undo_stack.count() == steps
    assert settings.assumptions(ctx.project)["terminal"]["hosting_ebitda_multiple"] == 0.0


def test_the_plans_financing_is_set_per_plan(panel):
    ctx = panel.ctx
    panel.groups["financing"].setChecked(True)
    panel.fields[("financing", "amortization")].choose("bullet")
    edit = panel.fields[("financing", "equity_discount_rate_pct")]
    edit.setText("14")
    edit.commit_now()
    financing = plans.get(ctx.project, ctx.plan_id).financing
    assert financing["amortization"] == "bullet" and financing["equity_discount_rate_pct"] == 14.0
    edit.setText("")
    edit.commit_now()
    assert "equity_discount_rate_pct" not in plans.get(ctx.project, ctx.plan_id).financing
    result = engine.evaluate(scenario_from_project(ctx.project, ctx.plan_id))
    assert result["plan"]["debt_drawn_usd"] == pytest.approx(0.6 * result["plan"]["capex_usd"])
    panel.groups["financing"].setChecked(False)
    assert plans.get(ctx.project, ctx.plan_id).financing is None
    ctx.undo_stack.undo()
    assert plans.get(ctx.project, ctx.plan_id).financing is not None and panel.groups["financing"].isChecked()


def test_an_implausible_but_valid_value_is_stored_with_a_warning(panel):
    ctx = panel.ctx
    panel.groups["financing"].setChecked(True)
    edit = panel.fields[("financing", "loan_to_cost_pct")]
    edit.setText("95")
    edit._check()
    edit.commit_now()
    assert plans.get(ctx.project, ctx.plan_id).financing["loan_to_cost_pct"] == 95.0
    assert "85" in panel.warnings[("financing", "loan_to_cost_pct")].text()
    edit.setText("85")
    edit._check()
    edit.commit_now()
    assert panel.warnings[("financing", "loan_to_cost_pct")].text() == ""     # Hut 8's published figure is typical
