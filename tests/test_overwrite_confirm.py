"""Every File-menu dialog that writes a file lets Qt ask before replacing an existing one
(QFileDialog confirms an overwrite unless told DontConfirmOverwrite)."""
from __future__ import annotations

from pathlib import Path

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
