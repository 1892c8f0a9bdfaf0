"""The precision every exported number is written with: the one place outputs round. No Qt.

The engine computes in floats, so sums come out as 6609599.999999999 or 0.7343999999999999.
Files a person reads or a spreadsheet sums (CSV, XLSX, scenario JSON) get each number at the
precision its unit needs, decided here from the unit in the field's name:

| unit in the name                        | rounded to       | digits |
|-----------------------------------------|------------------|--------|
| `usd` (dollars, $/MWh, $/kW-month, ...) | a cent           | 2      |
| `mw` (megawatts, not $/MW)              | a kilowatt       | 3      |
| `btc` (bitcoin, not $/BTC)              | a satoshi        | 8      |
| anything else (%, TH/s, W, PUE, ...)    | 12 significant digits (float noise only) | |

Integers and booleans are never touched. The engine itself never rounds; only its outputs do.

A scenario file is an input as much as an output: what it holds must evaluate to the figures the
planner saw. So it gets `denoise_tree`: every float at 12 significant digits, which removes the
float noise (14.769599999999999 is written 14.7696) and moves no result by more than about 1e-12,
where rounding a 14.7696 MW conversion to the kilowatt would move it by 3e-5.
"""
from __future__ import annotations

import math
import numbers

MONEY_DIGITS = 2
MW_DIGITS = 3
BTC_DIGITS = 8
SIGNIFICANT = 12


def digits_for(key: str) -> int | None:
    """Decimal places for a field named `key` ("capex_usd" -> 2), or None: 12 significant digits."""
    parts = str(key).lower().split("_")
    if "usd" in parts:
        return MONEY_DIGITS           # money, or money per unit ($/MW is still money)
    if "mw" in parts:
        return MW_DIGITS
    if "btc" in parts:
        return BTC_DIGITS
    return None


def round_number(value: float, digits: int | None) -> float:
    """`value` at `digits` decimals (None: at 12 significant digits); -0.0 becomes 0.0."""
    if not math.isfinite(value):
        return value
    out = round(value, digits) if digits is not None else float(f"{value:.{SIGNIFICANT}g}")
    return out + 0.0


def round_value(key: str, value):
    """A field's value as it is exported: floats rounded for their unit, anything else as it is."""
    if isinstance(value, bool) or value is None or isinstance(value, numbers.Integral):
        return value
    if isinstance(value, numbers.Real):
        return round_number(float(value), digits_for(key))
    return value


def round_tree(obj, key: str = ""):
    """A JSON-like tree (dicts, lists) with every float rounded for the key it sits under (a list
    takes its parent's key)."""
    if isinstance(obj, dict):
        return {k: round_tree(v, k) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [round_tree(v, key) for v in obj]
    return round_value(key, obj)


def denoise_tree(obj):
    """A JSON-like tree with every float at 12 significant digits (float noise only, any unit)."""
    if isinstance(obj, dict):
        return {k: denoise_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [denoise_tree(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, numbers.Integral):
        return obj
    if isinstance(obj, numbers.Real):
        return round_number(float(obj), None)
    return obj
