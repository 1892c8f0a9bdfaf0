"""Numbers as a planner reads them: units always, $M for money, thousands separated.
A figure too big to read in full (a typo of 1e12 MW) is written in scientific form, so no
text outgrows the widget that shows it."""
from __future__ import annotations

HUGE = 1e12   # from here on a figure is written 1.00e+12


def compact(value: float, digits: int = 1) -> str:
    """A plain number, thousands separated, or scientific from HUGE on: '1,234.5', '1.00e+30'."""
    if abs(value) >= HUGE:
        return f"{value:.2e}"
    return f"{value:,.{digits}f}"


def usd(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e15:
        return f"{sign}${v:.2e}"
    if v >= 1e12:
        return f"{sign}${v / 1e12:,.{digits + 1}f}T"
    if v >= 1e9:
        return f"{sign}${v / 1e9:,.{digits + 1}f}B"
    if v >= 1e6:
        return f"{sign}${v / 1e6:,.{digits}f}M"
    if v >= 1e4:
        return f"{sign}${v / 1e3:,.0f}k"
    return f"{sign}${v:,.0f}"


def number(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "n/a"
    return f"{compact(value, digits)} {unit}".strip()


def pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{compact(value, digits).replace(',', '')} %"
