"""Properties of the engine that hold for any valid scenario (hypothesis)."""
from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.model import bitcoin, finance
from desktop.model.engine import evaluate, evaluate_detail

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODELS = ["S19", "S21", "M60S"]


@st.composite
def scenarios(draw, plan=True):
    """Valid scenarios: 1-3 sites, 0-3 models each (even counts and removals, so entries can be
    split in halves), 0-4 conversions, grid sized to fit."""
    horizon = draw(st.integers(1, 60))
    sites = []
    for s in range(draw(st.integers(1, 3))):
        fleet = [{"model": m, "count": 2 * draw(st.integers(0, 3000)),
                  "hashrate_ths": draw(st.floats(50, 500)), "power_w": draw(st.floats(1000, 6000)),
                  "uptime_pct": draw(st.floats(0, 100)), "resale_usd_per_ths": draw(st.floats(0, 10))}
                 for m in MODELS[:draw(st.integers(0, 3))]]
        sites.append({"name": f"Site {s}", "grid_capacity_mw": 1.0, "energy_price_usd_per_mwh": draw(st.floats(0, 120)),
                      "pue_mining": draw(st.floats(1, 1.2)), "pue_hosting": draw(st.floats(1, 1.5)),
                      "pool_fee_pct": draw(st.floats(0, 5)), "mining_opex_usd_per_mw_month": draw(st.floats(0, 6000)),
                      "fleet": fleet})
    conversions = []
    left = {(s["name"], e["model"]): e["count"] for s in sites for e in s["fleet"]}
    for _ in range(draw(st.integers(0, 4)) if plan else 0):
        site = draw(st.sampled_from(sites))
        remove = {}
        for e in site["fleet"]:
            n = 2 * draw(st.integers(0, left[(site["name"], e["model"])] // 2))
            if n:
                remove[e["model"]] = n
                left[(site["name"], e["model"])] -= n
        conv = {"site": site["name"], "start_month": draw(st.integers(0, horizon - 1)), "remove_asics": remove,
                "critical_it_mw": draw(st.floats(0.5, 20)), "build_months": draw(st.integers(0, 18)),
                "capex_usd_per_mw": draw(st.floats(0, 1.2e7)), "hosting_opex_usd_per_mw_month": draw(st.floats(0, 3e4)),
                "load_factor_pct": draw(st.floats(0, 100))}
        if draw(st.booleans()):
            conv.update(mode="colocation", lease_usd_per_kw_month=draw(st.floats(0, 200)),
                        lease_escalator_pct_per_year=draw(st.floats(-5, 5)), power_pass_through=draw(st.booleans()))
        else:
            conv.update(mode="gpu_cloud", gpu_count=draw(st.integers(0, 10000)), gpu_hour_usd=draw(st.floats(0, 5)),
                        utilization_pct=draw(st.floats(0, 100)), gpu_capex_usd=draw(st.floats(0, 3e8)))
        conversions.append(conv)
    for site in sites:
        mining = sum(e["count"] * e["power_w"] for e in site["fleet"]) / 1e6 * site["pue_mining"]
        hosting = sum(c["critical_it_mw"] for c in conversions if c["site"] == site["name"]) * site["pue_hosting"]
        site["grid_capacity_mw"] = (mining + hosting) * 1.01 + 1.0
    scenario = {
        "format": "rackshift.scenario/1", "name": "generated", "start_month": draw(st.sampled_from(
            ["2024-02", "2026-01", "2027-11", "2028-04"])),
        "horizon_months": horizon, "discount_rate_pct": draw(st.floats(-50, 40)),
        "market": {"btc_price_usd": draw(st.floats(1000, 300000)),
                   "btc_price_growth_pct_per_year": draw(st.floats(-50, 80)),
                   "network_hashrate_ehs": draw(st.floats(100, 3000)),
                   "network_hashrate_growth_pct_per_year": draw(st.floats(-30, 80)),
                   "fees_btc_per_block": draw(st.floats(0, 0.5)),
                   "block_height_at_start": draw(st.integers(800000, 1300000))},
        "sites": sites,
    }
    if plan:
        scenario["plan"] = {"name": "generated plan", "conversions": conversions}
    return scenario


def close(a, b, rel=1e-9, abs_=1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


@SETTINGS
@given(scenarios(), st.floats(1.0, 10.0))
def test_more_btc_price_never_lowers_mining_revenue(scenario, factor):
    low = evaluate(scenario)
    scenario["market"]["btc_price_usd"] *= factor
    high = evaluate(scenario)
    for case in ("baseline", "plan"):
        assert high[case]["mining_revenue_usd"] >= low[case]["mining_revenue_usd"] * (1 - 1e-12)


@SETTINGS
@given(scenarios(), st.floats(1.0, 10.0))
def test_more_network_hashrate_never_raises_btc_mined(scenario, factor):
    low = evaluate_detail(scenario)
    scenario["market"]["network_hashrate_ehs"] *= factor
    high = evaluate_detail(scenario)
    for a, b in ((low.baseline, high.baseline), (low.plan, high.plan)):
        assert np.all(b.btc_mined <= a.btc_mined * (1 + 1e-12))


@SETTINGS
@given(scenarios(plan=False))
def test_a_plan_with_no_conversions_equals_the_baseline(scenario):
    scenario["plan"] = {"name": "nothing", "conversions": []}
    result = evaluate(scenario)
    baseline = {k: v for k, v in result["baseline"].items() if k != "cost_per_btc_usd"}
    assert result["plan"] == baseline
    assert result["delta"] == {"npv_usd": 0.0, "irr_pct": None, "payback_month": 0,
                               "equity_npv_usd": 0.0, "equity_irr_pct": None}
    assert all(m["plan_net_cash_usd"] == m["baseline_net_cash_usd"] for m in result["monthly"])


def _split(scenario: dict) -> dict | None:
    """The first fleet entry split in two identical halves, with its removals split too."""
    out = copy.deepcopy(scenario)
    for site in out["sites"]:
        if site["fleet"]:
            entry = site["fleet"].pop(0)
            a, b = dict(entry, model="half A"), dict(entry, model="half B")
            a["count"] = b["count"] = entry["count"] // 2
            site["fleet"] += [a, b]
            for conv in out["plan"]["conversions"]:
                n = conv["remove_asics"].pop(entry["model"], 0) if conv["site"] == site["name"] else 0
                if n:
                    conv["remove_asics"].update({"half A": n // 2, "half B": n // 2})
            return out
    return None


@SETTINGS
@given(scenarios())
def test_splitting_a_fleet_entry_in_halves_changes_nothing(scenario):
    split = _split(scenario)
    if split is None:
        return
    whole, halves = evaluate(scenario), evaluate(split)
    for case in ("baseline", "plan"):
        for key, value in whole[case].items():
            if value is not None:
                assert close(value, halves[case][key], abs_=1e-6 * (1 + abs(whole[case]["mining_revenue_usd"]))), key
    assert close(whole["delta"]["npv_usd"], halves["delta"]["npv_usd"], abs_=1e-3)
    for m1, m2 in zip(whole["monthly"], halves["monthly"]):
        assert close(m1["baseline_net_cash_usd"], m2["baseline_net_cash_usd"], abs_=1e-4)
        assert close(m1["plan_net_cash_usd"], m2["plan_net_cash_usd"], abs_=1e-4)


@SETTINGS
@given(st.integers(1, 5), st.integers(0, 4464), st.floats(0, 0.5))
def test_a_halving_inside_a_month_is_prorated_by_block_height(halving, offset, fees):
    """January has 31 x 144 = 4464 blocks; the halving falls `offset` blocks into the month."""
    scenario = {"format": "rackshift.scenario/1", "name": "h", "start_month": "2026-01", "horizon_months": 2,
                "market": {"btc_price_usd": 1e5, "network_hashrate_ehs": 1000, "fees_btc_per_block": fees,
                           "block_height_at_start": 210000 * halving - offset},
                "sites": [{"name": "s", "grid_capacity_mw": 10, "energy_price_usd_per_mwh": 40,
                           "fleet": [{"model": "m", "count": 100, "hashrate_ths": 200, "power_w": 3500}]}]}
    before = 50.0 / 2 ** (halving - 1)
    reward = evaluate_detail(scenario).market.reward_btc[0]
    assert close(reward, offset * before + (4464 - offset) * before / 2 + fees * 4464, rel=1e-12)
    # one block later, the month pays exactly one block's difference of subsidy: continuous
    if offset:
        scenario["market"]["block_height_at_start"] += 1
        later = evaluate_detail(scenario).market.reward_btc[0]
        assert close(reward - later, before / 2, rel=1e-6)


@SETTINGS
@given(st.floats(0, 5e6), st.floats(0, 1e5), st.floats(0, 1e5))
def test_subsidy_integral_is_additive(height, a, b):
    whole = bitcoin.subsidy_integral_btc(height, a + b)
    parts = bitcoin.subsidy_integral_btc(height, a) + bitcoin.subsidy_integral_btc(height + a, b)
    assert close(float(whole), float(parts), rel=1e-9, abs_=1e-6)


@SETTINGS
@given(scenarios())
def test_npv_at_zero_rate_is_the_total_net_cash(scenario):
    scenario["discount_rate_pct"] = 0
    result = evaluate(scenario)
    for case in ("baseline", "plan"):
        assert close(result[case]["npv_usd"], result[case]["net_cash_usd"], abs_=1e-6 * (1 + abs(result[case]["mining_revenue_usd"])))


@SETTINGS
@given(scenarios())
def test_irr_zeroes_the_delta_npv_and_payback_follows_the_cumulative_delta(scenario):
    detail = evaluate_detail(scenario)
    delta, result = detail.delta_cash_usd, detail.result["delta"]
    if result["irr_pct"] is not None:
        roots = finance.irr_roots_monthly(delta)
        monthly = roots[np.argmin(np.abs(roots))]
        assert close(result["irr_pct"], ((1 + monthly) ** 12 - 1) * 100, rel=1e-12)
        # the NPV changes sign across the root (or vanishes at it)
        sides = np.sign(finance._scaled_npv(delta, np.array([monthly - 1e-9, monthly + 1e-9])))
        assert sides[0] * sides[1] <= 0
    cumulative = np.cumsum(delta)
    payback = result["payback_month"]
    if payback is None:
        assert cumulative.min() < -0.01 and cumulative[np.argmax(cumulative < -0.01):].max() < -0.01
    elif payback == 0:
        assert cumulative.min() >= -0.01 or cumulative[0] >= -0.01
    else:
        assert cumulative[payback] >= -0.01 and cumulative[:payback].min() < -0.01


def test_irr_scan_finds_the_root_nearest_zero():
    # roots at i = 10 % and 20 % a month: (1 + i) ** -1 = y, -1 + 2.3 y ... built from (x - 1.1)(x - 1.2)
    cash = np.array([1.0, -2.3, 1.32])  # NPV * x**3 = x**2 - 2.3 x + 1.32 = (x - 1.1)(x - 1.2)
    roots = finance.irr_roots_monthly(cash)
    assert np.allclose(roots, [0.1, 0.2], atol=1e-11)
    assert close(finance.irr_pct(cash), (1.1 ** 12 - 1) * 100, rel=1e-9)


def test_irr_null_rules():
    assert finance.irr_pct(np.array([0.0, 0.005, -0.005])) is None
    assert finance.irr_pct(np.array([-100.0, -1.0])) is None
    assert finance.irr_pct(np.array([-100.0, 2.0])) is not None  # 1 + i = 0.02: inside (-0.99, 10)
    assert finance.irr_pct(np.array([-100.0, 1.0])) is None  # 1 + i = 0.01: the open end of the range


def test_payback_rules():
    assert finance.payback_month([5.0, -1.0, 1.0]) == 0
    assert finance.payback_month([-5.0, 2.0, 2.0, 1.0]) == 3
    assert finance.payback_month([-5.0, 2.0, 2.0, 0.995]) == 3  # within a cent of zero counts as zero
    assert finance.payback_month([-5.0, 2.0, 2.0, 0.98]) is None
    assert finance.payback_month([-0.005, 0.0]) == 0  # never below -$0.01
