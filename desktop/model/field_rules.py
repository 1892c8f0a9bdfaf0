"""The rules for every field a planner types, in one place, shared by the editors and the
importers.

Fields that are also scenario keys (a site's grid capacity, a fleet entry's uptime, ...)
take their rule from the engine's key table, `desktop.model.scenario.FIELD_RULES`, so an
editor refuses exactly what the engine would. Fields the scenario does not carry (halls,
catalog entries, free-text notes) are added here in the same `Rule` shape, so the engine
could take them over unchanged.

- `check(section, key, value)`: the message refusing a value, or None.
- `plausibility(section, key, value)`: a warning for a valid value outside the typical
  range (desktop.model.field_words), which is stored all the same; `typical` for tooltips.
- `parse(section, key, text)`: text as typed (an editor field, a CSV cell) to a value,
  returning `(value, message)`; thousands separators such as `12,000` are accepted, an
  empty optional field is None.
Sections: site, fleet, hall, asic, gpu (and every scenario section).
"""
from __future__ import annotations

import math
import re
from typing import Any

from desktop.model import field_words, scenario
from desktop.model.entities import EQUIPMENT_COOLING, HALL_COOLING
from desktop.model.scenario import FIELD_RULES, Rule
from desktop.model.untrusted import text_problem

GPU_COOLING = ("air", "liquid")
MAX_INTEGER = 2**53  # whole numbers beyond this lose precision as floats (and SQLite stops at 2**63)
OPTIONAL = None      # the default of an optional field: it may be left empty (None)
FREE = ""            # the default of a free-text field: it may be empty

_S, _F = FIELD_RULES["site"], FIELD_RULES["fleet"]


def _text(doc: str) -> Rule:
    return Rule("text", doc=doc)


def _free(doc: str) -> Rule:
    return Rule("text", FREE, doc=doc)


EDITOR_RULES: dict[str, dict[str, Rule]] = {
    "site": {
        **{k: v for k, v in _S.items() if k != "fleet"},
        "location": _free("where the site is"),
        "notes": _free("notes"),
    },
    "fleet": {k: _F[k] for k in ("model", "count", "hashrate_ths", "power_w", "uptime_pct", "resale_usd_per_ths")},
    "hall": {
        "name": _text("hall name, unique within the site"),
        "cooling": Rule("choice", "air", choices=HALL_COOLING, doc="cooling of the hall"),
        "power_capacity_kw": Rule("number", gt=0, doc="power the hall can deliver, kW"),
        "max_rack_kw": Rule("number", gt=0, doc="maximum power per rack position, kW"),
        "floor_load_kg": Rule("number", gt=0, doc="floor load limit per position, kg"),
        "rows": Rule("integer", ge=1, le=500, doc="rows of the floor grid (A, B, ...)"),
        "cols": Rule("integer", ge=1, le=500, doc="columns of the floor grid (01, 02, ...)"),
    },
    "asic": {
        "name": _text("model name, unique in the catalog"),
        "manufacturer": _free("manufacturer"),
        "hashrate_ths": _F["hashrate_ths"],
        "power_w": _F["power_w"],
        "cooling": Rule("choice", "air", choices=EQUIPMENT_COOLING, doc="cooling"),
        "weight_kg": Rule("number", OPTIONAL, ge=0, doc="weight per miner, kg"),
        "price_usd": Rule("number", OPTIONAL, ge=0, doc="price per miner"),
        "source": _free("where the figures come from"),
    },
    "gpu": {
        "name": _text("system name, unique in the catalog"),
        "manufacturer": _free("manufacturer"),
        "gpus_per_rack": Rule("integer", OPTIONAL, ge=0, doc="GPUs in one rack"),
        "rack_power_kw": Rule("number", gt=0, doc="power of one rack, kW"),
        "servers_per_rack": Rule("integer", OPTIONAL, ge=1, doc="servers (or trays) in one rack"),
        "power_w": Rule("number", OPTIONAL, ge=0, doc="power per server, W"),
        "u_height": Rule("number", OPTIONAL, gt=0, doc="height per server, rack units"),
        "cooling": Rule("choice", "air", choices=GPU_COOLING, doc="air or direct liquid cooling"),
        "weight_kg": Rule("number", OPTIONAL, ge=0, doc="weight per rack, kg"),
        "price_usd": Rule("number", OPTIONAL, ge=0, doc="price per rack"),
        "source": _free("where the figures come from"),
        "notes": _free("notes"),
    },
}


def rules_for(section: str) -> dict[str, Rule]:
    return EDITOR_RULES[section] if section in EDITOR_RULES else scenario.keys_for(section)


def rule(section: str, key: str) -> Rule:
    return rules_for(section)[key]


def _check_value(r: Rule, value: Any) -> str | None:
    checker = getattr(scenario, "check_value", None) or scenario._check_value  # the engine's one rule check
    return checker(r, value)


def check(section: str, key: str, value: Any) -> str | None:
    """The message refusing `value` for `key` in `section`, or None if it is acceptable."""
    known = rules_for(section)
    if key not in known:
        return scenario.check_field(section, key, value) if section not in EDITOR_RULES else "unknown field"
    r = known[key]
    if value is None and r.default is OPTIONAL and not r.required:
        return None
    if r.kind == "text" and r.default == FREE:
        return text_problem(value, free_text=True) if isinstance(value, str) else "must be text"
    if r.kind == "text" and isinstance(value, str) and value != value.strip():
        return "must not begin or end with spaces"
    message = _check_value(r, value)
    if message is None and r.kind == "integer" and abs(value) > MAX_INTEGER:
        return f"must be at most {MAX_INTEGER:,}"
    return message


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _number(text: str) -> float | None:
    t = text.strip().replace("_", "").replace("\u202f", "").replace("\u00a0", "")
    if _GROUPED.match(t):
        t = t.replace(",", "")
    try:
        value = float(t)
    except ValueError:
        return None
    return value


_INTEGER = re.compile(r"^[+-]?\d+$")


def _integer(text: str) -> int | None:
    """A whole number written as one, exactly (float() rounds past 2**53)."""
    t = text.strip().replace("_", "").replace("\u202f", "").replace("\u00a0", "")
    if _GROUPED.match(t) and "." not in t:
        t = t.replace(",", "")
    if not _INTEGER.match(t) or len(t) > 4000:   # (Python refuses int() of 4,300 digits and more)
        return None
    return int(t)


def parse(section: str, key: str, text: str) -> tuple[Any, str | None]:
    """The value of `text` typed for `key`, and the message refusing it (None if fine)."""
    r = rule(section, key)
    if r.kind in ("number", "integer"):
        if not text.strip():
            if r.default is OPTIONAL and not r.required:
                return None, None
            return None, "required"
        exact = _integer(text) if r.kind == "integer" else None
        value = exact if exact is not None else _number(text)
        if value is None:
            return None, "must be a whole number" if r.kind == "integer" else "must be a number"
        if not isinstance(value, int) and not math.isfinite(value):
            return None, "must be a finite number"
        if r.kind == "integer":
            if not float(value).is_integer() if exact is None else False:
                return None, "must be a whole number"
            value = int(value)   # exact: 2**53 + 1 stays 2**53 + 1 (and is refused), not rounded
        return value, check(section, key, value)
    if r.kind == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True, None
        if lowered in ("false", "no", "0"):
            return False, None
        return None, "must be true or false"
    value = text if r.kind == "text" and r.default == FREE else text.strip()
    return value, check(section, key, value)


def cell_parser(section: str, key: str):
    """`parse` for one column, quick on what a spreadsheet writes a million times (a plain number
    inside the rule's bounds): such a cell is taken at once, and every other one goes through
    `parse`, so the values and the messages are exactly `parse`'s."""
    r = rule(section, key)
    if r.kind not in ("number", "integer"):
        return lambda text: parse(section, key, text)
    gt, ge, le, integer = r.gt, r.ge, r.le, r.kind == "integer"

    def quick(text: str):
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            return parse(section, key, text)
        if (integer and abs(value) > MAX_INTEGER) or (not integer and not math.isfinite(value)) \
                or (gt is not None and not value > gt) or (ge is not None and not value >= ge) \
                or (le is not None and not value <= le):
            return parse(section, key, text)
        return value, None
    return quick


def describe(section: str, key: str) -> str:
    """A short help text: what the field is and its constraint, for tooltips."""
    r = rule(section, key)
    bounds = []
    if r.gt is not None:
        bounds.append(f"> {r.gt:g}")
    if r.ge is not None:
        bounds.append(f">= {r.ge:g}")
    if r.le is not None:
        bounds.append(f"<= {r.le:g}")
    if r.choices:
        bounds.append("one of " + ", ".join(r.choices))
    return r.doc + (f" ({', '.join(bounds)})" if bounds else "")


def plausibility(section: str, key: str, value: Any) -> str | None:
    """A warning for a valid but unusual value (field_words' plausible range), or None."""
    return field_words.plausibility(section, key, value)


def typical(section: str, key: str) -> str:
    """The typical range of a field and its source, for tooltips ('' if it has none)."""
    return field_words.typical(section, key)
