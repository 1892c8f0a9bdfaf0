"""Rack feed: a GPU rack may draw no more than the hall feeds a position (`max_rack_kw`)."""
from __future__ import annotations

from desktop.model.entities import EquipmentModel, Hall
from desktop.model.rules.breach import Breach

RULE = "rack feed"


def over(position_kw: float, max_rack_kw: float) -> bool:
    """A position drawing `position_kw` is above a feed of `max_rack_kw`."""
    return position_kw > max_rack_kw


def breach(hall: Hall, gpu: EquipmentModel) -> Breach | None:
    kw = gpu.rack_power_kw or 0.0
    if not over(kw, hall.max_rack_kw):
        return None
    return Breach(RULE, f"rack feed: {gpu.name} draws {kw:g} kW a rack, above {hall.name}'s "
                        f"{hall.max_rack_kw:g} kW per position",
                  f"raise {hall.name}'s maximum rack kW or choose a lighter GPU system")
