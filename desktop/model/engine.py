"""The economic engine: a scenario in, `rackshift.result/2` out, exactly as ECONOMICS.md defines.

`evaluate(scenario)` validates and returns the result dict. `evaluate_detail(scenario)` also
returns the monthly arrays the charts draw (a `Detail`). Everything is numpy over sites and
months at once: fleet entries (K) and conversions (C) are turned into matrices once, and the
months are columns; there is no Python loop over months. The portfolio-level parts that are
sequential by nature (the loss carry-forward of tax, the debt balance) are cumulative sums and
running maxima over months (`desktop.model.finance`), so they are O(months) in numpy too.

Array shapes: S sites, C conversions, M months. Per-site arrays are (S, M); per-conversion
arrays (C, M); portfolio arrays (M,).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.model import bitcoin, finance, site_grid
from desktop.model.errors import InputError
from desktop.model.scenario import validate_scenario
from desktop.model.site_grid import column as _column
from desktop.model.site_grid import membership as _membership

RESULT_FORMAT = "rackshift.result/2"


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
    """One case (baseline or plan). (S, M) arrays per site and month, (M,) portfolio arrays.

    The per-site `net_cash_usd` is the site's operating cash (revenue, resale and credits less
    power, opex and capex); tax and terminal value belong to the portfolio and are only in the
    (M,) `cash_usd`."""
    btc_mined: np.ndarray
    mining_revenue_usd: np.ndarray
    hosting_revenue_usd: np.ndarray     # leases, GPU-hours, prepayments received less those earned down
    mining_power_cost_usd: np.ndarray
    hosting_power_cost_usd: np.ndarray
    mining_opex_usd: np.ndarray
    hosting_opex_usd: np.ndarray
    capex_usd: np.ndarray               # conversion build capex and GPU capex
    resale_usd: np.ndarray              # miners and GPUs sold
    power_credit_usd: np.ndarray        # curtailment credits
    grid_yielded_mwh: np.ndarray        # mining energy given up to firm load
    curtailed_mwh: np.ndarray
    mining_run_share: np.ndarray        # run_m = y_m * (1 - c): share of the miners' hours running
    mining_mw: np.ndarray               # sum(active_k * power_w_k) / 1e6: miners' power, before PUE
    hosting_mw_reserved: np.ndarray     # sum(reserved critical_it_mw) * pue_hosting, grid MW
    grid_load_mw: np.ndarray            # mining_mw * pue_mining + hosting_mw_reserved (every miner running)
    net_cash_usd: np.ndarray            # (S, M) operating cash
    # portfolio (M,)
    prepayment_received_usd: np.ndarray
    depreciation_usd: np.ndarray
    tax_usd: np.ndarray
    levered_tax_usd: np.ndarray
    terminal_value_usd: np.ndarray      # only in the last month
    debt_drawn_usd: np.ndarray
    interest_usd: np.ndarray
    principal_repaid_usd: np.ndarray    # scheduled and, in the last month, forced
    scheduled_principal_usd: np.ndarray
    debt_balance_usd: np.ndarray        # B_m before the forced repayment
    cfads_usd: np.ndarray
    cash_usd: np.ndarray                # net cash
    equity_cash_usd: np.ndarray
    cumulative_cash_usd: np.ndarray
    cost_per_btc_usd: np.ndarray        # mining power + mining opex - credits per BTC mined; nan without BTC
    npv_usd: float
    equity_npv_usd: float
    dscr_by_year: list                  # [(first month, DSCR)] of the 12-month blocks with debt service
    min_dscr: float | None

    @property
    def power_cost_usd(self) -> np.ndarray:
        return self.mining_power_cost_usd + self.hosting_power_cost_usd

    @property
    def opex_usd(self) -> np.ndarray:
        return self.mining_opex_usd + self.hosting_opex_usd

    @property
    def pretax_cash_usd(self) -> np.ndarray:
        """(M,) net cash before tax and terminal value."""
        return self.net_cash_usd.sum(axis=0)


@dataclass
class Detail:
    """Everything `evaluate` computes: the monthly arrays and the result dict."""
    scenario: dict                      # the normalised scenario
    site_names: list[str]
    grid_capacity_mw: np.ndarray        # (S,) in month 0
    grid_capacity_by_month_mw: np.ndarray  # (S, M) cap_m, with the grid schedules
    market: Market
    baseline: Case
    plan: Case | None
    delta_cash_usd: np.ndarray | None   # (M,) plan minus baseline
    equity_delta_cash_usd: np.ndarray | None  # (M,) plan equity cash minus baseline net cash
    discount_factors: np.ndarray        # (M,)
    equity_discount_factors: np.ndarray  # (M,)
    result: dict

    @property
    def months(self) -> list[str]:
        return self.market.months


def evaluate(scenario: dict) -> dict:
    """Validate a scenario and return its `rackshift.result/2` dict."""
    return evaluate_detail(scenario).result


def evaluate_detail(scenario: dict) -> Detail:
    """Validate a scenario and return the monthly arrays with the result."""
    return evaluate_normalised(validate_scenario(scenario))


def _growth_path(market: dict, path_key: str, scalar_key: str, growth_key: str, years: np.ndarray) -> np.ndarray:
    if path_key in market:
        return np.array(market[path_key], dtype=float)
    return market[scalar_key] * (1.0 + market[growth_key] / 100.0) ** years


def btc_price_path(scenario: dict) -> np.ndarray:
    """(M,) P_m: the market's path, or its price grown at its growth rate."""
    years = np.arange(scenario["horizon_months"]) / 12.0
    return _growth_path(scenario["market"], "btc_price_path_usd", "btc_price_usd", "btc_price_growth_pct_per_year",
                        years)


def network_hashrate_path(scenario: dict) -> np.ndarray:
    """(M,) H_m in EH/s."""
    years = np.arange(scenario["horizon_months"]) / 12.0
    return _growth_path(scenario["market"], "network_hashrate_path_ehs", "network_hashrate_ehs",
                        "network_hashrate_growth_pct_per_year", years)


def market_arrays(scenario: dict) -> Market:
    mk = scenario["market"]
    months, days = bitcoin.calendar(scenario["start_month"], scenario["horizon_months"])
    blocks, heights = bitcoin.month_heights(mk["block_height_at_start"], mk["blocks_per_day"], days)
    reward = bitcoin.subsidy_integral_btc(heights, blocks) + mk["fees_btc_per_block"] * blocks
    hashrate, price = network_hashrate_path(scenario), btc_price_path(scenario)
    hashprice = bitcoin.hashprice_usd_per_ph_day(hashrate, mk["blocks_per_day"], reward / blocks, price)
    return Market(months, days, blocks, heights, reward, price, hashrate, hashprice)


def energy_prices(scenario: dict, n_months: int) -> tuple[np.ndarray, np.ndarray]:
    """(S, M) energy price E_m and power credit K_m of every site, $/MWh, grown at g_E."""
    sites = scenario["sites"]
    growth = (1.0 + _column(sites, "energy_price_growth_pct_per_year", 0.01)[:, None]) ** (np.arange(n_months) / 12.0)
    return (_column(sites, "energy_price_usd_per_mwh")[:, None] * growth,
            _column(sites, "curtailment_credit_usd_per_mwh")[:, None] * growth)


def _mining(scenario: dict, market: Market, conversions: list[dict], energy: np.ndarray,
            credit: np.ndarray) -> dict:
    """Mining arrays (S, M) with the miners the conversions remove taken out from their start,
    yielded to the grid and curtailed as the site says."""
    sites = scenario["sites"]
    n_months = len(market.days)
    fleet = site_grid.fleet_months(scenario, conversions, n_months)
    loads = site_grid.grid_loads(scenario, conversions, n_months, fleet)
    entries = fleet.entries
    uptime = _column(entries, "uptime_pct", 0.01)
    power_w = _column(entries, "power_w")
    y = loads.yield_share
    c = _column(sites, "curtailment_pct", 0.01)[:, None]
    run = y * (1.0 - c)
    fee = 1.0 - _column(sites, "pool_fee_pct", 0.01)[:, None]
    btc = fleet.site_sum(_column(entries, "hashrate_ths") * uptime) / (market.network_hashrate_ehs * 1e6) \
        * market.reward_btc * fee * run
    full_mwh = fleet.site_sum(power_w * uptime) * _column(sites, "pue_mining")[:, None] * 24.0 * market.days / 1e6
    curtailed = full_mwh * y * c
    mining_mw = fleet.site_sum(power_w) / 1e6
    return {
        "btc_mined": btc,
        "mining_revenue_usd": btc * market.btc_price_usd,
        "mining_power_cost_usd": full_mwh * run * energy,
        "mining_opex_usd": mining_mw * _column(sites, "mining_opex_usd_per_mw_month")[:, None],
        "power_credit_usd": curtailed * credit,
        "grid_yielded_mwh": full_mwh * (1.0 - y),
        "curtailed_mwh": curtailed,
        "mining_run_share": run,
        "mining_mw": mining_mw,
        "hosting_mw_reserved": loads.hosting_reserved_mw,
        "grid_load_mw": loads.load_mw,
    }


@dataclass
class ConversionMonths:
    """(C, M) arrays of each conversion; `site_index` (C,) sums them into sites."""
    site_index: np.ndarray
    earning: np.ndarray              # bool: cod <= m < cod + L
    lease_revenue_usd: np.ndarray    # colocation rent
    gpu_revenue_usd: np.ndarray      # GPU-hours sold
    prepayment_usd: np.ndarray       # received at the start (+), earned down over the term (-)
    prepayment_received_usd: np.ndarray
    hosting_energy_mwh: np.ndarray   # the hosting power the operator pays, MWh
    hosting_power_cost_usd: np.ndarray
    hosting_opex_usd: np.ndarray
    build_capex_usd: np.ndarray
    gpu_capex_usd: np.ndarray
    resale_usd: np.ndarray           # miners removed, GPUs sold at the end of the term

    @property
    def hosting_revenue_usd(self) -> np.ndarray:
        return self.lease_revenue_usd + self.gpu_revenue_usd + self.prepayment_usd


def conversion_months(scenario: dict, market: Market, conversions: list[dict], energy: np.ndarray,
                      delay_months: np.ndarray | None = None) -> ConversionMonths:
    """Every conversion's monthly arrays at once. `delay_months` (C,) moves each conversion's
    commercial operation (and so its whole earning window) later, with its capex and GPU
    purchase as booked: the schedule risk of the Monte Carlo."""
    sites = scenario["sites"]
    n_months = len(market.days)
    site_of = {site["name"]: s for s, site in enumerate(sites)}
    site_index = np.array([site_of[c["site"]] for c in conversions], dtype=int)
    month = np.arange(n_months)[None, :]

    def get(key, scale=1.0, default=0.0):
        return np.array([float(c.get(key, default)) * scale for c in conversions]).reshape(-1, 1)

    start, build = get("start_month"), get("build_months")
    booked_cod = start + build
    cod = booked_cod + (0.0 if delay_months is None else np.asarray(delay_months, dtype=float).reshape(-1, 1))
    has_term = np.array([c.get("term_months") is not None for c in conversions]).reshape(-1, 1)
    term = get("term_months", default=0.0)
    length = np.where(has_term, term + get("renewals") * get("renewal_term_months", default=0.0), np.inf)
    earning = (month >= cod) & (month < cod + length)
    mw = get("critical_it_mw")
    gpu = np.array([c["mode"] == "gpu_cloud" for c in conversions]).reshape(-1, 1)
    years_on = np.where(earning, month - cod, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        escalation = (1.0 + get("lease_escalator_pct_per_year", 0.01)) ** np.floor(years_on / 12.0)
        gpu_price = (1.0 + get("gpu_hour_growth_pct_per_year", 0.01)) ** (years_on / 12.0)
    lease = np.where(earning & ~gpu, mw * 1000.0 * get("lease_usd_per_kw_month") * escalation, 0.0)
    rent = np.where(earning & gpu, get("gpu_count") * get("gpu_hour_usd") * gpu_price * 24.0 * market.days
                    * get("utilization_pct", 0.01), 0.0)
    prepay = get("prepayment_usd")
    received = np.where(month == start, prepay, 0.0)
    in_term = (month >= cod) & (month < cod + term) & has_term
    earned_down = np.where(in_term, prepay / np.where(has_term, term, 1.0), 0.0)
    pays_power = gpu | ~np.array([bool(c.get("power_pass_through", True)) for c in conversions]).reshape(-1, 1)
    energy_mwh = np.where(earning & pays_power, mw * get("load_factor_pct", 0.01)
                          * _column(sites, "pue_hosting")[site_index][:, None] * 24.0 * market.days, 0.0)
    instalments = np.maximum(build, 1.0)
    build_capex = np.where((month >= start) & (month < start + instalments),
                           mw * get("capex_usd_per_mw") / instalments, 0.0)
    gpu_cost = get("gpu_capex_usd")
    gpu_capex = np.where(gpu & (month == booked_cod), gpu_cost, 0.0)
    residual = np.where(gpu & has_term & (month == cod + length), get("gpu_residual_pct", 0.01) * gpu_cost, 0.0)
    miners = np.array([_miner_resale(sites[s], c) for s, c in zip(site_index, conversions)]).reshape(-1, 1)
    return ConversionMonths(
        site_index=site_index, earning=earning, lease_revenue_usd=lease, gpu_revenue_usd=rent,
        prepayment_usd=received - earned_down, prepayment_received_usd=received,
        hosting_energy_mwh=energy_mwh, hosting_power_cost_usd=energy_mwh * energy[site_index],
        hosting_opex_usd=np.where(earning, mw * get("hosting_opex_usd_per_mw_month"), 0.0),
        build_capex_usd=build_capex, gpu_capex_usd=gpu_capex,
        resale_usd=np.where(month == start, miners, 0.0) + residual,
    )


def _miner_resale(site: dict, conversion: dict) -> float:
    fleet = {e["model"]: e for e in site["fleet"]}
    return sum(n * fleet[m]["hashrate_ths"] * fleet[m]["resale_usd_per_ths"]
               for m, n in conversion["remove_asics"].items())


def terminal_value_usd(scenario: dict, mining_ebitda_usd: np.ndarray, hosting_ebitda_usd: np.ndarray) -> np.ndarray:
    """TV in the last month (ECONOMICS.md, "Terminal value") from monthly portfolio EBITDA
    (..., M): `mining_ebitda_multiple * max(0, mining EBITDA) + hosting_ebitda_multiple * max(0, ...)`,
    each EBITDA the last n = min(12, T) months' sum times 12 / n. Returns (..., M)."""
    out = np.zeros(np.shape(mining_ebitda_usd))
    terminal = scenario.get("terminal")
    if not terminal:
        return out
    n = min(12, scenario["horizon_months"])
    mining = 12.0 / n * mining_ebitda_usd[..., -n:].sum(axis=-1)
    hosting = 12.0 / n * hosting_ebitda_usd[..., -n:].sum(axis=-1)
    out[..., -1] = (terminal["mining_ebitda_multiple"] * np.maximum(0.0, mining)
                    + terminal["hosting_ebitda_multiple"] * np.maximum(0.0, hosting))
    return out


@dataclass
class Flows:
    """A case's portfolio lines, (..., M): one case (M,) or a stack of Monte Carlo paths (N, M).
    Capex is as booked and the same on every path (M,)."""
    mining_revenue_usd: np.ndarray
    hosting_revenue_usd: np.ndarray
    resale_usd: np.ndarray
    power_credit_usd: np.ndarray
    mining_power_cost_usd: np.ndarray
    hosting_power_cost_usd: np.ndarray
    mining_opex_usd: np.ndarray
    hosting_opex_usd: np.ndarray
    prepayment_received_usd: np.ndarray
    build_capex_usd: np.ndarray
    gpu_capex_usd: np.ndarray


@dataclass
class Settlement:
    """(..., M) what ECONOMICS.md makes of a case's flows: tax, terminal value, net cash, debt
    and equity cash ("Tax", "Terminal value", "Financing", "Cash and results")."""
    operating_usd: np.ndarray        # revenue + credits - power - opex
    depreciation_usd: np.ndarray
    tax_usd: np.ndarray
    terminal_value_usd: np.ndarray
    cash_usd: np.ndarray
    debt: finance.DebtSchedule | None
    levered_tax_usd: np.ndarray
    equity_cash_usd: np.ndarray
    cfads_usd: np.ndarray


def settle(scenario: dict, f: Flows, financing: dict | None) -> Settlement:
    """Tax, terminal value, net cash and equity cash of a case's flows; the one place for these
    rules, shared by `evaluate` and the Monte Carlo."""
    operating = (f.mining_revenue_usd + f.hosting_revenue_usd + f.power_credit_usd - f.mining_power_cost_usd
                 - f.hosting_power_cost_usd - f.mining_opex_usd - f.hosting_opex_usd)
    capex = f.build_capex_usd + f.gpu_capex_usd
    tax_spec = scenario.get("tax")
    zero = np.zeros(np.shape(operating))
    depreciation = zero
    if tax_spec:
        depreciation = (finance.straight_line_depreciation(f.build_capex_usd, tax_spec["depreciation_months"])
                        + finance.straight_line_depreciation(f.gpu_capex_usd, tax_spec["gpu_depreciation_months"]))
    income = operating + f.resale_usd - depreciation
    rate = tax_spec["rate_pct"] / 100.0 if tax_spec else 0.0
    tax = finance.income_tax(income, rate) if tax_spec else zero
    tv = terminal_value_usd(
        scenario, f.mining_revenue_usd + f.power_credit_usd - f.mining_power_cost_usd - f.mining_opex_usd,
        f.hosting_revenue_usd - f.prepayment_received_usd - f.hosting_power_cost_usd - f.hosting_opex_usd)
    cash = operating + f.resale_usd + tv - capex - tax
    debt = finance.debt_schedule(capex, financing) if financing else None
    if debt is None:
        levered_tax, equity_cash = tax, cash
    else:
        levered_tax = finance.income_tax(income - debt.interest_usd, rate) if tax_spec else zero
        equity_cash = cash + debt.drawn_usd - debt.interest_usd - debt.principal_usd + tax - levered_tax
    return Settlement(operating, depreciation, tax, tv, cash, debt, levered_tax, equity_cash, operating - levered_tax)


def _case(scenario: dict, market: Market, conversions: list[dict], energy: np.ndarray, credit: np.ndarray,
          discount: np.ndarray, equity_discount: np.ndarray, financing: dict | None) -> Case:
    """One case: the baseline with no conversions, the plan with its conversions."""
    n_sites, n_months = len(scenario["sites"]), len(market.days)
    mining = _mining(scenario, market, conversions, energy, credit)
    zeros = np.zeros((n_sites, n_months))
    if conversions:
        conv = conversion_months(scenario, market, conversions, energy)
        member = _membership(conv.site_index, n_sites)
        hosting = {k: member @ getattr(conv, k) for k in (
            "hosting_revenue_usd", "hosting_power_cost_usd", "hosting_opex_usd", "resale_usd")}
        build_capex, gpu_capex = conv.build_capex_usd.sum(axis=0), conv.gpu_capex_usd.sum(axis=0)
        capex = member @ (conv.build_capex_usd + conv.gpu_capex_usd)
        received = conv.prepayment_received_usd.sum(axis=0)
    else:
        hosting = {k: zeros for k in ("hosting_revenue_usd", "hosting_power_cost_usd", "hosting_opex_usd",
                                      "resale_usd")}
        build_capex = gpu_capex = received = np.zeros(n_months)
        capex = zeros
    site_cash = (mining["mining_revenue_usd"] + hosting["hosting_revenue_usd"] + hosting["resale_usd"]
                 + mining["power_credit_usd"] - mining["mining_power_cost_usd"] - hosting["hosting_power_cost_usd"]
                 - mining["mining_opex_usd"] - hosting["hosting_opex_usd"] - capex)
    total = {k: v.sum(axis=0) for k, v in {**mining, **hosting}.items()}
    flows = Flows(**{k: total[k] for k in (
        "mining_revenue_usd", "hosting_revenue_usd", "resale_usd", "power_credit_usd", "mining_power_cost_usd",
        "hosting_power_cost_usd", "mining_opex_usd", "hosting_opex_usd")},
        prepayment_received_usd=received, build_capex_usd=build_capex, gpu_capex_usd=gpu_capex)
    st = settle(scenario, flows, financing)
    zero = np.zeros(n_months)
    debt = st.debt or finance.DebtSchedule(zero, zero, zero, zero, zero)
    dscr = finance.dscr_by_year(st.cfads_usd, debt.interest_usd + debt.scheduled_principal_usd)
    btc = total["btc_mined"]
    mining_cost = total["mining_power_cost_usd"] + total["mining_opex_usd"] - total["power_credit_usd"]
    with np.errstate(divide="ignore", invalid="ignore"):
        cost_per_btc = np.where(btc > 0, mining_cost / np.where(btc > 0, btc, 1.0), np.nan)
    return Case(
        **mining, **hosting, capex_usd=capex, net_cash_usd=site_cash,
        prepayment_received_usd=received, depreciation_usd=st.depreciation_usd, tax_usd=st.tax_usd,
        levered_tax_usd=st.levered_tax_usd, terminal_value_usd=st.terminal_value_usd, debt_drawn_usd=debt.drawn_usd,
        interest_usd=debt.interest_usd, principal_repaid_usd=debt.principal_usd,
        scheduled_principal_usd=debt.scheduled_principal_usd, debt_balance_usd=debt.balance_usd,
        cfads_usd=st.cfads_usd, cash_usd=st.cash_usd, equity_cash_usd=st.equity_cash_usd,
        cumulative_cash_usd=np.cumsum(st.cash_usd), cost_per_btc_usd=cost_per_btc,
        npv_usd=float(finance.present_value(st.cash_usd, discount)),
        equity_npv_usd=float(finance.present_value(st.equity_cash_usd, equity_discount)),
        dscr_by_year=dscr, min_dscr=min((v for _, v in dscr), default=None),
    )


def evaluate_normalised(scenario: dict, with_result: bool = True) -> Detail:
    """Evaluate a scenario that `validate_scenario` has already normalised. Without
    `with_result` only the arrays are computed (`result` stays empty; no IRR search)."""
    plan_spec = scenario["plan"]
    financing = plan_spec.get("financing") if plan_spec else None
    with np.errstate(over="ignore", invalid="ignore"):
        market = market_arrays(scenario)
        n_months = len(market.days)
        discount = finance.discount_factors(scenario["discount_rate_pct"], n_months)
        equity_discount = (finance.discount_factors(financing["equity_discount_rate_pct"], n_months)
                           if financing else discount)
        energy, credit = energy_prices(scenario, n_months)
        baseline = _case(scenario, market, [], energy, credit, discount, equity_discount, None)
        plan = (_case(scenario, market, plan_spec["conversions"], energy, credit, discount, equity_discount, financing)
                if plan_spec else None)
    cashes = [baseline.cash_usd] + ([plan.cash_usd, plan.equity_cash_usd] if plan else [])
    if not all(np.isfinite(c).all() for c in cashes) or not np.isfinite(market.hashprice_usd_per_ph_day).all():
        raise InputError("scenario", "the numbers are too large or too small to compute: a result is not finite")
    capacity = np.array([site_grid.capacity_by_month(s, n_months) for s in scenario["sites"]])
    detail = Detail(scenario, [s["name"] for s in scenario["sites"]], _column(scenario["sites"], "grid_capacity_mw"),
                    capacity, market, baseline, plan,
                    plan.cash_usd - baseline.cash_usd if plan else None,
                    plan.equity_cash_usd - baseline.cash_usd if plan else None,
                    discount, equity_discount, result={})
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
        "power_credit_usd": float(case.power_credit_usd.sum()),
        "tax_usd": float(case.tax_usd.sum()),
        "levered_tax_usd": float(case.levered_tax_usd.sum()),
        "terminal_value_usd": float(case.terminal_value_usd.sum()),
        "grid_yielded_mwh": float(case.grid_yielded_mwh.sum()),
        "curtailed_mwh": float(case.curtailed_mwh.sum()),
        "debt_drawn_usd": float(case.debt_drawn_usd.sum()),
        "interest_usd": float(case.interest_usd.sum()),
        "principal_repaid_usd": float(case.principal_repaid_usd.sum()),
        "equity_net_cash_usd": float(case.equity_cash_usd.sum()),
        "equity_npv_usd": case.equity_npv_usd,
        "min_dscr": case.min_dscr,
    }


def hashprice_at_start(scenario: dict) -> float:
    """Month 0's hashprice ($/PH/day, before pool fee) with the subsidy at h_0 and H_0, P_0
    (a path's first month), per ECONOMICS.md."""
    mk = scenario["market"]
    reward = float(bitcoin.subsidy_btc(mk["block_height_at_start"])) + mk["fees_btc_per_block"]
    hashrate = mk["network_hashrate_path_ehs"][0] if "network_hashrate_path_ehs" in mk else mk["network_hashrate_ehs"]
    price = mk["btc_price_path_usd"][0] if "btc_price_path_usd" in mk else mk["btc_price_usd"]
    return float(bitcoin.hashprice_usd_per_ph_day(hashrate, mk["blocks_per_day"], reward, price))


def breakeven_energy_by_pair(scenario: dict, hashprice: float) -> dict[tuple[str, str], float]:
    """{(site, model): energy price ($/MWh) at which a miner's revenue pays only its power}: the
    project's own API keys by a structure, so no name can collide with another."""
    out = {}
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # extremes end up not finite
        for site in scenario["sites"]:
            for e in site["fleet"]:
                mwh_per_ths_day = np.float64(e["power_w"]) / e["hashrate_ths"] * 24.0 * site["pue_mining"] / 1e6
                usd_per_ths_day = np.float64(hashprice) / 1000.0 * (1.0 - site["pool_fee_pct"] / 100.0)
                out[(site["name"], e["model"])] = float(usd_per_ths_day / mwh_per_ths_day)
    return out


def breakeven_energy_prices(scenario: dict, hashprice: float) -> dict[str, float]:
    """The result file's {"SITE/MODEL": price} (ECONOMICS.md). Two pairs whose joined names are
    the same key (site "a/b" with model "c", site "a" with model "b/c") are refused, naming both."""
    out: dict[str, float] = {}
    owner: dict[str, tuple[str, str]] = {}
    for (site, model), price in breakeven_energy_by_pair(scenario, hashprice).items():
        key = f"{site}/{model}"
        if key in owner:
            first = owner[key]
            index = next(i for i, s in enumerate(scenario["sites"]) if s["name"] == site)
            raise InputError(f"sites[{index}].name", f"site {site!r} with model {model!r} and site {first[0]!r} with "
                                                     f"model {first[1]!r} both make the result key {key!r} "
                                                     f"(breakeven_energy_price_usd_per_mwh): rename one so '/' "
                                                     f"does not join them alike")
        owner[key] = (site, model)
        out[key] = price
    return out


def _cost_per_btc(cost_usd: float, btc: float) -> float | None:
    """None when no BTC is mined (or so little that the cost per BTC overflows)."""
    with np.errstate(divide="ignore", over="ignore"):
        value = np.float64(cost_usd) / btc if btc > 0 else np.inf
    return float(value) if np.isfinite(value) else None


def _result(detail: Detail) -> dict:
    base, plan = detail.baseline, detail.plan
    btc0 = float(base.btc_mined[:, 0].sum())
    cost0 = float(base.power_cost_usd[:, 0].sum() + base.opex_usd[:, 0].sum() - base.power_credit_usd[:, 0].sum())
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
        delta, equity_delta = detail.delta_cash_usd, detail.equity_delta_cash_usd
        irr = finance.irr_pct(delta)
        result["delta"] = {
            "npv_usd": float(finance.present_value(delta, detail.discount_factors)),
            "irr_pct": irr,
            "payback_month": finance.payback_month(delta),
            "equity_npv_usd": plan.equity_npv_usd - base.equity_npv_usd,
            # unfinanced, the equity delta is the delta itself: one IRR search
            "equity_irr_pct": finance.irr_pct(equity_delta) if detail.scenario["plan"].get("financing") else irr,
        }
        monthly["plan_net_cash_usd"] = plan.cash_usd.tolist()
        if detail.scenario["plan"].get("financing"):
            monthly["plan_equity_cash_usd"] = plan.equity_cash_usd.tolist()
    keys = list(monthly)
    result["monthly"] = [dict(zip(keys, row)) for row in zip(*monthly.values())]
    return result
