"""The preview of a NetBox device-type import: the catalog racks the files become.

The planner sets how many servers make a rack and may override the power (public files can
be wrong, and trays powered by the rack have none); the table follows at once, with each
file's warnings. Import is enabled when every file gives a rack with a power. Tests build
the dialog, set the spin boxes, inspect `entries`/`model`, and call accept().
"""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QListWidget, QSpinBox, QTableView, QVBoxLayout)

from desktop.model.devicetypes import DeviceType
from desktop.model.errors import InputError
from desktop.store import catalog, devicetype_import
from desktop.store.devicetype_import import RackOptions
from desktop.ui.editors.table_model import Column, RecordTableModel
from desktop.ui.editors.view_base import fit_columns, style_table
from desktop.model.formatting import number


def _n(digits=0):
    return lambda v: number(v, "", digits) if v is not None else ""


COLUMNS = [
    Column("file", "File"),
    Column("name", "Catalog entry"),
    Column("manufacturer", "Manufacturer"),
    Column("ports_w", "Ports W/server", fmt=_n(), numeric=True, tooltip="sum of the power ports' maximum_draw"),
    Column("rack_power_kw", "kW/rack", fmt=_n(2), numeric=True),
    Column("gpus_per_rack", "GPUs/rack", fmt=_n(), numeric=True),
    Column("u_height", "U/rack", fmt=_n(1), numeric=True),
    Column("weight_kg", "kg/rack", fmt=_n(1), numeric=True),
    Column("cooling", "Cooling"),
    Column("action", "Catalog"),
    Column("warnings", "Warnings"),
]


class DeviceTypeDialog(QDialog):
    def __init__(self, project, devices: list[DeviceType], file_errors: list[InputError], parent=None):
        super().__init__(parent)
        self.setObjectName("deviceTypeDialog")
        self.setWindowTitle("Import NetBox device types")
        self.resize(1240, 500)
        self.project, self.devices, self.file_errors = project, devices, file_errors
        self.entries = []
        self.servers = QSpinBox()
        self.servers.setObjectName("serversPerRack")
        self.servers.setRange(1, devicetype_import.MAX_SERVERS_PER_RACK)
        self.rack_kw = QDoubleSpinBox()
        self.rack_kw.setObjectName("powerKwPerRack")
        self.rack_kw.setRange(0, 9999)
        self.rack_kw.setDecimals(1)
        self.rack_kw.setSpecialValueText("from the power ports")
        self.rack_kw.setSuffix(" kW")
        self.rack_kw.setToolTip("Overrides the files' power: public files can be wrong, and trays powered by the "
                                "rack (is_powered: false) have none")
        self.servers.setMaximumWidth(120)
        self.rack_kw.setMinimumWidth(200)
        self.rack_kw.setMaximumWidth(200)
        options = QFormLayout()
        options.addRow("Servers (or trays) per rack", self.servers)
        options.addRow("Power per rack", self.rack_kw)
        explain = QLabel("Each file becomes one catalog GPU system: a rack of this many servers. Power per rack "
                         "overrides the files' power ports (public files can be wrong, and trays powered by the "
                         "rack's shelves have none).")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #5f6368;")
        self.model = RecordTableModel(COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        style_table(self.table)
        self.errors = QListWidget()
        self.errors.setObjectName("errors")
        self.errors.setStyleSheet("QListWidget { color: #c62828; }")
        self.errors.setMaximumHeight(110)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Errors:"))
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.servers.valueChanged.connect(self.refresh)
        self.rack_kw.valueChanged.connect(self.refresh)
        self.refresh()

    def options(self) -> RackOptions:
        kw = self.rack_kw.value()
        return RackOptions(servers_per_rack=self.servers.value(), power_kw_per_rack=kw if kw > 0 else None)

    def refresh(self, *_args) -> None:
        messages = [str(e) for e in self.file_errors]
        entries, rows = [], []
        options = self.options()
        for i, device in enumerate(self.devices):
            try:
                entry = devicetype_import.catalog_entry(device, options)
            except InputError as exc:
                messages.append(str(exc))
                entry = None
            existing = catalog.by_name(self.project, entry.name) if entry else None
            if entry is not None and existing is not None and existing.kind != "gpu":
                messages.append(f"{device.source}: {entry.name} is an ASIC miner in the catalog")
            if entry is not None:
                entries.append(entry)
            rows.append({
                "id": i, "file": device.source, "name": entry.name if entry else device.model,
                "manufacturer": device.manufacturer, "ports_w": device.power_w,
                "rack_power_kw": entry.rack_power_kw if entry else None,
                "gpus_per_rack": entry.gpus_per_rack if entry else None,
                "u_height": entry.u_height if entry else None, "weight_kg": entry.weight_kg if entry else None,
                "cooling": entry.cooling if entry else "", "action": ("update" if existing else "add") if entry else "",
                "warnings": "; ".join(device.warnings), "warnings__tip": "\n".join(device.warnings) or None,
            })
        names = [e.name for e in entries]
        messages += [f"{n}: given by more than one file" for n in sorted({n for n in names if names.count(n) > 1})]
        self.entries = entries if not messages else []
        self.model.set_rows(rows)
        fit_columns(self.table, max_width=240)
        self.errors.clear()
        self.errors.addItems(messages or ["none"])
        self.error_messages = messages
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.can_import)

    @property
    def can_import(self) -> bool:
        return not self.error_messages and bool(self.entries)

    def accept(self) -> None:
        if not self.can_import:
            return
        super().accept()
