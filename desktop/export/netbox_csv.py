"""A project and one of its plans as NetBox data: bulk-import CSVs and device-type YAML.

`export_netbox(project, plan_id, folder)` writes, atomically each, in the order NetBox
imports them (README "NetBox"):
- `manufacturers.csv` (name, slug) and `device-roles.csv` (name, slug, color): what the
  device types and devices refer to;
- `device-types/SLUG.yaml`: each GPU system on the floor or in the plan, as one server
  (desktop.export.netbox_devicetype), valid against the devicetype-library's schema;
- `sites.csv`: a site each (status active), its location as the description;
- `locations.csv`: a hall each, in its site (status active);
- `racks.csv`: a rack per rack position, named by its label (`A01`), in its hall:
  status `planned` where the plan puts a GPU rack, `deprecated` where the plan retires the
  position for a GPU rack's power, `active` where miners (or a GPU system) stand today,
  `available` where the position is empty; `max_weight` is the hall's floor load per position;
- `devices.csv`: the GPU servers in those racks (device type, role `GPU server`, rack,
  position in U from 1 up, face front; status `planned` for the plan's, `active` for today's).
What NetBox has no field for (a site's grid and prices, a hall's power budget, grid size and
cooling, a position's miners, the plan and month of a GPU rack) goes into `comments` as one
`[rackshift]` line (desktop.model.netbox_tags) that `rackshift import-netbox` reads back.
Text cells a spreadsheet would run as a formula are escaped (desktop.export.csv_safe). No Qt.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from desktop.export import atomic, netbox_devicetype
from desktop.export.csv_safe import escape_cell
from desktop.model.floorgrid import ROLE_GPU, ROLE_RETIRED
from desktop.model.months import month_label
from desktop.model.netbox_tags import slugify, with_tag
from desktop.store import catalog, halls, plans, settings, sites

ROLE = ("GPU server", "gpu-server", "76b900")
RACK_U = 42
TALL_RACK_U = 48
HEADERS = {
    "manufacturers": ["name", "slug"],
    "device-roles": ["name", "slug", "color"],
    "sites": ["name", "slug", "status", "description", "comments"],
    "locations": ["site", "name", "slug", "status", "description", "comments"],
    "racks": ["site", "location", "name", "status", "width", "u_height", "form_factor", "max_weight", "weight_unit",
              "description", "comments"],
    "devices": ["name", "role", "manufacturer", "device_type", "status", "site", "location", "rack", "position",
                "face", "airflow", "comments"],
}
FILES = ["manufacturers", "device-roles", "sites", "locations", "racks", "devices"]


def _desc(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"


def rack_u(gpu) -> int:
    """The rack height a GPU system's servers need: 42U, 48U for taller ones, or more."""
    total = netbox_devicetype.server_u(gpu) * max(gpu.servers_per_rack or 1, 1)
    if total <= RACK_U:
        return RACK_U
    return TALL_RACK_U if total <= TALL_RACK_U else int(-(-total // 1))


def netbox_rows(project, plan_id: int | None) -> tuple[dict[str, list[dict]], list]:
    """The rows of every CSV, and the GPU systems to write as device types."""
    models = {m.id: m for m in catalog.models(project)}
    a = settings.assumptions(project)
    plan = plans.get(project, plan_id) if plan_id is not None else None
    convs = {c.id: c for c in plans.conversions(project, plan_id)} if plan_id is not None else {}
    rows: dict[str, list[dict]] = {name: [] for name in FILES}
    used_gpus: dict[int, object] = {}
    for site in sites.sites(project):
        rows["sites"].append({
            "name": site.name, "slug": slugify(site.name), "status": "active", "description": _desc(site.location),
            "comments": with_tag(site.notes, {
                "grid_capacity_mw": site.grid_capacity_mw, "energy_price_usd_per_mwh": site.energy_price_usd_per_mwh,
                "pue_mining": site.pue_mining, "pue_hosting": site.pue_hosting, "pool_fee_pct": site.pool_fee_pct,
                "mining_opex_usd_per_mw_month": site.mining_opex_usd_per_mw_month}),
        })
        for hall in halls.halls(project, site.id):
            rows["locations"].append({
                "site": site.name, "name": hall.name, "slug": slugify(hall.name), "status": "active",
                "description": _desc(f"{hall.cooling} cooling, {hall.power_capacity_kw:,.0f} kW, at most "
                                     f"{hall.max_rack_kw:g} kW a position, {hall.rows} x {hall.cols} positions"),
                "comments": with_tag("", {"cooling": hall.cooling, "power_capacity_kw": hall.power_capacity_kw,
                                          "max_rack_kw": hall.max_rack_kw, "floor_load_kg": hall.floor_load_kg,
                                          "rows": hall.rows, "cols": hall.cols}),
            })
            _hall_racks(rows, site, hall, project, plan, convs, models, a["start_month"], used_gpus)
    for gpu in used_gpus.values():
        rows["manufacturers"].append({"name": netbox_devicetype.manufacturer(gpu),
                                      "slug": slugify(netbox_devicetype.manufacturer(gpu))})
    seen, unique = set(), []
    for row in rows["manufacturers"]:
        if row["slug"] not in seen:
            seen.add(row["slug"])
            unique.append(row)
    rows["manufacturers"] = unique
    if used_gpus:
        rows["device-roles"].append(dict(zip(HEADERS["device-roles"], ROLE)))
    return rows, list(used_gpus.values())


def _hall_racks(rows, site, hall, project, plan, convs, models, start_month, used_gpus) -> None:
    table = halls.positions(project, hall_id=hall.id, plan_id=plan.id if plan else None)
    for i in range(len(table)):
        label, model_id, units = table.labels[i], int(table.model_ids[i]), int(table.unit_counts[i])
        role, conv = int(table.role[i]), convs.get(int(table.conversion_ids[i]))
        tag: dict = {}
        gpu, gpu_status = None, ""
        content = models.get(model_id)
        if content is not None:
            tag.update(model=content.name, units=units)
        if role == ROLE_GPU:
            gpu, status, gpu_status = models.get(int(table.gpu_model_ids[i])), "planned", "planned"
        elif role == ROLE_RETIRED:
            status = "deprecated"
        elif content is not None:
            status = "active"
            if content.kind == "gpu":
                gpu, gpu_status = content, "active"
        else:
            status = "available"
        words = f"{units} x {content.name}" if content is not None else "empty position"
        if conv is not None:
            month = month_label(start_month, conv.start_month)
            tag.update(plan=plan.name, conversion=conv.label or conv.id, role="gpu" if role == ROLE_GPU else "retired",
                       start_month=month)
            words = (f"{gpu.name}, {gpu.rack_power_kw or 0:g} kW, {gpu.cooling}: " if gpu is not None else
                     "retired for a GPU rack's power: ") + f"{plan.name} from {month}; today {words}"
            if role == ROLE_GPU and gpu is not None:
                tag.update(gpu_system=gpu.name, rack_power_kw=gpu.rack_power_kw, cooling=gpu.cooling)
            tag["conversion_id"] = conv.id
        rows["racks"].append({
            "site": site.name, "location": hall.name, "name": label, "status": status, "width": 19,
            "u_height": rack_u(gpu) if gpu is not None else RACK_U, "form_factor": "4-post-cabinet",
            "max_weight": round(hall.floor_load_kg), "weight_unit": "kg", "description": _desc(words),
            "comments": with_tag("", tag) if tag else "",
        })
        if gpu is not None:
            used_gpus[gpu.id] = gpu
            _devices(rows, site, hall, label, gpu, gpu_status)


def _devices(rows, site, hall, label, gpu, status) -> None:
    u = netbox_devicetype.server_u(gpu)
    model, maker = netbox_devicetype.server_model(gpu), netbox_devicetype.manufacturer(gpu)
    for k in range(max(gpu.servers_per_rack or 1, 1)):
        rows["devices"].append({
            "name": f"{hall.name} {label}.{k + 1}", "role": ROLE[0], "manufacturer": maker, "device_type": model,
            "status": status, "site": site.name, "location": hall.name, "rack": label,
            "position": 1 + k * u if u >= 1 else None, "face": "front" if u >= 1 else "",
            "airflow": netbox_devicetype.devicetype_dict(gpu).get("airflow", ""), "comments": "",
        })


def csv_text(name: str, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS[name])
    for row in rows:
        cells = []
        for key in HEADERS[name]:
            value = row.get(key)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cells.append("" if value is None else escape_cell(value))
        writer.writerow(cells)
    return out.getvalue()


def output_paths(folder) -> list[Path]:
    """The files an export into `folder` writes that are there already (CSVs, device types)."""
    folder = Path(folder)
    types = folder / "device-types"
    return [folder / f"{name}.csv" for name in FILES] + (sorted(types.glob("*.yaml")) if types.is_dir() else [])


def export_netbox(project, plan_id: int | None, folder) -> list[Path]:
    """Write the CSVs and device types into `folder` (made if missing); return the paths."""
    folder = Path(folder)
    rows, gpus = netbox_rows(project, plan_id)
    types = folder / "device-types"
    try:
        types.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from desktop.model.errors import InputError

        raise InputError("output", f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    written = []
    for gpu in gpus:
        path = types / netbox_devicetype.file_name(gpu)
        if path not in written:  # two rack sizes of one server are one device type
            atomic.write_text(path, netbox_devicetype.devicetype_yaml(gpu))
            written.append(path)
    for name in FILES:
        path = folder / f"{name}.csv"
        atomic.write_text(path, csv_text(name, rows[name]))
        written.append(path)
    return written
