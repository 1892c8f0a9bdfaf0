"""The "Sites" view: every site in a table, the selected site's form, and its halls.

Follows the portfolio tree (a site or a hall selected there selects it here); every change
is an undoable edit (edit_ops), and the view re-reads the store when sites or halls change,
so undo and redo show here as they happen.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QSplitter, QTableView,
                               QVBoxLayout)
from desktop.store.errors import NotFound

from desktop.ui import context_menus
from desktop.model.errors import InputError
from desktop.store import editing, halls, settings, sites
from desktop.ui import context as kinds
from desktop.ui.editors import edit_ops
from desktop.ui.editors.grid_schedule import GridScheduleEditor
from desktop.ui.editors.halls_panel import HallsPanel
from desktop.ui.editors.record_form import FieldSpec, RecordForm
from desktop.ui.editors.table_model import Column, RecordTableModel
from desktop.ui.editors.view_base import RowPicker, delete_key, EditorView, button, button_row, scrolling, style_table
from desktop.model.formatting import number

SITE_FIELDS = [
    FieldSpec("name", "Name", width=240),
    FieldSpec("location", "Location", width=240),
    FieldSpec("grid_capacity_mw", "Grid capacity", "MW"),
    FieldSpec("energy_price_usd_per_mwh", "Energy price", "$/MWh"),
    FieldSpec("pue_mining", "PUE, mining"),
    FieldSpec("pue_hosting", "PUE, hosting"),
    FieldSpec("pool_fee_pct", "Pool fee", "%"),
    FieldSpec("mining_opex_usd_per_mw_month", "Mining opex", "$/MW-month"),
    FieldSpec("energy_price_growth_pct_per_year", "Energy price growth", "%/yr"),
    FieldSpec("curtailment_pct", "Curtailed", "% of hours"),
    FieldSpec("curtailment_credit_usd_per_mwh", "Curtailment credit", "$/MWh"),
    FieldSpec("miners_yield_to_grid", "Miners yield to firm load"),
    FieldSpec("notes", "Notes", width=240),
]
V2_SITE_KEYS = ("energy_price_growth_pct_per_year", "curtailment_pct", "curtailment_credit_usd_per_mwh",
                "miners_yield_to_grid", "grid_schedule")


def _n(digits=0):
    return lambda v: number(v, "", digits) if v is not None else ""


SITE_COLUMNS = [
    Column("name", "Site"),
    Column("location", "Location"),
    Column("grid_capacity_mw", "Grid MW", fmt=_n(1), numeric=True),
    Column("energy_price_usd_per_mwh", "$/MWh", fmt=_n(1), numeric=True),
    Column("pue", "PUE", tooltip="PUE of mining / of hosting"),
    Column("halls", "Halls", fmt=_n(), numeric=True),
    Column("miners", "Miners", fmt=_n(), numeric=True),
]


def site_rows(project) -> list[dict]:
    out = []
    for site in sites.sites(project):
        used = editing.site_usage(project, site.id)
        row = {key: getattr(site, key) for key in ("id", "name", "location", "grid_capacity_mw",
                                                   "energy_price_usd_per_mwh", "pue_mining", "pue_hosting",
                                                   "pool_fee_pct", "mining_opex_usd_per_mw_month", "notes",
                                                   *V2_SITE_KEYS)}
        row.update(halls=used["halls"], miners=used["miners"], pue=f"{site.pue_mining:.2f} / {site.pue_hosting:.2f}")
        out.append(row)
    return out


class SitesView(RowPicker, EditorView):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.setObjectName("sitesView")
        self.model = RecordTableModel(SITE_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("sitesTable")
        delete_key(self.table, self.delete_site)
        context_menus.attach(self.table, lambda index: [
            ("Add site", self.add_site, not self.readonly),
            ("Delete site…", self.delete_site, index.isValid() and not self.readonly)])
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        style_table(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.add_button = button("Add site", "addSite", self.add_site, "Add a site (undoable)")
        self.delete_button = button("Delete site", "deleteSite", self.delete_site,
                                    "Delete the selected site with its halls, fleet and conversions (undoable)")
        self.form = RecordForm("site", SITE_FIELDS, self._commit)
        self.form.setObjectName("siteForm")

        sites_box = QGroupBox("Sites")
        left = QVBoxLayout()
        left.addLayout(button_row(self.add_button, self.delete_button))
        left.addWidget(self.table, 1)
        top = QHBoxLayout(sites_box)
        top.addLayout(left, 1)
        self.form.setMaximumWidth(470)
        form_box = QVBoxLayout()
        form_box.setContentsMargins(0, 0, 0, 0)
        form_box.addWidget(self.form)
        self.grid_schedule = GridScheduleEditor(self._commit_schedule)
        form_box.addWidget(self.grid_schedule)
        form_box.addStretch(1)
        top.addWidget(scrolling(form_box, 560), 0)

        self.halls = HallsPanel(self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(sites_box)
        splitter.addWidget(self.halls)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([315, 485])  # the hall form and its floor box need the room
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        ctx.changed.connect(self._on_changed)
        self.follow_tree()
        self.reload()

    # -- following the store and the tree ---------------------------------------------------
    def _on_changed(self, kind: str) -> None:
        if kind in (kinds.SITES, kinds.ALL):
            self.reload()
        elif kind in (kinds.HALLS, kinds.POSITIONS, kinds.CONVERSIONS, kinds.FLEET):
            self.model.set_rows(site_rows(self.ctx.project))
            self.halls.reload()

    def follow_selection(self, kind: str, object_id) -> None:
        if kind == "site":
            self.select(object_id)
        elif kind == "hall":
            try:
                hall = halls.get(self.ctx.project, object_id)
            except NotFound:
                return
            self.select(hall.site_id)
            self.halls.select(hall.id)

    def reload(self) -> None:
        self.set_rows_keeping_current(site_rows(self.ctx.project))

    def _show_current(self) -> None:
        site_id = self.current_id()
        record = next((r for r in self.model.rows if r["id"] == site_id), None)
        self.form.load(record, readonly=self.readonly)
        a = settings.assumptions(self.ctx.project)
        self.grid_schedule.set_site(record, a["start_month"], int(a["horizon_months"]), self.readonly)
        self.add_button.setEnabled(not self.readonly)
        self.delete_button.setEnabled(not self.readonly and record is not None)
        self.halls.set_site(site_id, record["name"] if record else "")

    # -- editing ---------------------------------------------------------------------------
    def _commit(self, key: str, old, new) -> None:
        edit_ops.update_site(self.ctx, self.form.record["id"], key, old, new)
        self.report("")

    def _commit_schedule(self, old: list, new: list) -> None:
        site_id = self.current_id()
        if site_id is None:
            raise InputError("grid_schedule", "no site selected")
        edit_ops.update_site(self.ctx, site_id, "grid_schedule", old, new)

    def add_site(self) -> None:
        try:
            site_id = edit_ops.add_site(self.ctx)
        except InputError as exc:
            self.warn("Cannot add the site", str(exc))
            return
        self.select(site_id)
        self.form.fields["name"].setFocus()
        self.form.fields["name"].selectAll()

    def delete_site(self) -> None:
        site_id = self.current_id()
        if site_id is None:
            return
        name = sites.get(self.ctx.project, site_id).name
        used = editing.site_usage(self.ctx.project, site_id)
        text = (f"Delete {name} with its {used['halls']} hall(s), {used['fleet']} fleet entr(ies) "
                f"({used['miners']:,} miners) and {used['conversions']} conversion(s) of plans?\nUndo brings it back.")
        if not self.confirm("Delete site", text):
            return
        edit_ops.delete_site(self.ctx, site_id)
