"""Issue 18: a project file is untrusted input. Hostile values (wrong types, NULLs, bad JSON,
unknown enumerations, dangling references), a trigger or view stored in the file, settings
that are not what Rackshift stores: every command refuses the file with one `error:` line
naming what is wrong, and changes nothing. Old files become STRICT tables (migration 0004),
after the backup, and a bad old value is named by the migration."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.model.entities import Site
from desktop.model.errors import InputError
from desktop.store import migrations, rows, settings, sites
from desktop.store.project import open_project

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_project_file_reliability import snapshot  # noqa: E402

CONVERT = ["--site", "Red Mesa", "--hall", "Hall A", "--positions", "A01-A10", "--to", "4x DGX H100 rack"]


def tamper(path: Path, *statements: str) -> None:
    """Write values a STRICT table with CHECKs would refuse, as an adversary with any SQLite tool
    can: the tables' STRICT keyword and CHECKs are switched off in the schema text for the
    edit and put back after it."""
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    originals = conn.execute("select name, sql from sqlite_master where type = 'table' and sql like '%STRICT%'").fetchall()
    conn.execute("pragma writable_schema = on")
    for name, sql in originals:
        loose = sql.replace(") STRICT, WITHOUT ROWID", ") WITHOUT ROWID").replace(") STRICT", ")")
        conn.execute("update sqlite_master set sql = ? where name = ?", [loose, name])
    conn.close()
    conn = sqlite3.connect(path)
    conn.isolation_level = None
    conn.execute("pragma ignore_check_constraints = on")
    for statement in statements:
        conn.execute(statement)
    conn.execute("pragma writable_schema = on")
    for name, sql in originals:
        now = conn.execute("select sql from sqlite_master where name = ?", [name]).fetchone()[0]
        loose = sql.replace(") STRICT, WITHOUT ROWID", ") WITHOUT ROWID").replace(") STRICT", ")")
        if now != loose:   # the statements changed the table (an added column): keep that, STRICT again
            sql = now.rstrip() + " STRICT"
        conn.execute("update sqlite_master set sql = ? where name = ?", [sql, name])
    conn.close()


HOSTILE = {
    # case: (statements, what the one error line says)
    "grid capacity as text": (["update sites set grid_capacity_mw = 'abc' where name = 'Red Mesa'"],
                              r"sites\.grid_capacity_mw"),
    "fleet count as text": (["update fleet set count = 'many' where id = (select min(id) from fleet)"],
                            r"fleet\.count"),
    "hashrate NULL": (["update equipment_models set hashrate_ths = NULL where kind = 'asic' and name = "
                       "(select name from equipment_models where kind = 'asic' order by name limit 1)"],
                      r"equipment_models\[.*\]\.hashrate_ths: stored value is missing"),
    "hall power as text": (["update halls set power_capacity_kw = 'lots' where name = 'Hall A'"],
                           r"halls\.power_capacity_kw"),
    "settings not JSON": (["update settings set value = '{nope' where key = 'assumptions'"],
                          r"settings\.assumptions: stored value .* is not JSON"),
    "settings a list": (["update settings set value = '[1, 2]' where key = 'assumptions'"],
                        r"settings\.assumptions: stored value \[1, 2\] is not an object"),
    "assumption as text": (["update settings set value = json_set(value, '$.horizon_months', 'ten') "
                            "where key = 'assumptions'"], r"settings\.assumptions\.horizon_months"),
    "current plan id text": (["update settings set value = '\"first\"' where key = 'current_plan_id'"],
                             r"settings\.current_plan_id: stored value 'first' is not a plan id"),
    "current plan id object": (["update settings set value = '{\"id\": 1}' where key = 'current_plan_id'"],
                               r"settings\.current_plan_id"),
    "conversion mode bogus": (["update conversions set mode = 'bogus'"], r"conversions"),
    "conversion at a missing site": (["update conversions set site_id = 999"],
                                     r"conversions row \d+ refers to a sites row that does not exist"),
    "remove_asics not JSON": (["update conversions set remove_asics = 'x{'"], r"remove_asics|conversions"),
    "removals keyed by name": (["update conversions set remove_asics = '{\"Antminer S19 XP\": 5}'"],
                               r"remove_asics|conversions"),
    "position role bogus": (["update conversion_positions set role = 'bogus' where position_id = "
                             "(select min(position_id) from conversion_positions)"], r"conversion_positions"),
    "site name a blob": (["update sites set name = x'ff00fe' where name = 'Red Mesa'"], r"sites\.name"),
    "trigger": (["create trigger wipe after insert on conversions begin delete from fleet; end"],
                r"holds a trigger 'wipe' on conversions that Rackshift did not make"),
    "view": (["create view v as select * from fleet"], r"holds a view 'v' that Rackshift did not make"),
    "extra table": (["create table notes_of_mine (x)"], r"holds a table 'notes_of_mine'"),
    "extra index": (["create index my_index on sites(location)"], r"holds an index 'my_index' on sites"),
    "extra column": (["alter table sites add column secret TEXT"], r"a column sites\.secret"),
    "virtual table": (["create virtual table fts using fts5(body)"], r"holds a virtual table 'fts'"),
}


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_refused_by_every_command_and_unchanged(case, demo_path, tmp_path, capsys):
    import re

    statements, expected = HOSTILE[case]
    tamper(demo_path, *statements)
    before = snapshot(demo_path)
    for command in (["check", str(demo_path)], ["convert", str(demo_path), *CONVERT],
                    ["export-scenario", str(demo_path), "-o", str(tmp_path / "s.json")],
                    ["export-tables", str(demo_path), "-o", str(tmp_path / "t")]):
        code = cli_main(command)
        line = _one_line(capsys.readouterr().err)
        assert code == 2, (command, line)
        assert re.search(expected, line), (case, command, line)
        assert snapshot(demo_path) == before, command
    assert not (tmp_path / "s.json").exists() and not (tmp_path / "t").exists()


def test_the_gui_refuses_a_hostile_file_with_a_message(main_window, demo_path, tmp_path, monkeypatch):
    target = tmp_path / "hostile.sqlite"
    shutil.copy(demo_path, target)
    tamper(target, "create trigger wipe after insert on conversions begin delete from fleet; end")
    shown = []
    monkeypatch.setattr(main_window.files, "error", lambda title, exc: shown.append(str(exc)), raising=False)
    before = snapshot(target)
    from desktop.ui.session import open_session

    with pytest.raises(InputError, match="trigger 'wipe'"):
        open_session(target)
    assert snapshot(target) == before


# -- the typed reader ------------------------------------------------------------------------------

def test_typed_reader_names_the_row_and_field():
    with pytest.raises(InputError) as info:
        rows.from_row(Site, {"id": 1, "name": "Red Mesa", "grid_capacity_mw": "abc", "energy_price_usd_per_mwh": 40})
    assert str(info.value) == "sites[Red Mesa].grid_capacity_mw: stored value 'abc' is not a number"
    from desktop.model.entities import Conversion, EquipmentModel, Hall

    cases = [
        (Site, {"name": b"\xff", "grid_capacity_mw": 1.0, "energy_price_usd_per_mwh": 1.0, "id": 4},
         "sites[id 4].name: stored value binary data is not text"),
        (Site, {"name": "X", "grid_capacity_mw": float("inf"), "energy_price_usd_per_mwh": 1.0},
         "sites[X].grid_capacity_mw: stored value inf is not a finite number"),
        (Site, {"name": "X", "grid_capacity_mw": None, "energy_price_usd_per_mwh": 1.0},
         "sites[X].grid_capacity_mw: stored value is missing (NULL)"),
        (Hall, {"site_id": 1, "name": "H", "power_capacity_kw": 1, "max_rack_kw": 1, "floor_load_kg": 1,
                "rows": "2", "cols": 1}, "halls[H].rows: stored value '2' is not a whole number"),
        (Hall, {"site_id": 1, "name": "H", "power_capacity_kw": 1, "max_rack_kw": 1, "floor_load_kg": 1,
                "rows": 2, "cols": 1, "cooling": "lava"}, "halls[H].cooling: stored value 'lava' is not one of"),
        (EquipmentModel, {"kind": "asic", "name": "A", "hashrate_ths": None, "power_w": 3000},
         "equipment_models[A].hashrate_ths: stored value is missing (NULL); a asic model needs one"),
        (Conversion, {"plan_id": 1, "site_id": 1, "start_month": 0, "critical_it_mw": 1.0, "label": "C",
                      "remove_asics": "{x"}, "conversions[C].remove_asics: stored value '{x' is not JSON"),
        (Conversion, {"plan_id": 1, "site_id": 1, "start_month": 0, "critical_it_mw": 1.0, "label": "C",
                      "remove_asics": '{"A": 1}'}, "conversions[C].remove_asics: stored value is not keyed by catalog ids"),
        (Conversion, {"plan_id": 1, "site_id": 1, "start_month": 0, "critical_it_mw": 1.0, "label": "C",
                      "power_pass_through": 7}, "conversions[C].power_pass_through: stored value 7 is not true or false"),
    ]
    for cls, row, message in cases:
        with pytest.raises(InputError) as info:
            rows.from_row(cls, row)
        assert str(info.value).startswith(message), (str(info.value), message)


@pytest.mark.parametrize("value, message", [
    (float("inf"), "must be a finite number"), (float("nan"), "must be a finite number"),
    (2**63, "beyond the whole numbers a project file holds"),
])
def test_values_no_reader_could_take_back_are_refused_before_they_are_stored(demo_project, value, message):
    before = demo_project.db["sites"].count
    field = "grid_capacity_mw" if isinstance(value, float) else "sort_order"
    site = Site(name="Overflow", grid_capacity_mw=1.0, energy_price_usd_per_mwh=40.0)
    setattr(site, field, value)
    with pytest.raises(InputError, match=message):
        sites.add(demo_project, site)
    assert demo_project.db["sites"].count == before


def test_settings_read_typed(demo_project):
    with demo_project.atomic() as db:
        db.execute("update settings set value = '[1]' where key = 'prepared_by'")
    with pytest.raises(InputError, match=r"settings\.prepared_by: stored value \[1\] is not text"):
        settings.get(demo_project, "prepared_by")


def test_a_current_plan_id_naming_no_plan_is_no_current_plan(demo_path, capsys):
    with open_project(demo_path) as project:
        settings.put(project, "current_plan_id", 424242)
        assert settings.current_plan_id(project) is None
    assert cli_main(["check", str(demo_path)]) == 0
    assert cli_main(["export-scenario", str(demo_path), "-o", str(demo_path.with_suffix(".json"))]) == 0


# -- STRICT tables: new files, and old files migrated after their backup -------------------------

def test_new_files_have_strict_tables_with_checks(demo_project):
    tables = demo_project.db.execute("select name, sql from sqlite_master where type = 'table' "
                                     "and name not like 'sqlite_%'").fetchall()
    assert tables and all(") STRICT" in sql for _, sql in tables), [n for n, s in tables if "STRICT" not in s]
    with pytest.raises(sqlite3.Error):
        with demo_project.atomic() as db:
            db.execute("update sites set grid_capacity_mw = 'abc'")
    with pytest.raises(sqlite3.IntegrityError):
        with demo_project.atomic() as db:
            db.execute("update halls set cooling = 'lava'")
    with pytest.raises(sqlite3.IntegrityError):
        with demo_project.atomic() as db:
            db.execute("update fleet set uptime_pct = 150")


def _schema1_file(path: Path, *extra: str) -> None:
    """A file as Rackshift wrote it before migration 0004 (ordinary tables), with a site, a hall,
    a fleet entry and positions."""
    from sqlite_utils import Database

    db = Database(path)
    first_later = [name for name in migrations.MIGRATIONS.names if name >= "0004"]
    migrations.migrate(db, stop_before=first_later)
    db.execute("insert into settings values ('project_name', '\"Old\"')")
    db.execute("insert into equipment_models (kind, name, hashrate_ths, power_w) values ('asic', 'Old S9', 13.5, 1300)")
    db.execute("insert into sites (name, grid_capacity_mw, energy_price_usd_per_mwh) values ('Red Mesa', 20, 40)")
    db.execute("insert into fleet (site_id, model_id, count) values (1, 1, 100)")
    db.execute("insert into halls (site_id, name, power_capacity_kw, max_rack_kw, floor_load_kg, rows, cols) "
               "values (1, 'Hall A', 2000, 20, 1000, 2, 5)")
    db.conn.executemany("insert into positions (hall_id, row, col, label, model_id, unit_count) values (1, ?, ?, ?, 1, 10)",
                        [(r, c, f"{'AB'[r]}{c + 1:02d}") for r in range(2) for c in range(5)])
    for statement in extra:
        db.execute(statement)
    db.conn.commit()
    db.close()


def test_an_old_file_is_backed_up_then_rebuilt_strict(tmp_path):
    path = tmp_path / "old.sqlite"
    _schema1_file(path)
    original = path.read_bytes()
    with open_project(path) as project:
        assert project.backup_path is not None and project.backup_path.read_bytes() == original
        assert project.schema_version == migrations.SCHEMA_VERSION
        assert all(") STRICT" in sql for (sql,) in project.db.execute(
            "select sql from sqlite_master where type = 'table' and name not like 'sqlite_%'"))
        assert [s.name for s in sites.sites(project)] == ["Red Mesa"]
        assert project.db["positions"].count == 10
        assert project.db.execute("select count(*) from sqlite_master where type = 'index' and name = "
                                  "'positions_model'").fetchone()[0] == 1
        assert project.db.execute("pragma foreign_key_check").fetchall() == []
    assert cli_main(["check", str(path)]) == 0


@pytest.mark.parametrize("statement, message", [
    ("update sites set grid_capacity_mw = 'abc'", "sites[Red Mesa].grid_capacity_mw: stored value 'abc' is not a number"),
    ("update fleet set count = 'many'", "fleet[row 1].count: stored value 'many' is not a whole number"),
    ("update sites set name = x'00ff'", "sites[row 1].name: stored value binary data is binary data, not text"),
    ("update halls set cooling = 'lava'", "halls: a stored row breaks a rule of the schema"),
    ("update positions set hall_id = 77 where id = 1", "positions[row 1]: refers to a halls row that does not exist"),
])
def test_a_bad_value_in_an_old_file_is_named_and_the_file_kept(tmp_path, statement, message, capsys):
    path = tmp_path / "old.sqlite"
    _schema1_file(path, statement)
    original = path.read_bytes()
    assert cli_main(["convert", str(path), "--site", "Red Mesa", "--hall", "Hall A", "--positions", "A01",
                     "--to", "4x DGX H100 rack"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert message in line or "damaged" in line, line
    assert path.read_bytes() == original
