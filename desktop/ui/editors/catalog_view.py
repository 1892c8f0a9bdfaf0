"""The "Catalog" view: ASIC miners and GPU systems, edited in place, each edit undoable.

An entry in use (by a fleet, a rack position or a conversion) is not deleted: the store's
`catalog.delete` refuses it and the view says where it is used. The "In use" column shows
it before anyone tries.
"""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QTabWidget, QVBoxLayout, QWidget

from desktop.ui import context_menus
from desktop.model.errors import InputError
from desktop.store import catalog, editing
from desktop.ui import context as kinds
from desktop.ui.editors import edit_ops
from desktop.ui.editors.delegates import RuleDelegate
from desktop.ui.editors.table_model import SORT_ROLE, Column, RecordTableModel
from desktop.ui.editors.view_base import delete_key, EditorView, button, button_row, fit_columns, hint, style_table
from desktop.model.formatting import number


def _n(digits=0):
    return lambda v: number(v, "", digits) if v is not None else ""


def _usd(v):
    return f"${v:,.0f}" if v is not None else ""


def _yes(v):
    return "yes" if v else ""


ASIC_COLUMNS = [
    Column("name", "Model", section="asic"),
    Column("manufacturer", "Manufacturer", section="asic"),
    Column("hashrate_ths", "TH/s", section="asic", fmt=_n(1), numeric=True),
    Column("power_w", "W", section="asic", fmt=_n(), numeric=True),
    Column("j_per_th", "J/TH", fmt=_n(1), numeric=True, tooltip="power over hashrate (computed)"),
    Column("cooling", "Cooling", section="asic"),
    Column("weight_kg", "kg", section="asic", fmt=_n(1), numeric=True),
    Column("price_usd", "Price", section="asic", fmt=_usd, numeric=True),
    Column("is_estimate", "Estimate", fmt=_yes, tooltip="figures from a low-authority source"),
    Column("in_use", "In use"),
    Column("source", "Source", section="asic"),
]

GPU_COLUMNS = [
    Column("name", "System", section="gpu"),
    Column("manufacturer", "Manufacturer", section="gpu"),
    Column("gpus_per_rack", "GPUs/rack", section="gpu", fmt=_n(), numeric=True),
    Column("rack_power_kw", "kW/rack", section="gpu", fmt=_n(1), numeric=True),
    Column("servers_per_rack", "Servers/rack", section="gpu", fmt=_n(), numeric=True),
    Column("power_w", "W/server", section="gpu", fmt=_n(), numeric=True),
    Column("u_height", "U/rack", section="gpu", fmt=_n(1), numeric=True),
    Column("cooling", "Cooling", section="gpu"),
    Column("weight_kg", "kg/rack", section="gpu", fmt=_n(), numeric=True),
    Column("price_usd", "Price/rack", section="gpu", fmt=_usd, numeric=True),
    Column("powered", "Own power", tooltip="no: a tray powered by the rack's power shelves (NetBox is_powered: false)"),
    Column("in_use", "In use"),
    Column("source", "Source", section="gpu"),
    Column("notes", "Notes", section="gpu"),
]


def _in_use(used: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {k}" for k, n in used.items() if n)


def catalog_rows(project, kind: str) -> list[dict]:
    out = []
    usage = editing.catalog_usage(project)
    for m in catalog.models(project, kind):
        row = {k: getattr(m, k) for k in ("id", "name", "manufacturer", "hashrate_ths", "power_w", "cooling",
                                          "weight_kg", "price_usd", "source", "is_estimate", "gpus_per_rack",
                                          "rack_power_kw", "servers_per_rack", "u_height", "notes")}
        row["j_per_th"] = m.efficiency_j_per_th
        row["powered"] = "yes" if m.is_powered else "no (rack)"
        row["in_use"] = _in_use(usage.get(m.id, {}))
        row["notes__tip"] = m.notes or None
        row["name__tip"] = m.notes or None
        out.append(row)
    return out


class CatalogTable(QWidget):
    """One kind of entries: a filter, the table, add and delete."""

    def __init__(self, view: "CatalogView", kind: str, columns: list[Column]):
        super().__init__()
        self.view, self.kind = view, kind
        self._fitted = False
        self.model = RecordTableModel(columns, on_edit=self._edit, parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName(f"{kind}Table")
        delete_key(self.table, self.delete)
        writable = not self.view.readonly
        context_menus.attach(self.table, lambda index: [
            ("Add ASIC model" if kind == "asic" else "Add GPU system", self.add, writable),
            ("Delete", self.delete, index.isValid() and writable)])
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setItemDelegate(RuleDelegate(self.model, view.report, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        style_table(self.table)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setMaximumWidth(260)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        label = "ASIC model" if kind == "asic" else "GPU system"
        self.add_button = button(f"Add {label}", f"add_{kind}", self.add, f"Add a {label} to the catalog")
        self.delete_button = button("Delete", f"delete_{kind}", self.delete,
                                    "Delete the selected entry (refused while it is in use)")
        layout = QVBoxLayout(self)
        row = button_row(self.add_button, self.delete_button)
        row.addWidget(self.filter)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        self.model.readonly = self.view.readonly
        before = len(self.model.rows)
        self.model.set_rows(catalog_rows(self.view.ctx.project, self.kind))
        if not self._fitted or len(self.model.rows) != before:
            fit_columns(self.table)
            self._fitted = True
        self.add_button.setEnabled(not self.view.readonly)
        self.delete_button.setEnabled(not self.view.readonly and bool(self.model.rows))

    def _edit(self, row: dict, key: str, value) -> None:
        edit_ops.update_model(self.view.ctx, row["id"], key, row[key], value)

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(index).row()]["id"]

    def select(self, model_id: int) -> None:
        row = self.model.row_of(model_id)
        if row >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def add(self) -> None:
        model_id = edit_ops.add_model(self.view.ctx, self.kind)
        self.select(model_id)
        self.view.report("")

    def delete(self) -> None:
        model_id = self.selected_id()
        if model_id is None:
            self.view.report("Select the entry to delete first.")
            return
        try:
            edit_ops.delete_model(self.view.ctx, model_id)
        except InputError as exc:
            self.view.warn("Cannot delete", exc.message)
            return
        self.view.report("")


class CatalogView(EditorView):
    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.setObjectName("catalogView")
        self.asic = CatalogTable(self, "asic", ASIC_COLUMNS)
        self.gpu = CatalogTable(self, "gpu", GPU_COLUMNS)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("catalogTabs")
        self.tabs.addTab(self.asic, "ASIC miners")
        self.tabs.addTab(self.gpu, "GPU systems")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint("Double-click a cell to edit it. A GPU system is one rack: its power, GPUs, weight and "
                              "price are per rack. File > Import NetBox Device Types adds systems from YAML."))
        layout.addWidget(self.status)
        ctx.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, kind: str) -> None:
        if kind in (kinds.CATALOG, kinds.FLEET, kinds.POSITIONS, kinds.CONVERSIONS, kinds.PLANS, kinds.ALL, kinds.HALLS):
            self.reload()

    def reload(self) -> None:
        self.asic.reload()
        self.gpu.reload()
