"""The project file as untrusted input, and large imports (issues 18 and 21).

- opening the 25,000-position benchmark portfolio for editing, with the full integrity_check,
  CHECK constraints, foreign keys, exact schema and typed rows (budget 1 s: done before the
  first write, in the foreground);
- `rackshift check` of it (the same checks, read-only);
- a 1,000,000-row fleet CSV (333,334 new catalog models on the demo's three sites, ~46 MB, under
  the 50 MB limit): read and checked, prepared against the project, imported in one
  transaction, and its undo (budget 60 s each on this 2-core machine: seconds, not minutes).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.stats import row, timed

ROWS = 1_000_000


def write_fleet_csv(path: Path, n: int = ROWS) -> None:
    sites = ["Red Mesa", "Lac Bleu", "Wolf Creek"]
    with open(path, "w") as fh:
        fh.write("site,model,count,hashrate_ths,power_w,uptime_pct,resale_usd_per_ths\n")
        for i in range(n):
            fh.write(f"{sites[i % 3]},Bulk model {i // 3:07d},{10 + i % 50},{100 + (i // 3) % 7},"
                     f"{3000 + (i // 3) % 11},95,4\n")


def _once(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def run() -> list[dict]:
    from desktop.model.fleet_csv import read_fleet_csv
    from desktop.store import fleet_import
    from desktop.store.demo import build_demo
    from desktop.store.project import inspect_file, open_project
    from desktop.store.synthetic import build_portfolio

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "portfolio.sqlite"
        build_portfolio(big).close()
        rows.append(row("open 25,000-position project for editing (integrity_check, schema, typed rows)",
                        timed(lambda: open_project(big).close(), repeat=5), 1000))
        rows.append(row("check 25,000-position project (read-only, same checks)",
                        timed(lambda: inspect_file(big), repeat=5), 1000))

        demo = Path(tmp) / "demo.sqlite"
        build_demo(demo).close()
        csv = Path(tmp) / "fleet.csv"
        write_fleet_csv(csv)
        project = open_project(demo)
        try:
            ms, parsed = _once(lambda: read_fleet_csv(csv))
            assert parsed.ok and len(parsed.rows) == ROWS, parsed.errors[:3]
            rows.append(row("fleet CSV 1,000,000 rows: read and check", [ms], 60_000))
            ms, prepared = _once(lambda: fleet_import.prepare(project, parsed.rows))
            assert not prepared.errors
            rows.append(row("fleet CSV 1,000,000 rows: prepare against the project", [ms], 60_000))
            ms, record = _once(lambda: fleet_import.apply(project, prepared))
            rows.append(row("fleet CSV 1,000,000 rows: import (one transaction)", [ms], 60_000))
            ms, _ = _once(lambda: fleet_import.undo(project, record))
            rows.append(row("fleet CSV 1,000,000 rows: undo of the import", [ms], 60_000))
        finally:
            project.close()
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
