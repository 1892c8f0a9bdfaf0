"""What to do next in a project that is not yet a plan: add a site, import a fleet CSV, place
miners, make a plan; each a button that does it (or opens the view where it is done). The
panel shows on the Summary while any step is left, and says plainly when the project is the
demo's sample data."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from desktop.store import editing, halls, plans, settings, sites

DEMO_NOTE = ("This is the demo portfolio: sample data to look around in (three made-up sites). "
             "To plan your own sites, use File > New to start an empty project, or File > Import Scenario.")


@dataclass(frozen=True)
class Step:
    key: str        # site, fleet, place, plan
    text: str       # the button's text
    why: str        # one line under it
    done: bool


def steps(project) -> list[Step]:
    all_sites = sites.sites(project)
    has_fleet = any(sites.fleet(project, s.id) for s in all_sites)
    has_halls = any(halls.halls(project, s.id) for s in all_sites)
    placed = any(editing.placed_miners(project, s.id) for s in all_sites)
    has_plan = bool(plans.plans(project))
    return [
        Step("site", "Add a site", "its grid capacity, energy price and PUE; then its halls", bool(all_sites)),
        Step("fleet", "Import a fleet CSV", "the ASIC miners each site owns (or add them in the Fleet view)", has_fleet),
        Step("place", "Place miners", "stand the fleet on a hall's floor (Sites view, Miners on the floor)",
             placed or not (has_fleet and has_halls)),
        Step("plan", "Make a plan", "then convert rack positions to GPU racks in the floor plan", has_plan),
    ]


DEMO_FILE = "demo-portfolio.sqlite"   # desktop.app.demo_path()


def is_demo(project) -> bool:
    """The project is the demo's sample data (built by desktop.store.demo)."""
    return bool(settings.get(project, "sample_data", False)) or project.path.name == DEMO_FILE


def run_step(window, key: str) -> None:
    """Do a step from the main window: the button's promise, one click."""
    views = window.views
    if key == "site":
        window.tabs.setCurrentWidget(views["Sites"])
        views["Sites"].add_site()
    elif key == "fleet":
        window.imports.import_fleet_csv()
    elif key == "place":
        window.tabs.setCurrentWidget(views["Sites"])
        views["Sites"].halls.fill.place_button.setFocus()
    elif key == "plan":
        window.tabs.setCurrentWidget(views["Plans"])
        views["Plans"].new_plan()


class NextSteps(QFrame):
    """The buttons of the steps not done yet; `chosen(key)` when one is pressed."""
    chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("nextSteps")
        self.setStyleSheet("#nextSteps { background: #EFF6FF; border: 1px solid #BFDBFE; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.note = QLabel()
        self.note.setObjectName("demoNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.title = QLabel("<b>Next steps</b>")
        layout.addWidget(self.title)
        self.row = QHBoxLayout()
        layout.addLayout(self.row)
        self.buttons: dict[str, QPushButton] = {}
        self.hints: dict[str, QLabel] = {}
        for key in ("site", "fleet", "place", "plan"):
            column = QVBoxLayout()
            button = QPushButton()
            button.setObjectName(f"next_{key}")
            button.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            hint = QLabel()
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #4B5563;")
            column.addWidget(button)
            column.addWidget(hint)
            column.addStretch(1)
            self.row.addLayout(column, 1)
            self.buttons[key], self.hints[key] = button, hint

    def show_steps(self, project, demo: bool = False, readonly: bool = False) -> None:
        todo = [s for s in steps(project) if not s.done]
        self.note.setText(DEMO_NOTE)
        self.note.setVisible(demo)
        for step in steps(project):
            shown = not step.done and not demo
            self.buttons[step.key].setText(step.text)
            self.buttons[step.key].setVisible(shown)
            self.buttons[step.key].setEnabled(not readonly)
            self.hints[step.key].setText(step.why)
            self.hints[step.key].setVisible(shown)
        self.title.setVisible(bool(todo) and not demo)
        self.setVisible(demo or bool(todo))
