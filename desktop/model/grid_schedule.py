"""A site's grid schedule as a planner edits it (ECONOMICS.md `grid_schedule`): steps of MW
from a month on. No Qt.

`checked_schedule(steps, horizon)` returns the steps sorted by month, each checked with the
engine's rules (desktop.model.scenario, section grid_step), or raises InputError naming the
step and field: a month at or past the horizon, two steps in one month, a capacity of 0.
"""
from __future__ import annotations

from desktop.model.errors import InputError
from desktop.model.scenario import check_field


def checked_schedule(steps: list[dict], horizon_months: int) -> list[dict]:
    out = []
    for i, step in enumerate(steps):
        for key in ("from_month", "capacity_mw"):
            message = check_field("grid_step", key, step.get(key))
            if message:
                raise InputError(f"grid_schedule[{i}].{key}", message)
        if step["from_month"] >= horizon_months:
            raise InputError(f"grid_schedule[{i}].from_month", f"must be below the horizon of {horizon_months} months")
        out.append({"from_month": int(step["from_month"]), "capacity_mw": float(step["capacity_mw"])})
    out.sort(key=lambda s: s["from_month"])
    for before, after in zip(out, out[1:]):
        if before["from_month"] == after["from_month"]:
            raise InputError("grid_schedule.from_month", f"two steps start in month {after['from_month']}")
    return out


def next_step(steps: list[dict], grid_capacity_mw: float, horizon_months: int) -> dict:
    """A new step for "Add step": a year after the last one (month 12 for the first), with the
    capacity in force then."""
    month = steps[-1]["from_month"] + 12 if steps else 12
    month = min(month, horizon_months - 1)
    capacity = steps[-1]["capacity_mw"] if steps else grid_capacity_mw
    return {"from_month": month, "capacity_mw": capacity}
