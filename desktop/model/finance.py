"""NPV, IRR and payback exactly as ECONOMICS.md defines them ("Cash and results").

Cash flows are monthly and discounted at the end of their month: month m's cash counts
`CF_m / (1 + r) ** ((m + 1) / 12)` with r a yearly rate.
"""
from __future__ import annotations

import numpy as np

CENT = 0.01  # amounts within a cent of zero count as zero (IRR and payback rules)
IRR_SCAN = -0.99 + 0.001 * np.arange(10991)  # monthly rates scanned for sign changes
IRR_TOLERANCE = 1e-12


def discount_factors(discount_rate_pct: float, n_months: int) -> np.ndarray:
    """`1 / (1 + r) ** ((m + 1) / 12)` for m = 0..n-1."""
    return (1.0 + discount_rate_pct / 100.0) ** (-(np.arange(n_months) + 1.0) / 12.0)


def npv(cash, discount_rate_pct: float):
    """NPV of monthly cash (last axis is months); works on one series or a stack of them."""
    cash = np.asarray(cash, dtype=float)
    return cash @ discount_factors(discount_rate_pct, cash.shape[-1])


def _scaled_npv(cash: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """NPV(i) for monthly rates i, times a positive factor that keeps it finite.

    For 1 + i >= 1 this is the NPV itself (Horner in y = 1 / (1 + i) <= 1); for 1 + i < 1 it is
    NPV * (1 + i) ** n (Horner in x = 1 + i < 1). The sign and the roots are the NPV's.
    The loop runs over the cash flow's coefficients, on all rates at once.
    """
    x = 1.0 + rates
    low = x < 1.0
    base = np.where(low, x, 1.0 / x)
    coefficients = np.where(low[:, None], cash[None, :], cash[None, ::-1])
    acc = coefficients[:, 0].copy()
    for k in range(1, cash.size):
        acc = acc * base + coefficients[:, k]
    return np.where(low, acc, acc * base)


def _sign_changes(values: np.ndarray) -> int:
    signs = np.sign(values[values != 0.0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def irr_roots_monthly(cash) -> np.ndarray:
    """Every monthly rate in (-0.99, 10) the scan finds, refined to 1e-12.

    Scan i = -0.99 + 0.001 k for k = 0..10990 for sign changes of the NPV, then bisect each.
    When the cash flow changes sign at most once, Descartes' rule of signs allows at most one
    root, so the scan's result is decided by the two ends of the grid alone; the full scan runs
    only for cash flows that change sign more often.
    """
    cash = np.asarray(cash, dtype=float)
    grid = IRR_SCAN if _sign_changes(cash) > 1 else IRR_SCAN[[0, -1]]
    values = _scaled_npv(cash, grid)
    roots = list(grid[values == 0.0])
    brackets = np.nonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)[0]
    lo, hi = grid[brackets].copy(), grid[brackets + 1].copy()
    if lo.size:
        f_lo = np.sign(values[brackets])
        for _ in range(200):  # halving 11 to 1e-12 takes 44 steps; the cap only guards
            if np.max(hi - lo) <= IRR_TOLERANCE:
                break
            mid = 0.5 * (lo + hi)
            f_mid = np.sign(_scaled_npv(cash, mid))
            same = f_mid == f_lo
            lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
            exact = f_mid == 0.0
            lo, hi = np.where(exact, mid, lo), np.where(exact, mid, hi)
        roots.extend(0.5 * (lo + hi))
    roots = np.array(sorted(r for r in roots if -0.99 < r < 10.0))
    return roots


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
