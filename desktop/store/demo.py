"""Build the demo portfolio from resources/demo/portfolio.json (deterministic)."""
from __future__ import annotations

import json
from pathlib import Path

from desktop.model.entities import FleetEntry, Hall, Plan, Site
from desktop.paths import resources_dir
from desktop.store import catalog, conversions, halls, plans, settings, sites
from desktop.store.project import Project, building, open_project


def demo_data() -> dict:
    return json.loads((resources_dir() / "demo" / "portfolio.json").read_text(encoding="utf-8"))


def _fill_hall(project, hall_id: int, rows_: int, cols: int, fills: list[dict], models: dict) -> dict[str, int]:
    """Fill positions row by row; return miners placed per model."""
    placed: dict[str, int] = {}
    rows = []
    index = 0
    for fill in fills:
        model = models[fill["model"]]
        left, per = int(fill["miners"]), int(fill["miners_per_position"])
        while left > 0:
            if index >= rows_ * cols:
                raise ValueError(f"demo data: hall {hall_id} has too few positions for its miners")
            n = min(per, left)
            rows.append((model.id, n, hall_id, index // cols, index % cols))
            left -= n
            index += 1
        placed[model.name] = placed.get(model.name, 0) + int(fill["miners"])
    with project.atomic() as db:
        db.conn.executemany("update positions set model_id = ?, unit_count = ? where hall_id = ? and row = ? and col = ?", rows)
    return placed


def build_demo(path, *, overwrite: bool = False) -> Project:
    """Write the demo portfolio to a new project file at `path` and return it open.

    Written under a temporary name and renamed into place when complete (project.building):
    a disk that fills or a process killed meanwhile never leaves a partial demo at `path`."""
    with building(Path(path), overwrite=overwrite, what="demo") as project:
        _fill_demo(project, demo_data())
    return open_project(path)


def _fill_demo(project, data: dict) -> None:
    settings.put(project, "project_name", data["project_name"])
    settings.put(project, "sample_data", True)   # the window says the demo is sample data
    settings.put(project, "prepared_by", data["prepared_by"])
    settings.put_assumptions(project, data["assumptions"])
    models = {m.name: m for m in catalog.models(project)}
    for order, spec in enumerate(data["sites"]):
        fields = {k: v for k, v in spec.items() if k not in ("fleet", "halls")}
        site_id = sites.add(project, Site(sort_order=order, **fields))
        placed: dict[str, int] = {}
        for h_order, hall_spec in enumerate(spec["halls"]):
            hall_fields = {k: v for k, v in hall_spec.items() if k != "fill"}
            hall_id = halls.add(project, Hall(site_id=site_id, sort_order=h_order, **hall_fields))
            for name, n in _fill_hall(project, hall_id, hall_spec["rows"], hall_spec["cols"], hall_spec["fill"], models).items():
                placed[name] = placed.get(name, 0) + n
        for entry in spec["fleet"]:
            model = models[entry["model"]]
            sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=model.id, count=placed.get(model.name, 0),
                                                uptime_pct=entry["uptime_pct"],
                                                resale_usd_per_ths=entry["resale_usd_per_ths"]))
    for plan_spec in data["plans"]:
        plan_id = plans.add(project, Plan(name=plan_spec["name"], notes=plan_spec.get("notes", "")))
        for conv in plan_spec["conversions"]:
            site = sites.by_name(project, conv["site"])
            hall = halls.by_name(project, site.id, conv["hall"])
            table = halls.positions(project, hall_id=hall.id, plan_id=plan_id)
            indices = table.select_spec(conv["positions"])
            indices = indices[table.model_ids[indices] >= 0]
            conversions.convert(project, plan_id, hall.id, indices, models[conv["to"]].id,
                                conv["start_month"], terms=conv.get("terms"), table=table)
        settings.put(project, "current_plan_id", plan_id)
