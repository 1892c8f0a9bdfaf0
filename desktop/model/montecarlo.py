"""Monte Carlo risk: many market paths through the deterministic engine's cash flows.

The model (also in the README, "The economic model"). Months m = 0..M-1, t_m = m / 12 years, dt = 1 / 12. P_m and H_m
are the engine's deterministic BTC price and network hashrate (ECONOMICS.md); on each path

    X_0 = 0,  X_m = sigma_P * sqrt(dt) * (Z_1 + ... + Z_m) - sigma_P**2 / 2 * t_m
    price_m = P_m * exp(X_m)

which is geometric Brownian motion with drift mu = ln(1 + g_P) (the scenario's price growth,
continuously compounded) and yearly volatility sigma_P: E[price_m] = P_m, and month 0 is P_0.
The network hashrate follows the price's shock with a lag of L months and an elasticity beta,
plus noise of its own (a second, independent Brownian motion with yearly volatility sigma_H):

    Y_m = beta * X_{m-L} (0 while m < L) + sigma_H * sqrt(dt) * (Z'_1 + ... + Z'_m) - sigma_H**2 / 2 * t_m
    hashrate_m = H_m * exp(Y_m)

Everything but mining revenue is independent of price and hashrate, and BTC mined is
proportional to 1 / hashrate, so on a path a case's monthly cash is

    cash_m = deterministic cash_m + mining revenue_m * (exp(X_m - Y_m) - 1)

for the baseline and the plan alike (the same paths), and the delta is plan minus baseline.
NPVs use the engine's discount factors. With sigma_P = sigma_H = 0 every path is the engine's
result exactly (exp(0) - 1 == 0). Z and Z' are standard normals from two streams of one seeded
numpy Generator (SeedSequence(seed).spawn(2)), so a seed gives the same paths for any chunk
size. Paths run in chunks (memory is about 3 x N x M floats for the fan charts plus one
chunk's work); `progress(done, total)` is called after each chunk and `cancelled()` checked
before each, raising `Cancelled` when it returns True.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Callable

import numpy as np

from desktop.model.engine import Detail, evaluate_detail
from desktop.model.errors import InputError

PERCENTILES = (5, 25, 50, 75, 95)
MAX_PATHS = 1_000_000
FAN_MEMORY_BYTES = 256 * 2**20  # stored cumulative cash for the fan charts, all three variants


class Cancelled(Exception):
    """The caller's `cancelled()` returned True between two chunks."""


@dataclass
class MonteCarloParams:
    n_paths: int = 10_000
    seed: int | None = 0
    btc_volatility_pct_per_year: float = 50.0      # sigma_P
    hashrate_elasticity: float = 0.8               # beta
    hashrate_lag_months: int = 6                   # L
    hashrate_volatility_pct_per_year: float = 10.0  # sigma_H
    chunk_paths: int = 2048

    def check(self) -> None:
        def bad(name, message):
            raise InputError(f"montecarlo.{name}", message)
        if isinstance(self.n_paths, bool) or not isinstance(self.n_paths, int) or not 1 <= self.n_paths <= MAX_PATHS:
            bad("n_paths", f"must be a whole number between 1 and {MAX_PATHS}")
        for name in ("btc_volatility_pct_per_year", "hashrate_volatility_pct_per_year", "hashrate_elasticity"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e3:
                bad(name, "must be a number between 0 and 1000")
        if isinstance(self.hashrate_lag_months, bool) or not isinstance(self.hashrate_lag_months, int) \
                or self.hashrate_lag_months < 0:
            bad("hashrate_lag_months", "must be a whole number of months, 0 or more")
        if isinstance(self.chunk_paths, bool) or not isinstance(self.chunk_paths, int) or self.chunk_paths < 1:
            bad("chunk_paths", "must be a whole number, 1 or more")


@dataclass
class Distribution:
    """One variant (baseline, plan or delta) over all paths."""
    npv_usd: np.ndarray                          # (N,) one NPV per path
    cumulative_cash_percentiles_usd: np.ndarray  # (len(PERCENTILES), M) for fan charts

    def npv_percentile(self, q: float) -> float:
        return float(np.percentile(self.npv_usd, q))


@dataclass
class MonteCarloResult:
    months: list[str]
    params: MonteCarloParams
    seed_entropy: int                       # reproduces the run when given as seed
    percentiles: tuple = PERCENTILES
    baseline: Distribution | None = None
    plan: Distribution | None = None        # None without a plan
    delta: Distribution | None = None       # plan minus baseline, path by path; None without a plan
    prob_delta_npv_positive: float | None = None
    btc_price_percentiles_usd: np.ndarray | None = None  # (len(PERCENTILES), M), exact lognormal quantiles
    detail: Detail | None = field(default=None, repr=False)  # the deterministic evaluation


def simulate(scenario: dict, n_paths: int = 10_000, seed: int | None = 0, *,
             btc_volatility_pct_per_year: float = 50.0, hashrate_elasticity: float = 0.8,
             hashrate_lag_months: int = 6, hashrate_volatility_pct_per_year: float = 10.0,
             chunk_paths: int = 2048, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None, detail: Detail | None = None) -> MonteCarloResult:
    """Run `n_paths` market paths over a scenario (validated here; or pass `detail`, an
    `evaluate_detail` of it, to skip the deterministic evaluation)."""
    params = MonteCarloParams(n_paths, seed, btc_volatility_pct_per_year, hashrate_elasticity,
                              hashrate_lag_months, hashrate_volatility_pct_per_year, chunk_paths)
    params.check()
    detail = detail or evaluate_detail(scenario)
    n_months = len(detail.months)
    cases = [detail.baseline] + ([detail.plan] if detail.plan else [])
    variants = len(cases) * 2 - 1  # baseline; or baseline, plan and delta
    dtype = np.float64 if variants * n_paths * n_months * 8 <= FAN_MEMORY_BYTES else np.float32
    if variants * n_paths * n_months * np.dtype(dtype).itemsize > FAN_MEMORY_BYTES:
        most = FAN_MEMORY_BYTES // (variants * n_months * 4)
        raise InputError("montecarlo.n_paths", f"too many paths for {n_months} months: at most {most}")
    sequence = np.random.SeedSequence(seed)
    rng_price, rng_hash = (np.random.default_rng(s) for s in sequence.spawn(2))
    years = np.arange(n_months) / 12.0
    sigma_p, sigma_h = btc_volatility_pct_per_year / 100.0, hashrate_volatility_pct_per_year / 100.0
    mining = [c.mining_revenue_usd.sum(axis=0) for c in cases]
    cumulative = np.empty((variants, n_paths, n_months), dtype=dtype)
    npvs = np.empty((variants, n_paths))
    for start in range(0, n_paths, chunk_paths):
        if cancelled is not None and cancelled():
            raise Cancelled()
        n = min(chunk_paths, n_paths - start)
        x = _brownian(rng_price, n, n_months, sigma_p, years)
        y = _brownian(rng_hash, n, n_months, sigma_h, years)
        lag = hashrate_lag_months
        if hashrate_elasticity and lag < n_months:
            y[:, lag:] += hashrate_elasticity * x[:, :n_months - lag]
        shock = np.expm1(x - y)
        cash = [case.cash_usd + revenue * shock for case, revenue in zip(cases, mining)]
        if len(cash) == 2:
            cash.append(cash[1] - cash[0])
        for v, flow in enumerate(cash):
            npvs[v, start:start + n] = flow @ detail.discount_factors
            cumulative[v, start:start + n] = np.cumsum(flow, axis=1)
        if progress is not None:
            progress(start + n, n_paths)
    fans = [np.percentile(cumulative[v], PERCENTILES, axis=0).astype(float) for v in range(variants)]
    dists = [Distribution(npvs[v].copy(), fans[v]) for v in range(variants)]
    quantiles = np.array([NormalDist().inv_cdf(q / 100.0) for q in PERCENTILES])[:, None]
    price = detail.market.btc_price_usd[None, :] * np.exp(
        -0.5 * sigma_p ** 2 * years + sigma_p * np.sqrt(years) * quantiles)
    result = MonteCarloResult(detail.months, params, int(sequence.entropy), baseline=dists[0],
                              btc_price_percentiles_usd=price, detail=detail)
    if variants == 3:
        result.plan, result.delta = dists[1], dists[2]
        result.prob_delta_npv_positive = float(np.mean(dists[2].npv_usd > 0.0))
    return result


def _brownian(rng: np.random.Generator, n: int, n_months: int, sigma: float, years: np.ndarray) -> np.ndarray:
    """(n, M) log shocks sigma * W(t_m) - sigma**2 / 2 * t_m with W(0) = 0."""
    shocks = np.zeros((n, n_months))
    z = rng.standard_normal((n, n_months - 1))
    np.cumsum(z, axis=1, out=shocks[:, 1:])
    shocks *= sigma * np.sqrt(1.0 / 12.0)
    shocks -= 0.5 * sigma ** 2 * years
    return shocks
