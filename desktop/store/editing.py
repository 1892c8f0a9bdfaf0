"""Store operations the editors need for exact undo and redo, each in one transaction.

Undo must put back the very rows an edit removed (same ids), because later steps on the
undo stack refer to them: a conversion redone after its hall was deleted and restored must
find the same position ids. So deletes here return complete snapshots, and restores insert
them as they were:
- `delete_hall` / `restore_hall`: the hall, its positions, the conversion positions on them
  and the conversions that named the hall;
- `hall_grid` / `set_hall_grid`: a hall's grid size and positions, for undoing a resize;
- `delete_row` / `insert_row`: one catalog or fleet row.
`hall_usage`, `site_usage`: what a delete would take with it, for the confirmation.
"""
from __future__ import annotations

from desktop.model.errors import InputError
from desktop.store import halls, sites
from desktop.store.rows import get_row

_TABLES = ("equipment_models", "fleet")


def _marks(ids) -> str:
    return ",".join("?" * len(ids)) or "NULL"


def hall_usage(project, hall_id: int) -> dict[str, int]:
    q = project.db.execute
    return {
        "positions": q("select count(*) from positions where hall_id = ?", [hall_id]).fetchone()[0],
        "occupied": q("select count(*) from positions where hall_id = ? and model_id is not null", [hall_id]).fetchone()[0],
        "miners": q("select coalesce(sum(unit_count), 0) from positions where hall_id = ?", [hall_id]).fetchone()[0],
        "conversions": q("select count(distinct cp.conversion_id) from conversion_positions cp "
                         "join positions p on p.id = cp.position_id where p.hall_id = ?", [hall_id]).fetchone()[0],
    }


def site_usage(project, site_id: int) -> dict[str, int]:
    q = project.db.execute
    return {
        "halls": q("select count(*) from halls where site_id = ?", [site_id]).fetchone()[0],
        "fleet": q("select count(*) from fleet where site_id = ?", [site_id]).fetchone()[0],
        "miners": q("select coalesce(sum(count), 0) from fleet where site_id = ?", [site_id]).fetchone()[0],
        "conversions": q("select count(*) from conversions where site_id = ?", [site_id]).fetchone()[0],
    }


def delete_hall(project, hall_id: int) -> dict:
    """Delete a hall with its positions; the snapshot also keeps what referred to them."""
    db = project.db
    positions = list(db["positions"].rows_where("hall_id = ?", [hall_id]))
    ids = [p["id"] for p in positions]
    snap = {
        "hall": db["halls"].get(hall_id),
        "positions": positions,
        "conversion_positions": [dict(zip(("conversion_id", "position_id", "role"), r)) for r in db.execute(
            "select cp.conversion_id, cp.position_id, cp.role from conversion_positions cp "
            "join positions p on p.id = cp.position_id where p.hall_id = ?", [hall_id]).fetchall()] if ids else [],
        "conversion_halls": [r[0] for r in db.execute("select id from conversions where hall_id = ?", [hall_id])],
    }
    with project.atomic() as db:
        db["halls"].delete(hall_id)
    return snap


def restore_hall(project, snap: dict) -> None:
    with project.atomic() as db:
        db["halls"].insert(snap["hall"])
        if snap["positions"]:
            db["positions"].insert_all(snap["positions"], batch_size=5000)
        if snap["conversion_positions"]:
            db["conversion_positions"].insert_all(snap["conversion_positions"], batch_size=5000)
        hall_id = snap["hall"]["id"]
        ids = snap["conversion_halls"]
        if ids:
            db.execute(f"update conversions set hall_id = ? where id in ({_marks(ids)})", [hall_id, *ids])


def hall_grid(project, hall_id: int) -> dict:
    """A hall's grid (rows, cols) and its positions, as rows."""
    hall = halls.get(project, hall_id)
    return {"hall_id": hall_id, "rows": hall.rows, "cols": hall.cols,
            "positions": list(project.db["positions"].rows_where("hall_id = ?", [hall_id]))}


def set_hall_grid(project, state: dict) -> None:
    """Put a hall's grid back as `hall_grid` saw it: same size, same positions, same ids."""
    hall_id = state["hall_id"]
    keep = [p["id"] for p in state["positions"]]
    with project.atomic() as db:
        db.execute("create temp table if not exists _keep (id integer primary key)")
        db.execute("delete from _keep")
        db.conn.executemany("insert into _keep values (?)", [(i,) for i in keep])
        used = db.execute("select count(*) from positions where hall_id = ? and id not in (select id from _keep) "
                          "and (model_id is not null or id in (select position_id from conversion_positions))",
                          [hall_id]).fetchone()[0]
        if used:
            raise InputError("rows", f"{used} occupied positions lie outside a {state['rows']} x {state['cols']} grid")
        db.execute("delete from positions where hall_id = ? and id not in (select id from _keep)", [hall_id])
        # labels are unique per hall: clear them before writing the old ones back
        db.execute("update positions set label = '~' || id, row = -id, col = -id where hall_id = ?", [hall_id])
        db.conn.executemany(
            "insert into positions (id, hall_id, row, col, label, model_id, unit_count) values (?, ?, ?, ?, ?, ?, ?) "
            "on conflict(id) do update set row = excluded.row, col = excluded.col, label = excluded.label",
            [(p["id"], hall_id, p["row"], p["col"], p["label"], p["model_id"], p["unit_count"]) for p in state["positions"]])
        db["halls"].update(hall_id, {"rows": state["rows"], "cols": state["cols"]})


def resize_hall(project, hall_id: int, rows: int, cols: int) -> tuple[dict, dict]:
    """Resize a hall's grid; return its grid before and after, for undo and redo."""
    before = hall_grid(project, hall_id)
    halls.update(project, hall_id, rows=rows, cols=cols)
    return before, hall_grid(project, hall_id)


def model_row(project, model_id: int) -> dict:
    """A catalog entry's whole row (what `insert_row` puts back after an undone delete)."""
    return get_row(project, "equipment_models", model_id)


def delete_row(project, table: str, row_id: int) -> dict:
    if table not in _TABLES:
        raise ValueError(table)
    row = project.db[table].get(row_id)
    with project.atomic() as db:
        db[table].delete(row_id)
    return row


def insert_row(project, table: str, row: dict) -> None:
    if table not in _TABLES:
        raise ValueError(table)
    with project.atomic() as db:
        db[table].insert(row)


# -- miners on a hall's floor ----------------------------------------------------------------

def placed_miners(project, site_id: int) -> dict[int, int]:
    """Miners standing on the site's floor, by model id."""
    return sites.racked(project, site_id)


def _check_in_storage(project, hall_id: int, model_id: int, miners: int) -> None:
    """Only miners the site's fleet owns and has not racked yet can be placed."""
    site_id = halls.get(project, hall_id).site_id
    row = project.db.execute("select count from fleet where site_id = ? and model_id = ?", [site_id, model_id]).fetchone()
    owned = int(row[0]) if row else 0
    on_floor = sites.racked(project, site_id).get(model_id, 0)
    stored = max(owned - on_floor, 0)
    if miners > stored:
        model = project.db["equipment_models"].get(model_id)["name"]
        site = sites.get(project, site_id).name
        if not row:
            raise InputError("miners", f"{site}'s fleet has no {model}; add it in the Fleet view first")
        raise InputError("miners", f"{site}'s fleet has {stored:,} {model} in storage ({owned:,} owned, "
                                   f"{on_floor:,} on the floor); raise the fleet's count to place more")


def place_miners(project, hall_id: int, model_id: int, miners: int, per_position: int) -> list[tuple]:
    """Stand `miners` of a model on the hall's empty positions, `per_position` a position, row
    by row; return the positions' previous contents for `restore_contents`."""
    if per_position < 1:
        raise InputError("miners per position", "must be at least 1")
    if miners < 1:
        raise InputError("miners", "must be at least 1")
    empty = [r[0] for r in project.db.execute(
        "select id from positions where hall_id = ? and model_id is null "
        "and id not in (select position_id from conversion_positions) order by row, col", [hall_id])]
    needed = -(-miners // per_position)
    if needed > len(empty):
        raise InputError("miners", f"{miners:,} miners at {per_position} a position need {needed:,} empty positions; "
                                   f"the hall has {len(empty):,}")
    _check_in_storage(project, hall_id, model_id, miners)
    counts = [per_position] * (miners // per_position) + ([miners % per_position] if miners % per_position else [])
    with project.atomic() as db:
        db.conn.executemany("update positions set model_id = ?, unit_count = ? where id = ?",
                            [(model_id, n, pid) for pid, n in zip(empty, counts)])
    return [(pid, None, 0) for pid in empty[:needed]]


def clear_hall(project, hall_id: int) -> list[tuple]:
    """Empty every position of the hall that no plan converts; return what stood there."""
    rows = project.db.execute(
        "select id, model_id, unit_count from positions where hall_id = ? and model_id is not null "
        "and id not in (select position_id from conversion_positions)", [hall_id]).fetchall()
    with project.atomic() as db:
        db.conn.executemany("update positions set model_id = null, unit_count = 0 where id = ?", [(r[0],) for r in rows])
    return [tuple(r) for r in rows]


def restore_contents(project, rows: list[tuple]) -> None:
    with project.atomic() as db:
        db.conn.executemany("update positions set model_id = ?, unit_count = ? where id = ?",
                            [(model_id, n, pid) for pid, model_id, n in rows])


def catalog_usage(project) -> dict[int, dict[str, int]]:
    """`catalog.usage` for every model at once: {model id: {fleet, positions, conversions}}."""
    out: dict[int, dict[str, int]] = {}
    for key, sql in (("fleet", "select model_id, count(*) from fleet group by model_id"),
                     ("positions", "select model_id, count(*) from positions where model_id is not null group by model_id"),
                     ("conversions", "select gpu_model_id, count(*) from conversions where gpu_model_id is not null "
                                     "group by gpu_model_id")):
        for model_id, n in project.db.execute(sql).fetchall():
            out.setdefault(int(model_id), {"fleet": 0, "positions": 0, "conversions": 0})[key] = int(n)
    return out
