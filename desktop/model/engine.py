"""The economic engine: a scenario in, `rackshift.result/1` out, exactly as ECONOMICS.md defines.

`evaluate(scenario)` validates and returns the result dict. `evaluate_detail(scenario)` also
returns the monthly arrays the charts draw (a `Detail`). Everything is numpy over sites and
months at once: fleet entries (K) and conversions (C) are turned into matrices once, and the
months are columns; there is no Python loop over months.

Array shapes: S sites, M months. Per-site arrays are (S, M); portfolio arrays are (M,).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.model import bitcoin, finance
from desktop.model.errors import InputError
from desktop.model.scenario import validate_scenario

RESULT_FORMAT = "rackshift.result/1"


@dataclass
class Market:
    """The Bitcoin side, per month (M,): the same for every site."""
    months: list[str]               # "YYYY-MM"
    days: np.ndarray                # calendar days d_m
    blocks: np.ndarray              # b_m = blocks_per_day * d_m
    heights: np.ndarray             # h_m at the month's start
    reward_btc: np.ndarray          # R_m: subsidy integral + fees * b_m, the whole network's
    btc_price_usd: np.ndarray       # P_m
    network_hashrate_ehs: np.ndarray  # H_m
    hashprice_usd_per_ph_day: np.ndarray  # with the month's average reward per block, before pool fee

    @property
    def btc_per_ths(self) -> np.ndarray:
        """BTC the network pays per TH/s of hashrate over each month: R_m / (H_m * 1e6)."""
        return self.reward_btc / (self.network_hashrate_ehs * 1e6)


@dataclass
class Case:
    """One case (baseline or plan). (S, M) arrays per site and month, (M,) portfolio arrays."""
    btc_mined: np.ndarray
    mining_revenue_usd: np.ndarray
    hosting_revenue_usd: np.ndarray
    mining_power_cost_usd: np.ndarray
    hosting_power_cost_usd: np.ndarray
    mining_opex_usd: np.ndarray
    hosting_opex_usd: np.ndarray
    capex_usd: np.ndarray               # conversion build capex and GPU capex
    resale_usd: np.ndarray              # miners sold
    mining_mw: np.ndarray               # sum(active_k * power_w_k) / 1e6: miners' power, before PUE
    hosting_mw_reserved: np.ndarray     # sum(reserved critical_it_mw) * pue_hosting, grid MW
    grid_load_mw: np.ndarray            # mining_mw * pue_mining + hosting_mw_reserved
    net_cash_usd: np.ndarray            # (S, M)
    cash_usd: np.ndarray                # (M,) portfolio net cash
    cumulative_cash_usd: np.ndarray     # (M,)
    cost_per_btc_usd: np.ndarray        # (M,) mining power + mining opex per BTC mined; nan without BTC
    npv_usd: float

    @property
    def power_cost_usd(self) -> np.ndarray:
        return self.mining_power_cost_usd + self.hosting_power_cost_usd

    @property
    def opex_usd(self) -> np.ndarray:
        return self.mining_opex_usd + self.hosting_opex_usd


@dataclass
class Detail:
    """Everything `evaluate` computes: the monthly arrays and the result dict."""
    scenario: dict                      # the normalised scenario
    site_names: list[str]
    grid_capacity_mw: np.ndarray        # (S,)
    market: Market
    baseline: Case
    plan: Case | None
    delta_cash_usd: np.ndarray | None   # (M,) plan minus baseline
    discount_factors: np.ndarray        # (M,)
    result: dict

    @property
    def months(self) -> list[str]:
        return self.market.months


def evaluate(scenario: dict) -> dict:
    """Validate a scenario and return its `rackshift.result/1` dict."""
    return evaluate_detail(scenario).result


def evaluate_detail(scenario: dict) -> Detail:
    """Validate a scenario and return the monthly arrays with the result."""
    return evaluate_normalised(validate_scenario(scenario))


def market_arrays(scenario: dict) -> Market:
    mk = scenario["market"]
    months, days = bitcoin.calendar(scenario["start_month"], scenario["horizon_months"])
    blocks, heights = bitcoin.month_heights(mk["block_height_at_start"], mk["blocks_per_day"], days)
    reward = bitcoin.subsidy_integral_btc(heights, blocks) + mk["fees_btc_per_block"] * blocks
    years = np.arange(len(days)) / 12.0
    hashrate = mk["network_hashrate_ehs"] * (1.0 + mk["network_hashrate_growth_pct_per_year"] / 100.0) ** years
    price = mk["btc_price_usd"] * (1.0 + mk["btc_price_growth_pct_per_year"] / 100.0) ** years
    hashprice = bitcoin.hashprice_usd_per_ph_day(hashrate, mk["blocks_per_day"], reward / blocks, price)
    return Market(months, days, blocks, heights, reward, price, hashrate, hashprice)


def _column(rows: list[dict], key: str, scale: float = 1.0) -> np.ndarray:
    return np.array([row[key] for row in rows], dtype=float).reshape(-1) * scale


def _membership(site_index: np.ndarray, n_sites: int) -> np.ndarray:
    """(S, N) matrix summing N rows (fleet entries or conversions) into their sites."""
    return (np.arange(n_sites)[:, None] == site_index[None, :]).astype(float)


def _fleet_case(scenario: dict, market: Market, conversions: list[dict]) -> dict:
    """Mining arrays (S, M) with the miners the conversions remove taken out from their start."""
    sites = scenario["sites"]
    n_months = len(market.days)
    fleet = [(s, e) for s, site in enumerate(sites) for e in site["fleet"]]
    entries = [e for _, e in fleet]
    member = _membership(np.array([s for s, _ in fleet], dtype=int), len(sites))
    counts = _column(entries, "count")
    active = np.repeat(counts[:, None], n_months, axis=1)
    if conversions and fleet:
        index = {(s, e["model"]): k for k, (s, e) in enumerate(fleet)}
        site_of = {site["name"]: s for s, site in enumerate(sites)}
        removals = np.zeros((len(fleet), n_months))
        for c in conversions:
            for model, count in c["remove_asics"].items():
                removals[index[(site_of[c["site"]], model)], c["start_month"]] += count
        active = active - np.cumsum(removals, axis=1)
    ths, power_w, uptime = _column(entries, "hashrate_ths"), _column(entries, "power_w"), _column(entries, "uptime_pct", 0.01)
    hashrate_ths = member @ (active * (ths * uptime)[:, None])
    power_uptime_w = member @ (active * (power_w * uptime)[:, None])
    power_w_total = member @ (active * power_w[:, None])
    fee = 1.0 - _column(sites, "pool_fee_pct", 0.01)[:, None]
    btc = hashrate_ths / (market.network_hashrate_ehs * 1e6) * market.reward_btc * fee
    energy_mwh = power_uptime_w * _column(sites, "pue_mining")[:, None] * 24.0 * market.days / 1e6
    mining_mw = power_w_total / 1e6
    return {
        "btc_mined": btc,
        "mining_revenue_usd": btc * market.btc_price_usd,
        "mining_power_cost_usd": energy_mwh * _column(sites, "energy_price_usd_per_mwh")[:, None],
        "mining_opex_usd": mining_mw * _column(sites, "mining_opex_usd_per_mw_month")[:, None],
        "mining_mw": mining_mw,
    }


def _conversion_case(scenario: dict, market: Market, conversions: list[dict]) -> dict:
    """Hosting, capex and resale arrays (S, M) of the conversions, all conversions at once."""
    sites = scenario["sites"]
    n_sites, n_months = len(sites), len(market.days)
    if not conversions:
        return {k: np.zeros((n_sites, n_months)) for k in (
            "hosting_revenue_usd", "hosting_power_cost_usd", "hosting_opex_usd", "capex_usd", "resale_usd",
            "hosting_mw_reserved")}
    site_of = {site["name"]: s for s, site in enumerate(sites)}
    site_index = np.array([site_of[c["site"]] for c in conversions], dtype=int)
    month = np.arange(n_months)[None, :]
    start = np.array([c["start_month"] for c in conversions])[:, None]
    build = np.array([float(c["build_months"]) for c in conversions])[:, None]
    cod = np.minimum(start + np.minimum(build, n_months), n_months)  # commercial operation month
    operating = month >= cod
    mw = _column(conversions, "critical_it_mw")[:, None]
    gpu = np.array([c["mode"] == "gpu_cloud" for c in conversions])[:, None]
    pue_hosting = _column(sites, "pue_hosting")[site_index][:, None]
    price = _column(sites, "energy_price_usd_per_mwh")[site_index][:, None]

    def get(key, scale=1.0, default=0.0):
        return np.array([float(c.get(key, default)) * scale for c in conversions])[:, None]

    with np.errstate(over="ignore", invalid="ignore"):
        escalation = (1.0 + get("lease_escalator_pct_per_year", 0.01)) ** np.floor((month - cod) / 12.0)
    lease = mw * 1000.0 * get("lease_usd_per_kw_month") * escalation
    rent = get("gpu_count") * get("gpu_hour_usd") * 24.0 * market.days * get("utilization_pct", 0.01)
    revenue = np.where(operating, np.where(gpu, rent, lease), 0.0)
    pays_power = gpu | ~np.array([bool(c.get("power_pass_through", True)) for c in conversions])[:, None]
    energy_mwh = mw * get("load_factor_pct", 0.01) * pue_hosting * 24.0 * market.days
    power_cost = np.where(operating & pays_power, energy_mwh * price, 0.0)
    opex = np.where(operating, mw * get("hosting_opex_usd_per_mw_month"), 0.0)
    instalments = np.maximum(build, 1.0)
    capex = np.where((month >= start) & (month < start + np.minimum(instalments, n_months)),
                     mw * get("capex_usd_per_mw") / instalments, 0.0)
    capex = capex + np.where(gpu & (month == cod), get("gpu_capex_usd"), 0.0)
    resale_each = np.array([_resale(sites[s], c) for s, c in zip(site_index, conversions)])[:, None]
    member = _membership(site_index, n_sites)
    return {
        "hosting_revenue_usd": member @ revenue,
        "hosting_power_cost_usd": member @ power_cost,
        "hosting_opex_usd": member @ opex,
        "capex_usd": member @ capex,
        "resale_usd": member @ np.where(month == start, resale_each, 0.0),
        "hosting_mw_reserved": member @ np.where(month >= start, mw * pue_hosting, 0.0),
    }


def _resale(site: dict, conversion: dict) -> float:
    fleet = {e["model"]: e for e in site["fleet"]}
    return sum(n * fleet[m]["hashrate_ths"] * fleet[m]["resale_usd_per_ths"]
               for m, n in conversion["remove_asics"].items())


def _case(scenario: dict, market: Market, conversions: list[dict], discount: np.ndarray) -> Case:
    """One case: the baseline with no conversions, the plan with its conversions."""
    arrays = {**_fleet_case(scenario, market, conversions), **_conversion_case(scenario, market, conversions)}
    net = (arrays["mining_revenue_usd"] + arrays["hosting_revenue_usd"] + arrays["resale_usd"]
           - arrays["mining_power_cost_usd"] - arrays["hosting_power_cost_usd"]
           - arrays["mining_opex_usd"] - arrays["hosting_opex_usd"] - arrays["capex_usd"])
    cash = net.sum(axis=0)
    btc = arrays["btc_mined"].sum(axis=0)
    mining_cost = (arrays["mining_power_cost_usd"] + arrays["mining_opex_usd"]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost_per_btc = np.where(btc > 0, mining_cost / np.where(btc > 0, btc, 1.0), np.nan)
    pue_mining = _column(scenario["sites"], "pue_mining")[:, None]
    return Case(
        **arrays,
        grid_load_mw=arrays["mining_mw"] * pue_mining + arrays["hosting_mw_reserved"],
        net_cash_usd=net, cash_usd=cash, cumulative_cash_usd=np.cumsum(cash),
        cost_per_btc_usd=cost_per_btc, npv_usd=float(cash @ discount),
    )


def evaluate_normalised(scenario: dict, with_result: bool = True) -> Detail:
    """Evaluate a scenario that `validate_scenario` has already normalised. Without
    `with_result` only the arrays are computed (`result` stays empty; no IRR search)."""
    with np.errstate(over="ignore", invalid="ignore"):
        market = market_arrays(scenario)
        discount = finance.discount_factors(scenario["discount_rate_pct"], len(market.days))
        baseline = _case(scenario, market, [], discount)
        plan_spec = scenario["plan"]
        plan = _case(scenario, market, plan_spec["conversions"], discount) if plan_spec else None
    cashes = [baseline.cash_usd] + ([plan.cash_usd] if plan else [])
    if not all(np.isfinite(c).all() for c in cashes) or not np.isfinite(market.hashprice_usd_per_ph_day).all():
        raise InputError("scenario", "the numbers are too large or too small to compute: a result is not finite")
    delta = plan.cash_usd - baseline.cash_usd if plan else None
    detail = Detail(scenario, [s["name"] for s in scenario["sites"]], _column(scenario["sites"], "grid_capacity_mw"),
                    market, baseline, plan, delta, discount, result={})
    if with_result:
        detail.result = _result(detail)
        # monthly rows come from the cash arrays checked above; the totals may still overflow
        if not _all_finite({k: v for k, v in detail.result.items() if k != "monthly"}):
            raise InputError("scenario", "the numbers are too large or too small to compute: a result is not finite")
    return detail


def _all_finite(value) -> bool:
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_all_finite(v) for v in value)
    return not isinstance(value, float) or np.isfinite(value)


def _totals(case: Case) -> dict:
    return {
        "btc_mined": float(case.btc_mined.sum()),
        "mining_revenue_usd": float(case.mining_revenue_usd.sum()),
        "hosting_revenue_usd": float(case.hosting_revenue_usd.sum()),
        "power_cost_usd": float(case.mining_power_cost_usd.sum() + case.hosting_power_cost_usd.sum()),
        "opex_usd": float(case.mining_opex_usd.sum() + case.hosting_opex_usd.sum()),
        "capex_usd": float(case.capex_usd.sum()),
        "resale_usd": float(case.resale_usd.sum()),
        "net_cash_usd": float(case.cash_usd.sum()),
        "npv_usd": case.npv_usd,
    }


def hashprice_at_start(scenario: dict) -> float:
    """Month 0's hashprice ($/PH/day, before pool fee) with the subsidy at h_0, per ECONOMICS.md."""
    mk = scenario["market"]
    reward = float(bitcoin.subsidy_btc(mk["block_height_at_start"])) + mk["fees_btc_per_block"]
    return float(bitcoin.hashprice_usd_per_ph_day(mk["network_hashrate_ehs"], mk["blocks_per_day"],
                                                  reward, mk["btc_price_usd"]))


def breakeven_energy_prices(scenario: dict, hashprice: float) -> dict[str, float]:
    """{"SITE/MODEL": energy price ($/MWh) at which a miner's revenue pays only its power}."""
    out = {}
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # extremes end up not finite
        for site in scenario["sites"]:
            for e in site["fleet"]:
                mwh_per_ths_day = np.float64(e["power_w"]) / e["hashrate_ths"] * 24.0 * site["pue_mining"] / 1e6
                usd_per_ths_day = np.float64(hashprice) / 1000.0 * (1.0 - site["pool_fee_pct"] / 100.0)
                out[f"{site['name']}/{e['model']}"] = float(usd_per_ths_day / mwh_per_ths_day)
    return out


def _cost_per_btc(cost_usd: float, btc: float) -> float | None:
    """None when no BTC is mined (or so little that the cost per BTC overflows)."""
    with np.errstate(divide="ignore", over="ignore"):
        value = np.float64(cost_usd) / btc if btc > 0 else np.inf
    return float(value) if np.isfinite(value) else None


def _result(detail: Detail) -> dict:
    base, plan = detail.baseline, detail.plan
    btc0 = float(base.btc_mined[:, 0].sum())
    cost0 = float(base.mining_power_cost_usd[:, 0].sum() + base.hosting_power_cost_usd[:, 0].sum()
                  + base.mining_opex_usd[:, 0].sum() + base.hosting_opex_usd[:, 0].sum())
    hashprice = hashprice_at_start(detail.scenario)
    result = {
        "format": RESULT_FORMAT,
        "market": {"hashprice_usd_per_ph_day": hashprice},
        "baseline": {**_totals(base), "cost_per_btc_usd": _cost_per_btc(cost0, btc0)},
        "plan": _totals(plan) if plan else None,
        "delta": None,
        "breakeven_energy_price_usd_per_mwh": breakeven_energy_prices(detail.scenario, hashprice),
    }
    monthly = {"month": detail.months, "baseline_net_cash_usd": base.cash_usd.tolist()}
    if plan:
        delta = detail.delta_cash_usd
        result["delta"] = {
            "npv_usd": float(delta @ detail.discount_factors),
            "irr_pct": finance.irr_pct(delta),
            "payback_month": finance.payback_month(delta),
        }
        monthly["plan_net_cash_usd"] = plan.cash_usd.tolist()
    keys = list(monthly)
    result["monthly"] = [dict(zip(keys, row)) for row in zip(*monthly.values())]
    return result
