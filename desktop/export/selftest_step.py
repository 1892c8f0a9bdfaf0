"""Self-test step for the exports: the current plan as PDF and as tables, through the same
File > Export path a planner uses (gathering in the thread pool, painting page by page).

Writes `plan.pdf` and a `tables/` folder into the self-test's output folder, checks that the
PDF has pages (by its page objects) and that every table file exists, saves every PDF page as a
PNG under `pdf-pages/` (poppler's pdftoppm at 70 dpi, when it is installed: a reviewer looks at
them), and records pages, seconds and file names in the report.
"""
from __future__ import annotations

import re
import shutil
import subprocess
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


def save_pages_as_png(pdf: Path, folder: Path, dpi: int = 70) -> list[str]:
    """Every page of `pdf` as folder/page-NN.png (pdftoppm), or [] when poppler is missing."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True, timeout=120,
                   capture_output=True)
    return sorted(p.name for p in folder.glob("page-*.png"))


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
    pngs = save_pages_as_png(pdf, out / "pdf-pages")
    if pngs and len(pngs) != pages:
        raise RuntimeError(f"{len(pngs)} page images for a PDF of {pages} pages")
    folder = out / "tables"
    started = time.perf_counter()
    if not exports.export_tables(str(folder), confirm=lambda paths: True):
        raise RuntimeError("the tables export did not start")
    _wait(exports, "tables")
    missing = [p.name for p in tables.output_paths(folder) if not p.is_file() or p.stat().st_size == 0]
    if missing:
        raise RuntimeError(f"missing or empty table files: {', '.join(missing)}")
    report["export"] = {"pdf": pdf.name, "pdf_pages": pages, "pdf_seconds": round(pdf_seconds, 2),
                        "pdf_page_images": [f"pdf-pages/{name}" for name in pngs],
                        "tables": [p.name for p in tables.output_paths(folder)],
                        "tables_seconds": round(time.perf_counter() - started, 2)}
