"""Undo commands: each one is tiny and calls the store, then tells the context what moved.

`StoreCommand(ctx, text, do, undo, kind)` covers most edits: `do()` and `undo()` are
callables that write through the store. However many store calls one of them makes (a
duplicated plan and the current-plan setting, a deleted plan and the plan made current
instead), it runs in one transaction (`whole`): a process killed in the middle leaves the
file as before the step, never half of it. A command whose first `do()` raises is not pushed:
the caller sees the error and the stack is unchanged.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand


def whole(ctx, step) -> None:
    """Run one undo step's writes as one transaction (Project.in_one_transaction)."""
    project = getattr(ctx, "project", None)
    if project is None or project.readonly:
        step()
        return
    project.in_one_transaction(step)


class StoreCommand(QUndoCommand):
    def __init__(self, ctx, text: str, do, undo, kind: str, merge_id: int = -1, merge_key=None,
                 already_done: bool = False):
        super().__init__(text)
        self._ctx, self._do, self._undo, self._kind = ctx, do, undo, kind
        self._merge_id, self._merge_key = merge_id, merge_key
        self._skip_next_redo = already_done

    def redo(self) -> None:
        if self._skip_next_redo:  # the edit was applied (and checked) before the push
            self._skip_next_redo = False
        else:
            whole(self._ctx, self._do)
        self._ctx.notify(self._kind)

    def undo(self) -> None:
        whole(self._ctx, self._undo)
        self._ctx.notify(self._kind)

    def id(self) -> int:
        return self._merge_id

    def mergeWith(self, other) -> bool:
        """Successive edits of the same field (a slider drag) become one undo step."""
        if other.id() != self._merge_id or self._merge_id < 0 or other._merge_key != self._merge_key:
            return False
        self._do = other._do
        return True


def push_edit(ctx, text: str, do, undo, kind: str, merge_id: int = -1, merge_key=None) -> None:
    """Apply `do` once, in one transaction (errors propagate, nothing is stored or pushed), then
    push it as undoable."""
    whole(ctx, do)
    ctx.push(StoreCommand(ctx, text, do, undo, kind, merge_id, merge_key, already_done=True))


def set_fields(ctx, text: str, writer, object_id: int, old: dict, new: dict, kind: str, merge_id: int = -1) -> None:
    """An undoable change of some fields of one row: `writer(project, id, **fields)`."""
    project = ctx.project
    push_edit(ctx, text, lambda: writer(project, object_id, **new), lambda: writer(project, object_id, **old), kind,
              merge_id, (object_id, tuple(sorted(new))))
