"""Every figure of the plan report, gathered once from the store and the engine. No Qt.

`gather(project, plan_id)` returns a `ReportData`: the engine's evaluation of the plan's
scenario (`desktop.store.scenario_export.scenario_from_project`), a seeded Monte Carlo run,
the tornado and break-evens of `desktop.model.sensitivity`, and the rows of every table
(assumptions, schedule, rack list). The PDF (pdf_report), the CSV/XLSX tables (tables) and
the tests all read this one object, so the document shows the engine's own numbers.

Gathering takes a few tenths of a second and may run in a worker thread; `progress(fraction)`
is called between steps and `cancelled()` checked, as `desktop.ui.background` expects.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from desktop.model import montecarlo, sensitivity
from desktop.model.engine import Detail, evaluate_detail
from desktop.model.entities import Hall, Plan
from desktop.model.errors import InputError
from desktop.model.floorgrid import PositionTable
from desktop.model.kpis import Kpi, plan_figures
from desktop.model.months import month_words
from desktop.export import finance_words, report_rows, report_words
from desktop.store import catalog, checks, halls, plans, settings, sites
from desktop.store.scenario_export import skipped_conversions

MC_PATHS = 10_000   # the dashboard's run (desktop.ui.dashboard.live), so both show the same chance
MC_SEED = 0
BASELINE_TITLE = "Keeping on mining (no plan yet)"


@dataclass
class HallMap:
    """One hall the plan touches: its positions today and with the plan."""
    hall: Hall
    site_name: str
    table: PositionTable = field(repr=False)
    model_names: dict[int, str]     # equipment model id -> name
    model_kinds: dict[int, str]     # id -> "asic" | "gpu"
    gpu_racks: int
    retired: int


@dataclass
class ReportData:
    project_name: str
    plan_id: int
    plan: Plan
    date: str
    prepared_by: str
    scenario: dict
    detail: Detail
    mc: montecarlo.MonteCarloResult | None
    tornado: list[dict]
    breakevens: dict
    kpis: list[Kpi] = field(default_factory=list)
    recommendation: str = ""
    market_rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # label, value, unit, source
    site_rows: list[dict] = field(default_factory=list)
    fleet_rows: list[dict] = field(default_factory=list)
    equipment_rows: list[dict] = field(default_factory=list)
    terms_rows: list[dict] = field(default_factory=list)
    schedule: list[dict] = field(default_factory=list)
    by_site_month: list[dict] = field(default_factory=list)
    capex_by_quarter: list[tuple[str, float]] = field(default_factory=list)
    hall_maps: list[HallMap] = field(default_factory=list)
    racks: list[dict] = field(default_factory=list)
    breaches: list[tuple[str, str]] = field(default_factory=list)   # (conversion, message)
    conversion_breaches: dict[int, list[str]] = field(default_factory=dict)   # derived: desktop.store.checks
    blocked: list[str] = field(default_factory=list)   # what blocks the plan's economics, and how to resolve it
    skipped: list[str] = field(default_factory=list)
    risk_words: list[str] = field(default_factory=list)
    contracts: list[dict] = field(default_factory=list)   # finance_words.contract_rows: the deal terms in words

    @property
    def result(self) -> dict:
        return self.detail.result

    @property
    def months(self) -> list[str]:
        return self.detail.months

    @property
    def has_plan(self) -> bool:
        return self.detail.plan is not None

    @property
    def title(self) -> str:
        """The plan's name, or what a baseline-only report is about."""
        return self.plan.name if self.plan_id is not None else BASELINE_TITLE

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


def resolve_plan(project, name: str | None = None) -> int | None:
    """The plan named `name`; without a name the project's current plan, else its first, else
    None (a project without plans reports its baseline)."""
    if name is not None:
        plan = plans.by_name(project, name)
        if plan is None:
            known = ", ".join(repr(p.name) for p in plans.plans(project)) or "none"
            raise InputError("plan", f"no plan named {name!r} (plans: {known})")
        return plan.id
    current = settings.current_plan_id(project)
    existing = plans.plans(project)
    if current is not None and any(p.id == current for p in existing):
        return current
    return existing[0].id if existing else None


def gather(project, plan_id: int | None, *, mc_paths: int = MC_PATHS, mc_seed: int = MC_SEED,
           btc_volatility_pct_per_year: float | None = None, mc_options: dict | None = None, prepared_by: str = "",
           date: str | None = None, with_risk: bool = True, progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> ReportData:
    """Everything the report shows. `prepared_by` is used when the project has no author.
    `with_risk=False` leaves out the Monte Carlo run, the tornado and the break-evens (the
    tables need none of them). `mc_options` are further keyword arguments of
    montecarlo.simulate (the dashboard's volatilities and schedule risk)."""
    def step(fraction: float) -> None:
        if cancelled is not None and cancelled():
            raise montecarlo.Cancelled()
        if progress is not None:
            progress(fraction)

    plan = plans.get(project, plan_id) if plan_id is not None else Plan(name=BASELINE_TITLE)
    # a plan whose breaches block its economics is still reported: what can be computed (keeping on
    # mining, the schedule, the floor maps, every breach) and what blocks the rest (desktop.store.checks)
    evaluation = checks.evaluation(project, plan_id)
    scenario = evaluation.scenario
    detail = evaluate_detail(scenario)
    step(0.1)
    mc = None
    if with_risk and mc_paths and detail.plan is not None:
        kwargs = dict(mc_options or {})
        if btc_volatility_pct_per_year is not None:
            kwargs["btc_volatility_pct_per_year"] = float(btc_volatility_pct_per_year)
        mc = montecarlo.simulate(scenario, n_paths=mc_paths, seed=mc_seed, detail=detail, cancelled=cancelled,
                                 **kwargs)
    step(0.4)
    tornado = sensitivity.tornado(detail.scenario) if with_risk and detail.plan is not None else []
    step(0.7)
    breakevens = sensitivity.breakevens(detail.scenario) if with_risk else {}
    data = ReportData(
        project_name=settings.project_name(project), plan_id=plan_id, plan=plan,
        date=date or _dt.date.today().isoformat(),
        prepared_by=str(settings.get(project, "prepared_by", "") or prepared_by or ""),
        scenario=detail.scenario, detail=detail, mc=mc, tornado=tornado, breakevens=breakevens,
    )
    convs = plans.conversions(project, plan_id) if plan_id is not None else []
    site_list = sites.sites(project)
    hall_list = halls.halls(project)
    models = {m.id: m for m in catalog.models(project)}
    data.hall_maps = _hall_maps(project, plan_id, convs, site_list, hall_list, models)
    step(0.85)
    data.blocked = evaluation.blocked.splitlines()
    data.conversion_breaches = found = checks.breaches_by_conversion(project, plan_id)
    data.breaches = [(c.label or f"conversion {c.id}", b) for c in convs for b in found.get(c.id, [])]
    report_rows.fill(data, project, convs, site_list, hall_list, models)
    data.skipped = skipped_conversions(project, plan_id) if plan_id is not None else []
    data.kpis = kpis(data, convs)
    data.contracts = finance_words.contract_rows(project, plan_id, data.scenario) if plan_id is not None else []
    data.recommendation = report_words.recommendation(data)
    data.risk_words = report_words.risk_words(data)
    step(1.0)
    return data


def _hall_maps(project, plan_id, convs, site_list, hall_list, models) -> list[HallMap]:
    touched = {c.hall_id for c in convs if c.hall_id is not None}
    site_names = {s.id: s.name for s in site_list}
    site_order = {s.id: i for i, s in enumerate(site_list)}
    out = []
    for hall in sorted((h for h in hall_list if h.id in touched), key=lambda h: (site_order.get(h.site_id, 0),
                                                                                     h.sort_order, h.id)):
        table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
        used = set(np.unique(table.model_ids).tolist()) | set(np.unique(table.gpu_model_ids).tolist())
        used.discard(-1)
        out.append(HallMap(
            hall=hall, site_name=site_names.get(hall.site_id, ""), table=table,
            model_names={i: models[i].name for i in used if i in models},
            model_kinds={i: models[i].kind for i in used if i in models},
            gpu_racks=int((table.role == 1).sum()), retired=int((table.role == 2).sum()),
        ))
    return out


def kpis(data: ReportData, convs) -> list[Kpi]:
    """The report's figures: desktop.model.kpis's figures (the dashboard's), labelled in words."""
    from desktop.model.formatting import number, pct, usd

    f = plan_figures(data.detail)
    base_npv = f["baseline_npv_usd"]
    if f["delta_npv_usd"] is None:
        return [Kpi("baseline_npv_usd", "NPV of keeping on mining", base_npv, usd(base_npv))]
    payback = f["payback_month"]
    payback_text = ("not within the horizon" if payback is None
                    else f"month {payback} ({month_words(data.months[payback])})")
    it_mw = f["critical_it_mw"]
    prob = data.mc.prob_delta_npv_positive if data.mc is not None else None
    return [
        Kpi("delta_npv_usd", "Difference in NPV (plan minus mining)", f["delta_npv_usd"], usd(f["delta_npv_usd"])),
        Kpi("irr_pct", "IRR of the difference", f["irr_pct"], pct(f["irr_pct"])),
        Kpi("payback_month", "Payback against mining", payback, payback_text),
        Kpi("capex_usd", "Capex inside the horizon", f["capex_usd"], usd(f["capex_usd"])),
        Kpi("critical_it_mw", "Critical IT converted", it_mw, number(it_mw, "MW")),
        Kpi("btc_forgone", "BTC forgone", f["btc_forgone"], number(f["btc_forgone"], "BTC")),
        Kpi("hosting_revenue_usd", "Hosting revenue", f["hosting_revenue_usd"], usd(f["hosting_revenue_usd"])),
        Kpi("prob_plan_beats_mining", "Chance the plan beats mining", prob,
            "n/a" if prob is None else f"{prob * 100:.0f} %"),
        Kpi("baseline_npv_usd", "NPV of keeping on mining", base_npv, usd(base_npv)),
        Kpi("plan_npv_usd", "NPV with the plan", f["plan_npv_usd"], usd(f["plan_npv_usd"])),
    ] + [Kpi(*row) for row in finance_words.summary_rows(data, f)]
