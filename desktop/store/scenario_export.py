"""The scenario (`rackshift.scenario/2`, ECONOMICS.md) of a project and one of its plans.

This is what the engine evaluates, what the dashboard shows and what export-scenario writes:
the project's assumptions, every site with its fleet, and the plan's conversions with their
terms. Conversions that place no GPU capacity (critical IT of 0) cannot be evaluated and are
left out, and listed in `skipped`.
"""
from __future__ import annotations

from desktop.model.scenario import SCENARIO_FORMAT
from desktop.store import plans, settings, sites

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


def conversion_entry(conv, site_name: str) -> dict:
    entry = {
        "site": site_name,
        "start_month": conv.start_month,
        "remove_asics": dict(conv.remove_asics),
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
        plan = plans.get(project, plan_id)
        names = {s.id: s.name for s in all_sites}
        convs = plans.conversions(project, plan_id)
        scenario["plan"] = {
            "name": plan.name,
            "conversions": [conversion_entry(c, names[c.site_id]) for c in convs if c.critical_it_mw > 0],
        }
        if plan.financing is not None:
            scenario["plan"]["financing"] = dict(plan.financing)
    return scenario


def skipped_conversions(project, plan_id: int) -> list[str]:
    return [c.label or f"conversion {c.id}" for c in plans.conversions(project, plan_id) if c.critical_it_mw <= 0]
