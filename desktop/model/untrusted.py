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


def text_problem(value: str, *, free_text: bool = False) -> str | None:
    """Why a text from an untrusted source cannot be stored as it is (None when it can): a lone
    surrogate (not UTF-8 at all), or a control character (a name is one line without tabs; free
    text such as notes may hold tabs and line breaks)."""
    for ch in value:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            return "must be valid UTF-8 text (it holds a lone surrogate)"
        if code < 32 or code == 127 or 0x80 <= code < 0xA0 or code in (0x2028, 0x2029):
            if free_text and ch in "\t\n":
                continue
            what = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab"}.get(ch, f"U+{code:04X}")
            return f"must not hold control characters ({what})"
    return None


def nfc(data):
    """`data` (parsed JSON or YAML) with every text, keys too, in Unicode normal form C, so that
    names typed on different systems compare equal."""
    import unicodedata

    if isinstance(data, str):
        return unicodedata.normalize("NFC", data) if not data.isascii() else data
    if isinstance(data, list):
        return [nfc(v) for v in data]
    if isinstance(data, dict):
        return {nfc(k) if isinstance(k, str) else k: nfc(v) for k, v in data.items()}
    return data
