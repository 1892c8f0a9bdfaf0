"""The open project as the widgets see it: the store, the undo stack, the current plan,
and one `changed` signal that every editor emits through and every view listens to.

Widgets never hold portfolio data of their own: they read it from the store through the
context when `changed` says their part moved. Undo commands (desktop.ui.commands) call the
store and then `notify`, so undo and redo reach every view the same way an edit does.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from desktop.store import plans, settings
from desktop.store.project import Project

# What `changed` carries: which part of the portfolio moved.
SITES, HALLS, FLEET, CATALOG, PLANS, CONVERSIONS, ASSUMPTIONS, POSITIONS = (
    "sites", "halls", "fleet", "catalog", "plans", "conversions", "assumptions", "positions")
ALL = "all"


class ProjectContext(QObject):
    changed = Signal(str)          # one of the kinds above
    planChanged = Signal(object)   # the current plan id (or None)
    selectionChanged = Signal(str, object)  # "site"/"hall", id
    announced = Signal(str, bool)  # what was done, in the planner's words; whether Undo is offered

    def __init__(self, project: Project, parent: QObject | None = None):
        super().__init__(parent)
        self.project = project
        self.undo_stack = QUndoStack(self)
        self.selection: tuple[str, int] | None = None   # the tree's current item, for views built later
        self.selectionChanged.connect(lambda kind, object_id: setattr(self, "selection", (kind, object_id)))
        self._plan_id = settings.current_plan_id(project)
        if plans.by_id(project, self._plan_id) is None:   # none, or a stale id (the plan was deleted)
            self._plan_id = None
        if self._plan_id is None:
            existing = plans.plans(project)
            self._plan_id = existing[0].id if existing else None

    @property
    def readonly(self) -> bool:
        return self.project.readonly

    @property
    def plan_id(self) -> int | None:
        return self._plan_id

    def set_plan(self, plan_id: int | None) -> None:
        if plan_id == self._plan_id:
            return
        self._plan_id = plan_id
        if not self.readonly:
            settings.put(self.project, "current_plan_id", plan_id)
        self.planChanged.emit(plan_id)
        self.changed.emit(PLANS)

    def notify(self, kind: str) -> None:
        self.changed.emit(kind)

    def announce(self, text: str, undoable: bool = False) -> None:
        """Say in the status bar what an edit did ("Converted 56 positions in Hall A");
        `undoable` adds an Undo button (after a delete)."""
        self.announced.emit(text, undoable)

    def push(self, command) -> None:
        """Run an undoable edit (its redo writes to the file)."""
        self.undo_stack.push(command)
