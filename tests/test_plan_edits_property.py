"""Random sequences of store edits (hypothesis): after every step, the plan's breaches as the
store derives them equal an independent computation from the raw tables, and the plan either
evaluates or says exactly why not (what blocks the economics, by conversion label and site).

The project is small and synthetic (two sites, three halls of 4 x 5 positions, a 24-month
horizon) so 200 sequences run in make test. The oracle below recomputes every rule by brute
force from SQL rows; it shares no code with desktop.model.rules or desktop.store.checks.
"""
from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from desktop.model import engine
from desktop.model.entities import EquipmentModel, FleetEntry, Hall, Site
from desktop.model.errors import InputError
from desktop.model.scenario import validate_scenario
from desktop.store import catalog, checks, conversions, devicetype_import, editing, halls, plans, sites
from desktop.store import settings as store_settings
from desktop.store.project import create_project, open_project
from desktop.store.scenario_export import scenario_from_project
from desktop.model.entities import Plan

MINERS = "Antminer S19 XP"
OTHER = "Antminer S21"
GPUS = ["4x DGX H100 rack", "GB200 NVL72", "4x AMD MI300X platform"]
TOL = 1e-9
IDS: dict[str, int] = {}   # catalog ids of the models the edits use (names change: renames)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "base.sqlite"
    with create_project(path) as project:
        a = store_settings.assumptions(project)
        a["horizon_months"] = 24
        store_settings.put_assumptions(project, a)
        s19, s21 = catalog.by_name(project, MINERS), catalog.by_name(project, OTHER)
        IDS.update({m.name: m.id for m in catalog.models(project)})
        for k, (name, grid_mw) in enumerate([("North", 1.8), ("South", 2.0)]):
            site_id = sites.add(project, Site(name=name, grid_capacity_mw=grid_mw, energy_price_usd_per_mwh=40,
                                              sort_order=k))
            sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=s19.id, count=400))
            sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=s21.id, count=100))
            for h in range(2 if k == 0 else 1):
                hall_id = halls.add(project, Hall(site_id=site_id, name=f"Hall {h + 1}", power_capacity_kw=900,
                                                  max_rack_kw=50, floor_load_kg=1500, rows=4, cols=5))
                editing.place_miners(project, hall_id, s19.id, 120 if k == 0 else 200, 10)
        plan_id = plans.add(project, Plan(name="Plan 1"))
        store_settings.put(project, "current_plan_id", plan_id)
    return path


# -- the oracle: every rule by brute force from the rows ----------------------------------------

def oracle(project, plan_id: int) -> set[tuple]:
    q = lambda sql, args=(): project.db.execute(sql, list(args)).fetchall()  # noqa: E731
    model = {r[0]: r for r in q("select id, kind, power_w, rack_power_kw, cooling, weight_kg from equipment_models")}
    hall = {r[0]: r for r in q("select id, site_id, power_capacity_kw, max_rack_kw, floor_load_kg, cooling from halls")}
    site = {r[0]: r for r in q("select id, name, grid_capacity_mw, pue_mining, pue_hosting, miners_yield_to_grid "
                              "from sites")}
    fleet = {(r[0], r[1]): r[2] for r in q("select site_id, model_id, count from fleet")}
    convs = [dict(zip(("id", "site_id", "hall_id", "gpu", "start", "racks", "mw", "remove"), r)) for r in
             q("select id, site_id, hall_id, gpu_model_id, start_month, racks_placed, critical_it_mw, remove_asics "
               "from conversions where plan_id = ? order by id", [plan_id])]
    import json
    for c in convs:
        c["remove"] = {int(k): v for k, v in json.loads(c["remove"]).items()}

    def asic_kw(rows):
        return sum(n * (model[m][2] or 0) / 1000 for m, n in rows if m is not None and model[m][1] == "asic")

    found = set()
    for c in convs:
        if c["racks"] and c["hall_id"] in hall and c["gpu"] in model:
            h, g = hall[c["hall_id"]], model[c["gpu"]]
            if (g[3] or 0) > h[3]:
                found.add((c["id"], "rack feed"))
            if g[4] == "liquid" and h[5] != "liquid-ready":
                found.add((c["id"], "cooling"))
            if g[5] and g[5] > h[4]:
                found.add((c["id"], "floor load"))
    for hid, h in hall.items():
        load = asic_kw(q("select model_id, unit_count from positions where hall_id = ?", [hid]))
        for c in convs:
            if c["hall_id"] == hid and c["racks"]:
                taken = asic_kw(q("select p.model_id, p.unit_count from conversion_positions cp join positions p "
                                  "on p.id = cp.position_id where cp.conversion_id = ?", [c["id"]]))
                load += c["mw"] * 1000 - taken
                if load > h[2] * (1 + TOL):
                    found.add((c["id"], "hall power"))
    evaluated = sorted((c for c in convs if c["mw"] > 0), key=lambda c: (c["start"], c["id"]))
    removed, bad = {}, False
    for c in evaluated:
        for m, n in c["remove"].items():
            key = (c["site_id"], m)
            before = removed.get(key, 0)
            removed[key] = before + n
            owned = fleet.get(key)
            already = owned is None and before > 0 or owned is not None and before > owned
            if not already and (owned is None or removed[key] > owned):
                found.add((c["id"], "fleet"))
                bad = True
    if bad:
        return found
    horizon = 24
    for sid, s in site.items():
        mine = [c for c in evaluated if c["site_id"] == sid]
        def overloaded(m, with_plan):
            started = [c for c in mine if with_plan and c["start"] <= m]
            need = sum((n - sum(c["remove"].get(mid, 0) for c in started)) * model[mid][2]
                       for (fs, mid), n in fleet.items() if fs == sid) / 1e6 * s[3]
            res = sum(c["mw"] for c in started) * s[4]
            load = res if s[5] else need + res
            return load - s[2] > TOL * s[2], started
        base_over = [m for m in range(horizon) if overloaded(m, False)[0]]
        if base_over:
            found.add((None, "site grid", s[1]))
            continue
        plan_over = [m for m in range(horizon) if overloaded(m, True)[0]]
        if plan_over:
            started = overloaded(plan_over[0], True)[1]
            latest = max(range(len(started)), key=lambda i: (started[i]["start"], i))
            found.add((started[latest]["id"], "site grid"))
    return found


def shown(project, plan_id: int) -> set[tuple]:
    out = set()
    for b in checks.plan_check(project, plan_id).breaches:
        out.add((b.conversion_id, b.rule, b.site) if b.conversion_id is None else (b.conversion_id, b.rule))
    return out


# -- the edits: each does one store edit and returns its inverse (or None when refused) ---------

def edit(project, plan_id: int, kind: str, r: int):
    site_list, hall_list = sites.sites(project), halls.halls(project)
    site, hall = site_list[r % len(site_list)], hall_list[r % len(hall_list)]
    convs = plans.conversions(project, plan_id)
    if kind == "rename":
        m = catalog.get(project, IDS[MINERS] if r % 2 else IDS[OTHER])
        catalog.update(project, m.id, name=f"{m.name} v{r % 97}")
        return lambda: catalog.update(project, m.id, name=m.name)
    if kind == "hall":
        key, value = [("max_rack_kw", [20.0, 45.0, 150.0]), ("floor_load_kg", [500.0, 1500.0]),
                      ("power_capacity_kw", [300.0, 900.0, 5000.0]),
                      ("cooling", ["air", "liquid-ready"])][r % 4]
        old = getattr(hall, key)
        halls.update(project, hall.id, **{key: value[(r // 4) % len(value)]})
        return lambda: halls.update(project, hall.id, **{key: old})
    if kind == "grid":
        old = (site.grid_capacity_mw, site.miners_yield_to_grid)
        sites.update(project, site.id, grid_capacity_mw=[0.3, 1.0, 1.5, 2.0, 6.0][r % 5],
                     miners_yield_to_grid=bool((r // 5) % 2))
        return lambda: sites.update(project, site.id, grid_capacity_mw=old[0], miners_yield_to_grid=old[1])
    if kind == "fleet":
        entry, _ = sites.fleet(project, site.id)[r % 2]
        sites.update_fleet(project, entry.id, count=entry.count + (r % 300) - 100)
        return lambda: sites.update_fleet(project, entry.id, count=entry.count)
    if kind == "add_fleet":
        model_id = IDS["Whatsminer M60S"]
        fid = sites.add_fleet(project, FleetEntry(site_id=site.id, model_id=model_id, count=50 + r % 50))
        return lambda: editing.delete_row(project, "fleet", fid)
    if kind == "convert":
        table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
        free = [i for i in range(len(table)) if table.role[i] == 0 and table.model_ids[i] >= 0]
        if not free:
            return None
        pick = free[r % len(free):][: 1 + r % 6]
        gpu = catalog.get(project, IDS[GPUS[r % 3]])
        cid, _ = conversions.convert(project, plan_id, hall.id, pick, gpu.id, (r // 7) % 24,
                                     racks=1 + r % 3, table=table)
        return lambda: conversions.remove(project, cid)
    if kind == "remove" and convs:
        [(conv, taken)] = conversions.take(project, [convs[r % len(convs)].id])
        return lambda: conversions.restore(project, conv, taken)
    if kind == "place":
        s21 = IDS[OTHER]
        rows = editing.place_miners(project, hall.id, s21, 1 + r % 40, 10)
        return lambda: editing.restore_contents(project, rows)
    if kind == "clear":
        rows = editing.clear_hall(project, hall.id)
        return lambda: editing.restore_contents(project, rows)
    if kind == "devicetypes":   # a NetBox re-import that changes a GPU system's rack power
        gpu = catalog.get(project, IDS[GPUS[r % 3]])
        new = EquipmentModel(**{**gpu.__dict__, "id": None, "rack_power_kw": [30.0, 60.0, 140.0][r % 3]})
        record = devicetype_import.apply(project, [new])
        return lambda: devicetype_import.undo(project, record)
    return None


KINDS = ["rename", "hall", "grid", "fleet", "add_fleet", "convert", "convert", "remove", "place", "clear",
         "devicetypes", "undo"]


def check_step(project, plan_id: int) -> None:
    assert shown(project, plan_id) == oracle(project, plan_id)
    check = checks.plan_check(project, plan_id)
    scenario = scenario_from_project(project, plan_id)
    if check.blocking:
        with pytest.raises(InputError):
            validate_scenario(scenario)
        with pytest.raises(InputError) as refused:
            checks.require_evaluable(project, plan_id)
        b = check.blocking[0]
        assert b.message in refused.value.message and b.resolve in refused.value.message
        assert "conversions[" not in refused.value.message
    else:
        engine.evaluate(validate_scenario(scenario))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000)), min_size=1, max_size=7))
def test_breaches_shown_equal_a_fresh_computation_after_every_edit(base, tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("seq") / "p.sqlite"
    shutil.copy(base, path)
    with open_project(path) as project:
        plan_id = store_settings.current_plan_id(project)
        undo: list = []
        for kind, r in steps:
            if kind == "undo":
                if undo:
                    undo.pop()()
            else:
                try:
                    inverse = edit(project, plan_id, kind, r)
                except InputError:
                    inverse = None   # refused: nothing written
                if inverse is not None:
                    undo.append(inverse)
            check_step(project, plan_id)
