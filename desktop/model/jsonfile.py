"""Reading an untrusted JSON file: size-limited, UTF-8, no NaN or Infinity, no repeated keys,
at most MAX_DEPTH levels deep. Every problem is one `InputError` naming the file.
"""
from __future__ import annotations

import json
import os
from typing import Any

from desktop.model.errors import InputError
from desktop.model.untrusted import decode_utf8, nfc, read_limited

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64


class _DuplicateKey(Exception):
    pass


def _object_pairs(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def read_json_file(path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse an untrusted JSON file: size-limited, UTF-8, no NaN or Infinity, no
    repeated keys, at most MAX_DEPTH levels deep. Any problem is an InputError naming the file."""
    name = os.fspath(path)
    raw = read_limited(name, max_bytes)
    text = decode_utf8(raw, name)
    try:
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_object_pairs)
    except _DuplicateKey as exc:
        raise InputError(name, f"not valid JSON: key {exc.args[0]!r} appears twice in one object") from None
    except RecursionError:
        raise InputError(name, f"not valid JSON: nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # json.JSONDecodeError, NaN/Infinity, too many digits
        raise InputError(name, f"not valid JSON: {exc}") from None
    if _depth(data) > MAX_DEPTH:
        raise InputError(name, f"not valid JSON: nested more than {MAX_DEPTH} levels deep")
    return nfc(data)
