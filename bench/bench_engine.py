"""Benchmark of the economic engine against DESIGN.md's budgets (not a test).

    python bench/bench_engine.py        prints a table
    run() -> [{name, value, unit, budget}]   for `make bench` to collect

Measured: `evaluate` on a generated 20-site, 120-month portfolio with a plan (validation,
arrays, result dict, IRR and payback included); a bare numpy kernel doing the same arithmetic
on prepared arrays (no validation, no dicts), and the ratio of the two; Monte Carlo with 10,000
paths on a 3-site, 120-month portfolio (time, and peak traced memory via tracemalloc).
Times are medians of repeated runs (`bench.stats`), as `make bench` reports them.
"""
from __future__ import annotations

import pathlib
import statistics
import sys
import tracemalloc

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bench.stats import row, timed  # noqa: E402
from desktop.model import bitcoin, finance  # noqa: E402
from desktop.model.engine import evaluate  # noqa: E402
from desktop.model.montecarlo import simulate  # noqa: E402

MODELS = [("Antminer S19 XP", 140, 3010, 2.0), ("Antminer S21", 200, 3500, 3.0), ("Antminer S21 XP", 270, 3645, 5.0)]


def portfolio(n_sites: int = 20, n_months: int = 120) -> dict:
    """A scenario with n_sites sites of three models each; every site converts a share of its
    miners, alternating colocation leases and GPU clouds."""
    sites, conversions = [], []
    for s in range(n_sites):
        name = f"Site {s + 1:02d}"
        fleet = [{"model": m, "count": 4000 + 500 * ((s + k) % 3), "hashrate_ths": ths, "power_w": w,
                  "uptime_pct": 95 + k, "resale_usd_per_ths": r} for k, (m, ths, w, r) in enumerate(MODELS)]
        sites.append({"name": name, "grid_capacity_mw": 60, "energy_price_usd_per_mwh": 35 + s % 10,
                      "pue_mining": 1.05, "pue_hosting": 1.3, "pool_fee_pct": 2,
                      "mining_opex_usd_per_mw_month": 3500, "fleet": fleet})
        conv = {"site": name, "start_month": (3 * s) % (n_months // 2), "remove_asics": {MODELS[0][0]: 3000},
                "critical_it_mw": 8, "build_months": 6 + s % 7, "capex_usd_per_mw": 9_000_000,
                "hosting_opex_usd_per_mw_month": 10_000}
        if s % 2:
            conv.update(mode="gpu_cloud", gpu_count=4000, gpu_hour_usd=2.2, utilization_pct=70,
                        gpu_capex_usd=120_000_000, load_factor_pct=80)
        else:
            conv.update(mode="colocation", lease_usd_per_kw_month=150, lease_escalator_pct_per_year=3)
        conversions.append(conv)
    return {"format": "rackshift.scenario/1", "name": f"{n_sites} sites", "start_month": "2026-04",
            "horizon_months": n_months, "discount_rate_pct": 12,
            "market": {"btc_price_usd": 90000, "btc_price_growth_pct_per_year": 10, "network_hashrate_ehs": 1150,
                       "network_hashrate_growth_pct_per_year": 20, "fees_btc_per_block": 0.03,
                       "block_height_at_start": 942000},
            "sites": sites, "plan": {"name": "convert", "conversions": conversions}}


def kernel_inputs(scenario: dict) -> dict:
    """The arrays a bare kernel starts from: per fleet entry, per conversion, per site."""
    sites, convs = scenario["sites"], scenario["plan"]["conversions"]
    entries = [(s, e) for s, site in enumerate(sites) for e in site["fleet"]]
    site_of = {site["name"]: s for s, site in enumerate(sites)}
    index = {(s, e["model"]): k for k, (s, e) in enumerate(entries)}
    remove = np.zeros((len(convs), len(entries)))
    for c, conv in enumerate(convs):
        for model, n in conv["remove_asics"].items():
            remove[c, index[(site_of[conv["site"]], model)]] = n
    col = lambda rows, key, d=0.0: np.array([float(r.get(key, d)) for r in rows])  # noqa: E731
    fleet = [e for _, e in entries]
    return {
        "mk": scenario["market"], "start": scenario["start_month"], "n": scenario["horizon_months"],
        "rate": scenario["discount_rate_pct"], "fleet_site": np.array([s for s, _ in entries]),
        "count": col(fleet, "count"), "ths": col(fleet, "hashrate_ths"), "w": col(fleet, "power_w"),
        "up": col(fleet, "uptime_pct", 100) / 100, "resale": col(fleet, "resale_usd_per_ths"),
        "fee": col(sites, "pool_fee_pct", 2) / 100, "pue_m": col(sites, "pue_mining", 1.05),
        "pue_h": col(sites, "pue_hosting", 1.3), "price": col(sites, "energy_price_usd_per_mwh"),
        "opex": col(sites, "mining_opex_usd_per_mw_month"), "remove": remove,
        "conv_site": np.array([site_of[c["site"]] for c in convs]),
        "c_start": col(convs, "start_month"), "c_build": col(convs, "build_months"),
        "c_mw": col(convs, "critical_it_mw"), "c_capex": col(convs, "capex_usd_per_mw"),
        "c_hopex": col(convs, "hosting_opex_usd_per_mw_month"), "c_lf": col(convs, "load_factor_pct", 100) / 100,
        "c_lease": col(convs, "lease_usd_per_kw_month"), "c_esc": col(convs, "lease_escalator_pct_per_year") / 100,
        "c_gpu": np.array([c["mode"] == "gpu_cloud" for c in convs]), "c_gpus": col(convs, "gpu_count"),
        "c_hour": col(convs, "gpu_hour_usd"), "c_util": col(convs, "utilization_pct", 100) / 100,
        "c_gcapex": col(convs, "gpu_capex_usd"), "c_pass": np.array([c.get("power_pass_through", True) for c in convs]),
    }


def bare_kernel(x: dict) -> tuple[float, float, float | None, int | None]:
    """The engine's arithmetic in straight numpy: market, both cases, NPVs, IRR, payback."""
    mk, n = x["mk"], x["n"]
    _, days = bitcoin.calendar(x["start"], n)
    blocks = mk.get("blocks_per_day", 144) * days
    heights = mk["block_height_at_start"] + np.concatenate(([0.0], np.cumsum(blocks)[:-1]))
    reward = bitcoin.subsidy_integral_btc(heights, blocks) + mk["fees_btc_per_block"] * blocks
    t = np.arange(n) / 12
    per_ths = reward / (mk["network_hashrate_ehs"] * (1 + mk["network_hashrate_growth_pct_per_year"] / 100) ** t * 1e6)
    btc_price = mk["btc_price_usd"] * (1 + mk["btc_price_growth_pct_per_year"] / 100) ** t
    months = np.arange(n)[None, :]
    member_k = (np.arange(len(x["fee"]))[:, None] == x["fleet_site"][None, :]).astype(float)
    member_c = (np.arange(len(x["fee"]))[:, None] == x["conv_site"][None, :]).astype(float)
    start, build = x["c_start"][:, None], x["c_build"][:, None]
    cod = np.minimum(start + build, n)
    onehot = (months == start).astype(float)
    cashes = []
    for removed in (np.zeros((len(x["count"]), n)), np.cumsum(x["remove"].T @ onehot, axis=1)):
        active = x["count"][:, None] - removed
        th = member_k @ (active * (x["ths"] * x["up"])[:, None])
        pu = member_k @ (active * (x["w"] * x["up"])[:, None])
        pw = member_k @ (active * x["w"][:, None]) / 1e6
        mining = th * per_ths * (1 - x["fee"])[:, None] * btc_price
        cost = pu * x["pue_m"][:, None] * 24 * days / 1e6 * x["price"][:, None] + pw * x["opex"][:, None]
        cash = (mining - cost).sum(axis=0)
        if removed.any():
            op = months >= cod
            mw = x["c_mw"][:, None]
            lease = mw * 1000 * x["c_lease"][:, None] * (1 + x["c_esc"][:, None]) ** np.floor((months - cod) / 12)
            rent = (x["c_gpus"] * x["c_hour"] * x["c_util"])[:, None] * 24 * days
            gpu = x["c_gpu"][:, None]
            pays = gpu | ~x["c_pass"][:, None]
            power = mw * x["c_lf"][:, None] * x["pue_h"][x["conv_site"]][:, None] * 24 * days * x["price"][x["conv_site"]][:, None]
            k = np.maximum(build, 1)
            flows = (np.where(op, np.where(gpu, rent, lease), 0) - np.where(op & pays, power, 0)
                     - np.where(op, mw * x["c_hopex"][:, None], 0)
                     - np.where((months >= start) & (months < start + k), mw * x["c_capex"][:, None] / k, 0)
                     - np.where(gpu & (months == cod), x["c_gcapex"][:, None], 0))
            resale = (x["remove"] * x["ths"] * x["resale"]).sum(axis=1)[:, None] * onehot
            cash = cash + (member_c @ (flows + resale)).sum(axis=0)
        cashes.append(cash)
    discount = finance.discount_factors(x["rate"], n)
    delta = cashes[1] - cashes[0]
    return float(cashes[0] @ discount), float(cashes[1] @ discount), finance.irr_pct(delta), finance.payback_month(delta)


def run() -> list[dict]:
    """Rows for `make bench`: medians of repeated runs (with min and max) against the budgets."""
    scenario = portfolio(20, 120)
    inputs = kernel_inputs(scenario)
    result = evaluate(scenario)
    base, plan, irr, payback = bare_kernel(inputs)
    for ours, theirs in ((base, result["baseline"]["npv_usd"]), (plan, result["plan"]["npv_usd"])):
        assert abs(ours - theirs) <= 1e-6 * abs(theirs), "kernel and engine disagree"
    assert (irr, payback) == (result["delta"]["irr_pct"], result["delta"]["payback_month"])
    engine_ms = timed(lambda: evaluate(scenario), repeat=40, warmup=3)
    kernel_ms = timed(lambda: bare_kernel(inputs), repeat=40, warmup=3)
    small = portfolio(3, 120)
    mc_ms = timed(lambda: simulate(small, n_paths=10_000, seed=1), repeat=5, warmup=1)
    tracemalloc.start()
    simulate(small, n_paths=10_000, seed=1)
    peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    ratio = statistics.median(engine_ms) / statistics.median(kernel_ms)
    return [
        row("evaluate, 20 sites x 120 months", engine_ms, 5.0),
        row("bare numpy kernel, same arithmetic", kernel_ms, None),
        {"name": "evaluate / bare kernel (medians)", "value": ratio, "unit": "x", "budget": 3.0},
        row("Monte Carlo 10,000 paths, 3 sites x 120 mo", mc_ms, 1000.0),
        {"name": "Monte Carlo peak memory (tracemalloc)", "value": peak_mb, "unit": "MB", "budget": 500.0},
    ]


def main() -> int:
    rows = run()
    print(f"{'benchmark (median)':<50} {'value':>10} {'unit':<4} {'budget':>8}  ok")
    failed = 0
    for row in rows:
        ok = row["budget"] is None or row["value"] <= row["budget"]
        failed += not ok
        budget = "" if row["budget"] is None else f"{row['budget']:g}"
        print(f"{row['name']:<50} {row['value']:>10.3f} {row['unit']:<4} {budget:>8}  {'yes' if ok else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
