"""Opening a project for the GUI: one writer per file, read-only for the rest.

The writer lock is desktop.store.filelock's, QLockFile's format and protocol in plain Python,
the one every CLI writer takes too. A second Rackshift that opens a file already open
elsewhere gets it read-only and is told so (naming the holder); a lock left by a crashed
process is recovered (a lock whose process is gone is stale).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.store import filelock
from desktop.store.project import Project, create_project, open_project


@dataclass
class Session:
    project: Project
    lock: filelock.FileLock | None
    notice: str = ""   # what the user should be told (read-only, backup written, ...)

    def close(self) -> None:
        self.project.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def lock_path(path: Path) -> str:
    return str(filelock.lock_path(path))


def _take_lock(path: Path) -> filelock.FileLock | None:
    """The writer lock now, or None while another live process holds it (a stale one is removed)."""
    return filelock.try_lock(path, exclusive=True)


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
        holder = filelock.read_holder(path)
        who = f" ({holder.describe()})" if holder else ""
        notice = f"{path.name} is open in another Rackshift{who}: opened read-only."
    try:
        project = open_project(path, readonly=readonly, lock_timeout_s=0)
    except BaseException:
        if lock is not None:
            lock.release()
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
        raise filelock.busy_error(path)
    try:
        return Session(create_project(path, overwrite=True, lock=lock), lock)
    except BaseException:
        lock.release()
        raise


def save_copy(project: Project, target) -> Path:
    """Write a consistent copy of the project to `target` (the store does it: Project.save_copy)."""
    return project.save_copy(target)
