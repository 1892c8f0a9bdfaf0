"""The undoable edits of sites, halls, fleets and the catalog.

Each function checks nothing itself beyond what the store checks: it builds `do` and `undo`
from store calls and pushes them through `desktop.ui.commands.push_edit`, which applies the
edit once (a refusal raises InputError and nothing is pushed) and notifies the views. Adds
and deletes keep the complete rows they removed, so redo and undo give back the same ids.
"""
from __future__ import annotations

from desktop.model import field_words
from desktop.model.names import unique_name
from desktop.model.entities import EquipmentModel, FleetEntry, Hall, Site
from desktop.store import catalog, devicetype_import, editing, fleet_import, halls, sites
from desktop.ui import context as kinds
from desktop.ui.commands import push_edit, set_fields


# -- sites ---------------------------------------------------------------------------------

def add_site(ctx, site: Site | None = None) -> int:
    project = ctx.project
    if site is None:
        existing = sites.sites(project)
        site = Site(name=unique_name([s.name for s in existing], "New site"), grid_capacity_mw=10.0,
                    energy_price_usd_per_mwh=50.0, sort_order=max((s.sort_order for s in existing), default=-1) + 1)
    state: dict = {}

    def do():
        if "snap" in state:
            sites.restore(project, state["snap"])
        else:
            state["id"] = sites.add(project, site)

    push_edit(ctx, f"Add site {site.name}", do, lambda: state.update(snap=sites.delete(project, state["id"])), kinds.SITES)
    return state["id"]


def delete_site(ctx, site_id: int) -> None:
    project = ctx.project
    name = sites.get(project, site_id).name
    state: dict = {}
    push_edit(ctx, f"Delete site {name}", lambda: state.update(snap=sites.delete(project, site_id)),
              lambda: sites.restore(project, state["snap"]), kinds.ALL)
    ctx.announce(f"Deleted site {name}", undoable=True)


def update_site(ctx, site_id: int, key: str, old, new) -> None:
    name = sites.get(ctx.project, site_id).name
    set_fields(ctx, f"Change {name} {field_words.in_sentence('site', key)}", sites.update, site_id, {key: old}, {key: new},
               kinds.SITES)


# -- halls ---------------------------------------------------------------------------------

def add_hall(ctx, site_id: int, hall: Hall | None = None) -> int:
    project = ctx.project
    if hall is None:
        existing = halls.halls(project, site_id)
        hall = Hall(site_id=site_id, name=unique_name([h.name for h in existing], "New hall"), cooling="air",
                    power_capacity_kw=5000.0, max_rack_kw=30.0, floor_load_kg=1000.0, rows=10, cols=20,
                    sort_order=max((h.sort_order for h in existing), default=-1) + 1)
    state: dict = {}

    def do():
        if "snap" in state:
            editing.restore_hall(project, state["snap"])
        else:
            state["id"] = halls.add(project, hall)

    push_edit(ctx, f"Add hall {hall.name}", do,
              lambda: state.update(snap=editing.delete_hall(project, state["id"])), kinds.HALLS)
    return state["id"]


def delete_hall(ctx, hall_id: int) -> None:
    project = ctx.project
    name = halls.get(project, hall_id).name
    state: dict = {}
    push_edit(ctx, f"Delete hall {name}", lambda: state.update(snap=editing.delete_hall(project, hall_id)),
              lambda: editing.restore_hall(project, state["snap"]), kinds.HALLS)
    ctx.announce(f"Deleted hall {name}", undoable=True)


def update_hall(ctx, hall_id: int, key: str, old, new) -> None:
    project = ctx.project
    hall = halls.get(project, hall_id)
    text = f"Change {hall.name} {field_words.in_sentence('hall', key)}"
    if key not in ("rows", "cols"):
        set_fields(ctx, text, halls.update, hall_id, {key: old}, {key: new}, kinds.HALLS)
        return
    size = {"rows": hall.rows, "cols": hall.cols, key: new}
    state: dict = {}

    def do():
        if "after" in state:
            editing.set_hall_grid(project, state["after"])
        else:
            state["before"], state["after"] = editing.resize_hall(project, hall_id, size["rows"], size["cols"])

    push_edit(ctx, text, do, lambda: editing.set_hall_grid(project, state["before"]), kinds.HALLS)


def place_miners(ctx, hall_id: int, model_id: int, miners: int, per_position: int) -> None:
    project = ctx.project
    state: dict = {}

    def do():
        state["before"] = editing.place_miners(project, hall_id, model_id, miners, per_position)

    name = catalog.get(project, model_id).name
    hall = halls.get(project, hall_id).name
    push_edit(ctx, f"Place {miners:,} {name} in {hall}", do,
              lambda: editing.restore_contents(project, state["before"]), kinds.POSITIONS)
    positions = len(state["before"])
    ctx.announce(f"Placed {miners:,} {name} on {positions:,} position{'s' if positions != 1 else ''} in {hall}")


def clear_hall(ctx, hall_id: int) -> int:
    project = ctx.project
    state: dict = {}

    def do():
        state["rows"] = editing.clear_hall(project, hall_id)

    name = halls.get(project, hall_id).name
    push_edit(ctx, f"Empty {name}", do, lambda: editing.restore_contents(project, state["rows"]), kinds.POSITIONS)
    ctx.announce(f"Emptied {len(state['rows']):,} positions in {name}", undoable=True)
    return len(state["rows"])


# -- fleet ---------------------------------------------------------------------------------

def add_fleet(ctx, site_id: int, model_id: int, count: int, uptime_pct: float = 100.0,
              resale_usd_per_ths: float = 0.0) -> int:
    project = ctx.project
    entry = FleetEntry(site_id=site_id, model_id=model_id, count=count, uptime_pct=uptime_pct,
                       resale_usd_per_ths=resale_usd_per_ths)
    state: dict = {}

    def do():
        if "row" in state:
            editing.insert_row(project, "fleet", state["row"])
        else:
            state["id"] = sites.add_fleet(project, entry)

    name = catalog.get(project, model_id).name
    push_edit(ctx, f"Add {name} to the fleet", do,
              lambda: state.update(row=editing.delete_row(project, "fleet", state["id"])), kinds.FLEET)
    return state["id"]


def remove_fleet(ctx, fleet_ids: list[int]) -> None:
    project = ctx.project
    state: dict = {}

    def do():
        for i in fleet_ids:  # miners on the floor belong to a fleet entry: refuse before deleting any
            sites.check_fleet_count(project, i, 0)
        state["rows"] = [editing.delete_row(project, "fleet", i) for i in fleet_ids]

    def undo():
        for row in state["rows"]:
            editing.insert_row(project, "fleet", row)

    text = f"Remove {len(fleet_ids)} fleet entr{'y' if len(fleet_ids) == 1 else 'ies'}"
    push_edit(ctx, text, do, undo, kinds.FLEET)
    ctx.announce(f"Removed {len(fleet_ids)} fleet entr{'y' if len(fleet_ids) == 1 else 'ies'}", undoable=True)


def update_fleet(ctx, fleet_id: int, key: str, old, new) -> None:
    set_fields(ctx, f"Change fleet {field_words.in_sentence('fleet', key)}", sites.update_fleet, fleet_id, {key: old}, {key: new},
               kinds.FLEET)


# -- catalog -------------------------------------------------------------------------------

def add_model(ctx, kind: str) -> int:
    project = ctx.project
    name = unique_name([m.name for m in catalog.models(project)], "New ASIC model" if kind == "asic" else "New GPU system")
    if kind == "asic":
        model = EquipmentModel(kind="asic", name=name, hashrate_ths=200.0, power_w=3500.0, source="entered by hand")
    else:
        model = EquipmentModel(kind="gpu", name=name, gpus_per_rack=32, rack_power_kw=40.0, servers_per_rack=4,
                               source="entered by hand")
    state: dict = {}

    def do():
        if "row" in state:
            editing.insert_row(project, "equipment_models", state["row"])
        else:
            state["id"] = catalog.add(project, model)

    push_edit(ctx, f"Add {name}", do,
              lambda: state.update(row=editing.delete_row(project, "equipment_models", state["id"])), kinds.CATALOG)
    return state["id"]


def delete_model(ctx, model_id: int) -> None:
    """Delete an unused catalog entry; catalog.delete refuses one in use, saying where."""
    project = ctx.project
    row = editing.model_row(project, model_id)
    push_edit(ctx, f"Delete {row['name']}", lambda: catalog.delete(project, model_id),
              lambda: editing.insert_row(project, "equipment_models", row), kinds.CATALOG)
    ctx.announce(f"Deleted {row['name']} from the catalog", undoable=True)


def update_model(ctx, model_id: int, key: str, old, new) -> None:
    model = catalog.get(ctx.project, model_id)
    name = model.name
    set_fields(ctx, f"Change {name} {field_words.in_sentence(model.kind, key)}", catalog.update, model_id, {key: old}, {key: new},
               kinds.CATALOG)


# -- imports -------------------------------------------------------------------------------

def import_fleet(ctx, prepared: fleet_import.PreparedFleet, source: str = "fleet CSV", record: dict | None = None) -> None:
    """One undoable step; `record`: the import was already written (in the background)."""
    project = ctx.project
    state: dict = {} if record is None else {"record": record, "written": True}

    def do():
        if state.pop("written", False):
            return
        if "record" in state:
            fleet_import.redo(project, state["record"])
        else:
            state["record"] = fleet_import.apply(project, prepared)

    push_edit(ctx, f"Import {source} ({len(prepared.changes)} rows)", do,
              lambda: fleet_import.undo(project, state["record"]), kinds.ALL)


def import_devicetypes(ctx, entries: list[EquipmentModel]) -> None:
    project = ctx.project
    state: dict = {}

    def do():
        if "record" in state:
            devicetype_import.redo(project, state["record"])
        else:
            state["record"] = devicetype_import.apply(project, entries)

    push_edit(ctx, f"Import {len(entries)} device type{'s' if len(entries) != 1 else ''}", do,
              lambda: devicetype_import.undo(project, state["record"]), kinds.CATALOG)

