"""Conversions reference ASIC models by catalog id (migration 0002): renaming a model, site, hall
or plan never breaks a plan; convert refuses what the exports would refuse, by label and site."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlite_utils import Database

from desktop.cli import main
from desktop.store import catalog, checks, halls, migrations, plans, settings, sites
from desktop.store.project import open_project

GOLDEN = Path("/work/shared/golden") if Path("/work/shared/golden").is_dir() else \
    Path(__file__).resolve().parent / "golden"


def _first_conversion(project):
    plan_id = settings.current_plan_id(project)
    return plan_id, plans.conversions(project, plan_id)[0]


def test_renaming_a_removed_asic_model_keeps_the_plan_exportable(demo_path, tmp_path, capsys):
    with open_project(demo_path) as project:
        plan_id, conv = _first_conversion(project)
        [model_id] = conv.remove_asics
        old = catalog.get(project, model_id).name
        catalog.update(project, model_id, name=f"{old} (renamed)")
        site = sites.get(project, conv.site_id)
        sites.update(project, site.id, name=f"{site.name} renamed")
        halls.update(project, conv.hall_id, name="Renamed hall")
        plans.rename(project, plan_id, "Renamed plan")
        assert checks.plan_check(project, plan_id).blocking == []
    out = tmp_path / "s.json"
    assert main(["export-scenario", str(demo_path), "-o", str(out)]) == 0
    scenario = json.loads(out.read_text())
    removed = scenario["plan"]["conversions"]
    assert any(f"{old} (renamed)" in c["remove_asics"] for c in removed)
    assert main(["export-tables", str(demo_path), "-o", str(tmp_path / "tables")]) == 0


def _schema_1_file(path: Path) -> None:
    """A project file as Rackshift 0.1 wrote it: schema 1, conversions keyed by model name."""
    folder = path.parent / "m1"
    folder.mkdir()
    shutil.copy(migrations.db_dir() / "migrations" / "0001_initial.sql", folder)
    db = Database(str(path))
    migrations.build_migrations(folder).apply(db)
    db.execute("insert into equipment_models (id, kind, name, hashrate_ths, power_w) "
               "values (7, 'asic', 'Antminer S19j Pro', 104, 3068)")
    db.execute("insert into sites (id, name, grid_capacity_mw, energy_price_usd_per_mwh) values (1, 'Red Mesa', 60, 40)")
    db.execute("insert into fleet (site_id, model_id, count) values (1, 7, 1000)")
    db.execute("insert into plans (id, name) values (1, 'Plan 1')")
    db.execute("insert into conversions (plan_id, site_id, start_month, critical_it_mw, remove_asics, mode, "
               "capex_usd_per_mw, lease_usd_per_kw_month, breaches) values (1, 1, 0, 1.5, "
               "'{\"Antminer S19j Pro\": 400, \"Gone Model\": 3}', 'colocation', 9000000, 150, '[\"stale\"]')")
    db.execute("insert into settings (key, value) values ('current_plan_id', '1')")
    db.conn.commit()
    db.close()


def test_migration_0002_moves_removals_to_model_ids_and_drops_stored_breaches(tmp_path):
    path = tmp_path / "old.sqlite"
    _schema_1_file(path)
    project = open_project(path)
    try:
        assert project.backup_path is not None and project.backup_path.is_file()   # the old file is kept
        columns = {c.name for c in project.db["conversions"].columns}
        assert "breaches" not in columns and "remove_asics" in columns
        [conv] = plans.conversions(project, 1)
        assert conv.remove_asics == {7: 400}          # by id; a name no model has is left out
        catalog.update(project, 7, name="S19j Pro")   # the rename that broke 0.1's plans
        assert checks.plan_check(project, 1).blocking == []
        assert plans.conversions(project, 1)[0].remove_asics == {7: 400}
    finally:
        project.close()
    backup = Database(str(project.backup_path))
    assert "breaches" in {c.name for c in backup["conversions"].columns}   # the backup is schema 1


def test_a_model_removed_by_a_conversion_cannot_be_deleted(demo_project):
    plan_id, conv = _first_conversion(demo_project)
    [model_id] = conv.remove_asics
    assert catalog.usage(demo_project, model_id)["conversion removals"] == 1


def test_convert_refuses_removing_more_than_the_site_has_naming_label_and_site(tmp_path, capsys):
    path = tmp_path / "g5.sqlite"
    assert main(["import-scenario", str(GOLDEN / "g5-staged-two-sites.json"), str(path)]) == 0
    capsys.readouterr()
    code = main(["convert", str(path), "--site", "West Mesa", "--hall", "Hall A", "--positions", "A01-A10",
                 "--to", "4x DGX H100 rack"])
    err = capsys.readouterr().err
    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith("error: positions: conversion 'Hall A: 4 x 4x DGX H100 rack' at West Mesa")
    assert "removes 10080 Antminer S19 XP at West Mesa in all, but the site has 10000" in line
    assert "to resolve:" in line and "[0]" not in line
    # nothing written: every export still works
    assert main(["export-scenario", str(path), "-o", str(tmp_path / "s.json")]) == 0
    assert main(["report", str(path), "-o", str(tmp_path / "r.pdf")]) == 0


def test_export_names_the_conversion_not_an_index(demo_path, tmp_path, capsys):
    with open_project(demo_path) as project:
        plan_id, conv = _first_conversion(project)
        [model_id] = conv.remove_asics
        [(entry, _)] = [(e, m) for e, m in sites.fleet(project, conv.site_id) if m.id == model_id]
        # a file where the plan removes more than the fleet owns (the editors refuse to get there)
        with project.atomic() as db:
            db.execute("update fleet set count = ? where id = ?", [conv.remove_asics[model_id] - 1, entry.id])
        label, site = conv.label, sites.get(project, conv.site_id).name
    capsys.readouterr()
    assert main(["export-scenario", str(demo_path), "-o", str(tmp_path / "s.json")]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert f"conversion {label!r} at {site}" in line and "conversions[" not in line
