"""The scenario (`rackshift.scenario/2`, ECONOMICS.md) of a project and one of its plans.

This is what the engine evaluates, what the dashboard shows and what export-scenario writes:
the project's assumptions, every site with its fleet, and the plan's conversions with their
terms. Conversions that place no GPU capacity (critical IT of 0) cannot be evaluated and are
left out, and listed in `skipped`.
"""
from __future__ import annotations

from desktop.model.scenario import SCENARIO_FORMAT
from desktop.store import catalog, plans, settings, sites

_COMMON = ("build_months", "capex_usd_per_mw", "hosting_opex_usd_per_mw_month", "load_factor_pct",
           "term_months", "renewals", "renewal_term_months", "prepayment_usd")
_MODE_KEYS = {
    "colocation": ("lease_usd_per_kw_month", "lease_escalator_pct_per_year", "power_pass_through"),
    "gpu_cloud": ("gpu_count", "gpu_hour_usd", "utilization_pct", "gpu_capex_usd", "gpu_hour_growth_pct_per_year",
                  "gpu_residual_pct"),
}
_SITE_KEYS = ("grid_capacity_mw", "energy_price_usd_per_mwh", "pue_mining", "pue_hosting", "pool_fee_pct",
              "mining_opex_usd_per_mw_month", "energy_price_growth_pct_per_year", "grid_schedule",
              "miners_yield_to_grid", "curtailment_pct", "curtailment_credit_usd_per_mwh")


def conversion_entry(conv, site_name: str, model_names: dict[int, str]) -> dict:
    """A conversion as the scenario writes it: miners removed by model name (the project keeps ids)."""
    entry = {
        "site": site_name,
        "start_month": conv.start_month,
        "remove_asics": {model_names.get(mid, f"model #{mid}"): n for mid, n in conv.remove_asics.items()},
        "mode": conv.mode,
        "critical_it_mw": conv.critical_it_mw,
    }
    for key in _COMMON + _MODE_KEYS[conv.mode]:
        value = getattr(conv, key)
        if value is not None:
            entry[key] = value
    if conv.term_months is None:  # no term: the contract runs to the horizon, and has none of these
        for key in ("renewals", "prepayment_usd", "gpu_residual_pct"):
            if not entry.get(key):
                entry.pop(key, None)
    return entry


def scenario_from_project(project, plan_id: int | None = None, *, name: str | None = None) -> dict:
    a = settings.assumptions(project)
    all_sites = sites.sites(project)
    scenario = {
        "format": SCENARIO_FORMAT,
        "name": name or settings.project_name(project),
        "start_month": a["start_month"],
        "horizon_months": a["horizon_months"],
        "discount_rate_pct": a["discount_rate_pct"],
        "market": dict(a["market"]),
        "sites": [],
    }
    for key in ("tax", "terminal"):
        if a.get(key) is not None:
            scenario[key] = dict(a[key])
    for site in all_sites:
        fleet = [{
            "model": model.name, "count": entry.count, "hashrate_ths": model.hashrate_ths,
            "power_w": model.power_w, "uptime_pct": entry.uptime_pct,
            "resale_usd_per_ths": entry.resale_usd_per_ths,
        } for entry, model in sites.fleet(project, site.id)]
        entry = {"name": site.name, **{key: getattr(site, key) for key in _SITE_KEYS}, "fleet": fleet}
        entry["grid_schedule"] = [dict(step) for step in entry["grid_schedule"]]
        scenario["sites"].append(entry)
    if plan_id is not None:
        _add_plan(project, scenario, plan_id, plans.conversions(project, plan_id), all_sites)
    return scenario


def _evaluated(convs: list) -> list:
    """The conversions the economics evaluate, in the scenario's order (start month, then as made;
    one not stored yet last)."""
    return sorted((c for c in convs if c.critical_it_mw > 0),
                  key=lambda c: (c.start_month, c.id if c.id is not None and c.id >= 0 else float("inf")))


def _add_plan(project, scenario: dict, plan_id: int | None, convs: list, all_sites) -> list[int]:
    names = {s.id: s.name for s in all_sites}
    model_names = {m.id: m.name for m in catalog.models(project)}
    evaluated = _evaluated(convs)
    plan = plans.get(project, plan_id) if plan_id is not None else None
    scenario["plan"] = {
        "name": plan.name if plan else "Plan",
        "conversions": [conversion_entry(c, names[c.site_id], model_names) for c in evaluated],
    }
    if plan is not None and plan.financing is not None:
        scenario["plan"]["financing"] = dict(plan.financing)
    return [c.id for c in evaluated]


def plan_scenario(project, plan_id: int | None, convs: list) -> tuple[dict, list[int]]:
    """The scenario of `convs` (a plan's conversions, maybe with a proposed one) and the ids of
    its conversions in order: what the rules in desktop.store.checks judge."""
    scenario = scenario_from_project(project)
    ids = _add_plan(project, scenario, plan_id, convs, sites.sites(project)) if convs else []
    return scenario, ids


def skipped_conversions(project, plan_id: int) -> list[str]:
    return [c.label or f"conversion {c.id}" for c in plans.conversions(project, plan_id) if c.critical_it_mw <= 0]
