"""A migration that fails half-way leaves the file at its old schema, with its data and no
record of the migration; the refusal names the file and the backup."""
from __future__ import annotations

import sqlite3

import pytest

from desktop.model.errors import InputError
from desktop.store import migrations
from desktop.store.project import create_project, open_project


def _schema(path):
    with sqlite3.connect(path) as conn:
        tables = {r[0]: [c[1] for c in conn.execute(f"pragma table_info({r[0]})")]
                  for r in conn.execute("select name from sqlite_master where type = 'table'")}
        applied = [r[0] for r in conn.execute("select name from _sqlite_migrations order by rowid")]
    return tables, applied


def test_a_failing_migration_leaves_the_file_at_its_old_schema(tmp_path, monkeypatch):
    path = tmp_path / "p.sqlite"
    create_project(path).close()
    before = _schema(path)

    def half_way(db):
        db.execute("alter table sites add column half_done text")   # applied, then the step fails
        db.execute("create table half_done_table (x)")
        db.execute("select no_such_function()")

    extended = migrations.MIGRATIONS.extended(("0997_fails_half_way", half_way))
    monkeypatch.setattr(migrations, "MIGRATIONS", extended)
    monkeypatch.setattr(migrations, "KNOWN", extended.names)
    with pytest.raises(InputError) as refused:
        open_project(path)
    assert "could not be migrated" in str(refused.value) and "left as it was" in str(refused.value)
    assert _schema(path) == before
