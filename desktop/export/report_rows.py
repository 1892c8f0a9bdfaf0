"""The report's tables as plain rows: assumptions, schedule, capex by quarter, rack list. No Qt.

Each row is a dict with units in its keys (the CSV/XLSX columns) and the PDF formats them.
`fill(data, ...)` writes them into a `ReportData` (report_data.gather calls it).
"""
from __future__ import annotations

import re
from collections import OrderedDict

import numpy as np

from desktop.model.floorgrid import ROLE_GPU, ROLE_RETIRED
from desktop.model.months import month_label
from desktop.store import sites as site_store

# (market key, label, unit)
MARKET = [
    ("btc_price_usd", "BTC price at start", "$"),
    ("btc_price_growth_pct_per_year", "BTC price growth", "% a year"),
    ("network_hashrate_ehs", "Network hashrate at start", "EH/s"),
    ("network_hashrate_growth_pct_per_year", "Network hashrate growth", "% a year"),
    ("fees_btc_per_block", "Transaction fees", "BTC a block"),
    ("block_height_at_start", "Block height at start", "blocks"),
    ("blocks_per_day", "Blocks a day", "blocks"),
]


# a market given month by month: the path that stands for a start value and its growth
PATHS = {"btc_price_usd": "btc_price_path_usd", "btc_price_growth_pct_per_year": "btc_price_path_usd",
         "network_hashrate_ehs": "network_hashrate_path_ehs",
         "network_hashrate_growth_pct_per_year": "network_hashrate_path_ehs"}


def _num(value, digits: int = 2) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def fill(data, project, convs, site_list, hall_list, models) -> None:
    data.market_rows = market_rows(data)
    site_names = {x.id: x.name for x in site_list}
    hall_names = {h.id: h.name for h in hall_list}
    data.site_rows = [{
        "site": x.name, "location": x.location, "grid_capacity_mw": x.grid_capacity_mw,
        "energy_price_usd_per_mwh": x.energy_price_usd_per_mwh, "pue_mining": x.pue_mining,
        "pue_hosting": x.pue_hosting, "pool_fee_pct": x.pool_fee_pct,
        "mining_opex_usd_per_mw_month": x.mining_opex_usd_per_mw_month,
    } for x in site_list]
    data.fleet_rows = []
    used_ids: list[int] = []
    for x in site_list:
        for entry, model in site_store.fleet(project, x.id):
            used_ids.append(model.id)
            data.fleet_rows.append({
                "site": x.name, "model": model.name, "miners": entry.count, "hashrate_ths": model.hashrate_ths,
                "power_w": model.power_w, "uptime_pct": entry.uptime_pct,
                "resale_usd_per_ths": entry.resale_usd_per_ths,
            })
    used_ids += [c.gpu_model_id for c in convs if c.gpu_model_id is not None]
    data.equipment_rows = [equipment_row(models[i]) for i in dict.fromkeys(used_ids) if i in models]
    data.terms_rows = [terms_row(c) for c in convs]
    data.schedule = schedule_rows(data, convs, site_names, hall_names, models)
    data.by_site_month = by_site_month(data.schedule)
    data.capex_by_quarter = capex_by_quarter(data)
    data.racks = rack_rows(data, convs)


def market_rows(data) -> list[tuple[str, str, str, str]]:
    s = data.scenario
    r = data.result
    rows = [
        ("Start month", s["start_month"], "", "project"),
        ("Horizon", f"{s['horizon_months']}", "months", "project"),
        ("Discount rate", _num(s["discount_rate_pct"]), "% a year", "project"),
    ]
    market = s["market"]
    for key, label, unit in MARKET:
        path_key = PATHS.get(key)
        if key in market:
            rows.append((label, _num(market[key], 3), unit, "project"))
        elif path_key in market and key.endswith("_growth_pct_per_year"):
            rows.append((label, "follows the path", unit, "project"))
        elif path_key in market:         # a month-by-month path instead of a start and a growth
            path = market[path_key]
            rows.append((label, _num(path[0], 3), unit, f"project: a {len(path)}-month path"))
    rows.append(("Hashprice at start", _num(r["market"]["hashprice_usd_per_ph_day"]), "$/PH/day", "calculated"))
    cost = r["baseline"].get("cost_per_btc_usd")
    rows.append(("Cost per BTC mined at start", "n/a" if cost is None else _num(cost, 0), "$/BTC", "calculated"))
    return rows


def equipment_row(m) -> dict:
    if m.kind == "asic":
        spec = f"{_num(m.hashrate_ths)} TH/s, {_num(m.power_w)} W"
        if m.efficiency_j_per_th:
            spec += f", {m.efficiency_j_per_th:.1f} J/TH"
    else:
        spec = f"{m.gpus_per_rack or 0} GPUs, {_num(m.rack_power_kw)} kW a rack"
        if m.weight_kg:
            spec += f", {_num(m.weight_kg)} kg"
    return {"model": m.name, "kind": m.kind, "manufacturer": m.manufacturer, "spec": spec,
            "cooling": m.cooling, "price_usd": m.price_usd, "source": m.source or "not given",
            "is_estimate": bool(m.is_estimate)}


def terms_row(c) -> dict:
    row = {"conversion": c.label or f"conversion {c.id}", "mode": c.mode, "capex_usd_per_mw": c.capex_usd_per_mw,
           "build_months": c.build_months, "hosting_opex_usd_per_mw_month": c.hosting_opex_usd_per_mw_month,
           "load_factor_pct": c.load_factor_pct}
    if c.mode == "colocation":
        row.update(lease_usd_per_kw_month=c.lease_usd_per_kw_month,
                   lease_escalator_pct_per_year=c.lease_escalator_pct_per_year,
                   power_pass_through=bool(c.power_pass_through))
    else:
        row.update(gpu_count=c.gpu_count, gpu_hour_usd=c.gpu_hour_usd, utilization_pct=c.utilization_pct,
                   gpu_capex_usd=c.gpu_capex_usd)
    return row


def schedule_rows(data, convs, site_names, hall_names, models) -> list[dict]:
    start = data.scenario["start_month"]
    horizon = data.scenario["horizon_months"]
    pue = {x["name"]: x["pue_hosting"] for x in data.scenario["sites"]}
    retired = {}
    for hm in data.hall_maps:
        ids, counts = np.unique(hm.table.conversion_ids[hm.table.role == ROLE_RETIRED], return_counts=True)
        for cid, n in zip(ids.tolist(), counts.tolist()):
            retired[cid] = retired.get(cid, 0) + n
    rows = []
    breaches = data.conversion_breaches
    for c in convs:
        site = site_names.get(c.site_id, "")
        cod = c.start_month + c.build_months
        gpu = models.get(c.gpu_model_id)
        rows.append({
            "conversion": c.label or f"conversion {c.id}", "site": site, "hall": hall_names.get(c.hall_id, ""),
            "mode": c.mode, "system": gpu.name if gpu else "",
            "gpu_racks": c.racks_placed, "positions_retired": retired.get(c.id, 0),
            "miners_removed": int(sum(c.remove_asics.values())),
            "critical_it_mw": c.critical_it_mw, "grid_mw": c.critical_it_mw * pue.get(site, 1.0),
            "start_month": month_label(start, c.start_month), "build_months": c.build_months,
            "cod_month": month_label(start, cod), "cod_after_horizon": cod >= horizon,
            "capex_usd": c.critical_it_mw * c.capex_usd_per_mw + (c.gpu_capex_usd if c.mode == "gpu_cloud" else 0.0),
            "breaches": len(breaches.get(c.id, [])), "evaluated": c.critical_it_mw > 0,
        })
    return rows


def by_site_month(schedule: list[dict]) -> list[dict]:
    groups: "OrderedDict[tuple, dict]" = OrderedDict()
    for row in sorted(schedule, key=lambda r: (r["start_month"], r["site"])):
        key = (row["site"], row["start_month"])
        g = groups.setdefault(key, {"site": row["site"], "start_month": row["start_month"], "conversions": 0,
                                    "gpu_racks": 0, "critical_it_mw": 0.0, "capex_usd": 0.0})
        g["conversions"] += 1
        g["gpu_racks"] += row["gpu_racks"]
        g["critical_it_mw"] += row["critical_it_mw"]
        g["capex_usd"] += row["capex_usd"]
    return list(groups.values())


def quarter_of(month: str) -> str:
    year, mm = month.split("-")
    return f"{year}-Q{(int(mm) - 1) // 3 + 1}"


def capex_by_quarter(data) -> list[tuple[str, float]]:
    """The plan's capex (build and GPU) spent in each calendar quarter, as the engine books it."""
    if data.detail.plan is None:
        return []
    spend = data.detail.plan.capex_usd.sum(axis=0)
    out: "OrderedDict[str, float]" = OrderedDict()
    for month, amount in zip(data.months, spend.tolist()):
        if amount:
            q = quarter_of(month)
            out[q] = out.get(q, 0.0) + amount
    return list(out.items())


def rack_rows(data, convs) -> list[dict]:
    """Every position the plan takes: one row each, by site, hall and reading order."""
    start = data.scenario["start_month"]
    by_id = {c.id: c for c in convs}
    out = []
    for hm in data.hall_maps:
        t = hm.table
        for i in np.nonzero(t.role != 0)[0].tolist():
            conv = by_id.get(int(t.conversion_ids[i]))
            role = int(t.role[i])
            before = hm.model_names.get(int(t.model_ids[i]), "")
            out.append({
                "position": t.labels[i], "hall": hm.hall.name, "site": hm.site_name,
                "role": "gpu" if role == ROLE_GPU else "retired",
                "before_model": before, "before_units": int(t.unit_counts[i]) if before else 0,
                "system": hm.model_names.get(int(t.gpu_model_ids[i]), "") if role == ROLE_GPU else "",
                "month": month_label(start, conv.start_month) if conv else "",
                "conversion": (conv.label or f"conversion {conv.id}") if conv else "",
            })
    return out


RANGE_KEYS = ("hall", "site", "role", "before_model", "before_units", "system", "month", "conversion")


def rack_ranges(racks: list[dict]) -> list[dict]:
    """Consecutive positions (in the rack list's reading order) of one hall row with the same
    before and after, month and conversion, as one range: {first, last, positions, ...the shared
    keys}. A range never runs over into the next row of the hall (A01-A40, then B01-B40), so a
    reader finds it on the floor map. The appendix prints these; the tables export keeps one row
    a position."""
    out: list[dict] = []
    for r in racks:
        key = tuple(r[k] for k in RANGE_KEYS) + (_row_of(r["position"]),)
        if out and out[-1]["_key"] == key:
            out[-1]["last"] = r["position"]
            out[-1]["positions"] += 1
            continue
        out.append({"_key": key, "first": r["position"], "last": r["position"], "positions": 1,
                    **{k: r[k] for k in RANGE_KEYS}})
    for g in out:
        del g["_key"]
    return out


def _row_of(label: str) -> str:
    """The row part of a position label: "AB" of "AB07" (the whole label if it has no digits)."""
    return re.match(r"\D*", str(label)).group(0) or str(label)


def range_label(group: dict) -> str:
    """"A01-A40", or "C17" for a range of one."""
    return group["first"] if group["positions"] == 1 else f"{group['first']}-{group['last']}"
