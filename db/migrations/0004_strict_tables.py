"""Schema 4: every Rackshift table becomes a STRICT table, with CHECK constraints for the
enumerations (kind, cooling, mode, role), the booleans and the ranges the model also checks.

SQLite keeps any value in any column of an ordinary table, so a project file from elsewhere
could hold text where a number belongs; a STRICT table refuses it on every write, and
`PRAGMA integrity_check` (run on every opening) finds one in a file made otherwise.

The rebuild reads each table's current definition from the file (its columns, constraints,
defaults and indexes, including those later migrations of other numbers added), so it composes
with whatever migrations came before it, and a later migration's ALTER TABLE works on its
result. Old rows are copied as they are: a value a STRICT column cannot take makes the
migration fail naming the row and the field, and the file stays as it was (the backup
written before migrating is kept beside it). Foreign keys are off while migrations run
(desktop.store.migrations.migrate); they are checked here before the migration commits.
"""
from __future__ import annotations

import re

from desktop.model.errors import InputError

STRICT_TYPES = {"INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"}
CONSTRAINT_WORDS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}

# column -> CHECK added to its definition, per table (only for columns the table has; a
# column-level CHECK goes with its column if a later migration drops or renames it)
CHECKS = {
    "equipment_models": {
        "kind": "kind IN ('asic', 'gpu')",
        "cooling": "cooling IN ('air', 'hydro', 'immersion', 'liquid')",
        "is_powered": "is_powered IN (0, 1)",
        "is_estimate": "is_estimate IN (0, 1)",
        "hashrate_ths": "hashrate_ths >= 0",
        "power_w": "power_w >= 0",
        "gpus_per_rack": "gpus_per_rack >= 0",
        "rack_power_kw": "rack_power_kw >= 0",
        "servers_per_rack": "servers_per_rack >= 0",
        "weight_kg": "weight_kg >= 0",
    },
    "sites": {
        "grid_capacity_mw": "grid_capacity_mw >= 0",
        "pue_mining": "pue_mining > 0",
        "pue_hosting": "pue_hosting > 0",
        "pool_fee_pct": "pool_fee_pct BETWEEN 0 AND 100",
    },
    "fleet": {
        "count": "count >= 0",
        "uptime_pct": "uptime_pct BETWEEN 0 AND 100",
        "resale_usd_per_ths": "resale_usd_per_ths >= 0",
    },
    "halls": {
        "cooling": "cooling IN ('air', 'hydro', 'immersion', 'liquid-ready')",
        "power_capacity_kw": "power_capacity_kw >= 0",
        "max_rack_kw": "max_rack_kw >= 0",
        "floor_load_kg": "floor_load_kg >= 0",
        "rows": "rows >= 1",
        "cols": "cols >= 1",
    },
    "positions": {   # (no range on row and col: a grid edit parks positions at negative ones)
        "unit_count": "unit_count >= 0",
    },
    "conversions": {
        "mode": "mode IN ('colocation', 'gpu_cloud')",
        "power_pass_through": "power_pass_through IN (0, 1)",
        "racks_placed": "racks_placed >= 0",
        "critical_it_mw": "critical_it_mw >= 0",
        "remove_asics": "json_valid(remove_asics)",
        "breaches": "json_valid(breaches)",
    },
    "conversion_positions": {
        "role": "role IN ('gpu', 'retired')",
    },
}


def _strip_comments(sql: str) -> str:
    out, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`[":
            close = "]" if c == "[" else c
            j = i + 1
            while j < n:
                if sql[j] == close:
                    if close != "]" and j + 1 < n and sql[j + 1] == close:   # '' inside a string
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i:j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _split_top(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body (commas inside parentheses or quotes kept)."""
    items, depth, buf, quote = [], 0, [], None
    for c in body:
        if quote:
            buf.append(c)
            if c == quote:
                quote = None
            continue
        if c in "'\"`":
            quote = c
        elif c == "[":
            quote = "]"
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            items.append("".join(buf).strip())
            buf = []
            continue
        buf.append(c)
    if "".join(buf).strip():
        items.append("".join(buf).strip())
    return items


def _parts(sql: str) -> tuple[str, list[str], str]:
    """(the text before the column list, its items, the table options after it)."""
    sql = _strip_comments(sql)
    start = sql.index("(")
    depth = 0
    for i in range(start, len(sql)):
        if sql[i] == "(":
            depth += 1
        elif sql[i] == ")":
            depth -= 1
            if depth == 0:
                return sql[:start], _split_top(sql[start + 1:i]), sql[i + 1:].strip()
    raise ValueError("unbalanced CREATE TABLE")


def _strict_type(declared: str) -> str:
    t = declared.upper()
    if t in STRICT_TYPES:
        return t
    if "INT" in t or "BOOL" in t:
        return "INTEGER"
    if "CHAR" in t or "CLOB" in t or "TEXT" in t or "JSON" in t:
        return "TEXT"
    if "REAL" in t or "FLOA" in t or "DOUB" in t or "NUM" in t or "DEC" in t:
        return "REAL"
    if "BLOB" in t:
        return "BLOB"
    return "ANY"


_IDENT = re.compile(r'^\s*("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*)(.*)$', re.S)
_WORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(\s*\([^)]*\))?")
_TYPE_STOP = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
              "REFERENCES", "GENERATED", "AS"}


def _column_item(item: str, checks: dict[str, str]) -> str:
    """A column definition with a STRICT type (and its CHECK); the rest of it kept verbatim."""
    m = _IDENT.match(item)
    name_token, rest = m.group(1), m.group(2)
    name = name_token.strip('"`[]').replace('""', '"')
    pos, words = 0, []
    while True:
        w = _WORD.match(rest, pos)
        if not w or w.group(1).upper() in _TYPE_STOP:
            break
        words.append(w.group(0).strip())
        pos = w.end()
    declared = " ".join(words)
    text = f"{name_token} {_strict_type(declared) if declared else 'ANY'}{rest[pos:].rstrip()}"
    check = checks.get(name)
    if check and check not in text:
        text = f"{text} CHECK ({check})"
    return text


def strict_sql(table: str, sql: str, new_name: str) -> str:
    """The CREATE TABLE of `table` (as stored) as a STRICT table named `new_name`, with CHECKs."""
    _, items, options = _parts(sql)
    out = []
    for item in items:
        first = item.split(None, 1)[0].upper().split("(")[0]
        out.append(item if first in CONSTRAINT_WORDS else _column_item(item, CHECKS.get(table, {})))
    opts = [o.strip().upper() for o in options.split(",") if o.strip()]
    opts = [o for o in opts if o != "STRICT"]
    body = ",\n    ".join(out)
    return f'CREATE TABLE "{new_name}" (\n    {body}\n) ' + ", ".join(["STRICT", *opts])


def _is_strict(sql: str) -> bool:
    _, _, options = _parts(sql)
    return "STRICT" in [o.strip().upper() for o in options.split(",")]


def _bad_value(db, table: str, columns: list[tuple[str, str, int]]) -> InputError | None:
    """The first stored value a STRICT column of `table` would refuse, named like the typed reader."""
    label = "name" if any(c[0] == "name" for c in columns) else None
    for name, declared, _notnull in columns:
        t = _strict_type(declared)
        q = f'"{name}"'
        if t == "INTEGER":
            bad = f"typeof({q}) NOT IN ('integer', 'null') AND NOT (typeof({q}) = 'real' AND {q} = CAST({q} AS INTEGER))" \
                  f" AND NOT (typeof({q}) = 'text' AND CAST({q} AS INTEGER) || '' = trim({q}))"
            what = "is not a whole number"
        elif t == "REAL":
            bad = f"typeof({q}) NOT IN ('integer', 'real', 'null') AND NOT (typeof({q}) = 'text' AND " \
                  f"trim({q}) GLOB '*[0-9]*' AND CAST(trim({q}) AS REAL) || '' != '0.0' AND " \
                  f"CAST(trim({q}) AS REAL) = trim({q}) + 0)"
            what = "is not a number"
        elif t == "TEXT":
            bad = f"typeof({q}) = 'blob'"
            what = "is binary data, not text"
        else:
            continue
        row = db.execute(f'SELECT rowid, {q}, {label or "NULL"} FROM "{table}" WHERE {bad} LIMIT 1').fetchone() \
            if _has_rowid(db, table) else \
            db.execute(f'SELECT NULL, {q}, NULL FROM "{table}" WHERE {bad} LIMIT 1').fetchone()
        if row is not None:
            who = f"[{row[2]}]" if isinstance(row[2], str) and row[2] else f"[row {row[0]}]" if row[0] else ""
            shown = "binary data" if isinstance(row[1], bytes) else repr(row[1])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            return InputError(f"{table}{who}.{name}", f"stored value {shown} {what}")
    return None


def _has_rowid(db, table: str) -> bool:
    sql = db.execute("select sql from sqlite_master where type = 'table' and name = ?", [table]).fetchone()[0]
    return "WITHOUT ROWID" not in " ".join(_strip_comments(sql).upper().split())


def apply(db) -> None:
    tables = [(name, sql) for name, sql in db.execute(
        "select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by rowid")]
    for table, sql in tables:
        if _is_strict(sql):
            continue
        columns = [(r[1], r[2] or "", r[3]) for r in db.execute(f'select * from pragma_table_info("{table}")')]
        indexes = [r[0] for r in db.execute(
            "select sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null", [table])]
        new = f"{table}__strict"
        db.execute(strict_sql(table, sql, new))
        names = ", ".join(f'"{c[0]}"' for c in columns)
        try:
            db.execute(f'INSERT INTO "{new}" ({names}) SELECT {names} FROM "{table}"')
        except Exception as exc:
            bad = _bad_value(db, table, columns)
            if bad is not None:
                raise bad from None
            if "CHECK constraint failed" in str(exc) or "NOT NULL" in str(exc):
                raise InputError(table, f"a stored row breaks a rule of the schema ({exc})") from None
            raise
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
        for index_sql in indexes:
            db.execute(index_sql)
    broken = db.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        table, rowid, parent, _ = broken
        raise InputError(f"{table}[row {rowid}]", f"refers to a {parent} row that does not exist")
