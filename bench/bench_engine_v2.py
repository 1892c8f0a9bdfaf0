"""Benchmark of the engine with every ECONOMICS.md version-2 feature on (not a test).

    python bench/bench_engine_v2.py     prints a table
    run() -> [{name, value, unit, budget}]   for `make bench` to collect

The 20-site, 120-month portfolio of bench_engine.py, made version 2: energy prices that grow,
a grid schedule per site with miners that yield to firm load, curtailment with credits, leases
with terms and renewals, prepaid GPU clouds whose price falls and whose GPUs keep a residual,
tax with depreciation, terminal value and straight-line debt. Measured: `evaluate` (validation,
arrays, result dict, both IRR searches); a bare numpy kernel doing the same arithmetic on
prepared arrays, written here from ECONOMICS.md on its own (so it also checks the engine: the
NPVs must agree); and Monte Carlo with 10,000 paths with schedule risk on (time, and peak
traced memory). Times are medians of repeated runs (`bench.stats`).
"""
from __future__ import annotations

import pathlib
import statistics
import sys
import tracemalloc

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bench.bench_engine import kernel_inputs, portfolio  # noqa: E402
from bench.stats import row, timed  # noqa: E402
from desktop.model import bitcoin, finance  # noqa: E402
from desktop.model.engine import evaluate  # noqa: E402
from desktop.model.montecarlo import simulate  # noqa: E402


def portfolio_v2(n_sites: int = 20, n_months: int = 120) -> dict:
    s = portfolio(n_sites, n_months)
    s["format"] = "rackshift.scenario/2"
    for i, site in enumerate(s["sites"]):
        site.update(energy_price_growth_pct_per_year=3, grid_capacity_mw=50, miners_yield_to_grid=True,
                    grid_schedule=[{"from_month": 12, "capacity_mw": 60}, {"from_month": 36 + i, "capacity_mw": 75}],
                    curtailment_pct=5, curtailment_credit_usd_per_mwh=55)
    for i, conv in enumerate(s["plan"]["conversions"]):
        conv.update(term_months=60 + 12 * (i % 3), renewals=i % 3, prepayment_usd=5_000_000 * (i % 2))
        if conv["mode"] == "gpu_cloud":
            conv.update(gpu_hour_growth_pct_per_year=-8, gpu_residual_pct=15)
    s["tax"] = {"rate_pct": 21, "depreciation_months": 180, "gpu_depreciation_months": 60}
    s["terminal"] = {"mining_ebitda_multiple": 3, "hosting_ebitda_multiple": 11}
    s["plan"]["financing"] = {"loan_to_cost_pct": 70, "interest_rate_pct": 8.5, "term_months": 84,
                              "amortization": "straight_line", "equity_discount_rate_pct": 16}
    return s


def kernel_inputs_v2(s: dict) -> dict:
    x = kernel_inputs(s)
    sites, convs = s["sites"], s["plan"]["conversions"]
    n = s["horizon_months"]
    cap = np.array([[site["grid_capacity_mw"]] * n for site in sites], dtype=float)
    for k, site in enumerate(sites):
        for step in site["grid_schedule"]:
            cap[k, step["from_month"]:] = step["capacity_mw"]
    col = lambda rows, key, d=0.0: np.array([float(r.get(key, d)) for r in rows])  # noqa: E731
    x.update(
        cap=cap, g_e=col(sites, "energy_price_growth_pct_per_year") / 100, curt=col(sites, "curtailment_pct") / 100,
        credit=col(sites, "curtailment_credit_usd_per_mwh"), yields=np.array([st["miners_yield_to_grid"] for st in sites]),
        c_term=col(convs, "term_months"), c_ren=col(convs, "renewals"),
        c_rterm=np.array([float(c.get("renewal_term_months", c["term_months"])) for c in convs]),
        c_prepay=col(convs, "prepayment_usd"), c_gg=col(convs, "gpu_hour_growth_pct_per_year") / 100,
        c_resid=col(convs, "gpu_residual_pct") / 100, tax=s["tax"], terminal=s["terminal"],
        fin=s["plan"]["financing"])
    return x


def _tax(income, rate):
    return rate * np.diff(np.maximum.accumulate(np.maximum(np.cumsum(income), 0)), prepend=0)


def bare_kernel_v2(x: dict) -> tuple[float, float, float]:
    """Version 2's arithmetic in straight numpy: (baseline NPV, plan NPV, plan equity NPV)."""
    mk, n = x["mk"], x["n"]
    _, days = bitcoin.calendar(x["start"], n)
    blocks = mk.get("blocks_per_day", 144) * days
    heights = mk["block_height_at_start"] + np.concatenate(([0.0], np.cumsum(blocks)[:-1]))
    reward = bitcoin.subsidy_integral_btc(heights, blocks) + mk["fees_btc_per_block"] * blocks
    t = np.arange(n) / 12
    per_ths = reward / (mk["network_hashrate_ehs"] * (1 + mk["network_hashrate_growth_pct_per_year"] / 100) ** t * 1e6)
    btc_price = mk["btc_price_usd"] * (1 + mk["btc_price_growth_pct_per_year"] / 100) ** t
    months = np.arange(n)[None, :]
    n_sites = len(x["fee"])
    grow = (1 + x["g_e"][:, None]) ** t
    energy, credit = x["price"][:, None] * grow, x["credit"][:, None] * grow
    member_k = (np.arange(n_sites)[:, None] == x["fleet_site"][None, :]).astype(float)
    member_c = (np.arange(n_sites)[:, None] == x["conv_site"][None, :]).astype(float)
    start, build = x["c_start"][:, None], x["c_build"][:, None]
    cod = start + build
    length = x["c_term"][:, None] + x["c_ren"][:, None] * x["c_rterm"][:, None]
    onehot = (months == start).astype(float)
    mw = x["c_mw"][:, None]
    pue_h = x["pue_h"][x["conv_site"]][:, None]
    out = []
    for plan in (False, True):
        removed = np.cumsum(x["remove"].T @ onehot, axis=1) if plan else np.zeros((len(x["count"]), n))
        active = x["count"][:, None] - removed
        reserved = member_c @ np.where(months >= start, mw * pue_h, 0) if plan else np.zeros((n_sites, n))
        need = member_k @ (active * x["w"][:, None]) / 1e6 * x["pue_m"][:, None]
        y = np.where(x["yields"][:, None],
                     np.where(need > 0, np.minimum(1, np.maximum(0, x["cap"] - reserved) / np.where(need > 0, need, 1)), 1),
                     1.0)
        run = y * (1 - x["curt"][:, None])
        th = member_k @ (active * (x["ths"] * x["up"])[:, None])
        full = member_k @ (active * (x["w"] * x["up"])[:, None]) * x["pue_m"][:, None] * 24 * days / 1e6
        mining_rev = (th * per_ths * (1 - x["fee"])[:, None] * btc_price * run).sum(0)
        mining_cost = (full * run * energy).sum(0) + (member_k @ (active * x["w"][:, None]) / 1e6
                                                      * x["opex"][:, None]).sum(0)
        credits = (full * y * x["curt"][:, None] * credit).sum(0)
        hosting = capex_b = capex_g = received = resale = zero = np.zeros(n)
        if plan:
            earn = (months >= cod) & (months < cod + length)
            years_on = np.where(earn, months - cod, 0)
            gpu = x["c_gpu"][:, None]
            lease = mw * 1000 * x["c_lease"][:, None] * (1 + x["c_esc"][:, None]) ** np.floor(years_on / 12)
            rent = (x["c_gpus"] * x["c_hour"] * x["c_util"])[:, None] * (1 + x["c_gg"][:, None]) ** (years_on / 12) * 24 * days
            pre = np.where(months == start, x["c_prepay"][:, None], 0)
            earned = np.where((months >= cod) & (months < cod + x["c_term"][:, None]),
                              x["c_prepay"][:, None] / x["c_term"][:, None], 0)
            pays = gpu | ~x["c_pass"][:, None]
            power = np.where(earn & pays, mw * x["c_lf"][:, None] * pue_h * 24 * days * energy[x["conv_site"]], 0)
            hopex = np.where(earn, mw * x["c_hopex"][:, None], 0)
            rev = np.where(earn, np.where(gpu, rent, lease), 0) + pre - earned
            k = np.maximum(build, 1)
            cb = np.where((months >= start) & (months < start + k), mw * x["c_capex"][:, None] / k, 0)
            cg = np.where(gpu & (months == cod), x["c_gcapex"][:, None], 0)
            res = ((x["remove"] * x["ths"] * x["resale"]).sum(axis=1)[:, None] * onehot
                   + np.where(gpu & (months == cod + length), x["c_resid"][:, None] * x["c_gcapex"][:, None], 0))
            hosting_rev, hosting_cost = (member_c @ rev).sum(0), (member_c @ (power + hopex)).sum(0)
            capex_b, capex_g, received, resale = cb.sum(0), cg.sum(0), pre.sum(0), (member_c @ res).sum(0)
            hosting = hosting_rev - hosting_cost
        operating = mining_rev + credits - mining_cost + hosting
        dep = zero
        if x["tax"]:
            for amount, d in ((capex_b, x["tax"]["depreciation_months"]), (capex_g, x["tax"]["gpu_depreciation_months"])):
                c = np.cumsum(amount)
                dep = dep + (c - np.concatenate((np.zeros(min(d, n)), c[:n - d] if d < n else [])))[:n] / d
        income = operating + resale - dep
        rate = x["tax"]["rate_pct"] / 100
        tax = _tax(income, rate)
        m = min(12, n)
        tv = np.zeros(n)
        tv[-1] = (x["terminal"]["mining_ebitda_multiple"] * max(0, 12 / m * (mining_rev + credits - mining_cost)[-m:].sum())
                  + x["terminal"]["hosting_ebitda_multiple"] * max(0, 12 / m * (hosting - received)[-m:].sum()))
        cash = operating + resale + tv - capex_b - capex_g - tax
        equity = cash
        if plan:
            fin = x["fin"]
            draws = (capex_b + capex_g) * fin["loan_to_cost_pct"] / 100
            term = fin["term_months"]
            before = np.concatenate(([0.0], np.cumsum(draws)[:-1]))
            repay = (before - np.concatenate((np.zeros(min(term, n)), before[:n - term] if term < n else [])))[:n] / term
            balance = np.cumsum(draws - repay)
            interest = np.concatenate(([0.0], balance[:-1])) * fin["interest_rate_pct"] / 1200
            principal = repay.copy()
            principal[-1] += balance[-1]
            equity = cash + draws - interest - principal + tax - _tax(income - interest, rate)
        out.append((cash, equity))
    discount = finance.discount_factors(x["rate"], n)
    equity_discount = finance.discount_factors(x["fin"]["equity_discount_rate_pct"], n)
    (base, _), (plan_cash, plan_equity) = out
    finance.irr_pct(plan_cash - base)
    finance.irr_pct(plan_equity - base)
    finance.payback_month(plan_cash - base)
    return float(base @ discount), float(plan_cash @ discount), float(plan_equity @ equity_discount)


def run() -> list[dict]:
    scenario = portfolio_v2(20, 120)
    inputs = kernel_inputs_v2(scenario)
    result = evaluate(scenario)
    base, plan, equity = bare_kernel_v2(inputs)
    for ours, theirs in ((base, result["baseline"]["npv_usd"]), (plan, result["plan"]["npv_usd"]),
                         (equity, result["plan"]["equity_npv_usd"])):
        assert abs(ours - theirs) <= 1e-6 * abs(theirs), f"kernel and engine disagree: {ours} != {theirs}"
    engine_ms = timed(lambda: evaluate(scenario), repeat=40, warmup=3)
    kernel_ms = timed(lambda: bare_kernel_v2(inputs), repeat=40, warmup=3)
    small = portfolio_v2(3, 120)
    mc_ms = timed(lambda: simulate(small, n_paths=10_000, seed=1), repeat=5, warmup=1)
    tracemalloc.start()
    simulate(small, n_paths=10_000, seed=1)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    ratio = statistics.median(engine_ms) / statistics.median(kernel_ms)
    return [
        row("evaluate v2 (every feature), 20 sites x 120 mo", engine_ms, 5.0),
        row("bare numpy kernel v2, same arithmetic", kernel_ms, None),
        {"name": "evaluate v2 / bare kernel v2 (medians)", "value": ratio, "unit": "x", "budget": 3.0},
        row("Monte Carlo v2 10,000 paths + schedule risk", mc_ms, 1000.0),
        {"name": "Monte Carlo v2 peak memory (tracemalloc)", "value": peak_mb, "unit": "MB", "budget": 500.0},
    ]


def main() -> int:
    for r in run():
        budget = "" if r["budget"] is None else f"{r['budget']:g}"
        print(f"{r['name']:<52} {r['value']:>10.3f} {r['unit']:<4} {budget:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
