"""Deal terms per conversion: the v2 columns of the terms editor, the deal library (one undo
step), the timeline's term and renewals, and the terms in words."""
from __future__ import annotations

import pytest

from desktop.model import deals, engine
from desktop.model.terms_words import conversion_terms_text
from desktop.store import plans
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext
from desktop.ui.plans.terms import BY_KEY, COLUMNS
from desktop.ui.plans.terms_model import ConversionTermsModel


@pytest.fixture
def ctx(qapp, demo_project):
    return ProjectContext(demo_project)


def first(ctx):
    return plans.conversions(ctx.project, ctx.plan_id)[0]


def cell(model, key, row=0):
    return model.index(row, COLUMNS.index(BY_KEY[key]))


def test_term_renewals_and_prepayment_are_edited_checked_and_undone(ctx, qtbot):
    model = ConversionTermsModel(ctx)
    assert cell(model, "term_months").data() == "to the horizon"
    with qtbot.waitSignal(model.refused) as refused:       # renewals need a term (the engine's rule)
        assert not model.setData(cell(model, "renewals"), "2")
    assert refused.args[0].startswith("Renewals needs a contract term") and first(ctx).renewals == 0
    assert model.setData(cell(model, "term_months"), "180")
    assert model.setData(cell(model, "renewals"), "3")
    assert model.setData(cell(model, "renewal_term_months"), "60")
    assert model.setData(cell(model, "prepayment_usd"), "$1,000,000")
    conv = first(ctx)
    assert (conv.term_months, conv.renewals, conv.renewal_term_months, conv.prepayment_usd) == (180, 3, 60, 1e6)
    assert cell(model, "term_months").data() == "15 yr" and cell(model, "renewal_term_months").data() == "5 yr"
    with qtbot.waitSignal(model.refused) as refused:
        assert not model.setData(cell(model, "term_months"), "0")
    assert refused.args[0].startswith("Contract term must be at least 1")   # the planner's words
    entry = scenario_from_project(ctx.project, ctx.plan_id)["plan"]["conversions"][0]
    assert entry["term_months"] == 180 and entry["renewals"] == 3 and entry["prepayment_usd"] == 1e6
    engine.evaluate(scenario_from_project(ctx.project, ctx.plan_id))
    # clearing the term clears what needs one, in the same step
    assert model.setData(cell(model, "term_months"), "")
    conv = first(ctx)
    assert conv.term_months is None and conv.renewals == 0 and conv.prepayment_usd == 0
    engine.evaluate(scenario_from_project(ctx.project, ctx.plan_id))
    ctx.undo_stack.undo()
    assert first(ctx).renewals == 3 and first(ctx).term_months == 180


def test_gpu_growth_and_residual_are_gpu_cloud_terms(ctx):
    model = ConversionTermsModel(ctx)
    assert cell(model, "gpu_residual_pct").data() == "-"
    assert model.setData(cell(model, "mode"), "gpu_cloud")
    assert model.setData(cell(model, "term_months"), "60")
    assert model.setData(cell(model, "gpu_hour_growth_pct_per_year"), "-10")
    assert model.setData(cell(model, "gpu_residual_pct"), "20")
    assert not model.setData(cell(model, "gpu_residual_pct"), "120")
    conv = first(ctx)
    assert conv.gpu_hour_growth_pct_per_year == -10 and conv.gpu_residual_pct == 20


def test_library_deals_carry_sources_and_reproduce_their_contract_value():
    library = deals.load_deals()
    assert {d.id for d in library} >= {"hut8-fluidstack-river-bend", "terawulf-fluidstack-lake-mariner",
                                       "corescientific-coreweave", "cipher-aws", "iren-microsoft",
                                       "applieddigital-coreweave-ellendale"}
    for deal in library:
        assert deal.sources and all(s["url"].startswith("https://") and s["title"] for s in deal.sources)
        if deal.mode == "colocation":
            e = deal.lease_escalator_pct_per_year / 100
            rent = sum(deal.critical_it_mw * 1000 * deal.implied_lease_usd_per_kw_month * (1 + e) ** (m // 12)
                       for m in range(deal.term_months))
            assert rent == pytest.approx(deal.contract_value_usd, rel=1e-9)
    hut8 = deals.by_id(library, "hut8-fluidstack-river-bend")
    assert hut8.average_usd_per_kw_month == pytest.approx(7e9 / 245_000 / 180)   # ~159, reference table
    assert hut8.implied_lease_usd_per_kw_month < hut8.average_usd_per_kw_month   # it escalates from there


def _one_conversion_scenario(ctx, deal):
    scenario = scenario_from_project(ctx.project, ctx.plan_id)
    conv = first(ctx)
    scenario["plan"]["conversions"] = [c for c in scenario["plan"]["conversions"]
                                       if c["start_month"] == conv.start_month][:1]
    scenario["horizon_months"] = conv.start_month + conv.build_months + deal.term_months + 1
    return scenario


def test_a_deal_fills_the_terms_in_one_undo_step_and_earns_its_value(ctx):
    from desktop.ui.plans.deal_library import apply_deal, deal_of

    library = deals.load_deals()
    hut8 = deals.by_id(library, "hut8-fluidstack-river-bend")
    before = first(ctx)
    steps = ctx.undo_stack.count()
    apply_deal(ctx, before.id, hut8)
    assert ctx.undo_stack.count() == steps + 1
    conv = first(ctx)
    assert (conv.term_months, conv.renewals, conv.renewal_term_months) == (180, 3, 60)
    assert conv.lease_escalator_pct_per_year == 3.0 and conv.power_pass_through
    assert deal_of(ctx.project, conv.id) == hut8.id
    # the lease the deal writes, over its base term, is the contract value scaled to this conversion's MW
    scenario = _one_conversion_scenario(ctx, hut8)
    scenario["plan"]["conversions"][0]["renewals"] = 0
    detail = engine.evaluate_detail(scenario)
    assert detail.plan.hosting_revenue_usd.sum() == pytest.approx(7e9 * conv.critical_it_mw / 245, rel=1e-4)  # cents
    ctx.undo_stack.undo()
    back = first(ctx)
    assert back.term_months == before.term_months and back.lease_usd_per_kw_month == before.lease_usd_per_kw_month
    assert deal_of(ctx.project, back.id) is None


def test_a_gpu_cloud_deal_switches_the_mode_and_scales_the_prepayment(ctx):
    from desktop.ui.plans.deal_library import apply_deal

    iren = deals.by_id(deals.load_deals(), "iren-microsoft")
    conv = first(ctx)
    written = apply_deal(ctx, conv.id, iren)
    after = first(ctx)
    share = after.critical_it_mw / 200
    assert after.mode == "gpu_cloud" and after.term_months == 60 and after.gpu_count == written["gpu_count"] > 0
    assert after.prepayment_usd == pytest.approx(0.2 * 9.7e9 * share, rel=1e-9)
    assert after.gpu_capex_usd == pytest.approx(5.8e9 * share, rel=1e-9)
    detail = engine.evaluate_detail(_one_conversion_scenario(ctx, iren))
    assert detail.plan.hosting_revenue_usd.sum() == pytest.approx(9.7e9 * share, rel=2e-3)  # calendar days vs 30.44


def test_the_deal_dialog_applies_the_chosen_deal(ctx, qtbot):
    from desktop.ui.plans.plans_view import PlansView

    view = PlansView(ctx)
    qtbot.addWidget(view)
    dialog = view.deal_dialog()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 6
    dialog.choose("cipher-aws")
    assert "300 MW" in dialog.text.toPlainText() and "parameter.io" in dialog.text.toHtml()
    assert dialog.apply()
    assert first(ctx).term_months == 180 and first(ctx).renewals == 0


def test_the_timeline_shows_the_term_and_renewals_after_cod(ctx, qtbot):
    from desktop.ui.plans.deal_library import apply_deal
    from desktop.ui.plans.timeline import TimelineEditor, segments

    assert segments(2, 12, 180, 3, 60, 120) == [("build", 2, 14), ("term", 14, 120)]
    assert segments(0, 6, 24, 2, 12, 120) == [("build", 0, 6), ("term", 6, 30), ("renewal", 30, 42),
                                              ("renewal", 42, 54), ("idle", 54, 120)]
    assert segments(0, 0, None, 0, None, 36) == [("term", 0, 36)]
    editor = TimelineEditor(ctx)
    qtbot.addWidget(editor)
    conv = first(ctx)
    apply_deal(ctx, conv.id, deals.by_id(deals.load_deals(), "iren-microsoft"))
    bar = editor.bars[conv.id]
    cod = conv.start_month + conv.build_months
    assert bar.segments()[1] == ("term", cod, min(cod + 60, editor.horizon))
    assert "5 yr term" in bar.term_text(cod)
    editor.select(conv.id)
    assert "60 months' term" in editor.selected_label.text()


def test_terms_in_words():
    text = conversion_terms_text({"mode": "colocation", "term_months": 180, "renewals": 3, "renewal_term_months": 60,
                                  "lease_usd_per_kw_month": 128.0, "lease_escalator_pct_per_year": 3.0,
                                  "power_pass_through": True}, "triple-net lease")
    assert text.startswith("15-year triple-net lease, $128.00/kW-month, 3 % a year")
    assert "three 5-year renewals assumed exercised" in text
    gpu = conversion_terms_text({"mode": "gpu_cloud", "term_months": 60, "gpu_count": 1000, "gpu_hour_usd": 2.5,
                                 "utilization_pct": 100.0, "prepayment_usd": 2e8, "gpu_residual_pct": 10.0})
    assert gpu.startswith("5-year GPU cloud contract, 1,000 GPUs at $2.50/GPU-hour")
    assert "$200.0M prepaid" in gpu and "10 % of cost" in gpu
