"""Axes a planner reads: months as dates, money as $k/$M/$B, plain MW.

`MonthAxis` labels month indices (0 = the scenario's start month) with years, or with
months when zoomed in. `UsdAxis` writes dollars with one unit for the whole axis.
"""
from __future__ import annotations

import math

import pyqtgraph as pg

MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def month_index(start_month: str) -> int:
    """Absolute month number (year * 12 + month - 1) of a "YYYY-MM"."""
    year, month = start_month.split("-")
    return int(year) * 12 + int(month) - 1


def month_text(start_month: str, offset: float, short: bool = False) -> str:
    """"Jun 2027" for an offset from the start month ("Jun 27" when short)."""
    absolute = month_index(start_month) + int(round(offset))
    year, month = divmod(absolute, 12)
    return f"{MONTH_NAMES[month]} {year % 100:02d}" if short else f"{MONTH_NAMES[month]} {year}"


class MonthAxis(pg.AxisItem):
    """Month offsets shown as calendar dates: years at each January, quarters when zoomed."""

    def __init__(self, start_month: str = "2026-01", **kwargs):
        super().__init__(orientation=kwargs.pop("orientation", "bottom"), **kwargs)
        self.start_month = start_month
        self.enableAutoSIPrefix(False)

    def set_start(self, start_month: str) -> None:
        if start_month != self.start_month:
            self.start_month = start_month
            self.picture = None
            self.update()

    STEPS = ((1, 1), (3, 1), (6, 3), (12, 3), (24, 12), (60, 12), (120, 60), (240, 120), (600, 120))

    def tickValues(self, minVal, maxVal, size):
        span = maxVal - minVal
        if span <= 0:
            return []
        base = month_index(self.start_month)
        most = max(size / 75.0, 2.0)
        step, minor = next(((s, m) for s, m in self.STEPS if span / s <= most), self.STEPS[-1])

        def ticks(every):
            first = math.ceil((minVal + base) / every) * every - base
            return [float(v) for v in range(int(first), int(math.floor(maxVal)) + 1, every)]

        major = ticks(step)
        self._major_step = step
        return [(step, major), (minor, [v for v in ticks(minor) if v not in major])]

    def tickStrings(self, values, scale, spacing):
        if spacing != getattr(self, "_major_step", spacing):
            return [""] * len(values)   # minor ticks carry no text
        out = []
        for v in values:
            year, month = divmod(month_index(self.start_month) + int(round(v)), 12)
            out.append(str(year) if spacing >= 12 else f"{MONTH_NAMES[month]} {year}")
        return out


def usd_unit(magnitude: float) -> tuple[float, str]:
    """(divisor, suffix) for an axis whose largest tick is `magnitude` dollars."""
    m = abs(magnitude)
    if m >= 1e12:
        return 1e12, "T"
    if m >= 1e9:
        return 1e9, "B"
    if m >= 1e6:
        return 1e6, "M"
    if m >= 1e3:
        return 1e3, "k"
    return 1.0, ""


def usd_tick(value: float, divisor: float, suffix: str, spacing: float) -> str:
    digits = 0
    step = spacing / divisor
    while digits < 3 and step > 0 and abs(step * 10 ** digits - round(step * 10 ** digits)) > 1e-6:
        digits += 1   # as many decimals as the tick spacing needs: $2.5k, $0.25M
    if abs(value) < spacing * 1e-9:
        return "$0"
    sign = "-" if value < 0 else ""
    if abs(value) / divisor >= 1e4:   # a typo's 1e30: scientific, never thirty digits across the plot
        return f"{sign}${abs(value):.1e}"
    return f"{sign}${abs(value) / divisor:,.{digits}f}{suffix}"


class UsdAxis(pg.AxisItem):
    """Dollars with one unit for the axis: -$50M, $0M, $50M."""

    def __init__(self, orientation: str = "left", **kwargs):
        super().__init__(orientation=orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        if not values:
            return []
        lo, hi = self.range if getattr(self, "range", None) else (0.0, 0.0)
        magnitude = max(abs(lo), abs(hi), *(abs(v) for v in values))   # one unit for every tick level
        divisor, suffix = usd_unit(magnitude or spacing)
        return [usd_tick(v, divisor, suffix, spacing) for v in values]


class PlainAxis(pg.AxisItem):
    """Numbers with thousands separators and no SI prefix (MW, $/PH/day)."""

    def __init__(self, orientation: str = "left", **kwargs):
        super().__init__(orientation=orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        digits = 0 if spacing >= 1 else min(3, int(math.ceil(-math.log10(spacing))))
        return [f"{v:,.{digits}f}" for v in values]
