"""Benchmark of the plan report against DESIGN.md's budget: a 20-page PDF in under 3 s (not a test).

    python bench/bench_report.py        prints a table
    run() -> [{name, value, unit, budget}]   for `make bench` to collect

The plan: the demo portfolio with a second plan of three conversions in three halls of three
sites (colocation and GPU cloud; about 520 rack positions, which the appendix groups into
ranges: a report of about 13 pages). Measured, offscreen, in one process with the
QApplication already up:
- gather: the plan's figures (evaluation, 10,000 Monte Carlo paths, the tornado, break-evens,
  every table's rows) from the project file;
- pdf: layout and painting of every page, charts and floor maps included, to PDF bytes;
- report: both, and the atomic write of the file: what File > Export > Plan as PDF costs
  (the budget applies here);
- tables: the CSV files and the XLSX workbook of the same plan;
- cli: `rackshift report` in a fresh process (interpreter, Qt and imports included), once.
"""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from bench.stats import row, timed  # noqa: E402

BUDGET_MS = 3000.0
PLAN = "Bench: three halls"
CONVERSIONS = [  # site, hall, positions, GPU system, start month, terms
    ("Red Mesa", "Hall A", "A01-F40", "4x DGX H100 rack", 3, {"mode": "colocation"}),
    ("Lac Bleu", "Hall 2", "A01-D40", "GB200 NVL72", 9, {"mode": "gpu_cloud", "gpu_hour_usd": 2.6,
                                                          "utilization_pct": 75.0, "capex_usd_per_mw": 11_000_000}),
    ("Wolf Creek", "Main hall", "A01-D30", "4x DGX B200 rack", 18, {"mode": "colocation",
                                                                     "lease_usd_per_kw_month": 165.0}),
]


def build_project(path) -> int:
    """The demo with the benchmark's plan, made the current plan; returns its id."""
    from desktop.model.entities import Plan
    from desktop.store import catalog, conversions, halls, plans, settings, sites
    from desktop.store.demo import build_demo

    project = build_demo(path)
    try:
        plan_id = plans.add(project, Plan(name=PLAN, notes="Three halls on three sites, for the benchmark."))
        for site_name, hall_name, spec, system, month, terms in CONVERSIONS:
            hall = halls.by_name(project, sites.by_name(project, site_name).id, hall_name)
            table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
            indices = table.select_spec(spec)
            indices = indices[table.model_ids[indices] >= 0]
            conversions.convert(project, plan_id, hall.id, indices, catalog.by_name(project, system).id, month,
                                terms=terms, table=table)
        settings.put(project, "current_plan_id", plan_id)
        return plan_id
    finally:
        project.close()


def run(repeat: int = 5) -> list[dict]:
    from desktop.app import make_application

    app = make_application()
    from desktop.export import report_data, tables
    from desktop.export.pdf_report import PdfReport
    from desktop.store.project import open_project

    rows = []
    with tempfile.TemporaryDirectory(prefix="rackshift-bench-report-") as tmp:
        path = pathlib.Path(tmp) / "bench.sqlite"
        plan_id = build_project(path)
        project = open_project(path, readonly=True)
        try:
            data = report_data.gather(project, plan_id)
            pages = PdfReport(data).run().page_count
            rows.append(row("report: gather the figures", timed(lambda: report_data.gather(project, plan_id),
                                                                  repeat), None))
            rows.append(row(f"report: PDF layout and paint ({pages} pages)",
                            timed(lambda: PdfReport(data).pdf_bytes(), repeat), None))

            def whole() -> None:
                fresh = report_data.gather(project, plan_id)
                PdfReport(fresh).save(pathlib.Path(tmp) / "plan.pdf")

            cpu0 = time.process_time()
            whole_ms = timed(whole, repeat)
            cpu_ms = (time.process_time() - cpu0) * 1000 / (repeat + 1)
            rows.append(row(f"report: {pages}-page PDF, gathered and written", whole_ms, BUDGET_MS))
            rows.append({"name": "report: the same, CPU time", "value": cpu_ms, "unit": "ms", "budget": None})
            rows.append({"name": "report: pages", "value": float(pages), "unit": "", "budget": None})
            rows.append(row("tables: CSV and XLSX, gathered and written",
                            timed(lambda: tables.export_tables(report_data.gather(project, plan_id, with_risk=False),
                                                               pathlib.Path(tmp) / "tables"), repeat), None))
        finally:
            project.close()
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        t0 = time.perf_counter()
        cli = subprocess.run([sys.executable, "-m", "desktop", "report", str(path), "-o",
                              str(pathlib.Path(tmp) / "cli.pdf")], capture_output=True, text=True, env=env)
        cli_ms = (time.perf_counter() - t0) * 1000
        if cli.returncode != 0:
            raise RuntimeError(f"rackshift report failed: {cli.stderr.strip()}")
        rows.append({"name": "cli: rackshift report in a fresh process", "value": cli_ms, "unit": "ms",
                     "budget": None})
    del app
    return rows


def main() -> int:
    rows = run()
    print(f"{'benchmark (median)':<52} {'value':>10} {'unit':<4} {'budget':>8}  ok")
    ok_all = True
    for r in rows:
        budget = r["budget"]
        ok = budget is None or r["value"] <= budget
        ok_all &= ok
        print(f"{r['name']:<52} {r['value']:>10.1f} {r['unit']:<4} {budget if budget is not None else '-':>8}  "
              f"{'yes' if ok else 'NO'}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
