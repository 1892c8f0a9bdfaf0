"""File > New, Open, Open Recent, Save As: dialogs around desktop.ui.session."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.model.errors import InputError
from desktop.ui import folders, preferences
from desktop.ui.save_dialog import ask_save_path
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
        folders.remember(path)
        if path:
            self.open_path(path)

    def new_project(self) -> None:
        path = ask_save_path(self.window, "New project", self._folder(), FILTER, ".sqlite",
                             "with a new, empty project")
        if not path:
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
        path = ask_save_path(self.window, "Save project as", self._folder(), FILTER, ".sqlite")
        if not path:
            return
        try:
            target = save_copy(session.project, path)
        except (InputError, OSError) as exc:
            self._error("Cannot save the project", exc)
            return
        self.open_path(target)

    def _folder(self) -> str:
        return str(folders.start_folder())
