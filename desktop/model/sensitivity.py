"""Sensitivity of the plan's value: a tornado of named inputs, and break-evens.

`tornado(scenario)` moves one input at a time down and up and records the delta NPV (plan NPV
minus baseline NPV) at each end. Amounts and prices move by a fraction of their value (default
20 %); growth rates, whose value may be zero, move by `growth_step_pct` percentage points a year
(default 10); build times by `build_months_step` months (default 3). Values stay inside the
contract's limits (utilization at most 100 %, build months at least 0, growth above -100 %).
Inputs that do not apply are left out: the lease rate needs a colocation conversion, the GPU-hour
price and utilization a gpu_cloud one, and every input needs a plan (no plan: no bars).

`breakevens(scenario)` gives the BTC price at which the plan's NPV equals the baseline's, the
month the plan's cumulative cash first catches up with the baseline's, and the break-even energy
price per site and model (from the result).
"""
from __future__ import annotations

import copy
from typing import Callable

from desktop.model import finance
from desktop.model.engine import evaluate_normalised
from desktop.model.scenario import validate_scenario

BTC_PRICE_BRACKET = 100.0  # the BTC break-even is searched in (0, 100 x today's price]

LABELS = {
    "btc_price": "BTC price",
    "btc_price_growth": "BTC price growth",
    "network_hashrate_growth": "Network hashrate growth",
    "energy_price": "Energy price",
    "lease_rate": "Lease rate",
    "capex_per_mw": "Build capex per MW",
    "build_months": "Build time",
    "gpu_hour_price": "GPU-hour price",
    "utilization": "GPU utilization",
}


def delta_npv(scenario: dict) -> float:
    """Plan NPV minus baseline NPV of a normalised scenario with a plan (no IRR search)."""
    detail = evaluate_normalised(scenario, with_result=False)
    return float(detail.delta_cash_usd @ detail.discount_factors)


def _conversions(s: dict, mode: str | None = None) -> list[dict]:
    return [c for c in s["plan"]["conversions"] if mode is None or c["mode"] == mode]


def _scale(rows: list[dict], key: str, factor: float, top: float | None = None) -> None:
    for row in rows:
        row[key] = row[key] * factor if top is None else min(row[key] * factor, top)


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def _moves(fraction: float, growth_step_pct: float, build_months_step: int) -> dict[str, Callable]:
    """name -> move(scenario, sign) that changes the scenario in place and describes the value."""
    pct = f"{fraction * 100:g}%"

    def relative(rows_of, key, top=None):
        def move(s, sign):
            _scale(rows_of(s), key, 1.0 + sign * fraction, top)
            return ("-" if sign < 0 else "+") + pct
        return move

    def btc_price(s, sign):
        s["market"]["btc_price_usd"] *= 1.0 + sign * fraction
        return _money(s["market"]["btc_price_usd"])

    def growth(key):
        def move(s, sign):
            s["market"][key] = max(s["market"][key] + sign * growth_step_pct, -99.0)
            return f"{s['market'][key]:+g}%/yr"
        return move

    def build(s, sign):
        for c in _conversions(s):
            c["build_months"] = max(c["build_months"] + sign * build_months_step, 0)
        return f"{sign * build_months_step:+d} months"

    return {
        "btc_price": btc_price,
        "btc_price_growth": growth("btc_price_growth_pct_per_year"),
        "network_hashrate_growth": growth("network_hashrate_growth_pct_per_year"),
        "energy_price": relative(lambda s: s["sites"], "energy_price_usd_per_mwh"),
        "lease_rate": relative(lambda s: _conversions(s, "colocation"), "lease_usd_per_kw_month"),
        "capex_per_mw": relative(_conversions, "capex_usd_per_mw"),
        "build_months": build,
        "gpu_hour_price": relative(lambda s: _conversions(s, "gpu_cloud"), "gpu_hour_usd"),
        "utilization": relative(lambda s: _conversions(s, "gpu_cloud"), "utilization_pct", 100.0),
    }


def applicable_inputs(scenario: dict) -> list[str]:
    """The tornado's inputs for a normalised scenario, in LABELS order."""
    if not scenario.get("plan") or not scenario["plan"]["conversions"]:
        return []
    modes = {c["mode"] for c in scenario["plan"]["conversions"]}
    skip = set()
    if "colocation" not in modes:
        skip.add("lease_rate")
    if "gpu_cloud" not in modes:
        skip |= {"gpu_hour_price", "utilization"}
    return [name for name in LABELS if name not in skip]


def tornado(scenario: dict, fraction: float = 0.2, build_months_step: int = 3,
            growth_step_pct: float = 10.0) -> list[dict]:
    """Bars sorted by swing, largest first:
    {name, label, low_value_desc, high_value_desc, delta_npv_low, delta_npv_high, swing,
    base_delta_npv_usd}; low/high are the input moved down/up."""
    base = validate_scenario(scenario)
    names = applicable_inputs(base)
    if not names:
        return []
    base_value = delta_npv(base)
    moves = _moves(fraction, growth_step_pct, build_months_step)
    bars = []
    for name in names:
        ends = {}
        for sign in (-1, 1):
            moved = copy.deepcopy(base)
            desc = moves[name](moved, sign)
            ends[sign] = (desc, delta_npv(moved))
        bars.append({
            "name": name, "label": LABELS[name],
            "low_value_desc": ends[-1][0], "high_value_desc": ends[1][0],
            "delta_npv_low": ends[-1][1], "delta_npv_high": ends[1][1],
            "swing": abs(ends[1][1] - ends[-1][1]), "base_delta_npv_usd": base_value,
        })
    bars.sort(key=lambda bar: bar["swing"], reverse=True)
    return bars


def breakeven_btc_price(scenario: dict) -> float | None:
    """The month-0 BTC price (growth unchanged) at which plan NPV equals baseline NPV.

    The delta NPV is affine in the price (the price only scales mining revenue), so two
    evaluations give the root exactly; None without a plan, when the price does not matter,
    or when the root is outside (0, 100 x today's price]."""
    s = validate_scenario(scenario)
    if not s.get("plan"):
        return None
    p0 = s["market"]["btc_price_usd"]
    f0 = delta_npv(s)
    s["market"]["btc_price_usd"] = 2.0 * p0
    slope = (delta_npv(s) - f0) / p0
    if slope == 0.0:
        return None
    root = p0 - f0 / slope
    return root if 0.0 < root <= BTC_PRICE_BRACKET * p0 else None


def breakevens(scenario: dict) -> dict:
    """{btc_price_usd, crossover_month, crossover_month_label, energy_price_usd_per_mwh}.

    crossover_month: first month (0-based) the plan's cumulative cash is back at or above the
    baseline's after being below it (by more than a cent), or None."""
    detail = evaluate_normalised(validate_scenario(scenario))
    crossover = None
    if detail.plan is not None:
        month, was_below = finance.recovery_month(detail.delta_cash_usd)
        crossover = month if was_below else None
    return {
        "btc_price_usd": breakeven_btc_price(detail.scenario),
        "crossover_month": crossover,
        "crossover_month_label": detail.months[crossover] if crossover is not None else None,
        "energy_price_usd_per_mwh": detail.result["breakeven_energy_price_usd_per_mwh"],
    }
