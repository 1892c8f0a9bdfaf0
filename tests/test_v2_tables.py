"""The cash-flow CSV/XLSX carry every v2 line and a debt-schedule sheet, equal to `evaluate` of
the exported scenario."""
from __future__ import annotations

import csv
import math

import pytest

from desktop.export import report_data, tables
from desktop.model.engine import evaluate
from desktop.store import settings
from desktop.store.deal_terms import build_deal_plan
from desktop.store.scenario_export import scenario_from_project


def test_v2_lines_and_debt_schedule_equal_the_engine(demo_project, tmp_path):
    import openpyxl

    plan_id = build_deal_plan(demo_project, settings.current_plan_id(demo_project))
    data = report_data.gather(demo_project, plan_id, with_risk=False)
    tables.export_tables(data, tmp_path)
    result = evaluate(scenario_from_project(demo_project, plan_id))
    with open(tmp_path / "cash-flows.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def total(header):
        return sum(float(r[header]) for r in rows)

    plan = result["plan"]
    for header, key in (("plan tax, unlevered (USD)", "tax_usd"), ("plan tax, levered (USD)", "levered_tax_usd"),
                        ("plan terminal value (USD)", "terminal_value_usd"),
                        ("plan debt drawn (USD)", "debt_drawn_usd"), ("plan interest (USD)", "interest_usd"),
                        ("plan principal repaid (USD)", "principal_repaid_usd"),
                        ("plan curtailment credits (USD)", "power_credit_usd"),
                        ("plan equity cash (USD)", "equity_net_cash_usd")):
        assert total(header) == pytest.approx(plan[key], rel=1e-9, abs=1.0), header   # cents rounded
        assert plan[key] != 0 or header.startswith("plan curtailment")
    assert total("baseline tax (USD)") == pytest.approx(result["baseline"]["tax_usd"], rel=1e-9)
    for row, month in zip(rows, result["monthly"]):
        assert math.isclose(float(row["plan equity cash (USD)"]), month["plan_equity_cash_usd"], rel_tol=1e-9,
                            abs_tol=0.006)
    with open(tmp_path / "debt-schedule.csv", encoding="utf-8-sig", newline="") as handle:
        debt = list(csv.DictReader(handle))
    assert len(debt) == math.ceil(len(data.months) / 12)
    assert sum(float(r["debt drawn (USD)"]) for r in debt) == pytest.approx(plan["debt_drawn_usd"], abs=1.0)
    dscrs = [float(r["DSCR"]) for r in debt if r["DSCR"]]
    assert min(dscrs) == pytest.approx(plan["min_dscr"], abs=5e-4)   # 3 decimals
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    sheet = book["Debt schedule"]
    assert [c.value for c in sheet[1]][0] == "year" and sheet.max_row == len(debt) + 1
