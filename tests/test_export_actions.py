"""File > Export in the main window: the PDF with progress, the tables with a question before
replacing files. Dialogs are bypassed through the testable halves (paths in, signals out)."""
from __future__ import annotations

import pytest


def test_export_menu_entries(main_window):
    texts = [a.text() for a in main_window.menus["File/Export"].actions()]
    assert texts == ["Plan as &PDF…", "Plan &Tables (CSV, XLSX)…", "&NetBox…"]
    assert main_window.exports is main_window._handler("exports.plan_pdf").__self__


def test_export_pdf_runs_with_progress_and_writes_the_file(main_window, qtbot, tmp_path):
    exports = main_window.exports
    target = tmp_path / "plan.pdf"
    seen = []
    show = exports._set_progress
    exports._set_progress = lambda fraction: (seen.append(round(100 * fraction)), show(fraction))
    with qtbot.waitSignal(exports.finished, timeout=60_000) as blocker:
        exports.export_pdf(str(target))
        assert exports.busy and exports.progress is not None
    assert blocker.args == ["pdf", str(target)]
    assert target.read_bytes().startswith(b"%PDF")
    assert exports.last_pages >= 20 and not exports.busy
    assert seen and seen == sorted(seen) and max(seen) >= 90
    assert "Exported" in main_window.statusBar().currentMessage()


def test_cancelled_pdf_writes_nothing(main_window, qtbot, tmp_path):
    exports = main_window.exports
    target = tmp_path / "plan.pdf"
    exports.export_pdf(str(target))
    qtbot.waitUntil(lambda: exports.report is not None, timeout=60_000)   # painting has begun
    exports.progress.cancel()
    qtbot.waitUntil(lambda: not exports.busy, timeout=10_000)
    qtbot.wait(50)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))


def test_tables_ask_before_replacing(main_window, qtbot, tmp_path):
    from desktop.export import tables

    exports = main_window.exports
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        assert exports.export_tables(str(tmp_path), confirm=lambda paths: pytest.fail("nothing to replace yet"))
    for path in tables.output_paths(tmp_path):
        assert path.exists()
    before = {p: p.stat().st_mtime_ns for p in tables.output_paths(tmp_path)}
    asked = []
    assert not exports.export_tables(str(tmp_path), confirm=lambda paths: asked.append(paths) or False)
    assert len(asked[0]) == len(tables.output_paths(tmp_path)) == 5 and not exports.busy
    assert {p: p.stat().st_mtime_ns for p in tables.output_paths(tmp_path)} == before
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        assert exports.export_tables(str(tmp_path), confirm=lambda paths: True)


def test_unwritable_target_is_reported(main_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "open", lambda self: None)   # no modal loop in tests
    exports = main_window.exports
    with qtbot.waitSignal(exports.failed, timeout=60_000) as blocker:
        exports.export_pdf(str(tmp_path / "missing" / "plan.pdf"))
    assert blocker.args[0] == "pdf" and "cannot write" in blocker.args[1]
    assert not exports.busy
