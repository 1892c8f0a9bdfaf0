"""The power of a hall and of its site, today and with a plan, for the floor-plan panel:
the hall's IT load (kW) against its capacity, the site's grid draw (MW) against its grid.

Today: the miners on the hall's floor; the site's whole fleet mining. With the plan: the
miners the plan leaves standing plus the plan's GPU racks (critical IT) in the hall; for the
site, its worst month once the plan's conversions there have started (the grid rule of
desktop.model.conversion)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.model import conversion as rules
from desktop.model.floorgrid import ROLE_NONE
from desktop.store import halls, plans, settings, sites
from desktop.store.conversions import asic_models


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
    fleet = {model.name: (entry.count, model.power_w or 0.0) for entry, model in sites.fleet(project, site.id)}
    mining_today_w = sum(n * w for n, w in fleet.values())
    site_convs = [c for c in convs if c.site_id == site.id]
    horizon = int(settings.assumptions(project)["horizon_months"])
    worst = rules.site_grid_load_mw(site, mining_today_w, 0.0)
    for month in sorted({c.start_month for c in site_convs if 0 <= c.start_month < horizon}):
        active = {k: n for k, (n, _) in fleet.items()}
        for c in site_convs:
            if c.start_month <= month:
                for model, n in c.remove_asics.items():
                    active[model] = active.get(model, 0) - n
        mining_w = sum(max(active[k], 0) * fleet[k][1] for k in fleet)
        it_mw = sum(c.critical_it_mw for c in site_convs if c.start_month <= month)
        worst = max(worst, rules.site_grid_load_mw(site, mining_w, it_mw))
    return PowerView(hall.power_capacity_kw, today_kw, plan_kw, site.grid_capacity_mw,
                     rules.site_grid_load_mw(site, mining_today_w, 0.0), worst)
