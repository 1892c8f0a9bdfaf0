"""A generated portfolio of many rack positions, for benchmarks and tests of big halls.

`build_portfolio(path, positions=25_000, sites=20)` writes sites with one hall each; the
first site has the big hall (`big_hall_positions`, full of miners) that a 5,000-position
conversion can come from, the rest share what is left. One empty plan, "Plan 1", is current. Deterministic; written with
executemany, so 25,000 positions take well under a second.
"""
from __future__ import annotations

import math
from pathlib import Path

from desktop.model.entities import FleetEntry, Hall, Plan, Site
from desktop.store import catalog, halls, plans, settings, sites
from desktop.store.project import create_project

MODELS = ("Antminer S19 XP", "Antminer S21", "Antminer S21 XP", "Whatsminer M50S")
MINERS_PER_POSITION = 8


def _grid(n: int, cols: int) -> tuple[int, int]:
    return max(1, math.ceil(n / cols)), cols


def build_portfolio(path, positions: int = 25_000, n_sites: int = 20, big_hall_positions: int = 6_000):
    """Write the portfolio to a new project file at `path`; return it open."""
    project = create_project(Path(path), overwrite=True)
    models = {m.name: m for m in catalog.models(project, "asic")}
    rest = positions - big_hall_positions
    sizes = [big_hall_positions] + [rest // (n_sites - 1) + (1 if s < rest % (n_sites - 1) else 0)
                                    for s in range(n_sites - 1)]
    for s, size in enumerate(sizes):
        cols = 60 if size >= 3000 else 40
        rows, cols = _grid(size, cols)
        site_id = sites.add(project, Site(name=f"Site {s + 1:02d}", grid_capacity_mw=1.0,
                                          energy_price_usd_per_mwh=35 + s % 10, location=f"Region {s % 4 + 1}",
                                          sort_order=s))
        hall_id = halls.add(project, Hall(site_id=site_id, name="Hall 1", power_capacity_kw=size * 30,
                                          max_rack_kw=45, floor_load_kg=1200, rows=rows, cols=cols))
        placed: dict[str, int] = {}
        fill = []
        for index in range(size):
            model = models[MODELS[(index // max(1, size // len(MODELS)) + s) % len(MODELS)]]
            fill.append((model.id, MINERS_PER_POSITION, hall_id, index // cols, index % cols))
            placed[model.name] = placed.get(model.name, 0) + MINERS_PER_POSITION
        with project.atomic() as db:
            db.conn.executemany("update positions set model_id = ?, unit_count = ? "
                                "where hall_id = ? and row = ? and col = ?", fill)
            extra = [(hall_id, r, c) for r in range(rows) for c in range(cols) if r * cols + c >= size]
            db.conn.executemany("delete from positions where hall_id = ? and row = ? and col = ?", extra)
        for name, count in placed.items():
            sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=models[name].id, count=count))
        mining_mw = sum(n * models[name].power_w for name, n in placed.items()) / 1e6 * 1.05
        sites.update(project, site_id, grid_capacity_mw=round(mining_mw * 1.1, 1))  # 10 % headroom
    settings.put(project, "current_plan_id", plans.add(project, Plan(name="Plan 1")))
    return project
