"""Apply a parsed fleet CSV (desktop.model.fleet_csv) to a project, all or nothing.

`prepare(project, rows)` checks every row against the project (the site exists; the model
is an ASIC in the catalog, or a new one with its hashrate and power; given figures match the
catalog) and says what each row will do; `apply(project, prepared)` writes it in one
transaction and returns a record that `undo` and `redo` replay exactly (same row ids).
A row for a (site, model) the fleet already has updates that entry; a new one adds it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from desktop.model.entities import EquipmentModel
from desktop.model.errors import InputError
from desktop.model.fleet_csv import FleetRow
from desktop.store.scenario_import import guess_cooling
from desktop.store import catalog, sites
from desktop.store.rows import to_row

_FIELDS = ("count", "uptime_pct", "resale_usd_per_ths")
_DEFAULTS = {"uptime_pct": 100.0, "resale_usd_per_ths": 0.0}


@dataclass
class FleetChange:
    line: int
    site_id: int
    site: str
    model: str
    model_id: int | None          # None: a model new to the catalog
    fleet_id: int | None          # None: a new fleet entry
    old: dict | None              # the entry's fields before (an update)
    new: dict                     # count, uptime_pct, resale_usd_per_ths after

    def describe(self) -> str:
        if self.fleet_id is None:
            what = "add" + (" (new catalog model)" if self.model_id is None else "")
            return what
        changed = [f"{k.split('_')[0]} {self.old[k]:,g} → {self.new[k]:,g}" for k in _FIELDS if self.old[k] != self.new[k]]
        return "update: " + ", ".join(changed) if changed else "unchanged"


@dataclass
class PreparedFleet:
    changes: list[FleetChange] = field(default_factory=list)
    new_models: list[EquipmentModel] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def prepare(project, rows: list[FleetRow]) -> PreparedFleet:
    out = PreparedFleet()
    site_ids = {s.name: s.id for s in sites.sites(project)}
    models = {m.name: m for m in catalog.models(project)}
    new: dict[str, EquipmentModel] = {}
    entries, racked = {}, {}
    for site_name, site_id in site_ids.items():
        on_floor = sites.racked(project, site_id)
        for entry, model in sites.fleet(project, site_id):
            entries[(site_id, model.name)] = entry
            racked[(site_id, model.name)] = on_floor.get(model.id, 0)
    for row in rows:
        if row.site not in site_ids:
            known = ", ".join(site_ids) or "none yet: add the site first"
            out.errors.append(InputError(f"line {row.line}, column site", f"no site named {row.site!r} (sites: {known})"))
            continue
        model = models.get(row.model) or new.get(row.model)
        if model is not None and model.kind != "asic":
            out.errors.append(InputError(f"line {row.line}, column model", f"{row.model} is a GPU system, not an ASIC miner"))
            continue
        if model is None:
            missing = [c for c in ("hashrate_ths", "power_w") if getattr(row, c) is None]
            if missing:
                out.errors.append(InputError(f"line {row.line}, column {missing[0]}",
                                             f"required: {row.model} is not in the catalog"))
                continue
            model = EquipmentModel(kind="asic", name=row.model, hashrate_ths=row.hashrate_ths, power_w=row.power_w,
                                   cooling=guess_cooling(row.model), source="fleet CSV import", is_estimate=True)
            new[row.model] = model
        else:
            bad = [(c, getattr(model, c)) for c in ("hashrate_ths", "power_w")
                   if getattr(row, c) is not None and not _same(getattr(row, c), getattr(model, c) or 0)]
            if bad:
                column, value = bad[0]
                where = "the catalog has" if model.id is not None else "an earlier line gives"
                out.errors.append(InputError(f"line {row.line}, column {column}",
                                             f"{where} {value:g} for {row.model}; edit the catalog or leave the cell empty"))
                continue
        on_floor = racked.get((site_ids[row.site], row.model), 0)
        if row.count < on_floor:
            out.errors.append(InputError(f"line {row.line}, column count",
                                         f"{on_floor:,} {row.model} stand on {row.site}'s floor: the count cannot "
                                         f"be lower (take miners off the floor first)"))
            continue
        entry = entries.get((site_ids[row.site], row.model))
        old = {k: getattr(entry, k) for k in _FIELDS} if entry else None
        values = {"count": row.count, "uptime_pct": row.uptime_pct, "resale_usd_per_ths": row.resale_usd_per_ths}
        after = {k: (v if v is not None else (old[k] if old else _DEFAULTS[k])) for k, v in values.items()}
        out.changes.append(FleetChange(row.line, site_ids[row.site], row.site, row.model, model.id,
                                       entry.id if entry else None, old, after))
    out.new_models = list(new.values())
    return out


def apply(project, prepared: PreparedFleet) -> dict:
    """Write the changes in one transaction; return the record for undo/redo."""
    if prepared.errors:
        prepared_first = prepared.errors[0]
        raise InputError(prepared_first.field, prepared_first.message)
    record = {"models": [], "added": [], "updated": []}
    with project.atomic() as db:
        ids = {}
        for model in prepared.new_models:
            row = to_row(model)
            ids[model.name] = db["equipment_models"].insert(row).last_pk
            record["models"].append(dict(row, id=ids[model.name]))
        for change in prepared.changes:
            if change.fleet_id is None:
                row = {"site_id": change.site_id, "model_id": change.model_id or ids[change.model], **change.new}
                row["id"] = db["fleet"].insert(row).last_pk
                record["added"].append(row)
            elif change.old != change.new:
                db["fleet"].update(change.fleet_id, change.new)
                record["updated"].append((change.fleet_id, change.old, change.new))
    return record


def undo(project, record: dict) -> None:
    with project.atomic() as db:
        for fleet_id, old, _new in record["updated"]:
            db["fleet"].update(fleet_id, old)
        for row in record["added"]:
            db["fleet"].delete(row["id"])
        for row in record["models"]:
            db["equipment_models"].delete(row["id"])


def redo(project, record: dict) -> None:
    with project.atomic() as db:
        if record["models"]:
            db["equipment_models"].insert_all(record["models"])
        if record["added"]:
            db["fleet"].insert_all(record["added"])
        for fleet_id, _old, new in record["updated"]:
            db["fleet"].update(fleet_id, new)
