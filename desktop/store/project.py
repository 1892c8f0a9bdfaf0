"""Open, create and check Rackshift project files.

A project file is one SQLite database. `open_project` refuses what is not a Rackshift
file (with an `InputError` naming the file), backs up and migrates an older one, and
refuses one written by a newer Rackshift. Every write goes through `Project.db` inside
`with project.atomic():`, so an edit is all or nothing. Open for editing, the file runs in
SQLite's WAL mode with `synchronous = FULL` (each commit synced to `NAME-wal` before it returns);
closing it checkpoints the WAL into the file and returns it to a rollback-journal file. A process
killed mid-edit leaves a `-wal` (or, killed in a rollback-journal step, a hot journal) beside the
file, and the next opening for editing keeps what was committed and drops the unfinished edit
(`check_file(recover=True)`, `desktop/store/wal.py`).
"""
from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from desktop.model.errors import InputError
from desktop.store import migrations, wal

SQLITE_MAGIC = b"SQLite format 3\x00"


class Project:
    """An open project file. `readonly` projects refuse writes."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.backup_path: Path | None = None
        self.recovered = False   # an edit a killed process left unfinished was rolled back on opening
        self._listeners: list = []
        self._atomic_depth = 0
        self._wal = False        # switched to WAL at the first edit (see _connect)

    # -- transactions ---------------------------------------------------------------
    @contextmanager
    def atomic(self):
        if self.readonly:
            raise InputError(str(self.path), "the project is open read-only")
        if not self._wal and self._atomic_depth == 0 and not self.db.conn.in_transaction:
            self.db.execute("PRAGMA journal_mode = WAL")   # a project only read stays byte for byte as it was
            self._wal = True
        self._atomic_depth += 1
        try:
            with self.db.atomic():
                yield self.db
        finally:
            self._atomic_depth -= 1

    def roll_back_stray_transaction(self) -> bool:
        """Roll back a transaction open outside any `atomic()` block: a write that bypassed
        `atomic()` and was interrupted, which would otherwise swallow every later edit into
        one transaction that never commits. Returns whether there was one. (Called after an
        unexpected error; inside `atomic()` nothing is touched.)"""
        if self._atomic_depth == 0 and self.db.conn.in_transaction:
            self.db.conn.rollback()
            return True
        return False

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.db)

    def close(self) -> None:
        if not self.readonly and (self._wal or wal.wal_path(self.path).exists()):
            # the WAL into the file: one self-contained file again
            try:
                wal.checkpoint_into_file(self.db.conn)
            except sqlite3.Error:
                pass            # left in WAL mode: the next opening for editing checkpoints it
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
    if not readonly:
        # a sync at every commit: a process killed or a machine that loses power leaves the last
        # committed state (README, "Every edit is one transaction"). The first edit switches the
        # file to WAL (Project.atomic), where that is one fsync of the -wal; closing switches it back.
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    return conn


SYNCHRONOUS = "FULL"   # NORMAL would skip the commit's fsync: a power cut could then lose the last edits


def _checking_connection(path: Path, header: bytes = b"") -> sqlite3.Connection:
    """A short-lived read-only connection for the opening checks. A file in WAL mode with no
    -wal beside it is all in the file: read it as that one file, so that checking it (and
    refusing it) makes no -shm beside it."""
    if not header:
        with open(path, "rb") as fh:
            header = fh.read(100)
    if wal.wal_mode_without_log(path, header):
        return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1", uri=True)
    return _connect(path, readonly=True)


# SQLite result codes an opening check tells apart (sqlite3.Error.sqlite_errorcode)
SQLITE_BUSY, SQLITE_NOTADB = 5, 26
SQLITE_READONLY_ROLLBACK = 776   # a "hot" journal: a writer stopped mid-transaction


class _HotJournal(Exception):
    pass


def _refusal(name: str, exc: sqlite3.Error) -> InputError:
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    if code & 0xFF == SQLITE_BUSY:
        return InputError(name, "another program is writing the file right now; try again in a moment")
    if code & 0xFF == SQLITE_NOTADB:
        return InputError(name, "not a Rackshift project (not a readable SQLite file); it was not changed")
    if code & 0xFF in (10, 14):  # SQLITE_IOERR, SQLITE_CANTOPEN
        return InputError(name, f"cannot be read ({exc}); it was not changed")
    return InputError(name, f"the file is damaged ({exc}); it was not changed")


def _verify(path: Path, header: bytes = b"") -> None:
    """quick_check the file inside one read transaction (so no writer moves it meanwhile)."""
    name = str(path)
    conn = _checking_connection(path, header)
    conn.isolation_level = None
    try:
        try:
            conn.execute("BEGIN")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the read lock
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", 0) == SQLITE_READONLY_ROLLBACK:
                raise _HotJournal() from None
            raise _refusal(name, exc) from None
        try:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            # (with a live -wal, pages committed since the last checkpoint are only in the -wal)
            in_wal = wal.wal_path(path).exists() and wal.wal_path(path).stat().st_size > 0
            if not in_wal and path.stat().st_size < page_size * pages:
                raise InputError(name, "the file is truncated (damaged); it was not changed")
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.Error as exc:
            raise _refusal(name, exc) from None
        if problems != ["ok"]:
            lines = [" ".join(line.split()) for p in problems for line in p.splitlines() if line.strip()]
            more = f" and {len(lines) - 1} more problems" if len(lines) > 1 else ""
            raise InputError(name, f"the file is damaged ({lines[0]}{more}); it was not changed")
    finally:
        conn.close()


def _roll_back_hot_journal(path: Path) -> None:
    """Let SQLite restore the last committed state from the journal a stopped writer left."""
    try:
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise InputError(str(path), f"was left mid-edit by a program that stopped, and the unfinished edit "
                                    f"could not be rolled back ({exc}); it was not changed") from None


def check_file(path: Path, recover: bool = False) -> bool:
    """Refuse a file that is missing, unreadable, not SQLite, truncated or damaged; change nothing.

    A file left mid-edit by a process that was killed (a "hot" journal beside it) is first
    rolled back to its last committed state when `recover` is true: SQLite's own recovery,
    what any program opening it for writing does. Without `recover` it is refused.
    A `-wal` a killed writer left is, with `recover`, brought into the file (its commits kept,
    an unfinished edit dropped: `wal.recover`); without it, readers see its commits as SQLite does.
    Returns whether such an unfinished edit was rolled back or dropped.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "is a folder, not a project file")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if not header.startswith(SQLITE_MAGIC):
        raise InputError(name, "not a Rackshift project (not an SQLite file)")
    if len(header) < 100:
        raise InputError(name, "the file is truncated (damaged); it was not changed")
    dropped = False
    if recover and wal.wal_path(path).exists():
        try:
            dropped = wal.recover(path)
        except sqlite3.Error as exc:
            raise InputError(name, f"was left mid-edit by a program that stopped, and its write-ahead log could "
                                   f"not be brought into the file ({exc}); it was not changed") from None
    try:
        _verify(path, header)
    except _HotJournal:
        if not recover:
            raise InputError(name, "was left mid-edit by a program that stopped; open it for editing in "
                                   "Rackshift to roll the unfinished edit back") from None
        _roll_back_hot_journal(path)
        try:
            _verify(path)
        except _HotJournal:
            raise InputError(name, "was left mid-edit by a program that stopped, and the unfinished edit "
                                   "could not be rolled back") from None
        return True
    return dropped


def _check_rackshift(db: Database, name: str) -> None:
    try:
        tables = set(db.table_names())
        if not tables:
            raise InputError(name, "an empty SQLite file, not a Rackshift project")
        if migrations.MIGRATIONS.migrations_table not in tables or not migrations.applied_names(db):
            raise InputError(name, "an SQLite file of another program, not a Rackshift project")
        unknown = migrations.unknown_migrations(db)
    except sqlite3.Error:
        raise InputError(name, "an SQLite file of another program, not a Rackshift project") from None
    if unknown:
        raise InputError(
            name,
            f"written by a newer Rackshift (schema {unknown[-1]}); this version knows schema "
            f"{migrations.SCHEMA_VERSION}: please update Rackshift to open it",
        )
    missing = _missing_schema(db)
    if missing:
        raise InputError(name, f"the file is damaged ({missing} is missing); it was not changed")


_EXPECTED: dict = {}


def _expected_schema(applied: tuple[str, ...]) -> dict[str, set[str]]:
    """Tables and columns a file with these migrations applied has (built once in memory)."""
    key = (id(migrations.MIGRATIONS), applied)
    if key not in _EXPECTED:
        memory = Database(memory=True)
        later = [m.name for m in migrations.MIGRATIONS._migrations if m.name not in applied]
        migrations.MIGRATIONS.apply(memory, stop_before=later or None)
        _EXPECTED[key] = {t: set(memory[t].columns_dict) for t in memory.table_names()}
        memory.close()
    return _EXPECTED[key]


def _missing_schema(db: Database) -> str:
    """The first table or column of this file's schema version that it lacks ("" if none)."""
    expected = _expected_schema(tuple(migrations.applied_names(db)))
    present = set(db.table_names())
    for table, columns in expected.items():
        if table not in present:
            return f"table {table}"
        lacking = sorted(columns - set(db[table].columns_dict))
        if lacking:
            return f"column {table}.{lacking[0]}"
    return ""


def backup_copy(path: Path) -> Path:
    """Copy the file to a dated backup beside it (written whole, then renamed into place)."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
        n += 1
    part = target.with_name(target.name + ".part")
    try:
        shutil.copy2(path, part)
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        part.replace(target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InputError(str(path), f"must be migrated, but its backup could not be written ({exc.strerror or exc}); "
                                    f"it was not changed") from None
    return target


def _writable(path: Path) -> bool:
    """SQLite writes the file and a journal (or -wal and -shm) beside it: both need to be writable."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_project(path, readonly: bool = False) -> Project:
    """Open an existing project; migrate an older one after writing a backup beside it.

    Every refusal is an `InputError` naming the file, and a refused file is left as it was.
    Opening for writing rolls back an edit a killed process left unfinished (see check_file).
    """
    path = Path(path)
    name = str(path)
    if not readonly and path.is_file() and not _writable(path):
        raise InputError(name, "the file or its folder is read-only; open it read-only")
    recovered = check_file(path, recover=not readonly)
    conn = _checking_connection(path)
    try:
        probe = Database(conn)
        _check_rackshift(probe, name)
        pending = [m.name for m in migrations.MIGRATIONS.pending(probe)]
    finally:
        conn.close()
    backup = None
    if pending and not readonly:
        backup = backup_copy(path)
    elif pending and readonly:
        raise InputError(name, "an older project that must be migrated; open it writable first")
    project = Project(path, _connect(path, readonly), readonly)
    if pending:
        try:
            migrations.migrate(project.db)
        except sqlite3.Error as exc:  # each migration is one transaction: the file stays at its old schema
            project.close()
            raise InputError(name, f"could not be migrated to schema {migrations.SCHEMA_VERSION} ({exc}); "
                                   f"it was left as it was, with a copy in {backup.name}") from None
    project.backup_path = backup
    project.recovered = recovered
    return project


def inspect_file(path) -> dict:
    """What `rackshift check` reports, read-only: schema version, row counts, quick_check.

    Refuses (InputError) what open_project refuses, and a file left mid-edit by a killed
    process (it is only rolled back when opened for editing). Changes nothing.
    """
    path = Path(path)
    check_file(path, recover=False)
    conn = _checking_connection(path)
    try:
        db = Database(conn)
        _check_rackshift(db, str(path))
        pending = [m.name for m in migrations.MIGRATIONS.pending(db)]
        counts = {t: db[t].count for t in _expected_schema(tuple(migrations.applied_names(db)))
                  if t != migrations.MIGRATIONS.migrations_table}
        return {"path": str(path), "schema_version": migrations.schema_version(db),
                "current_schema_version": migrations.SCHEMA_VERSION, "pending_migrations": pending,
                "counts": counts, "quick_check": "ok",
                "journal_mode": conn.execute("PRAGMA journal_mode").fetchone()[0]}
    finally:
        conn.close()


def create_project(path, *, with_catalog: bool = True, overwrite: bool = False) -> Project:
    """Create a new project file with the current schema (and the seed catalog)."""
    from desktop.store import catalog

    path = Path(path)
    if path.exists():
        if not overwrite:
            raise InputError(str(path), "already exists")
        path.unlink()
    for leftover in ("-journal", "-wal", "-shm"):  # SQLite would apply an old journal to the new file
        path.with_name(path.name + leftover).unlink(missing_ok=True)
    if not path.parent.exists():
        raise InputError(str(path), "the folder does not exist")
    project = Project(path, _connect(path, readonly=False))
    migrations.migrate(project.db)
    if with_catalog:
        catalog.seed(project)
    return project
