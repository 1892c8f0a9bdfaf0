"""Sites and their fleets."""
from __future__ import annotations

from desktop.model.entities import EquipmentModel, FleetEntry, Site
from desktop.model.errors import InputError
from desktop.store.rows import column_values, from_row, get_row, to_row


def sites(project) -> list[Site]:
    return [from_row(Site, r) for r in project.db["sites"].rows_where(order_by="sort_order, id")]


def get(project, site_id: int) -> Site:
    return from_row(Site, get_row(project, "sites", site_id))


def by_name(project, name: str) -> Site | None:
    rows = list(project.db["sites"].rows_where("name = ?", [name]))
    return from_row(Site, rows[0]) if rows else None


def _unique_name(project, name: str, site_id: int | None) -> None:
    other = by_name(project, name)
    if other is not None and other.id != site_id:
        raise InputError("name", f"a site named {name!r} already exists")


def add(project, site: Site) -> int:
    _unique_name(project, site.name, None)
    with project.atomic() as db:
        return db["sites"].insert(to_row(site, with_id=True)).last_pk


def update(project, site_id: int, **fields) -> None:
    if "name" in fields:
        _unique_name(project, fields["name"], site_id)
    with project.atomic() as db:
        db["sites"].update(site_id, column_values(None, fields))


# -- fleet ---------------------------------------------------------------------------

def fleet(project, site_id: int) -> list[tuple[FleetEntry, EquipmentModel]]:
    rows = project.db.execute(
        "select f.id as fid, f.site_id, f.model_id, f.count, f.uptime_pct, f.resale_usd_per_ths, m.* "
        "from fleet f join equipment_models m on m.id = f.model_id where f.site_id = ? order by m.name",
        [site_id],
    )
    cols = [c[0] for c in rows.description]
    out = []
    for values in rows.fetchall():
        row = dict(zip(cols, values))
        entry = FleetEntry(site_id=row["site_id"], model_id=row["model_id"], count=row["count"],
                           uptime_pct=row["uptime_pct"], resale_usd_per_ths=row["resale_usd_per_ths"], id=row["fid"])
        out.append((entry, from_row(EquipmentModel, row)))
    return out


def add_fleet(project, entry: FleetEntry) -> int:
    exists = project.db.execute("select 1 from fleet where site_id = ? and model_id = ?",
                                [entry.site_id, entry.model_id]).fetchone()
    if exists:
        raise InputError("model", "this site already has a fleet entry for that model")
    with project.atomic() as db:
        return db["fleet"].insert(to_row(entry, with_id=True)).last_pk


def racked(project, site_id: int) -> dict[int, int]:
    """Miners standing on the site's floor (rack positions), by model id."""
    rows = project.db.execute(
        "select p.model_id, sum(p.unit_count) from positions p join halls h on h.id = p.hall_id "
        "where h.site_id = ? and p.model_id is not null group by p.model_id", [site_id]).fetchall()
    return {int(m): int(n) for m, n in rows}


def check_fleet_count(project, fleet_id: int, count: int) -> None:
    """Refuse a fleet count below the miners of the entry standing on the site's floor:
    conversions remove racked miners, so the fleet must own every one of them."""
    row = project.db["fleet"].get(fleet_id)
    on_floor = racked(project, row["site_id"]).get(row["model_id"], 0)
    if count < on_floor:
        model = project.db["equipment_models"].get(row["model_id"])["name"]
        site = project.db["sites"].get(row["site_id"])["name"]
        raise InputError("count", f"{on_floor:,} {model} stand on {site}'s floor, so the fleet cannot have "
                                  f"{'none' if count == 0 else f'{count:,}'}; take miners off the floor first "
                                  f"(Sites > Halls > Miners on the floor)")


def update_fleet(project, fleet_id: int, **fields) -> None:
    if "count" in fields:
        check_fleet_count(project, fleet_id, fields["count"])
    with project.atomic() as db:
        db["fleet"].update(fleet_id, column_values(None, fields))


# -- whole-site snapshots, for undoable delete -----------------------------------------

_CHILD_TABLES = ("fleet", "halls")


def snapshot(project, site_id: int) -> dict:
    """Everything a site owns, as rows, so that `restore` can undo a delete."""
    q = project.db
    halls = list(q["halls"].rows_where("site_id = ?", [site_id]))
    hall_ids = [h["id"] for h in halls]
    marks = ",".join("?" * len(hall_ids)) or "NULL"
    conversions = list(q["conversions"].rows_where("site_id = ?", [site_id]))
    conv_ids = [c["id"] for c in conversions]
    cmarks = ",".join("?" * len(conv_ids)) or "NULL"
    return {
        "site": q["sites"].get(site_id),
        "fleet": list(q["fleet"].rows_where("site_id = ?", [site_id])),
        "halls": halls,
        "positions": list(q["positions"].rows_where(f"hall_id in ({marks})", hall_ids)),
        "conversions": conversions,
        "conversion_positions": list(q["conversion_positions"].rows_where(f"conversion_id in ({cmarks})", conv_ids)),
    }


def delete(project, site_id: int) -> dict:
    snap = snapshot(project, site_id)
    with project.atomic() as db:
        db["sites"].delete(site_id)  # cascades to fleet, halls, positions, conversions
    return snap


def restore(project, snap: dict) -> None:
    with project.atomic() as db:
        for table in ("sites", "fleet", "halls", "positions", "conversions", "conversion_positions"):
            rows = snap[table[:-1] if table == "sites" else table]
            rows = [rows] if isinstance(rows, dict) else rows
            if rows:
                db[table].insert_all(rows)


def by_id(project, site_id: int) -> Site | None:
    """The site, or None when it no longer exists (deleted by an edit)."""
    rows = list(project.db["sites"].rows_where("id = ?", [site_id]))
    return from_row(Site, rows[0]) if rows else None
