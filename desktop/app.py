"""Start the Rackshift GUI.

`main(project_path)` reads top to bottom:
1. PySide6 is imported before pyqtgraph anywhere, so pyqtgraph binds to it.
2. The QApplication exists before any widget, QSettings or QLockFile.
3. The project is chosen: the path given, else the last one opened, else the demo
   portfolio (created in the user's data folder on first run).
4. The window opens on it; a file that cannot be opened is explained in a dialog and the
   demo opens instead, so the planner is never left with nothing. From the window on, an
   unexpected error shows a dialog and is logged (desktop.ui.crash_dialog), and work goes on.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.paths import resources_dir
from desktop.ui import crash_dialog, preferences


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(preferences.ORGANIZATION)
    app.setApplicationName(preferences.APPLICATION)
    if not QFontDatabase.families().count("DejaVu Sans"):  # the PDF's font, on any machine
        for font in sorted((resources_dir() / "fonts").glob("*.ttf")):
            QFontDatabase.addApplicationFont(str(font))
    icon = resources_dir() / "icons" / "rackshift.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def user_data_dir() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_path() -> Path:
    """The demo portfolio in the user's data folder, created on first use."""
    from desktop.store.demo import build_demo

    path = user_data_dir() / "demo-portfolio.sqlite"
    if not path.exists():
        build_demo(path).close()
    return path


def choose_project(project_path: str | None) -> Path:
    if project_path:
        return Path(project_path)
    last = preferences.get(preferences.LAST_PROJECT)
    if last and Path(last).exists():
        return Path(last)
    return demo_path()


def main(project_path: str | None = None) -> int:
    app = make_application()
    from desktop.ui.main_window import MainWindow  # after QApplication: imports pyqtgraph views

    window = MainWindow()
    crash_dialog.install(window)  # an unexpected error: a dialog and a log file, and work goes on
    if not window.files.open_path(choose_project(project_path)):
        if project_path is None or not window.files.open_path(demo_path()):
            QMessageBox.critical(None, "Rackshift", "No project could be opened.")
            return 2
    window.show()
    return app.exec()
