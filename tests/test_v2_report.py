"""The PDF's v2 pages: the Finance page (sources and uses, debt by year with DSCR, tax by year,
terminal value and its share), the deal terms in words, the cover's after-tax equity sentence,
and the risks page's assumptions, each figure equal to `evaluate` of the exported scenario."""
from __future__ import annotations

import shutil

import pytest

from desktop.model import finance_view
from desktop.model.engine import evaluate, evaluate_detail
from desktop.model.formatting import usd
from desktop.store import settings
from desktop.store.deal_terms import build_deal_plan
from desktop.store.scenario_export import scenario_from_project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make syslibs)")


@pytest.fixture(scope="module")
def v2_report(qapp, tmp_path_factory):
    from desktop.export import report_data
    from desktop.export.pdf_report import PdfReport
    from desktop.store.demo import build_demo
    from tests.test_report_pdf import pdf_text

    folder = tmp_path_factory.mktemp("v2report")
    project = build_demo(folder / "demo.sqlite")
    try:
        plan_id = build_deal_plan(project, settings.current_plan_id(project))
        scenario = scenario_from_project(project, plan_id)
        data = report_data.gather(project, plan_id, date="2026-11-25", mc_paths=200)
        PdfReport(data, "A4").run().save(folder / "plan.pdf")
    finally:
        project.close()
    return data, scenario, pdf_text(folder / "plan.pdf")


def test_finance_page_figures_equal_the_engine(v2_report):
    data, scenario, text = v2_report
    result = evaluate(scenario)
    detail = evaluate_detail(scenario)
    assert "Finance" in text and "Sources and uses" in text and "Debt schedule by year" in text
    assert "Tax by year" in text and "Terminal value" in text
    for year in finance_view.debt_years(detail.plan, detail.months):
        if year.dscr is not None:
            assert f"{year.dscr:.2f}x" in text
    assert f"{result['plan']['min_dscr']:.2f}x" in text
    tv = result["plan"]["terminal_value_usd"]
    assert f"${tv:,.0f}" in text
    share = finance_view.terminal_share(detail)
    assert f"{share * 100:.0f} %" in text
    taxes = finance_view.tax_years(detail.plan, detail.months)
    assert usd(taxes[-1]["levered_tax_usd"]) in text


def test_deal_terms_in_words_and_the_equity_cover_sentence(v2_report):
    data, scenario, text = v2_report
    result = evaluate(scenario)
    assert "15-year triple-net lease" in text and "3 % a year" in text
    assert "three 5-year renewals assumed exercised" in text
    assert "Hut 8 / Fluidstack (Anthropic), River Bend" in text          # the deal the terms came from
    assert data.recommendation.startswith(("Convert", "Keep mining"))
    assert usd(abs(result["delta"]["equity_npv_usd"])) in data.recommendation
    assert "equity NPV" in data.recommendation and "Unlevered" in data.recommendation
    assert usd(abs(result["delta"]["npv_usd"])) in data.recommendation
    assert "after income tax, with a terminal value at the horizon, levered" in text


def test_risks_page_names_the_assumptions_carrying_the_decision(v2_report):
    data, scenario, text = v2_report
    assert "Assumptions the decision rests on" in text
    assert "carries" in text and "of the Δ NPV" in text.replace("Δ", "Δ")
    assert "renewal months" in text


def test_executive_summary_carries_the_v2_figures(v2_report):
    data, scenario, text = v2_report
    result = evaluate(scenario)
    keys = {k.key: k for k in data.kpis}
    assert keys["equity_delta_npv_usd"].value == result["delta"]["equity_npv_usd"]
    assert keys["min_dscr"].value == result["plan"]["min_dscr"]
    assert keys["terminal_value_usd"].value == result["plan"]["terminal_value_usd"]
    assert keys["tax_usd"].value == result["plan"]["levered_tax_usd"]
    assert "Difference in equity NPV (after tax and debt)" in text


def test_a_conversion_edited_after_its_deal_is_not_credited_to_it(demo_project):
    from desktop.export.finance_words import contract_rows
    from desktop.store import plans

    plan_id = build_deal_plan(demo_project, settings.current_plan_id(demo_project))
    rows = contract_rows(demo_project, plan_id, scenario_from_project(demo_project, plan_id))
    assert rows[0]["deal"] == "Hut 8 / Fluidstack (Anthropic), River Bend" and "triple-net" in rows[0]["words"]
    conv = plans.conversions(demo_project, plan_id)[0]
    plans.update_conversion(demo_project, conv.id, lease_usd_per_kw_month=150.0)
    rows = contract_rows(demo_project, plan_id, scenario_from_project(demo_project, plan_id))
    assert rows[0]["deal"].endswith("(terms edited since)") and "triple-net" not in rows[0]["words"]
    assert "$150.00/kW-month" in rows[0]["words"]
