"""Tornado and break-evens."""
from __future__ import annotations

import copy
import json
import math
import pathlib

import pytest

from desktop.model import evaluate
from desktop.model.sensitivity import LABELS, breakeven_btc_price, breakeven_lease_rate, breakevens, tornado

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


def load(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def names(bars):
    return {bar["name"] for bar in bars}


def test_inputs_follow_the_plan_modes():
    common = {"btc_price", "btc_price_growth", "network_hashrate_growth", "energy_price", "capex_per_mw", "build_months"}
    assert names(tornado(load("g3-colocation"))) == common | {"lease_rate"}
    gpu = {"gpu_hour_price", "utilization", "gpu_hour_growth"}
    assert names(tornado(load("g4-gpu-cloud"))) == common | gpu
    assert names(tornado(load("g5-staged-two-sites"))) == common | gpu | {"lease_rate"}
    v2 = {"term", "tax_rate", "mining_multiple", "hosting_multiple", "interest_rate", "loan_to_cost"}
    assert names(tornado(load("g6-lease-renewals-bullet"))) == common | {"lease_rate"} | v2
    assert {"curtailment_share", "curtailment_credit"} <= names(tornado(load("g9-curtailment-credits")))
    assert tornado(load("g1-single-site")) == []


def test_bars_sorted_by_swing_and_consistent():
    scenario = load("g3-colocation")
    bars = tornado(scenario)
    base = evaluate(scenario)["delta"]["npv_usd"]
    assert [b["swing"] for b in bars] == sorted((b["swing"] for b in bars), reverse=True)
    for bar in bars:
        assert set(bar) >= {"name", "label", "low_value_desc", "delta_npv_low", "delta_npv_high", "swing"}
        assert bar["swing"] == abs(bar["delta_npv_high"] - bar["delta_npv_low"])
        assert math.isclose(bar["base_delta_npv_usd"], base, rel_tol=1e-12)
        assert bar["label"] == LABELS[bar["name"]]


def test_each_end_is_the_engine_on_the_moved_scenario():
    scenario = load("g3-colocation")
    bars = {b["name"]: b for b in tornado(scenario, fraction=0.1, build_months_step=2, growth_step_pct=5)}
    low = copy.deepcopy(scenario)
    low["market"]["btc_price_usd"] *= 0.9
    assert math.isclose(bars["btc_price"]["delta_npv_low"], evaluate(low)["delta"]["npv_usd"], rel_tol=1e-12)
    assert bars["btc_price"]["low_value_desc"] == "$76,500"
    high = copy.deepcopy(scenario)
    high["plan"]["conversions"][0]["build_months"] += 2
    assert math.isclose(bars["build_months"]["delta_npv_high"], evaluate(high)["delta"]["npv_usd"], rel_tol=1e-12)
    growth = copy.deepcopy(scenario)
    growth["market"]["network_hashrate_growth_pct_per_year"] -= 5
    assert math.isclose(bars["network_hashrate_growth"]["delta_npv_low"], evaluate(growth)["delta"]["npv_usd"],
                        rel_tol=1e-12)
    assert bars["network_hashrate_growth"]["low_value_desc"] == "+10%/yr"
    # more lease, more value; more capex, less
    assert bars["lease_rate"]["delta_npv_high"] > bars["lease_rate"]["delta_npv_low"]
    assert bars["capex_per_mw"]["delta_npv_high"] < bars["capex_per_mw"]["delta_npv_low"]


def test_a_zero_move_has_no_swing():
    bars = tornado(load("g4-gpu-cloud"), fraction=0.0, build_months_step=0, growth_step_pct=0.0)
    assert all(b["swing"] == 0.0 for b in bars)


def test_values_stay_inside_the_contract():
    scenario = load("g4-gpu-cloud")  # utilization 70 %: +50 % would be 105 %, clipped to 100 %
    scenario["plan"]["conversions"][0]["build_months"] = 1
    scenario["market"]["btc_price_growth_pct_per_year"] = -95
    bars = {b["name"]: b for b in tornado(scenario, fraction=0.5, build_months_step=3, growth_step_pct=10)}
    full = copy.deepcopy(scenario)
    full["plan"]["conversions"][0]["utilization_pct"] = 100
    assert math.isclose(bars["utilization"]["delta_npv_high"], evaluate(full)["delta"]["npv_usd"], rel_tol=1e-12)
    assert bars["btc_price_growth"]["low_value_desc"] == "-99%/yr"


def test_tornado_does_not_change_its_input():
    scenario = load("g5-staged-two-sites")
    before = copy.deepcopy(scenario)
    tornado(scenario)
    breakevens(scenario)
    assert scenario == before


def test_breakeven_btc_price_makes_the_plan_worth_the_baseline():
    scenario = load("g3-colocation")
    price = breakeven_btc_price(scenario)
    assert price is not None and 85000 < price < 8.5e6
    scenario["market"]["btc_price_usd"] = price
    result = evaluate(scenario)
    assert abs(result["delta"]["npv_usd"]) <= 1e-6 * abs(result["plan"]["npv_usd"])


def test_no_btc_breakeven_without_a_plan_or_a_root():
    assert breakeven_btc_price(load("g1-single-site")) is None
    assert breakeven_btc_price(load("g4-gpu-cloud")) is None  # the plan is behind even with BTC at $0


def test_breakevens():
    result = breakevens(load("g3-colocation"))
    assert result["crossover_month"] == 71 and result["crossover_month_label"] == "2032-03"
    assert result["energy_price_usd_per_mwh"] == pytest.approx({("Riverbend", "Antminer S21"): 74.62260869565218})
    assert breakevens(load("g5-staged-two-sites"))["crossover_month"] is None
    single = breakevens(load("g1-single-site"))
    assert single["crossover_month"] is None and single["btc_price_usd"] is None


def test_crossover_needs_the_plan_to_have_been_behind():
    scenario = load("g3-colocation")
    scenario["plan"]["conversions"][0].update(capex_usd_per_mw=0, build_months=0, remove_asics={})
    scenario["sites"][0]["grid_capacity_mw"] = 200
    assert evaluate(scenario)["delta"]["payback_month"] == 0
    assert breakevens(scenario)["crossover_month"] is None


def test_a_financed_plan_is_judged_by_its_equity():
    scenario = load("g6-lease-renewals-bullet")
    bars = {b["name"]: b for b in tornado(scenario)}
    assert {b["metric"] for b in bars.values()} == {"equity_delta_npv"}
    base = evaluate(scenario)["delta"]["equity_npv_usd"]
    assert math.isclose(bars["tax_rate"]["base_delta_npv_usd"], base, rel_tol=1e-9)
    dearer = copy.deepcopy(scenario)
    dearer["plan"]["financing"]["interest_rate_pct"] += 2
    assert math.isclose(bars["interest_rate"]["delta_npv_high"], evaluate(dearer)["delta"]["equity_npv_usd"],
                        rel_tol=1e-9)
    assert bars["interest_rate"]["delta_npv_high"] < bars["interest_rate"]["delta_npv_low"]
    assert bars["tax_rate"]["high_value_desc"] == "26%"
    assert bars["term"]["high_value_desc"] == "+12 months"
    unfinanced = copy.deepcopy(scenario)
    unfinanced["plan"]["financing"] = None
    assert {b["metric"] for b in tornado(unfinanced)} == {"delta_npv"}


@pytest.mark.parametrize("name", ["g6-lease-renewals-bullet", "g8-phased-grid-yield", "g3-colocation"])
def test_breakeven_lease_rate_makes_the_plan_worth_the_baseline(name):
    scenario = load(name)
    rate = breakeven_lease_rate(scenario)
    assert rate is not None and rate > 0
    leases = [c for c in scenario["plan"]["conversions"] if c["mode"] == "colocation"]
    mw = sum(c["critical_it_mw"] for c in leases)
    factor = rate / (sum(c["critical_it_mw"] * c["lease_usd_per_kw_month"] for c in leases) / mw)
    for c in leases:
        c["lease_usd_per_kw_month"] *= factor
    result = evaluate(scenario)
    assert abs(result["delta"]["npv_usd"]) <= 1e-6 * abs(result["plan"]["npv_usd"]) + 1.0


def test_breakeven_btc_price_with_tax_and_terminal_value():
    scenario = load("g6-lease-renewals-bullet")  # taxed, with terminal value: not affine in the price
    price = breakeven_btc_price(scenario)
    assert price is not None
    scenario["market"]["btc_price_usd"] = price
    result = evaluate(scenario)
    assert abs(result["delta"]["npv_usd"]) <= 1e-6 * abs(result["plan"]["npv_usd"]) + 1.0
    assert breakeven_lease_rate(load("g4-gpu-cloud")) is None  # no lease
