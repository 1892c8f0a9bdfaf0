"""Turning rows into entities and entities into rows (booleans and JSON columns)."""
from __future__ import annotations

import dataclasses
import json

JSON_FIELDS = {"remove_asics", "breaches", "grid_schedule", "financing"}
NULLABLE_JSON_FIELDS = {"financing"}  # None is stored as NULL
BOOL_FIELDS = {"is_powered", "is_estimate", "power_pass_through", "miners_yield_to_grid"}


def _json(key: str, value):
    if value is None and key in NULLABLE_JSON_FIELDS:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_row(entity, *, with_id: bool = False) -> dict:
    row = dataclasses.asdict(entity)
    if not with_id or row.get("id") is None:
        row.pop("id", None)
    for key in JSON_FIELDS & row.keys():
        row[key] = _json(key, row[key])
    for key in BOOL_FIELDS & row.keys():
        row[key] = int(bool(row[key]))
    return row


def from_row(cls, row: dict):
    names = {f.name for f in dataclasses.fields(cls)}
    data = {k: v for k, v in row.items() if k in names}
    for key in JSON_FIELDS & data.keys():
        if isinstance(data[key], str):
            data[key] = json.loads(data[key])
    for key in BOOL_FIELDS & data.keys():
        data[key] = bool(data[key])
    return cls(**data)


def column_values(entity, fields: dict) -> dict:
    """Fields for an UPDATE, encoded like to_row."""
    out = {}
    for key, value in fields.items():
        if key in JSON_FIELDS:
            value = _json(key, value)
        elif key in BOOL_FIELDS:
            value = int(bool(value))
        out[key] = value
    return out
