"""One writer per project file: a lock file compatible with Qt's QLockFile, in plain Python.

Every writer (the GUI's session, Save As and New, and the CLI's convert, import-devicetypes,
import-scenario --overwrite, demo --force) takes the lock `PROJECT.lock` beside the file before
it writes, and refuses (naming the holder's host, process id and since when) when another
process holds it. The format and the protocol are QLockFile's (Qt 6, Unix), so a Rackshift
built on either side, or any Qt program using QLockFile on the same name, excludes the other:

- the lock file is created with O_CREAT | O_EXCL and holds five lines: the pid, the process's
  name (the base name of /proc/PID/exe), the host name, the machine id and the boot id;
- the holder keeps it open with flock(LOCK_EX) and an fcntl write lock on the whole file;
- a lock is stale when its holder ran on this machine (same host name, and the same machine
  and boot ids when both are known) and that process is gone or is another program now.
  Its age never makes it stale (QLockFile::setStaleLockTime(0), as the GUI sets it). A stale
  lock is removed only by whoever can take its native locks first (as QLockFile does).

desktop/store stays Qt-free; tests/test_writer_lock.py checks the compatibility against a real
QLockFile in another process, both ways.
"""
from __future__ import annotations

import datetime
import errno
import fcntl
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from desktop.model.errors import InputError

# How long a writer waits for another writer to finish before it says the file is busy.
BUSY_TIMEOUT_S = float(os.environ.get("RACKSHIFT_BUSY_TIMEOUT_S", "5"))


UNWRITTEN_STALE_S = 30.0   # a lock file that still names no holder after this long was left by a crash


def lock_path(path) -> Path:
    """`PROJECT.lock` beside the file the path names (through symlinks), as the GUI always named it."""
    path = Path(os.path.realpath(path))
    return path.with_name(path.name + ".lock")


def _read_id(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _machine_id() -> str:
    return _read_id("/etc/machine-id") or _read_id("/var/lib/dbus/machine-id")


def _boot_id() -> str:
    return _read_id("/proc/sys/kernel/random/boot_id")


def _process_name(pid: int) -> str:
    """QLockFile's processNameByPid on Linux: the base name of /proc/PID/exe ("" if unknown)."""
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def _running(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its lock file says."""
    pid: int
    app: str
    host: str
    machine_id: str
    boot_id: str
    since: datetime.datetime | None

    def describe(self) -> str:
        when = self.since.strftime("%Y-%m-%d %H:%M:%S") if self.since else "an unknown time"
        app = f"{self.app} " if self.app else ""
        return f"{app}process {self.pid} on host {self.host or 'unknown'}, since {when}"

    def on_this_machine(self) -> bool:
        if self.host and self.host != socket.gethostname():
            return False
        for theirs, ours in ((self.machine_id, _machine_id()), (self.boot_id, _boot_id())):
            if theirs and ours and theirs != ours:
                return False
        return True

    def is_stale(self) -> bool:
        if self.pid <= 0:
            # not (yet) written: a holder between creating the file and writing it, or one that
            # died in between; only the latter grows old
            age = (datetime.datetime.now() - self.since).total_seconds() if self.since else 0
            return age > UNWRITTEN_STALE_S
        if not self.on_this_machine():
            return False
        if not _running(self.pid):
            return True
        name = _process_name(self.pid)
        return bool(name) and bool(self.app) and name != self.app  # the pid was reused


def read_holder(path) -> Holder | None:
    """The holder of the lock of project `path`, or None when there is no (readable) lock file."""
    lock = lock_path(path)
    try:
        with open(lock, "rb") as fh:
            raw = fh.read(4096)
        since = datetime.datetime.fromtimestamp(lock.stat().st_mtime)
    except OSError:
        return None
    lines = raw.decode("utf-8", errors="replace").split("\n")
    try:
        pid = int(lines[0])
    except (ValueError, IndexError):
        pid = -1
    field = lambda i: lines[i].strip() if len(lines) > i else ""  # noqa: E731
    return Holder(pid, field(1), field(2), field(3), field(4), since)


def _native_locks(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _contents() -> bytes:
    pid = os.getpid()
    return (f"{pid}\n{_process_name(pid)}\n{socket.gethostname()}\n{_machine_id()}\n{_boot_id()}\n").encode()


class _Held:
    """The lock file this process holds for one project (shared by its FileLock handles)."""

    def __init__(self, path: Path, fd: int):
        self.path, self.fd, self.users = path, fd, 0
        self.opened = False   # a Project has opened the file under this lock (its leftovers were dealt with)


# lock file -> what this process holds: the lock excludes other processes; inside one process
# (the GUI's session and its own Save As, a test's open project and a CLI call) it is shared.
_HELD: dict[str, _Held] = {}
_GUARD = threading.RLock()


class FileLock:
    """A held lock on one project file; `release()` (or leaving `with`) gives it up."""

    def __init__(self, project_path: Path, held: _Held):
        self.project_path = Path(project_path)
        self.path = held.path
        self._held: _Held | None = held
        held.users += 1

    @property
    def held(self) -> bool:
        return self._held is not None

    def first_opening(self) -> bool:
        """True the first time a project is opened under this process's hold of the lock: a
        -journal/-wal beside the file then is a stopped writer's, not one of ours in use."""
        if self._held is None or self._held.opened:
            return False
        self._held.opened = True
        return True

    def release(self) -> None:
        with _GUARD:
            held, self._held = self._held, None
            if held is None:
                return
            held.users -= 1
            if held.users > 0:
                return
            _HELD.pop(str(held.path), None)
            try:
                held.path.unlink(missing_ok=True)
            except OSError:
                pass
            os.close(held.fd)   # drops the native locks

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __del__(self):
        if getattr(self, "_held", None) is not None:
            try:
                self.release()
            except Exception:
                pass


def _try_create(lock: Path) -> int | None:
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileExistsError:
        return None
    try:
        os.write(fd, _contents())
        os.fsync(fd)
    except OSError:
        os.close(fd)
        lock.unlink(missing_ok=True)
        raise
    if not _native_locks(fd):   # somebody removed and re-made it between our create and lock
        os.close(fd)
        return None
    return fd


def _remove_stale(lock: Path) -> bool:
    """QLockFile::removeStaleLockFile: unlink only while holding the file's native locks."""
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if not _native_locks(fd):
            return False
        os.unlink(lock)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def try_lock(path, *, exclusive: bool = False) -> FileLock | None:
    """Take the lock of project `path` now, removing a stale one; None when a live process holds
    it. Within this process the lock is shared, unless `exclusive` (a GUI window: a second window
    on the same file is the read-only one, as a second process is)."""
    with _GUARD:
        return _try_lock(path, exclusive)


def _try_lock(path, exclusive: bool = False) -> FileLock | None:
    lock = lock_path(path)
    if str(lock) in _HELD:
        if exclusive:
            return None
        return FileLock(Path(os.path.abspath(path)), _HELD[str(lock)])
    try:
        fd = _try_create(lock)
        if fd is None:
            holder = read_holder(path)
            if holder is not None and holder.is_stale() and _remove_stale(lock):
                fd = _try_create(lock)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise InputError(str(path), f"cannot be written: its lock file {lock.name} cannot be made "
                                        f"({exc.strerror}); the disk or folder is read-only") from None
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise InputError(str(path), f"cannot be written: the disk is full ({exc.strerror})") from None
        raise InputError(str(path), f"cannot be written: its lock file {lock.name} cannot be made "
                                    f"({exc.strerror or exc})") from None
    if fd is None:
        return None
    held = _HELD[str(lock)] = _Held(lock, fd)
    return FileLock(Path(os.path.abspath(path)), held)


def busy_error(path) -> InputError:
    holder = read_holder(path)
    who = holder.describe() if holder else "another program"
    return InputError(str(path), f"is busy: another Rackshift is writing it ({who}); "
                                 f"close it there or try again when it is done; nothing was written")


def acquire(path, timeout_s: float | None = None) -> FileLock:
    """Take the lock of project `path`, waiting up to `timeout_s` (BUSY_TIMEOUT_S) for its holder;
    then refuse with an InputError naming the holder (host, pid, since when)."""
    timeout_s = BUSY_TIMEOUT_S if timeout_s is None else timeout_s
    deadline = time.monotonic() + max(0.0, timeout_s)
    delay = 0.02
    while True:
        lock = try_lock(path)
        if lock is not None:
            return lock
        if time.monotonic() >= deadline:
            raise busy_error(path)
        time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
        delay = min(delay * 2, 0.25)
