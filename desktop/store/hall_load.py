"""What the miners on a hall's floor draw: in all, and on its most loaded position (kW).
Checked against the hall's limits by desktop.model.hall_limits."""
from __future__ import annotations

from desktop.model.hall_limits import limit_warnings
from desktop.store import halls

_LOAD = """
select coalesce(sum(p.unit_count * m.power_w), 0) / 1000.0, coalesce(max(p.unit_count * m.power_w), 0) / 1000.0
from positions p join equipment_models m on m.id = p.model_id
where p.hall_id = ? and m.kind = 'asic' and p.unit_count > 0
"""


def floor_draw_kw(project, hall_id: int) -> tuple[float, float]:
    """(total kW, kW of the most loaded position) of the ASIC miners on the hall's floor."""
    total, most = project.db.execute(_LOAD, [hall_id]).fetchone()
    return float(total), float(most)


def warnings(project, hall_id: int) -> list[str]:
    hall = halls.get(project, hall_id)
    total, most = floor_draw_kw(project, hall_id)
    return limit_warnings(hall.power_capacity_kw, hall.max_rack_kw, total, most)


def over_limit(project, site_id: int | None = None) -> dict[int, list[str]]:
    """{hall id: warnings} of the halls (of a site, or all) whose limits are below their miners' draw."""
    query = "select id from halls" + (" where site_id = ?" if site_id is not None else "")
    ids = [r[0] for r in project.db.execute(query, [site_id] if site_id is not None else [])]
    found = {}
    for hall_id in ids:
        w = warnings(project, hall_id)
        if w:
            found[hall_id] = w
    return found
