"""Sensitivity of the plan's value: a tornado of named inputs, and break-evens.

`tornado(scenario)` moves one input at a time down and up and records the plan's value against
mining at each end: the delta NPV (plan NPV minus baseline NPV), or, when the plan is financed,
the equity delta NPV (what a CFO decides on; each bar says which in `metric`). Amounts and prices move by a fraction of their value (default
20 %); growth rates, whose value may be zero, move by `growth_step_pct` percentage points a year
(default 10); build times by `build_months_step` months (default 3). Values stay inside the
contract's limits (utilization at most 100 %, build months at least 0, growth above -100 %).
Version 2's inputs move by steps of their own: the tax rate, loan-to-cost and curtailment share
by `points_step` percentage points (default 5; kept within 0-100), the interest rate by
`interest_step_pct` points (default 2), terminal multiples by `multiple_step` (default 1x
EBITDA), the curtailment credit by `fraction`, the GPU-hour price growth by `growth_step_pct`,
and contract terms by `term_months_step` months (default 12; at least 1 month).
Inputs that do not apply are left out: the lease rate needs a colocation conversion, the GPU-hour
price, its growth and utilization a gpu_cloud one, the tax rate a tax, the multiples a terminal
value, the interest rate and loan-to-cost a financed plan, curtailment a site that curtails,
the term a conversion with a term; every input needs a plan (no plan: no bars).

`breakevens(scenario)` gives the BTC price and the lease rate at which the plan's NPV equals the
baseline's, the month the plan's cumulative cash first catches up with the baseline's, and the
break-even energy price per site and model (from the result). Without tax and terminal value the
delta NPV is affine in the BTC price and in the lease rate, and two evaluations give the root
exactly; with them it is only piecewise smooth, and the root is bracketed on a grid of factors
and bisected (`solve_factor`).
"""
from __future__ import annotations

import copy
from typing import Callable

import numpy as np

from desktop.model import finance
from desktop.model.engine import breakeven_energy_by_pair, evaluate_normalised
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
    "gpu_hour_growth": "GPU-hour price growth",
    "term": "Contract term",
    "curtailment_share": "Curtailment share",
    "curtailment_credit": "Curtailment credit",
    "tax_rate": "Tax rate",
    "mining_multiple": "Mining terminal multiple",
    "hosting_multiple": "Hosting terminal multiple",
    "interest_rate": "Interest rate",
    "loan_to_cost": "Loan-to-cost",
}
FACTOR_GRID = np.geomspace(1e-3, BTC_PRICE_BRACKET, 61)  # factors searched for a sign change


def delta_npv(scenario: dict) -> float:
    """Plan NPV minus baseline NPV of a normalised scenario with a plan (no IRR search)."""
    detail = evaluate_normalised(scenario, with_result=False)
    return float(finance.present_value(detail.delta_cash_usd, detail.discount_factors))


def equity_delta_npv(scenario: dict) -> float:
    """Plan equity NPV minus baseline NPV at the equity rate (equals `delta_npv` unfinanced)."""
    detail = evaluate_normalised(scenario, with_result=False)
    return float(finance.present_value(detail.equity_delta_cash_usd, detail.equity_discount_factors))


def _metric(scenario: dict) -> tuple[str, Callable[[dict], float]]:
    if scenario.get("plan") and scenario["plan"].get("financing"):
        return "equity_delta_npv", equity_delta_npv
    return "delta_npv", delta_npv


def _conversions(s: dict, mode: str | None = None) -> list[dict]:
    return [c for c in s["plan"]["conversions"] if mode is None or c["mode"] == mode]


def _scale(rows: list[dict], key: str, factor: float, top: float | None = None) -> None:
    for row in rows:
        row[key] = row[key] * factor if top is None else min(row[key] * factor, top)


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x) >= 100 else f"${x:,.2f}"


def _moves(fraction: float, growth_step_pct: float, build_months_step: int, points_step: float = 5.0,
           interest_step_pct: float = 2.0, multiple_step: float = 1.0,
           term_months_step: int = 12) -> dict[str, Callable]:
    """name -> move(scenario, sign) that changes the scenario in place and describes the value."""
    pct = f"{fraction * 100:g}%"

    def step(rows_of, key, size, low, high, text, relative_desc=False):
        """Move `key` of each row by `size`, kept within [low, high]; describe the (first) value."""
        def move(s, sign):
            rows = rows_of(s)
            for row in rows:
                value = row[key] + sign * size
                value = max(value, low) if low is not None else value
                row[key] = min(value, high) if high is not None else value
            if isinstance(rows[0][key], int) or key == "term_months":
                for row in rows:
                    row[key] = int(round(row[key]))
            return text.format(sign * size) if relative_desc else text.format(rows[0][key])
        return move

    def relative(rows_of, key, top=None):
        def move(s, sign):
            _scale(rows_of(s), key, 1.0 + sign * fraction, top)
            return ("-" if sign < 0 else "+") + pct
        return move

    def btc_price(s, sign):
        market = s["market"]
        if "btc_price_path_usd" in market:
            market["btc_price_path_usd"] = [p * (1.0 + sign * fraction) for p in market["btc_price_path_usd"]]
            return _money(market["btc_price_path_usd"][0])
        market["btc_price_usd"] *= 1.0 + sign * fraction
        return _money(market["btc_price_usd"])

    def growth(key):
        def move(s, sign):
            if key not in s["market"]:  # a market path: no growth to move
                return "path"
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
        "gpu_hour_growth": step(lambda s: _conversions(s, "gpu_cloud"), "gpu_hour_growth_pct_per_year",
                                growth_step_pct, -99.0, None, "{:+g}%/yr"),
        "term": step(lambda s: [c for c in _conversions(s) if "term_months" in c], "term_months",
                     term_months_step, 1, None, "{:+g} months", relative_desc=True),
        "curtailment_share": step(lambda s: s["sites"], "curtailment_pct", points_step, 0.0, 100.0, "{:+g} points",
                                  relative_desc=True),
        "curtailment_credit": relative(lambda s: s["sites"], "curtailment_credit_usd_per_mwh"),
        "tax_rate": step(lambda s: [s["tax"]], "rate_pct", points_step, 0.0, 100.0, "{:g}%"),
        "mining_multiple": step(lambda s: [s["terminal"]], "mining_ebitda_multiple", multiple_step, 0.0, None,
                                "{:g}x"),
        "hosting_multiple": step(lambda s: [s["terminal"]], "hosting_ebitda_multiple", multiple_step, 0.0, None,
                                 "{:g}x"),
        "interest_rate": step(lambda s: [s["plan"]["financing"]], "interest_rate_pct", interest_step_pct, 0.0,
                              None, "{:g}%"),
        "loan_to_cost": step(lambda s: [s["plan"]["financing"]], "loan_to_cost_pct", points_step, 0.0, 100.0,
                             "{:g}%"),
    }


def applicable_inputs(scenario: dict) -> list[str]:
    """The tornado's inputs for a normalised scenario, in LABELS order."""
    if not scenario.get("plan") or not scenario["plan"]["conversions"]:
        return []
    conversions = scenario["plan"]["conversions"]
    modes = {c["mode"] for c in conversions}
    skip = set()
    if "colocation" not in modes:
        skip.add("lease_rate")
    if "gpu_cloud" not in modes:
        skip |= {"gpu_hour_price", "utilization", "gpu_hour_growth"}
    if not any("term_months" in c for c in conversions):
        skip.add("term")
    if not any(site.get("curtailment_pct", 0) > 0 for site in scenario["sites"]):
        skip |= {"curtailment_share", "curtailment_credit"}
    if not scenario.get("tax"):
        skip.add("tax_rate")
    if not scenario.get("terminal"):
        skip |= {"mining_multiple", "hosting_multiple"}
    if not scenario["plan"].get("financing"):
        skip |= {"interest_rate", "loan_to_cost"}
    return [name for name in LABELS if name not in skip]


def tornado(scenario: dict, fraction: float = 0.2, build_months_step: int = 3,
            growth_step_pct: float = 10.0, points_step: float = 5.0, interest_step_pct: float = 2.0,
            multiple_step: float = 1.0, term_months_step: int = 12) -> list[dict]:
    """Bars sorted by swing, largest first:
    {name, label, metric, low_value_desc, high_value_desc, delta_npv_low, delta_npv_high, swing,
    base_delta_npv_usd}; low/high are the input moved down/up; the delta NPVs are the
    `metric`'s ("delta_npv", or "equity_delta_npv" for a financed plan)."""
    base = validate_scenario(scenario)
    names = applicable_inputs(base)
    if not names:
        return []
    metric, value_of = _metric(base)
    base_value = value_of(base)
    moves = _moves(fraction, growth_step_pct, build_months_step, points_step, interest_step_pct, multiple_step,
                   term_months_step)
    bars = []
    for name in names:
        ends = {}
        for sign in (-1, 1):
            moved = copy.deepcopy(base)
            desc = moves[name](moved, sign)
            ends[sign] = (desc, value_of(moved))
        bars.append({
            "name": name, "label": LABELS[name], "metric": metric,
            "low_value_desc": ends[-1][0], "high_value_desc": ends[1][0],
            "delta_npv_low": ends[-1][1], "delta_npv_high": ends[1][1],
            "swing": abs(ends[1][1] - ends[-1][1]), "base_delta_npv_usd": base_value,
        })
    bars.sort(key=lambda bar: bar["swing"], reverse=True)
    return bars


def solve_factor(value_at: Callable[[float], float], linear: bool) -> float | None:
    """The factor k > 0 at which `value_at(k)` is 0, nearest 1; None when there is none in
    (0, BTC_PRICE_BRACKET]. `linear`: value_at is affine in k, so two evaluations give it."""
    f1 = value_at(1.0)
    if linear:
        slope = value_at(2.0) - f1
        if slope == 0.0:
            return None
        root = 1.0 - f1 / slope
        return root if 0.0 < root <= BTC_PRICE_BRACKET else None
    values = np.array([value_at(float(k)) for k in FACTOR_GRID])
    signs = np.sign(values)
    changes = np.nonzero(signs[:-1] * signs[1:] <= 0)[0]
    changes = [i for i in changes if signs[i] != 0 or signs[i + 1] != 0]
    if not len(changes):
        return None
    i = min(changes, key=lambda j: abs(np.log(FACTOR_GRID[j])))
    lo, hi, f_lo = float(FACTOR_GRID[i]), float(FACTOR_GRID[i + 1]), float(values[i])
    if f_lo == 0.0:
        return lo
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        f_mid = value_at(mid)
        if f_mid == 0.0 or hi - lo <= 1e-12 * hi:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _affine(s: dict) -> bool:
    """Without tax and terminal value (both piecewise), the delta NPV is affine in prices."""
    return not s.get("tax") and not s.get("terminal")


def _scaled_price(s: dict, factor: float) -> dict:
    moved = copy.deepcopy(s)
    market = moved["market"]
    if "btc_price_path_usd" in market:
        market["btc_price_path_usd"] = [p * factor for p in market["btc_price_path_usd"]]
    else:
        market["btc_price_usd"] *= factor
    return moved


def breakeven_btc_price(scenario: dict) -> float | None:
    """The month-0 BTC price (its growth or the shape of its path unchanged) at which plan NPV
    equals baseline NPV; None without a plan, when the price does not matter, or when the root
    is outside (0, 100 x today's price]."""
    s = validate_scenario(scenario)
    if not s.get("plan"):
        return None
    factor = solve_factor(lambda k: delta_npv(_scaled_price(s, k)), _affine(s))
    start = s["market"]["btc_price_path_usd"][0] if "btc_price_path_usd" in s["market"] else s["market"]["btc_price_usd"]
    return start * factor if factor is not None else None


def breakeven_lease_rate(scenario: dict) -> float | None:
    """The lease rate ($/kW-month, critical-IT-weighted over the colocation conversions, each
    scaled by the same factor) at which plan NPV equals baseline NPV; None without a colocation
    lease above $0, or without a root in (0, 100 x today's rate]."""
    s = validate_scenario(scenario)
    leases = _conversions(s, "colocation") if s.get("plan") else []
    mw = sum(c["critical_it_mw"] for c in leases)
    if not leases or mw <= 0:
        return None
    rate = sum(c["critical_it_mw"] * c["lease_usd_per_kw_month"] for c in leases) / mw
    if rate <= 0:
        return None

    def value_at(k: float) -> float:
        moved = copy.deepcopy(s)
        _scale(_conversions(moved, "colocation"), "lease_usd_per_kw_month", k)
        return delta_npv(moved)
    factor = solve_factor(value_at, _affine(s))
    return rate * factor if factor is not None else None


def breakevens(scenario: dict) -> dict:
    """{btc_price_usd, lease_usd_per_kw_month, crossover_month, crossover_month_label,
    energy_price_usd_per_mwh}.

    crossover_month: first month (0-based) the plan's cumulative cash is back at or above the
    baseline's after being below it (by more than a cent), or None."""
    detail = evaluate_normalised(validate_scenario(scenario))
    crossover = None
    if detail.plan is not None:
        month, was_below = finance.recovery_month(detail.delta_cash_usd)
        crossover = month if was_below else None
    return {
        "btc_price_usd": breakeven_btc_price(detail.scenario),
        "lease_usd_per_kw_month": breakeven_lease_rate(detail.scenario),
        "crossover_month": crossover,
        "crossover_month_label": detail.months[crossover] if crossover is not None else None,
        "energy_price_usd_per_mwh": breakeven_energy_by_pair(
            detail.scenario, detail.result["market"]["hashprice_usd_per_ph_day"]),   # {(site, model): $/MWh}
    }
