"""Calendar months as the model counts them: `YYYY-MM` strings and 0-based offsets."""
from __future__ import annotations

import re

from desktop.model.errors import InputError

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")   # ASCII digits only; fullmatch: no trailing newline


def parse_month(text: str, field: str = "start_month") -> tuple[int, int]:
    m = _MONTH.fullmatch(text) if isinstance(text, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(field, f"{text!r} is not a month written YYYY-MM")
    return int(m.group(1)), int(m.group(2))


def month_label(start_month: str, offset: int) -> str:
    year, month = parse_month(start_month)
    index = year * 12 + (month - 1) + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_offset(start_month: str, label: str) -> int:
    y0, m0 = parse_month(start_month)
    y1, m1 = parse_month(label, "month")
    return (y1 - y0) * 12 + (m1 - m0)


MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_words(label: str) -> str:
    """"Sep 2032" for "2032-09": a month as a reader says it, the year in full."""
    year, month = parse_month(label, "month")
    return f"{MONTH_NAMES[month - 1]} {year}"


def month_display(label: str) -> str:
    """"2027-06 (Jun)": a month written one way everywhere, YYYY-MM with its name beside it."""
    _, month = parse_month(label, "month")
    return f"{label} ({MONTH_NAMES[month - 1]})"
