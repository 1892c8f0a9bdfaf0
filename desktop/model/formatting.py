"""Numbers as a planner reads them: units always, $M for money, thousands separated."""
from __future__ import annotations


def usd(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    sign = "-" if value < 0 else ""
    v = abs(value)
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
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()


def pct(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} %"
