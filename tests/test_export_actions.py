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
    assert exports.last_pages >= 8 and not exports.busy
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


def test_prepared_by_is_a_project_property_asked_on_first_export(main_window, qtbot, monkeypatch, tmp_path):
    from desktop.store import settings
    from desktop.ui import export_actions

    ctx = main_window.ctx
    settings.put(ctx.project, "prepared_by", "")
    texts = [a.text() for a in main_window.menus["File"].actions()]
    assert "P&roperties…" in texts
    asked = []
    monkeypatch.setattr(export_actions, "ask_save_path", lambda *a, **k: asked.append(a) or "")
    exports = main_window.exports
    exports.plan_pdf()
    dialog = exports.author_dialog
    assert dialog is not None and dialog.isVisible() and not asked      # the export waits for the answer
    dialog.author.setText("  Dana Reyes, Head of Finance ")
    dialog.accept()
    assert settings.get(ctx.project, "prepared_by") == "Dana Reyes, Head of Finance"
    assert len(asked) == 1                                                   # then the save dialog
    exports.author_dialog = None
    exports.plan_pdf()
    assert exports.author_dialog is None and len(asked) == 2                 # asked once, not again
    ctx.undo_stack.undo()
    assert settings.get(ctx.project, "prepared_by") == ""
    ctx.undo_stack.redo()
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.export_pdf(str(tmp_path / "p.pdf"))
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Dana Reyes, Head of Finance" in text


def test_properties_refuse_an_empty_name(main_window, qtbot):
    from desktop.store import settings
    from desktop.ui.properties_dialog import PropertiesDialog

    dialog = PropertiesDialog(main_window.ctx, main_window)
    qtbot.addWidget(dialog)
    before = settings.project_name(main_window.ctx.project)
    dialog.name.setText("   ")
    dialog.accept()
    assert "project name" in dialog.error.text() and settings.project_name(main_window.ctx.project) == before


def test_the_pdf_quotes_the_planners_monte_carlo(main_window, qtbot, tmp_path):
    from desktop.ui import preferences

    preferences.put(preferences.MC_PATHS, 1500)
    preferences.put(preferences.MC_VOLATILITY_PCT, 42.0)
    exports = main_window.exports
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.export_pdf(str(tmp_path / "p.pdf"))
    import re
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert "1,500 simulated market paths" in text and "42 % a year volatility" in text
    assert "beats mining in" in text and "of 1,500 market paths" in text


def test_without_a_plan_the_gui_exports_the_baseline(main_window, qtbot, tmp_path):
    import csv

    ctx = main_window.ctx
    ctx.set_plan(None)
    exports = main_window.exports
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        assert exports.export_tables(str(tmp_path / "t"), confirm=lambda paths: True)
    with open(tmp_path / "t" / "cash-flows.csv", encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert "baseline net cash (USD)" in header and "plan net cash (USD)" not in header
    with qtbot.waitSignal(exports.finished, timeout=60_000):
        exports.export_pdf(str(tmp_path / "base.pdf"))
    assert 3 <= exports.last_pages <= 8          # no schedule, floor maps or appendix
