"""The v2 finance figures as the dashboard, the PDF and the tables show them, from the engine's
`Detail` (ECONOMICS.md, "Tax", "Terminal value", "Financing"). One place, no Qt.

- `cash_series(detail, case, view, basis)`: a case's monthly cash (M,) without its terminal
  value, for the project or the equity, before or after tax; with `terminal_value` the pieces
  add up to the engine's net cash (project, after tax) and equity cash (equity, after tax).
- `debt_years(case, months)`, `tax_years(case, months)`: the 12-month blocks of the debt and the
  tax, as the DSCR is defined (months 12k..12k+11).
- `sources_and_uses(case)`: what the plan's capex is paid with.
- `terminal_share(detail)`: the terminal value's part of the Δ NPV.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VIEWS = ("project", "equity")
BASES = ("pretax", "aftertax")


def cash_series(detail, case: str, view: str = "project", basis: str = "aftertax") -> np.ndarray | None:
    """(M,) cash of "baseline" or "plan" before its terminal value (None: no plan).

    project, pretax:   operating cash + resale - capex (the sites' cash)
    project, aftertax: that - tax (unlevered)
    equity, pretax:    project pretax + debt drawn - interest - principal
    equity, aftertax:  that - levered tax
    The baseline never borrows: its equity view is its project view."""
    c = detail.baseline if case == "baseline" else detail.plan
    if c is None:
        return None
    pretax = c.pretax_cash_usd
    if view == "equity":
        pretax = pretax + c.debt_drawn_usd - c.interest_usd - c.principal_repaid_usd
        tax = c.levered_tax_usd
    else:
        tax = c.tax_usd
    return pretax - tax if basis == "aftertax" else pretax


def terminal_value(detail, case: str) -> float:
    c = detail.baseline if case == "baseline" else detail.plan
    return float(c.terminal_value_usd.sum()) if c is not None else 0.0


def terminal_share(detail) -> float | None:
    """The discounted change in terminal value over the Δ NPV (None without a plan, or when the
    Δ NPV is 0): how much of the decision rests on the value at the horizon."""
    if detail.plan is None:
        return None
    npv = float(detail.delta_cash_usd @ detail.discount_factors)
    if abs(npv) < 0.01:
        return None
    tv = (detail.plan.terminal_value_usd - detail.baseline.terminal_value_usd) @ detail.discount_factors
    return float(tv) / npv


@dataclass
class DebtYear:
    label: str                 # "2027" or "Dec 2026-Nov 2027"
    first_month: int
    drawn_usd: float
    interest_usd: float
    scheduled_principal_usd: float
    forced_principal_usd: float
    balance_end_usd: float     # what is owed at the block's end (after the repayment at the horizon)
    cfads_usd: float
    debt_service_usd: float
    dscr: float | None


def _blocks(n_months: int):
    for first in range(0, n_months, 12):
        yield first, slice(first, min(first + 12, n_months))


def _label(months: list[str], block: slice) -> str:
    first, last = months[block.start], months[block.stop - 1]
    return first[:4] if first.endswith("-01") and last.endswith("-12") else f"{first} to {last}"


def debt_years(case, months: list[str]) -> list[DebtYear]:
    forced = case.principal_repaid_usd - case.scheduled_principal_usd
    dscr = dict(case.dscr_by_year)
    out = []
    for first, block in _blocks(len(months)):
        service = float(case.interest_usd[block].sum() + case.scheduled_principal_usd[block].sum())
        out.append(DebtYear(_label(months, block), first, float(case.debt_drawn_usd[block].sum()),
                            float(case.interest_usd[block].sum()), float(case.scheduled_principal_usd[block].sum()),
                            float(forced[block].sum()),
                            float(case.debt_balance_usd[block.stop - 1] - forced[block.stop - 1]),
                            float(case.cfads_usd[block].sum()), service, dscr.get(first)))
    return out


def tax_years(case, months: list[str]) -> list[dict]:
    return [{"label": _label(months, block), "depreciation_usd": float(case.depreciation_usd[block].sum()),
             "tax_usd": float(case.tax_usd[block].sum()), "levered_tax_usd": float(case.levered_tax_usd[block].sum())}
            for _, block in _blocks(len(months))]


def sources_and_uses(case) -> dict:
    """Uses: the capex (build and GPUs). Sources: debt drawn, the tenants' prepayments, and
    equity for the rest (what the operator's own cash pays)."""
    uses = float(case.capex_usd.sum())
    debt = float(case.debt_drawn_usd.sum())
    prepaid = float(case.prepayment_received_usd.sum())
    return {"uses": {"capex_usd": uses},
            "sources": {"debt_usd": debt, "prepayments_usd": min(prepaid, max(uses - debt, 0.0)),
                        "equity_usd": max(uses - debt - prepaid, 0.0)}}
