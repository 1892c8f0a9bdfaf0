"""Cooling: a liquid-cooled GPU system needs a hall that is liquid-ready."""
from __future__ import annotations

from desktop.model.entities import EquipmentModel, Hall
from desktop.model.rules.breach import Breach

RULE = "cooling"


def breach(hall: Hall, gpu: EquipmentModel) -> Breach | None:
    if gpu.cooling != "liquid" or hall.cooling == "liquid-ready":
        return None
    return Breach(RULE, f"cooling: {gpu.name} needs direct liquid cooling; {hall.name} is "
                        f"{hall.cooling}-cooled, not liquid-ready",
                  f"make {hall.name} liquid-ready or choose an air-cooled GPU system")
