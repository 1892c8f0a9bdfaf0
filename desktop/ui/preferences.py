"""Every preference Rackshift keeps, with its type and default, over QSettings.

User preferences (`prepared_by`, ...) are apart from window state (`window/...`).
Tests point QSettings at a temporary folder (see tests/conftest.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Rackshift"
APPLICATION = "Rackshift"
MAX_RECENT = 8


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: object


LAST_PROJECT = Option("project/last", str, "")
RECENT_FILES = Option("project/recent", list, [])
LAST_FOLDER = Option("files/last_folder", str, "")   # where the last file dialog ended
FIRST_RUN_DONE = Option("start/first_run_done", bool, False)
PREPARED_BY = Option("report/prepared_by", str, "")
PAGE_SIZE = Option("report/page_size", str, "A4")
MC_PATHS = Option("risk/paths", int, 10000)
MC_VOLATILITY_PCT = Option("risk/btc_volatility_pct", float, 55.0)
# the other Monte Carlo risks (desktop.model.montecarlo.simulate's defaults): set on the dashboard
MC_HASHRATE_VOLATILITY_PCT = Option("risk/hashrate_volatility_pct", float, 10.0)
MC_ENERGY_VOLATILITY_PCT = Option("risk/energy_volatility_pct", float, 15.0)
MC_GPU_VOLATILITY_PCT = Option("risk/gpu_price_volatility_pct", float, 25.0)
MC_DELAY_PROBABILITY_PCT = Option("risk/delay_probability_pct", float, 25.0)
MC_DELAY_MONTHS = Option("risk/delay_months", int, 6)
MC_HASHRATE_LAG_MONTHS = Option("risk/hashrate_lag_months", int, 6)   # months the hashrate follows the price
GEOMETRY = Option("window/geometry", QByteArray, QByteArray())


def _settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def get(option: Option):
    value = _settings().value(option.key, option.default)
    if option.type is list:
        if value in (None, ""):
            return []
        return [value] if isinstance(value, str) else list(value)
    if option.type is bool:
        return value if isinstance(value, bool) else str(value).strip().lower() in ("true", "1", "yes")
    if option.type in (int, float, str):
        try:
            return option.type(value)
        except (TypeError, ValueError):
            return option.default
    return value


def put(option: Option, value) -> None:
    _settings().setValue(option.key, value)


def add_recent(path: str) -> list[str]:
    recent = [p for p in get(RECENT_FILES) if p != path]
    recent.insert(0, path)
    recent = recent[:MAX_RECENT]
    put(RECENT_FILES, recent)
    put(LAST_PROJECT, path)
    return recent
