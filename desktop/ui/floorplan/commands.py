"""Undo commands of the floor plan: convert a selection, remove conversions.

Each is one undo step however many positions it takes. The first `redo` is the edit itself
(`apply()` runs before the push, so a refused edit raises and nothing is pushed); undo
deletes the conversion; a later redo re-inserts it with the same conversion id and
positions, so commands further up the stack still name the right rows. Every step tells
the context that conversions moved.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from desktop.store import catalog, conversions, plans
from desktop.ui import context as kinds


class ConvertCommand(QUndoCommand):
    def __init__(self, ctx, hall_id: int, indices, gpu_model_id: int, start_month: int,
                 racks: int | None = None, table=None):
        super().__init__("Convert positions")
        self.ctx = ctx
        self.hall_id, self.indices, self.table = hall_id, indices, table
        self.gpu_model_id, self.start_month, self.racks = gpu_model_id, start_month, racks
        self.conversion = None
        self.taken: dict[str, list[int]] = {}
        self.proposal = None
        self.created_plan: dict | None = None   # the plan this command made (no plan was current)
        self._applied = False

    @property
    def conversion_id(self) -> int | None:
        return None if self.conversion is None else self.conversion.id

    def apply(self) -> "ConvertCommand":
        """Write the conversion now (raises InputError, writing nothing, when refused)."""
        project = self.ctx.project
        plan_id = self.ctx.plan_id
        name = conversions.next_plan_name(project) if plan_id is None else ""
        plan_id, cid, self.proposal = conversions.convert_into(project, plan_id, name, self.hall_id, self.indices,
                                                               self.gpu_model_id, self.start_month, self.racks,
                                                               table=self.table)
        if self.ctx.plan_id is None:
            self.created_plan = plans.snapshot(project, plan_id)
            self.created_plan["conversions"] = self.created_plan["conversion_positions"] = []
            self.ctx.set_plan(plan_id)
        self.conversion = plans.get_conversion(project, cid)
        self.taken = {"gpu": self.proposal.gpu_positions, "retired": self.proposal.retired_positions}
        gpu = catalog.get(project, self.gpu_model_id)
        self.setText(f"Convert {self.proposal.positions:,} positions to {self.proposal.racks_placed:,} x {gpu.name}")
        self.table = None  # not needed any more
        self._applied = True
        return self

    def redo(self) -> None:
        if self._applied:
            self._applied = False
        else:
            conversions.restore_with_plan(self.ctx.project, self.created_plan, self.conversion, self.taken)
            if self.created_plan is not None:
                self.ctx.set_plan(self.conversion.plan_id)
        self.ctx.notify(kinds.CONVERSIONS)

    def undo(self) -> None:
        conversions.remove_with_plan(self.ctx.project, self.conversion.id,
                                     self.conversion.plan_id if self.created_plan is not None else None)
        if self.created_plan is not None:
            self.ctx.set_plan(None)
        self.ctx.notify(kinds.CONVERSIONS)


class RemoveConversionsCommand(QUndoCommand):
    def __init__(self, ctx, conversion_ids):
        n = len(conversion_ids)
        super().__init__("Remove conversion" if n == 1 else f"Remove {n} conversions")
        self.ctx = ctx
        self.conversion_ids = [int(c) for c in conversion_ids]
        self.removed: list = []
        self._applied = False

    def apply(self) -> "RemoveConversionsCommand":
        self.removed = conversions.take(self.ctx.project, self.conversion_ids)
        self._applied = True
        return self

    def redo(self) -> None:
        if self._applied:
            self._applied = False
        else:
            conversions.remove_many(self.ctx.project, [conv.id for conv, _taken in self.removed])
        self.ctx.notify(kinds.CONVERSIONS)

    def undo(self) -> None:
        conversions.restore_many(self.ctx.project, self.removed)
        self.ctx.notify(kinds.CONVERSIONS)


def push(ctx, command) -> QUndoCommand:
    """Apply a command (errors propagate; nothing is pushed) and put it on the undo stack."""
    command.apply()
    ctx.push(command)
    return command
