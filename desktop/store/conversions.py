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
from desktop.store import catalog, halls, plans, settings, sites


def asic_models(project) -> dict:
    return {m.id: m for m in catalog.models(project, "asic")}


def propose(project, plan_id: int | None, hall_id: int, indices: np.ndarray, table, gpu_model_id: int,
            start_month: int, racks: int | None = None) -> rules.ConversionProposal:
    """What converting `table`'s positions at `indices` would do, with every breach."""
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
        standing = (table.role == ROLE_NONE) & (table.hall_ids == hall.id)
        standing[indices] = False
        new = Conversion(plan_id=plan_id, site_id=site.id, hall_id=hall.id, start_month=start_month,
                         critical_it_mw=proposal.critical_it_mw, remove_asics=proposal.miners_removed)
        proposal.breaches += _load_breaches(project, _plan_conversions(project, plan_id), hall, site, new, asics,
                                            table, standing)
    return proposal


def _plan_conversions(project, plan_id) -> list[Conversion]:
    return [] if plan_id is None else plans.conversions(project, plan_id)


def _load_breaches(project, earlier: list[Conversion], hall, site, new: Conversion, asics, table,
                   standing: np.ndarray) -> list[str]:
    """Hall power and site grid with `new` added to the `earlier` conversions of its plan;
    `table` is the hall's positions, `standing` the ones whose miners still run."""
    out = []
    # the hall: miners left standing plus every GPU rack of the plan in it, in kW of IT load
    power_w = np.zeros(len(table))
    for mid, m in asics.items():
        power_w[table.model_ids == mid] = m.power_w or 0.0
    miners_kw = float((table.unit_counts * power_w)[standing].sum()) / 1000
    gpu_kw = sum(c.critical_it_mw * 1000 for c in earlier if c.hall_id == hall.id)
    breach = rules.hall_power_breach(hall, miners_kw + gpu_kw + new.critical_it_mw * 1000)
    if breach:
        out.append(breach)
    # the site's grid, month by month (ECONOMICS.md)
    a = settings.assumptions(project)
    horizon = int(a["horizon_months"])
    fleet = {model.name: (entry.count, model.power_w) for entry, model in sites.fleet(project, site.id)}
    convs = [c for c in earlier if c.site_id == site.id] + [new]
    months = sorted({0, *(c.start_month for c in convs if 0 <= c.start_month < horizon)})
    mining_w, it_mw = [], []
    for m in months:
        active = {k: n for k, (n, _) in fleet.items()}
        for c in convs:
            if c.start_month <= m:
                for model, n in c.remove_asics.items():
                    active[model] = active.get(model, 0) - n
        mining_w.append(sum(max(active[k], 0) * fleet[k][1] for k in fleet))
        it_mw.append(sum(c.critical_it_mw for c in convs if c.start_month <= m))
    breach = rules.site_grid_breach(site, mining_w, it_mw, [month_label(a["start_month"], m) for m in months])
    if breach:
        out.append(breach)
    return out


LOAD_BREACHES = ("hall power:", "site grid:")


def recheck(project, plan_id: int | None) -> list[int]:
    """Bring the breaches of a plan's conversions up to date after its conversions moved in
    time or some were removed, or a site, hall, GPU system or fleet they rest on was edited;
    return the ids whose list changed.

    Each conversion is checked as when it was made: rack feed, cooling and floor load against
    its hall and GPU system as they are now; hall power and site grid against the plan's
    conversions made before it (lower ids) and itself.
    Writes in one transaction; deterministic, so undoing the edit and rechecking again
    gives back the lists as they were."""
    if plan_id is None:
        return []
    convs = sorted(_plan_conversions(project, plan_id), key=lambda c: c.id)
    asics = asic_models(project)
    tables: dict[int, object] = {}
    changed = []
    with project.atomic():
        for k, conv in enumerate(convs):
            if conv.hall_id is None or not conv.racks_placed:
                continue
            hall = halls.by_id(project, conv.hall_id)
            if hall is None:
                continue
            site = sites.get(project, hall.site_id)
            if conv.hall_id not in tables:
                tables[conv.hall_id] = halls.positions(project, hall_id=conv.hall_id, plan_id=plan_id)
            table = tables[conv.hall_id]
            later = [c.id for c in convs[k + 1:]]
            standing = (table.hall_ids == hall.id) & (
                (table.role == ROLE_NONE) | np.isin(table.conversion_ids, later))
            load = _load_breaches(project, convs[:k], hall, site, conv, asics, table, standing)
            gpu = catalog.by_id(project, conv.gpu_model_id) if conv.gpu_model_id is not None else None
            rack = (rules.rack_breaches(hall, gpu) if gpu is not None else
                    [b for b in conv.breaches if not b.startswith(LOAD_BREACHES)])
            breaches = rack + load
            if breaches != conv.breaches:
                plans.update_conversion(project, conv.id, breaches=breaches)
                conv.breaches = breaches
                changed.append(conv.id)
    return changed


def recheck_all(project) -> None:
    """`recheck` every plan: after an edit of what the conversions rest on."""
    for plan in plans.plans(project):
        recheck(project, plan.id)


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
                      racks_placed=proposal.racks_placed, remove_asics=proposal.miners_removed,
                      breaches=proposal.breaches, label=label or f"{hall.name}: {proposal.racks_placed} x {gpu.name}",
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
    cid = plans.add_conversion(project, conv, proposal.gpu_positions, proposal.retired_positions)
    return cid, proposal


# -- for the editor's undo commands and the convert command ---------------------------------

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
