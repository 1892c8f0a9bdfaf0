"""NetBox device types (desktop.model.devicetypes) as GPU-system catalog entries.

A catalog GPU system is a rack: `servers_per_rack` devices of the type (default 1). Its
figures:
- `power_w` per server: the override if given, else the ports' sum (none for a tray with
  `is_powered: false`);
- `rack_power_kw`: the rack-power override if given, else servers_per_rack x power per server;
  a type with no power at all (an `is_powered: false` tray) needs the rack-power override;
- `gpus_per_rack`, `weight_kg` and `u_height` per rack: the device's times servers_per_rack;
- cooling `liquid` when the file says liquid, else `air`;
- name: the model for one server a rack, "N x MODEL rack" for more.
An entry of that name already in the catalog (a GPU system) is updated; `apply` writes all
entries in one transaction and returns the record `undo`/`redo` replay.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.model.devicetypes import DeviceType
from desktop.model.entities import EquipmentModel
from desktop.model.errors import InputError
from desktop.store import catalog
from desktop.store.rows import to_row

MAX_SERVERS_PER_RACK = 200


@dataclass
class RackOptions:
    servers_per_rack: int = 1
    power_kw_per_rack: float | None = None     # overrides the ports' sum
    power_w_per_server: float | None = None    # overrides the ports' sum per server

    def check(self) -> None:
        if not isinstance(self.servers_per_rack, int) or not 1 <= self.servers_per_rack <= MAX_SERVERS_PER_RACK:
            raise InputError("servers per rack", f"must be a whole number from 1 to {MAX_SERVERS_PER_RACK}")
        if self.power_kw_per_rack is not None and not 0 < self.power_kw_per_rack < 10_000:
            raise InputError("power kW per rack", "must be greater than 0 (and below 10,000)")
        if self.power_w_per_server is not None and not 0 < self.power_w_per_server < 1_000_000:
            raise InputError("power W per server", "must be greater than 0")


def rack_name(device: DeviceType, servers: int) -> str:
    return device.model if servers == 1 else f"{servers}x {device.model} rack"


def catalog_entry(device: DeviceType, options: RackOptions) -> EquipmentModel:
    options.check()
    n = options.servers_per_rack
    per_server = options.power_w_per_server or device.power_w
    if options.power_kw_per_rack is not None:
        rack_kw = options.power_kw_per_rack
    elif per_server:
        rack_kw = n * per_server / 1000
    elif not device.is_powered:
        raise InputError(f"{device.source}: power", "is_powered is false (its power comes from the rack's power "
                                                    "shelves): give the power per rack")
    else:
        raise InputError(f"{device.source}: power-ports", "no port gives a maximum_draw: give the power")
    notes = list(device.warnings)
    if options.power_kw_per_rack is not None or options.power_w_per_server is not None:
        notes.append(f"power set by the planner ({rack_kw:g} kW a rack)")
    if n * device.u_height > 52:
        notes.append(f"{n} x {device.u_height:g}U is taller than a rack")
    return EquipmentModel(
        kind="gpu", name=rack_name(device, n), manufacturer=device.manufacturer,
        gpus_per_rack=device.gpus * n if device.gpus else None, rack_power_kw=round(rack_kw, 6),
        servers_per_rack=n, power_w=per_server, u_height=device.u_height * n, airflow=device.airflow,
        is_powered=device.is_powered, cooling="liquid" if device.liquid_cooled else "air",
        weight_kg=round(device.weight_kg * n, 3) if device.weight_kg is not None else None,
        source=f"NetBox devicetype-library: {device.source}", notes="; ".join(notes))


def entries(devices: list[DeviceType], options: RackOptions) -> list[EquipmentModel]:
    out = [catalog_entry(d, options) for d in devices]
    seen = {}
    for e in out:
        if e.name in seen:
            raise InputError(e.source.split(": ", 1)[-1], f"gives {e.name!r} like {seen[e.name]}")
        seen[e.name] = e.source.split(": ", 1)[-1]
    return out


def plan_entries(project, new: list[EquipmentModel]) -> list[tuple[EquipmentModel, EquipmentModel | None]]:
    """Each entry with the catalog entry it replaces (None: added); refuse an ASIC of that name."""
    out = []
    for entry in new:
        old = catalog.by_name(project, entry.name)
        if old is not None and old.kind != "gpu":
            raise InputError(entry.name, "the catalog has an ASIC miner of that name")
        out.append((entry, old))
    return out


def apply(project, new: list[EquipmentModel]) -> dict:
    planned = plan_entries(project, new)
    record = {"added": [], "updated": []}
    with project.atomic() as db:
        for entry, old in planned:
            row = to_row(entry)
            if old is None:
                record["added"].append(dict(row, id=db["equipment_models"].insert(row).last_pk))
            else:
                before = {k: v for k, v in db["equipment_models"].get(old.id).items() if k in row}
                db["equipment_models"].update(old.id, row)
                record["updated"].append((old.id, before, row))
    return record


def undo(project, record: dict) -> None:
    with project.atomic() as db:
        for model_id, before, _after in record["updated"]:
            db["equipment_models"].update(model_id, before)
        for row in record["added"]:
            db["equipment_models"].delete(row["id"])


def redo(project, record: dict) -> None:
    with project.atomic() as db:
        if record["added"]:
            db["equipment_models"].insert_all(record["added"])
        for model_id, _before, after in record["updated"]:
            db["equipment_models"].update(model_id, after)
