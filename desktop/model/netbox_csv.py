"""NetBox's CSV exports of sites, locations, racks and devices, as Rackshift reads them.

`read_netbox(paths)` takes the files (or a folder holding them) and returns a `NetBoxData`.
Which file is which: by its name (`sites`, `locations`, `racks`, `devices` in it, as NetBox
names its exports and `rackshift export-netbox` its files), else by its header. Headers are
read in either of NetBox's spellings: the bulk-import field names (`u_height`, `device_type`)
or the export's column titles (`Height (U)`, `Type`), in any case and order. Status values
are read as NetBox's slugs (`Planned` -> `planned`). Needed columns: sites `name`; locations
`site`, `name`; racks `site`, `name` (and `location` for a rack in a hall); devices `rack`,
`device_type` (others ignored). Files without a needed one, a racks file missing, a rack in
a location no locations file names: one InputError naming the file, line and column. A cell
that Rackshift's export escaped for spreadsheets (`'=...`) is read without the quote.
UTF-8 (a byte-order mark is fine), at most 50 MB a file. No Qt.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from desktop.model.errors import InputError
from desktop.model.untrusted import decode_utf8, read_limited

MAX_BYTES = 50 * 1024 * 1024
KINDS = ("sites", "locations", "racks", "devices")
ALIASES = {
    "height (u)": "u_height", "height": "u_height", "max weight": "max_weight", "weight unit": "weight_unit",
    "device type": "device_type", "type": "device_type", "position (u)": "position", "rack position": "position",
    "parent": "parent", "site": "site", "location": "location", "rack": "rack", "status": "status",
    "form factor": "form_factor", "facility": "facility", "region": "region",
}
SKIPPED = ("manufacturer", "role", "device-type", "devicetype")   # what the export writes for NetBox alone
REQUIRED = {"sites": ("name",), "locations": ("site", "name"), "racks": ("site", "name"),
            "devices": ("rack", "device_type")}


@dataclass
class NetBoxData:
    sites: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)
    racks: list[dict] = field(default_factory=list)
    devices: list[dict] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)   # kind -> file name


def _key(title: str) -> str:
    t = title.strip().lower()
    return ALIASES.get(t, t.replace(" ", "_"))


def _cell(value) -> str:
    text = (value or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _kind(name: str, header: list[str]) -> str | None:
    lower = name.lower()
    for kind, word in (("devices", "device"), ("racks", "rack"), ("locations", "location"), ("sites", "site")):
        if word in lower:
            return kind
    keys = set(header)
    if "device_type" in keys and "rack" in keys:
        return "devices"
    if "u_height" in keys and "site" in keys:
        return "racks"
    if "site" in keys and "name" in keys:
        return "locations"
    if "name" in keys:
        return "sites"
    return None


def parse_csv(text: str, name: str) -> tuple[str | None, list[dict]]:
    """(kind, rows) of one CSV text; every row a dict of normalised keys with `line`."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(name, "empty file (a header line is needed)")
        keys = [_key(h) for h in header]
        kind = _kind(name, keys)
        rows = []
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row: dict = {k: _cell(cells[i]) if i < len(cells) else "" for i, k in enumerate(keys)}
            row["line"] = line
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{name}: line {reader.line_num}", f"not valid CSV ({exc})") from None
    if kind is not None:
        for column in REQUIRED[kind]:
            if column not in keys:
                raise InputError(f"{name}: column {column}", f"missing (a NetBox {kind} file needs "
                                                             f"{', '.join(REQUIRED[kind])})")
        for row in rows:
            for column in REQUIRED[kind]:
                if not row.get(column):
                    raise InputError(f"{name}: line {row['line']}, column {column}", "must not be empty")
    return kind, rows


def _files(paths) -> list[Path]:
    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += sorted(f for f in path.iterdir() if f.suffix.lower() == ".csv" and f.is_file())
        else:
            out.append(path)
    return out


def read_netbox(paths, max_bytes: int = MAX_BYTES) -> NetBoxData:
    data = NetBoxData()
    for path in _files(paths):
        if any(word in path.name.lower() for word in SKIPPED):
            continue
        raw = read_limited(path, max_bytes)
        kind, rows = parse_csv(decode_utf8(raw, path.name), path.name)
        if kind is None:
            raise InputError(path.name, "not a NetBox export of sites, locations, racks or devices "
                                        "(name the file after them, or give their columns)")
        if kind in data.files:
            raise InputError(path.name, f"a second {kind} file (the first: {data.files[kind]})")
        data.files[kind] = path.name
        getattr(data, kind).extend(rows)
    check(data)
    return data


def check(data: NetBoxData) -> None:
    """What the files must agree on: racks given; a rack's location named in its site."""
    if "racks" not in data.files:
        raise InputError("racks", "no racks file among the files given (a hall's positions are its racks)")
    known = {(r["site"], r["name"]) for r in data.locations}
    name = data.files["racks"]
    for rack in data.racks:
        location = rack.get("location", "")
        if location and data.locations and (rack["site"], location) not in known:
            raise InputError(f"{name}: line {rack['line']}, column location",
                             f"{location!r} is no location of site {rack['site']!r} in {data.files['locations']}")
    names: dict[tuple, int] = {}
    for rack in data.racks:
        key = (rack["site"], rack.get("location", ""), rack["name"])
        if key in names:
            raise InputError(f"{name}: line {rack['line']}, column name",
                             f"rack {rack['name']!r} again (first on line {names[key]})")
        names[key] = rack["line"]
