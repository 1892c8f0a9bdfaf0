"""The project file: migrations, reopening, refusal of what is not a Rackshift file."""
import sqlite3

import pytest

from desktop.model.entities import FleetEntry, Hall, Site
from desktop.model.errors import InputError
from desktop.store import catalog, halls, migrations, sites
from desktop.store.project import create_project, open_project


def test_new_file_has_current_schema_and_catalog(tmp_path):
    project = create_project(tmp_path / "p.sqlite")
    assert project.schema_version == migrations.SCHEMA_VERSION >= 1
    names = {m.name for m in catalog.models(project)}
    assert {"Antminer S21", "GB200 NVL72", "4x DGX H100 rack"} <= names
    for model in catalog.models(project):
        assert model.source, f"{model.name} has no source"
    project.close()


def test_reopen_is_idempotent(tmp_path):
    path = tmp_path / "p.sqlite"
    create_project(path).close()
    for _ in range(2):
        with open_project(path) as project:
            assert project.schema_version == migrations.SCHEMA_VERSION
            assert migrations.MIGRATIONS.pending(project.db) == []
            assert project.backup_path is None
    assert not list(tmp_path.glob("*.backup-*"))


def test_round_trip_site_hall_fleet(tmp_path):
    path = tmp_path / "p.sqlite"
    with create_project(path) as project:
        sid = sites.add(project, Site(name="مزرعة الشمال", grid_capacity_mw=50, energy_price_usd_per_mwh=40))
        s21 = catalog.by_name(project, "Antminer S21")
        sites.add_fleet(project, FleetEntry(site_id=sid, model_id=s21.id, count=1000, uptime_pct=97))
        hid = halls.add(project, Hall(site_id=sid, name="H1", power_capacity_kw=10000, max_rack_kw=30,
                                      floor_load_kg=900, rows=3, cols=12))
    with open_project(path) as project:
        site = sites.by_name(project, "مزرعة الشمال")
        assert site.grid_capacity_mw == 50 and site.pue_hosting == 1.3
        (entry, model), = sites.fleet(project, site.id)
        assert entry.count == 1000 and model.name == "Antminer S21"
        table = halls.positions(project, hall_id=hid)
        assert len(table) == 36 and table.labels[0] == "A01" and table.labels[-1] == "C12"


def test_duplicate_site_name_refused_and_nothing_written(tmp_path):
    with create_project(tmp_path / "p.sqlite") as project:
        sites.add(project, Site(name="A", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
        with pytest.raises(InputError, match="name"):
            sites.add(project, Site(name="A", grid_capacity_mw=2, energy_price_usd_per_mwh=1))
        assert len(sites.sites(project)) == 1


@pytest.mark.parametrize("content, message", [
    (b"hello, this is text" * 10, "not an SQLite file"),
    (b"", "not an SQLite file"),
])
def test_not_sqlite_refused_and_unchanged(tmp_path, content, message):
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        open_project(path)
    assert path.read_bytes() == content


def test_other_programs_sqlite_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("create table photos (id integer primary key, name text)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match="another program"):
        open_project(path)
    assert path.read_bytes() == before


def test_newer_file_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    with create_project(path) as project:
        project.db["_sqlite_migrations"].insert({"migration_set": "rackshift", "name": "9999_future",
                                                  "applied_at": "2030-01-01"})
    before = path.read_bytes()
    with pytest.raises(InputError, match="newer Rackshift"):
        open_project(path)
    assert path.read_bytes() == before


def test_truncated_file_refused(tmp_path, demo_path):
    data = demo_path.read_bytes()
    path = tmp_path / "cut.sqlite"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated|damaged"):
        open_project(path)


def test_older_file_backed_up_then_migrated(tmp_path, monkeypatch):
    """A file at schema N-1 is copied beside itself before the newer migration runs."""
    path = tmp_path / "old.sqlite"
    create_project(path).close()

    def _add(db):
        db.execute("alter table sites add column test_note text")

    extended = migrations.MIGRATIONS.extended(("0998_test_column", _add))
    monkeypatch.setattr(migrations, "MIGRATIONS", extended)
    monkeypatch.setattr(migrations, "KNOWN", extended.names)
    with open_project(path) as project:
        assert project.backup_path is not None and project.backup_path.exists()
        assert "test_note" in project.db["sites"].columns_dict
    with open_project(project.backup_path, readonly=True) if False else open(project.backup_path, "rb"):
        pass
    conn = sqlite3.connect(project.backup_path)
    assert "test_note" not in [r[1] for r in conn.execute("pragma table_info(sites)")]
    conn.close()


def test_statement_splitter_keeps_statements_whole():
    sql = "create table a (x text default ';');\n-- comment\ncreate index i on a(x);\n"
    assert migrations._statements(sql) == ["create table a (x text default ';');", "-- comment\ncreate index i on a(x);"]
