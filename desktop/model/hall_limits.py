"""A hall's limits against what already stands on its floor: lowering the hall's power or
its power per position below what its miners draw is allowed (the planner may be entering a
derating), but warned about, and the hall is marked wherever it is listed. No Qt."""
from __future__ import annotations

from desktop.model.rules import hall_power, rack_feed   # the same rules the plan's conversions are judged by


def _kw(value: float) -> str:
    return f"{value / 1000:,.1f} MW" if value >= 10_000 else f"{value:,.0f} kW"


def limit_warnings(power_capacity_kw: float, max_rack_kw: float, floor_kw: float,
                   max_position_kw: float) -> list[str]:
    """Why the hall's limits are below its miners' draw (empty when they are not)."""
    out = []
    if hall_power.over(floor_kw, power_capacity_kw):
        out.append(f"its miners draw {_kw(floor_kw)}, more than its power of {_kw(power_capacity_kw)}")
    if rack_feed.over(max_position_kw, max_rack_kw):
        out.append(f"a position's miners draw {max_position_kw:,.1f} kW, more than the {max_rack_kw:,.1f} kW "
                   f"allowed per position")
    return out
