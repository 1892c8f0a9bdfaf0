"""What a rack weighs beyond the servers in it: the allowance, one place.

A device-type file weighs one server. A rack of them also carries the rack itself, its PDUs
or power shelves and busbar, and for liquid cooling the manifolds, hoses and coolant (and in
an NVL72 rack the NVLink switch trays and spine). Counting only the servers makes the
floor-load check too lenient: 18 GB300 compute trays weigh 576 kg, a GB300 NVL72 rack
1,360-1,400 kg.

The allowance per rack, editable by the planner for each file in the import preview:
- air-cooled: 150 kg (an empty 42-48U rack of 110-160 kg with two metered PDUs and cable
  management; the seed catalog's 4x MI300X rack is 4 x 75.3 kg + about 150 kg);
- liquid-cooled: 800 kg (the rack, power shelves and busbar, coolant manifolds and coolant,
  and the switch trays; a GB300 NVL72 rack of 1,360-1,400 kg less its 18 x 32 kg trays).
No Qt.
"""
from __future__ import annotations

RACK_ALLOWANCE_KG = {"air": 150.0, "liquid": 800.0}
MAX_ALLOWANCE_KG = 5000.0


def rack_allowance_kg(cooling: str) -> float:
    """The default allowance for a rack of this cooling ("air" or "liquid")."""
    return RACK_ALLOWANCE_KG.get(cooling, RACK_ALLOWANCE_KG["air"])


def rack_weight_kg(server_kg: float, servers: int, allowance_kg: float) -> float:
    """Servers times their weight plus the rack's allowance."""
    return server_kg * servers + allowance_kg
