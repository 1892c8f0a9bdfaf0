"""The floor plan's self-test step: in the editor, convert rows A-C of Red Mesa Hall A to
4x DGX H100 racks, undo, redo; screenshots before and after; report["conversion"]."""
from __future__ import annotations

import time
from pathlib import Path

from desktop.store import catalog, checks, halls, plans, sites

SITE, HALL, ROWS, SYSTEM = "Red Mesa", "Hall A", (0, 2), "4x DGX H100 rack"


def _settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()


def floorplan_step(window, out: Path, report: dict) -> None:
    ctx = window.ctx
    project = ctx.project
    view = window.views["Floor plan"]
    window.tabs.setCurrentWidget(view)
    site = sites.by_name(project, SITE)
    hall = halls.by_name(project, site.id, HALL)
    window.tree.select("hall", hall.id)
    _settle()
    if view.hall_id != hall.id or view.table is None:
        raise RuntimeError(f"the floor plan shows hall {view.hall_id}, not {SITE} / {HALL}")
    view.select_rows(*ROWS)
    gpu = catalog.by_name(project, SYSTEM)
    view.panel.gpu_combo.setCurrentIndex(view.panel.gpu_combo.findData(gpu.id))
    view.update_preview()
    _settle()
    window.grab().save(str(out / "floorplan-before.png"))
    before = len(plans.conversions(project, ctx.plan_id)) if ctx.plan_id is not None else 0

    t0 = time.perf_counter()
    command = view.convert()
    convert_ms = (time.perf_counter() - t0) * 1000
    if command is None:
        raise RuntimeError(f"the conversion was refused: {view.panel.preview_note.text()}")
    t0 = time.perf_counter()
    ctx.undo_stack.undo()
    undo_ms = (time.perf_counter() - t0) * 1000
    if len(plans.conversions(project, ctx.plan_id)) != before:
        raise RuntimeError("undo left the conversion in the plan")
    ctx.undo_stack.redo()
    conv = plans.get_conversion(project, command.conversion_id)   # redo restored the same id
    taken = plans.conversion_positions(project, conv.id)
    view.pick([])
    view.update_preview()
    view.canvas.fit()
    _settle()
    window.grab().save(str(out / "floorplan-after.png"))
    proposal = command.proposal
    if len(taken["gpu"]) != proposal.racks_placed or len(taken["retired"]) != len(proposal.retired_positions):
        raise RuntimeError("redo did not restore the conversion's positions")
    report["conversion"] = {
        "positions": proposal.positions,
        "gpu_racks": proposal.racks_placed,
        "retired": len(proposal.retired_positions),
        "critical_it_mw": round(proposal.critical_it_mw, 4),
        "miners_removed": sum(proposal.miners_removed.values()),
        "breaches": checks.breaches_by_conversion(project, conv.plan_id).get(conv.id, []),
        "convert_ms": round(convert_ms, 1),
        "undo_ms": round(undo_ms, 1),
    }
    report.setdefault("screenshots", []).extend(["floorplan-before.png", "floorplan-after.png"])
