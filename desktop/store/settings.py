"""Project-wide settings: the market assumptions and horizon, the current plan, the author.

Values are JSON in the `settings` table. `assumptions` are the scenario's top-level and
`market` keys (ECONOMICS.md), so a project and a scenario file share one vocabulary: the
horizon, discount rate, market (a price or hashrate path in place of its scalar and growth,
version 2), `tax` and `terminal` (None: no tax, no terminal value).
"""
from __future__ import annotations

import json

from desktop.model.scenario import MARKET_PATHS  # a path replaces its scalar and growth

DEFAULT_ASSUMPTIONS = {
    "start_month": "2026-12",
    "horizon_months": 120,
    "discount_rate_pct": 10.0,
    "market": {
        "btc_price_usd": 85000.0,
        "btc_price_growth_pct_per_year": 0.0,
        "network_hashrate_ehs": 1100.0,
        "network_hashrate_growth_pct_per_year": 0.0,
        "fees_btc_per_block": 0.0,
        "block_height_at_start": 977000,
        "blocks_per_day": 144.0,
    },
    "tax": None,
    "terminal": None,
}



def get(project, key: str, default=None):
    row = project.db.execute("select value from settings where key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def put(project, key: str, value) -> None:
    with project.atomic() as db:
        db["settings"].upsert({"key": key, "value": json.dumps(value, ensure_ascii=False)}, pk="key")


def assumptions(project) -> dict:
    stored = get(project, "assumptions", {})
    merged = json.loads(json.dumps(DEFAULT_ASSUMPTIONS))
    merged.update({k: v for k, v in stored.items() if k != "market"})
    merged["market"].update(stored.get("market", {}))
    for path_key, replaced in MARKET_PATHS.items():
        if path_key in merged["market"]:
            for key in replaced:
                if key not in stored.get("market", {}):
                    merged["market"].pop(key, None)
    return merged


def put_assumptions(project, value: dict) -> None:
    put(project, "assumptions", value)


def project_name(project) -> str:
    return get(project, "project_name", project.path.stem)


def current_plan_id(project) -> int | None:
    return get(project, "current_plan_id")
