"""The report's charts: the dashboard's own chart functions, painted into the PDF as vectors.

desktop/charts/charts.py draws each chart from plain engine data into any pyqtgraph
PlotItem; the PDF uses the same functions, so the document and the screen agree. The one
chart the dashboard has no function for, every site's grid load in one plot, is here, built
with the dashboard's helpers (desktop/charts/layers.py) so it looks the same.

`render_chart(painter, rect, name, *args)` makes a PlotWidget of the target's size, draws
chart `name` into it and paints its scene with `scene().render(painter, target, source)` on
the QPdfWriter at 96 dpi (DESIGN.md: vector output with correct axis text; the painter is
never scaled). The chart functions set their view ranges explicitly (`layers.fit`), which
matters here: a range left to auto-range is applied during the render, too late for part of
the scene, and curves of large numbers (hundreds of millions of dollars) come out garbled.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt

import pyqtgraph as pg

from desktop.charts import charts, debt_chart, palette
from desktop.charts.layers import Layer, Readout, Series, ensure_axes, fit, pen, set_key, set_labels

DASH = Qt.PenStyle.DashLine


def draw_site_power(plot: pg.PlotItem, detail) -> Readout:
    """Each site's grid load with the plan (mining at its PUE plus hosting reserved), and each
    site's grid capacity dashed in the same colour."""
    ensure_axes(plot, left="plain", bottom="month")
    layer = Layer(plot)
    case = detail.plan if detail.plan is not None else detail.baseline
    x = charts._month_axis(plot, detail)   # the axis reads dates from the scenario's start month
    keys, series = [], []
    capacity = np.asarray(detail.grid_capacity_by_month_mw, dtype=float)   # (S, M): with the grid schedules
    for i, name in enumerate(detail.site_names):
        colour = palette.SERIES[i % len(palette.SERIES)]
        load = np.asarray(case.grid_load_mw[i], dtype=float)
        layer.curve(f"load{i}", x, load, pen=pen(colour, 2.0))
        layer.curve(f"grid{i}", np.arange(len(x) + 1) - 0.5, capacity[i], stepMode="center", pen=pen(colour, 1.0, DASH))
        keys.append((str(name), colour, "line"))
        series.append(Series(str(name), load, "mw"))
    layer.done()
    fit(plot, charts.x_range(detail), [case.grid_load_mw, capacity * 1.06], pad=0.0)
    set_key(plot, keys + [("grid capacity", palette.FOREGROUND, "dash")])
    set_labels(plot, left="MW from the grid")
    return Readout(detail.months[0], series, months=len(x))


CHARTS = {
    "cumulative_cash": charts.draw_cumulative_cash,    # (detail)
    "revenue_costs": charts.draw_revenue_costs,        # (detail)
    "site_power": draw_site_power,                     # (detail)
    "hashprice": charts.draw_hashprice,                # (detail): hashprice, cost per BTC, BTC price
    "tornado": charts.draw_tornado,                    # (tornado bars)
    "fan": charts.draw_fan,                            # (MonteCarloResult, detail)
    "debt": debt_chart.draw_debt,                      # (detail): owed, drawn, debt service, CFADS, DSCR
}


def render_chart(painter, rect: QRectF, name: str, *args, **kwargs) -> None:
    """Draw chart `name` with its data into `rect` of the painter, as vectors."""
    widget = pg.PlotWidget(background=palette.BACKGROUND)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    try:
        source = QRectF(0, 0, rect.width(), rect.height())
        widget.resize(int(rect.width()), int(rect.height()))
        pg.GraphicsView.setRange(widget, source, padding=0)   # the scene's rect (PlotWidget.setRange is the data's)
        plot = widget.getPlotItem()
        plot.layout.activate()
        CHARTS[name](plot, *args, **kwargs)
        plot.layout.activate()                                  # the key's row and the axes at their sizes
        plot.vb.updateMatrix()
        widget.scene().render(painter, rect, source)
    finally:
        widget.deleteLater()
