"""The "Fleet" view: the ASIC models a site owns, sortable and filterable, with totals.

The table is a `RecordTableModel` over plain rows behind a QSortFilterProxyModel; count,
uptime and resale are edited in place (checked as typed), each edit undoable. The site
follows the portfolio tree (a hall selects its site) or the site box above the table.
"""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox,
                               QTableView, QVBoxLayout)
from desktop.store.errors import NotFound

from desktop.ui import context_menus
from desktop.model.errors import InputError
from desktop.store import catalog, halls, sites
from desktop.ui import context as kinds
from desktop.ui.editors import edit_ops
from desktop.ui.editors.delegates import RuleDelegate
from desktop.ui.editors.table_model import SORT_ROLE, Column, RecordTableModel
from desktop.ui.editors.view_base import delete_key, EditorView, button, fit_columns, hint, style_table
from desktop.model.formatting import number


def _n(digits=0):
    return lambda v: number(v, "", digits) if v is not None else ""


FLEET_COLUMNS = [
    Column("model", "Model"),
    Column("count", "Count", section="fleet", fmt=_n(), numeric=True),
    Column("racked", "On floor", fmt=_n(), numeric=True,
           tooltip="miners standing on the site's rack positions (Sites > Halls > Miners on the floor); "
                   "conversions remove these"),
    Column("stored", "In storage", fmt=_n(), numeric=True, tooltip="miners the site owns that stand on no position"),
    Column("uptime_pct", "Uptime %", section="fleet", fmt=_n(1), numeric=True),
    Column("resale_usd_per_ths", "Resale $/TH", section="fleet", fmt=_n(2), numeric=True),
    Column("hashrate_ths", "TH/s", fmt=_n(), numeric=True, tooltip="hashrate of all miners of the entry, TH/s"),
    Column("power_kw", "kW", fmt=_n(), numeric=True, tooltip="power of all miners of the entry, kW"),
    Column("j_per_th", "J/TH", fmt=_n(1), numeric=True, tooltip="efficiency of the model, joules per terahash"),
    Column("cooling", "Cooling"),
]


def fleet_rows(project, site_id: int | None) -> list[dict]:
    if site_id is None:
        return []
    out = []
    on_floor = sites.racked(project, site_id)
    for entry, model in sites.fleet(project, site_id):
        racked = on_floor.get(model.id, 0)
        out.append({
            "id": entry.id, "model": model.name, "model_id": model.id, "count": entry.count,
            "racked": racked, "stored": entry.count - racked,
            "count__tip": (f"{racked:,} on the floor: the count cannot be lower" if racked else None),
            "uptime_pct": entry.uptime_pct, "resale_usd_per_ths": entry.resale_usd_per_ths,
            "hashrate_ths": entry.count * (model.hashrate_ths or 0), "power_kw": entry.count * (model.power_w or 0) / 1000,
            "j_per_th": model.efficiency_j_per_th, "cooling": model.cooling,
            "ths_per_miner": model.hashrate_ths, "w_per_miner": model.power_w,
            "model__tip": f"{model.name}: {model.hashrate_ths:g} TH/s, {model.power_w:g} W a miner ({model.manufacturer})",
        })
    return out


def totals(rows: list[dict]) -> dict:
    ths = sum(r["hashrate_ths"] for r in rows)
    kw = sum(r["power_kw"] for r in rows)
    return {"miners": sum(r["count"] for r in rows), "hashrate_ths": ths, "power_mw": kw / 1000,
            "j_per_th": kw * 1000 / ths if ths else None}


def totals_text(t: dict) -> str:
    j = f"{t['j_per_th']:.1f} J/TH average" if t["j_per_th"] is not None else "no hashrate"
    return (f"Total: {t['miners']:,} miners  ·  {t['hashrate_ths']:,.0f} TH/s ({t['hashrate_ths'] / 1000:,.1f} PH/s)  ·  "
            f"{t['power_mw']:,.2f} MW  ·  {j}")


class FleetView(EditorView):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.setObjectName("fleetView")
        self.site_id: int | None = None
        self.site_box = QComboBox()
        self.site_box.setObjectName("fleetSite")
        self.site_box.setMinimumWidth(180)
        self.site_box.activated.connect(lambda i: self.set_site(self.site_box.itemData(i)))
        self.filter = QLineEdit()
        self.filter.setObjectName("fleetFilter")
        self.filter.setPlaceholderText("Filter models…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(260)

        self.model = RecordTableModel(FLEET_COLUMNS, on_edit=self._edit, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self._filter_changed)
        self.table = QTableView()
        self.table.setObjectName("fleetTable")
        delete_key(self.table, self.remove_selected)
        context_menus.attach(self.table, lambda index: [
            ("Remove the selected entries", self.remove_selected, index.isValid() and not self.readonly)])
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setItemDelegate(RuleDelegate(self.model, self.report, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        style_table(self.table)
        self.table.setColumnWidth(0, 220)
        self.totals = QLabel()
        self.totals.setObjectName("fleetTotals")
        self.totals.setStyleSheet("font-weight: 600; padding: 4px 2px;")

        self.add_model = QComboBox()
        self.add_model.setObjectName("fleetAddModel")
        self.add_model.setMinimumWidth(200)
        self.add_count = QSpinBox()
        self.add_count.setObjectName("fleetAddCount")
        self.add_count.setRange(0, 10_000_000)
        self.add_count.setGroupSeparatorShown(True)
        self.add_count.setValue(100)
        self.add_button = button("Add to fleet", "addFleet", self.add_entry, "Add the model with this many miners")
        self.remove_button = button("Remove", "removeFleet", self.remove_selected, "Remove the selected entries")

        top = QHBoxLayout()
        top.addWidget(QLabel("Site"))
        top.addWidget(self.site_box)
        top.addSpacing(16)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.add_model)
        top.addWidget(self.add_count)
        top.addWidget(QLabel("miners"))
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(hint("Double-click a count, uptime or resale value to edit it; models and their figures "
                              "live in the Catalog."))
        layout.addWidget(self.status)

        ctx.changed.connect(self._on_changed)
        self.follow_tree()
        self._fill_sites()
        self.set_site(self.site_box.itemData(0) if self.site_box.count() else None)

    # -- following -------------------------------------------------------------------------
    def _on_changed(self, kind: str) -> None:
        if kind in (kinds.SITES, kinds.ALL):
            self._fill_sites()
            ids = [self.site_box.itemData(i) for i in range(self.site_box.count())]
            self.set_site(self.site_id if self.site_id in ids else (ids[0] if ids else None))
        elif kind in (kinds.FLEET, kinds.CATALOG, kinds.POSITIONS, kinds.HALLS):  # racked miners move with halls
            self.reload()

    def follow_selection(self, kind: str, object_id) -> None:
        try:
            site_id = object_id if kind == "site" else halls.get(self.ctx.project, object_id).site_id if kind == "hall" else None
        except NotFound:
            return
        if site_id is not None:
            self.set_site(site_id)

    def _fill_sites(self) -> None:
        self.site_box.clear()
        for site in sites.sites(self.ctx.project):
            self.site_box.addItem(site.name, site.id)

    def set_site(self, site_id: int | None) -> None:
        self.site_id = site_id
        index = self.site_box.findData(site_id)
        if index >= 0:
            self.site_box.setCurrentIndex(index)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(fleet_rows(self.ctx.project, self.site_id))
        fit_columns(self.table)
        owned = {r["model_id"] for r in self.model.rows}
        chosen = self.add_model.currentData()
        self.add_model.clear()
        for model in catalog.models(self.ctx.project, "asic"):
            if model.id not in owned:
                self.add_model.addItem(f"{model.name}  ({model.hashrate_ths:g} TH/s, {model.power_w:g} W)", model.id)
        if chosen is not None and self.add_model.findData(chosen) >= 0:
            self.add_model.setCurrentIndex(self.add_model.findData(chosen))
        writable = not self.readonly and self.site_id is not None
        self.model.readonly = self.readonly
        self.add_button.setEnabled(writable and self.add_model.count() > 0)
        self.remove_button.setEnabled(writable and bool(self.model.rows))
        self._update_totals()

    def visible_rows(self) -> list[dict]:
        return [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()] for r in range(self.proxy.rowCount())]

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_totals()

    def _update_totals(self) -> None:
        shown = self.visible_rows()
        text = totals_text(totals(shown))
        if len(shown) != len(self.model.rows):
            text += f"   (the {len(shown)} of {len(self.model.rows)} entries shown)"
        self.totals.setText(text)

    # -- editing ---------------------------------------------------------------------------
    def _edit(self, row: dict, key: str, value) -> None:
        edit_ops.update_fleet(self.ctx, row["id"], key, row[key], value)

    def selected_ids(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.rows[r]["id"] for r in sorted(rows)]

    def add_entry(self) -> None:
        model_id = self.add_model.currentData()
        if self.site_id is None or model_id is None:
            return
        try:
            edit_ops.add_fleet(self.ctx, self.site_id, model_id, self.add_count.value())
        except InputError as exc:
            self.report(str(exc))
            return
        self.report("")

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self.report("Select the entries to remove first.")
            return
        try:
            edit_ops.remove_fleet(self.ctx, ids)
        except InputError as exc:
            self.report(f"Not removed: {exc.message}")
            return
        self.report("")
