"""NPV, IRR, payback, tax, depreciation and debt exactly as ECONOMICS.md defines them ("Tax",
"Financing", "Cash and results").

Cash flows are monthly and discounted at the end of their month: month m's cash counts
`CF_m / (1 + r) ** ((m + 1) / 12)` with r a yearly rate. The rules that are sequential by
nature (the loss pool of tax, the debt balance) are written as cumulative sums and running
maxima over the last axis (months), so they run on one case or on a stack of Monte Carlo paths.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CENT = 0.01  # amounts within a cent of zero count as zero (IRR and payback rules)
IRR_SCAN = -0.99 + 0.001 * np.arange(10991)  # monthly rates scanned for sign changes
IRR_TOLERANCE = 1e-12
_SECTIONS = 1024


def discount_factors(discount_rate_pct: float, n_months: int) -> np.ndarray:
    """`1 / (1 + r) ** ((m + 1) / 12)` for m = 0..n-1."""
    return (1.0 + discount_rate_pct / 100.0) ** (-(np.arange(n_months) + 1.0) / 12.0)


def present_value(cash, factors: np.ndarray):
    """Sum of cash times discount factors over the last axis (months). Summed row by row the same
    way whatever the number of rows, so a Monte Carlo path's NPV does not depend on its chunk."""
    return np.sum(np.asarray(cash, dtype=float) * factors, axis=-1)


def npv(cash, discount_rate_pct: float):
    """NPV of monthly cash (last axis is months); works on one series or a stack of them."""
    cash = np.asarray(cash, dtype=float)
    return present_value(cash, discount_factors(discount_rate_pct, cash.shape[-1]))


def _scaled_npv(cash: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """NPV(i) for monthly rates i, times a positive factor that keeps it finite.

    For 1 + i >= 1 this is the NPV itself, by Horner's rule in y = 1 / (1 + i) <= 1; for
    1 + i < 1 it is NPV * (1 + i) ** n, by Horner's rule in x = 1 + i < 1. The sign and the
    roots are the NPV's. Horner's loop runs over the cash flow's coefficients with all rates
    at once (a polynomial evaluation, not the monthly arithmetic).
    """
    x = 1.0 + np.asarray(rates, dtype=float)
    low = x < 1.0
    out = np.empty_like(x)
    if low.any():
        out[low] = _horner(cash.tolist(), x[low])
    if not low.all():
        y = 1.0 / x[~low]
        out[~low] = _horner(cash[::-1].tolist(), y) * y
    return out


def _horner(coefficients: list[float], x: np.ndarray) -> np.ndarray:
    """c_0 x^(n-1) + c_1 x^(n-2) + ... + c_(n-1), in place."""
    acc = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        acc *= x
        acc += c
    return acc


def _sign_changes(values: np.ndarray) -> int:
    signs = np.sign(values[values != 0.0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def irr_roots_monthly(cash) -> np.ndarray:
    """Every monthly rate in (-0.99, 10) the scan finds, refined to 1e-12.

    Scan i = -0.99 + 0.001 k for k = 0..10990 for sign changes of the NPV, then narrow each
    bracket to 1e-12 (by splitting all brackets into 1024 parts at once, three times).
    When the cash flow changes sign at most once, Descartes' rule of signs allows at most one
    root, so the scan's result is decided by the two ends of the grid alone; the full scan runs
    only for cash flows that change sign more often.
    """
    cash = np.asarray(cash, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):  # huge flows may overflow: no sign, no root
        return _irr_roots(cash)


def _irr_roots(cash: np.ndarray) -> np.ndarray:
    grid = IRR_SCAN if _sign_changes(cash) > 1 else IRR_SCAN[[0, -1]]
    signs = np.sign(_scaled_npv(cash, grid))
    roots = [grid[signs == 0.0]]
    brackets = np.nonzero(signs[:-1] * signs[1:] < 0)[0]
    lo, hi = grid[brackets], grid[brackets + 1]
    steps = np.linspace(0.0, 1.0, _SECTIONS + 1)
    while lo.size and np.max(hi - lo) > IRR_TOLERANCE:
        points = lo[:, None] + (hi - lo)[:, None] * steps[None, :]
        points[:, -1] = hi
        s = np.sign(_scaled_npv(cash, points.ravel())).reshape(points.shape)
        exact = s == 0.0
        change = (s[:, :-1] * s[:, 1:] < 0) | exact[:, :-1]
        first = np.argmax(change, axis=1)
        rows = np.arange(lo.size)
        width = np.max(hi - lo)
        lo, hi = points[rows, first], np.where(exact[rows, first], points[rows, first], points[rows, first + 1])
        if np.max(hi - lo) >= width:  # cannot narrow further in floating point
            break
    roots.append(0.5 * (lo + hi))
    roots = np.concatenate(roots)
    return np.sort(roots[(roots > -0.99) & (roots < 10.0)])


def irr_pct(cash) -> float | None:
    """Annualised IRR in percent of a monthly cash flow: the root nearest zero, or None.

    None when there is no root, or when no month is above +$0.01 or none below -$0.01.
    "Nearest zero" compares the monthly rates |i|.
    """
    cash = np.asarray(cash, dtype=float)
    if not (np.any(cash > CENT) and np.any(cash < -CENT)):
        return None
    roots = irr_roots_monthly(cash)
    if roots.size == 0:
        return None
    monthly = float(roots[np.argmin(np.abs(roots))])
    return ((1.0 + monthly) ** 12 - 1.0) * 100.0


def recovery_month(cash) -> tuple[int | None, bool]:
    """(first month the cumulative cash is back at or above zero after being negative, was it
    ever negative). "Negative" is below -$0.01; "back" is at or above -$0.01."""
    cumulative = np.cumsum(np.asarray(cash, dtype=float))
    negative = cumulative < -CENT
    if not negative.any():
        return None, False
    first_negative = int(np.argmax(negative))
    back = np.nonzero(~negative[first_negative:])[0]
    return (first_negative + int(back[0]) if back.size else None), True


def payback_month(cash) -> int | None:
    """0-based payback month of a delta cash flow: 0 if the cumulative delta is never negative,
    None if it never comes back."""
    month, was_negative = recovery_month(cash)
    return month if was_negative else 0


def straight_line_depreciation(capex_usd: np.ndarray, months: int) -> np.ndarray:
    """Each amount booked in month j deducts `amount / months` in months j..j+months-1 (inside
    the horizon): the depreciation of month m is (capex booked in m-months+1..m) / months."""
    capex = np.asarray(capex_usd, dtype=float)
    booked = np.cumsum(capex, axis=-1)
    earlier = np.zeros_like(booked)
    if months < capex.shape[-1]:
        earlier[..., months:] = booked[..., :-months]
    return (booked - earlier) / months


def income_tax(taxable_income_usd: np.ndarray, rate: float) -> np.ndarray:
    """Tax of each month with losses carried forward without limit and never refunded.

    The sequential rule (loss pool Q = 0; a month with I <= 0 adds -I to Q and pays nothing;
    otherwise u = min(Q, I) is used up and tax = rate * (I - u)) taxes, up to each month, exactly
    the running maximum of the cumulative income and zero: income taxed by month m is
    `max(0, S_0, ..., S_m)` with S the cumulative income, so the month's taxed income is that
    running maximum's increase. Works on the last axis of (..., M).
    """
    taxed = np.maximum.accumulate(np.maximum(np.cumsum(np.asarray(taxable_income_usd, dtype=float), axis=-1), 0.0),
                                  axis=-1)
    return rate * np.diff(taxed, axis=-1, prepend=0.0)


@dataclass
class DebtSchedule:
    """(M,) arrays of the plan's debt (ECONOMICS.md, "Financing")."""
    drawn_usd: np.ndarray
    interest_usd: np.ndarray
    scheduled_principal_usd: np.ndarray
    principal_usd: np.ndarray        # scheduled, and in the last month all that is still owed
    balance_usd: np.ndarray          # B_m after the month's draws and scheduled repayments


def debt_schedule(capex_usd: np.ndarray, financing: dict) -> DebtSchedule:
    """Every capex amount A booked in month j is a tranche of `ltc * A` drawn in j, repaid in
    equal parts in j+1..j+n (straight_line) or at once in j+n (bullet); interest on the balance
    at the end of the month before; what is owed in the last month is repaid then."""
    draws = np.asarray(capex_usd, dtype=float) * financing["loan_to_cost_pct"] / 100.0
    n_months, n = draws.shape[-1], int(financing["term_months"])
    repaid = np.zeros(n_months)
    if financing.get("amortization", "straight_line") == "bullet":
        if n < n_months:
            repaid[n:] = draws[:-n]
    else:
        # month m repays draws of months m-n..m-1, each by 1/n
        drawn_before = np.concatenate(([0.0], np.cumsum(draws)[:-1]))        # draws of months < m
        older = np.zeros(n_months)
        if n < n_months:
            older[n:] = drawn_before[:-n]                                       # draws of months < m-n
        repaid = (drawn_before - older) / n
    balance = np.cumsum(draws - repaid)
    interest = np.concatenate(([0.0], balance[:-1])) * financing["interest_rate_pct"] / 100.0 / 12.0
    principal = repaid.copy()
    principal[-1] += balance[-1]
    return DebtSchedule(draws, interest, repaid, principal, balance)


def dscr_by_year(cfads_usd: np.ndarray, debt_service_usd: np.ndarray) -> list[tuple[int, float]]:
    """[(first month, summed CFADS / summed debt service)] of the blocks 12k..12k+11 whose
    debt service is above $0.01 (the last block may be shorter)."""
    out = []
    for first in range(0, len(cfads_usd), 12):
        service = float(np.sum(debt_service_usd[first:first + 12]))
        if service > CENT:
            out.append((first, float(np.sum(cfads_usd[first:first + 12])) / service))
    return out
