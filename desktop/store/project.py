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

A project file is untrusted input (issue 18): opening checks that it is a regular file, passes
a full integrity_check (CHECK constraints and foreign keys included), has exactly the schema its
migrations made (no trigger, view or table Rackshift did not create), and that its settings and
rows read typed. A `-journal` or `-wal` left beside it is first tried on a copy: one that does
not belong to the file is refused by name, never rolled into it (issue 21). A writable project
holds the file's writer lock (desktop/store/filelock.py) until it is closed. New files are
built under a temporary name and renamed into place when complete (`building`).
"""
from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from desktop.model.errors import InputError
from desktop.store import migrations, wal

SQLITE_MAGIC = b"SQLite format 3\x00"
SIDECARS = ("-journal", "-wal", "-shm")


def sidecar(path: Path, suffix: str) -> Path:
    return Path(path).with_name(Path(path).name + suffix)


# SQLite result codes a write can fail with that are about the disk, not the data
SQLITE_BUSY, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 5, 8, 10, 13, 14


def sqlite_version() -> str:
    """The SQLite library the store writes project files with (for Help > About)."""
    return sqlite3.sqlite_version


def database_refusal(exc: BaseException) -> InputError | None:
    """The refusal for a SQLite error that escaped the store (a full disk, a damaged page...),
    so no caller outside desktop/store handles sqlite3's exceptions; None for anything else."""
    if not isinstance(exc, sqlite3.Error):
        return None
    return storage_error("project file", exc) or InputError("project file", str(exc))


def storage_error(name: str, exc: BaseException, *, kept: str = "nothing was written") -> InputError | None:
    """The one-line refusal for a write the disk would not take (full, read-only, I/O error,
    busy), or None for any other error (a bug or a constraint the caller handles)."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    errno_ = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code == SQLITE_FULL or errno_ in (28, 122) or "disk is full" in text:   # ENOSPC, EDQUOT
        return InputError(name, f"the disk is full; {kept}")
    if code == SQLITE_READONLY or errno_ in (30,) or "readonly" in text or "read-only" in text:  # EROFS
        return InputError(name, f"the disk or the file is read-only; {kept}")
    if code == SQLITE_BUSY or "database is locked" in text:
        return InputError(name, f"is busy: another program is writing it; try again when it is done; {kept}")
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN) or errno_ in (5, 13, 1):         # EIO, EACCES, EPERM
        return InputError(name, f"cannot be written ({_clean(exc)}); {kept}")
    return None


class Project:
    """An open project file. `readonly` projects refuse writes. A writable one holds the
    file's writer lock (desktop.store.filelock) until it is closed."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool = False, lock=None):
        self.path = Path(path)
        self.readonly = readonly
        self.lock = lock
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.backup_path: Path | None = None
        self.recovered = False   # an edit a killed process left unfinished was rolled back on opening
        self._scratch: Path | None = None   # a read-only view read through a copy (see _read_view)
        self._atomic_depth = 0
        self._wal = False        # switched to WAL at the first edit (see _connect)

    # -- transactions ---------------------------------------------------------------
    @contextmanager
    def atomic(self):
        if self.readonly:
            raise InputError(str(self.path), "the project is open read-only")
        if self._atomic_depth == 0:
            self.use_wal()
        self._atomic_depth += 1
        try:
            try:
                with self.db.atomic():
                    if self._atomic_depth == 1:
                        # every edit counts itself in the header's user_version: page 1 goes first into
                        # the rollback journal or the -wal, saying which version of the file it follows
                        # (_foreign_journal, _foreign_wal: a leftover of another file is never rolled in)
                        version = self.db.execute("PRAGMA user_version").fetchone()[0]
                        self.db.execute(f"PRAGMA user_version = {(int(version) + 1) & 0x7FFFFFFF}")
                    yield self.db
            except (sqlite3.OperationalError, OSError) as exc:
                if self._atomic_depth > 1:
                    raise
                refusal = storage_error(str(self.path), exc, kept="the edit was not stored; the file is as it was")
                if refusal is None:
                    raise
                raise refusal from None
        finally:
            self._atomic_depth -= 1

    def use_wal(self) -> None:
        """Switch the file to WAL for this session's edits, at the first edit: a project only read
        stays byte for byte as it was, and a copy of it is a rollback-journal file."""
        if not self._wal and not self.readonly and not self.db.conn.in_transaction:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                refusal = storage_error(str(self.path), exc, kept="the edit was not stored; the file is as it was")
                if refusal is None:
                    raise
                raise refusal from None
            self._wal = True

    def in_one_transaction(self, step):
        """Run `step()` (any number of store calls, each with its own `atomic()` block, which
        become savepoints) as one transaction: one undo step is all or nothing on disk."""
        with self.atomic():
            return step()

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

    @property
    def closed(self) -> bool:
        """The file was closed (a queued event or a background result may still arrive after)."""
        try:
            self.db.conn.in_transaction
        except sqlite3.ProgrammingError:
            return True
        return False

    def save_copy(self, target) -> Path:
        """Write a consistent copy of the project to `target` (SQLite's backup API), whole or
        not at all; refuses the file itself and a file another Rackshift has open."""
        from desktop.store import filelock

        target = Path(target).resolve()
        if target == self.path.resolve() or (target.exists() and os.path.samefile(target, self.path)):
            raise InputError(str(target), "is the file already open")
        lock = filelock.try_lock(target)   # another Rackshift that has the target open keeps it
        if lock is None:
            raise filelock.busy_error(target)
        try:
            return self._save_copy_locked(target)
        finally:
            lock.release()

    def _save_copy_locked(self, target: Path) -> Path:
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                self.db.conn.backup(dest)
            finally:
                dest.close()
            for leftover in ("-journal", "-wal", "-shm"):  # an old journal would be applied to the copy
                target.with_name(target.name + leftover).unlink(missing_ok=True)
            tmp.replace(target)
        except (sqlite3.Error, OSError) as exc:
            tmp.unlink(missing_ok=True)
            raise (storage_error(str(target), exc, kept="nothing was written")
                   or InputError(str(target), f"cannot be written ({exc})")) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def close(self) -> None:
        if not self.readonly and (self._wal or wal.wal_path(self.path).exists()):
            # the WAL into the file: one self-contained file again
            try:
                wal.checkpoint_into_file(self.db.conn)
            except sqlite3.Error:
                pass            # left in WAL mode: the next opening for editing checkpoints it
        try:
            self.db.conn.close()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _refusing_undecodable(fn):
    """SQLite's own messages about a damaged schema can hold bytes that are not UTF-8, and then
    Python cannot even build the error: that is one refusal naming the file too."""
    import functools

    @functools.wraps(fn)
    def wrapper(path, *args, **kwargs):
        try:
            return fn(path, *args, **kwargs)
        except UnicodeDecodeError:
            raise InputError(str(path), "the file is damaged (its schema holds text that is not valid UTF-8); "
                                        "it was not changed") from None
    return wrapper


def _clean(value) -> str:
    """A message from SQLite (or a file's bytes in it) as one printable line."""
    text = str(value)
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else " " if ord(c) < 32 or ord(c) == 127 else c
                   for c in text)
    return " ".join(text.split())[:300]


def _utf8(conn: sqlite3.Connection, path) -> sqlite3.Connection:
    """Text that is not UTF-8 (a damaged or hostile file) is one refusal naming the file, not a
    UnicodeDecodeError wherever it is read."""
    name = str(path)

    def decode(raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(name, "the file is damaged or not Rackshift's (it holds text that is not valid "
                                   "UTF-8); it was not changed") from None

    conn.text_factory = decode
    return conn


def _connect(path: Path, readonly: bool, immutable: bool = False) -> sqlite3.Connection:
    if readonly:
        uri = Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
        conn = _utf8(sqlite3.connect(uri, uri=True, check_same_thread=False), path)
    else:
        conn = _utf8(sqlite3.connect(str(path), check_same_thread=False), path)
    conn.execute("PRAGMA busy_timeout = 5000")
    if not readonly:
        # a sync at every commit: a process killed or a machine that loses power leaves the last
        # committed state (README, "Every edit is one transaction"). The first edit switches the
        # file to WAL (Project.atomic), where that is one fsync of the -wal; closing switches it back.
        conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
    return conn


SYNCHRONOUS = "FULL"   # NORMAL would skip the commit's fsync: a power cut could then lose the last edits


# SQLite result codes an opening check tells apart (sqlite3.Error.sqlite_errorcode)
SQLITE_NOTADB = 26
SQLITE_READONLY_ROLLBACK = 776   # a "hot" journal: a writer stopped mid-transaction


class _HotJournal(Exception):
    pass


def _refusal(name: str, exc: sqlite3.Error, kept: str = "it was not changed") -> InputError:
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    if code & 0xFF == SQLITE_BUSY:
        return InputError(name, "another program is writing the file right now; try again in a moment")
    if code & 0xFF == SQLITE_NOTADB:
        return InputError(name, f"not a Rackshift project (not a readable SQLite file); {kept}")
    if code & 0xFF in (10, 14):  # SQLITE_IOERR, SQLITE_CANTOPEN
        return InputError(name, f"cannot be read ({_clean(exc)}); {kept}")
    return InputError(name, f"the file is damaged ({_clean(exc)}); {kept}")


def _problems_text(problems: list[str]) -> str:
    lines = [_clean(line) for p in problems for line in str(p).splitlines() if line.strip()]
    more = f" and {len(lines) - 1} more problems" if len(lines) > 1 else ""
    return f"{lines[0]}{more}"


def _verify_conn(conn: sqlite3.Connection, path: Path, name: str, kept: str) -> None:
    """Inside one read transaction (so no writer moves the file meanwhile): the file is as long
    as its header says and passes SQLite's full integrity_check (b-trees, indexes, constraints)."""
    conn.isolation_level = None
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the read lock
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) == SQLITE_READONLY_ROLLBACK:
            raise _HotJournal() from None
        raise _refusal(name, exc, kept) from None
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        # (with a live -wal, pages committed since the last checkpoint are only in the -wal)
        log = sidecar(path, "-wal")
        if path.stat().st_size < page_size * pages and not (log.exists() and log.stat().st_size > 0):
            raise InputError(name, f"the file is truncated (damaged); {kept}")
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems == ["ok"]:   # rows that refer to rows that are not there (SQLite's check skips them)
            dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
            if dangling is not None:
                table, rowid, parent, _ = dangling
                problems = [f"{table} row {rowid} refers to a {parent} row that does not exist"]
    except sqlite3.Error as exc:
        raise _refusal(name, exc, kept) from None
    finally:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
    if problems != ["ok"]:
        raise InputError(name, f"the file is damaged ({_problems_text(problems)}); {kept}")


def _lock_is_live(path: Path) -> bool:
    """Another Rackshift (or this process) holds the file's writer lock: its -wal/-journal are in use."""
    from desktop.store import filelock

    holder = filelock.read_holder(path)
    return holder is not None and not holder.is_stale()


def _is_wal_header(header: bytes) -> bool:
    return len(header) >= 20 and (header[18] == 2 or header[19] == 2)


def _read_connection(path: Path, header: bytes) -> sqlite3.Connection:
    """A connection that reads the file and writes nothing beside it: in WAL mode, with no
    writer and no -wal, SQLite would create -shm (and -wal) even read-only: read it immutable."""
    if wal.wal_mode_without_log(path, header) and not _lock_is_live(path):
        return _connect(path, readonly=True, immutable=True)
    return _connect(path, readonly=True)


def _verify(path: Path, header: bytes, kept: str = "it was not changed") -> None:
    """The file passes integrity_check, CHECK constraints included: SQLite verifies those only on
    a connection that could write, so the check runs on one with `query_only` (a rollback-journal
    file: reading writes nothing beside it), or on a scratch copy (a WAL file, which such a
    connection would give a -shm). A file another live Rackshift is writing is checked read-only."""
    import tempfile

    name = str(path)
    conn = _read_connection(path, header)
    try:
        conn.isolation_level = None
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()   # a hot journal, or not SQLite
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", 0) == SQLITE_READONLY_ROLLBACK:
                raise _HotJournal() from None
            raise _refusal(name, exc, kept) from None
        if _lock_is_live(path) and _is_wal_header(header):
            _verify_conn(conn, path, name, kept)
            return
    finally:
        conn.close()
    if not _is_wal_header(header):
        conn = _utf8(sqlite3.connect(str(path), check_same_thread=False), path)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA query_only = 1")
            _verify_conn(conn, path, name, kept)
        finally:
            conn.close()
        return
    scratch = Path(tempfile.mkdtemp(prefix="rackshift-check-"))
    try:
        copy = scratch / "copy.sqlite"
        shutil.copyfile(path, copy)
        conn = _utf8(sqlite3.connect(str(copy)), path)
        try:
            conn.execute("PRAGMA query_only = 1")
            _verify_conn(conn, copy, name, kept)
        finally:
            conn.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
                                    f"could not be rolled back ({_clean(exc)}); it was not changed") from None


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _journal_page1(journal: Path) -> tuple[int, bytes | None, int] | None:
    """(page size, the original page 1 or None, the file's size in pages before the edit) from a
    rollback journal's first segment; None when it is not a journal SQLite would roll back."""
    try:
        with open(journal, "rb") as fh:
            head = fh.read(28)
            if len(head) < 28 or head[:8] != JOURNAL_MAGIC:
                return None
            initial_pages = int.from_bytes(head[16:20], "big")
            n_rec = int.from_bytes(head[8:12], "big")
            sector = int.from_bytes(head[20:24], "big")
            page_size = int.from_bytes(head[24:28], "big")
            if not (512 <= page_size <= 65536) or not (32 <= sector <= 65536):
                return None
            size = os.fstat(fh.fileno()).st_size
            if n_rec == 0xFFFFFFFF:
                n_rec = (size - sector) // (page_size + 8)
            offset = sector
            for _ in range(min(n_rec, 1_000_000)):
                fh.seek(offset)
                record = fh.read(4 + page_size)
                if len(record) < 4 + page_size:
                    break
                if int.from_bytes(record[:4], "big") == 1:
                    return page_size, record[4:], initial_pages
                offset += page_size + 8
            return page_size, None, initial_pages
    except OSError:
        return None


def _foreign_journal(path: Path, header: bytes) -> str:
    """Why the rollback journal beside `path` cannot be this file's ("" when it may be): it was
    written for another page size, or its page 1 (kept as it was before the stopped edit) is
    of another file or another version of this one (the file change counter is neither the
    journal's nor the one the stopped edit was writing)."""
    journal = sidecar(path, "-journal")
    found = _journal_page1(journal)
    if found is None:
        return ""
    page_size, page1, initial_pages = found
    file_page_size = int.from_bytes(header[16:18], "big") or 65536
    if file_page_size == 1:
        file_page_size = 65536
    if page_size != file_page_size:
        return f"its pages are {page_size} bytes, the file's {file_page_size}"
    if page1 is None:
        # page 1 is untouched by the stopped edit, so the file's header is as the edit found it
        file_pages = int.from_bytes(header[28:32], "big")
        if header[92:96] == header[24:28] and file_pages and file_pages != initial_pages:
            return f"it was written for a file of {initial_pages} pages, this one has {file_pages}"
        return ""
    if page1[:16] != SQLITE_MAGIC:
        return "its first page is not an SQLite header"
    journal_counter = int.from_bytes(page1[24:28], "big")
    file_counter = int.from_bytes(header[24:28], "big")
    if file_counter not in (journal_counter, (journal_counter + 1) & 0xFFFFFFFF):
        return (f"it was written for another version of the file (change counter {journal_counter}, "
                f"the file's {file_counter})")
    return ""


def _wal_page1_versions(path: Path, page_size: int) -> list[int] | None:
    """The user_version of each page 1 the -wal beside `path` holds, in log order (None: no
    usable log). Frames of an older log generation (other salts) are not part of the log."""
    try:
        data = wal.wal_path(path).read_bytes()
    except OSError:
        return None
    if len(data) < 32 or int.from_bytes(data[:4], "big") not in wal.WAL_MAGIC:
        return None
    wal_page = int.from_bytes(data[8:12], "big")
    if wal_page != page_size:
        return [-1]   # another page size: not this file's
    salts = data[16:24]
    versions, offset, frame = [], 32, 24 + wal_page
    while offset + frame <= len(data) and data[offset + 8:offset + 16] == salts:
        if int.from_bytes(data[offset:offset + 4], "big") == 1:
            versions.append(int.from_bytes(data[offset + 24 + 60:offset + 24 + 64], "big"))
        offset += frame
    return versions


def _foreign_wal(path: Path, header: bytes) -> str:
    """Why the -wal beside `path` cannot follow this file ("" when it may): every Rackshift edit
    bumps the header's user_version, so the file's version must be the one the log's first edit
    followed, or one a checkpoint already copied in."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    versions = _wal_page1_versions(path, page_size)
    if not versions:
        return ""
    if versions == [-1]:
        return "its pages are of another size than the file's"
    ours = int.from_bytes(header[60:64], "big")
    if ours == (versions[0] - 1) & 0x7FFFFFFF or ours in versions:
        return ""
    return f"it continues version {(versions[0] - 1) & 0x7FFFFFFF} of a file, this one is version {ours}"


def _file_id(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("select value from settings where key = 'file_id'").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _trial_recovery(path: Path, header: bytes) -> None:
    """Recover a copy of the file with the -journal/-wal a stopped program left beside it, in a
    scratch folder, and refuse (naming the leftover) when the result is not this project
    intact: a leftover of another file, or of another version of this one, would otherwise be
    rolled into it by SQLite. Nothing beside the user's file is written."""
    import tempfile

    name = str(path)
    present = [s for s in ("-journal", "-wal") if sidecar(path, s).exists() and sidecar(path, s).stat().st_size > 0]
    if not present:
        return
    which = sidecar(path, present[0]).name
    def foreign(why: str) -> InputError:
        return InputError(name, f"{which} beside it does not belong to this file ({why}); neither was changed. "
                                f"Move {which} away to open the file as it was last saved")
    if "-journal" in present:
        why = _foreign_journal(path, header)
        if why:
            raise foreign(why)
    if "-wal" in present:
        why = _foreign_wal(path, header)
        if why:
            which = sidecar(path, "-wal").name
            raise foreign(why)
    scratch = Path(tempfile.mkdtemp(prefix="rackshift-check-"))
    try:
        alone = scratch / "alone.sqlite"
        shutil.copyfile(path, alone)
        copy = scratch / "with.sqlite"
        shutil.copyfile(path, copy)
        for s in present:
            shutil.copyfile(sidecar(path, s), sidecar(copy, s))
        conn = _utf8(sqlite3.connect(str(copy)), path)
        try:
            conn.execute("PRAGMA query_only = 0")
            try:
                _verify_conn(conn, copy, name, "")
            except _HotJournal:
                raise foreign("SQLite could not roll it back") from None
            except InputError as exc:
                raise foreign(exc.message.rstrip("; ")) from None
            try:
                _check_rackshift(Database(conn), name)
            except InputError as exc:
                raise foreign(exc.message) from None
            ours = _file_id(conn)
        finally:
            conn.close()
        before = _connect(alone, readonly=True, immutable=True)
        try:
            theirs = _file_id(before)
        finally:
            before.close()
        if theirs is not None and ours != theirs:
            raise foreign("it holds another project")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _header(path: Path, writable: bool) -> bytes:
    """Refuse what is not a regular, readable SQLite file whose format this SQLite can read (and,
    `writable`, write); return its 100-byte header. Never blocks (a FIFO is refused unopened)."""
    import stat

    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a folder, not a project file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                or stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise InputError(name, f"is {kind}, not a project file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(name, "is not a regular file, not a project file")
            header = os.read(fd, 100)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from None
    if not header.startswith(SQLITE_MAGIC):
        raise InputError(name, "not a Rackshift project (not an SQLite file)")
    if len(header) < 100:
        raise InputError(name, "the file is truncated (damaged); it was not changed")
    write_version, read_version = header[18], header[19]
    if read_version > 2:
        raise InputError(name, f"uses an SQLite file format this Rackshift cannot read (read version "
                               f"{read_version}); it was not changed")
    if write_version > 2 and writable:
        raise InputError(name, f"uses an SQLite file format this Rackshift cannot write (write version "
                               f"{write_version}): it can only be opened read-only; it was not changed")
    return header


@_refusing_undecodable
def check_file(path: Path, recover: bool = False, writable: bool = True, leftovers: bool | None = None) -> bool:
    """Refuse a file that is missing, not a regular file, unreadable, not SQLite, truncated or
    damaged (full integrity_check); change nothing.

    A file left mid-edit by a process that was killed (a "hot" journal beside it) is first
    rolled back to its last committed state when `recover` is true: SQLite's own recovery,
    what any program opening it for writing does; a leftover -journal or -wal that does not
    belong to the file is refused by name (tried on a copy first). Without `recover` a hot
    journal is refused. `writable`: refuse a file format this SQLite can only read.
    `leftovers`: whether a -journal/-wal beside the file is a stopped program's (default: when
    no live process holds the writer lock). Returns whether an unfinished edit was rolled back.
    """
    path = Path(path)
    name = str(path)
    header = _header(path, writable)
    if leftovers is None:
        leftovers = not _lock_is_live(path)
    dropped = False
    if leftovers:
        _trial_recovery(path, header)
        if wal.wal_path(path).exists():
            if not recover:
                return False   # verified on a copy with it; reading the file itself would write its -shm
            try:
                dropped = wal.recover(path)   # its commits into the file, an unfinished edit dropped
            except sqlite3.Error as exc:
                raise InputError(name, f"was left mid-edit by a program that stopped, and its write-ahead log could "
                                       f"not be brought into the file ({_clean(exc)}); it was not changed") from None
            header = _header(path, writable)
    try:
        _verify(path, header)
    except _HotJournal:
        if not recover:
            raise InputError(name, "was left mid-edit by a program that stopped; open it for editing in "
                                   "Rackshift to roll the unfinished edit back") from None
        _roll_back_hot_journal(path)
        kept = ("the unfinished edit a stopped program left was rolled back first, "
                "so the file is as it was last saved before that edit")
        try:
            _verify(path, _header(path, writable), kept)
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
    except UnicodeDecodeError:
        raise InputError(name, "the file is damaged (a name in its schema is not UTF-8); it was not changed") from None
    if unknown:
        raise InputError(
            name,
            f"written by a newer Rackshift (schema {unknown[-1]}); this version knows schema "
            f"{migrations.SCHEMA_VERSION}: please update Rackshift to open it",
        )
    try:
        missing = _missing_schema(db)
        foreign = _foreign_schema(db)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise InputError(name, f"the file is damaged ({_clean(exc)}); it was not changed") from None
    if missing:
        raise InputError(name, f"the file is damaged ({missing} is missing); it was not changed")
    if foreign:
        raise InputError(name, f"holds {foreign} that Rackshift did not make (a project file holds only "
                               f"Rackshift's own tables and indexes); it was not opened and not changed")


_EXPECTED: dict = {}
# what SQLite itself may add to any file (ANALYZE statistics, AUTOINCREMENT counters)
_SQLITE_OWN = ("sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4", "sqlite_sequence")


def _schema_of(db: Database) -> dict:
    """{"tables": {table: [(column, type, notnull, pk)...]}, "objects": {(type, name, table)}}"""
    objects = set()
    tables = {}
    for type_, name, table in db.execute("select type, name, tbl_name from sqlite_master"):
        if name.startswith("sqlite_autoindex_") or name in _SQLITE_OWN:
            continue
        objects.add((type_, name, table))
        if type_ == "table":
            tables[name] = [(r[1], (r[2] or "").upper(), r[3], r[5])
                            for r in db.execute(f"select * from pragma_table_info(?)", [name])]
    return {"tables": tables, "objects": objects}


def _expected_schema(applied: tuple[str, ...]) -> dict:
    """The schema a file with these migrations applied has (built once in memory)."""
    key = (id(migrations.MIGRATIONS), applied)
    if key not in _EXPECTED:
        memory = Database(memory=True)
        later = [name for name in migrations.MIGRATIONS.names if name not in applied]
        migrations.migrate(memory, stop_before=later or None)
        _EXPECTED[key] = _schema_of(memory)
        memory.close()
    return _EXPECTED[key]


def _missing_schema(db: Database) -> str:
    """The first table or column of this file's schema version that it lacks ("" if none)."""
    expected = _expected_schema(tuple(migrations.applied_names(db)))["tables"]
    present = set(db.table_names())
    for table, columns in expected.items():
        if table not in present:
            return f"table {table}"
        lacking = sorted({c[0] for c in columns} - set(db[table].columns_dict))
        if lacking:
            return f"column {table}.{lacking[0]}"
    return ""


_KIND = {"table": "a table", "index": "an index", "view": "a view", "trigger": "a trigger"}


def _foreign_schema(db: Database) -> str:
    """What the file's schema holds beyond (or other than) what its migrations made: a trigger,
    a view, a virtual or extra table, an extra index or column, a column of another type
    ("" when it is exactly the migrations' schema)."""
    expected = _expected_schema(tuple(migrations.applied_names(db)))
    found = _schema_of(db)
    extra = sorted(found["objects"] - expected["objects"], key=lambda o: (o[0] != "trigger", o[1]))
    if extra:
        type_, name, table = extra[0]
        sql = db.execute("select sql from sqlite_master where name = ?", [name]).fetchone()
        if type_ == "table" and sql and sql[0] and "VIRTUAL" in sql[0].upper().split("(")[0]:
            what = f"a virtual table {name!r}"
        else:
            what = f"{_KIND.get(type_, type_)} {name!r}" + (f" on {table}" if type_ in ("index", "trigger") else "")
        more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
        return what + more
    for table, columns in expected["tables"].items():
        theirs = found["tables"].get(table, [])
        if theirs != columns:
            names = {c[0] for c in columns}
            added = [c[0] for c in theirs if c[0] not in names]
            if added:
                return f"a column {table}.{added[0]}"
            mine = {c[0]: c for c in columns}
            for c in theirs:
                if c != mine.get(c[0]):
                    return f"a column {table}.{c[0]} declared otherwise ({c[1] or 'no type'})"
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


def _read_view(path: Path, header: bytes) -> tuple[sqlite3.Connection, Path | None]:
    """A read-only connection that changes nothing beside the file. A -wal a stopped writer
    left holds committed edits SQLite would have to write back (and make -shm for): it is read
    through a copy in a scratch folder instead (the trial recovery checked it belongs)."""
    import tempfile

    log = sidecar(path, "-wal")
    if log.exists() and log.stat().st_size > 0 and not _lock_is_live(path):
        scratch = Path(tempfile.mkdtemp(prefix="rackshift-read-"))
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(log, sidecar(copy, "-wal"))
        conn = _utf8(sqlite3.connect(str(copy), check_same_thread=False), path)
        conn.execute("PRAGMA query_only = 1")
        return conn, scratch
    return _read_connection(path, header), None


@_refusing_undecodable
def open_project(path, readonly: bool = False, lock_timeout_s: float | None = None) -> Project:
    """Open an existing project; migrate an older one after writing a backup beside it.

    Every refusal is an `InputError` naming the file, and a refused file is left as it was.
    Opening for writing takes the file's writer lock (waiting up to `lock_timeout_s`, then
    refusing naming the holder) and rolls back an edit a killed process left unfinished.
    """
    from desktop.store import filelock

    path = Path(path)
    name = str(path)
    if not readonly and path.is_file() and not _writable(path):
        raise InputError(name, "the file or its folder is read-only; open it read-only")
    lock = None
    if not readonly:
        _header(path, writable=True)   # refuse a FIFO, a folder or a non-SQLite file before the lock
        lock = filelock.acquire(path, lock_timeout_s)
        leftovers = lock.first_opening()
    try:
        recovered = check_file(path, recover=not readonly, writable=not readonly,
                               leftovers=None if readonly else leftovers)
        header = _header(path, writable=not readonly)
        conn, scratch = _read_view(path, header)
        try:
            probe = Database(conn)
            _check_rackshift(probe, name)
            _check_complete(conn, name)
            _check_settings(probe, name)
            pending = [m.name for m in migrations.MIGRATIONS.pending(probe)]
        finally:
            if scratch is None or not readonly:
                conn.close()
                if scratch is not None:
                    shutil.rmtree(scratch, ignore_errors=True)
                    scratch = None
        backup = None
        if pending and not readonly:
            backup = backup_copy(path)
        elif pending and readonly:
            if scratch is not None:
                conn.close()
                shutil.rmtree(scratch, ignore_errors=True)
            raise InputError(name, "an older project that must be migrated; open it writable first")
        if readonly:
            project = Project(path, conn if scratch is not None else _read_connection(path, header), True)
            project._scratch = scratch
        else:
            project = Project(path, _connect(path, False), False, lock=lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    if pending:
        try:
            migrations.migrate(project.db)
        except (sqlite3.Error, InputError) as exc:  # each migration is one transaction: the file stays at its old schema
            project.close()
            raise InputError(name, f"could not be migrated to schema {migrations.SCHEMA_VERSION} ({_clean(exc)}); "
                                   f"it was left as it was, with a copy in {backup.name}") from None
    project.backup_path = backup
    project.recovered = recovered
    return project


INCOMPLETE_KEY = "incomplete"   # settings key a file being built holds until it is complete


def _check_complete(conn: sqlite3.Connection, name: str) -> None:
    try:
        row = conn.execute("select value from settings where key = ?", [INCOMPLETE_KEY]).fetchone()
    except sqlite3.Error:
        return
    if row is not None:
        raise InputError(name, f"was not written completely (a {row[0]} that stopped before it finished); "
                               f"it is not a usable project: make it again")


def _check_settings(db: Database, name: str) -> None:
    """The settings and every entity row read typed (desktop.store.rows): a hostile value is one
    refusal naming its row and field now, not a traceback later."""
    from desktop.model import entities
    from desktop.store import rows, settings

    try:
        settings.validate(db)
        if migrations.MIGRATIONS.pending(db):
            return   # an older file is checked once migrated (the migration names a bad value)
        for class_name, table in rows.TABLES.items():
            cls = getattr(entities, class_name)
            for row in db[table].rows:
                rows.from_row(cls, row)
    except InputError as exc:
        raise InputError(name, f"{exc}; it was not opened and not changed") from None
    except sqlite3.Error as exc:
        raise InputError(name, f"the file is damaged ({_clean(exc)}); it was not changed") from None


@_refusing_undecodable
def inspect_file(path) -> dict:
    """What `rackshift check` reports, read-only: schema version, row counts, integrity_check.

    Refuses (InputError) what opening it for editing refuses (a file format this SQLite cannot
    write, a leftover journal of another file, a file not written completely...), and a file
    left mid-edit by a killed process (it is only rolled back when opened for editing).
    Writes nothing, not even beside the file.
    """
    path = Path(path)
    check_file(path, recover=False, writable=True)
    header = _header(path, writable=True)
    conn, scratch = _read_view(path, header)
    try:
        db = Database(conn)
        _check_rackshift(db, str(path))
        _check_complete(conn, str(path))
        _check_settings(db, str(path))
        pending = [m.name for m in migrations.MIGRATIONS.pending(db)]
        counts = {t: db[t].count for t in _expected_schema(tuple(migrations.applied_names(db)))["tables"]
                  if t != migrations.MIGRATIONS.migrations_table}
        mode = "wal" if _is_wal_header(header) else conn.execute("PRAGMA journal_mode").fetchone()[0]
        return {"path": str(path), "schema_version": migrations.schema_version(db),
                "current_schema_version": migrations.SCHEMA_VERSION, "pending_migrations": pending,
                "counts": counts, "quick_check": "ok", "integrity_check": "ok",
                "journal_mode": mode}
    finally:
        conn.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _remove_sidecars(path: Path) -> None:
    """SQLite would roll an old file's journal (or WAL) into a new file of the same name."""
    for leftover in SIDECARS:
        sidecar(path, leftover).unlink(missing_ok=True)


def create_project(path, *, with_catalog: bool = True, overwrite: bool = False, lock=None) -> Project:
    """Create a new project file with the current schema (and the seed catalog), holding its
    writer lock (taken here unless the caller holds it: `lock`)."""
    from desktop.store import catalog, filelock

    path = Path(path)
    name = str(path)
    if path.is_dir():
        raise InputError(name, "is a folder, not a project file")
    if path.exists() and not overwrite:
        raise InputError(name, "already exists")
    if not path.parent.exists():
        raise InputError(name, "the folder does not exist")
    own = filelock.acquire(path, 0) if lock is None else filelock.try_lock(path)
    if own is None:
        raise filelock.busy_error(path)
    try:
        try:
            if path.exists() or path.is_symlink():
                path.unlink()
            _remove_sidecars(path)
            own.first_opening()   # its -wal from now on is this project's own
            project = Project(path, _connect(path, readonly=False), lock=own)
        except OSError as exc:
            raise (storage_error(name, exc) or InputError(name, f"cannot be written ({exc.strerror or exc})")) from None
        try:
            migrations.migrate(project.db)
            with project.atomic() as db:
                db["settings"].insert({"key": "file_id", "value": json.dumps(uuid.uuid4().hex)}, replace=True)
            if with_catalog:
                catalog.seed(project)
        except BaseException as exc:
            project.close()
            own = None
            if isinstance(exc, (sqlite3.OperationalError, OSError)):
                refusal = storage_error(name, exc)
                if refusal is not None:
                    raise refusal from None
            raise
    except BaseException:
        if own is not None:
            own.release()
        raise
    return project


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TEMP_SUFFIX = ".building.sqlite"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}-"


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove what a build of `path` that was killed left (its temporary file and journal).
    Call only holding `path`'s writer lock: a build in progress holds it too."""
    path = Path(path)
    removed = []
    folder = path.parent if str(path.parent) else Path(".")
    patterns = [f"{_temp_prefix(path)}*{TEMP_SUFFIX}", f".{path.stem}-*.importing.sqlite"]  # older name
    for pattern in patterns:
        for temp in folder.glob(pattern):
            for extra in ("", *SIDECARS):
                target = sidecar(temp, extra) if extra else temp
                try:
                    target.unlink()
                    removed.append(target)
                except OSError:
                    pass
    return removed


@contextmanager
def building(path, *, overwrite: bool = False, what: str = "build", with_catalog: bool = True):
    """Write a new project file the safe way: under a temporary name beside `path` marked
    incomplete, and only when the body finished, unmarked, closed, and renamed over `path`
    (whose leftover journal is removed first). Holds `path`'s writer lock throughout, so it
    refuses (naming the holder) to replace a file another Rackshift has open. On any failure
    `path` is as it was and the temporary file is gone; a killed build leaves only a temporary
    file, removed by the next build of `path`. Yields the open new Project."""
    import tempfile

    from desktop.store import filelock

    path = Path(path)
    name = str(path)
    if path.is_dir():
        raise InputError(name, "is a folder, not a project file")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise InputError(name, "already exists; choose a new project file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(name, "the folder does not exist")
    lock = filelock.acquire(path, 0)
    try:
        remove_stale_temporaries(path)
        try:
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
            os.close(fd)
        except OSError as exc:
            raise (storage_error(name, exc) or InputError(name, f"cannot be written ({exc.strerror or exc})")) from None
        tmp_path = Path(tmp)
        try:
            project = create_project(tmp_path, overwrite=True, with_catalog=with_catalog)
            try:
                with project.atomic() as db:
                    db["settings"].insert({"key": INCOMPLETE_KEY, "value": json.dumps(what)}, replace=True)
                yield project
                with project.atomic() as db:
                    db.execute("delete from settings where key = ?", [INCOMPLETE_KEY])
            finally:
                project.close()
            try:
                with open(tmp_path, "rb+") as fh:
                    os.fsync(fh.fileno())
                _remove_sidecars(path)
                os.replace(tmp_path, path)
                _fsync_folder(folder)
            except OSError as exc:
                raise (storage_error(name, exc, kept="the existing file was left as it was")
                       or InputError(name, f"cannot be written ({exc.strerror or exc})")) from None
        except (sqlite3.OperationalError, OSError) as exc:
            refusal = storage_error(name, exc, kept="nothing was written; an existing file was left as it was")
            if refusal is None:
                raise
            raise refusal from None
        except InputError as exc:
            if exc.field == str(tmp_path):   # a refusal of the temporary file is one of `path`
                raise InputError(name, exc.message.replace("the edit was not stored; the file is as it was",
                                                           "nothing was written; an existing file was left as it was")) from None
            raise
        finally:
            for extra in ("", *SIDECARS):
                (sidecar(tmp_path, extra) if extra else tmp_path).unlink(missing_ok=True)
    finally:
        lock.release()
