"""The Help menu: the user manual (offline: the README's planner chapters, shipped with the
program, shown in a window), the keyboard shortcuts, and About with every version that
matters when reporting a problem (Rackshift, the project file's schema, Python, Qt, PySide6,
pyqtgraph, numpy, SQLite)."""
from __future__ import annotations

import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from desktop.store.project import sqlite_version
from desktop import __version__
from desktop.paths import manual_path

# The README's chapters a planner reads (the rest is for whoever builds and installs it).
MANUAL_CHAPTERS = ("Quick start", "A tour", "Data and imports", "Floor plan", "Plans and dashboard", "Reports",
                   "The economic model", "The project file")

# Keys that are not menu items: where they work and what they do.
VIEW_KEYS = [
    ("Ctrl+Z (anywhere, once a field's edit is committed)", "Undo the last edit"),
    ("Ctrl+Shift+Z, Ctrl+Y", "Redo"),
    ("Enter or Tab in a field", "Commit the value"),
    ("Delete (in the Sites, Halls, Fleet and Catalog tables)", "Delete the selected rows (undoable)"),
    ("Click, Shift+click, Ctrl+click (floor plan)", "Select a position, a range, add to the selection"),
    ("Click or drag on the row letters (floor plan); Shift+click", "Select whole rows; the rows between"),
    ("Drag (floor plan)", "Select a block of positions"),
    ("Mouse wheel (dashboard)", "Scroll the dashboard"),
    ("Ctrl+mouse wheel (dashboard chart)", "Zoom the chart (right-click > Reset zoom)"),
    ("Mouse wheel, + and - (floor plan)", "Zoom the floor plan; 0 fits the hall"),
    ("Right-click", "The actions of what is under the pointer"),
    ("Drop a .sqlite, .csv or .yaml file on the window", "Open the project, import a fleet CSV or NetBox device types"),
]


def manual_markdown() -> str:
    """The planner's chapters of the shipped README, as Markdown."""
    text = Path(manual_path()).read_text(encoding="utf-8")
    keep, out = False, []
    for line in text.splitlines():
        if line.startswith("## "):
            keep = line[3:].strip() in MANUAL_CHAPTERS
        if keep:
            out.append(line)
    title = "# Rackshift user manual\n\nThis manual is part of the program and needs no network.\n"
    return title + "\n" + "\n".join(out)


def versions(project=None) -> list[tuple[str, str]]:
    import numpy
    import pyqtgraph

    rows = [("Rackshift", __version__)]
    if project is not None:
        rows.append(("Project file schema", str(project.schema_version)))
    rows += [("Python", platform.python_version()), ("Qt", qVersion()), ("PySide6", pyside_version),
             ("pyqtgraph", pyqtgraph.__version__), ("numpy", numpy.__version__), ("SQLite", sqlite_version()),
             ("System", f"{platform.system()} {platform.release()} ({platform.machine()})")]
    if getattr(sys, "frozen", False):
        rows.append(("Build", "bundle"))
    return rows


def shortcut_rows(actions: dict) -> list[tuple[str, str]]:
    """(keys, what) for every menu action with a shortcut, then the keys of the views."""
    rows = []
    for action in actions.values():
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            rows.append((", ".join(keys), action.text().replace("&", "").rstrip("…")))
    return rows + VIEW_KEYS


def _table_html(rows, heads) -> str:
    cells = "".join(f"<tr><td style='padding:2px 12px 2px 0'><b>{a}</b></td><td>{b}</td></tr>" for a, b in rows)
    return f"<table><tr><th align=left>{heads[0]}</th><th align=left>{heads[1]}</th></tr>{cells}</table>"


class TextWindow(QDialog):
    """A read-only page (the manual, the shortcuts) with a Close button; not modal."""

    def __init__(self, parent, title: str, *, markdown: str = "", html: str = "", size=(760, 640)):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("helpWindow")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)   # offline: links into the web are not followed
        self.browser.setOpenLinks(True)
        if markdown:
            self.browser.setMarkdown(markdown)
        else:
            self.browser.setHtml(html)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(*size)


def manual_window(parent) -> TextWindow:
    return TextWindow(parent, "Rackshift user manual", markdown=manual_markdown(), size=(820, 700))


def shortcuts_window(parent, actions: dict) -> TextWindow:
    return TextWindow(parent, "Keyboard shortcuts", html=_table_html(shortcut_rows(actions), ("Keys", "What")),
                      size=(720, 520))


def about_html(project=None) -> str:
    rows = versions(project)
    return ("<h3>Rackshift</h3><p>Plan the conversion of Bitcoin-mining sites to AI hosting.</p>"
            + _table_html(rows, ("", "Version"))
            + (f"<p>Project file: {project.path}</p>" if project is not None else ""))
