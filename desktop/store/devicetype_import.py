"""NetBox device types (desktop.model.devicetypes) as GPU-system catalog entries.

A catalog GPU system is a rack: `servers_per_rack` devices of the type (default 1). Each
file has its own `RackOptions` (the preview sets them per file). Its figures:
- `power_w` per server: the planner's W per server if given, else the power rule the
  planner picked for the file, else the file's default rule (desktop.model.devicetype_power:
  allocated draw, the redundancy the file states, N+N for identical supplies, ...);
- `rack_power_kw`: the rack-power override if given, else servers_per_rack x power per
  server; a type with no power at all (an `is_powered: false` tray) needs the override;
- `gpus_per_rack`: the planner's GPUs per server, else the file's, times servers_per_rack;
  a type with no GPUs (a switch, a PDU, a desktop) is refused unless the planner confirms;
- cooling: the planner's choice, else the file's (`cooling_method`, or air); a liquid
  marker in the name is only proposed (`cooling="proposed"` takes the proposal);
- `weight_kg` per rack: servers x the device's weight plus the rack's allowance
  (desktop.model.rack_allowance; the planner may set it per file), `u_height` per rack;
- name: the model for one server a rack, "N x MODEL rack" for more.
The findings a planner's override answers (power, GPUs, cooling) are dropped from the entry's
notes once answered (`open_findings`). An entry of that name already in the catalog (a GPU
system) is updated; `apply` writes all entries in one transaction and returns the record
`undo`/`redo` replay (the plans' breaches are derived when read, so a re-imported type that
moves a conversion over or under a limit shows at once).
"""
from __future__ import annotations

import math

from dataclasses import dataclass

from desktop.model.devicetypes import DeviceType, Finding
from desktop.model.entities import EquipmentModel
from desktop.model.errors import InputError
from desktop.model.devicetype_power import RULES
from desktop.model.rack_allowance import MAX_ALLOWANCE_KG, rack_allowance_kg, rack_weight_kg
from desktop.store import catalog
from desktop.store.rows import to_row

MAX_SERVERS_PER_RACK = 200
MAX_GPUS_PER_SERVER = 1000
COOLING_CHOICES = ("air", "liquid", "proposed")


@dataclass
class RackOptions:
    servers_per_rack: int = 1
    power_kw_per_rack: float | None = None     # overrides the ports
    power_w_per_server: float | None = None    # overrides the ports per server
    power_rule: str | None = None              # one of devicetype_power.RULES; None: the file's default
    cooling: str | None = None                 # "air", "liquid", "proposed"; None: what the file says
    gpus_per_server: int | None = None         # overrides the file's GPU count
    confirm_no_gpus: bool = False              # a GPU system although no GPUs are found
    rack_allowance_kg: float | None = None     # None: the default for the rack's cooling

    def check(self) -> None:
        if not isinstance(self.servers_per_rack, int) or not 1 <= self.servers_per_rack <= MAX_SERVERS_PER_RACK:
            raise InputError("servers per rack", f"must be a whole number from 1 to {MAX_SERVERS_PER_RACK}")
        if self.power_kw_per_rack is not None and not 0 < self.power_kw_per_rack < 10_000:
            raise InputError("power kW per rack", "must be greater than 0 (and below 10,000)")
        if self.power_w_per_server is not None and not 0 < self.power_w_per_server < 1_000_000:
            raise InputError("power W per server", "must be greater than 0")
        if self.power_rule is not None and self.power_rule not in RULES:
            raise InputError("power rule", "must be one of " + ", ".join(RULES))
        if self.cooling is not None and self.cooling not in COOLING_CHOICES:
            raise InputError("cooling", "must be one of " + ", ".join(COOLING_CHOICES))
        if self.gpus_per_server is not None and (not isinstance(self.gpus_per_server, int)
                                                 or not 1 <= self.gpus_per_server <= MAX_GPUS_PER_SERVER):
            raise InputError("GPUs per server", f"must be a whole number from 1 to {MAX_GPUS_PER_SERVER}")
        if self.rack_allowance_kg is not None and not 0 <= self.rack_allowance_kg <= MAX_ALLOWANCE_KG:
            raise InputError("rack allowance kg", f"must be from 0 to {MAX_ALLOWANCE_KG:,.0f}")

    @property
    def power_set(self) -> bool:
        return self.power_kw_per_rack is not None or self.power_w_per_server is not None


def rack_name(device: DeviceType, servers: int) -> str:
    return device.model if servers == 1 else f"{servers}x {device.model} rack"


def cooling_of(device: DeviceType, options: RackOptions) -> str:
    if options.cooling == "proposed":
        return device.cooling_proposal or device.cooling
    return options.cooling or device.cooling


def open_findings(device: DeviceType, options: RackOptions) -> list[Finding]:
    """The file's findings the planner's options have not answered yet."""
    answered = set()
    if options.power_set or (options.power_rule is not None and device.rule(options.power_rule) is not None):
        answered.add("power")
    if options.gpus_per_server is not None or options.confirm_no_gpus:
        answered.add("gpus")
    if options.cooling is not None:
        answered.add("cooling")
    return [f for f in device.findings if f.kind not in answered]


def power_basis(device: DeviceType, options: RackOptions) -> str:
    """The rule used for the file, as the preview shows it."""
    if options.power_kw_per_rack is not None:
        return f"set by the planner: {options.power_kw_per_rack:g} kW a rack"
    if options.power_w_per_server is not None:
        return f"set by the planner: {options.power_w_per_server:,.0f} W a server"
    if not device.is_powered:
        return "none: powered by the rack's shelves (is_powered: false)"
    rule = device.rule(options.power_rule)
    return rule.basis if rule else "none: no port gives a draw"


def catalog_entry(device: DeviceType, options: RackOptions) -> EquipmentModel:
    options.check()
    n = options.servers_per_rack
    rule = device.rule(options.power_rule)
    per_server = options.power_w_per_server or (rule.power_w if rule else None)
    if options.power_kw_per_rack is not None:
        rack_kw = options.power_kw_per_rack
    elif per_server:
        rack_kw = n * per_server / 1000
    elif not device.is_powered:
        raise InputError(f"{device.source}: power", "is_powered is false (its power comes from the rack's power "
                                                    "shelves): give the power per rack")
    else:
        raise InputError(f"{device.source}: power-ports", "no port gives a maximum_draw: give the power")
    if not math.isfinite(rack_kw):
        raise InputError(f"{device.source}: power", f"{n} servers of {per_server:g} W make no finite rack power")
    gpus = options.gpus_per_server or device.gpus
    if gpus is None and not options.confirm_no_gpus:
        raise InputError(f"{device.source}: GPUs", "none found in its module bays, inventory items, description or "
                                                   "comments (a switch, a PDU, a desktop?): give the GPUs per "
                                                   "server, or confirm it is a GPU system")
    cooling = cooling_of(device, options)
    allowance = options.rack_allowance_kg if options.rack_allowance_kg is not None else rack_allowance_kg(cooling)
    notes = [f.text for f in open_findings(device, options)]
    notes.append(f"power: {power_basis(device, options)}")
    notes.append(f"cooling: {cooling}" + (" (set by the planner)" if options.cooling else f" ({device.cooling_basis})"))
    if gpus:
        notes.append(f"GPUs: {gpus} a server ({'set by the planner' if options.gpus_per_server else device.gpus_source})")
    else:
        notes.append("GPUs: none (confirmed by the planner)")
    if device.weight_kg is not None:
        notes.append(f"weight: {n} x {device.weight_kg:g} kg + {allowance:g} kg rack allowance")
    if n * device.u_height > 52:
        notes.append(f"{n} x {device.u_height:g}U is taller than a rack")
    return EquipmentModel(
        kind="gpu", name=rack_name(device, n), manufacturer=device.manufacturer,
        gpus_per_rack=gpus * n if gpus else None, rack_power_kw=round(rack_kw, 6),
        servers_per_rack=n, power_w=per_server, u_height=device.u_height * n, airflow=device.airflow,
        is_powered=device.is_powered, cooling=cooling,
        weight_kg=round(rack_weight_kg(device.weight_kg, n, allowance), 3) if device.weight_kg is not None else None,
        source=f"NetBox devicetype-library: {device.source}", notes="; ".join(notes))


def entries(devices: list[DeviceType], options) -> list[EquipmentModel]:
    """Every device's entry; `options` is one RackOptions for all or a list, one per device.
    Refused when any device is: the InputError names every refused file, one a line."""
    per_device = options if isinstance(options, list) else [options] * len(devices)
    out, refused = [], []
    for device, opts in zip(devices, per_device):
        try:
            out.append(catalog_entry(device, opts))
        except InputError as exc:
            refused.append(exc)
    seen: dict[str, str] = {}
    for e in out:
        source = e.source.split(": ", 1)[-1]
        if e.name in seen:
            refused.append(InputError(source, f"gives {e.name!r} like {seen[e.name]}"))
        seen[e.name] = source
    if refused:
        raise BatchRefused(refused)
    return out


class BatchRefused(InputError):
    """More than one file refused: every one of them, one a line."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.field, first.message)

    def __str__(self) -> str:
        return "\n".join(f"{e.field}: {e.message}" if e.field else e.message for e in self.errors)


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
    record: dict[str, list] = {"added": [], "updated": []}
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
