"""Validation of a `rackshift.scenario/1` scenario into a normalised plain structure.

`validate_scenario(data)` checks a parsed scenario against ECONOMICS.md ("Validation" and the key
table) and returns plain dicts and lists with every default filled in, numbers as float and
integers as int; anything refused raises `InputError(field, message)` naming the field, such as
`sites[1].fleet[0].uptime_pct: must be between 0 and 100`. Validation is idempotent: a
normalised scenario validates to itself. `load_scenario_file(path)` reads the file first with
`desktop.model.jsonfile.read_json_file` (size-limited, no NaN, not too deep).

The key table lives once, as data, in `FIELD_RULES`; the editors use `check_field` on it to
validate as the user types. Additions to the contract, for safety: `horizon_months` is at most
1200 (100 years), files are at most 50 MB and 64 levels deep, and a JSON object may not repeat
a key.
"""
from __future__ import annotations

import difflib
import json
import math
import numbers
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop.model.errors import InputError
from desktop.model.jsonfile import MAX_DEPTH, MAX_FILE_BYTES, read_json_file  # noqa: F401 (re-exported)
from desktop.model.months import month_label, parse_month

SCENARIO_FORMAT = "rackshift.scenario/1"
MODES = ("colocation", "gpu_cloud")
MAX_HORIZON_MONTHS = 1200
GRID_TOLERANCE = 1e-9  # a grid is exceeded when the load passes capacity * (1 + this)

REQUIRED = object()  # the default of a key that may not be left out


@dataclass(frozen=True)
class Rule:
    """One key: its kind, default (REQUIRED if none) and constraint.

    kind: number, integer, text, month, bool, choice, object, list, or counts ({name: integer >= 0}).
    gt/ge/le bound numbers and integers; choices lists the allowed values of a choice.
    """
    kind: str
    default: Any = REQUIRED
    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    choices: tuple = ()
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def _pct(default=REQUIRED, doc=""):
    return Rule("number", default, ge=0, le=100, doc=doc)


def _growth(doc):
    return Rule("number", 0.0, gt=-100, doc=doc)


FIELD_RULES: dict[str, dict[str, Rule]] = {
    "root": {
        "format": Rule("choice", choices=(SCENARIO_FORMAT,), doc="file format and version"),
        "name": Rule("text", doc="scenario name"),
        "start_month": Rule("month", doc="first month of the model, YYYY-MM"),
        "horizon_months": Rule("integer", ge=1, le=MAX_HORIZON_MONTHS, doc="months modelled"),
        "discount_rate_pct": Rule("number", 10.0, gt=-100, doc="yearly discount rate for NPV"),
        "market": Rule("object", doc="Bitcoin market assumptions"),
        "sites": Rule("list", doc="sites, at least one"),
        "plan": Rule("object", None, doc="conversion plan; none means baseline only"),
    },
    "market": {
        "btc_price_usd": Rule("number", gt=0, doc="BTC price in month 0"),
        "btc_price_growth_pct_per_year": _growth("yearly BTC price growth"),
        "network_hashrate_ehs": Rule("number", gt=0, doc="network hashrate in month 0, EH/s"),
        "network_hashrate_growth_pct_per_year": _growth("yearly network hashrate growth"),
        "fees_btc_per_block": Rule("number", 0.0, ge=0, doc="transaction fees per block"),
        "block_height_at_start": Rule("integer", ge=0, doc="block height at the start"),
        "blocks_per_day": Rule("number", 144.0, gt=0, doc="blocks mined a day"),
    },
    "site": {
        "name": Rule("text", doc="site name, unique"),
        "grid_capacity_mw": Rule("number", gt=0, doc="grid connection, MW"),
        "energy_price_usd_per_mwh": Rule("number", ge=0, doc="energy price"),
        "pue_mining": Rule("number", 1.05, ge=1, doc="PUE of mining"),
        "pue_hosting": Rule("number", 1.3, ge=1, doc="PUE of hosting"),
        "pool_fee_pct": _pct(2.0, "mining pool fee"),
        "mining_opex_usd_per_mw_month": Rule("number", 0.0, ge=0, doc="mining opex per MW a month"),
        "fleet": Rule("list", [], doc="ASIC models the site owns"),
    },
    "fleet": {
        "model": Rule("text", doc="ASIC model, unique within the site"),
        "count": Rule("integer", ge=0, doc="miners owned"),
        "hashrate_ths": Rule("number", gt=0, doc="hashrate per miner, TH/s"),
        "power_w": Rule("number", gt=0, doc="power per miner, W"),
        "uptime_pct": _pct(100.0, "share of time hashing"),
        "resale_usd_per_ths": Rule("number", 0.0, ge=0, doc="resale value per TH/s"),
    },
    "plan": {
        "name": Rule("text", doc="plan name"),
        "conversions": Rule("list", [], doc="conversions, may be empty"),
    },
    "conversion": {
        "site": Rule("text", doc="the site converted"),
        "start_month": Rule("integer", ge=0, doc="month index the conversion starts"),
        "remove_asics": Rule("counts", {}, doc="miners removed and sold, {model: count}"),
        "mode": Rule("choice", choices=MODES, doc="colocation lease or own GPU cloud"),
        "critical_it_mw": Rule("number", gt=0, doc="critical IT capacity, MW"),
        "build_months": Rule("integer", 0, ge=0, doc="months of building before revenue"),
        "capex_usd_per_mw": Rule("number", ge=0, doc="build cost per MW of critical IT"),
        "hosting_opex_usd_per_mw_month": Rule("number", 0.0, ge=0, doc="hosting opex per MW a month"),
        "load_factor_pct": _pct(100.0, "average IT load as a share of critical IT"),
    },
    "colocation": {
        "lease_usd_per_kw_month": Rule("number", ge=0, doc="lease per kW of critical IT a month"),
        "lease_escalator_pct_per_year": Rule("number", 0.0, gt=-100, doc="yearly lease escalator"),
        "power_pass_through": Rule("bool", True, doc="the tenant pays the power"),
    },
    "gpu_cloud": {
        "gpu_count": Rule("integer", ge=0, doc="GPUs rented out"),
        "gpu_hour_usd": Rule("number", ge=0, doc="price per GPU-hour"),
        "utilization_pct": _pct(100.0, "share of GPU-hours sold"),
        "gpu_capex_usd": Rule("number", 0.0, ge=0, doc="GPU purchase, paid at the start of operation"),
    },
}


def keys_for(section: str) -> dict[str, Rule]:
    """The keys allowed in a section; "colocation" and "gpu_cloud" include the conversion keys."""
    if section in MODES:
        return {**FIELD_RULES["conversion"], **FIELD_RULES[section]}
    return FIELD_RULES[section]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _bounds_message(rule: Rule) -> str:
    if rule.ge is not None and rule.le is not None:
        return f"must be between {_fmt(rule.ge)} and {_fmt(rule.le)}"
    if rule.gt is not None:
        return f"must be greater than {_fmt(rule.gt)}"
    return f"must be at least {_fmt(rule.ge)}"


def _check_value(rule: Rule, value: Any) -> str | None:
    """The error message for `value` under `rule`, or None when it is fine."""
    kind = rule.kind
    if kind in ("number", "integer"):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            return "must be a whole number" if kind == "integer" else "must be a number"
        try:
            number = float(value)
        except OverflowError:
            return "must be a finite number"
        if not math.isfinite(number):
            return "must be a finite number"
        if kind == "integer" and not number.is_integer():
            return "must be a whole number"
        if ((rule.gt is not None and not value > rule.gt) or (rule.ge is not None and not value >= rule.ge)
                or (rule.le is not None and not value <= rule.le)):
            return _bounds_message(rule)
        return None
    if kind == "text":
        if not isinstance(value, str):
            return "must be text"
        return None if value.strip() else "must not be empty"
    if kind == "month":
        try:
            year, _ = parse_month(value)
        except InputError:
            year = 0
        return None if year >= 1 else "must be a real month written YYYY-MM, such as 2026-04"
    if kind == "bool":
        return None if isinstance(value, (bool, np.bool_)) else "must be true or false"
    if kind == "choice":
        if isinstance(value, str) and value in rule.choices:
            return None
        if len(rule.choices) == 1:
            return f"must be {json.dumps(rule.choices[0])}, not {_short(value)}"
        return "must be one of " + ", ".join(rule.choices)
    if kind in ("object", "counts"):
        if rule.default is None and value is None:
            return None
        return None if isinstance(value, dict) else "must be an object"
    if kind == "list":
        return None if isinstance(value, list) else "must be a list"
    raise AssertionError(kind)


def _short(value: Any) -> str:
    text = json.dumps(value) if isinstance(value, (str, int, float, bool, type(None))) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _normalise(rule: Rule, value: Any) -> Any:
    if rule.kind == "number":
        return float(value)
    if rule.kind == "integer":
        return int(value)
    if rule.kind == "bool":
        return bool(value)
    return value


def _unknown_key(key: Any, known: dict[str, Rule], section: str) -> str:
    if section in MODES:
        other = MODES[1 - MODES.index(section)]
        if key in FIELD_RULES[other]:
            return f"unknown key for a {section} conversion ({key} belongs to {other})"
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6) if isinstance(key, str) else []
    return "unknown key" + (f" (did you mean {close[0]}?)" if close else "")


def check_field(section: str, key: str, value: Any, *, horizon_months: int | None = None) -> str | None:
    """The message refusing `value` for `key` in `section`, or None if it is acceptable.

    Sections: root, market, site, fleet, plan, conversion, colocation, gpu_cloud. Checks the
    key's type and constraint; cross-field rules (unknown sites, removals, the grid) need the
    whole scenario. With `horizon_months`, a conversion's start_month is checked against it.
    """
    known = keys_for(section)
    if key not in known:
        return _unknown_key(key, known, section)
    message = _check_value(known[key], value)
    if message is None and key == "start_month" and section in ("conversion", *MODES) and horizon_months:
        if value >= horizon_months:
            return f"must be between 0 and {horizon_months - 1} (the horizon is {horizon_months} months)"
    return message


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def _check_object(obj: Any, section: str, path: str) -> dict:
    """Unknown keys, missing keys and scalar constraints of one object; nested objects and lists
    are returned as given for the caller to check."""
    if not isinstance(obj, dict):
        raise InputError(path, "must be an object")
    known = keys_for(section)
    for key in obj:
        if key not in known:
            raise InputError(_join(path, key), _unknown_key(key, known, section))
    out = {}
    for key, rule in known.items():
        field = _join(path, key)
        if key not in obj:
            if rule.required:
                raise InputError(field, "missing (required)")
            out[key] = rule.default.copy() if isinstance(rule.default, (dict, list)) else rule.default
            continue
        message = _check_value(rule, obj[key])
        if message:
            raise InputError(field, message)
        out[key] = _normalise(rule, obj[key])
    return out


def _unique(names: list[str], path: str, key: str, what: str) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise InputError(f"{path}[{i}].{key}", f"duplicate {what} {name!r} (also {path}[{seen[name]}])")
        seen[name] = i


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known: {', '.join(known)})" if known else ""


def validate_scenario(data: Any) -> dict:
    """Check a parsed scenario and return it normalised; raise InputError on the first problem."""
    if not isinstance(data, dict):
        raise InputError("scenario", "must be a JSON object")
    message = _check_value(FIELD_RULES["root"]["format"], data.get("format"))
    if "format" in data and message:
        raise InputError("format", message)
    out = _check_object(data, "root", "")
    out["market"] = _check_object(out["market"], "market", "market")
    if not out["sites"]:
        raise InputError("sites", "must list at least one site")
    out["sites"] = [_check_site(site, f"sites[{i}]") for i, site in enumerate(out["sites"])]
    _unique([s["name"] for s in out["sites"]], "sites", "name", "site name")
    if out["plan"] is not None:
        out["plan"] = _check_plan(out["plan"], out)
    check_grid(out)
    return out


def _check_site(site: Any, path: str) -> dict:
    out = _check_object(site, "site", path)
    out["fleet"] = [_check_object(entry, "fleet", f"{path}.fleet[{i}]") for i, entry in enumerate(out["fleet"])]
    _unique([e["model"] for e in out["fleet"]], f"{path}.fleet", "model", "model")
    return out


def _check_plan(plan: Any, scenario: dict) -> dict:
    out = _check_object(plan, "plan", "plan")
    sites = {s["name"]: s for s in scenario["sites"]}
    horizon = scenario["horizon_months"]
    removed: dict[tuple[str, str], int] = {}
    conversions = []
    for i, conv in enumerate(out["conversions"]):
        path = f"plan.conversions[{i}]"
        if not isinstance(conv, dict):
            raise InputError(path, "must be an object")
        if "mode" not in conv:
            raise InputError(f"{path}.mode", "missing (required)")
        message = _check_value(FIELD_RULES["conversion"]["mode"], conv["mode"])
        if message:
            raise InputError(f"{path}.mode", message)
        c = _check_object(conv, conv["mode"], path)
        if c["site"] not in sites:
            raise InputError(f"{path}.site", f"unknown site {c['site']!r}" + _hint(c["site"], list(sites)))
        if c["start_month"] >= horizon:
            raise InputError(f"{path}.start_month",
                             f"must be between 0 and {horizon - 1} (the horizon is {horizon} months)")
        counts = {e["model"]: e["count"] for e in sites[c["site"]]["fleet"]}
        remove = {}
        for model, count in c["remove_asics"].items():
            field = f"{path}.remove_asics[{json.dumps(model)}]"
            if model not in counts:
                raise InputError(field, f"unknown model at {c['site']}" + _hint(str(model), list(counts)))
            message = _check_value(Rule("integer", ge=0), count)
            if message:
                raise InputError(field, message)
            total = removed.get((c["site"], model), 0) + int(count)
            if total > counts[model]:
                raise InputError(field, f"removes {total} {model} at {c['site']} in all, "
                                        f"but the site has {counts[model]}")
            removed[(c["site"], model)] = total
            remove[model] = int(count)
        c["remove_asics"] = remove
        conversions.append(c)
    out["conversions"] = conversions
    return out


def check_grid(scenario: dict) -> None:
    """Refuse a site whose grid is exceeded in any month, baseline or plan:
    `sum(active_k * power_w_k) / 1e6 * pue_mining + sum(reserved MW) * pue_hosting > capacity`.

    The load changes only when a conversion starts, so the months checked are month 0 and each
    conversion's start month.
    """
    plan = scenario.get("plan")
    conversions = plan["conversions"] if plan else []
    for s, site in enumerate(scenario["sites"]):
        mine = [(i, c) for i, c in enumerate(conversions) if c["site"] == site["name"]]
        power_w = np.array([e["power_w"] for e in site["fleet"]])
        counts = np.array([e["count"] for e in site["fleet"]], dtype=float)
        models = [e["model"] for e in site["fleet"]]
        checks = [(0, counts, 0.0, None, "the baseline")]
        for month in sorted({c["start_month"] for _, c in mine}):
            started = [(i, c) for i, c in mine if c["start_month"] <= month]
            active = counts - np.array([sum(c["remove_asics"].get(m, 0) for _, c in started) for m in models])
            reserved = sum(c["critical_it_mw"] for _, c in started)
            latest = max(started, key=lambda ic: (ic[1]["start_month"], ic[0]))[0]
            checks.append((month, active, reserved, latest, "the plan"))
        for month, active, reserved_mw, conv, case in checks:
            load = float(active @ power_w) / 1e6 * site["pue_mining"] + reserved_mw * site["pue_hosting"]
            capacity = site["grid_capacity_mw"]
            if load - capacity > GRID_TOLERANCE * capacity:
                field = f"sites[{s}].grid_capacity_mw" if conv is None else f"plan.conversions[{conv}]"
                raise InputError(field, f"site {site['name']} needs {load:.6g} MW in "
                                        f"{month_label(scenario['start_month'], month)} in {case}, "
                                        f"more than its grid capacity of {capacity:.6g} MW")


def load_scenario_file(path: str | os.PathLike) -> dict:
    """Read, parse and validate a scenario file; returns the normalised scenario."""
    return validate_scenario(read_json_file(path))
