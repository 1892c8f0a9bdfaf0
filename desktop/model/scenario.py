"""Validation of a `rackshift.scenario/1` or `/2` scenario into a normalised plain structure.

`validate_scenario(data)` checks a parsed scenario against ECONOMICS.md ("Validation" and the key
table) and returns plain dicts and lists with every default filled in, numbers as float and
integers as int; anything refused raises `InputError(field, message)` naming the field, such as
`sites[1].fleet[0].uptime_pct: must be between 0 and 100`. Validation is idempotent: a
normalised scenario validates to itself. `load_scenario_file(path)` reads the file first with
`desktop.model.jsonfile.read_json_file` (size-limited, no NaN, not too deep).

A normalised scenario is always written as version 2 (`format` is `rackshift.scenario/2`), with
every version-2 default filled in: a `/1` file's defaults evaluate exactly as version 1 did.
Keys that are either/or stay as given: a market path leaves out its scalar and growth (and the
other way round), a conversion without `term_months` leaves out `term_months` and
`renewal_term_months`; `plan`, `tax`, `terminal` and `plan.financing` are None when left out.

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
from desktop.model.untrusted import text_problem
from desktop.model.jsonfile import MAX_DEPTH, MAX_FILE_BYTES, read_json_file  # noqa: F401 (re-exported)
from desktop.model.rules import fleet_counts
from desktop.model.months import month_label, parse_month

SCENARIO_FORMAT_V1 = "rackshift.scenario/1"
SCENARIO_FORMAT = "rackshift.scenario/2"   # what normalised scenarios and exports carry
SCENARIO_FORMATS = (SCENARIO_FORMAT_V1, SCENARIO_FORMAT)
MODES = ("colocation", "gpu_cloud")
AMORTIZATIONS = ("straight_line", "bullet")
MARKET_PATHS = {  # path key -> (its scalar, its growth)
    "btc_price_path_usd": ("btc_price_usd", "btc_price_growth_pct_per_year"),
    "network_hashrate_path_ehs": ("network_hashrate_ehs", "network_hashrate_growth_pct_per_year"),
}
MAX_HORIZON_MONTHS = 1200

REQUIRED = object()  # the default of a key that may not be left out
ABSENT = object()    # the default of a key that stays out of the normalised scenario when left out


@dataclass(frozen=True)
class Rule:
    """One key: its kind, default (REQUIRED if none) and constraint.

    kind: number, integer, text, month, bool, choice, object, list, counts ({name: integer >= 0})
    or path (a list of numbers, one a month). gt/ge/le bound numbers, integers and a path's
    numbers; choices lists the allowed values of a choice. `since` is the format version that
    brought the key (a version-2 key is unknown in a `/1` file).
    """
    kind: str
    default: Any = REQUIRED
    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    choices: tuple = ()
    doc: str = ""
    since: int = 1

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def _pct(default=REQUIRED, doc="", since=1):
    return Rule("number", default, ge=0, le=100, doc=doc, since=since)


def _growth(doc, default=0.0, since=1):
    return Rule("number", default, gt=-100, doc=doc, since=since)


FIELD_RULES: dict[str, dict[str, Rule]] = {
    "root": {
        "format": Rule("choice", choices=SCENARIO_FORMATS, doc="file format and version"),
        "name": Rule("text", doc="scenario name"),
        "start_month": Rule("month", doc="first month of the model, YYYY-MM"),
        "horizon_months": Rule("integer", ge=1, le=MAX_HORIZON_MONTHS, doc="months modelled"),
        "discount_rate_pct": Rule("number", 10.0, gt=-100, doc="yearly discount rate for NPV"),
        "market": Rule("object", doc="Bitcoin market assumptions"),
        "sites": Rule("list", doc="sites, at least one"),
        "plan": Rule("object", None, doc="conversion plan; none means baseline only"),
        "tax": Rule("object", None, doc="income tax; none means no tax", since=2),
        "terminal": Rule("object", None, doc="terminal value multiples; none means no terminal value", since=2),
    },
    "market": {
        "btc_price_usd": Rule("number", ABSENT, gt=0, doc="BTC price in month 0 (unless a price path is given)"),
        "btc_price_growth_pct_per_year": _growth("yearly BTC price growth", ABSENT),
        "btc_price_path_usd": Rule("path", ABSENT, gt=0, doc="BTC price of each month, instead of price and growth",
                                   since=2),
        "network_hashrate_ehs": Rule("number", ABSENT, gt=0,
                                     doc="network hashrate in month 0, EH/s (unless a hashrate path is given)"),
        "network_hashrate_growth_pct_per_year": _growth("yearly network hashrate growth", ABSENT),
        "network_hashrate_path_ehs": Rule("path", ABSENT, gt=0,
                                          doc="network hashrate of each month, EH/s, instead of hashrate and growth",
                                          since=2),
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
        "energy_price_growth_pct_per_year": _growth("yearly growth of the energy price and power credits", since=2),
        "grid_schedule": Rule("list", [], doc="grid capacity steps [{from_month, capacity_mw}]", since=2),
        "miners_yield_to_grid": Rule("bool", False, doc="miners give way to firm load when the grid is short",
                                     since=2),
        "curtailment_pct": _pct(0.0, "share of the running miners' hours curtailed", since=2),
        "curtailment_credit_usd_per_mwh": Rule("number", 0.0, ge=0, doc="power credit per curtailed MWh", since=2),
        "fleet": Rule("list", [], doc="ASIC models the site owns"),
    },
    "grid_step": {
        "from_month": Rule("integer", ge=0, doc="month index the capacity applies from"),
        "capacity_mw": Rule("number", gt=0, doc="grid capacity from that month, MW"),
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
        "financing": Rule("object", None, doc="debt on the plan's capex; none means no debt", since=2),
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
        "term_months": Rule("integer", ABSENT, ge=1, doc="contract term from commercial operation; none: to the horizon",
                            since=2),
        "renewals": Rule("integer", 0, ge=0, doc="renewals assumed exercised", since=2),
        "renewal_term_months": Rule("integer", ABSENT, ge=1, doc="months of each renewal (the term's by default)",
                                    since=2),
        "prepayment_usd": Rule("number", 0.0, ge=0, doc="paid by the tenant at the start, earned down over the term",
                               since=2),
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
        "gpu_hour_growth_pct_per_year": _growth("yearly change of the GPU-hour price", since=2),
        "gpu_residual_pct": _pct(0.0, "GPUs' resale value at the end of the term, share of their cost", since=2),
    },
    "financing": {
        "loan_to_cost_pct": _pct(doc="share of each capex amount borrowed"),
        "interest_rate_pct": Rule("number", ge=0, doc="yearly interest rate"),
        "term_months": Rule("integer", ge=1, doc="months until each tranche is repaid"),
        "amortization": Rule("choice", "straight_line", choices=AMORTIZATIONS, doc="straight_line or bullet"),
        "equity_discount_rate_pct": Rule("number", ABSENT, gt=-100,
                                         doc="yearly discount rate of equity cash (the scenario's by default)"),
    },
    "tax": {
        "rate_pct": _pct(doc="income tax rate"),
        "depreciation_months": Rule("integer", 180, ge=1, doc="months over which build capex is depreciated"),
        "gpu_depreciation_months": Rule("integer", 60, ge=1, doc="months over which GPUs are depreciated"),
    },
    "terminal": {
        "mining_ebitda_multiple": Rule("number", 0.0, ge=0, doc="value of mining at the horizon, x its yearly EBITDA"),
        "hosting_ebitda_multiple": Rule("number", 0.0, ge=0,
                                        doc="value of hosting at the horizon, x its yearly EBITDA"),
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


MAX_WHOLE = 2**53   # the largest whole number a scenario, a project and the engine all hold exactly


def _check_number(rule: Rule, value: Any, integer: bool) -> str | None:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return "must be a whole number" if integer else "must be a number"
    try:
        number = float(value)
    except OverflowError:
        return "must be a finite number"
    if not math.isfinite(number):
        return "must be a finite number"
    if integer and not number.is_integer():
        return "must be a whole number"
    if integer and abs(value) > MAX_WHOLE:   # past it a float is not exact, and SQLite stops at 2**63
        return f"must be at most {MAX_WHOLE:,}"
    if ((rule.gt is not None and not value > rule.gt) or (rule.ge is not None and not value >= rule.ge)
            or (rule.le is not None and not value <= rule.le)):
        return _bounds_message(rule)
    return None


def _check_value(rule: Rule, value: Any) -> str | None:
    """The error message for `value` under `rule`, or None when it is fine."""
    kind = rule.kind
    if kind in ("number", "integer"):
        return _check_number(rule, value, kind == "integer")
    if kind == "path":
        if not isinstance(value, list):
            return "must be a list of numbers, one for each month"
        for i, item in enumerate(value):
            message = _check_number(rule, item, False)
            if message:
                return f"month {i}: {message}"
        return None
    if kind == "text":
        if not isinstance(value, str):
            return "must be text"
        return (text_problem(value) or None) if value.strip() else "must not be empty"
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
    if rule.kind == "path":
        return [float(v) for v in value]
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

    Sections: root, market, site, grid_step, fleet, plan, conversion, colocation, gpu_cloud,
    financing, tax, terminal. Checks the key's type and constraint; cross-field rules (unknown
    sites, removals, the grid, terms) need the whole scenario. With `horizon_months`, a
    conversion's start_month is checked against it.
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


def _check_object(obj: Any, section: str, path: str, version: int = 2) -> dict:
    """Unknown keys, missing keys and scalar constraints of one object; nested objects and lists
    are returned as given for the caller to check. In a `/1` file (version 1) the keys of
    version 2 are unknown."""
    if not isinstance(obj, dict):
        raise InputError(path, "must be an object")
    known = {k: r for k, r in keys_for(section).items() if r.since <= version}
    for key in obj:
        if key not in known:
            if key in keys_for(section):
                raise InputError(_join(path, key), f"unknown key in a {SCENARIO_FORMAT_V1} file "
                                                   f"(it is new in {SCENARIO_FORMAT})")
            raise InputError(_join(path, key), _unknown_key(key, known, section))
    out = {}
    for key, rule in keys_for(section).items():
        field = _join(path, key)
        if key not in obj:
            if rule.required:
                raise InputError(field, "missing (required)")
            if rule.default is not ABSENT:
                out[key] = rule.default.copy() if isinstance(rule.default, (dict, list)) else rule.default
            continue
        message = _check_value(rule, obj[key])
        if message:
            raise InputError(field, message)
        out[key] = _normalise(rule, obj[key])
    return out


def _optional_object(obj: dict, key: str, section: str, path: str, version: int) -> dict | None:
    """An optional object (tax, terminal, financing): None when left out or null."""
    value = obj.get(key)
    return None if value is None else _check_object(value, section, _join(path, key), version)


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
    version = 1 if data.get("format") == SCENARIO_FORMAT_V1 else 2
    out = _check_object(data, "root", "", version)
    out["format"] = SCENARIO_FORMAT
    horizon = out["horizon_months"]
    out["market"] = _check_market(out["market"], horizon, version)
    if not out["sites"]:
        raise InputError("sites", "must list at least one site")
    out["sites"] = [_check_site(site, f"sites[{i}]", horizon, version) for i, site in enumerate(out["sites"])]
    _unique([s["name"] for s in out["sites"]], "sites", "name", "site name")
    out["tax"] = _optional_object(out, "tax", "tax", "", version)
    out["terminal"] = _optional_object(out, "terminal", "terminal", "", version)
    if out["plan"] is not None:
        out["plan"] = _check_plan(out["plan"], out, version)
    check_grid(out)
    return out


def _check_market(market: Any, horizon: int, version: int) -> dict:
    out = _check_object(market, "market", "market", version)
    for path_key, (scalar, growth) in MARKET_PATHS.items():
        if path_key in out:
            for key in (scalar, growth):
                if key in out:
                    raise InputError(f"market.{key}", f"must be left out when market.{path_key} is given")
            if len(out[path_key]) != horizon:
                raise InputError(f"market.{path_key}", f"must hold exactly {horizon} numbers, one for each month "
                                                       f"of the horizon (it holds {len(out[path_key])})")
        else:
            if scalar not in out:
                raise InputError(f"market.{scalar}", f"missing (required unless market.{path_key} is given)")
            out.setdefault(growth, 0.0)
    return out


def _check_site(site: Any, path: str, horizon: int, version: int) -> dict:
    out = _check_object(site, "site", path, version)
    out["fleet"] = [_check_object(entry, "fleet", f"{path}.fleet[{i}]", version)
                    for i, entry in enumerate(out["fleet"])]
    _unique([e["model"] for e in out["fleet"]], f"{path}.fleet", "model", "model")
    steps = []
    for i, step in enumerate(out["grid_schedule"]):
        field = f"{path}.grid_schedule[{i}]"
        entry = _check_object(step, "grid_step", field, version)
        if entry["from_month"] >= horizon:
            raise InputError(f"{field}.from_month", f"must be below the horizon of {horizon} months")
        if steps and entry["from_month"] <= steps[-1]["from_month"]:
            raise InputError(f"{field}.from_month", f"must be after the step before it "
                                                    f"(month {steps[-1]['from_month']})")
        steps.append(entry)
    out["grid_schedule"] = steps
    return out


def _check_plan(plan: Any, scenario: dict, version: int) -> dict:
    out = _check_object(plan, "plan", "plan", version)
    sites = {s["name"]: s for s in scenario["sites"]}
    horizon = scenario["horizon_months"]
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
        c = _check_object(conv, conv["mode"], path, version)
        if c["site"] not in sites:
            raise InputError(f"{path}.site", f"unknown site {c['site']!r}" + _hint(c["site"], list(sites)))
        if c["start_month"] >= horizon:
            raise InputError(f"{path}.start_month",
                             f"must be between 0 and {horizon - 1} (the horizon is {horizon} months)")
        _check_term(c, path)
        remove = {}
        for model, count in c["remove_asics"].items():
            message = _check_value(Rule("integer", ge=0), count)
            if message:
                raise InputError(f"{path}.remove_asics[{json.dumps(model)}]", message)
            remove[model] = int(count)
        c["remove_asics"] = remove
        conversions.append(c)
    # fleet counts after removals: the one rule, desktop.model.rules.fleet_counts
    fleets = {name: {e["model"]: e["count"] for e in site["fleet"]} for name, site in sites.items()}
    for over in fleet_counts.over_removals(fleets, [(c["site"], c["remove_asics"]) for c in conversions],
                                           first_only=True):
        field = f"plan.conversions[{over.index}].remove_asics[{json.dumps(over.model)}]"
        if over.owned is None:
            raise InputError(field, f"unknown model at {over.site}" + _hint(str(over.model), list(fleets[over.site])))
        raise InputError(field, over.message)
    out["conversions"] = conversions
    out["financing"] = _optional_object(out, "financing", "financing", "plan", version)
    if out["financing"] is not None:
        out["financing"].setdefault("equity_discount_rate_pct", scenario["discount_rate_pct"])
    return out


def _check_term(c: dict, path: str) -> None:
    """Renewals, prepayment and a GPU residual need a term; a renewal lasts the term by default."""
    if "term_months" in c:
        c.setdefault("renewal_term_months", c["term_months"])
        return
    if "renewal_term_months" in c:
        raise InputError(f"{path}.renewal_term_months", "needs term_months (without a term the contract "
                                                        "runs to the horizon)")
    for key in ("renewals", "prepayment_usd", "gpu_residual_pct"):
        if c.get(key, 0):
            raise InputError(f"{path}.{key}", "must be 0 without term_months (without a term the contract "
                                              "runs to the horizon)")


def check_grid(scenario: dict) -> None:
    """Refuse a site whose grid is exceeded in any month, baseline or plan (ECONOMICS.md,
    "Validation"): `need_m + res_m > cap_m`, or with `miners_yield_to_grid` `res_m > cap_m`,
    by more than GRID_TOLERANCE of `cap_m`. The loads come from `desktop.model.site_grid`."""
    from desktop.model import site_grid  # site_grid reads normalised scenarios; imported late to avoid a cycle

    for breach in site_grid.grid_overloads(scenario):
        field = (f"sites[{breach.site_index}].{breach.capacity_key}" if breach.conversion_index is None
                 else f"plan.conversions[{breach.conversion_index}]")
        what = "'s firm hosting load needs" if breach.yields else " needs"
        raise InputError(field, f"site {breach.site}{what} {breach.load_mw:.6g} MW in "
                                f"{month_label(scenario['start_month'], breach.month)} in {breach.case}, "
                                f"more than its grid capacity of {breach.capacity_mw:.6g} MW")


def load_scenario_file(path: str | os.PathLike) -> dict:
    """Read, parse and validate a scenario file; returns the normalised scenario."""
    return validate_scenario(read_json_file(path))
