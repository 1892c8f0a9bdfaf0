"""One chart on the dashboard: a title, the values under the mouse, export buttons, the plot.

`ChartPanel(title, draw)` owns a PlotWidget; `panel.show_data(*args)` calls
`draw(plot_item, *args)` (a function from charts.py) and keeps the Readout it returns for
the hover text. Export to PNG or SVG from the header buttons or the plot's context menu.
"""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QFrame, QGraphicsView, QHBoxLayout, QLabel, QMessageBox, QSizePolicy, QToolButton, QVBoxLayout,
                               QWidget)

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.ui.save_dialog import ask_save_path
from desktop.charts import palette
from desktop.ui.dashboard import export
from desktop.charts.layers import Readout, pen


class ChartPanel(QFrame):
    hovered = Signal(str)

    def __init__(self, title: str, draw, parent: QWidget | None = None, name: str = ""):
        super().__init__(parent)
        self.setObjectName(name or "chart")
        self.title, self.draw = title, draw
        self.readout = Readout()
        self._hover: QPointF | None = None   # where the pointer is, in data coordinates
        self.updates = 0
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("ChartPanel { background: white; border: 1px solid #E5E7EB; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(2)
        header = QHBoxLayout()
        self.title_label = QLabel(title)
        self.title_label.setStyleSheet("font-weight: 600; font-size: 10pt; color: #111827; border: none;")
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title_label.setMinimumWidth(120)
        self.title_label.setToolTip(title)
        header.addWidget(self.title_label, 1)
        self.tools = QHBoxLayout()
        header.addLayout(self.tools)
        for fmt in ("PNG", "SVG"):
            button = QToolButton()
            button.setText(fmt)
            button.setToolTip(f"Export this chart as {fmt}")
            button.setAutoRaise(True)
            button.setStyleSheet("QToolButton { color: #6B7280; font-size: 8pt; border: none; }")
            button.clicked.connect(lambda _=False, f=fmt.lower(): self.export_dialog(f))
            header.addWidget(button)
        layout.addLayout(header)
        self.readout_label = QLabel(" ")
        self.readout_label.setStyleSheet("color: #4B5563; font-size: 8pt; border: none;")
        self.readout_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readout_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.readout_label)
        self.widget = pg.PlotWidget(background=palette.BACKGROUND)
        self.widget.setMinimumHeight(180)
        # an update changes most of a chart: one full repaint beats many fragments (each
        # fragment would paint the grid and the axes again)
        self.widget.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        layout.addWidget(self.widget, 1)
        self.crosshair = pg.InfiniteLine(angle=90, movable=False, pen=pen("#9CA3AF", 1))
        self.crosshair.setVisible(False)
        self.plot.addItem(self.crosshair, ignoreBounds=True)
        self.plot.items.remove(self.crosshair)  # not a data item: plot.clear() and the legend leave it
        self.widget.scene().sigMouseMoved.connect(self._mouse_moved)
        self._menu_actions()

    def _menu_actions(self) -> None:
        actions = []
        for fmt in ("png", "svg"):
            action = QAction(f"Export chart as {fmt.upper()}…", self)
            action.triggered.connect(lambda _=False, f=fmt: self.export_dialog(f))
            actions.append(action)
        self.widget.scene().contextMenu = actions   # instead of pyqtgraph's dialog (its SVG fails on this Qt)

    def add_tool(self, widget: QWidget) -> None:
        self.tools.addWidget(widget)

    def show_data(self, *args, **kwargs) -> Readout:
        self.readout = self.draw(self.plot, *args, **kwargs) or Readout()
        self.updates += 1
        if self._hover is not None:   # new figures under a still pointer (an undo): say them
            self._show_readout(self._hover)
        return self.readout

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.vb
        if not vb.sceneBoundingRect().contains(pos):
            self.crosshair.setVisible(False)
            self._hover = None
            return
        self._hover = vb.mapSceneToView(pos)
        self._show_readout(self._hover)

    def _show_readout(self, point: QPointF) -> None:
        text = self.readout.text_at(point.x(), point.y())
        if self.readout.months:
            self.crosshair.setValue(round(point.x()))
            self.crosshair.setVisible(bool(text))
        self.readout_label.setText(text or " ")
        self.widget.setToolTip(text)
        self.hovered.emit(text)

    def export_to(self, path: str | Path) -> None:
        export.export(self.widget, path, self.title)

    def export_dialog(self, fmt: str) -> None:
        name = self.title.lower().replace(" ", "-").replace("/", "-")
        path = ask_save_path(self, f"Export {self.title}", f"{name}.{fmt}",
                             "PNG image (*.png)" if fmt == "png" else "SVG drawing (*.svg)", "." + fmt)
        if not path:
            return
        try:
            self.export_to(path)
        except InputError as exc:
            QMessageBox.warning(self, "Export", field_words.explain(exc.field, exc.message))
