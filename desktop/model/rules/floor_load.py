"""Floor load: a GPU rack may weigh no more than the hall's floor carries a position."""
from __future__ import annotations

from desktop.model.entities import EquipmentModel, Hall
from desktop.model.rules.breach import Breach

RULE = "floor load"


def breach(hall: Hall, gpu: EquipmentModel) -> Breach | None:
    if not gpu.weight_kg or gpu.weight_kg <= hall.floor_load_kg:
        return None
    return Breach(RULE, f"floor load: {gpu.name} weighs {gpu.weight_kg:g} kg a rack, above {hall.name}'s "
                        f"{hall.floor_load_kg:g} kg per position",
                  f"raise {hall.name}'s floor load or choose a lighter GPU system")
