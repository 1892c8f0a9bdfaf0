"""NetBox's sites, locations, racks and devices (desktop.model.netbox_csv) into a project.

- a site each (a site of that name already in the project is refused); its grid, energy
  price, PUEs, pool fee and opex from the `[rackshift]` line of its comments when Rackshift
  wrote it, else defaults (grid: the halls' power x 1.3, 50 $/MWh) the summary names;
- a hall per location (racks without a location: a hall "Racks without a location"):
  cooling, power, kW a position, floor load and grid from the `[rackshift]` line, else air,
  30 kW a position, the racks' largest `max_weight` (or 1,000 kg) and power = positions x
  30 kW; the grid holds every rack: racks named like positions (`A01`, `C12`) stand there,
  others are placed row by row after them;
- a position per rack: its miners from the `[rackshift]` line (a catalog ASIC model), or a
  GPU system when the rack holds active devices whose type is one;
- racks with status `planned` holding GPU servers become a plan's conversions (the plan and
  conversion named in the `[rackshift]` line, else "NetBox planned racks", one conversion
  per hall and GPU system); `deprecated` racks of the same conversion (or hall) are the
  positions it retires. A device type matches a catalog GPU system by the `[rackshift]`
  line, else by its server model and the number of devices a rack; one in `device-types/`
  next to the CSVs that the catalog lacks is added from its YAML. Its breaches are derived
  like any conversion's (desktop.store.checks).
Everything is written in one transaction; a refusal writes nothing.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from desktop.model import field_rules
from desktop.model.devicetypes import read_devicetype
from desktop.model.entities import Conversion, FleetEntry, Hall, Plan, Site
from desktop.model.errors import InputError
from desktop.model.floorgrid import parse_label
from desktop.model.months import month_offset
from desktop.model.names import unique_name
from desktop.model.netbox_csv import NetBoxData
from desktop.model.netbox_tags import decode_tag, server_model
from desktop.store import catalog, conversions, devicetype_import, halls, plans, settings, sites

NO_LOCATION = "Racks without a location"
DEFAULT_MAX_RACK_KW = 30.0
DEFAULT_FLOOR_LOAD_KG = 1000.0
DEFAULT_PRICE = 50.0
DEFAULT_PLAN = "NetBox planned racks"
KG = {"kg": 1.0, "g": 0.001, "lb": 0.45359237, "oz": 0.028349523125, "": 1.0}
MAX_COLS = 40


@dataclass
class Summary:
    sites: int = 0
    halls: int = 0
    positions: int = 0
    gpu_racks: int = 0
    plan: str | None = None
    notes: list[str] = field(default_factory=list)


def _number(tag: dict, key: str, default, where: str, section: str):
    if key not in tag:
        return default
    try:
        value = float(tag[key])
    except ValueError:
        raise InputError(f"{where}: {key}", f"{tag[key]!r} is not a number") from None
    problem = field_rules.check(section, key, int(value) if key in ("rows", "cols") else value)
    if problem:
        raise InputError(f"{where}: {key}", problem)
    return int(value) if key in ("rows", "cols") else value


def _grid(racks: list[dict]) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Each rack's (row, col): its own label when it is one, else the next free cell."""
    placed, loose = {}, []
    for rack in racks:
        try:
            placed[rack["name"]] = parse_label(rack["name"])
        except InputError:
            loose.append(rack["name"])
    cols = max([c + 1 for _, c in placed.values()] or [min(max(len(loose), 1), MAX_COLS)])
    taken = set(placed.values())
    cell = 0
    for name in sorted(loose):
        while divmod(cell, cols) in taken:
            cell += 1
        placed[name] = divmod(cell, cols)
        taken.add(placed[name])
    rows = max([r + 1 for r, _ in placed.values()] or [1])
    return placed, rows, cols


def _gpu_for(project, tag: dict, device_types: list[str], folder: Path | None, notes: list[str]):
    """The catalog GPU system of a rack of `device_types` servers (added from its YAML if needed)."""
    if tag.get("gpu_system"):
        found = catalog.by_name(project, tag["gpu_system"])
        if found is not None and found.kind == "gpu":
            return found
    if not device_types:
        return None
    model, n = device_types[0], len(device_types)
    for gpu in catalog.models(project, "gpu"):
        if server_model(gpu.name, gpu.servers_per_rack) == model and (gpu.servers_per_rack or 1) == n:
            return gpu
    if folder is not None:
        for path in sorted((folder / "device-types").glob("*.y*ml")):
            device = read_devicetype(path)
            if device.model == model:
                kw = float(tag["rack_power_kw"]) if _is_number(tag.get("rack_power_kw")) else None
                cooling = tag.get("cooling") if tag.get("cooling") in ("air", "liquid") else None
                try:
                    entry = devicetype_import.catalog_entry(device, devicetype_import.RackOptions(
                        servers_per_rack=n, confirm_no_gpus=True, cooling=cooling,
                        power_kw_per_rack=kw if not device.power_w else None))
                except InputError as exc:
                    notes.append(f"device-types/{path.name}: {exc.message}")
                    return None
                existing = catalog.by_name(project, entry.name)
                if existing is None:
                    entry.id = catalog.add(project, entry)
                    notes.append(f"added {entry.name} to the catalog from device-types/{path.name}")
                    return entry
                return existing
    return None


def import_netbox(project, data: NetBoxData, folder=None) -> Summary:
    folder = Path(folder) if folder is not None else None
    summary = Summary()
    a = settings.assumptions(project)
    site_rows = {r["name"]: r for r in data.sites}
    names = list(site_rows) + [n for n in dict.fromkeys([r["site"] for r in data.locations + data.racks])
                               if n not in site_rows]
    locations: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in data.locations:
        locations[row["site"]][row["name"]] = row
    racks_by: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rack in data.racks:
        racks_by[(rack["site"], rack.get("location") or NO_LOCATION)].append(rack)
    devices_by: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for d in data.devices:
        devices_by[(d.get("site", ""), d.get("location", ""), d["rack"])].append(d)
    rfile = data.files.get("racks", "racks")
    planned: dict[tuple, dict] = defaultdict(lambda: {"gpu": [], "retired": []})
    with project.atomic():
        for name in names:
            if sites.by_name(project, name) is not None:
                raise InputError(f"{data.files.get('sites', rfile)}: {name}", "a site of that name is already in the "
                                                                             "project")
            row = site_rows.get(name, {})
            tag = decode_tag(row.get("comments"))
            where = f"{data.files.get('sites', rfile)}: {name}"
            hall_rows = [locations[name].get(h, {"name": h}) for h in
                         dict.fromkeys(list(locations[name]) + [h for (s, h) in racks_by if s == name])]
            site = Site(name=name, grid_capacity_mw=1.0, energy_price_usd_per_mwh=_number(
                tag, "energy_price_usd_per_mwh", DEFAULT_PRICE, where, "site"),
                location=row.get("description") or row.get("physical_address") or row.get("facility") or "",
                notes=(row.get("comments") or "").split("[rackshift]")[0].strip(),
                sort_order=summary.sites)
            for key in ("pue_mining", "pue_hosting", "pool_fee_pct", "mining_opex_usd_per_mw_month"):
                setattr(site, key, _number(tag, key, getattr(site, key), where, "site"))
            site.id = sites.add(project, site)
            summary.sites += 1
            total_kw = 0.0
            for order, loc in enumerate(hall_rows):
                total_kw += _add_hall(project, site, loc, racks_by[(name, loc["name"])], devices_by, order, a,
                                      planned, folder, summary, data)
            grid = _number(tag, "grid_capacity_mw", None, where, "site")
            if grid is None:
                grid = max(1.0, math.ceil(total_kw * 1.3 / 100) / 10)
                summary.notes.append(f"{name}: grid {grid:g} MW and energy price {site.energy_price_usd_per_mwh:g} "
                                     "$/MWh are defaults (NetBox has neither): set them in Sites")
            sites.update(project, site.id, grid_capacity_mw=grid)
            # NetBox has no fleet: the site owns the miners it racks, so its plan may remove them
            asic_ids = {m.id for m in catalog.models(project, "asic")}
            for model_id, count in sites.racked(project, site.id).items():
                if model_id in asic_ids:
                    sites.add_fleet(project, FleetEntry(site_id=site.id, model_id=model_id, count=count))
        if planned:
            _add_plan(project, planned, summary, a)
    return summary


def _add_hall(project, site, loc, racks, devices_by, order, a, planned, folder, summary, data) -> float:
    tag = decode_tag(loc.get("comments"))
    where = f"{data.files.get('locations', data.files.get('racks'))}: {site.name} / {loc['name']}"
    placed, rows, cols = _grid(racks)
    max_weight = [float(r["max_weight"]) * KG.get(r.get("weight_unit", "").lower(), 1.0)
                  for r in racks if _is_number(r.get("max_weight"))]
    max_kw = _number(tag, "max_rack_kw", DEFAULT_MAX_RACK_KW, where, "hall")
    rows = max(rows, _number(tag, "rows", rows, where, "hall"))
    cols = max(cols, _number(tag, "cols", cols, where, "hall"))
    if rows > 500 or cols > 500:
        raise InputError(where, f"{rows} x {cols} positions is more than a hall's 500 x 500 grid")
    cooling = tag.get("cooling", "air")
    problem = field_rules.check("hall", "cooling", cooling)
    if problem:
        raise InputError(f"{where}: cooling", problem)
    hall = Hall(site_id=site.id, name=loc["name"], cooling=cooling, rows=rows, cols=cols, sort_order=order,
                max_rack_kw=max_kw, floor_load_kg=_number(tag, "floor_load_kg", max(max_weight or [DEFAULT_FLOOR_LOAD_KG]),
                                                          where, "hall"),
                power_capacity_kw=_number(tag, "power_capacity_kw", rows * cols * max_kw, where, "hall"))
    hall.id = halls.add(project, hall)
    summary.halls += 1
    summary.positions += len(racks)
    if not tag:
        summary.notes.append(f"{site.name} / {hall.name}: {max_kw:g} kW a position, {hall.power_capacity_kw:,.0f} kW "
                             "hall power and air cooling are defaults (NetBox has none): set them in Sites")
    table = halls.positions(project, hall_id=hall.id)
    by_cell = {(int(r), int(c)): int(pid) for pid, r, c in zip(table.ids, table.rows, table.cols)}
    asics = {m.name: m for m in catalog.models(project, "asic")}
    for rack in racks:
        pid = by_cell[placed[rack["name"]]]
        rtag = decode_tag(rack.get("comments"))
        devices = devices_by.get((site.name, rack.get("location", ""), rack["name"]), [])
        status = rack.get("status", "").lower()
        model = asics.get(rtag.get("model", ""))
        if model is not None and _is_number(rtag.get("units")):
            halls.set_contents(project, [pid], model.id, int(float(rtag["units"])))
        if status == "planned" and (devices or rtag.get("gpu_system")):
            gpu = _gpu_for(project, rtag, [d["device_type"] for d in devices], folder, summary.notes)
            if gpu is None:
                summary.notes.append(f"{hall.name} {rack['name']}: planned rack of {devices[0]['device_type']!r} "
                                     "left out: no catalog GPU system has that device type")
                continue
            key = (rtag.get("plan") or DEFAULT_PLAN, rtag.get("conversion_id") or rtag.get("conversion")
                   or f"{hall.name}: {gpu.name}", hall.id)
            planned[key]["gpu"].append(pid)
            planned[key].update(system=gpu, hall=hall, start=rtag.get("start_month"),
                                label=rtag.get("conversion") or f"{hall.name}: {len(planned[key]['gpu'])} x {gpu.name}")
        elif status == "deprecated":
            retired_key = (rtag.get("plan") or DEFAULT_PLAN, rtag.get("conversion_id") or rtag.get("conversion"),
                           hall.id)
            planned[retired_key]["retired"].append(pid)
            planned[retired_key].setdefault("hall", hall)
        elif devices and model is None:
            gpu = _gpu_for(project, rtag, [d["device_type"] for d in devices], folder, summary.notes)
            if gpu is not None:
                halls.set_contents(project, [pid], gpu.id, 1)
    return hall.power_capacity_kw


def _is_number(text) -> bool:
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


def _add_plan(project, planned: dict, summary: Summary, a: dict) -> None:
    # deprecated racks without a conversion of their own go with the hall's first conversion
    for (plan_name, conv, hall_id), value in list(planned.items()):
        if conv is None:
            target = next((k for k, v in planned.items() if k[0] == plan_name and k[2] == hall_id and v["gpu"]
                           and k[1] is not None), None)
            if target is not None:
                planned[target]["retired"] += value["retired"]
            del planned[(plan_name, conv, hall_id)]
    ids = {}
    horizon = int(a["horizon_months"])
    for (plan_name, _conv, hall_id), value in planned.items():
        if not value["gpu"]:
            summary.notes.append(f"{len(value['retired'])} deprecated rack(s) without a planned GPU rack of their "
                                 "own left as they are")
            continue
        label = value["label"]
        if plan_name not in ids:
            name = unique_name([p.name for p in plans.plans(project)], plan_name)
            ids[plan_name] = plans.add(project, Plan(name=name, notes="from NetBox's planned racks"))
            summary.plan = name
        gpu, hall = value["system"], value["hall"]
        start = 0
        if value.get("start"):
            try:
                start = min(max(month_offset(a["start_month"], value["start"]), 0), horizon - 1)
            except InputError:
                start = 0
        removed: dict[int, int] = {}   # by catalog id (a rename never breaks the plan)
        table = halls.positions(project, hall_id=hall.id)
        index = table.index_of()
        asic_names = {m.id: m.name for m in catalog.models(project, "asic")}
        for pid in value["gpu"] + value["retired"]:
            i = index[pid]
            mid = int(table.model_ids[i])
            if mid in asic_names:
                removed[mid] = removed.get(mid, 0) + int(table.unit_counts[i])
        n = len(value["gpu"])
        terms = conversions.default_terms()
        conv = Conversion(plan_id=ids[plan_name], site_id=hall.site_id, hall_id=hall.id, gpu_model_id=gpu.id,
                          start_month=start, critical_it_mw=n * (gpu.rack_power_kw or 0) / 1000, racks_placed=n,
                          remove_asics=removed, label=label, **terms)
        plans.add_conversion(project, conv, value["gpu"], value["retired"])
        summary.gpu_racks += n
    if ids and settings.current_plan_id(project) is None:
        settings.put(project, "current_plan_id", next(iter(ids.values())))

