"""Asking for a file to write: the save dialog plus the suffix rule.

Qt's save dialog asks before replacing the name the planner typed; when we then add the
suffix (`plan` -> `plan.pdf`) that is another file, which may exist, so we ask about it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.ui import folders


def confirm_replace(parent, path: str | Path, what: str = "") -> bool:
    text = f"{Path(path).name} already exists. Replace it{' ' + what if what else ''}?"
    answer = QMessageBox.question(parent, "Replace the file?", text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent, title: str, start: str, file_filter: str, suffix: str, what: str = "") -> str | None:
    """The path to write (with `suffix`, e.g. ".pdf"), or None when the planner says no."""
    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not path:
        return None
    folders.remember(path)
    if not Path(path).suffix:
        path += suffix
        if Path(path).exists() and not confirm_replace(parent, path, what):
            return None
    return path
