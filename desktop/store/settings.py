"""Project-wide settings: the market assumptions and horizon, the current plan, the author.

Values are JSON in the `settings` table. `assumptions` are the scenario's top-level and
`market` keys (ECONOMICS.md), so a project and a scenario file share one vocabulary: the
horizon, discount rate, market (a price or hashrate path in place of its scalar and growth,
version 2), `tax` and `terminal` (None: no tax, no terminal value).
"""
from __future__ import annotations

import json
import math

from desktop.model.errors import InputError
from desktop.model.scenario import MARKET_PATHS  # a path replaces its scalar and growth

DEFAULT_ASSUMPTIONS = {
    "start_month": "2026-12",
    "horizon_months": 120,
    "discount_rate_pct": 10.0,
    "market": {
        "btc_price_usd": 85000.0,
        "btc_price_growth_pct_per_year": 0.0,
        "network_hashrate_ehs": 1100.0,
        "network_hashrate_growth_pct_per_year": 0.0,
        "fees_btc_per_block": 0.0,
        "block_height_at_start": 977000,
        "blocks_per_day": 144.0,
    },
    "tax": None,
    "terminal": None,
}


# key -> the type its JSON value has ("any": any JSON); a stored value of another type is
# refused on read, naming the key (a project file is untrusted input)
TYPES = {"assumptions": "object", "current_plan_id": "id", "project_name": "text", "prepared_by": "text",
         "file_id": "text", "incomplete": "text"}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _like(default, value, field: str) -> None:
    """`value` has the shape of `default` (numbers where it has numbers, texts, objects)."""
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise InputError(field, f"stored value {_shown(value)} is not an object")
        for k, v in value.items():
            if k in default:
                _like(default[k], v, f"{field}.{k}")
            elif isinstance(v, float) and not math.isfinite(v):
                raise InputError(f"{field}.{k}", f"stored value {v!r} is not a finite number")
    elif isinstance(default, (int, float)) and not isinstance(default, bool):
        if not _number(value):
            raise InputError(field, f"stored value {_shown(value)} is not a finite number")
        if isinstance(default, int) and not float(value).is_integer():
            raise InputError(field, f"stored value {_shown(value)} is not a whole number")
    elif isinstance(default, str) and not isinstance(value, str):
        raise InputError(field, f"stored value {_shown(value)} is not text")


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def decode(key: str, raw):
    """The typed value of a stored setting; InputError naming `settings.KEY` when it is not."""
    field = f"settings.{key}"
    if not isinstance(raw, str):
        raise InputError(field, f"stored value {'binary data' if isinstance(raw, bytes) else _shown(raw)} is not JSON text")
    try:
        value = json.loads(raw, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError):
        raise InputError(field, f"stored value {_shown(raw)} is not JSON") from None
    kind = TYPES.get(key, "any")
    if kind == "object":
        _like(DEFAULT_ASSUMPTIONS if key == "assumptions" else {}, value, field)
    elif kind == "id":
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise InputError(field, f"stored value {_shown(value)} is not a plan id (a whole number)")
    elif kind == "text" and not isinstance(value, str):
        raise InputError(field, f"stored value {_shown(value)} is not text")
    return value


def validate(db) -> None:
    """Refuse a file whose settings are not all what Rackshift stores (called on opening)."""
    for key, raw in db.execute("select key, value from settings"):
        decode(key if isinstance(key, str) else repr(key), raw)


def get(project, key: str, default=None):
    row = project.db.execute("select value from settings where key = ?", [key]).fetchone()
    return decode(key, row[0]) if row else default


def put(project, key: str, value) -> None:
    with project.atomic() as db:
        db["settings"].upsert({"key": key, "value": json.dumps(value, ensure_ascii=False)}, pk="key")


def assumptions(project) -> dict:
    stored = get(project, "assumptions", {})
    merged = json.loads(json.dumps(DEFAULT_ASSUMPTIONS))
    merged.update({k: v for k, v in stored.items() if k != "market"})
    merged["market"].update(stored.get("market", {}))
    for path_key, replaced in MARKET_PATHS.items():
        if path_key in merged["market"]:
            for key in replaced:
                if key not in stored.get("market", {}):
                    merged["market"].pop(key, None)
    return merged


def put_assumptions(project, value: dict) -> None:
    put(project, "assumptions", value)


def project_name(project) -> str:
    return get(project, "project_name", project.path.stem)


def current_plan_id(project) -> int | None:
    """The current plan, or None when there is none or the stored id names no plan."""
    plan_id = get(project, "current_plan_id")
    if plan_id is None:
        return None
    exists = project.db.execute("select 1 from plans where id = ?", [plan_id]).fetchone()
    return plan_id if exists else None
