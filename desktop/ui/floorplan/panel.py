"""The floor plan's side panel: legend, the selection's totals, what converting it would
do, and the plan's conversions in the hall with their breaches.

The panel shows what it is given and says what the planner asked for through signals;
it never reads the store (the FloorPlanView does).
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QRadioButton, QScrollArea, QSizePolicy, QSpinBox,
                               QTreeView, QVBoxLayout, QWidget)

from desktop.ui.floorplan.month_spin import MonthSpinBox
from desktop.model.formatting import number

BREACH_COLOR = "#c5221f"
OK_COLOR = "#188038"
CONVERSION_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def swatch(color: int, kind: str) -> QPixmap:
    pix = QPixmap(14, 14)
    pix.fill(QColor.fromRgba(color))
    if kind in ("empty", "retired"):
        p = QPainter(pix)
        p.setPen(QPen(QColor("#8b929d"), 1))
        if kind == "retired":
            for k in range(-14, 14, 4):
                p.drawLine(k, 14, k + 14, 0)
        p.drawRect(0, 0, 13, 13)
        p.end()
    return pix


def _value_label() -> QLabel:
    label = QLabel("–")
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class FloorPlanPanel(QScrollArea):
    convertClicked = Signal()
    removeClicked = Signal()
    wholeRowsClicked = Signal()
    clearClicked = Signal()
    modelPicked = Signal(int)          # a content key (raster.EMPTY, RETIRED or a model id)
    paramsChanged = Signal()
    conversionActivated = Signal(int)  # a conversion id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("floorPlanPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(330)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.layout_.setContentsMargins(8, 4, 8, 8)
        self.layout_.setSpacing(8)
        self.title = QLabel()
        self.title.setObjectName("floorPlanTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.layout_.addWidget(self.title)
        self._build_power()
        self._build_legend()
        self._build_selection()
        self._build_convert()
        self._build_conversions()
        self.layout_.addStretch(1)
        self.setWidget(body)

    # -- building ----------------------------------------------------------------------------
    def _build_legend(self) -> None:
        self.legend_box = QGroupBox("Legend")
        QVBoxLayout(self.legend_box).setContentsMargins(8, 6, 8, 6)
        self.legend_body = QWidget()
        self.legend_box.layout().addWidget(self.legend_body)
        self.layout_.addWidget(self.legend_box)

    def _build_power(self) -> None:
        """The hall's IT load and the site's grid draw, today and with the plan, against their
        limits: always in view, not only inside a breach's text."""
        box = QGroupBox("Power")
        box.setObjectName("powerBox")
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.power = {key: _value_label() for key in ("hall_today", "hall_plan", "site_today", "site_plan")}
        for label in self.power.values():
            label.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("Hall today", self.power["hall_today"])
        form.addRow("Hall with plan", self.power["hall_plan"])
        form.addRow("Site grid today", self.power["site_today"])
        form.addRow("Site grid with plan", self.power["site_plan"])
        self.layout_.addWidget(box)

    def set_power(self, view) -> None:
        """`view`: desktop.store.power_view.PowerView (None: no hall)."""
        def said(value: float, limit: float, unit: str, digits: int) -> str:
            text = f"{value:,.{digits}f} of {limit:,.{digits}f} {unit}"
            return f"<span style='color:{BREACH_COLOR}'><b>{text}</b></span>" if value > limit * (1 + 1e-9) else text

        if view is None:
            for label in self.power.values():
                label.setText("–")
            return
        self.power["hall_today"].setText(said(view.hall_today_kw, view.hall_capacity_kw, "kW", 0))
        self.power["hall_plan"].setText(said(view.hall_plan_kw, view.hall_capacity_kw, "kW", 0))
        self.power["site_today"].setText(said(view.site_today_mw, view.grid_mw, "MW", 1))
        self.power["site_plan"].setText(said(view.site_plan_mw, view.grid_mw, "MW", 1))

    def _build_selection(self) -> None:
        box = QGroupBox("Selection")
        v = QVBoxLayout(box)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.totals = {key: _value_label() for key in ("positions", "miners", "hashrate", "power")}
        form.addRow("Positions", self.totals["positions"])
        form.addRow("Miners", self.totals["miners"])
        form.addRow("Hashrate", self.totals["hashrate"])
        form.addRow("Miner power", self.totals["power"])
        v.addLayout(form)
        row = QHBoxLayout()
        self.rows_button = QPushButton("Whole rows")
        self.rows_button.setToolTip("Extend the selection to the whole rows it touches (or click a row letter)")
        self.clear_button = QPushButton("Clear")
        self.rows_button.clicked.connect(self.wholeRowsClicked)
        self.clear_button.clicked.connect(self.clearClicked)
        row.addWidget(self.rows_button)
        row.addWidget(self.clear_button)
        v.addLayout(row)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("selectByModel")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(14)
        self.model_combo.setToolTip("Select every position holding this model under the plan")
        self.model_combo.activated.connect(self._model_activated)
        v.addWidget(self.model_combo)
        self.layout_.addWidget(box)

    def _build_convert(self) -> None:
        box = QGroupBox("Convert to GPU racks")
        v = QVBoxLayout(box)
        form = QFormLayout()
        self.gpu_combo = QComboBox()
        self.gpu_combo.setObjectName("gpuSystem")
        self.gpu_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.gpu_combo.setMinimumContentsLength(14)
        self.gpu_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.month_spin = MonthSpinBox()
        self.month_spin.setObjectName("conversionMonth")
        form.addRow("GPU system", self.gpu_combo)
        form.addRow("From month", self.month_spin)
        self.neutral_radio = QRadioButton("Power-neutral")
        self.neutral_radio.setToolTip("As many racks as the power the selection's miners free allows")
        self.count_radio = QRadioButton("Number:")
        self.neutral_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.neutral_radio)
        group.addButton(self.count_radio)
        self.racks_spin = QSpinBox()
        self.racks_spin.setObjectName("racksCount")
        self.racks_spin.setRange(1, 1_000_000)
        self.racks_spin.setEnabled(False)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_radio)
        count_row.addWidget(self.racks_spin, 1)
        racks = QVBoxLayout()
        racks.setSpacing(2)
        racks.addWidget(self.neutral_radio)
        racks.addLayout(count_row)
        form.addRow("Racks", racks)
        v.addLayout(form)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #dde1e6")
        v.addWidget(line)
        preview = QFormLayout()
        self.preview = {key: _value_label() for key in ("racks", "retired", "critical_it", "freed", "miners")}
        preview.addRow("GPU racks placed", self.preview["racks"])
        preview.addRow("Positions retired", self.preview["retired"])
        preview.addRow("Critical IT", self.preview["critical_it"])
        preview.addRow("Grid power freed", self.preview["freed"])
        preview.addRow("Miners removed", self.preview["miners"])
        v.addLayout(preview)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("previewNote")
        self.preview_note.setWordWrap(True)
        self.preview_note.setTextFormat(Qt.TextFormat.RichText)
        v.addWidget(self.preview_note)
        self.convert_button = QPushButton("Convert")
        self.convert_button.setObjectName("convertButton")
        self.convert_button.setDefault(True)
        self.convert_button.setStyleSheet(
            "QPushButton { background: #1a73e8; color: white; border: none; border-radius: 4px; padding: 6px 14px;"
            " font-weight: 600 } QPushButton:disabled { background: #c7cdd4; color: #f4f5f7 }"
            " QPushButton:hover:!disabled { background: #1765cc }")
        self.convert_button.clicked.connect(self.convertClicked)
        v.addWidget(self.convert_button)
        self.gpu_combo.currentIndexChanged.connect(self.paramsChanged)
        self.month_spin.valueChanged.connect(self.paramsChanged)
        self.racks_spin.valueChanged.connect(self.paramsChanged)
        self.neutral_radio.toggled.connect(self._racks_mode)
        self.layout_.addWidget(box)

    def _build_conversions(self) -> None:
        self.conversions_box = QGroupBox("Conversions in this hall")
        v = QVBoxLayout(self.conversions_box)
        self.conversions_model = QStandardItemModel(self)
        self.conversions_view = QTreeView()
        self.conversions_view.setObjectName("hallConversions")
        self.conversions_view.setModel(self.conversions_model)
        self.conversions_view.setRootIsDecorated(False)
        self.conversions_view.setUniformRowHeights(True)
        self.conversions_view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.conversions_view.setMinimumHeight(90)
        self.conversions_view.setMaximumHeight(150)
        self.conversions_view.clicked.connect(
            lambda index: self.conversionActivated.emit(int(index.siblingAtColumn(0).data(CONVERSION_ID_ROLE))))
        v.addWidget(self.conversions_view)
        self.breaches_label = QLabel()
        self.breaches_label.setObjectName("hallBreaches")
        self.breaches_label.setWordWrap(True)
        self.breaches_label.setTextFormat(Qt.TextFormat.RichText)
        v.addWidget(self.breaches_label)
        self.remove_button = QPushButton("Remove conversion")
        self.remove_button.setObjectName("removeConversion")
        self.remove_button.setToolTip("Remove the conversion of the selected converted positions (undoable)")
        self.remove_button.clicked.connect(self.removeClicked)
        v.addWidget(self.remove_button)
        self.layout_.addWidget(self.conversions_box)

    # -- inputs ---------------------------------------------------------------------------------
    def _racks_mode(self, neutral: bool) -> None:
        self.racks_spin.setEnabled(not neutral)
        self.paramsChanged.emit()

    def _model_activated(self, row: int) -> None:
        key = self.model_combo.itemData(row)
        if key is not None:
            self.modelPicked.emit(int(key))
        self.model_combo.setCurrentIndex(0)

    def params(self) -> tuple[int | None, int, int | None]:
        """(GPU model id, month offset, racks or None for power-neutral)."""
        gpu = self.gpu_combo.currentData()
        racks = None if self.neutral_radio.isChecked() else self.racks_spin.value()
        return (None if gpu is None else int(gpu)), self.month_spin.value(), racks

    # -- outputs ---------------------------------------------------------------------------------
    def set_title(self, hall_html: str) -> None:
        self.title.setText(hall_html)

    def set_gpu_systems(self, systems: list[tuple[int, str, str]]) -> None:
        current = self.gpu_combo.currentData()
        self.gpu_combo.blockSignals(True)
        self.gpu_combo.clear()
        for model_id, name, tip in systems:
            self.gpu_combo.addItem(name, model_id)
            self.gpu_combo.setItemData(self.gpu_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        at = self.gpu_combo.findData(current)
        self.gpu_combo.setCurrentIndex(max(at, 0))
        self.gpu_combo.blockSignals(False)

    def set_legend(self, rows: list[dict]) -> None:
        old = self.legend_body
        self.legend_body = QWidget()
        self.legend_box.layout().replaceWidget(old, self.legend_body)
        old.hide()
        old.deleteLater()
        grid = QGridLayout(self.legend_body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        for r, row in enumerate(rows):
            chip = QLabel()
            chip.setPixmap(swatch(row["color"], row["kind"]))
            name = QLabel(row["name"] + ("  <span style='color:#7b4fc9'>GPU</span>" if row["kind"] == "gpu" else ""))
            count = QLabel(f"{row['positions']:,}")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setStyleSheet("color: #5f6b7a")
            grid.addWidget(chip, r, 0)
            grid.addWidget(name, r, 1)
            grid.addWidget(count, r, 2)
        marker = QLabel(f"<span style='color:{BREACH_COLOR}'>◥</span>")
        grid.addWidget(marker, len(rows), 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(QLabel("Conversion with breaches"), len(rows), 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        self.model_combo.addItem("Select by model…", None)
        for row in rows:
            self.model_combo.addItem(swatch(row["color"], row["kind"]), f"{row['name']} ({row['positions']:,})", row["key"])
        self.model_combo.blockSignals(False)

    def set_totals(self, totals: dict) -> None:
        self.totals["positions"].setText(f"{totals['positions']:,}")
        self.totals["miners"].setText(f"{totals['miners']:,}")
        ths = totals["hashrate_ths"]
        self.totals["hashrate"].setText(number(ths / 1000, "PH/s") if ths >= 1000 else number(ths, "TH/s", 0))
        self.totals["power"].setText(number(totals["power_kw"], "kW", 1))
        self.rows_button.setEnabled(totals["positions"] > 0)

    def set_preview(self, proposal, note: str = "", error: str = "", can_convert: bool = False) -> None:
        if proposal is None:
            for label in self.preview.values():
                label.setText("–")
        else:
            self.preview["racks"].setText(f"{proposal.racks_placed:,}")
            self.preview["retired"].setText(f"{len(proposal.retired_positions):,}")
            self.preview["critical_it"].setText(number(proposal.critical_it_mw, "MW", 3))
            self.preview["freed"].setText(number(proposal.freed_grid_mw, "MW", 3))
            self.preview["miners"].setText(f"{sum(proposal.miners_removed.values()):,}")
        parts = []
        if error:
            parts.append(f"<span style='color:{BREACH_COLOR}'>{escape(error)}</span>")
        elif proposal is not None:
            if proposal.breaches:
                items = "".join(f"<li>{escape(b)}</li>" for b in proposal.breaches)
                parts.append(f"<b style='color:{BREACH_COLOR}'>{len(proposal.breaches)} breach"
                             f"{'es' if len(proposal.breaches) != 1 else ''}</b>"
                             f"<ul style='margin:0 0 0 -24px; color:{BREACH_COLOR}'>{items}</ul>")
            else:
                parts.append(f"<span style='color:{OK_COLOR}'>✓ No breaches: rack feed, cooling, floor load, "
                             "hall power and site grid are within limits</span>")
        if note:
            parts.append(f"<span style='color:#5f6b7a'>{escape(note)}</span>")
        self.preview_note.setText("<br>".join(parts))
        self.convert_button.setEnabled(can_convert)

    def set_conversions(self, rows: list[dict], plan_name: str | None) -> None:
        """rows: {id, label, month, racks, positions, breaches}."""
        model = self.conversions_model
        model.clear()
        model.setHorizontalHeaderLabels(["Conversion", "From", "Racks", ""])
        for row in rows:
            first = QStandardItem(row["label"])
            first.setData(row["id"], CONVERSION_ID_ROLE)
            first.setToolTip("\n".join(row["breaches"]) or "no breaches")
            flag = QStandardItem(f"⚠ {len(row['breaches'])}" if row["breaches"] else "")
            flag.setForeground(QColor(BREACH_COLOR))
            racks = QStandardItem(f"{row['racks']:,}")
            racks.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            model.appendRow([first, QStandardItem(row["month"]), racks, flag])
        view = self.conversions_view
        view.setColumnWidth(1, 60)
        view.setColumnWidth(2, 44)
        view.setColumnWidth(3, 36)
        view.header().setStretchLastSection(False)
        view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lines = [f"<li><b>{escape(r['label'])}</b>: {escape(b)}</li>" for r in rows for b in r["breaches"]]
        if lines:
            self.breaches_label.setText(f"<b style='color:{BREACH_COLOR}'>Breaches in this hall</b>"
                                        f"<ul style='margin:0 0 0 -24px; color:{BREACH_COLOR}'>{''.join(lines)}</ul>")
        elif rows:
            self.breaches_label.setText(f"<span style='color:{OK_COLOR}'>✓ No breaches in this hall</span>")
        else:
            self.breaches_label.setText("<span style='color:#5f6b7a'>No conversions in this hall yet.</span>")

    def set_remove(self, conversions: int) -> None:
        self.remove_button.setEnabled(conversions > 0)
        self.remove_button.setText("Remove conversion" if conversions <= 1 else f"Remove {conversions} conversions")
