"""An unexpected error in a slot: a dialog with the details and a copyable report, a log file
in the user's log folder, and the project still open and editable with nothing lost."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtGui import QGuiApplication

from desktop.model.entities import Site
from desktop.store import sites
from desktop.ui import crash_dialog
from desktop.ui.commands import push_edit

pytestmark = pytest.mark.qt_no_exception_capture  # this test installs its own excepthook


@pytest.fixture
def reporter(main_window):
    reporter = crash_dialog.install(main_window)
    yield reporter
    crash_dialog.uninstall()
    if reporter.dialog is not None:
        reporter.dialog.close()


def _boom(kind: str) -> None:
    raise RuntimeError(f"boom in a slot ({kind})")


def _sites_in_file(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("select name from sites order by id")]
    finally:
        conn.close()


def test_error_in_a_slot_shows_a_dialog_logs_it_and_work_goes_on(main_window, reporter, qtbot):
    ctx = main_window.ctx
    project = ctx.project
    ctx.changed.connect(_boom)
    try:
        ctx.notify("sites")  # the slot raises inside the signal emission
    finally:
        ctx.changed.disconnect(_boom)
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    dialog = reporter.dialog
    assert dialog.isVisible() and not dialog.isModal()
    assert "boom in a slot (sites)" in dialog.summary.text()
    report = dialog.report_text()
    assert "Traceback" in report and "_boom" in report and str(project.path) in report

    log = reporter.last_log
    assert log is not None and log.parent == crash_dialog.log_dir()
    assert log.read_text(encoding="utf-8") == report
    assert "Rackshift" in str(log.parent) and log.parent.name == "logs"

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == report

    # the same project is open and editable; an edit is in the file at once, and undoable
    assert main_window.ctx is ctx and ctx.project is project and not project.readonly
    site = Site(name="After the error", grid_capacity_mw=5, energy_price_usd_per_mwh=40)
    made = {}
    push_edit(ctx, "Add site", lambda: made.setdefault("id", sites.add(project, site)),
              lambda: sites.delete(project, made.pop("id")), "sites")
    assert "After the error" in _sites_in_file(project.path)
    ctx.undo_stack.undo()
    assert "After the error" not in _sites_in_file(project.path)

    # a second error goes into the same dialog
    ctx.changed.connect(_boom)
    try:
        ctx.notify("halls")
    finally:
        ctx.changed.disconnect(_boom)
    qtbot.waitUntil(lambda: dialog.errors == 2)
    assert reporter.dialog is dialog and "boom in a slot (halls)" in dialog.report_text()


def test_a_stray_transaction_is_rolled_back_and_later_edits_commit(main_window, reporter, qtbot):
    project = main_window.ctx.project

    def half_edit(_kind):
        project.db.conn.execute("update sites set name = 'half-written'")  # outside atomic(): implicit BEGIN
        raise RuntimeError("interrupted edit")

    main_window.ctx.changed.connect(half_edit)
    try:
        main_window.ctx.notify("sites")
    finally:
        main_window.ctx.changed.disconnect(half_edit)
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert not project.db.conn.in_transaction
    assert "half-written" not in _sites_in_file(project.path)
    sites.add(project, Site(name="Committed", grid_capacity_mw=5, energy_price_usd_per_mwh=40))
    assert "Committed" in _sites_in_file(project.path)


def test_an_error_in_a_worker_thread_is_shown_on_the_gui_thread(main_window, reporter, qtbot):
    worker = threading.Thread(target=_boom, args=("worker",), name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert "boom in a slot (worker)" in reporter.dialog.report_text()
    assert "thread: worker" in reporter.dialog.report_text()


def test_keyboard_interrupt_goes_to_the_previous_hook(main_window, reporter, monkeypatch):
    import sys

    seen = []
    monkeypatch.setitem(crash_dialog._installed, "excepthook", lambda *a: seen.append(a[0]))
    sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt] and reporter.dialog is None


def test_old_logs_are_pruned(tmp_path):
    for i in range(crash_dialog.KEEP_LOGS + 5):
        crash_dialog.write_log(f"report {i}\n", tmp_path)
    assert len(list(tmp_path.glob("rackshift-error-*.log"))) == crash_dialog.KEEP_LOGS


def test_app_main_installs_the_reporter():
    import inspect

    from desktop import app

    assert "crash_dialog.install(window)" in inspect.getsource(app.main)
