"""The power of a hall and of its site, today and with a plan, for the floor-plan panel:
the hall's IT load (kW) against its capacity, the site's grid draw (MW) against its grid.

Today: the miners on the hall's floor; the site's whole fleet mining. With the plan: the
miners the plan leaves standing plus the plan's GPU racks (critical IT) in the hall; for the
site, its worst month once the plan's conversions there have started (the grid rule of
desktop.model.site_grid)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.model import site_grid
from desktop.model.floorgrid import ROLE_NONE
from desktop.store import halls, plans, sites
from desktop.store.conversions import asic_models
from desktop.store.scenario_export import plan_scenario


@dataclass(frozen=True)
class PowerView:
    hall_capacity_kw: float
    hall_today_kw: float
    hall_plan_kw: float
    grid_mw: float
    site_today_mw: float
    site_plan_mw: float


def power_view(project, hall_id: int, plan_id: int | None) -> PowerView:
    hall = halls.get(project, hall_id)
    site = sites.get(project, hall.site_id)
    table = halls.positions(project, hall_id=hall_id, plan_id=plan_id)
    power_w = np.zeros(len(table))
    for model_id, model in asic_models(project).items():
        power_w[table.model_ids == model_id] = model.power_w or 0.0
    load_w = table.unit_counts * power_w
    today_kw = float(load_w.sum()) / 1000
    convs = plans.conversions(project, plan_id) if plan_id is not None else []
    standing_kw = float(load_w[table.role == ROLE_NONE].sum()) / 1000
    plan_kw = standing_kw + sum(c.critical_it_mw * 1000 for c in convs if c.hall_id == hall_id)
    # the site's grid draw: the engine's grid rule (desktop.model.site_grid) on the plan's scenario
    scenario, _ids = plan_scenario(project, plan_id, convs)
    n_months = int(scenario["horizon_months"])
    index = [x["name"] for x in scenario["sites"]].index(site.name)
    evaluated = (scenario.get("plan") or {}).get("conversions", [])
    inside = [c for c in evaluated if 0 <= c["start_month"] < n_months]
    today = site_grid.grid_loads(scenario, [], n_months).load_mw[index]
    with_plan = site_grid.grid_loads(scenario, inside, n_months).load_mw[index] if inside else today
    return PowerView(hall.power_capacity_kw, today_kw, plan_kw, site.grid_capacity_mw,
                     float(today[0]), float(max(with_plan.max(), today[0])))
