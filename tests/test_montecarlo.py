"""Monte Carlo risk: zero volatility is the engine; seeds, chunks, progress and cancel behave."""
from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

from desktop.model.engine import evaluate_detail
from desktop.model.errors import InputError
from desktop.model.montecarlo import PERCENTILES, Cancelled, simulate

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


def load(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


QUIET = {"btc_volatility_pct_per_year": 0.0, "hashrate_volatility_pct_per_year": 0.0,
         "energy_volatility_pct_per_year": 0.0, "gpu_price_volatility_pct_per_year": 0.0,
         "delay_probability_pct": 0.0}


@pytest.mark.parametrize("name", ["g3-colocation", "g4-gpu-cloud", "g5-staged-two-sites", "g6-lease-renewals-bullet",
                                  "g8-phased-grid-yield", "g9-curtailment-credits", "g10-gpu-prepaid-residual-debt"])
def test_zero_volatility_reproduces_evaluate(name):
    scenario = load(name)
    detail = evaluate_detail(scenario)
    result = simulate(scenario, n_paths=300, seed=3, chunk_paths=128, **QUIET)
    expected = detail.result
    assert np.allclose(result.baseline.npv_usd, expected["baseline"]["npv_usd"], rtol=1e-12, atol=0)
    assert np.allclose(result.plan.npv_usd, expected["plan"]["npv_usd"], rtol=1e-12, atol=0)
    assert np.allclose(result.delta.npv_usd, expected["delta"]["npv_usd"], rtol=1e-12, atol=1e-6)
    for dist, case in ((result.baseline, detail.baseline), (result.plan, detail.plan)):
        assert dist.cumulative_cash_percentiles_usd.shape == (len(PERCENTILES), len(detail.months))
        for row in dist.cumulative_cash_percentiles_usd:
            assert np.array_equal(row, case.cumulative_cash_usd)
    assert np.allclose(result.delta.cumulative_cash_percentiles_usd,
                       np.cumsum(detail.delta_cash_usd)[None, :], rtol=1e-12, atol=1e-4)
    assert result.prob_delta_npv_positive == float(expected["delta"]["npv_usd"] > 0)
    assert np.allclose(result.btc_price_percentiles_usd, detail.market.btc_price_usd[None, :], rtol=1e-15)


def test_shapes_and_percentile_order():
    scenario = load("g3-colocation")
    result = simulate(scenario, n_paths=2000, seed=11)
    assert result.months[0] == "2026-04" and len(result.months) == 120
    assert result.baseline.npv_usd.shape == result.plan.npv_usd.shape == result.delta.npv_usd.shape == (2000,)
    assert np.allclose(result.delta.npv_usd, result.plan.npv_usd - result.baseline.npv_usd, rtol=1e-9, atol=1e-3)
    for dist in (result.baseline, result.plan, result.delta):
        fan = dist.cumulative_cash_percentiles_usd
        assert fan.shape == (5, 120) and np.all(np.diff(fan, axis=0) >= -1e-6)
    assert 0.0 <= result.prob_delta_npv_positive <= 1.0
    assert result.delta.npv_percentile(5) <= result.delta.npv_percentile(95)
    price = result.btc_price_percentiles_usd
    assert np.all(np.diff(price[:, 1:], axis=0) > 0) and np.allclose(price[:, 0], 85000)


def test_without_a_plan_there_is_no_delta():
    result = simulate(load("g1-single-site"), n_paths=100, seed=1)
    assert result.plan is None and result.delta is None and result.prob_delta_npv_positive is None
    assert result.baseline.npv_usd.shape == (100,)


def test_same_seed_same_paths_whatever_the_chunk_size():
    scenario = load("g4-gpu-cloud")
    a = simulate(scenario, n_paths=1000, seed=42, chunk_paths=1000)
    b = simulate(scenario, n_paths=1000, seed=42, chunk_paths=37)
    c = simulate(scenario, n_paths=1000, seed=43)
    assert np.allclose(a.delta.npv_usd, b.delta.npv_usd, rtol=1e-12)
    assert not np.allclose(a.delta.npv_usd, c.delta.npv_usd)
    assert a.seed_entropy == 42
    d = simulate(scenario, n_paths=10, seed=None)
    again = simulate(scenario, n_paths=10, seed=d.seed_entropy)
    assert np.array_equal(d.delta.npv_usd, again.delta.npv_usd)


def test_price_follows_gbm_with_the_scenario_drift():
    """With the hashrate fixed, mining revenue scales with exp(X) whose mean is 1: the mean NPV is
    the deterministic NPV within Monte Carlo error."""
    scenario = load("g1-single-site")
    detail = evaluate_detail(scenario)
    result = simulate(scenario, n_paths=20000, seed=5, hashrate_elasticity=0.0, hashrate_volatility_pct_per_year=0.0,
                      energy_volatility_pct_per_year=0.0)
    npv = result.baseline.npv_usd
    assert abs(npv.mean() - detail.baseline.npv_usd) < 4 * npv.std() / np.sqrt(npv.size)
    assert npv.std() > 0


def test_hashrate_that_follows_price_fully_without_lag_cancels_the_price_risk():
    scenario = load("g3-colocation")
    result = simulate(scenario, n_paths=200, seed=2, hashrate_elasticity=1.0, hashrate_lag_months=0,
                      hashrate_volatility_pct_per_year=0.0, energy_volatility_pct_per_year=0.0)
    assert np.allclose(result.baseline.npv_usd, evaluate_detail(scenario).baseline.npv_usd, rtol=1e-12)


def test_progress_and_cancel():
    scenario = load("g3-colocation")
    calls = []
    simulate(scenario, n_paths=1000, seed=1, chunk_paths=300, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(300, 1000), (600, 1000), (900, 1000), (1000, 1000)]
    seen = []
    with pytest.raises(Cancelled):
        simulate(scenario, n_paths=1000, seed=1, chunk_paths=300,
                 progress=lambda done, total: seen.append(done), cancelled=lambda: len(seen) >= 2)
    assert seen == [300, 600]


@pytest.mark.parametrize("kwargs, field", [
    ({"n_paths": 0}, "montecarlo.n_paths"),
    ({"n_paths": 2.5}, "montecarlo.n_paths"),
    ({"btc_volatility_pct_per_year": -1}, "montecarlo.btc_volatility_pct_per_year"),
    ({"btc_volatility_pct_per_year": float("nan")}, "montecarlo.btc_volatility_pct_per_year"),
    ({"hashrate_lag_months": -1}, "montecarlo.hashrate_lag_months"),
    ({"chunk_paths": 0}, "montecarlo.chunk_paths"),
])
def test_bad_parameters(kwargs, field):
    with pytest.raises(InputError) as caught:
        simulate(load("g1-single-site"), **kwargs)
    assert caught.value.field == field


def test_the_fan_store_stays_bounded():
    scenario = load("g3-colocation")  # 120 months: 3 x 1,000,000 x 120 floats would be 2.9 GB
    with pytest.raises(InputError, match="too many paths"):
        simulate(scenario, n_paths=1_000_000)


def test_lag_longer_than_the_horizon_is_fine():
    result = simulate(load("g1-single-site"), n_paths=50, seed=1, hashrate_lag_months=500)
    assert np.all(np.isfinite(result.baseline.npv_usd))


def test_expected_hashrate_is_the_engines_path():
    """E[hashrate_m] = H_m: the lagged price term is corrected for its convexity (100,000 paths)."""
    from desktop.model.montecarlo import MonteCarloParams, market_shocks
    params = MonteCarloParams(btc_volatility_pct_per_year=50.0, hashrate_elasticity=0.8, hashrate_lag_months=6,
                              hashrate_volatility_pct_per_year=10.0)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(7).spawn(5)]
    growth = np.exp(market_shocks(streams, 100_000, 121, params)["hashrate"])
    for month in (60, 120):
        sample = growth[:, month]
        assert abs(sample.mean() - 1.0) < 4 * sample.std() / np.sqrt(sample.size), month
    price = np.exp(market_shocks(streams, 100_000, 121, params)["price"])[:, 120]
    assert abs(price.mean() - 1.0) < 4 * price.std() / np.sqrt(price.size)


def test_zero_volatility_equity_view_is_the_engines():
    scenario = load("g10-gpu-prepaid-residual-debt")
    detail = evaluate_detail(scenario)
    result = simulate(scenario, n_paths=50, seed=1, **QUIET)
    assert np.allclose(result.equity_delta.npv_usd, detail.result["delta"]["equity_npv_usd"], rtol=1e-12, atol=1e-6)
    assert result.prob_equity_delta_npv_positive == float(detail.result["delta"]["equity_npv_usd"] > 0)


def test_every_conversion_late_moves_its_revenue_not_its_capex():
    scenario = load("g3-colocation")  # one profitable lease
    quiet = dict(QUIET, delay_probability_pct=100.0, delay_months=6)
    late = simulate(scenario, n_paths=20, seed=1, **quiet)
    on_time = evaluate_detail(scenario)
    assert np.ptp(late.plan.npv_usd) == 0.0  # no other risk: every path the same
    assert late.plan.npv_usd[0] < on_time.plan.npv_usd
    assert np.array_equal(late.baseline.npv_usd, np.full(20, on_time.baseline.npv_usd))
    half = simulate(scenario, n_paths=4000, seed=2, **dict(quiet, delay_probability_pct=50.0))
    share_late = np.mean(np.isclose(half.plan.npv_usd, late.plan.npv_usd[0], rtol=1e-12))
    assert 0.45 < share_late < 0.55
    assert np.all(np.isclose(half.plan.npv_usd, late.plan.npv_usd[0]) | np.isclose(half.plan.npv_usd,
                                                                                     on_time.plan.npv_usd))


def test_gpu_price_risk_touches_only_gpu_clouds():
    lease = load("g3-colocation")
    a = simulate(lease, n_paths=200, seed=3, gpu_price_volatility_pct_per_year=0.0)
    b = simulate(lease, n_paths=200, seed=3, gpu_price_volatility_pct_per_year=80.0)
    assert np.array_equal(a.delta.npv_usd, b.delta.npv_usd)
    cloud = load("g4-gpu-cloud")
    c = simulate(cloud, n_paths=200, seed=3, **dict(QUIET, gpu_price_volatility_pct_per_year=80.0))
    assert np.ptp(c.plan.npv_usd) > 0 and np.ptp(c.baseline.npv_usd) == 0


def test_schedule_risk_paths_do_not_depend_on_the_chunk_size():
    scenario = load("g5-staged-two-sites")
    a = simulate(scenario, n_paths=500, seed=9, chunk_paths=500)
    b = simulate(scenario, n_paths=500, seed=9, chunk_paths=33)
    assert np.array_equal(a.delta.npv_usd, b.delta.npv_usd)
    assert np.array_equal(a.delta.cumulative_cash_percentiles_usd, b.delta.cumulative_cash_percentiles_usd)
