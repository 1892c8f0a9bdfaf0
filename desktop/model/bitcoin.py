"""Calendar months and the Bitcoin block subsidy, vectorised with numpy (ECONOMICS.md, "Time"
and "Bitcoin side").

Heights are real numbers: month m mines `blocks_per_day * d_m` blocks, and the subsidy paid in a
month is the integral of the step function `50 / 2**floor(h / 210000)` over `[h_m, h_m + b_m)`,
so a halving inside a month is prorated.
"""
from __future__ import annotations

import numpy as np

from desktop.model.months import parse_month

HALVING_INTERVAL_BLOCKS = 210_000
INITIAL_SUBSIDY_BTC = 50.0
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def calendar(start_month: str, n_months: int) -> tuple[list[str], np.ndarray]:
    """Labels `YYYY-MM` and calendar days (float array) of `n_months` months from `start_month`
    (a valid `YYYY-MM`; `desktop.model.months.parse_month` raises InputError otherwise)."""
    year, month = parse_month(start_month)
    index = year * 12 + (month - 1) + np.arange(n_months)
    years, months0 = index // 12, index % 12
    leap = ((years % 4 == 0) & (years % 100 != 0)) | (years % 400 == 0)
    days = _DAYS[months0] + ((months0 == 1) & leap)
    labels = [f"{y:04d}-{m + 1:02d}" for y, m in zip(years.tolist(), months0.tolist())]
    return labels, days.astype(float)


def subsidy_btc(height) -> np.ndarray:
    """The block subsidy at (real) height h: `50 / 2**floor(h / 210000)` BTC."""
    era = np.floor(np.asarray(height, dtype=float) / HALVING_INTERVAL_BLOCKS)
    return INITIAL_SUBSIDY_BTC * np.exp2(-era)


def cumulative_subsidy_btc(height) -> np.ndarray:
    """Integral of the subsidy over `[0, h)`: every completed era pays 210000 * its subsidy."""
    h = np.asarray(height, dtype=float)
    era = np.floor(h / HALVING_INTERVAL_BLOCKS)
    scale = np.exp2(-era)
    completed = INITIAL_SUBSIDY_BTC * HALVING_INTERVAL_BLOCKS * 2.0 * (1.0 - scale)
    return completed + (h - era * HALVING_INTERVAL_BLOCKS) * INITIAL_SUBSIDY_BTC * scale


def subsidy_integral_btc(height_start, blocks) -> np.ndarray:
    """Subsidy paid over `[h, h + b)`, exact at halvings inside the interval.

    Summed era by era from `h`, so it stays accurate for small intervals at large heights
    (a plain difference of cumulative integrals would lose digits there).
    """
    h0 = np.asarray(height_start, dtype=float)
    h1 = h0 + np.asarray(blocks, dtype=float)
    era0 = np.floor(h0 / HALVING_INTERVAL_BLOCKS)
    era1 = np.floor(h1 / HALVING_INTERVAL_BLOCKS)
    boundary = (era0 + 1) * HALVING_INTERVAL_BLOCKS
    same = era1 == era0
    # Inside one era: blocks * subsidy. Across eras: the part before the first boundary, the
    # whole eras in between and the part after the last boundary, via the cumulative integral.
    first = np.where(same, h1 - h0, boundary - h0) * INITIAL_SUBSIDY_BTC * np.exp2(-era0)
    rest = np.where(same, 0.0, cumulative_subsidy_btc(np.where(same, boundary, h1))
                    - cumulative_subsidy_btc(boundary))
    return first + rest


def month_heights(block_height_at_start: float, blocks_per_day: float,
                  days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Blocks mined in each month `b_m` and the height at each month's start `h_m`."""
    blocks = blocks_per_day * days
    heights = block_height_at_start + np.concatenate(([0.0], np.cumsum(blocks)[:-1]))
    return blocks, heights


def hashprice_usd_per_ph_day(network_hashrate_ehs, blocks_per_day, reward_per_block_btc,
                             btc_price_usd):
    """Expected USD per PH/s per day before pool fee."""
    return 1000.0 / (network_hashrate_ehs * 1e6) * blocks_per_day * reward_per_block_btc * btc_price_usd
