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
MAX_ERAS_SUMMED = 1100
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


def subsidy_integral_btc(height_start, blocks) -> np.ndarray:
    """Subsidy paid over `[h, h + b)`, exact at halvings inside the interval.

    Summed era by era from `h`: the part of the first era, then each era the interval reaches,
    each as (blocks inside it) x (its subsidy). No difference of two cumulative totals near
    21M BTC is taken, so it stays accurate for small intervals at large heights. Eras past
    MAX_ERAS_SUMMED after the first pay less than 2**-1100 of the first era's subsidy (zero in
    floating point) and are left out.
    """
    h0 = np.asarray(height_start, dtype=float)
    h1 = h0 + np.asarray(blocks, dtype=float)
    era0 = np.floor(h0 / HALVING_INTERVAL_BLOCKS)
    era1 = np.floor(h1 / HALVING_INTERVAL_BLOCKS)
    crossed = int(min(np.max(era1 - era0, initial=0.0), MAX_ERAS_SUMMED)) if np.size(h0) else 0
    total = (np.minimum(h1, (era0 + 1) * HALVING_INTERVAL_BLOCKS) - h0) * INITIAL_SUBSIDY_BTC * np.exp2(-era0)
    for k in range(1, crossed + 1):
        era = era0 + k
        inside = np.clip(np.minimum(h1, (era + 1) * HALVING_INTERVAL_BLOCKS) - era * HALVING_INTERVAL_BLOCKS,
                         0.0, None)
        total = total + inside * INITIAL_SUBSIDY_BTC * np.exp2(-era)
    return total


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
