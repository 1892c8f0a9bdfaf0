"""Benchmark of the floor-plan editor against DESIGN.md's budgets (not a test).

    python bench/bench_floorplan.py        prints a table
    run() -> [{name, value, unit, budget}]   for `make bench` to collect

A generated portfolio of 25,000 rack positions on 20 sites (desktop.store.synthetic; the first
site's hall has 6,000 positions). Measured, offscreen:
- open: open the project file, build the context and the floor-plan view, read the largest
  hall under the plan and paint it once;
- convert: 5,000 selected positions of that hall to 4x DGX H100 racks through the editor's
  undo command (store write, notification, the view reloading and redrawing);
- undo, redo: the same command undone and redone;
- frame: the floor plan of the largest hall rendered into an image, median of repeated
  renders while panning, zoomed out (whole hall), at mid zoom, and zoomed in (labels).
"""
from __future__ import annotations

import os
import pathlib
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

BUDGETS_MS = {"open": 1000.0, "convert": 300.0, "undo": 300.0, "redo": 300.0, "frame": 33.0}
VIEW_W, VIEW_H = 1280, 800
FRAMES = 30


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _settle(app) -> None:
    for _ in range(3):
        app.processEvents()


def _frame_ms(app, canvas, frames: int = FRAMES, pan_px: int = 7) -> float:
    """Median time to render the floor plan viewport into an image, panning between frames."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(canvas.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    bar = canvas.horizontalScrollBar()
    for k in range(frames):
        bar.setValue(bar.value() + (pan_px if k % 20 < 10 else -pan_px))
        t0 = time.perf_counter()
        painter = QPainter(image)
        canvas.render(painter)
        painter.end()
        times.append(_ms(t0))
    return statistics.median(times)


def run(positions: int = 25_000, sites: int = 20) -> list[dict]:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop.store import catalog, halls
    from desktop.store.project import open_project
    from desktop.store.synthetic import build_portfolio
    from desktop.ui.context import ProjectContext
    from desktop.ui.floorplan.view import FloorPlanView

    out: list[dict] = []

    def record(name, value, unit="ms", budget=None):
        out.append({"name": name, "value": round(value, 2), "unit": unit, "budget": budget})

    with tempfile.TemporaryDirectory(prefix="rackshift-bench-fp-") as tmp:
        path = pathlib.Path(tmp) / "big.sqlite"
        t0 = time.perf_counter()
        build_portfolio(path, positions=positions, n_sites=sites).close()
        record("build 25k portfolio (setup)", _ms(t0))

        t0 = time.perf_counter()
        project = open_project(path)
        ctx = ProjectContext(project)
        big = max(halls.halls(project), key=lambda h: h.rows * h.cols)
        view = FloorPlanView(ctx)
        view.resize(VIEW_W + 340, VIEW_H)
        view.show_hall(big.id)
        view.show()
        _settle(app)
        view.canvas.viewport().grab()
        record("open: project + floor plan of the largest hall", _ms(t0), budget=BUDGETS_MS["open"])
        record("positions in the portfolio", project.db.execute("select count(*) from positions").fetchone()[0],
               "positions")
        record("positions in the largest hall", len(view.table), "positions")

        gpu = catalog.by_name(project, "4x DGX H100 rack")
        view.panel.gpu_combo.setCurrentIndex(view.panel.gpu_combo.findData(gpu.id))
        view.pick(range(5000))
        view.update_preview()
        t0 = time.perf_counter()
        command = view.convert()
        convert_ms = _ms(t0)
        assert command is not None and command.proposal.positions == 5000, "the conversion did not happen"
        record("convert 5,000 positions (one undo step)", convert_ms, budget=BUDGETS_MS["convert"])
        t0 = time.perf_counter()
        ctx.undo_stack.undo()
        record("undo the conversion", _ms(t0), budget=BUDGETS_MS["undo"])
        t0 = time.perf_counter()
        ctx.undo_stack.redo()
        record("redo the conversion", _ms(t0), budget=BUDGETS_MS["redo"])
        ctx.undo_stack.undo()
        view.pick([])

        canvas = view.canvas
        canvas.resize(VIEW_W, VIEW_H)
        _settle(app)
        canvas.fit()
        record(f"frame zoomed out ({canvas.cell_px():.1f} px/position)", _frame_ms(app, canvas),
               budget=BUDGETS_MS["frame"])
        canvas.zoom_by(14 / canvas.cell_px())
        record(f"frame mid zoom ({canvas.cell_px():.1f} px/position)", _frame_ms(app, canvas),
               budget=BUDGETS_MS["frame"])
        canvas.zoom_to_cells(10, 10, 22, 30)
        record(f"frame zoomed in, labels ({canvas.cell_px():.1f} px/position)", _frame_ms(app, canvas),
               budget=BUDGETS_MS["frame"])
        canvas.zoom_to_cells(10, 10, 15, 18)
        record(f"frame zoomed in, detail ({canvas.cell_px():.1f} px/position)", _frame_ms(app, canvas),
               budget=BUDGETS_MS["frame"])
        view.pick(range(len(view.table)))
        canvas.fit()
        record("frame zoomed out, all selected", _frame_ms(app, canvas), budget=BUDGETS_MS["frame"])
        t0 = time.perf_counter()
        for k in range(10):
            view.pick(range(k * 100, k * 100 + 3000))
        record("select 3,000 positions (redraw included)", _ms(t0) / 10)
        view.close()
        project.close()
    return out


def main() -> int:
    rows = run()
    width = max(len(r["name"]) for r in rows)
    print(f"{'floor plan':<{width}}  {'value':>10}  {'budget':>10}")
    failed = 0
    for r in rows:
        budget = "" if r["budget"] is None else f"< {r['budget']:g} {r['unit']}"
        over = r["budget"] is not None and r["value"] > r["budget"]
        failed += over
        print(f"{r['name']:<{width}}  {r['value']:>7.1f} {r['unit']:<3}  {budget:>10}{'  OVER' if over else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
