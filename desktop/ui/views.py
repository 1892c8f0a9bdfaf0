"""The views of the main window, in tab order: (title, "module:Class").

Each class is built as `Class(ctx, parent)` when a project opens; it reads what it shows
through the context and listens to `ctx.changed`. A later feature adds a row here.
"""
from __future__ import annotations

import importlib

VIEWS: list[tuple[str, str]] = [
    ("Summary", "desktop.ui.summary_view:SummaryView"),
    ("Sites", "desktop.ui.editors.sites_view:SitesView"),
    ("Fleet", "desktop.ui.editors.fleet_view:FleetView"),
    ("Catalog", "desktop.ui.editors.catalog_view:CatalogView"),
    ("Floor plan", "desktop.ui.floorplan.view:FloorPlanView"),
    ("Plans", "desktop.ui.plans.plans_view:PlansView"),
    ("Dashboard", "desktop.ui.dashboard.dashboard_view:DashboardView"),
    ("Compare", "desktop.ui.plans.compare_view:CompareView"),
]


def load(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)
