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


def apply(project, prepared: PreparedFleet, progress=None) -> dict:
    """Write the changes in one transaction; return the record for undo/redo.

    Written with executemany (a million rows in seconds): the new models, then the new fleet
    entries, then the updates. `progress(done, total)` is called between batches; it may raise
    to cancel (the transaction is then rolled back: nothing is stored)."""
    if prepared.errors:
        prepared_first = prepared.errors[0]
        raise InputError(prepared_first.field, prepared_first.message)
    record = {"models": [], "added": [], "updated": []}
    total = len(prepared.new_models) + len(prepared.changes)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    with project.atomic() as db:
        conn = db.conn
        ids: dict[str, int] = {}
        if prepared.new_models:
            rows = [to_row(m) for m in prepared.new_models]
            columns = list(rows[0])
            first = (conn.execute("select coalesce(max(id), 0) from equipment_models").fetchone()[0]) + 1
            for start in range(0, len(rows), BATCH):
                batch = rows[start:start + BATCH]
                conn.executemany(f"insert into equipment_models (id, {', '.join(columns)}) values "
                                 f"(?, {', '.join('?' for _ in columns)})",
                                 [(first + start + i, *(r[c] for c in columns)) for i, r in enumerate(batch)])
                step(len(batch))
            for i, row in enumerate(rows):
                ids[row["name"]] = first + i
                record["models"].append(dict(row, id=first + i))
        added = [c for c in prepared.changes if c.fleet_id is None]
        if added:
            first = (conn.execute("select coalesce(max(id), 0) from fleet").fetchone()[0]) + 1
            rows = [{"id": first + i, "site_id": c.site_id, "model_id": c.model_id or ids[c.model], **c.new}
                    for i, c in enumerate(added)]
            for start in range(0, len(rows), BATCH):
                batch = rows[start:start + BATCH]
                conn.executemany("insert into fleet (id, site_id, model_id, count, uptime_pct, resale_usd_per_ths) "
                                 "values (:id, :site_id, :model_id, :count, :uptime_pct, :resale_usd_per_ths)", batch)
                step(len(batch))
            record["added"] = rows
        updated = [(c.fleet_id, c.old, c.new) for c in prepared.changes if c.fleet_id is not None and c.old != c.new]
        if updated:
            _update(conn, [(new, fid) for fid, _old, new in updated])
            record["updated"] = updated
        step(total - done)
    return record


BATCH = 50_000


def _update(conn, rows: list[tuple[dict, int]]) -> None:
    conn.executemany("update fleet set count = ?, uptime_pct = ?, resale_usd_per_ths = ? where id = ?",
                     [(v["count"], v["uptime_pct"], v["resale_usd_per_ths"], fid) for v, fid in rows])


def undo(project, record: dict) -> None:
    """As fast as the import: a few statements over all rows."""
    with project.atomic() as db:
        conn = db.conn
        if record["updated"]:
            _update(conn, [(old, fid) for fid, old, _new in record["updated"]])
        if record["added"]:
            conn.executemany("delete from fleet where id = ?", [(r["id"],) for r in record["added"]])
        if record["models"]:
            conn.executemany("delete from equipment_models where id = ?", [(r["id"],) for r in record["models"]])


def redo(project, record: dict) -> None:
    with project.atomic() as db:
        conn = db.conn
        if record["models"]:
            columns = list(record["models"][0])
            conn.executemany(f"insert into equipment_models ({', '.join(columns)}) values "
                             f"({', '.join(':' + c for c in columns)})", record["models"])
        if record["added"]:
            conn.executemany("insert into fleet (id, site_id, model_id, count, uptime_pct, resale_usd_per_ths) "
                             "values (:id, :site_id, :model_id, :count, :uptime_pct, :resale_usd_per_ths)",
                             record["added"])
        if record["updated"]:
            _update(conn, [(new, fid) for fid, _old, new in record["updated"]])
