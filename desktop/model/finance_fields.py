"""The finance inputs a planner sets (ECONOMICS.md v2: `tax`, `terminal`, `plan.financing`):
label, unit, one line of meaning, and a typical value with where it comes from. No Qt.

The rule of each field (what is valid) stays in desktop.model.scenario.FIELD_RULES; this table
says what the field means to a planner and what is typical. Figures marked "estimate" have no
published source: set your own.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FinanceField:
    section: str          # tax, terminal, financing
    key: str
    label: str
    unit: str
    meaning: str
    typical: str


FINANCE_FIELDS = [
    FinanceField("tax", "rate_pct", "Income tax rate", "%",
                 "share of each month's taxable income paid as tax; losses carry forward, never refunded",
                 "21 % US federal corporate rate (26 U.S.C. § 11); state taxes add a few points"),
    FinanceField("tax", "depreciation_months", "Build capex depreciated over", "months",
                 "each capex instalment is deducted in equal parts over this many months",
                 "180 (15 years), ECONOMICS.md's default; use your jurisdiction's life for the fit-out"),
    FinanceField("tax", "gpu_depreciation_months", "GPUs depreciated over", "months",
                 "each GPU purchase is deducted in equal parts over this many months",
                 "60 (5 years): computers are 5-year property under US MACRS (IRS Publication 946)"),
    FinanceField("terminal", "mining_ebitda_multiple", "Mining value at the horizon", "x EBITDA",
                 "what mining is worth at the horizon, times its last 12 months' EBITDA (0: nothing)",
                 "0 to be prudent; listed miners' multiples swing with BTC (estimate: set your own)"),
    FinanceField("terminal", "hosting_ebitda_multiple", "Hosting value at the horizon", "x EBITDA",
                 "what hosting is worth at the horizon, times its last 12 months' EBITDA (0: nothing)",
                 "0 when the lease ends at the horizon; data-center sale comparables otherwise (estimate)"),
    FinanceField("financing", "loan_to_cost_pct", "Loan-to-cost", "%",
                 "share of each capex amount of the plan borrowed in the month it is spent",
                 "up to 85 %: Hut 8 River Bend project financing (J.P. Morgan, Goldman Sachs), Dec 2025"),
    FinanceField("financing", "interest_rate_pct", "Interest rate", "% a year",
                 "yearly rate on what is owed at the end of the month before, paid monthly in cash",
                 "7.125 %: Cipher Mining's secured notes for Barber Lake, Nov 2025"),
    FinanceField("financing", "term_months", "Debt tenor", "months",
                 "months until each capex tranche is repaid; whatever is owed at the horizon is repaid then",
                 "no longer than the lease's base term (lenders size debt on contracted rent; estimate)"),
    FinanceField("financing", "amortization", "Amortization", "",
                 "straight_line repays each tranche in equal monthly parts; bullet repays it at the end of the tenor",
                 "straight_line for project loans; secured notes repay at maturity (bullet)"),
    FinanceField("financing", "equity_discount_rate_pct", "Equity discount rate", "% a year",
                 "the yearly rate equity cash is discounted at; empty: the scenario's discount rate",
                 "above the project's rate, as levered equity bears more risk (estimate: set your own)"),
]
BY_KEY = {(f.section, f.key): f for f in FINANCE_FIELDS}

DEFAULTS = {   # what a section starts with when the planner turns it on
    "tax": {"rate_pct": 21.0, "depreciation_months": 180, "gpu_depreciation_months": 60},
    "terminal": {"mining_ebitda_multiple": 0.0, "hosting_ebitda_multiple": 0.0},
    "financing": {"loan_to_cost_pct": 60.0, "interest_rate_pct": 7.125, "term_months": 120,
                  "amortization": "straight_line"},
}
