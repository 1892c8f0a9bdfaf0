"""Names for new things: `New site`, `New site 2`, ... never clashing with those in use."""
from __future__ import annotations


def unique_name(existing, base: str) -> str:
    """`base` if it is free, else `base 2`, `base 3`, ..."""
    names = set(existing)
    if base not in names:
        return base
    n = 2
    while f"{base} {n}" in names:
        n += 1
    return f"{base} {n}"
