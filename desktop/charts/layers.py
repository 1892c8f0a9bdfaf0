"""Plumbing the chart functions share: axes of the right kind, items updated in place, the
hover readout.

A chart function is called again and again with new data (every edit). `Layer(plot)` hands
out the plot's items by key, creating each once and updating it afterwards, and removes the
ones a call no longer uses: live updates cost a `setData`, not a rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont

from desktop.charts import palette
from desktop.charts.axes import MonthAxis, PlainAxis, UsdAxis, month_text
from desktop.model.formatting import number, usd

AXES = {"usd": UsdAxis, "month": MonthAxis, "plain": PlainAxis}
AXIS_SIZE = {"left": 78, "right": 74, "bottom": 40}   # px, room for "-$1,200M" and a label


def pen(color, width: float = 2.0, style=Qt.PenStyle.SolidLine):
    p = pg.mkPen(color, width=width)
    p.setStyle(style)
    p.setCosmetic(True)
    return p


def brush(color):
    return pg.mkBrush(color if not isinstance(color, str) else QColor(color))


def ensure_axes(plot: pg.PlotItem, **kinds: str) -> None:
    """Give `plot` axes of the named kinds (left="usd", bottom="month", ...), styled."""
    swap = {}
    for side, kind in kinds.items():
        cls = AXES[kind]
        if type(plot.getAxis(side)) is not cls:
            swap[side] = cls(orientation=side)
    if swap:
        plot.setAxisItems(swap)
        for side in swap:
            style_axis(plot.getAxis(side))
    if not getattr(plot, "_rs_styled", False):
        plot._rs_styled = True
        for side in ("left", "bottom", "right", "top"):
            style_axis(plot.getAxis(side))
        plot.showGrid(x=True, y=False, alpha=palette.GRIDLINES / 255)
        plot.vb.addItem(HGrid(plot), ignoreBounds=True)
        plot._rs_manual = False   # the user zoomed or panned: edits keep the view
        plot.vb.sigRangeChangedManually.connect(lambda *_: setattr(plot, "_rs_manual", True))
        if plot.vb.menu is not None:
            plot.vb.menu.viewAll.triggered.connect(lambda *_: setattr(plot, "_rs_manual", False))
        plot.setMenuEnabled(True)
        plot.hideButtons()
    for side, size in AXIS_SIZE.items():   # fixed: text of a new width never re-lays out the plot
        axis = plot.getAxis(side)
        if side in ("left", "right") and axis.fixedWidth is None:
            axis.setWidth(size)
        elif side == "bottom" and axis.fixedHeight is None:
            axis.setHeight(size)


class HGrid(pg.GraphicsObject):
    """Horizontal grid lines at the left axis's major ticks, in one opaque drawLines call.
    (pyqtgraph's own y grid is drawn by the axis with alpha across the whole plot and costs
    a few milliseconds a paint; this costs a few microseconds.)"""

    def __init__(self, plot: pg.PlotItem):
        super().__init__()
        self.plot = plot
        self.setZValue(-100)
        self._pen = pen(palette.GRIDLINE, 1)
        self._key, self._ticks = None, []

    def viewRangeChanged(self):
        self.prepareGeometryChange()

    def boundingRect(self):
        rect = self.viewRect()
        return rect if rect is not None else QRectF()

    def paint(self, painter, *_args):
        rect = self.viewRect()
        axis = self.plot.getAxis("left")
        if rect is None or not axis.isVisible() or axis._tickLevels is not None:
            return
        lo, hi = sorted((rect.top(), rect.bottom()))
        key = (lo, hi, axis.height())
        if key != self._key:   # the axis's own tick search is slow (numpy per tick): once per range
            levels = axis.tickValues(lo, hi, max(axis.height(), 1.0))
            self._key, self._ticks = key, (levels[0][1] if levels else [])
        painter.setPen(self._pen)
        painter.drawLines([QLineF(rect.left(), y, rect.right(), y) for y in self._ticks])


def style_axis(axis: pg.AxisItem) -> None:
    axis.setPen(pg.mkPen(palette.FOREGROUND))
    axis.setTextPen(pg.mkPen(palette.FOREGROUND))
    font = QFont()
    font.setPointSizeF(8.5)
    axis.setStyle(tickFont=font, tickTextOffset=4)


def fit(plot: pg.PlotItem, x: tuple[float, float], values, include_zero: bool = True, pad: float = 0.06,
        vb: pg.ViewBox | None = None) -> tuple[float, float]:
    """Set the view to the data explicitly (no auto-range: that repaints the chart twice per
    update), unless the user has zoomed or panned. Returns the y range."""
    finite = [np.asarray(v, dtype=float).ravel() for v in values]
    finite = np.concatenate([f[np.isfinite(f)] for f in finite]) if finite else np.empty(0)
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo or abs(hi) or 1.0
    y = snap((lo - span * pad if lo < 0 or not include_zero else lo, hi + span * pad))
    if not getattr(plot, "_rs_manual", False):
        set_range(vb or plot.vb, x, y)
    return y


def nice_step(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at least `value` (> 0)."""
    exp = np.floor(np.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * 10 ** exp >= value * (1 - 1e-12):
            return float(m * 10 ** exp)
    return float(10 ** (exp + 1))


def snap(y: tuple[float, float], cells: int = 10) -> tuple[float, float]:
    """A range widened to the next multiples of a round step (about a tenth of its span), so
    that an edit that moves the data a little leaves the range, and with it the axis, as it was
    (an axis whose range changes lays out and draws all its texts again)."""
    lo, hi = y
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return y
    step = nice_step((hi - lo) / cells)
    return float(np.floor(lo / step + 1e-9) * step), float(np.ceil(hi / step - 1e-9) * step)


def set_range(vb: pg.ViewBox, x, y) -> None:
    """Set a view's range and apply it now: left to the next paint, the new transform would
    schedule a second paint of the chart. A range that is already the view's is left alone."""
    (x0, x1), (y0, y1) = vb.viewRange()
    if np.allclose([x0, x1, y0, y1], [x[0], x[1], y[0], y[1]], rtol=1e-12, atol=0):
        return
    vb.setRange(xRange=x, yRange=y, padding=0)
    vb.updateMatrix()


def set_labels(plot: pg.PlotItem, left: str | None = None, bottom: str | None = None) -> None:
    style = {"color": palette.FOREGROUND, "font-size": "9pt"}
    for side, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(side)
        if text and axis.labelText != text:
            axis.setLabel(text, **style)


def set_key(plot: pg.PlotItem, entries: list[tuple[str, object, str]]) -> None:
    """The chart's key as one line of coloured marks above the plot (it never covers data):
    entries are (label, colour, mark) with mark "line", "dash", "dot" or "box"."""
    marks = {"line": "&#9473;&#9473;", "dash": "&#9476;&#9476;", "dot": "&#8943;&#8943;", "box": "&#9632;"}
    parts = []
    for label, color, mark in entries:
        c = pg.mkColor(color)
        parts.append(f"<span style='color:{c.name()}'>{marks[mark]}</span>&nbsp;{escape(label)}")
    html = "&nbsp;&nbsp;&nbsp;".join(parts)
    if getattr(plot, "_rs_key", None) != html:
        plot._rs_key = html
        label = plot.titleLabel
        if not getattr(label, "_rs_narrow", False):
            label._rs_narrow = True
            label.updateMin = lambda: _height_only(label)   # a long key is clipped, never widens the plot
        plot.setTitle(html, size="8pt", color=palette.FOREGROUND)


def _height_only(label: pg.LabelItem) -> None:
    """LabelItem.updateMin without the width: the label asks for its text's height only."""
    height = label.itemRect().height()
    label.setMinimumWidth(0)
    label.setMinimumHeight(height)
    label._sizeHint = {Qt.SizeHint.MinimumSize: (0, height), Qt.SizeHint.PreferredSize: (0, height),
                       Qt.SizeHint.MaximumSize: (-1, -1), Qt.SizeHint.MinimumDescent: (0, 0)}
    label.updateGeometry()


class Layer:
    """The items of one chart, by key, kept between calls."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        if not hasattr(plot, "_rs_items"):
            plot._rs_items = {}
        self.items: dict = plot._rs_items
        self.used: set = set()

    def get(self, key: str, factory: Callable[[], object]):
        """The item under `key`, made by `factory` the first time."""
        item = self.items.get(key)
        if item is None:
            item = factory()
            self.plot.addItem(item)
            self.items[key] = item
        self.used.add(key)
        return item

    def curve(self, key: str, x, y, **opts) -> pg.PlotDataItem:
        item = self.get(key, lambda: pg.PlotDataItem(**opts))
        item.setData(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return item

    def done(self) -> None:
        for key in [k for k in self.items if k not in self.used]:
            item = self.items.pop(key)
            self.plot.removeItem(item)


@dataclass
class Series:
    name: str
    values: np.ndarray
    unit: str = "usd"     # usd, mw, usd_per_ph_day, btc, text

    def text(self, i: int) -> str:
        v = float(self.values[i])
        if not np.isfinite(v):
            return f"{self.name} n/a"
        if self.unit == "usd":
            return f"{self.name} {usd(v)}"
        if self.unit == "mw":
            return f"{self.name} {number(v, 'MW')}"
        if self.unit == "mwh":
            return f"{self.name} {number(v, 'MWh', 0)}"
        if self.unit == "usd_per_ph_day":
            return f"{self.name} ${v:,.2f}/PH/day"
        if self.unit == "usd_per_btc":
            return f"{self.name} ${v:,.0f}/BTC"
        return f"{self.name} {v:,.2f}"


@dataclass
class Readout:
    """What a chart says under the mouse: values by month, or by bar for the tornado."""
    start_month: str = ""
    series: list[Series] = field(default_factory=list)
    bars: list[str] = field(default_factory=list)   # one text per bar (tornado), by y index
    months: int = 0

    def text_at(self, x: float, y: float) -> str:
        if self.bars:
            i = int(round(y))
            return self.bars[i] if 0 <= i < len(self.bars) else ""
        if not self.series or self.months == 0:
            return ""
        i = int(round(x))
        if not 0 <= i < self.months:
            return ""
        return month_text(self.start_month, i) + ":  " + "   ".join(s.text(i) for s in self.series)
