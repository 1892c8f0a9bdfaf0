"""The "Floor plan" view: a hall's rack positions under the current plan, selection, a live
preview of converting the selection to GPU racks, and the undoable conversion itself.

It reads the store (halls.positions with the plan's overlay) when the context says that
positions, conversions, halls, the catalog or the plan moved, and only while it is shown
(a hidden view marks itself stale and reloads when shown again).
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMessageBox, QSizePolicy, QSplitter, QToolButton,
                               QVBoxLayout, QWidget)
from desktop.store.errors import NotFound

from desktop.model import conversion as rules
from desktop.model.errors import InputError
from desktop.model.months import month_display, month_label
from desktop.store import catalog, checks, conversions, halls, plans, power_view, settings, sites
from desktop.ui import context as kinds
from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan import raster
from desktop.ui.floorplan.canvas import FloorCanvas
from desktop.ui.floorplan.commands import ConvertCommand, RemoveConversionsCommand, push
from desktop.ui.floorplan.panel import FloorPlanPanel
from desktop.ui.floorplan.selection import ADD, REPLACE, Selection, by_key, convertible, whole_rows

RELOAD_KINDS = {kinds.POSITIONS, kinds.CONVERSIONS, kinds.HALLS, kinds.SITES, kinds.CATALOG, kinds.FLEET, kinds.PLANS, kinds.ALL}


def _cooling(cooling: str) -> str:
    return cooling if cooling == "liquid-ready" else f"{cooling}-cooled"


class FloorPlanView(QWidget):
    selectionEdited = Signal()   # the selection changed (for tests and the self-test)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.setObjectName("floorPlanView")
        self.ctx = ctx
        self.hall_id: int | None = None
        self.table = None
        self.keys = np.zeros(0, dtype=np.int64)
        self.selection = Selection()
        self.proposal = None
        self._stale = True
        self._batching = False
        self._tree_selection = None   # the last tree selection followed (a repeat is not a new pick)
        self._build()
        self._preview_timer = QTimer(self, singleShot=True, interval=40)
        self._preview_timer.timeout.connect(self.update_preview)
        ctx.changed.connect(self._on_changed)
        ctx.selectionChanged.connect(self._on_tree_selection)
        self._fill_halls()   # the hall itself is read when the view is first shown

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.hall_combo = QComboBox()
        self.hall_combo.setObjectName("hallCombo")
        self.hall_combo.setMinimumWidth(200)
        self.hall_combo.currentIndexChanged.connect(self._hall_picked)
        self.canvas = FloorCanvas()
        self.panel = FloorPlanPanel()
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(QLabel("Hall"))
        bar.addWidget(self.hall_combo)
        for text, tip, slot in (("Fit", "Show the whole hall (0)", self.canvas.fit),
                                ("−", "Zoom out (-)", lambda: self.canvas.zoom_by(0.8)),
                                ("+", "Zoom in (+)", lambda: self.canvas.zoom_by(1.25))):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            bar.addWidget(button)
        self.zoom_label = QLabel()
        self.zoom_label.setStyleSheet("color: #5f6b7a")
        bar.addWidget(self.zoom_label)
        self.hover_label = QLabel()
        self.hover_label.setObjectName("hoverInfo")
        self.hover_label.setStyleSheet("color: #3c4650")
        # its text changes as the pointer moves: it must never widen the plan, shrink the tree
        # or move the buttons (it takes the room there is and elides)
        self.hover_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hover_label.setMinimumWidth(0)
        self.hover_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(self.hover_label, 1)
        hint = QLabel("drag: select · shift: add · ctrl: toggle · middle/right-drag or space: pan · wheel: zoom")
        hint.setStyleSheet("color: #8a94a0; font-size: 8pt")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(0)
        lv.addLayout(bar)
        lv.addWidget(self.canvas, 1)
        hint.setContentsMargins(8, 2, 8, 2)
        lv.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.canvas.picked.connect(self._picked)
        self.canvas.hovered.connect(self._hovered)
        self.canvas.zoomChanged.connect(lambda px: self.zoom_label.setText(f"{px:.1f} px / position"))
        p = self.panel
        p.convertClicked.connect(self.convert)
        p.removeClicked.connect(self.remove_conversions)
        p.wholeRowsClicked.connect(self.select_whole_rows)
        p.clearClicked.connect(lambda: self.pick(np.zeros(0, dtype=np.int64), REPLACE))
        p.modelPicked.connect(self.select_model)
        p.paramsChanged.connect(self.schedule_preview)
        p.conversionActivated.connect(self.select_conversion)

    # -- loading ------------------------------------------------------------------------------------
    def _fill_halls(self) -> None:
        project = self.ctx.project
        self.hall_combo.blockSignals(True)
        self.hall_combo.clear()
        for site in sites.sites(project):
            for hall in halls.halls(project, site.id):
                self.hall_combo.addItem(f"{site.name} · {hall.name}", hall.id)
        at = self.hall_combo.findData(self.hall_id)
        if at < 0:
            self._tree_selection = None   # the hall is gone: the tree's next pick counts, even a repeat
            if self.hall_combo.count():
                at = 0
        self.hall_combo.setCurrentIndex(at)
        self.hall_id = self.hall_combo.currentData()
        self.hall_combo.blockSignals(False)

    def _hall_picked(self, _row: int) -> None:
        self.show_hall(self.hall_combo.currentData())

    def adopt_tree_selection(self, kind: str, object_id) -> None:
        """The tree's selection when this view is built after it was made (LazyViews)."""
        self._on_tree_selection(kind, object_id)

    def _on_tree_selection(self, kind: str, object_id) -> None:
        # A view built late re-announces the tree's selection to every view; the hall picked
        # in the combo since then stays.
        if (kind, object_id) == self._tree_selection:
            return
        self._tree_selection = (kind, object_id)
        if kind == "hall":
            self.show_hall(object_id)
        elif kind == "site":
            site_halls = halls.halls(self.ctx.project, object_id)
            shown = halls.by_id(self.ctx.project, self.hall_id) if self.hall_id is not None else None
            if site_halls and (shown is None or shown.site_id != object_id):
                self.show_hall(site_halls[0].id)

    def show_hall(self, hall_id: int | None) -> None:
        if hall_id == self.hall_id and not self._stale:
            return
        self.hall_id = hall_id
        at = self.hall_combo.findData(hall_id)
        if at >= 0 and at != self.hall_combo.currentIndex():
            self.hall_combo.blockSignals(True)
            self.hall_combo.setCurrentIndex(at)
            self.hall_combo.blockSignals(False)
        self.table = None
        self._stale = True
        if self.isVisible():
            self.reload(fit=True)

    def _on_changed(self, kind: str) -> None:
        if kind not in RELOAD_KINDS:
            return
        if kind in (kinds.HALLS, kinds.SITES, kinds.ALL):
            self._fill_halls()
        self._stale = True
        if self.isVisible() and not self._batching:
            self.reload()

    @contextmanager
    def _batch(self):
        """Reload once after an edit of this view's own that notifies several times."""
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            if self._stale and self.isVisible():
                self.reload()

    def hideEvent(self, event) -> None:
        self._preview_timer.stop()   # a hidden view previews nothing (its project may be closing)
        super().hideEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def reload(self, fit: bool = False) -> None:
        """Read the hall under the current plan and redraw; keeps the selection by position id."""
        project = self.ctx.project
        self._stale = False
        try:
            hall = halls.get(project, self.hall_id) if self.hall_id is not None else None
        except NotFound:
            hall = None
        if hall is None:
            self.hall_id = None
            self.table = None
            self.panel.set_title("<b>No hall</b><br><span style='color:#5f6b7a'>Add a hall to see its floor plan.</span>")
            self.panel.set_power(None)
            return
        old_ids = None if self.table is None else self.table.ids
        fit = fit or old_ids is None
        table = halls.positions(project, hall_id=hall.id, plan_id=self.ctx.plan_id)
        models = catalog.models(project)
        palette = raster.Palette(models)
        self.table, self.palette, self.hall = table, palette, hall
        self.site = sites.get(project, hall.site_id)
        self.asics = {m.id: m for m in models if m.kind == "asic"}
        self.keys = raster.content_keys(table)
        self.hall_conversions = conversions.hall_conversions(project, self.ctx.plan_id, hall.id)
        self.breaches = checks.breaches_by_conversion(project, self.ctx.plan_id)   # derived: never stale
        breached = [c.id for c in self.hall_conversions if self.breaches.get(c.id)]
        breach = np.isin(table.conversion_ids, breached) if breached else np.zeros(len(table), dtype=bool)
        grid = geo.Grid(hall.rows, hall.cols)
        index = geo.index_grid(table.rows, table.cols, grid)
        if old_ids is None:
            self.selection.reset(len(table))
        else:
            self.selection.keep_ids(old_ids, table.ids)
        self.canvas.show_hall(grid, index, table.labels, self.keys, palette.fill(self.keys), table.unit_counts, breach,
                              palette.names, {m.id for m in models if m.kind == "gpu"}, fit=fit)
        self.canvas.item.set_selected(self.selection.mask)
        self._fill_panel(models)
        self._selection_changed(emit=False)
        self.update_preview()   # at once: the edit may have changed what the selection can do

    def _fill_panel(self, models) -> None:
        hall, site, table = self.hall, self.site, self.table
        plan_name = plans.get(self.ctx.project, self.ctx.plan_id).name if self.ctx.plan_id is not None else None
        self.panel.set_title(
            f"<span style='font-size:12pt; font-weight:600'>{site.name} · {hall.name}</span><br>"
            f"<span style='color:#5f6b7a'>{_cooling(hall.cooling)} · {hall.max_rack_kw:g} kW and "
            f"{hall.floor_load_kg:,.0f} kg per position · {hall.power_capacity_kw / 1000:,.1f} MW hall · "
            f"{len(table):,} positions ({hall.rows} × {hall.cols})<br>"
            f"Plan: <b>{plan_name or 'none yet (converting starts one)'}</b></span>")
        self.panel.set_legend(self.palette.legend(self.keys))
        self.panel.set_power(power_view.power_view(self.ctx.project, hall.id, self.ctx.plan_id))
        systems = [(m.id, m.name, f"{m.rack_power_kw or 0:g} kW a rack, {m.cooling} cooling, "
                    f"{m.weight_kg or 0:,.0f} kg") for m in models if m.kind == "gpu"]
        self.panel.set_gpu_systems(systems)
        a = settings.assumptions(self.ctx.project)
        self.start_month = a["start_month"]
        self.panel.month_spin.blockSignals(True)
        self.panel.month_spin.set_calendar(a["start_month"], int(a["horizon_months"]))
        self.panel.month_spin.blockSignals(False)
        positions = {int(c): int(n) for c, n in zip(*np.unique(table.conversion_ids, return_counts=True)) if c >= 0}
        self.panel.set_conversions([
            {"id": c.id, "label": c.label.removeprefix(f"{hall.name}: "), "month": month_display(month_label(a["start_month"], c.start_month)),
             "racks": c.racks_placed, "positions": positions.get(c.id, 0), "breaches": self.breaches.get(c.id, [])}
            for c in self.hall_conversions], plan_name)

    # -- selection ---------------------------------------------------------------------------------
    def pick(self, indices, mode: str = REPLACE) -> None:
        """Select positions (table indices) the way a click or a drag would."""
        self.selection.pick(indices, mode)
        self._selection_changed()

    def _picked(self, indices: np.ndarray, mode: str) -> None:
        if mode == "block":   # shift-click: the block from the last clicked position to this one
            i = int(indices[0])
            a = self.selection.anchor
            if a is not None and a < len(self.table):
                t = self.table
                r0, r1 = sorted((int(t.rows[a]), int(t.rows[i])))
                c0, c1 = sorted((int(t.cols[a]), int(t.cols[i])))
                indices = geo.cells_in_range(self.canvas.item.index, r0, r1 + 1, c0, c1 + 1)
            self.selection.pick(indices, ADD)
            self._selection_changed()
            return
        self.selection.pick(indices, mode)
        if len(indices) == 1:
            self.selection.anchor = int(indices[0])
        self._selection_changed()

    def select_whole_rows(self) -> None:
        if self.table is not None:
            self.pick(whole_rows(self.selection.mask, self.table.rows), REPLACE)

    def select_rows(self, first: int, last: int) -> None:
        """Select rows first..last (0-based, inclusive)."""
        if self.table is not None:
            self.pick(geo.cells_in_range(self.canvas.item.index, first, last + 1, 0, self.hall.cols), REPLACE)

    def select_model(self, key: int) -> None:
        self.pick(by_key(self.keys, key), REPLACE)

    def select_conversion(self, conversion_id: int) -> None:
        if self.table is not None:
            self.pick(np.nonzero(self.table.conversion_ids == conversion_id)[0], REPLACE)

    def selected_indices(self) -> np.ndarray:
        return self.selection.indices()

    def _selection_changed(self, emit: bool = True) -> None:
        if self.table is None:
            return
        self.canvas.item.set_selected(self.selection.mask)
        chosen = self.selection.indices()
        t = self.table
        free = chosen[t.role[chosen] == 0]
        totals = rules.selection_totals(t.model_ids[free], t.unit_counts[free], self.asics)
        totals["positions"] = len(chosen)
        self.panel.set_totals(totals)
        touched = np.unique(t.conversion_ids[chosen])
        self.panel.set_remove(0 if self.ctx.readonly else int((touched >= 0).sum()))
        self.schedule_preview()
        if emit:
            self.selectionEdited.emit()

    def _hovered(self, index: int) -> None:
        if index < 0 or self.table is None:
            self.hover_label.setText("")
            return
        t, key = self.table, int(self.keys[index])
        what = self.palette.names.get(key, "")
        if key >= 0 and key in self.asics:
            m = self.asics[key]
            what = f"{int(t.unit_counts[index])} × {m.name} · {t.unit_counts[index] * (m.power_w or 0) / 1000:,.1f} kW"
        elif key >= 0:
            what = f"GPU rack: {what}"
        cid = int(t.conversion_ids[index])
        conv = next((c for c in self.hall_conversions if c.id == cid), None)
        extra = f" · {conv.label}" + (" · ⚠ breaches" if self.breaches.get(conv.id) else "") if conv else ""
        self.hover_label.setText(f"<b>{t.labels[index]}</b> · {what}{extra}")

    # -- preview and conversion --------------------------------------------------------------------
    def schedule_preview(self) -> None:
        self._preview_timer.start()

    def _conversion_inputs(self):
        chosen = self.selection.indices()
        free, taken = convertible(chosen, self.table.role)
        gpu, month, racks = self.panel.params()
        return free, taken, gpu, month, racks

    def update_preview(self) -> None:
        """What converting the selection would do (racks, retired, MW, miners, breaches)."""
        self._preview_timer.stop()
        self.proposal = None
        if self.table is None:
            return
        free, taken, gpu, month, racks = self._conversion_inputs()
        note = f"{len(taken):,} already converted positions in the selection are left out." if len(taken) else ""
        if not len(free) or gpu is None:
            error = "" if gpu is not None else "The catalog has no GPU system."
            self.panel.set_preview(None, note or "Select positions to convert.", error)
            return
        try:
            proposal = conversions.propose(self.ctx.project, self.ctx.plan_id, self.hall_id, free, self.table, gpu,
                                           month, racks)
        except InputError as exc:
            self.panel.set_preview(None, note, str(exc))
            return
        self.proposal = proposal
        error = ""
        if proposal.racks_placed == 0:
            error = "The selection frees too little power for one GPU rack: select more positions or choose a number."
        elif self.ctx.readonly:
            error = "The project is open read-only."
        self.panel.set_preview(proposal, note, error, can_convert=not error)

    def convert(self) -> ConvertCommand | None:
        """Convert the selection (its unconverted positions) as one undoable step."""
        if self.table is None:
            return None
        free, _taken, gpu, month, racks = self._conversion_inputs()
        if gpu is None or not len(free):
            return None
        command = ConvertCommand(self.ctx, self.hall_id, free, gpu, month, racks, table=self.table)
        try:
            with self._batch():
                push(self.ctx, command)
        except InputError as exc:
            self.panel.set_preview(self.proposal, "", str(exc))
            return None
        hall = halls.get(self.ctx.project, self.hall_id).name
        done = command.proposal
        self.ctx.announce(f"Converted {done.positions:,} position{'s' if done.positions != 1 else ''} in {hall} "
                          f"({done.racks_placed:,} GPU rack{'s' if done.racks_placed != 1 else ''})")
        return command

    def remove_conversions(self) -> RemoveConversionsCommand | None:
        if self.table is None:
            return None
        chosen = self.selection.indices()
        ids = [int(c) for c in np.unique(self.table.conversion_ids[chosen]) if c >= 0]
        if not ids:
            return None
        try:
            with self._batch():
                return push(self.ctx, RemoveConversionsCommand(self.ctx, ids))
        except InputError as exc:
            QMessageBox.warning(self, "Remove conversion", str(exc))
            return None
