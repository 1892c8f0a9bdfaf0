"""The preview of a NetBox device-type import: the catalog racks the files become.

One row a file: the catalog entry, the power rule used (allocated draw, N+N, ...), kW and
GPUs a rack, the cooling (with a liquid proposal from the model's name), kg a rack with its
allowance, and the warnings not answered yet. Selecting a row shows that file's settings
below the table: servers per rack, power rule, W per server or kW per rack, cooling, GPUs
per server (or "a GPU system without GPUs"), rack allowance; "Use for every file" copies
them to the other files. The figures and the rules are desktop.store.devicetype_import's;
this dialog only keeps a RackOptions per file. Import is enabled when every file gives an
entry. Tests build the dialog, select rows, set the controls, inspect `entries`/`model`,
and call accept().
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSpinBox,
                               QTableView, QVBoxLayout)

from desktop.model.devicetypes import DeviceType
from desktop.model.errors import InputError
from desktop.model.rack_allowance import MAX_ALLOWANCE_KG, rack_allowance_kg
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
    Column("power_basis", "Power rule", tooltip="how the file's power ports became the server's power"),
    Column("rack_power_kw", "kW/rack", fmt=_n(2), numeric=True),
    Column("gpus_per_rack", "GPUs/rack", fmt=_n(), numeric=True),
    Column("cooling", "Cooling"),
    Column("weight_kg", "kg/rack", fmt=_n(1), numeric=True, tooltip="servers plus the rack's allowance"),
    Column("action", "Catalog"),
    Column("warnings", "Warnings"),
]


class DeviceTypeDialog(QDialog):
    def __init__(self, project, devices: list[DeviceType], file_errors: list[InputError], parent=None):
        super().__init__(parent)
        self.setObjectName("deviceTypeDialog")
        self.setWindowTitle("Import NetBox device types")
        self.resize(1240, 720)
        self.project, self.devices, self.file_errors = project, devices, file_errors
        self.options = [RackOptions() for _ in devices]
        self.entries: list = []
        self.error_messages: list[str] = []
        self._loading = False
        self.model = RecordTableModel(COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setObjectName("deviceTypes")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        style_table(self.table)
        self.errors = QListWidget()
        self.errors.setObjectName("errors")
        self.errors.setMaximumHeight(96)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        explain = QLabel("Each file becomes one catalog GPU system: a rack of its servers. Select a file to set how "
                         "its power is read, its cooling, GPUs and the rack's allowance; the table follows at once.")
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._settings_box())
        layout.addWidget(QLabel("Refused (nothing is imported while a file is refused):"))
        layout.addWidget(self.errors)
        layout.addWidget(self.buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_current())
        self.refresh()
        if devices:
            self.select_file(0)

    # -- the selected file's settings ------------------------------------------------------------
    def _settings_box(self) -> QGroupBox:
        box = QGroupBox("Selected file")
        self.settings_box = box
        self.servers = QSpinBox()
        self.servers.setObjectName("serversPerRack")
        self.servers.setRange(1, devicetype_import.MAX_SERVERS_PER_RACK)
        self.rule = QComboBox()
        self.rule.setObjectName("powerRule")
        self.w_server = QDoubleSpinBox()
        self.w_server.setObjectName("powerWPerServer")
        self.w_server.setRange(0, 999_999)
        self.w_server.setDecimals(0)
        self.w_server.setSuffix(" W")
        self.w_server.setSpecialValueText("from the rule")
        self.rack_kw = QDoubleSpinBox()
        self.rack_kw.setObjectName("powerKwPerRack")
        self.rack_kw.setRange(0, 9999)
        self.rack_kw.setDecimals(1)
        self.rack_kw.setSuffix(" kW")
        self.rack_kw.setSpecialValueText("from the rule")
        self.rack_kw.setToolTip("Overrides the file's power: public files can be wrong, and trays powered by the "
                                "rack (is_powered: false) have none")
        self.cooling = QComboBox()
        self.cooling.setObjectName("cooling")
        self.gpus = QSpinBox()
        self.gpus.setObjectName("gpusPerServer")
        self.gpus.setRange(0, devicetype_import.MAX_GPUS_PER_SERVER)
        self.no_gpus = QCheckBox("a GPU system although no GPUs are found")
        self.no_gpus.setObjectName("confirmNoGpus")
        self.allowance = QDoubleSpinBox()
        self.allowance.setObjectName("rackAllowanceKg")
        self.allowance.setRange(0, MAX_ALLOWANCE_KG)
        self.allowance.setDecimals(0)
        self.allowance.setSuffix(" kg")
        self.allowance.setToolTip("What a rack weighs beyond its servers: the rack, PDUs or power shelves, and for "
                                  "liquid cooling manifolds, coolant and switch trays (150 kg air, 800 kg liquid)")
        self.use_for_all = QPushButton("Use for every file")
        self.use_for_all.setObjectName("useForAll")
        self.use_for_all.setToolTip("Copy the selected file's settings to every file of this import")
        self.use_for_all.clicked.connect(self.apply_to_all)
        for w in (self.servers, self.w_server, self.rack_kw, self.gpus, self.allowance):
            w.setMinimumWidth(150)
        left, right = QFormLayout(), QFormLayout()
        left.addRow("Servers (or trays) per rack", self.servers)
        left.addRow("Power rule", self.rule)
        left.addRow("or power per server", self.w_server)
        left.addRow("or power per rack", self.rack_kw)
        right.addRow("Cooling", self.cooling)
        right.addRow("GPUs per server", self.gpus)
        right.addRow("", self.no_gpus)
        right.addRow("Rack allowance", self.allowance)
        self.details = QLabel()
        self.details.setObjectName("fileDetails")
        self.details.setWordWrap(True)
        outer = QVBoxLayout(box)
        row = QHBoxLayout()
        outer.addLayout(row)
        outer.addWidget(self.details)
        row.addLayout(left, 1)
        row.addSpacing(24)
        row.addLayout(right, 1)
        row.addWidget(self.use_for_all)
        self.servers.valueChanged.connect(self._store_current)
        self.rule.currentIndexChanged.connect(self._store_current)
        self.w_server.valueChanged.connect(self._store_current)
        self.rack_kw.valueChanged.connect(self._store_current)
        self.cooling.currentIndexChanged.connect(self._store_current)
        self.gpus.valueChanged.connect(self._store_current)
        self.no_gpus.toggled.connect(self._store_current)
        self.allowance.valueChanged.connect(lambda *_: self._store_current(allowance_edited=True))
        return box

    def current_file(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_file(self, i: int) -> None:
        self.table.selectRow(i)
        self._load_current()

    def _load_current(self) -> None:
        i = self.current_file()
        self.settings_box.setEnabled(i >= 0)
        self._show_details()
        if i < 0:
            return
        device, opts = self.devices[i], self.options[i]
        self._loading = True
        try:
            self.settings_box.setTitle(f"Selected file: {device.source}")
            self.servers.setValue(opts.servers_per_rack)
            self.rule.clear()
            for rule in device.power_rules if device.is_powered else []:
                self.rule.addItem(f"{rule.label}: {rule.power_w:,.0f} W", rule.key)
            if not self.rule.count():
                self.rule.addItem("none: the file gives no draw" if device.is_powered
                                  else "none: powered by the rack's shelves", None)
            self.rule.setEnabled(self.rule.count() > 1)
            chosen = device.rule(opts.power_rule)
            self.rule.setCurrentIndex(max(0, self.rule.findData(chosen.key)) if chosen else 0)
            self.w_server.setValue(opts.power_w_per_server or 0)
            self.rack_kw.setValue(opts.power_kw_per_rack or 0)
            self.cooling.clear()
            self.cooling.addItem(f"as the file says: {device.cooling} ({device.cooling_basis})", None)
            if device.cooling_proposal:
                self.cooling.addItem(f"the name's proposal: {device.cooling_proposal} "
                                     f"({device.proposal_basis.split(':')[0]})", "proposed")
            self.cooling.addItem("air", "air")
            self.cooling.addItem("liquid", "liquid")
            self.cooling.setCurrentIndex(max(0, self.cooling.findData(opts.cooling)))
            self.gpus.setSpecialValueText(f"as the file says: {device.gpus} ({device.gpus_source})" if device.gpus
                                          else "none found")
            self.gpus.setValue(opts.gpus_per_server or 0)
            self.no_gpus.setChecked(opts.confirm_no_gpus)
            self.no_gpus.setEnabled(device.gpus is None)
            self._show_allowance(i)
        finally:
            self._loading = False

    def _show_allowance(self, i: int) -> None:
        opts = self.options[i]
        value = opts.rack_allowance_kg if opts.rack_allowance_kg is not None else \
            rack_allowance_kg(devicetype_import.cooling_of(self.devices[i], opts))
        was, self._loading = self._loading, True
        self.allowance.setValue(value)
        self._loading = was

    def _store_current(self, *_args, allowance_edited: bool = False) -> None:
        i = self.current_file()
        if self._loading or i < 0:
            return
        device, old = self.devices[i], self.options[i]
        key = self.rule.currentData()
        default = device.rule(None)
        self.options[i] = replace(
            old, servers_per_rack=self.servers.value(),
            power_rule=key if key is not None and default is not None and key != default.key else None,
            power_w_per_server=self.w_server.value() or None, power_kw_per_rack=self.rack_kw.value() or None,
            cooling=self.cooling.currentData(), gpus_per_server=self.gpus.value() or None,
            confirm_no_gpus=self.no_gpus.isChecked() and device.gpus is None,
            rack_allowance_kg=self.allowance.value() if allowance_edited else old.rack_allowance_kg)
        if not allowance_edited:
            self._show_allowance(i)
        self.refresh()

    def apply_to_all(self) -> None:
        i = self.current_file()
        if i < 0:
            return
        source = self.options[i]
        for k, device in enumerate(self.devices):
            rule = source.power_rule if source.power_rule and device.rule(source.power_rule) and \
                device.rule(source.power_rule).key == source.power_rule else None
            self.options[k] = replace(source, power_rule=rule,
                                      confirm_no_gpus=source.confirm_no_gpus and device.gpus is None)
        self.refresh()

    # -- the table ---------------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        messages = [str(e) for e in self.file_errors]
        entries, rows = [], []
        for i, (device, options) in enumerate(zip(self.devices, self.options)):
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
            findings = [f.text for f in devicetype_import.open_findings(device, options)]
            cooling = devicetype_import.cooling_of(device, options)
            if device.cooling_proposal and options.cooling is None:
                cooling += f" ({device.cooling_proposal} proposed)"
            basis = devicetype_import.power_basis(device, options)
            rows.append({
                "id": i, "file": device.source, "name": entry.name if entry else device.model,
                "power_basis": basis, "power_basis__tip": basis,
                "rack_power_kw": entry.rack_power_kw if entry else None,
                "gpus_per_rack": entry.gpus_per_rack if entry else None, "cooling": cooling,
                "weight_kg": entry.weight_kg if entry else None,
                "action": ("update" if existing else "add") if entry else "refused",
                "warnings": " | ".join(findings), "warnings__tip": "\n".join(findings) or None, "findings": findings,
            })
        names = [e.name for e in entries]
        messages += [f"{n}: given by more than one file" for n in sorted({n for n in names if names.count(n) > 1})]
        self.entries = entries if not messages else []
        current = self.current_file()
        self.model.set_rows(rows)
        fit_columns(self.table, max_width=230)
        self.table.horizontalHeader().setStretchLastSection(True)
        if current >= 0 and self.current_file() != current:
            self.table.selectRow(current)
        self._show_details()
        self.errors.clear()
        self.errors.addItems(messages or ["none: every file gives a catalog entry"])
        self.errors.setStyleSheet("QListWidget { color: %s; }" % ("#c62828" if messages else "#5f6368"))
        self.error_messages = messages
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.can_import)

    def _show_details(self) -> None:
        """The selected file's power rule and open warnings in full (the cells elide them)."""
        i = self.current_file()
        if i < 0 or i >= len(self.model.rows):
            self.details.clear()
            return
        row = self.model.rows[i]
        lines = [f"Power: {row['power_basis']}"] + [f"Warning: {w}" for w in row["findings"]]
        self.details.setText("\n".join(lines))

    @property
    def can_import(self) -> bool:
        return not self.error_messages and bool(self.entries)

    def accept(self) -> None:
        if not self.can_import:
            return
        super().accept()
