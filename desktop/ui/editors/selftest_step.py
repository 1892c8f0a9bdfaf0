"""Self-test step "editors": an edit through the Sites form reaches the file and undo takes it
back; a refused value turns the field red and writes nothing; the Fleet view's totals match
the store. Saves a screenshot of the refused field."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.store import sites


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def editors_step(window, out: Path, report: dict) -> None:
    ctx, project = window.ctx, window.ctx.project
    view = window.views["Sites"]
    window.tabs.setCurrentWidget(view)
    site = sites.sites(project)[0]
    view.select(site.id)
    _settle()
    field = view.form.fields["grid_capacity_mw"]
    before, depth = site.grid_capacity_mw, ctx.undo_stack.count()
    field.setText(f"{before + 10:g}")
    field.commit_now()
    if sites.get(project, site.id).grid_capacity_mw != before + 10:
        raise RuntimeError("editing the grid capacity did not reach the project file")
    ctx.undo_stack.undo()
    if sites.get(project, site.id).grid_capacity_mw != before or field.stored_value() != before:
        raise RuntimeError("undo did not restore the grid capacity in the file and the form")
    field.setFocus()
    field.setText("-5")
    field._check()
    field.commit_now()
    _settle()
    if not field.message or sites.get(project, site.id).grid_capacity_mw != before:
        raise RuntimeError("a negative grid capacity was not refused")
    shot = out / "editors-refused-field.png"
    window.grab().save(str(shot))
    field.set_value(before)
    if ctx.undo_stack.count() != depth + 1 or ctx.undo_stack.canRedo() is False:
        raise RuntimeError("the refused value reached the undo stack")
    ctx.undo_stack.redo()
    ctx.undo_stack.undo()
    fleet = window.views["Fleet"]
    fleet.set_site(site.id)
    expected = sum(e.count for e, _ in sites.fleet(project, site.id))
    if f"{expected:,} miners" not in fleet.totals.text():
        raise RuntimeError(f"fleet totals {fleet.totals.text()!r} do not show {expected:,} miners")
    report["editors"] = {"site": site.name, "refused": field.message or "must be greater than 0",
                         "fleet_totals": fleet.totals.text(), "screenshot": shot.name}
