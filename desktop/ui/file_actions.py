"""File > New, Open, Open Recent, Save As: dialogs around desktop.ui.session."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.model.errors import InputError
from desktop.ui import preferences
from desktop.ui.session import new_session, open_session, save_copy

FILTER = "Rackshift projects (*.sqlite *.rackshift);;All files (*)"


class FileActions:
    def __init__(self, window):
        self.window = window

    def _error(self, title: str, exc: Exception) -> None:
        QMessageBox.critical(self.window, title, str(exc))

    def open_path(self, path, readonly: bool = False) -> bool:
        try:
            session = open_session(path, readonly=readonly)
        except InputError as exc:
            self._error("Cannot open the project", exc)
            return False
        self.window.set_session(session)
        return True

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", self._folder(), FILTER)
        if path:
            self.open_path(path)

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", self._folder(), FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += ".sqlite"  # the dialog asked about the name without it: ask about this one
            if Path(path).exists() and not self._confirm_replace(path):
                return
        try:
            session = new_session(path)
        except InputError as exc:
            self._error("Cannot create the project", exc)
            return
        self.window.set_session(session)

    def save_as(self) -> None:
        session = self.window.session
        if session is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.window, "Save project as", self._folder(), FILTER)
        if not path:
            return
        try:
            target = save_copy(session.project, path)
        except (InputError, OSError) as exc:
            self._error("Cannot save the project", exc)
            return
        self.open_path(target)

    def _confirm_replace(self, path: str) -> bool:
        answer = QMessageBox.question(self.window, "Replace the file?",
                                      f"{Path(path).name} already exists. Replace it with a new, empty project?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _folder(self) -> str:
        recent = preferences.get(preferences.RECENT_FILES)
        return str(Path(recent[0]).parent) if recent else str(Path.home())
