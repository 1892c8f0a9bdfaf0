"""Reading an untrusted file: size-limited, with one clear InputError for every way it fails.

Every importer (scenario JSON, fleet CSV, NetBox YAML) reads its file through `read_limited`
and decodes it with `decode_utf8`, so the limits and the messages are the same everywhere.
"""
from __future__ import annotations

import os

from desktop.model.errors import InputError


def read_limited(path, max_bytes: int) -> bytes:
    """The file's bytes; refused when missing, a folder, unreadable, or over `max_bytes`."""
    import stat

    name = os.fspath(path)
    try:
        # never block: a FIFO or a device named like an input file is refused unread
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(fd, "rb", closefd=True) as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(name)
            if not stat.S_ISREG(mode):
                raise InputError(name, "is not a regular file (a FIFO, device or socket), not an input file")
            raw = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read the file ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise InputError(name, f"file is larger than {max_bytes // (1024 * 1024)} MB")
    return raw


def decode_utf8(raw: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped); refused otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text") from None
