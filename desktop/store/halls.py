"""Halls and their rack positions."""
from __future__ import annotations

import numpy as np

from desktop.model.entities import Hall
from desktop.model.errors import InputError
from desktop.model.floorgrid import PositionTable, position_label
from desktop.store.rows import column_values, from_row, get_row, to_row


def halls(project, site_id: int | None = None) -> list[Hall]:
    where, args = ("site_id = ?", [site_id]) if site_id is not None else (None, [])
    return [from_row(Hall, r) for r in project.db["halls"].rows_where(where, args, order_by="site_id, sort_order, id")]


def get(project, hall_id: int) -> Hall:
    return from_row(Hall, get_row(project, "halls", hall_id))


def by_id(project, hall_id: int) -> Hall | None:
    """The hall, or None when it no longer exists (deleted by an edit)."""
    rows = list(project.db["halls"].rows_where("id = ?", [hall_id]))
    return from_row(Hall, rows[0]) if rows else None


def position_count(project) -> int:
    """Rack positions in every hall of the project."""
    return project.db.execute("select count(*) from positions").fetchone()[0]


def by_name(project, site_id: int, name: str) -> Hall | None:
    rows = list(project.db["halls"].rows_where("site_id = ? and name = ?", [site_id, name]))
    return from_row(Hall, rows[0]) if rows else None


def _grid_rows(hall_id: int, rows: int, cols: int):
    for r in range(rows):
        for c in range(cols):
            yield (hall_id, r, c, position_label(r, c, cols))


def add(project, hall: Hall) -> int:
    """Add a hall with an empty position on every cell of its grid."""
    if by_name(project, hall.site_id, hall.name) is not None:
        raise InputError("name", f"the site already has a hall named {hall.name!r}")
    with project.atomic() as db:
        hall_id = db["halls"].insert(to_row(hall, with_id=True)).last_pk
        db.conn.executemany("insert into positions (hall_id, row, col, label) values (?, ?, ?, ?)",
                            _grid_rows(hall_id, hall.rows, hall.cols))
    return hall_id


def update(project, hall_id: int, **fields) -> None:
    """Change a hall; a new grid size adds empty positions or drops empty ones outside it."""
    hall = get(project, hall_id)
    if "name" in fields:
        other = by_name(project, hall.site_id, fields["name"])
        if other is not None and other.id != hall_id:
            raise InputError("name", f"the site already has a hall named {fields['name']!r}")
    rows, cols = fields.get("rows", hall.rows), fields.get("cols", hall.cols)
    with project.atomic() as db:
        if (rows, cols) != (hall.rows, hall.cols):
            used = db.execute(
                "select count(*) from positions where hall_id = ? and (row >= ? or col >= ?) "
                "and (model_id is not null or id in (select position_id from conversion_positions))",
                [hall_id, rows, cols]).fetchone()[0]
            if used:
                raise InputError("rows" if rows < hall.rows else "cols",
                                 f"{used} occupied positions lie outside a {rows} x {cols} grid")
            db.execute("delete from positions where hall_id = ? and (row >= ? or col >= ?)", [hall_id, rows, cols])
            if cols != hall.cols:  # labels carry the column width
                db.conn.executemany("update positions set label = ? where hall_id = ? and row = ? and col = ?",
                                    [(position_label(r, c, cols), hall_id, r, c)
                                     for r in range(min(rows, hall.rows)) for c in range(min(cols, hall.cols))])
            db.conn.executemany("insert or ignore into positions (hall_id, row, col, label) values (?, ?, ?, ?)",
                                _grid_rows(hall_id, rows, cols))
        db["halls"].update(hall_id, column_values(None, fields))


def delete(project, hall_id: int) -> dict:
    db = project.db
    snap = {
        "hall": db["halls"].get(hall_id),
        "positions": list(db["positions"].rows_where("hall_id = ?", [hall_id])),
    }
    with project.atomic() as db:
        db["halls"].delete(hall_id)
    return snap


def restore(project, snap: dict) -> None:
    with project.atomic() as db:
        db["halls"].insert(snap["hall"])
        db["positions"].insert_all(snap["positions"], batch_size=5000)


def positions(project, hall_id: int | None = None, site_id: int | None = None, plan_id: int | None = None) -> PositionTable:
    """Positions of a hall (or a site), with the overlay of a plan's conversions."""
    if hall_id is not None:
        where, args = "p.hall_id = ?", [hall_id]
    elif site_id is not None:
        where, args = "p.hall_id in (select id from halls where site_id = ?)", [site_id]
    else:
        where, args = "1", []
    overlay = ("left join (select cp.position_id, cp.role, cp.conversion_id, c.gpu_model_id "
               "from conversion_positions cp join conversions c on c.id = cp.conversion_id "
               "where c.plan_id = ?) o on o.position_id = p.id")
    rows = project.db.execute(
        f"select p.id, p.hall_id, p.row, p.col, p.label, coalesce(p.model_id, -1), p.unit_count, "
        f"coalesce(o.role, ''), coalesce(o.conversion_id, -1), coalesce(o.gpu_model_id, -1) "
        f"from positions p {overlay} where {where} order by p.hall_id, p.row, p.col",
        [plan_id if plan_id is not None else -1, *args],
    ).fetchall()
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return PositionTable(empty, empty, empty.astype(np.int32), empty.astype(np.int32), [], empty, empty.astype(np.int32))
    cols = list(zip(*rows))
    role = np.array([{"": 0, "gpu": 1, "retired": 2}[r] for r in cols[7]], dtype=np.int8)
    return PositionTable(
        ids=np.array(cols[0], dtype=np.int64), hall_ids=np.array(cols[1], dtype=np.int64),
        rows=np.array(cols[2], dtype=np.int32), cols=np.array(cols[3], dtype=np.int32),
        labels=list(cols[4]), model_ids=np.array(cols[5], dtype=np.int64),
        unit_counts=np.array(cols[6], dtype=np.int32), role=role,
        conversion_ids=np.array(cols[8], dtype=np.int64), gpu_model_ids=np.array(cols[9], dtype=np.int64),
    )


def set_contents(project, position_ids, model_id: int | None, unit_count: int) -> None:
    """Put `unit_count` units of a model on each position (None, 0: empty them)."""
    with project.atomic() as db:
        db.conn.executemany("update positions set model_id = ?, unit_count = ? where id = ?",
                            [(model_id, unit_count if model_id is not None else 0, int(pid)) for pid in position_ids])


def used_and_free(project, hall_id: int | None = None, site_id: int | None = None) -> tuple[int, int]:
    if hall_id is not None:
        where, args = "hall_id = ?", [hall_id]
    else:
        where, args = "hall_id in (select id from halls where site_id = ?)", [site_id]
    used, total = project.db.execute(
        f"select sum(model_id is not null), count(*) from positions where {where}", args).fetchone()
    return int(used or 0), int(total or 0) - int(used or 0)
