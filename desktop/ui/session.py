"""Opening a project for the GUI: one writer per file (QLockFile), read-only for the rest.

A second Rackshift that opens a file already open elsewhere gets it read-only and is told
so; a lock left by a crashed process is recovered (QLockFile removes a stale lock whose
process is gone).
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from desktop.model.errors import InputError
from desktop.store.project import Project, create_project, open_project


@dataclass
class Session:
    project: Project
    lock: QLockFile | None
    notice: str = ""   # what the user should be told (read-only, backup written, ...)

    def close(self) -> None:
        self.project.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def lock_path(path: Path) -> str:
    return str(path.with_name(path.name + ".lock"))


def _take_lock(path: Path) -> QLockFile | None:
    lock = QLockFile(lock_path(path))
    lock.setStaleLockTime(0)  # only a dead owner makes a lock stale, never its age
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError and lock.removeStaleLockFile() and lock.tryLock(0):
        return lock
    return None


def _read_only_on_disk(path: Path) -> bool:
    """The file or its folder cannot be written (SQLite writes a journal beside the file)."""
    return path.is_file() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def open_session(path, readonly: bool = False) -> Session:
    path = Path(path).resolve()
    notice = ""
    if not readonly and _read_only_on_disk(path):
        readonly = True
        notice = f"{path.name} or its folder is read-only on disk: opened read-only."
    lock = None if readonly else _take_lock(path)
    if lock is None and not readonly:
        readonly = True
        notice = f"{path.name} is open in another Rackshift: opened read-only."
    try:
        project = open_project(path, readonly=readonly)
    except BaseException:
        if lock is not None:
            lock.unlock()
        raise
    if project.recovered:
        notice = (f"{path.name}: an edit left unfinished when a Rackshift stopped was rolled back; "
                  f"everything saved before it is there.")
    if project.backup_path:
        notice = f"{path.name} was migrated to the current schema; the old file was kept as {project.backup_path.name}."
    elif readonly and not notice:
        notice = f"{path.name} is open read-only."
    return Session(project, lock, notice)


def new_session(path) -> Session:
    path = Path(path).resolve()
    lock = _take_lock(path)
    if lock is None:
        raise InputError(str(path), "is open in another Rackshift")
    try:
        return Session(create_project(path, overwrite=True), lock)
    except BaseException:
        lock.unlock()
        raise


def save_copy(project: Project, target) -> Path:
    """Write a consistent copy of the project to `target` (SQLite's backup API)."""
    target = Path(target).resolve()
    if target == project.path.resolve():
        raise InputError(str(target), "is the file already open")
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            project.db.conn.backup(dest)
        finally:
            dest.close()
        for leftover in ("-journal", "-wal", "-shm"):  # an old journal would be applied to the copy
            target.with_name(target.name + leftover).unlink(missing_ok=True)
        tmp.replace(target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(str(target), f"cannot be written ({exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
