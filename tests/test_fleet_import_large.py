"""Issue 21: a large fleet CSV is read, prepared and imported off the GUI thread, with progress
and Cancel (which stores nothing), in one transaction; its undo takes the whole import back
in one step. (The 1,000,000-row timing is bench/bench_fleet_import.py's.)"""
from __future__ import annotations

import pytest

from desktop.store import catalog, fleet_import

ROWS = 3_000


def write_csv(path, n: int) -> None:
    sites = ["Red Mesa", "Lac Bleu", "Wolf Creek"]
    with open(path, "w") as fh:
        fh.write("\n\nsite,model,count,hashrate_ths,power_w,uptime_pct,resale_usd_per_ths\n")
        for i in range(n):
            fh.write(f"{sites[i % 3]},Bulk {i // 3:06d},{10 + i % 50},{100 + (i // 3) % 7},{3000 + (i // 3) % 11},95,4\n")


@pytest.fixture
def imports(main_window):
    errors = []
    main_window.imports.error = lambda title, exc: errors.append(str(exc))
    main_window.imports.errors = errors
    return main_window.imports


def _counts(project):
    return (project.db["fleet"].count, project.db["equipment_models"].count)


def test_a_large_csv_imports_in_the_background_and_undoes_in_one_step(main_window, imports, qtbot, tmp_path):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    before = _counts(project)
    path = tmp_path / "big.csv"
    write_csv(path, ROWS)
    job = imports.open_fleet_csv(str(path))
    assert imports.progress is not None                  # its progress is shown
    assert job.running                                   # the GUI thread is free meanwhile
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=60000)
    dialog = imports.dialog
    qtbot.addWidget(dialog)
    assert dialog.can_import and dialog.model.rowCount() == ROWS, imports.errors
    assert imports.progress is None
    dialog.accept()
    assert imports.progress is not None                  # the import runs with its progress shown
    qtbot.waitUntil(lambda: stack.count() == 1, timeout=60000)
    assert _counts(project) == (before[0] + ROWS, before[1] + ROWS // 3)
    assert catalog.by_name(project, "Bulk 000000") is not None
    stack.undo()
    assert _counts(project) == before
    stack.redo()
    assert _counts(project) == (before[0] + ROWS, before[1] + ROWS // 3)
    assert not imports.errors


def test_cancelling_the_import_stores_nothing(main_window, imports, qtbot, tmp_path, monkeypatch):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    before = _counts(project)
    path = tmp_path / "big.csv"
    write_csv(path, ROWS)
    imports.open_fleet_csv(str(path))
    qtbot.waitUntil(lambda: imports.dialog is not None, timeout=60000)
    qtbot.addWidget(imports.dialog)
    monkeypatch.setattr(fleet_import, "BATCH", 500)      # many batches: the cancel is seen at the next one
    seen = []
    real = fleet_import.apply

    def slow_apply(project_, prepared, progress=None):
        def step(done, total):
            seen.append(done)
            if len(seen) == 2:
                imports.cancel_job.__self__.job.cancel()    # as the Cancel button does, mid-import
            progress(done, total)
        return real(project_, prepared, progress=step)

    monkeypatch.setattr(fleet_import, "apply", slow_apply)
    job = imports._apply_fleet(imports.dialog, "big.csv")
    qtbot.waitUntil(lambda: not job.running, timeout=60000)
    assert len(seen) >= 2 and job.cancelled
    assert stack.count() == 0
    assert _counts(project) == before
    assert not project.db.conn.in_transaction


def test_cancelling_the_read_shows_no_preview(main_window, imports, qtbot, tmp_path):
    path = tmp_path / "big.csv"
    write_csv(path, 60_000)
    job = imports.open_fleet_csv(str(path))
    imports.cancel_job()
    qtbot.waitUntil(lambda: not job.running, timeout=60000)
    assert imports.dialog is None and imports.progress is None and not imports.errors
