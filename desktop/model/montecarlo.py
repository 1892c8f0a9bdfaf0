"""Monte Carlo risk: many market paths and build schedules through the engine's own rules.

The model (also in the README, "The economic model"). Months m = 0..M-1, t_m = m / 12 years,
dt = 1 / 12. P_m, H_m, E_m and the GPU-hour prices are the engine's deterministic paths
(ECONOMICS.md); on each path

    X_m = sigma_P * W_P(t_m) - sigma_P**2 / 2 * t_m            price_m = P_m * exp(X_m)

geometric Brownian motion around the scenario's own path (E[price_m] = P_m; month 0 is P_0).
The network hashrate follows the price's shock with a lag of L months and an elasticity beta,
plus noise of its own, centred so that E[hashrate_m] = H_m:

    Y_m = beta * X_{m-L} - beta * (beta - 1) * sigma_P**2 / 2 * t_{m-L}   (0 while m < L)
          + sigma_H * W_H(t_m) - sigma_H**2 / 2 * t_m                        hashrate_m = H_m * exp(Y_m)

(E[exp(beta X)] = exp(beta (beta - 1) sigma_P**2 t / 2) for the lognormal X; the middle term
takes that out.) The energy price of every site and the power credits move with one factor
`exp(V_m)`, and the GPU-hour price of every GPU cloud with `exp(G_m)`, both GBMs of the same
form with yearly volatilities sigma_E and sigma_G around their deterministic paths.

Schedule risk: each conversion of the plan is late with probability `delay_probability_pct`,
by `delay_months`: its commercial operation, and so its whole earning window (revenue, power,
opex, the earning-down of a prepayment, the GPUs' resale at the end), moves that much later,
while its capex and GPU purchase stay as booked.

BTC mined is proportional to 1 / hashrate, so mining revenue is the engine's times
exp(X_m - Y_m); the yield to the grid and curtailment do not depend on prices. Each path's
lines then go through `desktop.model.engine.settle`, the engine's one place for tax (the loss
pool per path), terminal value, net cash, debt and equity cash; NPVs use the engine's
discount factors. So with every volatility and the delay probability at 0, every path is the
engine's result exactly (its lines are multiplied by exp(0) == 1).

Random numbers come from five streams of one seeded numpy Generator (SeedSequence(seed).spawn(5):
price, hashrate, energy, GPU price, delays), drawn row by row, so a seed gives the same paths
for any chunk size. Paths run in chunks (memory is about V x N x M floats for the fan charts,
V the variants kept, plus one chunk's work); `progress(done, total)` is called after each
chunk and `cancelled()` checked before each, raising `Cancelled` when it returns True.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Callable

import numpy as np

from desktop.model import engine, finance
from desktop.model.engine import Case, Detail, Flows, evaluate_detail
from desktop.model.errors import InputError

PERCENTILES = (5, 25, 50, 75, 95)
MAX_PATHS = 1_000_000
MAX_DELAY_MONTHS = 120
FAN_MEMORY_BYTES = 256 * 2**20  # stored cumulative cash for the fan charts, all variants


class Cancelled(Exception):
    """The caller's `cancelled()` returned True between two chunks."""


@dataclass
class MonteCarloParams:
    """The risk inputs, with their defaults (README, "The economic model": where they come from)."""
    n_paths: int = 10_000
    seed: int | None = 0
    btc_volatility_pct_per_year: float = 50.0       # sigma_P
    hashrate_elasticity: float = 0.8                # beta
    hashrate_lag_months: int = 6                    # L
    hashrate_volatility_pct_per_year: float = 10.0  # sigma_H
    energy_volatility_pct_per_year: float = 15.0    # sigma_E
    gpu_price_volatility_pct_per_year: float = 25.0  # sigma_G
    delay_probability_pct: float = 25.0             # chance that a conversion is late
    delay_months: int = 6                           # how late
    chunk_paths: int = 2048

    def check(self) -> None:
        def bad(name, message):
            raise InputError(f"montecarlo.{name}", message)

        def whole(value) -> bool:
            return not isinstance(value, bool) and isinstance(value, (int, np.integer))
        if not whole(self.n_paths) or not 1 <= self.n_paths <= MAX_PATHS:
            bad("n_paths", f"must be a whole number between 1 and {MAX_PATHS}")
        for name in ("btc_volatility_pct_per_year", "hashrate_volatility_pct_per_year", "hashrate_elasticity",
                     "energy_volatility_pct_per_year", "gpu_price_volatility_pct_per_year"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e3:
                bad(name, "must be a number between 0 and 1000")
        value = self.delay_probability_pct
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
            bad("delay_probability_pct", "must be a number between 0 and 100")
        if not whole(self.delay_months) or not 0 <= self.delay_months <= MAX_DELAY_MONTHS:
            bad("delay_months", f"must be a whole number of months between 0 and {MAX_DELAY_MONTHS}")
        if not whole(self.hashrate_lag_months) or self.hashrate_lag_months < 0:
            bad("hashrate_lag_months", "must be a whole number of months, 0 or more")
        if not whole(self.chunk_paths) or self.chunk_paths < 1:
            bad("chunk_paths", "must be a whole number, 1 or more")


@dataclass
class Distribution:
    """One variant (baseline, plan, delta or equity delta) over all paths."""
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
    delta: Distribution | None = None       # plan minus baseline net cash, path by path; None without a plan
    equity_delta: Distribution | None = None  # plan equity cash minus baseline net cash, at the equity rate
    prob_delta_npv_positive: float | None = None          # P(plan beats mining), unlevered
    prob_equity_delta_npv_positive: float | None = None   # the same for the equity (with financing)
    btc_price_percentiles_usd: np.ndarray | None = None  # (len(PERCENTILES), M), exact lognormal quantiles
    detail: Detail | None = field(default=None, repr=False)  # the deterministic evaluation


def simulate(scenario: dict, n_paths: int = 10_000, seed: int | None = 0, *,
             btc_volatility_pct_per_year: float = 50.0, hashrate_elasticity: float = 0.8,
             hashrate_lag_months: int = 6, hashrate_volatility_pct_per_year: float = 10.0,
             energy_volatility_pct_per_year: float = 15.0, gpu_price_volatility_pct_per_year: float = 25.0,
             delay_probability_pct: float = 25.0, delay_months: int = 6,
             chunk_paths: int = 2048, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None, detail: Detail | None = None) -> MonteCarloResult:
    """Run `n_paths` market paths over a scenario (validated here; or pass `detail`, an
    `evaluate_detail` of it, to skip the deterministic evaluation)."""
    params = MonteCarloParams(n_paths, seed, btc_volatility_pct_per_year, hashrate_elasticity,
                              hashrate_lag_months, hashrate_volatility_pct_per_year, energy_volatility_pct_per_year,
                              gpu_price_volatility_pct_per_year, delay_probability_pct, delay_months, chunk_paths)
    params.check()
    detail = detail or evaluate_detail(scenario)
    n_months = len(detail.months)
    plan_spec = detail.scenario["plan"]
    financing = plan_spec.get("financing") if plan_spec else None
    lines = [_Lines.of(detail, detail.baseline, [], params)]
    if detail.plan is not None:
        lines.append(_Lines.of(detail, detail.plan, plan_spec["conversions"], params))
    variants = 1 if len(lines) == 1 else (4 if financing else 3)
    dtype = np.float64 if variants * n_paths * n_months * 8 <= FAN_MEMORY_BYTES else np.float32
    if variants * n_paths * n_months * np.dtype(dtype).itemsize > FAN_MEMORY_BYTES:
        most = FAN_MEMORY_BYTES // (variants * n_months * 4)
        raise InputError("montecarlo.n_paths", f"too many paths for {n_months} months: at most {most}")
    sequence = np.random.SeedSequence(seed)
    streams = [np.random.default_rng(s) for s in sequence.spawn(5)]
    cumulative = np.empty((variants, n_paths, n_months), dtype=dtype)
    npvs = np.empty((variants, n_paths))
    factors = [detail.discount_factors] * 3 + [detail.equity_discount_factors]
    for start in range(0, n_paths, chunk_paths):
        if cancelled is not None and cancelled():
            raise Cancelled()
        n = min(chunk_paths, n_paths - start)
        shocks = market_shocks(streams, n, n_months, params)
        late = streams[4].random((n, len(lines[-1].conversions))) < params.delay_probability_pct / 100.0
        settled = [engine.settle(detail.scenario, ln.flows(shocks, late), None) for ln in lines[:1]]
        cash = [settled[0].cash_usd]
        if len(lines) == 2:
            plan = engine.settle(detail.scenario, lines[1].flows(shocks, late), financing)
            cash += [plan.cash_usd, plan.cash_usd - cash[0]]
            if financing:
                cash.append(plan.equity_cash_usd - cash[0])
        for v, flow in enumerate(cash):
            npvs[v, start:start + n] = finance.present_value(flow, factors[v])
            cumulative[v, start:start + n] = np.cumsum(flow, axis=1)
        if progress is not None:
            progress(start + n, n_paths)
    fans = [np.percentile(cumulative[v], PERCENTILES, axis=0).astype(float) for v in range(variants)]
    dists = [Distribution(npvs[v].copy(), fans[v]) for v in range(variants)]
    years = np.arange(n_months) / 12.0
    sigma_p = btc_volatility_pct_per_year / 100.0
    quantiles = np.array([NormalDist().inv_cdf(q / 100.0) for q in PERCENTILES])[:, None]
    price = detail.market.btc_price_usd[None, :] * np.exp(
        -0.5 * sigma_p ** 2 * years + sigma_p * np.sqrt(years) * quantiles)
    result = MonteCarloResult(detail.months, params, int(sequence.entropy), baseline=dists[0],
                              btc_price_percentiles_usd=price, detail=detail)
    if variants >= 3:
        result.plan, result.delta = dists[1], dists[2]
        result.prob_delta_npv_positive = float(np.mean(dists[2].npv_usd > 0.0))
        result.equity_delta = dists[3] if variants == 4 else dists[2]
        result.prob_equity_delta_npv_positive = float(np.mean(result.equity_delta.npv_usd > 0.0))
    return result


def market_shocks(streams: list[np.random.Generator], n: int, n_months: int, params: MonteCarloParams) -> dict:
    """(n, M) log shocks of one chunk: "price" X, "hashrate" Y, "energy" V, "gpu" G (module docstring);
    V and G are None when their volatility is 0."""
    years = np.arange(n_months) / 12.0
    sigma_p = params.btc_volatility_pct_per_year / 100.0
    x = _brownian(streams[0], n, n_months, sigma_p, years)
    y = _brownian(streams[1], n, n_months, params.hashrate_volatility_pct_per_year / 100.0, years)
    beta, lag = params.hashrate_elasticity, params.hashrate_lag_months
    if beta and lag < n_months:
        convexity = beta * (beta - 1.0) * sigma_p ** 2 / 2.0 * years[:n_months - lag]
        y[:, lag:] += beta * x[:, :n_months - lag] - convexity
    energy_sigma = params.energy_volatility_pct_per_year / 100.0
    gpu_sigma = params.gpu_price_volatility_pct_per_year / 100.0
    # the streams are drawn even at zero volatility, so the other paths stay the same
    energy = _brownian(streams[2], n, n_months, energy_sigma, years)
    gpu = _brownian(streams[3], n, n_months, gpu_sigma, years)
    return {"price": x, "hashrate": y, "energy": energy if energy_sigma else None, "gpu": gpu if gpu_sigma else None}


@dataclass
class _Lines:
    """A case's portfolio lines (M,) as the engine computed them, and for schedule risk what each
    conversion's lines change by when it is late (C, M)."""
    base: dict
    late_change: dict              # line -> (C, M) delayed minus on time; empty without schedule risk
    conversions: list
    capex: tuple                   # (build capex, GPU capex, prepayments received), (M,) each

    @classmethod
    def of(cls, detail: Detail, case: Case, conversions: list[dict], params: MonteCarloParams) -> "_Lines":
        base = {k: getattr(case, k).sum(axis=0) for k in (
            "mining_revenue_usd", "hosting_revenue_usd", "resale_usd", "power_credit_usd", "mining_power_cost_usd",
            "hosting_power_cost_usd", "mining_opex_usd", "hosting_opex_usd")}
        change: dict = {}
        build = gpu = np.zeros(len(detail.months))
        if conversions:
            energy, _ = engine.energy_prices(detail.scenario, len(detail.months))
            on = engine.conversion_months(detail.scenario, detail.market, conversions, energy)
            base["gpu_revenue_usd"] = on.gpu_revenue_usd.sum(axis=0)
            build, gpu = on.build_capex_usd.sum(axis=0), on.gpu_capex_usd.sum(axis=0)
            if params.delay_probability_pct > 0 and params.delay_months > 0:
                late = engine.conversion_months(detail.scenario, detail.market, conversions, energy,
                                                delay_months=np.full(len(conversions), params.delay_months))
                for key in ("hosting_revenue_usd", "gpu_revenue_usd", "resale_usd", "hosting_power_cost_usd",
                            "hosting_opex_usd"):
                    change[key] = getattr(late, key) - getattr(on, key)
        return cls(base, change, conversions, (build, gpu, case.prepayment_received_usd))

    def flows(self, shocks: dict, late: np.ndarray) -> Flows:
        """(n, M) lines of one chunk of paths: `late` (n, C) says which conversions are late."""
        line = dict(self.base)
        if self.late_change and late.any():
            for key, change in self.late_change.items():
                line[key] = line[key] + late.astype(float) @ change
        price = np.exp(shocks["price"] - shocks["hashrate"])
        energy = 1.0 if shocks["energy"] is None else np.exp(shocks["energy"])
        hosting = line["hosting_revenue_usd"]
        if "gpu_revenue_usd" in line and shocks["gpu"] is not None:
            hosting = hosting + line["gpu_revenue_usd"] * np.expm1(shocks["gpu"])
        build, gpu, received = self.capex
        # lines without a risk of their own stay (M,) or (n, M) as they are; settle broadcasts them
        return Flows(
            mining_revenue_usd=line["mining_revenue_usd"] * price,
            hosting_revenue_usd=hosting, resale_usd=line["resale_usd"],
            power_credit_usd=line["power_credit_usd"] * energy,
            mining_power_cost_usd=line["mining_power_cost_usd"] * energy,
            hosting_power_cost_usd=line["hosting_power_cost_usd"] * energy,
            mining_opex_usd=line["mining_opex_usd"], hosting_opex_usd=line["hosting_opex_usd"],
            prepayment_received_usd=received, build_capex_usd=build, gpu_capex_usd=gpu)


def _brownian(rng: np.random.Generator, n: int, n_months: int, sigma: float, years: np.ndarray) -> np.ndarray:
    """(n, M) log shocks sigma * W(t_m) - sigma**2 / 2 * t_m with W(0) = 0."""
    shocks = np.zeros((n, n_months))
    z = rng.standard_normal((n, n_months - 1))
    np.cumsum(z, axis=1, out=shocks[:, 1:])
    shocks *= sigma * np.sqrt(1.0 / 12.0)
    shocks -= 0.5 * sigma ** 2 * years
    return shocks
