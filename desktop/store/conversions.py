"""Convert rack positions in a plan: the rules of desktop.model.conversion, applied to a
project's data and written in one transaction. Used by the floor-plan editor, the
`convert` command and the demo."""
from __future__ import annotations

import numpy as np

from desktop.model import conversion as rules
from desktop.model.entities import Conversion
from desktop.model.errors import InputError
from desktop.model.floorgrid import ROLE_NONE
from desktop.model.months import month_label, month_offset
from desktop.model.rules.plan_check import NEW
from desktop.store import catalog, halls, plans, settings, sites
from desktop.store.checks import plan_check


def asic_models(project) -> dict:
    return {m.id: m for m in catalog.models(project, "asic")}


def propose(project, plan_id: int | None, hall_id: int, indices: np.ndarray, table, gpu_model_id: int,
            start_month: int, racks: int | None = None) -> rules.ConversionProposal:
    """What converting `table`'s positions at `indices` would do, with every breach: the plan's
    rules (desktop.store.checks) with the proposal added as its last conversion."""
    hall = halls.get(project, hall_id)
    site = sites.get(project, hall.site_id)
    gpu = catalog.get(project, gpu_model_id)
    if gpu.kind != "gpu":
        raise InputError("to", f"{gpu.name} is not a GPU system")
    indices = np.asarray(indices, dtype=np.int64)
    taken = indices[table.role[indices] != ROLE_NONE]
    if len(taken):
        raise InputError("positions", f"{len(taken)} of the selected positions are already converted in this plan "
                                      f"(for example {table.labels[int(taken[0])]})")
    asics = asic_models(project)
    proposal = rules.propose(table.ids[indices], table.model_ids[indices], table.unit_counts[indices],
                             site=site, hall=hall, gpu=gpu, asics=asics, racks=racks)
    if proposal.racks_placed:
        new = make_conversion(plan_id or 0, hall, gpu, proposal, start_month)
        check = plan_check(project, plan_id, proposed=new, proposed_taken_kw=proposal.miners_taken_kw)
        proposal.breaches = check.messages(NEW) + [b.message for b in check.blocking
                                                   if b.site == site.name and b.conversion_id != NEW]
        # removing more miners than the site has (with the plan's other conversions) is not a plan
        # with a breach but a plan no export can write: refused (ECONOMICS.md, "Validation")
        proposal.refusal = next((b for b in check.breaches if b.rule == "fleet" and b.site == site.name), None)
    return proposal


def _plan_conversions(project, plan_id) -> list[Conversion]:
    return [] if plan_id is None else plans.conversions(project, plan_id)


def default_terms() -> dict:
    """Commercial terms a new conversion starts with (../shared/reference figures)."""
    return {
        "mode": "colocation", "build_months": 12, "capex_usd_per_mw": 9_000_000.0,
        "lease_usd_per_kw_month": 150.0, "lease_escalator_pct_per_year": 3.0,
        "power_pass_through": True, "hosting_opex_usd_per_mw_month": 10_000.0, "load_factor_pct": 80.0,
    }


def make_conversion(plan_id: int, hall, gpu, proposal, start_month: int, terms: dict | None = None,
                    label: str = "") -> Conversion:
    values = default_terms()
    values.update(terms or {})
    if values["mode"] == "gpu_cloud":
        values.setdefault("gpu_count", proposal.racks_placed * (gpu.gpus_per_rack or 0))
        values.setdefault("gpu_hour_usd", 2.2)
        values.setdefault("utilization_pct", 70.0)
        values.setdefault("gpu_capex_usd", proposal.racks_placed * (gpu.price_usd or 0.0))
        for key in ("lease_usd_per_kw_month",):
            values[key] = None
    return Conversion(plan_id=plan_id, site_id=hall.site_id, hall_id=hall.id, gpu_model_id=gpu.id,
                      start_month=start_month, critical_it_mw=proposal.critical_it_mw,
                      racks_placed=proposal.racks_placed, remove_asics=dict(proposal.miners_removed),
                      label=label or f"{hall.name}: {proposal.racks_placed} x {gpu.name}",
                      **values)


def convert(project, plan_id: int, hall_id: int, indices, gpu_model_id: int, start_month: int,
            racks: int | None = None, terms: dict | None = None, table=None):
    """Propose and record a conversion; return (conversion id, proposal)."""
    horizon = int(settings.assumptions(project)["horizon_months"])
    if not 0 <= start_month < horizon:
        raise InputError("month", f"must be between 0 and {horizon - 1} (the horizon)")
    if table is None:
        table = halls.positions(project, hall_id=hall_id, plan_id=plan_id)
    if len(indices) == 0:
        raise InputError("positions", "no positions selected")
    proposal = propose(project, plan_id, hall_id, indices, table, gpu_model_id, start_month, racks)
    if proposal.racks_placed == 0:
        raise InputError("positions", "the selection frees too little power for one GPU rack; "
                                      "select more positions or give --racks")
    hall = halls.get(project, hall_id)
    gpu = catalog.get(project, gpu_model_id)
    conv = make_conversion(plan_id, hall, gpu, proposal, start_month, terms)
    if proposal.refusal is not None:   # what every export would refuse: refuse it here, by name
        culprit = "" if proposal.refusal.conversion_id == NEW else " with the plan's other conversions"
        raise InputError("positions", f"conversion {conv.label!r} at {proposal.refusal.site}{culprit}: "
                                      f"{proposal.refusal.message.removeprefix('fleet: ')} "
                                      f"(to resolve: {proposal.refusal.resolve})")
    cid = plans.add_conversion(project, conv, proposal.gpu_positions, proposal.retired_positions)
    return cid, proposal


# -- for the editor's undo commands and the convert command ---------------------------------

def convert_into(project, plan_id: int | None, new_plan_name: str, hall_id: int, indices, gpu_model_id: int,
                 start_month: int, racks: int | None = None, table=None, *, make_current: bool = False):
    """`convert` into the plan `plan_id`, or, when it is None, into a new plan `new_plan_name`
    made in the same transaction (current if `make_current` and no plan is); return
    (plan id, conversion id, proposal). A refusal writes nothing, not even the plan."""
    from desktop.model.entities import Plan

    with project.atomic():
        if plan_id is None:
            plan_id = plans.add(project, Plan(name=new_plan_name))
            if make_current and settings.current_plan_id(project) is None:
                settings.put(project, "current_plan_id", plan_id)
        cid, proposal = convert(project, plan_id, hall_id, indices, gpu_model_id, start_month, racks, table=table)
    return plan_id, cid, proposal


def restore_with_plan(project, plan_snapshot: dict | None, conversion: Conversion, taken: dict[str, list[int]]) -> None:
    """Redo of a conversion that made its plan: the plan (`plans.snapshot`, if any) and the conversion."""
    with project.atomic():
        if plan_snapshot is not None:
            plans.restore(project, plan_snapshot)
        restore(project, conversion, taken)


def remove_with_plan(project, conversion_id: int, plan_id: int | None = None) -> None:
    """Undo of a conversion: delete it, and its plan `plan_id` when the conversion made it."""
    with project.atomic():
        remove(project, conversion_id)
        if plan_id is not None:
            plans.delete(project, plan_id)


def remove_many(project, conversion_ids) -> None:
    with project.atomic():
        for cid in conversion_ids:
            remove(project, int(cid))


def restore_many(project, removed: list[tuple[Conversion, dict[str, list[int]]]]) -> None:
    with project.atomic():
        for conv, taken in removed:
            restore(project, conv, taken)


def remove(project, conversion_id: int) -> None:
    """Delete a conversion (its positions follow by cascade); `restore` puts it back."""
    with project.atomic() as db:
        db["conversions"].delete(conversion_id)


def restore(project, conversion: Conversion, taken: dict[str, list[int]]) -> int:
    """Re-insert a conversion with its own id and positions (redo after undo)."""
    return plans.add_conversion(project, conversion, taken["gpu"], taken["retired"])


def take(project, conversion_ids) -> list[tuple[Conversion, dict[str, list[int]]]]:
    """Delete conversions in one transaction; return what `restore` needs for each."""
    out = []
    with project.atomic():
        for cid in conversion_ids:
            out.append(plans.delete_conversion(project, int(cid)))
    return out


def hall_conversions(project, plan_id: int | None, hall_id: int) -> list[Conversion]:
    return [c for c in _plan_conversions(project, plan_id) if c.hall_id == hall_id]


def next_plan_name(project, base: str = "Plan") -> str:
    n = 1
    while plans.by_name(project, f"{base} {n}") is not None:
        n += 1
    return f"{base} {n}"


def parse_month(project, text) -> int:
    """A month given as a 0-based offset in the horizon or as YYYY-MM."""
    a = settings.assumptions(project)
    text = str(text).strip()
    if text.lstrip("-").isdigit():
        offset = int(text)
    else:
        offset = month_offset(a["start_month"], text)
    horizon = int(a["horizon_months"])
    if not 0 <= offset < horizon:
        raise InputError("month", f"{text} is outside the horizon ({month_label(a['start_month'], 0)} to "
                                  f"{month_label(a['start_month'], horizon - 1)})")
    return offset
