"""Turning rows into entities and entities into rows (booleans and JSON columns), typed.

A project file is untrusted input (issue 18): SQLite keeps any value in any column of a
non-STRICT table, and a file may come from anywhere. Every entity read goes through
`from_row`, the one typed reader: a stored value of the wrong type or shape (text where a
number belongs, NULL where a value is required, JSON that does not parse, an unknown
enumeration value, an integer beyond 64 bits) is an `InputError` naming the row and the field,
`sites[Red Mesa].grid_capacity_mw: stored value 'abc' is not a number`, never a traceback.
Every entity written goes through `to_row`/`column_values`, which refuse a value no reader
could take back (an infinite or NaN number, an integer beyond SQLite's 64 bits) before it is
stored.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import unicodedata

from desktop.model.entities import CONVERSION_MODES, EQUIPMENT_COOLING, HALL_COOLING
from desktop.model.errors import InputError

JSON_FIELDS = {"remove_asics", "grid_schedule", "financing"}
NULLABLE_JSON_FIELDS = {"financing"}  # None is stored as NULL
BOOL_FIELDS = {"is_powered", "is_estimate", "power_pass_through", "miners_yield_to_grid"}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

TABLES = {"EquipmentModel": "equipment_models", "Site": "sites", "FleetEntry": "fleet", "Hall": "halls",
          "Plan": "plans", "Conversion": "conversions"}
# enumerations the schema's CHECK constraints also hold (migration 0004): (class, field) -> choices
CHOICES = {
    ("EquipmentModel", "kind"): ("asic", "gpu"),
    ("EquipmentModel", "cooling"): EQUIPMENT_COOLING,
    ("Hall", "cooling"): HALL_COOLING,
    ("Conversion", "mode"): CONVERSION_MODES,
}


# fields a row of this (class, kind) cannot do without, though the column allows NULL
REQUIRED_WHEN = {("EquipmentModel", "asic"): ("hashrate_ths", "power_w")}


@functools.lru_cache(maxsize=None)
def _field_types(cls) -> dict[str, tuple[str, bool, str]]:
    """field -> (base type name, may be None, the full annotation), from the dataclass's annotations."""
    out = {}
    for f in dataclasses.fields(cls):
        text = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        parts = [p.strip() for p in text.split("|")]
        optional = "None" in parts
        full = next((p for p in parts if p != "None"), "str").replace(" ", "")
        out[f.name] = (full.split("[")[0], optional, full)
    return out


def _where(cls, row: dict) -> str:
    table = TABLES.get(cls.__name__, cls.__name__)
    for key in ("name", "label"):
        value = row.get(key)
        if isinstance(value, str) and value and _printable(value):
            return f"{table}[{value}]"
    ident = row.get("id")
    return f"{table}[id {ident}]" if isinstance(ident, int) else table


def _printable(text: str) -> bool:
    return not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 32 for c in text) and len(text) <= 200


def _shown(value) -> str:
    if isinstance(value, bytes):
        return "binary data"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _typed(cls, key: str, value, where: str):
    base, optional, full = _field_types(cls).get(key, ("any", True, "any"))
    field = f"{where}.{key}"
    if value is None:
        if optional:
            return None
        raise InputError(field, "stored value is missing (NULL)")
    if key in JSON_FIELDS:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                raise InputError(field, f"stored value {_shown(value)} is not JSON") from None
        want = dict if base == "dict" else list
        if not isinstance(value, want):
            raise InputError(field, f"stored value {_shown(value)} is not a JSON {'object' if want is dict else 'list'}")
        if full == "dict[str,int]" and not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
            raise InputError(field, "stored value is not an object of whole numbers")
        if full == "dict[int,int]":   # {catalog id: count}: JSON keys are text, the ids integers
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
                raise InputError(field, "stored value is not an object of whole numbers")
            if not all(isinstance(k, str) and k.isascii() and k.isdigit() for k in value):
                raise InputError(field, "stored value is not keyed by catalog ids")
            value = {int(k): v for k, v in value.items()}
        if full == "list[str]" and not all(isinstance(v, str) for v in value):
            raise InputError(field, "stored value is not a list of texts")
        if full == "list[dict]" and not all(isinstance(v, dict) for v in value):
            raise InputError(field, "stored value is not a list of objects")
        return value
    if key in BOOL_FIELDS or base == "bool":
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise InputError(field, f"stored value {_shown(value)} is not true or false (0 or 1)")
    if base == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number):
                return number
            raise InputError(field, f"stored value {_shown(value)} is not a finite number")
        raise InputError(field, f"stored value {_shown(value)} is not a number")
    if base == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise InputError(field, f"stored value {_shown(value)} is not a whole number")
    if base == "str":
        if not isinstance(value, str):
            raise InputError(field, f"stored value {_shown(value)} is not text")
        if any(0xDC80 <= ord(c) <= 0xDCFF for c in value):
            raise InputError(field, "stored value is not valid UTF-8 text")
        choices = CHOICES.get((cls.__name__, key))
        if choices and value not in choices:
            raise InputError(field, f"stored value {_shown(value)} is not one of {', '.join(choices)}")
        return value
    return value


def from_row(cls, row: dict):
    """The entity of a stored row; InputError naming the row and field for a bad value."""
    names = {f.name for f in dataclasses.fields(cls)}
    where = _where(cls, row)
    data = {k: _typed(cls, k, v, where) for k, v in row.items() if k in names}
    for key in REQUIRED_WHEN.get((cls.__name__, data.get("kind")), ()):
        if key in data and data[key] is None:
            raise InputError(f"{where}.{key}", f"stored value is missing (NULL); a {data['kind']} model needs one")
    return cls(**data)


def _storable(where, key: str, value):
    """`value` if a project file can hold it and a reader take it back; `where` names the row
    (a string, or a function making it: only a refusal needs it). Text is stored in NFC."""
    if isinstance(value, str):
        if value.isascii():
            return value
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            where = where() if callable(where) else where
            raise InputError(f"{where}.{key}" if where else key, "must be valid UTF-8 text (it holds a lone "
                                                                 "surrogate); nothing was stored")
        return unicodedata.normalize("NFC", value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        problem = f"must be a finite number, not {value!r}; nothing was stored"
    elif isinstance(value, int):
        if INT64_MIN <= value <= INT64_MAX:
            return value
        problem = f"{value} is beyond the whole numbers a project file holds (at most {INT64_MAX:,}); nothing was stored"
    else:
        return value
    where = where() if callable(where) else where
    raise InputError(f"{where}.{key}" if where else key, problem)


@functools.lru_cache(maxsize=None)
def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def to_row(entity, *, with_id: bool = False) -> dict:
    cls = type(entity)
    row = {name: getattr(entity, name) for name in _names(cls)}   # (asdict deep-copies: 10x slower)
    if not with_id or row.get("id") is None:
        row.pop("id", None)
    where = lambda: _where(cls, row)  # noqa: E731
    for key in JSON_FIELDS & row.keys():
        row[key] = _json(where, key, row[key])
    for key in BOOL_FIELDS & row.keys():
        row[key] = int(bool(row[key]))
    for key, value in row.items():
        row[key] = _storable(where, key, value)
    return row


def _json_storable(where, key: str, value) -> None:
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        if isinstance(item, (dict, list)):
            _json_storable(where, key, item)
        else:
            _storable(where, key, item)


def _json(where, key: str, value):
    if value is None and key in NULLABLE_JSON_FIELDS:
        return None
    _json_storable(where, key, value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except ValueError:
        where = where() if callable(where) else where
        raise InputError(f"{where}.{key}" if where else key, "holds a number that is not finite; nothing was stored") from None


def column_values(entity, fields: dict) -> dict:
    """Fields for an UPDATE, encoded like to_row."""
    out = {}
    where = _where(type(entity), dataclasses.asdict(entity)) if dataclasses.is_dataclass(entity) else ""
    for key, value in fields.items():
        if key in JSON_FIELDS:
            value = _json(where, key, value)
        elif key in BOOL_FIELDS:
            value = int(bool(value))
        out[key] = _storable(where, key, value)
    return out


def get_row(project, table: str, row_id) -> dict:
    """The row with `row_id`, or NotFound (an InputError) naming what is missing."""
    from sqlite_utils.db import NotFoundError

    from desktop.store.errors import NotFound

    try:
        return project.db[table].get(row_id)
    except NotFoundError:
        raise NotFound(table, row_id) from None
