"""Properties of ECONOMICS.md version 2 (hypothesis): each new part at its neutral value equals
leaving it out, and the sequential rules (loss pool, debt tranches) equal their definitions."""
from __future__ import annotations

import copy
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from desktop.model import finance
from desktop.model.engine import evaluate, evaluate_detail
from desktop.model.scenario import validate_scenario
from tests.test_engine_properties import scenarios

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def same_result(a: dict, b: dict, rel: float = 1e-9) -> bool:
    """Every number of two results within `rel` (or 1e-6 absolute), `format` aside."""
    def walk(x, y):
        if isinstance(x, dict):
            return x.keys() == y.keys() and all(walk(x[k], y[k]) for k in x if k != "format")
        if isinstance(x, list):
            return len(x) == len(y) and all(walk(p, q) for p, q in zip(x, y))
        if isinstance(x, (int, float)) and not isinstance(x, bool) and isinstance(y, (int, float)):
            return math.isclose(x, y, rel_tol=rel, abs_tol=1e-6)
        return x == y
    return walk(a, b)


def v2(scenario: dict) -> dict:
    out = copy.deepcopy(scenario)
    out["format"] = "rackshift.scenario/2"
    return out


@st.composite
def v2_scenarios(draw):
    """Version-2 scenarios with a plan: terms, renewals, prepayments, growth, credits, tax,
    terminal value and financing drawn at random; grids sized to fit."""
    s = v2(draw(scenarios()))
    horizon = s["horizon_months"]
    for site in s["sites"]:
        site["energy_price_growth_pct_per_year"] = draw(st.floats(-10, 15))
        site["curtailment_pct"] = draw(st.floats(0, 30))
        site["curtailment_credit_usd_per_mwh"] = draw(st.floats(0, 150))
        site["miners_yield_to_grid"] = draw(st.booleans())
    for conv in s["plan"]["conversions"]:
        if draw(st.booleans()):
            conv["term_months"] = draw(st.integers(1, 2 * horizon + 12))
            conv["renewals"] = draw(st.integers(0, 3))
            conv["prepayment_usd"] = draw(st.floats(0, 5e7))
            if conv["mode"] == "gpu_cloud":
                conv["gpu_residual_pct"] = draw(st.floats(0, 60))
        if conv["mode"] == "gpu_cloud":
            conv["gpu_hour_growth_pct_per_year"] = draw(st.floats(-30, 10))
    if draw(st.booleans()):
        s["tax"] = {"rate_pct": draw(st.floats(0, 40)), "depreciation_months": draw(st.integers(1, 240)),
                    "gpu_depreciation_months": draw(st.integers(1, 72))}
    if draw(st.booleans()):
        s["terminal"] = {"mining_ebitda_multiple": draw(st.floats(0, 6)),
                         "hosting_ebitda_multiple": draw(st.floats(0, 15))}
    if draw(st.booleans()):
        s["plan"]["financing"] = {"loan_to_cost_pct": draw(st.floats(0, 90)),
                                  "interest_rate_pct": draw(st.floats(0, 15)),
                                  "term_months": draw(st.integers(1, 120)),
                                  "amortization": draw(st.sampled_from(["straight_line", "bullet"]))}
    return s


@SETTINGS
@given(scenarios())
def test_a_v2_file_with_every_new_key_at_its_default_equals_v1(scenario):
    s = v2(scenario)
    for site in s["sites"]:
        site.update(energy_price_growth_pct_per_year=0, grid_schedule=[], miners_yield_to_grid=False,
                    curtailment_pct=0, curtailment_credit_usd_per_mwh=0)
    for conv in s["plan"]["conversions"]:
        conv.update(renewals=0, prepayment_usd=0)
        if conv["mode"] == "gpu_cloud":
            conv.update(gpu_hour_growth_pct_per_year=0, gpu_residual_pct=0)
    s["plan"]["financing"] = None
    s["tax"] = s["terminal"] = None
    v1 = evaluate(scenario)
    got = evaluate(s)
    assert same_result({k: v1[k] for k in ("market", "breakeven_energy_price_usd_per_mwh")},
                       {k: got[k] for k in ("market", "breakeven_energy_price_usd_per_mwh")}, rel=0)
    for case in ("baseline", "plan"):
        for key, value in v1[case].items():
            assert got[case][key] == value
    assert got["monthly"] == v1["monthly"]


@SETTINGS
@given(v2_scenarios())
def test_normalising_is_idempotent(scenario):
    once = validate_scenario(scenario)
    assert validate_scenario(once) == once


@SETTINGS
@given(v2_scenarios())
def test_a_term_longer_than_the_horizon_equals_no_term(scenario):
    for conv in scenario["plan"]["conversions"]:
        for key in ("term_months", "renewals", "renewal_term_months", "prepayment_usd", "gpu_residual_pct"):
            conv.pop(key, None)
    long = copy.deepcopy(scenario)
    for conv in long["plan"]["conversions"]:
        conv["term_months"] = scenario["horizon_months"] + 1
    assert same_result(evaluate(long), evaluate(scenario), rel=0)


@SETTINGS
@given(v2_scenarios())
def test_tax_at_zero_equals_no_tax(scenario):
    scenario["tax"] = None
    zero = copy.deepcopy(scenario)
    zero["tax"] = {"rate_pct": 0}
    assert same_result(evaluate(zero), evaluate(scenario), rel=0)


@SETTINGS
@given(v2_scenarios())
def test_no_borrowing_leaves_equity_cash_equal_to_net_cash(scenario):
    scenario["plan"]["financing"] = {"loan_to_cost_pct": 0, "interest_rate_pct": 9, "term_months": 24}
    detail = evaluate_detail(scenario)
    assert np.array_equal(detail.plan.equity_cash_usd, detail.plan.cash_usd)
    assert detail.result["plan"]["min_dscr"] is None
    assert detail.result["plan"]["debt_drawn_usd"] == 0


@SETTINGS
@given(v2_scenarios(), st.integers(1, 4))
def test_renewals_never_lower_hosting_revenue(scenario, more):
    before = evaluate_detail(scenario).plan.hosting_revenue_usd.sum()
    for conv in scenario["plan"]["conversions"]:
        if "term_months" in conv:
            conv["renewals"] = conv.get("renewals", 0) + more
    after = evaluate_detail(scenario).plan.hosting_revenue_usd.sum()
    assert after >= before - 1e-9 * abs(before) - 1e-6


@SETTINGS
@given(v2_scenarios())
def test_terminal_multiples_of_zero_equal_none(scenario):
    scenario["terminal"] = None
    zero = copy.deepcopy(scenario)
    zero["terminal"] = {"mining_ebitda_multiple": 0, "hosting_ebitda_multiple": 0}
    assert same_result(evaluate(zero), evaluate(scenario), rel=0)


@SETTINGS
@given(v2_scenarios())
def test_yield_with_an_ample_grid_equals_no_yield(scenario):
    for site in scenario["sites"]:
        site["miners_yield_to_grid"] = False
    ample = copy.deepcopy(scenario)
    for site in ample["sites"]:
        site["miners_yield_to_grid"] = True  # the generated grids fit every miner and every lease
    assert same_result(evaluate(ample), evaluate(scenario), rel=0)


@SETTINGS
@given(v2_scenarios(), st.floats(0, 1000))
def test_curtailment_at_zero_with_any_credit_equals_none(scenario, credit):
    for site in scenario["sites"]:
        site["curtailment_pct"], site["curtailment_credit_usd_per_mwh"] = 0, 0
    credited = copy.deepcopy(scenario)
    for site in credited["sites"]:
        site["curtailment_credit_usd_per_mwh"] = credit
    assert same_result(evaluate(credited), evaluate(scenario), rel=0)


def sequential_tax(income, rate):
    """ECONOMICS.md's rule, month by month."""
    pool, out = 0.0, []
    for i in income:
        if i <= 0:
            pool -= i
            out.append(0.0)
        else:
            used = min(pool, i)
            pool -= used
            out.append(rate * (i - used))
    return np.array(out)


@settings(max_examples=300, deadline=None)
@given(hnp.arrays(float, st.integers(1, 120), elements=st.floats(-1e7, 1e7)), st.floats(0, 1))
def test_loss_carry_forward_equals_the_sequential_rule(income, rate):
    got = finance.income_tax(income, rate)
    want = sequential_tax(income, rate)
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9 * max(1.0, float(np.abs(income).sum())))
    assert np.all(got >= -1e-9)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(float, st.integers(1, 60), elements=st.floats(0, 1e7)), st.integers(1, 80),
       st.sampled_from(["straight_line", "bullet"]), st.floats(0, 100), st.floats(0, 20))
def test_debt_tranches_follow_their_definition(capex, term, amortization, ltc, rate):
    debt = finance.debt_schedule(capex, {"loan_to_cost_pct": ltc, "interest_rate_pct": rate, "term_months": term,
                                         "amortization": amortization})
    n = len(capex)
    owed = np.zeros(n)  # tranche by tranche, as ECONOMICS.md words it
    for j, amount in enumerate(capex * ltc / 100):
        for m in range(j, n):
            k = m - j  # instalments made by the end of month m
            if amortization == "straight_line":
                owed[m] += amount * max(term - k, 0) / term
            elif k < term:
                owed[m] += amount
    assert np.allclose(debt.balance_usd, owed, rtol=1e-9, atol=1e-6)
    assert math.isclose(debt.principal_usd.sum(), debt.drawn_usd.sum(), rel_tol=1e-9, abs_tol=1e-6)
    interest = np.concatenate(([0.0], owed[:-1])) * rate / 1200
    assert np.allclose(debt.interest_usd, interest, rtol=1e-9, atol=1e-6)
