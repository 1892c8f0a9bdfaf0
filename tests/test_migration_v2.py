"""A project file of schema 1 (Rackshift 0.1), opened by this Rackshift: migrated after a backup,
and its plan evaluates to exactly the numbers it had (version 2's defaults change nothing)."""
from __future__ import annotations

import json
import pathlib
import shutil
import sqlite3

from sqlite_utils import Database

from desktop.model.engine import evaluate
from desktop.paths import db_dir
from desktop.store import migrations
from desktop.store.project import open_project
from desktop.store.scenario_export import scenario_from_project

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


def schema_1_file(path: pathlib.Path, scenario: dict) -> None:
    """The file Rackshift 0.1 would have written for a scenario: migration 0001 only, v1 columns."""
    folder = path.parent / "schema-1"
    folder.mkdir()
    shutil.copy(db_dir() / "migrations" / "0001_initial.sql", folder)
    db = Database(str(path))
    migrations.build_migrations(folder).apply(db)
    site = scenario["sites"][0]
    db["settings"].insert_all([
        {"key": "assumptions", "value": json.dumps({k: scenario[k] for k in
                                                    ("start_month", "horizon_months", "discount_rate_pct", "market")})},
        {"key": "project_name", "value": json.dumps(scenario["name"])}])
    site_id = db["sites"].insert({k: site[k] for k in (
        "name", "grid_capacity_mw", "energy_price_usd_per_mwh", "pue_mining", "pue_hosting", "pool_fee_pct",
        "mining_opex_usd_per_mw_month")}).last_pk
    for entry in site["fleet"]:
        model_id = db["equipment_models"].insert({"kind": "asic", "name": entry["model"],
                                                  "hashrate_ths": entry["hashrate_ths"],
                                                  "power_w": entry["power_w"]}).last_pk
        db["fleet"].insert({"site_id": site_id, "model_id": model_id, "count": entry["count"],
                            "uptime_pct": entry["uptime_pct"], "resale_usd_per_ths": entry["resale_usd_per_ths"]})
    plan_id = db["plans"].insert({"name": scenario["plan"]["name"]}).last_pk
    for conv in scenario["plan"]["conversions"]:
        row = {k: v for k, v in conv.items() if k not in ("site", "remove_asics")}
        row.update(plan_id=plan_id, site_id=site_id, remove_asics=json.dumps(conv["remove_asics"]),
                   power_pass_through=int(conv.get("power_pass_through", True)))
        db["conversions"].insert(row)
    db["settings"].insert({"key": "current_plan_id", "value": json.dumps(plan_id)})
    db.conn.commit()
    db.close()


def test_a_schema_1_project_migrates_and_evaluates_as_before(tmp_path):
    scenario = json.loads((GOLDEN / "g3-colocation.json").read_text())
    path = tmp_path / "old.sqlite"
    schema_1_file(path, scenario)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select count(*) from _sqlite_migrations").fetchone()[0] == 1
    project = open_project(path)
    try:
        assert project.schema_version == migrations.SCHEMA_VERSION
        plan_id = json.loads(project.db.execute(
            "select value from settings where key = 'current_plan_id'").fetchone()[0])
        migrated = scenario_from_project(project, plan_id)
    finally:
        project.close()
    assert any(p.name.startswith("old") and p.is_file() and p != path for p in tmp_path.iterdir()), "no backup"
    got, want = evaluate(migrated), evaluate(scenario)
    for case in ("baseline", "plan"):
        for key, value in want[case].items():
            assert abs(got[case][key] - value) <= 1e-9 * abs(value) + 1e-6 if isinstance(value, float) \
                else got[case][key] == value, (case, key)
    assert got["delta"]["payback_month"] == want["delta"]["payback_month"]
