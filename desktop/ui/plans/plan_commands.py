"""Undoable edits of plans and of their conversions' terms; each calls the store and notifies.

Adding, duplicating and deleting a plan keep the current plan sensible: a new or duplicated
plan becomes current, deleting the current plan makes another one current, and undo puts
back what was current before.
"""
from __future__ import annotations

from desktop.model import field_words
from desktop.model.names import unique_name
from desktop.model.entities import Plan
from desktop.model.errors import InputError
from desktop.store import plans
from desktop.ui import context
from desktop.ui.commands import push_edit, set_fields

TIMELINE_MERGE_ID = 0x746C   # "tl": the writes of one timeline drag are one undo step


def _clean(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("name", "a plan needs a name")
    if len(name) > 200:
        raise InputError("name", "at most 200 characters")
    return name


def free_name(project, base: str) -> str:
    return unique_name((p.name for p in plans.plans(project)), base)


def _push_new_plan(ctx, text: str, create) -> int:
    """Push the making of a plan by `create()` (which returns its id), made current; undo
    deletes it (keeping a snapshot) and makes the previous plan current again."""
    project, previous = ctx.project, ctx.plan_id
    state: dict = {}

    def do():
        if "snap" in state:
            plans.restore(project, state["snap"])
        else:
            state["id"] = create()
        ctx.set_plan(state["id"])

    def undo():
        ctx.set_plan(previous)
        state["snap"] = plans.delete(project, state["id"])

    push_edit(ctx, text, do, undo, context.PLANS)
    return state["id"]


def add_plan(ctx, name: str | None = None) -> int:
    project = ctx.project
    name = _clean(name) if name is not None else free_name(project, "New plan")
    return _push_new_plan(ctx, f"Add plan {name}", lambda: plans.add(project, Plan(name=name)))


def rename_plan(ctx, plan_id: int, name: str) -> None:
    project = ctx.project
    name = _clean(name)
    old = plans.get(project, plan_id).name
    if old == name:
        return
    push_edit(ctx, f"Rename plan {old} to {name}", lambda: plans.rename(project, plan_id, name),
              lambda: plans.rename(project, plan_id, old), context.PLANS)


def duplicate_plan(ctx, plan_id: int, name: str | None = None) -> int:
    project = ctx.project
    source = plans.get(project, plan_id)
    name = _clean(name) if name is not None else free_name(project, f"{source.name} (copy)")
    return _push_new_plan(ctx, f"Duplicate plan {source.name}", lambda: plans.duplicate(project, plan_id, name))


def delete_plan(ctx, plan_id: int) -> None:
    project = ctx.project
    plan = plans.get(project, plan_id)
    was_current = ctx.plan_id == plan_id
    state: dict = {}

    def do():
        if was_current:
            others = [p.id for p in plans.plans(project) if p.id != plan_id]
            ctx.set_plan(others[0] if others else None)
        state["snap"] = plans.delete(project, plan_id)

    def undo():
        plans.restore(project, state["snap"])
        if was_current:
            ctx.set_plan(plan_id)

    count = len(plans.conversions(project, plan_id))
    push_edit(ctx, f"Delete plan {plan.name}", do, undo, context.PLANS)
    what = f" with its {count} conversion{'s' if count != 1 else ''} and their terms" if count else ""
    ctx.announce(f"Deleted plan {plan.name}{what}", undoable=True)


def set_terms(ctx, conversion_id: int, new: dict, text: str | None = None) -> None:
    """Change some terms of one conversion (one undo step)."""
    conv = plans.get_conversion(ctx.project, conversion_id)
    old = {key: getattr(conv, key) for key in new}
    if old == new:
        return
    label = conv.label or f"conversion {conversion_id}"
    names = ", ".join(field_words.in_sentence(conv.mode, key) for key in new)
    set_fields(ctx, text or f"Change {names} of {label}", write_terms, conversion_id,
               old, new, context.CONVERSIONS)


def write_terms(project, conversion_id: int, **fields) -> None:
    """Write terms (the plan's breaches follow by themselves: they are derived when read)."""
    plans.update_conversion(project, conversion_id, **fields)


def drag_terms(ctx, conversion_id: int, new: dict, drag: int) -> None:
    """A timeline drag's write: every write of drag number `drag` merges into one undo step."""
    project = ctx.project
    conv = plans.get_conversion(project, conversion_id)
    old = {key: getattr(conv, key) for key in new}
    if old == new:
        return
    push_edit(ctx, f"Move {conv.label or 'conversion'} in time",
              lambda: write_terms(project, conversion_id, **new),
              lambda: write_terms(project, conversion_id, **old), context.CONVERSIONS,
              TIMELINE_MERGE_ID, (conversion_id, tuple(sorted(new)), drag))
