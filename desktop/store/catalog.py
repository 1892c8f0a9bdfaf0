"""The equipment catalog: ASIC miners and GPU systems, seeded from db/catalog.json."""
from __future__ import annotations

import json

from desktop.model.entities import EquipmentModel
from desktop.model.errors import InputError
from desktop.paths import db_dir
from desktop.store.rows import column_values, from_row, get_row, to_row

TABLE = "equipment_models"


def seed_entries() -> list[EquipmentModel]:
    data = json.loads((db_dir() / "catalog.json").read_text(encoding="utf-8"))
    return [EquipmentModel(kind=kind, **entry) for kind in ("asic", "gpu") for entry in data[kind]]


def seed(project) -> None:
    with project.atomic() as db:
        db[TABLE].insert_all([to_row(e) for e in seed_entries()])


def models(project, kind: str | None = None) -> list[EquipmentModel]:
    where, args = ("kind = ?", [kind]) if kind else (None, [])
    return [from_row(EquipmentModel, r) for r in project.db[TABLE].rows_where(where, args, order_by="kind, name")]


def get(project, model_id: int) -> EquipmentModel:
    return from_row(EquipmentModel, get_row(project, TABLE, model_id))


def by_id(project, model_id: int) -> EquipmentModel | None:
    rows = list(project.db[TABLE].rows_where("id = ?", [model_id]))
    return from_row(EquipmentModel, rows[0]) if rows else None


def by_name(project, name: str) -> EquipmentModel | None:
    rows = list(project.db[TABLE].rows_where("name = ?", [name]))
    return from_row(EquipmentModel, rows[0]) if rows else None


def add(project, model: EquipmentModel) -> int:
    if by_name(project, model.name) is not None:
        raise InputError("name", f"the catalog already has {model.name!r}")
    with project.atomic() as db:
        return db[TABLE].insert(to_row(model, with_id=True)).last_pk


def update(project, model_id: int, **fields) -> None:
    if "name" in fields:
        other = by_name(project, fields["name"])
        if other is not None and other.id != model_id:
            raise InputError("name", f"the catalog already has {fields['name']!r}")
    with project.atomic() as db:
        db[TABLE].update(model_id, column_values(None, fields))


def usage(project, model_id: int) -> dict[str, int]:
    """Where a model is used: fleet entries, positions, conversions (as GPU system or removing it)."""
    q = project.db.execute
    return {
        "fleet": q("select count(*) from fleet where model_id = ?", [model_id]).fetchone()[0],
        "positions": q("select count(*) from positions where model_id = ?", [model_id]).fetchone()[0],
        "conversions": q("select count(*) from conversions where gpu_model_id = ?", [model_id]).fetchone()[0],
        "conversion removals": q("select count(*) from conversions c where exists "
                                 "(select 1 from json_each(c.remove_asics) where key = ?)", [str(model_id)]).fetchone()[0],
    }


def delete(project, model_id: int) -> None:
    """Delete an unused model; refuse one in use, saying where."""
    used = {k: v for k, v in usage(project, model_id).items() if v}
    if used:
        where = ", ".join(f"{v} {k}" for k, v in used.items())
        raise InputError("catalog", f"{get(project, model_id).name} is in use ({where}); remove those first")
    with project.atomic() as db:
        db[TABLE].delete(model_id)
