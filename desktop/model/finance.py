"""NPV, IRR and payback exactly as ECONOMICS.md defines them ("Cash and results").

Cash flows are monthly and discounted at the end of their month: month m's cash counts
`CF_m / (1 + r) ** ((m + 1) / 12)` with r a yearly rate.
"""
from __future__ import annotations

import numpy as np

CENT = 0.01  # amounts within a cent of zero count as zero (IRR and payback rules)
IRR_SCAN = -0.99 + 0.001 * np.arange(10991)  # monthly rates scanned for sign changes
IRR_TOLERANCE = 1e-12
_SECTIONS = 1024


def discount_factors(discount_rate_pct: float, n_months: int) -> np.ndarray:
    """`1 / (1 + r) ** ((m + 1) / 12)` for m = 0..n-1."""
    return (1.0 + discount_rate_pct / 100.0) ** (-(np.arange(n_months) + 1.0) / 12.0)


def npv(cash, discount_rate_pct: float):
    """NPV of monthly cash (last axis is months); works on one series or a stack of them."""
    cash = np.asarray(cash, dtype=float)
    return cash @ discount_factors(discount_rate_pct, cash.shape[-1])


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
