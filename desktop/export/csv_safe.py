"""Cells a spreadsheet must never run: formula injection in CSV and XLSX exports.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or
turns into one) when Excel, LibreOffice or Google Sheets opens the file, so a site named
`=HYPERLINK("http://...")` could run. `escape_cell` puts a single quote in front of such a
text, which every spreadsheet shows as text. Numbers are never touched: `-12.5` as a float
stays a number cell (only *text* that looks like a formula is escaped). OWASP's "CSV
injection" note is the source of the list.
"""
from __future__ import annotations

import math
import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_text(text: str) -> str:
    """`text` with a leading single quote if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def escape_cell(value):
    """A cell value made safe: text escaped, numbers (and None) as they are.

    numpy scalars become Python numbers; booleans stay booleans; any other object is
    written as its text (and escaped).
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        return value if math.isfinite(value) else None
    return escape_text(value if isinstance(value, str) else str(value))


def escape_row(row) -> list:
    return [escape_cell(v) for v in row]
