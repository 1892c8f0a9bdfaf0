"""The tables' ECONOMICS.md v2 lines: power credits, tax, terminal value and the debt, in the
cash-flow table, and the debt schedule by year (desktop.model.finance_view). No Qt."""
from __future__ import annotations

import numpy as np

from desktop.model import finance_view


def baseline_lines(case) -> list[tuple[str, str, np.ndarray]]:
    return [("baseline_power_credit_usd", "baseline curtailment credits (USD)", case.power_credit_usd.sum(axis=0)),
            ("baseline_tax_usd", "baseline tax (USD)", case.tax_usd),
            ("baseline_terminal_value_usd", "baseline terminal value (USD)", case.terminal_value_usd)]


def plan_lines(detail) -> list[tuple[str, str, np.ndarray]]:
    p = detail.plan
    return [
        ("plan_power_credit_usd", "plan curtailment credits (USD)", p.power_credit_usd.sum(axis=0)),
        ("plan_prepayment_received_usd", "plan prepayments received (USD)", p.prepayment_received_usd),
        ("plan_depreciation_usd", "plan tax depreciation (USD)", p.depreciation_usd),
        ("plan_tax_usd", "plan tax, unlevered (USD)", p.tax_usd),
        ("plan_terminal_value_usd", "plan terminal value (USD)", p.terminal_value_usd),
        ("plan_debt_drawn_usd", "plan debt drawn (USD)", p.debt_drawn_usd),
        ("plan_interest_usd", "plan interest (USD)", p.interest_usd),
        ("plan_principal_repaid_usd", "plan principal repaid (USD)", p.principal_repaid_usd),
        ("plan_levered_tax_usd", "plan tax, levered (USD)", p.levered_tax_usd),
        ("plan_cfads_usd", "plan CFADS (USD)", p.cfads_usd),
        ("plan_equity_cash_usd", "plan equity cash (USD)", p.equity_cash_usd),
        ("equity_delta_cash_usd", "equity delta cash (USD)", detail.equity_delta_cash_usd),
    ]


DEBT_COLUMNS = [("year", "year", "text"), ("drawn_usd", "debt drawn (USD)", "usd"),
                ("interest_usd", "interest (USD)", "usd"),
                ("scheduled_principal_usd", "scheduled principal (USD)", "usd"),
                ("forced_principal_usd", "repaid at the horizon (USD)", "usd"),
                ("balance_end_usd", "owed at the year's end (USD)", "usd"),
                ("cfads_usd", "CFADS (USD)", "usd"), ("debt_service_usd", "debt service (USD)", "usd"),
                ("dscr", "DSCR", "number"), ("tax_usd", "tax, unlevered (USD)", "usd"),
                ("levered_tax_usd", "tax, levered (USD)", "usd")]


def debt_rows(detail) -> list[list]:
    if detail.plan is None:
        return []
    taxes = finance_view.tax_years(detail.plan, detail.months)
    return [[y.label, y.drawn_usd, y.interest_usd, y.scheduled_principal_usd, y.forced_principal_usd,
             y.balance_end_usd, y.cfads_usd, y.debt_service_usd, None if y.dscr is None else round(y.dscr, 3),
             t["tax_usd"], t["levered_tax_usd"]]
            for y, t in zip(finance_view.debt_years(detail.plan, detail.months), taxes)]
