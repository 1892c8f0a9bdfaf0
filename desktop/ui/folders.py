"""Where file dialogs start: the user's documents folder, then the last folder used, never
the hidden data folder that holds the demo portfolio."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from desktop.ui import preferences


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def _hidden(folder: Path) -> bool:
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if data and (folder == Path(data) or Path(data) in folder.parents):
        return True
    return any(part.startswith(".") for part in folder.relative_to(folder.anchor).parts)


def start_folder() -> Path:
    """The last folder a dialog used, if it still exists and is not hidden; else Documents."""
    last = preferences.get(preferences.LAST_FOLDER)
    if last:
        folder = Path(last)
        if folder.is_dir() and not _hidden(folder):
            return folder
    return documents()


def start_at(name: str) -> str:
    """A suggested file name in the start folder."""
    return str(start_folder() / name)


def remember(path: str | Path | None) -> None:
    """Remember the folder of a chosen file (or a chosen folder) for the next dialog."""
    if not path:
        return
    chosen = Path(path)
    folder = chosen if chosen.is_dir() else chosen.parent
    if not _hidden(folder):
        preferences.put(preferences.LAST_FOLDER, str(folder))
