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
    ("Finance", "desktop.ui.finance_panel:FinancePanel"),
    ("Dashboard", "desktop.ui.dashboard.dashboard_view:DashboardView"),
    ("Compare", "desktop.ui.plans.compare_view:CompareView"),
]


def load(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


class LazyViews:
    """The views of one open project, built when first needed.

    The tab bar gets every title at once, with an empty placeholder; a view is built the first
    time its tab is shown or `views[title]` asks for it, and then takes its placeholder's place.
    Start-up builds only the first view, so a planner waits for the Summary, not for pyqtgraph
    and the dashboard's first evaluation. A view built late is told the tree's current
    selection through its `adopt_tree_selection(kind, id)`, if it has one, as if it had been there all
    along.
    """

    def __init__(self, tabs, ctx, specs=VIEWS):
        from PySide6.QtWidgets import QWidget

        self._tabs, self._ctx = tabs, ctx
        self._specs = dict(specs)
        self._built: dict[str, object] = {}
        self._titles = [title for title, _ in specs]
        for title in self._titles:
            tabs.addTab(QWidget(), title)
        tabs.currentChanged.connect(self._shown)
        if self._titles:
            self[self._titles[0]]

    def _shown(self, index: int) -> None:
        if 0 <= index < len(self._titles):
            self[self._titles[index]]

    def __getitem__(self, title: str):
        view = self._built.get(title)
        if view is None:
            view = load(self._specs[title])(self._ctx, self._tabs)
            self._built[title] = view
            tabs = self._tabs
            index, current = self._titles.index(title), tabs.currentIndex()
            placeholder = tabs.widget(index)
            tabs.blockSignals(True)
            tabs.removeTab(index)
            tabs.insertTab(index, view, title)
            tabs.setCurrentIndex(current)
            tabs.blockSignals(False)
            placeholder.deleteLater()
            selection = getattr(self._ctx, "selection", None)
            follow = getattr(view, "adopt_tree_selection", None)
            if selection is not None and follow is not None:
                follow(*selection)   # this view only: the others saw the selection happen
        return view

    def __contains__(self, title: str) -> bool:
        return title in self._specs

    def __iter__(self):
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)

    def built(self) -> list[str]:
        return list(self._built)
