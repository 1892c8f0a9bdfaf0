"""Every File-menu dialog that writes a file lets Qt ask before replacing an existing one
(QFileDialog confirms an overwrite unless told DontConfirmOverwrite)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

GOLDEN = Path(__file__).resolve().parent / "golden" / "g1-single-site.json"


def test_save_dialogs_confirm_overwriting(main_window, monkeypatch):
    calls = []

    def save_name(*args, **kwargs):
        calls.append((args[1] if len(args) > 1 else kwargs.get("caption"),
                      kwargs.get("options", args[5] if len(args) > 5 else QFileDialog.Option(0))))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(GOLDEN), ""))
    writing = [spec for spec in ("file.new", "file.save_as", "file.export_scenario", "file.import_scenario")
               if spec in main_window.actions_by_id]
    for action_id in writing:
        main_window.actions_by_id[action_id].trigger()
    assert len(calls) == len(writing) >= 2
    for caption, options in calls:
        assert not (options & QFileDialog.Option.DontConfirmOverwrite), caption


def _answer(monkeypatch, reply):
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return reply
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_new_project_without_a_suffix_asks_before_replacing_the_sqlite_file(main_window, tmp_path, monkeypatch):
    """Qt asked about `portfolio`; Rackshift writes `portfolio.sqlite`, so it asks about that."""
    from PySide6.QtWidgets import QMessageBox

    existing = tmp_path / "portfolio.sqlite"
    existing.write_bytes(main_window.ctx.project.path.read_bytes())
    before, open_path = existing.read_bytes(), main_window.ctx.project.path
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "portfolio"), ""))
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    main_window.files.new_project()
    assert len(asked) == 1 and "portfolio.sqlite already exists" in asked[0]
    assert existing.read_bytes() == before and main_window.ctx.project.path == open_path
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    main_window.files.new_project()
    assert main_window.ctx.project.path == existing.resolve()


def test_pdf_export_without_a_suffix_asks_before_replacing_the_pdf(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    exports = getattr(main_window, "exports", None)
    if exports is None or not hasattr(exports, "plan_pdf"):
        pytest.skip("no PDF export in the GUI")
    existing = tmp_path / "report.pdf"
    existing.write_bytes(b"%PDF- an earlier report")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "report"), ""))
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    started = []
    monkeypatch.setattr(exports, "export_pdf", lambda path, *a, **k: started.append(path))
    exports.plan_pdf()
    assert asked or not started, "report.pdf would be replaced without asking"


def test_chart_export_without_a_suffix_asks_before_replacing_the_image(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.dashboard.panel import ChartPanel

    main_window.views["Dashboard"]  # views are built when first needed
    panels = main_window.findChildren(ChartPanel)
    assert panels, "the dashboard has no chart panel"
    panel = panels[0]
    existing = tmp_path / "chart.png"
    existing.write_bytes(b"an earlier chart")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "chart"), ""))
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    written = []
    monkeypatch.setattr(panel, "export_to", lambda path: written.append(path))
    panel.export_dialog("png")
    assert asked or not written, "chart.png would be replaced without asking"


def test_scenario_import_without_a_suffix_asks_before_replacing_a_project(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    imports = getattr(main_window, "imports", None)
    if imports is None or not hasattr(imports, "import_scenario_file"):
        pytest.skip("no scenario import in the GUI")
    existing = tmp_path / "portfolio.sqlite"
    existing.write_bytes(main_window.ctx.project.path.read_bytes())
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(GOLDEN), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "portfolio"), ""))
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    started = []
    monkeypatch.setattr(imports, "import_scenario_file", lambda source, target: started.append(target))
    imports.import_scenario()
    assert asked or not started, "portfolio.sqlite would be replaced without asking"
