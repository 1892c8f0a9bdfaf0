"""A plan's breaches, derived from the project's data whenever they are read.

Nothing here is stored: `plan_check(project, plan_id)` gathers the facts the rules need (two
SQL aggregates for the miners' kW, the plan's conversions, the halls, GPU systems and fleets,
and the plan's scenario as the engine reads it) and hands them to
`desktop.model.rules.plan_check.check_plan`. So every edit anywhere (a fleet count, a hall
limit, a catalog rename, an undo) is reflected the next time anyone looks, with no writer to
remember. The floor-plan preview and `convert` judge a proposed conversion the same way
(`proposed=`), as the plan's last conversion.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.model.entities import Conversion
from desktop.model.errors import InputError
from desktop.model.rules.plan_check import NEW, ConversionFacts, HallFacts, PlanCheck, check_plan
from desktop.store import catalog, halls, plans, sites

if TYPE_CHECKING:
    from desktop.store.project import Project


def _hall_miners_kw(project: Project) -> dict[int, float]:
    return {hid: kw or 0.0 for hid, kw in project.db.execute(
        "select p.hall_id, sum(p.unit_count * m.power_w) / 1000.0 from positions p "
        "join equipment_models m on m.id = p.model_id where m.kind = 'asic' group by p.hall_id")}


def _taken_kw(project: Project, plan_id: int) -> dict[int, float]:
    return {cid: kw or 0.0 for cid, kw in project.db.execute(
        "select cp.conversion_id, sum(p.unit_count * m.power_w) / 1000.0 from conversion_positions cp "
        "join conversions c on c.id = cp.conversion_id join positions p on p.id = cp.position_id "
        "join equipment_models m on m.id = p.model_id where c.plan_id = ? and m.kind = 'asic' "
        "group by cp.conversion_id", [plan_id])}


def plan_check(project: Project, plan_id: int | None, *, proposed: Conversion | None = None,
               proposed_taken_kw: float = 0.0) -> PlanCheck:
    """Every breach of the plan (with `proposed` added last, under the id NEW)."""
    from desktop.store.scenario_export import plan_scenario

    convs = sorted(plans.conversions(project, plan_id), key=lambda c: c.id or 0) if plan_id is not None else []
    taken = _taken_kw(project, plan_id) if plan_id is not None else {}
    if proposed is not None:
        proposed = Conversion(**{**proposed.__dict__, "id": NEW})
        convs.append(proposed)
        taken[NEW] = proposed_taken_kw
    site_names = sites_by_id(project)
    gpus = {m.id: m for m in catalog.models(project, "gpu")}
    facts = [ConversionFacts(c, site_names.get(c.site_id, ""), gpus.get(c.gpu_model_id),
                             taken.get(c.id if c.id is not None else NEW, 0.0)) for c in convs]
    miners_kw = _hall_miners_kw(project)
    hall_ids = {c.hall_id for c in convs if c.hall_id is not None}
    hall_facts = {h.id: HallFacts(h, miners_kw.get(h.id, 0.0)) for h in halls.halls(project) if h.id in hall_ids}
    fleets = {site_names[sid]: {entry.model_id: entry.count for entry, _ in sites.fleet(project, sid)}
              for sid in site_names}
    names = {m.id: m.name for m in catalog.models(project)}
    scenario, ids = plan_scenario(project, plan_id, convs)
    return check_plan(facts, hall_facts, fleets, names, scenario, ids)


def breaches_by_conversion(project: Project, plan_id: int | None) -> dict[int, list[str]]:
    """{conversion id: its breach messages} for the plan (every conversion, [] when none)."""
    check = plan_check(project, plan_id)
    ids = [c.id for c in plans.conversions(project, plan_id)] if plan_id is not None else []
    return {cid: check.messages(cid) for cid in ids if cid is not None}


def conversion_breaches(project: Project, conversion_id: int) -> list[str]:
    """The breach messages of one stored conversion, as they are now."""
    conv = plans.get_conversion(project, conversion_id)
    return plan_check(project, conv.plan_id).messages(conversion_id)


def require_evaluable(project: Project, plan_id: int | None) -> None:
    """Refuse a plan the engine cannot evaluate, naming the conversion by its label and site (not
    an index) and saying how to resolve it; what export-scenario and convert refuse."""
    if plan_id is None:
        return
    check = plan_check(project, plan_id)
    if not check.blocking:
        return
    b = check.blocking[0]
    labels = {c.id: c.label or f"conversion {c.id}" for c in plans.conversions(project, plan_id)}
    where = f"conversion {labels[b.conversion_id]!r} at {b.site}" if b.conversion_id is not None else f"site {b.site}"
    more = f" ({len(check.blocking) - 1} more)" if len(check.blocking) > 1 else ""
    raise InputError(f"plan {plans.get(project, plan_id).name!r}",
                     f"{where}: {b.message} (to resolve: {b.resolve}){more}")


@dataclass
class Evaluation:
    """What the engine can evaluate of a plan: the plan's scenario, or, while breaches block its
    economics, the baseline's (keeping on mining), with `blocked` saying why and how to resolve it."""
    scenario: dict
    check: PlanCheck | None
    blocked: str = ""

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)


def evaluation(project: Project, plan_id: int | None) -> Evaluation:
    from desktop.store.scenario_export import scenario_from_project

    if plan_id is None:
        return Evaluation(scenario_from_project(project, None), None)
    check = plan_check(project, plan_id)
    if not check.blocking:
        return Evaluation(scenario_from_project(project, plan_id), check)
    labels: dict[int | None, str] = {c.id: f"{c.label or f'conversion {c.id}'} ({sites_by_id(project).get(c.site_id, '')})"
              for c in plans.conversions(project, plan_id)}
    return Evaluation(scenario_from_project(project, None), check, check.blocking_text(labels))


def sites_by_id(project: Project) -> dict[int, str]:
    return {s.id: s.name for s in sites.sites(project) if s.id is not None}
