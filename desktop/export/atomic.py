"""Writing export files atomically: a reader sees the old file or the whole new one.

The new content goes to a temporary file in the target's folder (same file system), is
flushed to disk, then `os.replace`d over the target. A failure leaves the target as it was
and removes the temporary file. The file gets the permissions a plain `open()` would give
it: those of the file it replaces, else 0666 less the user's umask (mkstemp alone would make
every export 0600, unreadable to colleagues on a shared drive). Errors become
`InputError("output", ...)` naming the path, which the CLI prints as one line (exit 2) and the
GUI shows in a message box.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from desktop.model.errors import InputError


def _cannot(path, exc: OSError) -> InputError:
    return InputError("output", f"{path}: cannot write ({exc.strerror or exc})")


@contextmanager
def atomic_path(path):
    """Yield a temporary path next to `path`; on a clean exit it replaces `path`."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent.resolve())
        os.close(fd)
    except OSError as exc:
        raise _cannot(target, exc) from None
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode(target))
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise _cannot(target, exc) from None
    except BaseException:
        _remove(tmp)
        raise


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux), else by
    setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(target: Path) -> int:
    """Permissions for a file written at `target`: the existing file's, else 0666 & ~umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~current_umask()


def write_bytes(path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def write_text(path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
