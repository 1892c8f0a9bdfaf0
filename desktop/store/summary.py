"""Totals a planner reads at a glance: per portfolio, site and hall. Qt-free."""
from __future__ import annotations

from desktop.store import halls, sites


def _miners(project, where: str, args: list) -> list[dict]:
    rows = project.db.execute(
        f"select m.name, sum(p.unit_count), sum(p.unit_count * m.hashrate_ths), sum(p.unit_count * m.power_w) "
        f"from positions p join equipment_models m on m.id = p.model_id "
        f"where m.kind = 'asic' and {where} group by m.name order by m.name", args).fetchall()
    return [{"model": r[0], "miners": int(r[1] or 0), "hashrate_ths": float(r[2] or 0), "power_kw": float(r[3] or 0) / 1000}
            for r in rows]


def site_summary(project, site_id: int) -> dict:
    site = sites.get(project, site_id)
    fleet = [{"model": m.name, "miners": e.count, "hashrate_ths": e.count * m.hashrate_ths,
              "power_kw": e.count * m.power_w / 1000, "uptime_pct": e.uptime_pct}
             for e, m in sites.fleet(project, site_id)]
    used, free = halls.used_and_free(project, site_id=site_id)
    return {
        "miners_racked": sum(sites.racked(project, site_id).values()),
        "kind": "site", "name": site.name, "location": site.location,
        "grid_capacity_mw": site.grid_capacity_mw, "energy_price_usd_per_mwh": site.energy_price_usd_per_mwh,
        "pue_mining": site.pue_mining, "pue_hosting": site.pue_hosting,
        "halls": len(halls.halls(project, site_id)),
        "miners_by_model": fleet,
        "miners": sum(f["miners"] for f in fleet),
        "hashrate_ths": sum(f["hashrate_ths"] for f in fleet),
        "power_kw": sum(f["power_kw"] for f in fleet),
        "positions_used": used, "positions_free": free,
    }


def hall_summary(project, hall_id: int) -> dict:
    hall = halls.get(project, hall_id)
    site = sites.get(project, hall.site_id)
    by_model = _miners(project, "p.hall_id = ?", [hall_id])
    used, free = halls.used_and_free(project, hall_id=hall_id)
    return {
        "kind": "hall", "name": hall.name, "site": site.name, "cooling": hall.cooling,
        "grid_capacity_mw": site.grid_capacity_mw, "energy_price_usd_per_mwh": site.energy_price_usd_per_mwh,
        "pue_mining": site.pue_mining, "pue_hosting": site.pue_hosting,
        "power_capacity_kw": hall.power_capacity_kw, "max_rack_kw": hall.max_rack_kw,
        "floor_load_kg": hall.floor_load_kg, "grid": f"{hall.rows} x {hall.cols}",
        "miners_by_model": by_model,
        "miners": sum(f["miners"] for f in by_model),
        "hashrate_ths": sum(f["hashrate_ths"] for f in by_model),
        "power_kw": sum(f["power_kw"] for f in by_model),
        "positions_used": used, "positions_free": free,
    }


def portfolio_summary(project) -> dict:
    all_sites = [site_summary(project, s.id) for s in sites.sites(project)]
    return {
        "kind": "portfolio", "sites": len(all_sites),
        "grid_capacity_mw": sum(s["grid_capacity_mw"] for s in all_sites),
        "miners": sum(s["miners"] for s in all_sites),
        "miners_racked": sum(s["miners_racked"] for s in all_sites),
        "hashrate_ths": sum(s["hashrate_ths"] for s in all_sites),
        "power_kw": sum(s["power_kw"] for s in all_sites),
        "positions_used": sum(s["positions_used"] for s in all_sites),
        "positions_free": sum(s["positions_free"] for s in all_sites),
    }
