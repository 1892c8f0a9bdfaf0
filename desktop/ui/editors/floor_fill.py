"""Standing the site's fleet on a hall's floor: miners of a fleet model on the hall's empty
positions, so many a position (row by row), or emptying the hall. Both undoable.

The fleet says what a site owns; the positions say where it stands. The floor plan and the
conversions work on positions, so a portfolio built by hand needs this step."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QSpinBox

from desktop.model.errors import InputError
from desktop.store import editing, halls, sites
from desktop.store.scenario_import import MINERS_PER_POSITION
from desktop.ui.editors import edit_ops
from desktop.ui.editors.view_base import button, button_row


class FloorFillBox(QGroupBox):
    def __init__(self, panel, parent=None):
        super().__init__("Miners on the floor", parent)
        self.panel, self.ctx = panel, panel.ctx
        self.hall_id: int | None = None
        self.model_box = QComboBox()
        self.model_box.setObjectName("fillModel")
        self.model_box.currentIndexChanged.connect(self._model_changed)
        self.miners = QSpinBox()
        self.miners.setObjectName("fillMiners")
        self.miners.setRange(1, 10_000_000)
        self.miners.setGroupSeparatorShown(True)
        self.per_position = QSpinBox()
        self.per_position.setObjectName("fillPerPosition")
        self.per_position.setRange(1, 100)
        self.miners.setMaximumWidth(140)
        self.per_position.setMaximumWidth(140)
        self.place_button = button("Place", "placeMiners", self.place, "Stand these miners on the hall's empty positions")
        self.clear_button = button("Empty hall", "emptyHall", self.clear,
                                   "Take every miner off the hall's floor (positions a plan converts stay)")
        form = QFormLayout(self)
        form.addRow("Fleet model", self.model_box)
        form.addRow("Miners", self.miners)
        form.addRow("Per position", self.per_position)
        form.addRow(button_row(self.place_button, self.clear_button))

    def set_hall(self, hall_id: int | None) -> None:
        self.hall_id = hall_id
        self.reload()

    def reload(self) -> None:
        chosen = self.model_box.currentData()
        self.model_box.blockSignals(True)
        self.model_box.clear()
        site_id = self.panel.site_id
        if self.hall_id is not None and site_id is not None:
            placed = editing.placed_miners(self.ctx.project, site_id)
            for entry, model in sites.fleet(self.ctx.project, site_id):
                on_floor = placed.get(model.id, 0)
                self.model_box.addItem(f"{model.name}  ({on_floor:,} of {entry.count:,} on the floor)",
                                       (model.id, max(entry.count - on_floor, 0), model.cooling))
        index = next((i for i in range(self.model_box.count()) if chosen and self.model_box.itemData(i)[0] == chosen[0]), 0)
        self.model_box.setCurrentIndex(index if self.model_box.count() else -1)
        self.model_box.blockSignals(False)
        self._model_changed()
        writable = not self.panel.view.readonly and self.hall_id is not None
        self.place_button.setEnabled(writable and self.model_box.count() > 0)
        self.clear_button.setEnabled(writable)

    def _model_changed(self, *_args) -> None:
        data = self.model_box.currentData()
        if data:
            _, unplaced, cooling = data
            self.miners.setValue(max(unplaced, 1))
            self.per_position.setValue(MINERS_PER_POSITION.get(cooling, MINERS_PER_POSITION["air"]))

    def place(self) -> None:
        data = self.model_box.currentData()
        if self.hall_id is None or not data:
            return
        try:
            edit_ops.place_miners(self.ctx, self.hall_id, data[0], self.miners.value(), self.per_position.value())
        except InputError as exc:
            self.panel.view.report(str(exc))
            return
        self.panel.view.report("")

    def clear(self) -> None:
        if self.hall_id is None:
            return
        name = halls.get(self.ctx.project, self.hall_id).name
        if self.panel.view.confirm("Empty hall", f"Take every miner off {name}'s floor? Undo puts them back."):
            edit_ops.clear_hall(self.ctx, self.hall_id)
