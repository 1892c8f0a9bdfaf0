"""Plans, their conversions, and the positions each conversion takes.

Converting N positions is one transaction: one INSERT of the conversion and one
executemany into conversion_positions. Undoing it deletes the conversion (the
positions follow by cascade); redoing re-inserts the same rows with the same id.
"""
from __future__ import annotations

from desktop.model.entities import Conversion, Plan
from desktop.model.errors import InputError
from desktop.store.rows import column_values, from_row, get_row, to_row


def plans(project) -> list[Plan]:
    return [from_row(Plan, r) for r in project.db["plans"].rows_where(order_by="id")]


def get(project, plan_id: int) -> Plan:
    return from_row(Plan, get_row(project, "plans", plan_id))


def by_id(project, plan_id: int | None) -> Plan | None:
    """The plan, or None when there is none with that id (deleted, or a stale current_plan_id)."""
    rows = list(project.db["plans"].rows_where("id = ?", [plan_id])) if plan_id is not None else []
    return from_row(Plan, rows[0]) if rows else None


def by_name(project, name: str) -> Plan | None:
    rows = list(project.db["plans"].rows_where("name = ?", [name]))
    return from_row(Plan, rows[0]) if rows else None


def add(project, plan: Plan) -> int:
    if by_name(project, plan.name) is not None:
        raise InputError("name", f"a plan named {plan.name!r} already exists")
    row = to_row(plan, with_id=True)
    if not row.get("created_at"):
        row.pop("created_at")
    with project.atomic() as db:
        return db["plans"].insert(row).last_pk


def rename(project, plan_id: int, name: str) -> None:
    other = by_name(project, name)
    if other is not None and other.id != plan_id:
        raise InputError("name", f"a plan named {name!r} already exists")
    with project.atomic() as db:
        db["plans"].update(plan_id, {"name": name})


def snapshot(project, plan_id: int) -> dict:
    db = project.db
    conversions = list(db["conversions"].rows_where("plan_id = ?", [plan_id]))
    ids = [c["id"] for c in conversions]
    marks = ",".join("?" * len(ids)) or "NULL"
    return {
        "plan": db["plans"].get(plan_id),
        "conversions": conversions,
        "conversion_positions": list(db["conversion_positions"].rows_where(f"conversion_id in ({marks})", ids)),
    }


def delete(project, plan_id: int) -> dict:
    snap = snapshot(project, plan_id)
    with project.atomic() as db:
        db["plans"].delete(plan_id)
    return snap


def restore(project, snap: dict) -> None:
    with project.atomic() as db:
        db["plans"].insert(snap["plan"])
        if snap["conversions"]:
            db["conversions"].insert_all(snap["conversions"])
        if snap["conversion_positions"]:
            db["conversion_positions"].insert_all(snap["conversion_positions"], batch_size=5000)


def duplicate(project, plan_id: int, name: str) -> int:
    """Copy a plan with its conversions and their positions under a new name."""
    if by_name(project, name) is not None:
        raise InputError("name", f"a plan named {name!r} already exists")
    source = get(project, plan_id)
    with project.atomic() as db:
        new_id = db["plans"].insert({"name": name, "notes": source.notes,
                                     **column_values(None, {"financing": source.financing})}).last_pk
        for conv in db["conversions"].rows_where("plan_id = ?", [plan_id], order_by="id"):
            old_id = conv.pop("id")
            conv["plan_id"] = new_id
            cid = db["conversions"].insert(conv).last_pk
            db.execute("insert into conversion_positions (conversion_id, position_id, role) "
                       "select ?, position_id, role from conversion_positions where conversion_id = ?", [cid, old_id])
    return new_id


# -- conversions -------------------------------------------------------------------------

def conversions(project, plan_id: int) -> list[Conversion]:
    return [from_row(Conversion, r) for r in
            project.db["conversions"].rows_where("plan_id = ?", [plan_id], order_by="start_month, id")]


def get_conversion(project, conversion_id: int) -> Conversion:
    return from_row(Conversion, get_row(project, "conversions", conversion_id))


def add_conversion(project, conversion: Conversion, gpu_position_ids=(), retired_position_ids=()) -> int:
    """Record a conversion and the positions it takes, in one transaction."""
    taken = [int(p) for p in gpu_position_ids] + [int(p) for p in retired_position_ids]
    with project.atomic() as db:
        if taken:
            clash = _already_converted(db, conversion.plan_id, taken)
            if clash:
                raise InputError("positions", f"{clash} of these positions are already converted in this plan")
        cid = db["conversions"].insert(to_row(conversion, with_id=True)).last_pk
        db.conn.executemany(
            "insert into conversion_positions (conversion_id, position_id, role) values (?, ?, ?)",
            [(cid, int(p), "gpu") for p in gpu_position_ids] + [(cid, int(p), "retired") for p in retired_position_ids])
    return cid


def _already_converted(db, plan_id: int, position_ids: list[int]) -> int:
    db.execute("create temp table if not exists _ids (id integer primary key)")
    db.execute("delete from _ids")
    db.conn.executemany("insert or ignore into _ids values (?)", [(p,) for p in position_ids])
    return db.execute(
        "select count(*) from conversion_positions cp join conversions c on c.id = cp.conversion_id "
        "where c.plan_id = ? and cp.position_id in (select id from _ids)", [plan_id]).fetchone()[0]


def conversion_positions(project, conversion_id: int) -> dict[str, list[int]]:
    out = {"gpu": [], "retired": []}
    for pid, role in project.db.execute(
            "select position_id, role from conversion_positions where conversion_id = ? order by position_id",
            [conversion_id]):
        out[role].append(pid)
    return out


def update_conversion(project, conversion_id: int, **fields) -> None:
    with project.atomic() as db:
        db["conversions"].update(conversion_id, column_values(None, fields))


def delete_conversion(project, conversion_id: int) -> tuple[Conversion, dict[str, list[int]]]:
    """Delete a conversion; return what `add_conversion` needs to put it back."""
    conv = get_conversion(project, conversion_id)
    taken = conversion_positions(project, conversion_id)
    with project.atomic() as db:
        db["conversions"].delete(conversion_id)
    return conv, taken


def set_financing(project, plan_id: int, financing: dict | None) -> None:
    """The plan's financing (ECONOMICS.md `plan.financing`), or None for no debt."""
    with project.atomic() as db:
        db["plans"].update(plan_id, column_values(None, {"financing": financing}))
