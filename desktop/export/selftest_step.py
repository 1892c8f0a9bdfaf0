"""Self-test step for the exports: the current plan as PDF and as tables, through the same
File > Export path a planner uses (gathering in the thread pool, painting page by page).

Writes `plan.pdf` and a `tables/` folder into the self-test's output folder, checks that the
PDF has pages (read back with QPdfDocument when QtPdf is there, else by its page objects) and
that every table file exists, and records pages, seconds and file names in the report.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

TIMEOUT_S = 120.0


def _wait(exports, kind: str) -> None:
    from PySide6.QtWidgets import QApplication

    outcome = {}
    done = lambda k, what: outcome.setdefault("ok", (k, what))      # noqa: E731
    fail = lambda k, message: outcome.setdefault("error", message)  # noqa: E731
    exports.finished.connect(done)
    exports.failed.connect(fail)
    deadline = time.perf_counter() + TIMEOUT_S
    try:
        while not outcome and time.perf_counter() < deadline:
            QApplication.processEvents()
            time.sleep(0.002)
    finally:
        exports.finished.disconnect(done)
        exports.failed.disconnect(fail)
    if "error" in outcome:
        raise RuntimeError(f"{kind} export failed: {outcome['error']}")
    if not outcome:
        raise RuntimeError(f"{kind} export did not finish in {TIMEOUT_S:.0f} s")


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF written by Qt: its /Type /Page objects (not /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def export_step(window, out: Path, report: dict) -> None:
    from desktop.export import tables

    exports = window.exports
    pdf = out / "plan.pdf"
    started = time.perf_counter()
    exports.export_pdf(str(pdf))
    _wait(exports, "PDF")
    pdf_seconds = time.perf_counter() - started
    pages = pdf_page_count(pdf.read_bytes())
    if pages <= 0 or pages != exports.last_pages:
        raise RuntimeError(f"the PDF has {pages} pages, the report said {exports.last_pages}")
    folder = out / "tables"
    started = time.perf_counter()
    if not exports.export_tables(str(folder), confirm=lambda paths: True):
        raise RuntimeError("the tables export did not start")
    _wait(exports, "tables")
    missing = [p.name for p in tables.output_paths(folder) if not p.is_file() or p.stat().st_size == 0]
    if missing:
        raise RuntimeError(f"missing or empty table files: {', '.join(missing)}")
    report["export"] = {"pdf": pdf.name, "pdf_pages": pages, "pdf_seconds": round(pdf_seconds, 2),
                        "tables": [p.name for p in tables.output_paths(folder)],
                        "tables_seconds": round(time.perf_counter() - started, 2)}
