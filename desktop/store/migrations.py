"""Numbered schema migrations for the project file (sqlite_utils.Migrations).

Each `db/migrations/NNNN_name.sql` is one migration, applied with its record in one
transaction. The schema version of a file is the number of the last migration applied.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Callable

from sqlite_utils import Database, Migrations

from desktop.paths import db_dir

MIGRATION_SET = "rackshift"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")


def _statements(sql: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(l.strip().startswith("--") or not l.strip() for l in buf.splitlines()):
        out.append(buf.strip())
    return out


def _files(folder: Path | None = None) -> list[Path]:
    folder = folder or db_dir() / "migrations"
    return sorted(p for p in folder.iterdir() if _NAME.match(p.name))


class NamedMigrations(Migrations):
    """sqlite-utils' Migrations that also lists its steps in order (`names`, `steps`), so
    nothing reads the library's private list."""

    def __init__(self, name: str):
        super().__init__(name)
        self.steps: list[tuple[str, Callable[[Database], None]]] = []

    def add(self, name: str, fn: Callable[[Database], None]) -> None:
        self(name=name)(fn)
        self.steps.append((name, fn))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.steps]

    def extended(self, *extra: tuple[str, Callable[[Database], None]]) -> "NamedMigrations":
        """These steps, then `extra` (a newer Rackshift's, in tests)."""
        out = NamedMigrations(self.name)
        for name, fn in self.steps + list(extra):
            out.add(name, fn)
        return out


def build_migrations(folder: Path | None = None) -> NamedMigrations:
    migrations = NamedMigrations(MIGRATION_SET)
    for path in _files(folder):
        if path.suffix == ".py":
            # a migration that must read the file's current schema (a table rebuild): its
            # `apply(db)` runs in the migration's transaction, like a .sql file's statements
            migrations.add(path.stem, _python_migration(path))
            continue
        statements = _statements(path.read_text(encoding="utf-8"))

        def apply(db: Database, _statements=statements) -> None:
            for statement in _statements:
                db.execute(statement)

        migrations.add(path.stem, apply)
    return migrations


def _python_migration(path: Path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"rackshift_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.apply


MIGRATIONS = build_migrations()
KNOWN = MIGRATIONS.names
SCHEMA_VERSION = max(int(name[:4]) for name in KNOWN)  # the number of the last migration


def applied_names(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def schema_version(db: Database) -> int:
    names = applied_names(db)
    return max((int(n[:4]) for n in names), default=0)


def unknown_migrations(db: Database) -> list[str]:
    """Migrations recorded in the file that this Rackshift does not know (a newer file)."""
    return [n for n in applied_names(db) if n not in KNOWN]


def migrate(db: Database, stop_before=None) -> list[str]:
    """Apply pending migrations (up to `stop_before`); return the names applied.

    Foreign keys are off while they run (a table rebuild drops and renames tables, and with
    them on, dropping a parent would cascade into its children); each migration that rebuilds
    tables checks them itself (`PRAGMA foreign_key_check`) before it commits."""
    before = set(applied_names(db)) if MIGRATIONS.migrations_table in db.table_names() else set()
    if [m for m in MIGRATIONS.pending(db)]:
        keys = db.execute("PRAGMA foreign_keys").fetchone()[0]
        db.execute("PRAGMA foreign_keys = OFF")
        try:
            MIGRATIONS.apply(db, stop_before=stop_before)
        finally:
            db.execute(f"PRAGMA foreign_keys = {int(keys)}")
    return [n for n in applied_names(db) if n not in before]
