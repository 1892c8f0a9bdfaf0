"""One chart on the dashboard: a title, the values under the mouse, export buttons, the plot.

`ChartPanel(title, draw)` owns a PlotWidget; `panel.show_data(*args)` calls
`draw(plot_item, *args)` (a function from charts.py) and keeps the Readout it returns for
the hover text. Export to PNG or SVG, or copy the values, from the header's Export menu or
the chart's right-click menu (the app's, not pyqtgraph's developer menu).
"""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractScrollArea, QApplication, QFrame, QGraphicsItem, QGraphicsView, QHBoxLayout, QLabel, QMenu, QMessageBox, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.model.months import month_label
from desktop.ui.save_dialog import ask_save_path
from desktop.charts import palette
from desktop.ui.dashboard import export
from desktop.charts.layers import Readout, pen


def cache_axes(plot: pg.PlotItem) -> None:
    """Paint the axes from a pixmap of themselves while their ticks stay (most edits move the
    data, not the range): an axis's tick texts cost more to draw than the rest of the chart.
    Only on screen: the PDF draws the same charts as vectors, without this."""
    for side in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(side)
        if axis.cacheMode() != QGraphicsItem.CacheMode.DeviceCoordinateCache:
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


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
        self.title_label.setObjectName("chartTitle")
        self.title_label.setStyleSheet("font-weight: 600; font-size: 10pt; color: #111827; border: none;")
        self.title_label.setWordWrap(True)   # a narrow chart wraps its title: never cut or covered
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.title_label.setMinimumWidth(120)
        self.title_label.setToolTip(title)
        header.addWidget(self.title_label, 1)
        self.tools = QHBoxLayout()
        header.addLayout(self.tools)
        self.menu = self._chart_menu()
        self.export_button = QToolButton()
        self.export_button.setObjectName("chartExport")
        self.export_button.setText("Export")
        self.export_button.setToolTip("Export this chart as PNG or SVG, or copy its values")
        self.export_button.setAutoRaise(True)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(self.menu)
        self.export_button.setStyleSheet("QToolButton { color: #6B7280; font-size: 8pt; border: none; }")
        header.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
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
        self.widget.viewport().installEventFilter(self)
        self._menu_actions()

    def _chart_menu(self) -> QMenu:
        """The app's chart menu (export, copy values), also on right-click instead of pyqtgraph's
        developer menu."""
        menu = QMenu(self)
        for fmt in ("png", "svg"):
            menu.addAction(f"Export chart as {fmt.upper()}…", lambda f=fmt: self.export_dialog(f))
        menu.addAction("Copy values", self.copy_values)
        menu.addSeparator()
        menu.addAction("Reset zoom", self.reset_zoom)
        return menu

    def reset_zoom(self) -> None:
        """Back to the whole chart after a Ctrl+wheel zoom or a pan; later edits refit it."""
        self.plot.vb.autoRange()
        self.plot._rs_manual = False

    def _menu_actions(self) -> None:
        self.plot.setMenuEnabled(False)          # no pyqtgraph ViewBox/axis menu
        self.plot.vb.setMenuEnabled(False)
        self.widget.scene().contextMenu = []     # nor its scene's Export dialog
        self.widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.widget.customContextMenuRequested.connect(
            lambda pos: self.menu.popup(self.widget.mapToGlobal(pos)))

    def eventFilter(self, watched, event) -> bool:
        """The wheel over a chart scrolls the page it is on; Ctrl+wheel zooms the chart."""
        if event.type() == QEvent.Type.Wheel and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            area = self.parentWidget()
            while area is not None and not isinstance(area, QAbstractScrollArea):
                area = area.parentWidget()
            if area is not None:
                QApplication.sendEvent(area.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)

    def values_text(self) -> str:
        """The chart's figures as tab-separated text: a month per row, a series per column
        (or a bar per row for the tornado)."""
        r = self.readout
        if r.bars:
            return "\n".join(text for text in r.bars if text)
        if not r.series or not r.months:
            return ""
        lines = ["Month\t" + "\t".join(s.name for s in r.series)]
        for i in range(r.months):
            cells = [f"{float(s.values[i]):.6g}" if i < len(s.values) else "" for s in r.series]
            lines.append(month_label(r.start_month, i) + "\t" + "\t".join(cells))
        return "\n".join(lines)

    def copy_values(self) -> None:
        QGuiApplication.clipboard().setText(self.values_text())

    def add_tool(self, widget: QWidget) -> None:
        self.tools.addWidget(widget)

    def show_data(self, *args, **kwargs) -> Readout:
        self.readout = self.draw(self.plot, *args, **kwargs) or Readout()
        if self.plot.vb.menuEnabled():   # the chart code turns pyqtgraph's menu on: ours replaces it
            self.plot.setMenuEnabled(False)
        self.updates += 1
        if self._hover is not None:   # new figures under a still pointer (an undo): say them
            self._show_readout(self._hover)
        cache_axes(self.plot)
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
