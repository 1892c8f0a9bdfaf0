"""A project made from a scenario file (`rackshift import-scenario`).

The scenario (`rackshift.scenario/1` or `/2`, ECONOMICS.md) is validated by the engine's own
validation first; a refused scenario writes nothing. The project is built in a temporary
file beside the target and moved into place only when complete, so a failure never leaves a
half-made project behind.

What goes in:
- the scenario's name becomes the project name; `start_month`, `horizon_months`,
  `discount_rate_pct`, `market`, `tax` and `terminal` become the project's assumptions;
- each site with its figures, in the scenario's order, and its fleet (count, uptime, resale);
- each fleet model is a catalog entry: a seed entry of the same name takes the scenario's
  `hashrate_ths` and `power_w` (the scenario is what the planner evaluates), an unknown
  model becomes a new ASIC entry. A project keeps one figure per model, so the same model
  name at two sites with different figures is refused;
- the plan, if any, with its financing and every conversion with its commercial terms
  (term, renewals, prepayment, GPU price growth and residual). Conversions get no rack
  positions (the floor-plan editor can assign them later); the scenario does not say which.

Halls and rack positions are generated for the fleet by this rule (`HALL_RULE`):
- a model's cooling is its catalog entry's; for a new model, `hydro` if its name says
  "hydro", `immersion` if it says "immersion", else `air`;
- miners per rack position by cooling: air 8, hydro 6, immersion 12, liquid 6;
- each site gets its own halls per cooling kind, in the order air, hydro, immersion, liquid,
  named Hall A, Hall B, ... across the site; a hall holds at most 20 rows x 40 columns
  (800 positions), filled row by row. Each model starts on a new position and its last
  position holds the remainder; the last hall of a kind is only as long as it needs to be
  (full rows of 40, or one row as long as its positions);
- at most 1,000,000 positions are generated for a whole scenario; a fleet needing more is
  refused before anything is written;
- hall figures: cooling `air`, `hydro`, `immersion` or `liquid-ready`; power capacity the
  sum of its miners' power, rounded up to the next 100 kW; the maximum power per position
  the highest position's power rounded up to the next 5 kW; floor load 1,000 kg per
  position for air halls and 1,500 kg for the others.
"""
from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.model.entities import Conversion, EquipmentModel, FleetEntry, Hall, Plan, Site
from desktop.model.errors import InputError
from desktop.model.floorgrid import position_label
from desktop.model.scenario import validate_scenario
from desktop.store import catalog, plans, settings
from desktop.store.project import Project, building, open_project
from desktop.store.rows import to_row

MINERS_PER_POSITION = {"air": 8, "hydro": 6, "immersion": 12, "liquid": 6}
HALL_COOLING = {"air": "air", "hydro": "hydro", "immersion": "immersion", "liquid": "liquid-ready"}
FLOOR_LOAD_KG = {"air": 1000.0, "hydro": 1500.0, "immersion": 1500.0, "liquid": 1500.0}
MAX_ROWS, MAX_COLS = 20, 40
MAX_POSITIONS = 1_000_000  # generated in one import (the design's large portfolio has 25,000)
HALL_RULE = __doc__[__doc__.index("Halls and rack positions"):].strip()

_SITE_KEYS = ("name", "grid_capacity_mw", "energy_price_usd_per_mwh", "pue_mining", "pue_hosting",
              "pool_fee_pct", "mining_opex_usd_per_mw_month", "energy_price_growth_pct_per_year",
              "grid_schedule", "miners_yield_to_grid", "curtailment_pct", "curtailment_credit_usd_per_mwh")
_CONVERSION_KEYS = ("start_month", "critical_it_mw", "mode", "capex_usd_per_mw", "build_months",
                    "hosting_opex_usd_per_mw_month", "load_factor_pct", "lease_usd_per_kw_month",
                    "lease_escalator_pct_per_year", "power_pass_through", "gpu_count", "gpu_hour_usd",
                    "utilization_pct", "gpu_capex_usd", "term_months", "renewals", "renewal_term_months",
                    "prepayment_usd", "gpu_hour_growth_pct_per_year", "gpu_residual_pct")
_MODE_DEFAULTS = {  # the other mode's keys, as a conversion of this mode stores them
    "colocation": {"gpu_count": None, "gpu_hour_usd": None, "utilization_pct": 100.0, "gpu_capex_usd": 0.0,
                   "gpu_hour_growth_pct_per_year": 0.0, "gpu_residual_pct": 0.0},
    "gpu_cloud": {"lease_usd_per_kw_month": None, "lease_escalator_pct_per_year": 0.0, "power_pass_through": True},
}


def guess_cooling(model_name: str) -> str:
    lower = model_name.lower()
    if "hydro" in lower:
        return "hydro"
    if "immersion" in lower:
        return "immersion"
    return "air"


def hall_name(index: int) -> str:
    return f"Hall {chr(65 + index)}" if index < 26 else f"Hall {index + 1}"


@dataclass
class HallLayout:
    """One generated hall: its figures and what stands on each filled position."""
    name: str
    cooling: str                    # the miners' cooling kind (air, hydro, immersion, liquid)
    rows: int
    cols: int
    fills: list[tuple[int, str, int]] = field(default_factory=list)  # (position index, model, miners)
    power_w_by_position: list[float] = field(default_factory=list)

    def hall(self, site_id: int, order: int) -> Hall:
        total_kw = sum(self.power_w_by_position) / 1000
        top_kw = max(self.power_w_by_position, default=0.0) / 1000
        return Hall(site_id=site_id, name=self.name, cooling=HALL_COOLING[self.cooling],
                    power_capacity_kw=max(100.0, math.ceil(total_kw / 100 - 1e-9) * 100),
                    max_rack_kw=max(5.0, math.ceil(top_kw / 5 - 1e-9) * 5),
                    floor_load_kg=FLOOR_LOAD_KG[self.cooling], rows=self.rows, cols=self.cols, sort_order=order)


def layout_halls(fleet: list[dict], cooling_of: dict[str, str]) -> list[HallLayout]:
    """The halls of one site for its fleet (`[{model, count, power_w}]`), by HALL_RULE."""
    per_hall = MAX_ROWS * MAX_COLS
    out: list[HallLayout] = []
    for kind in MINERS_PER_POSITION:
        per = MINERS_PER_POSITION[kind]
        stands: list[tuple[str, int, float]] = []  # one per position: (model, miners, power_w)
        for entry in fleet:
            if cooling_of[entry["model"]] != kind:
                continue
            full, rest = divmod(int(entry["count"]), per)
            stands += [(entry["model"], per, per * entry["power_w"])] * full
            if rest:
                stands.append((entry["model"], rest, rest * entry["power_w"]))
        for start in range(0, len(stands), per_hall):
            chunk = stands[start:start + per_hall]
            cols = min(MAX_COLS, len(chunk))
            layout = HallLayout(hall_name(len(out)), kind, math.ceil(len(chunk) / cols), cols)
            layout.fills = [(i, model, n) for i, (model, n, _) in enumerate(chunk)]
            layout.power_w_by_position = [w for _, _, w in chunk]
            out.append(layout)
    return out


def _catalog_for_fleet(project: Project, scenario: dict, source: str) -> dict[str, EquipmentModel]:
    """Catalog entries for every fleet model, adding or updating them; refuse contradictions."""
    first: dict[str, tuple[str, float, float]] = {}
    for s, site in enumerate(scenario["sites"]):
        for f, entry in enumerate(site["fleet"]):
            name = entry["model"]
            seen = first.get(name)
            if seen and (seen[1], seen[2]) != (entry["hashrate_ths"], entry["power_w"]):
                raise InputError(f"sites[{s}].fleet[{f}]",
                                 f"{name} is {entry['hashrate_ths']:g} TH/s, {entry['power_w']:g} W here but "
                                 f"{seen[1]:g} TH/s, {seen[2]:g} W at {seen[0]}; a project keeps one figure "
                                 f"per model: give one of them another name")
            first.setdefault(name, (site["name"], entry["hashrate_ths"], entry["power_w"]))
    models = {}
    for name, (_, ths, watts) in first.items():
        model = catalog.by_name(project, name)
        if model is None:
            model = EquipmentModel(kind="asic", name=name, hashrate_ths=ths, power_w=watts,
                                   cooling=guess_cooling(name), source=source, is_estimate=True,
                                   notes="added by a scenario import")
            model.id = catalog.add(project, model)
        elif model.kind != "asic":
            raise InputError("sites", f"{name} is a GPU system in the catalog, not an ASIC miner")
        elif (model.hashrate_ths, model.power_w) != (ths, watts):
            note = (f"hashrate and power from {source} (the catalog had {model.hashrate_ths:g} TH/s, "
                    f"{model.power_w:g} W)")
            catalog.update(project, model.id, hashrate_ths=ths, power_w=watts, notes=note)
            model.hashrate_ths, model.power_w, model.notes = ths, watts, note
        models[name] = model
    return models


def check_positions(scenario: dict, models: dict[str, EquipmentModel]) -> None:
    """Refuse a scenario whose fleet needs more rack positions than MAX_POSITIONS."""
    total = 0
    for s, site in enumerate(scenario["sites"]):
        for f, entry in enumerate(site["fleet"]):
            cooling = models[entry["model"]].cooling if entry["model"] in models else guess_cooling(entry["model"])
            total += -(-int(entry["count"]) // MINERS_PER_POSITION.get(cooling, MINERS_PER_POSITION["air"]))
            if total > MAX_POSITIONS:
                raise InputError(f"sites[{s}].fleet[{f}].count",
                                 f"the fleet needs more than {MAX_POSITIONS:,} rack positions; an import "
                                 f"generates at most that many")


def _add_site(project: Project, order: int, site: dict, models: dict[str, EquipmentModel], source: str) -> int:
    fields = {k: site[k] for k in _SITE_KEYS}
    with project.atomic() as db:
        site_id = db["sites"].insert(to_row(Site(sort_order=order, notes=f"imported from {source}", **fields))).last_pk
        for entry in site["fleet"]:
            db["fleet"].insert(to_row(FleetEntry(site_id=site_id, model_id=models[entry["model"]].id,
                                                 count=entry["count"], uptime_pct=entry["uptime_pct"],
                                                 resale_usd_per_ths=entry["resale_usd_per_ths"])))
        fleet = [{"model": e["model"], "count": e["count"], "power_w": e["power_w"]} for e in site["fleet"]]
        cooling_of = {name: (m.cooling if m.cooling in MINERS_PER_POSITION else "air") for name, m in models.items()}
        for h, layout in enumerate(layout_halls(fleet, cooling_of)):
            hall_id = db["halls"].insert(to_row(layout.hall(site_id, h))).last_pk
            filled = {i: (models[m].id, n) for i, m, n in layout.fills}
            db.conn.executemany(
                "insert into positions (hall_id, row, col, label, model_id, unit_count) values (?, ?, ?, ?, ?, ?)",
                ((hall_id, r, c, position_label(r, c, layout.cols), *filled.get(r * layout.cols + c, (None, 0)))
                 for r in range(layout.rows) for c in range(layout.cols)))
    return site_id


def _conversion(plan_id: int, site_id: int, conv: dict, index: int, models: dict[str, EquipmentModel]) -> Conversion:
    """A scenario's conversion as the project keeps it: the miners it removes by catalog id."""
    values = {k: conv[k] for k in _CONVERSION_KEYS if k in conv}
    values.update(_MODE_DEFAULTS[conv["mode"]])
    label = f"{index + 1}. {conv['site']}: {conv['critical_it_mw']:g} MW {conv['mode'].replace('_', ' ')}"
    return Conversion(plan_id=plan_id, site_id=site_id, remove_asics={models[name].id: n for name, n in conv["remove_asics"].items()},
                      label=label, **values)


def fill_project(project: Project, scenario: dict, source: str = "scenario") -> int | None:
    """Write a validated, normalised scenario into an empty project; return the plan id."""
    settings.put(project, "project_name", scenario["name"])
    settings.put_assumptions(project, {k: scenario[k] for k in
                                       ("start_month", "horizon_months", "discount_rate_pct", "market", "tax",
                                        "terminal")})
    check_positions(scenario, {m.name: m for m in catalog.models(project, "asic")})
    models = _catalog_for_fleet(project, scenario, source)
    site_ids = {site["name"]: _add_site(project, order, site, models, source)
                for order, site in enumerate(scenario["sites"])}
    plan = scenario.get("plan")
    if plan is None:
        return None
    plan_id = plans.add(project, Plan(name=plan["name"], notes=f"imported from {source}",
                                      financing=plan.get("financing")))
    with project.atomic() as db:
        for i, conv in enumerate(plan["conversions"]):
            db["conversions"].insert(to_row(_conversion(plan_id, site_ids[conv["site"]], conv, i, models)))
    settings.put(project, "current_plan_id", plan_id)
    return plan_id


def import_scenario(scenario_data: dict, path, *, overwrite: bool = False, source: str | None = None) -> Project:
    """Create the project file `path` from a parsed scenario and return it open.

    The scenario is validated first; on any refusal nothing is written and `path` is untouched.
    """
    path = Path(path)
    scenario = validate_scenario(scenario_data)
    check_positions(scenario, {m.name: m for m in catalog.seed_entries() if m.kind == "asic"})
    with building(path, overwrite=overwrite, what="scenario import") as project:
        fill_project(project, scenario, source or f"scenario {scenario['name']!r}")
    return open_project(path)
