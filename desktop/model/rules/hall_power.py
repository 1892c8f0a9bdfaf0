"""Hall power: the miners left standing plus the plan's GPU racks, in kW of IT load, against
the hall's `power_capacity_kw`.

Conversions are taken in the order they were made (by id): conversion k is judged with the
miners that conversions 1..k took away and the GPU racks of conversions 1..k, so adding a
conversion never changes the verdict on the ones before it.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.model.entities import Hall
from desktop.model.rules.breach import Breach

RULE = "hall power"
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Step:
    conversion_id: int | None
    miners_taken_kw: float    # kW of the miners on the positions the conversion takes
    gpu_it_kw: float          # critical IT of its GPU racks, kW


def loads_kw(miners_kw: float, steps: list[Step]) -> list[float]:
    """The hall's IT load after each step: `miners_kw` is every miner standing in the hall today."""
    out, load = [], miners_kw
    for step in steps:
        load += step.gpu_it_kw - step.miners_taken_kw
        out.append(load)
    return out


def over(load_kw: float, capacity_kw: float) -> bool:
    """An IT load of `load_kw` is above a hall capacity of `capacity_kw`."""
    return load_kw > capacity_kw * (1 + TOLERANCE)


def breach(hall: Hall, load_kw: float, conversion_id: int | None = None) -> Breach | None:
    if not over(load_kw, hall.power_capacity_kw):
        return None
    return Breach(RULE, f"hall power: {hall.name} would carry {load_kw:,.0f} kW of IT load, above its "
                        f"{hall.power_capacity_kw:,.0f} kW capacity",
                  f"place fewer GPU racks in {hall.name} or raise its power capacity",
                  conversion_id=conversion_id)


def breaches(hall: Hall, miners_kw: float, steps: list[Step]) -> list[Breach]:
    """The breach of each step that overloads the hall, in step order."""
    found = (breach(hall, load, step.conversion_id) for step, load in zip(steps, loads_kw(miners_kw, steps)))
    return [b for b in found if b is not None]
