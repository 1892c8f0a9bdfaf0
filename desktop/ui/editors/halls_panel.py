"""The halls of one site: a table, the form of the selected hall, add and delete."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout

from desktop.ui import context_menus
from desktop.store import hall_load
from desktop.model.errors import InputError
from desktop.model.floorgrid import position_label
from desktop.store import editing, halls
from desktop.ui.editors import edit_ops
from desktop.ui.editors.floor_fill import FloorFillBox
from desktop.ui.editors.record_form import FieldSpec, RecordForm
from desktop.ui.editors.table_model import Column, RecordTableModel
from desktop.ui.editors.view_base import RowPicker, delete_key, button, button_row, hint, scrolling, style_table
from desktop.model.formatting import number

HALL_FIELDS = [
    FieldSpec("name", "Name", width=220),
    FieldSpec("cooling", "Cooling"),
    FieldSpec("power_capacity_kw", "Power capacity", "kW"),
    FieldSpec("max_rack_kw", "Max power", "kW/position"),
    FieldSpec("floor_load_kg", "Floor load limit", "kg/position"),
    FieldSpec("rows", "Rows", "A, B, C, ..."),
    FieldSpec("cols", "Columns", "01, 02, ..."),
]


def _n(digits=0, unit=""):
    return lambda v: number(v, unit, digits) if v is not None else ""


HALL_COLUMNS = [
    Column("name", "Hall"),
    Column("cooling", "Cooling"),
    Column("grid", "Grid"),
    Column("occupied", "Occupied", fmt=_n(), numeric=True, tooltip="positions with miners or GPU racks"),
    Column("power_capacity_kw", "Power kW", fmt=_n(), numeric=True),
    Column("max_rack_kw", "Max kW/pos", fmt=_n(1), numeric=True),
    Column("floor_load_kg", "Floor kg/pos", fmt=_n(), numeric=True),
]


def hall_rows(project, site_id: int | None) -> list[dict]:
    if site_id is None:
        return []
    out = []
    for hall in halls.halls(project, site_id):
        used = editing.hall_usage(project, hall.id)
        first, last = position_label(0, 0, hall.cols), position_label(hall.rows - 1, hall.cols - 1, hall.cols)
        out.append({
            "id": hall.id, "name": hall.name, "cooling": hall.cooling,
            "grid": f"{hall.rows} x {hall.cols}", "grid__tip": f"{used['positions']:,} positions, {first} to {last}",
            "positions": used["positions"], "occupied": used["occupied"],
            "power_capacity_kw": hall.power_capacity_kw, "max_rack_kw": hall.max_rack_kw,
            "floor_load_kg": hall.floor_load_kg, "rows": hall.rows, "cols": hall.cols,
        })
    return out


class HallsPanel(RowPicker, QGroupBox):
    def __init__(self, view, parent=None):
        super().__init__("Halls", parent)
        self.view, self.ctx = view, view.ctx
        self.site_id: int | None = None
        self.model = RecordTableModel(HALL_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("hallsTable")
        delete_key(self.table, self.delete_hall)
        context_menus.attach(self.table, lambda index: [
            ("Open floor plan", self.open_floor_plan, index.isValid()),
            None,
            ("Add hall", self.add_hall, self.site_id is not None and not self.view.readonly),
            ("Delete hall…", self.delete_hall, index.isValid() and not self.view.readonly)])
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        style_table(self.table)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.add_button = button("Add hall", "addHall", self.add_hall, "Add a hall with an empty floor grid")
        self.delete_button = button("Delete hall", "deleteHall", self.delete_hall, "Delete the selected hall")
        self.form = RecordForm("hall", HALL_FIELDS, self._commit)
        self.form.setObjectName("hallForm")
        left = QVBoxLayout()
        left.addLayout(button_row(self.add_button, self.delete_button))
        left.addWidget(self.table, 1)
        self.form.setMaximumWidth(470)
        right = QVBoxLayout()
        right.addWidget(self.form)
        self.limit_warning = QLabel()
        self.limit_warning.setObjectName("hallLimitWarning")
        self.limit_warning.setWordWrap(True)
        self.limit_warning.setStyleSheet("color: #B45309;")
        self.limit_warning.setMaximumWidth(470)
        self.limit_warning.hide()
        right.addWidget(self.limit_warning)
        self.fill = FloorFillBox(self)
        self.fill.setMaximumWidth(470)
        right.addWidget(self.fill)
        grid_hint = hint("Positions: row letter and column number (A01).")
        grid_hint.setToolTip("A smaller grid is refused while occupied positions lie outside it.")
        right.addWidget(grid_hint)
        right.addStretch(1)
        right.setContentsMargins(0, 0, 0, 0)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(scrolling(right, 490), 0)

    # -- showing ---------------------------------------------------------------------------
    def set_site(self, site_id: int | None, site_name: str = "") -> None:
        self.site_id = site_id
        self.setTitle(f"Halls of {site_name}" if site_name else "Halls")
        self.reload()

    def reload(self) -> None:
        self.set_rows_keeping_current(hall_rows(self.ctx.project, self.site_id))

    def _show_current(self) -> None:
        hall_id = self.current_id()
        record = next((r for r in self.model.rows if r["id"] == hall_id), None)
        self.form.load(record, readonly=self.view.readonly)
        self.fill.set_hall(hall_id if record else None)
        warned = hall_load.warnings(self.ctx.project, hall_id) if record else []
        self.limit_warning.setText(f"⚠ {record['name']}: " + "; ".join(warned) + "." if warned else "")
        self.limit_warning.setVisible(bool(warned))
        writable = not self.view.readonly
        self.add_button.setEnabled(writable and self.site_id is not None)
        self.delete_button.setEnabled(writable and record is not None)

    # -- editing ---------------------------------------------------------------------------
    def _commit(self, key: str, old, new) -> None:
        edit_ops.update_hall(self.ctx, self.form.record["id"], key, old, new)

    def add_hall(self) -> None:
        if self.site_id is None:
            return
        try:
            hall_id = edit_ops.add_hall(self.ctx, self.site_id)
        except InputError as exc:
            self.view.warn("Cannot add the hall", str(exc))
            return
        self.select(hall_id)

    def open_floor_plan(self) -> None:
        hall_id = self.current_id()
        window = self.window()
        if hall_id is not None and hasattr(window, "views"):
            window.tabs.setCurrentWidget(window.views["Floor plan"])
            window.views["Floor plan"].show_hall(hall_id)

    def delete_hall(self) -> None:
        hall_id = self.current_id()
        if hall_id is None:
            return
        name = halls.get(self.ctx.project, hall_id).name
        used = editing.hall_usage(self.ctx.project, hall_id)
        details = f"{used['positions']:,} positions, {used['miners']:,} miners on the floor"
        if used["conversions"]:
            details += f", {used['conversions']} conversion(s) of plans use it"
        if not self.view.confirm("Delete hall", f"Delete {name} ({details})?\nUndo brings it back."):
            return
        edit_ops.delete_hall(self.ctx, hall_id)
