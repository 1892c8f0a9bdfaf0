"""The fleet CSV a planner keeps in a spreadsheet: one row per site and ASIC model.

Columns (a header line first; names in any order and case; `site`, `model` and `count` are
required, the others optional):

    site,model,count,hashrate_ths,power_w,uptime_pct,resale_usd_per_ths
    Red Mesa,Antminer S21,6400,,,96,5

- `site`: an existing site's name; `model`: an ASIC model. A model the catalog does not
  have needs `hashrate_ths` and `power_w` (it is added to the catalog); for a catalog model
  these cells may be left empty, and when given must match the catalog.
- `count` miners (whole number >= 0), `uptime_pct` 0..100, `resale_usd_per_ths` >= 0: left
  empty, an existing fleet entry keeps its value and a new one takes 100 and 0.
- UTF-8 (a byte-order mark is fine), comma-separated, quotes as a spreadsheet writes them;
  blank lines are skipped; each (site, model) once; at most 50 MB.

`parse_fleet_csv(text)` returns every good row and every error (InputError with field
`line N, column X`), so a preview can list them all; `read_fleet_csv(path)` reads the file
first. The values are checked by the same rules as the editors and the engine
(`desktop.model.field_rules`). No Qt.
"""
from __future__ import annotations

import csv
import difflib
import io
import os
from dataclasses import dataclass, field

from desktop.model import field_rules
from desktop.model.errors import InputError
from desktop.model.untrusted import read_limited

COLUMNS = ("site", "model", "count", "hashrate_ths", "power_w", "uptime_pct", "resale_usd_per_ths")
REQUIRED_COLUMNS = ("site", "model", "count")
MAX_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 200  # a preview lists this many; the rest are counted


@dataclass
class FleetRow:
    line: int
    site: str
    model: str
    count: int
    hashrate_ths: float | None = None
    power_w: float | None = None
    uptime_pct: float | None = None
    resale_usd_per_ths: float | None = None


@dataclass
class ParsedFleet:
    rows: list[FleetRow] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    more_errors: int = 0  # errors beyond MAX_ERRORS

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, error: InputError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def raise_first(self) -> None:
        if self.errors:
            first = self.errors[0]
            extra = len(self.errors) - 1 + self.more_errors
            raise InputError(first.field, first.message + (f" (and {extra} more errors)" if extra else ""))


def _header(cells: list[str], parsed: ParsedFleet, line: int = 1) -> list[str] | None:
    names = [c.strip().lower() for c in cells]
    bad = False
    for i, name in enumerate(names):
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else f" (columns: {', '.join(COLUMNS)})"
            parsed.add_error(InputError(f"line {line}, column {cells[i].strip() or i + 1}", "unknown column" + hint))
            bad = True
        elif name in names[:i]:
            parsed.add_error(InputError(f"line {line}, column {name}", "appears twice"))
            bad = True
    for name in REQUIRED_COLUMNS:
        if name not in names:
            parsed.add_error(InputError(f"line {line}, column {name}", "missing (required)"))
            bad = True
    return None if bad else names


def _parsers(names: list[str]) -> list:
    return [None if name in ("site", "model") else field_rules.cell_parser("fleet", name) for name in names]


def _row(line: int, names: list[str], cells: list[str], parsed: ParsedFleet, parsers: list | None = None) -> FleetRow | None:
    if len(cells) != len(names):
        parsed.add_error(InputError(f"line {line}", f"has {len(cells)} cells, the header has {len(names)}"))
        return None
    parsers = parsers or _parsers(names)
    values, ok = {}, True
    for name, text, parser in zip(names, cells, parsers):
        if parser is None:
            value = text.strip()
            message = "required" if not value else None
        else:
            value, message = parser(text)
            if message == "required" and name not in REQUIRED_COLUMNS:
                value, message = None, None
        if message:
            parsed.add_error(InputError(f"line {line}, column {name}", message))
            ok = False
        values[name] = value
    return FleetRow(line=line, **values) if ok else None


class Cancelled(Exception):
    """The caller gave up reading (`cancelled()` said so)."""


def parse_fleet_csv(text: str, progress=None, cancelled=None) -> ParsedFleet:
    """Every row and every error of a fleet CSV's text. `progress(fraction)` is told every
    50,000 lines; `cancelled()` is asked as often, and Cancelled raised when it says so."""
    parsed = ParsedFleet()
    total_lines = max(1, text.count("\n")) if progress or cancelled else 1
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    names = None
    seen: dict[tuple[str, str], int] = {}
    previous = 0
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num  # a quoted cell may span lines
            if not any(c.strip() for c in cells):
                continue
            if names is None:   # the first line that is not blank is the header
                names = _header(cells, parsed, line)
                if names is None:
                    return parsed
                parsers = _parsers(names)
                continue
            if line % 50_000 == 0 and (progress or cancelled):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(min(1.0, reader.line_num / total_lines))
            row = _row(line, names, cells, parsed, parsers)
            if row is None:
                continue
            key = (row.site, row.model)
            if key in seen:
                parsed.add_error(InputError(f"line {row.line}", f"{row.model} at {row.site} again (first on line {seen[key]})"))
                continue
            seen[key] = row.line
            parsed.rows.append(row)
    except csv.Error as exc:
        parsed.add_error(InputError(f"line {reader.line_num}", f"not valid CSV ({exc})"))
        return parsed
    if names is None:
        parsed.add_error(InputError("line 1", "the file is empty; it needs a header line: " + ",".join(COLUMNS)))
    elif not parsed.rows and not parsed.errors:
        parsed.add_error(InputError("line 2", "no fleet rows after the header"))
    return parsed


def decode(raw: bytes, name: str = "file") -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"line {line}", f"{name} is not UTF-8 text (save it as CSV UTF-8)") from None
    import unicodedata

    return text if text.isascii() else unicodedata.normalize("NFC", text)   # names compare as typed anywhere


def read_fleet_csv(path, max_bytes: int = MAX_BYTES, progress=None, cancelled=None) -> ParsedFleet:
    """Read (size-limited, UTF-8) and parse a fleet CSV file."""
    name = os.fspath(path)
    raw = read_limited(name, max_bytes)
    return parse_fleet_csv(decode(raw, os.path.basename(name)), progress, cancelled)
