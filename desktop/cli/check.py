"""`rackshift check PROJECT.sqlite`: check a project file without changing it.

Opens the file read-only and reports its schema version, how many rows each table holds and
the result of SQLite's `PRAGMA quick_check`. Everything `open_project` refuses (not SQLite,
truncated, damaged, another program's SQLite, written by a newer Rackshift, left mid-edit by a
killed process) is one `error: ...` line and exit status 2. The file is never changed: an
older file is reported as such (it is backed up and migrated only when opened for editing).
"""
from __future__ import annotations

import json
import sys


def add_arguments(parser) -> None:
    parser.add_argument("project", help="the project file to check")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args) -> int:
    from desktop.store.project import inspect_file

    report = inspect_file(args.project)
    if args.json:
        sys.stdout.write(json.dumps(report, indent=1) + "\n")
        return 0
    version, current = report["schema_version"], report["current_schema_version"]
    if report["pending_migrations"]:
        status = f"older than {current}: backed up and migrated when opened for editing"
    else:
        status = "current"
    lines = [f"{report['path']}: Rackshift project, schema {version} ({status})",
             f"quick_check: {report['quick_check']}",
             f"journal mode: {report['journal_mode']}"]
    width = max(map(len, report["counts"]), default=0)
    lines += [f"  {table:<{width}}  {count:>9,}" for table, count in report["counts"].items()]
    print("\n".join(lines))
    return 0
