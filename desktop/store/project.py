"""Open, create and check Rackshift project files.

A project file is one SQLite database. `open_project` refuses what is not a Rackshift
file (with an `InputError` naming the file), backs up and migrates an older one, and
refuses one written by a newer Rackshift. Every write goes through `Project.db` inside
`with project.atomic():`, so an edit is all or nothing.
"""
from __future__ import annotations

import datetime
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from desktop.model.errors import InputError
from desktop.store import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"


class Project:
    """An open project file. `readonly` projects refuse writes."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.backup_path: Path | None = None
        self._listeners: list = []

    # -- transactions ---------------------------------------------------------------
    @contextmanager
    def atomic(self):
        if self.readonly:
            raise InputError(str(self.path), "the project is open read-only")
        with self.db.atomic():
            yield self.db

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def check_file(path: Path) -> None:
    """Refuse a file that is missing, not SQLite, or truncated/damaged; change nothing."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "is a folder, not a project file")
    size = path.stat().st_size
    with open(path, "rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise InputError(name, "not a Rackshift project (not an SQLite file)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size and pages and size < page_size * pages:
        raise InputError(name, "the file is truncated (damaged); it was not changed")
    try:
        conn = _connect(path, readonly=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(name, f"the file is damaged ({exc}); it was not changed") from None
    if result != "ok":
        raise InputError(name, f"the file is damaged ({result}); it was not changed")


def _check_rackshift(db: Database, name: str) -> None:
    tables = set(db.table_names())
    if not tables:
        raise InputError(name, "an empty SQLite file, not a Rackshift project")
    if migrations.MIGRATIONS.migrations_table not in tables or not migrations.applied_names(db):
        raise InputError(name, "an SQLite file of another program, not a Rackshift project")
    unknown = migrations.unknown_migrations(db)
    if unknown:
        raise InputError(
            name,
            f"written by a newer Rackshift (schema {unknown[-1]}); this version knows schema "
            f"{migrations.SCHEMA_VERSION}: please update Rackshift to open it",
        )


def backup_copy(path: Path) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
        n += 1
    shutil.copy2(path, target)
    return target


def open_project(path, readonly: bool = False) -> Project:
    """Open an existing project; migrate an older one after writing a backup beside it."""
    path = Path(path)
    check_file(path)
    conn = _connect(path, readonly=True)
    try:
        probe = Database(conn)
        _check_rackshift(probe, str(path))
        pending = [m.name for m in migrations.MIGRATIONS.pending(probe)]
    finally:
        conn.close()
    backup = None
    if pending and not readonly:
        backup = backup_copy(path)
    elif pending and readonly:
        raise InputError(str(path), "an older project that must be migrated; open it writable first")
    project = Project(path, _connect(path, readonly), readonly)
    if pending:
        migrations.migrate(project.db)
    project.backup_path = backup
    return project


def create_project(path, *, with_catalog: bool = True, overwrite: bool = False) -> Project:
    """Create a new project file with the current schema (and the seed catalog)."""
    from desktop.store import catalog

    path = Path(path)
    if path.exists():
        if not overwrite:
            raise InputError(str(path), "already exists")
        path.unlink()
    if not path.parent.exists():
        raise InputError(str(path), "the folder does not exist")
    project = Project(path, _connect(path, readonly=False))
    migrations.migrate(project.db)
    if with_catalog:
        catalog.seed(project)
    return project
