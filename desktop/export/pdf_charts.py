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
from desktop.model.formatting import usd
from desktop.model.months import month_label, month_words
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


def month_words_at(detail, offset: int) -> str:
    """"Oct 2032": a chart's month with the year in full (the dashboard shortens it)."""
    return month_words(month_label(detail.months[0], int(offset)))


def revenue_cut_months(detail) -> list[tuple[int, float]]:
    """(month, amount) of every month whose bars the revenue and cost chart cuts off (the
    dashboard's scale limit, charts._scale_limit), the larger side's stack."""
    case = detail.plan if detail.plan is not None else detail.baseline
    parts = charts.monthly_parts(case)
    top = sum(parts[k] for k, _, _ in charts.REVENUE_PARTS)
    bottom = -sum(parts[k] for k, _, _ in charts.COST_PARTS)
    limit = charts._scale_limit(np.concatenate([top, -bottom]))
    if limit is None:
        return []
    ceiling = limit * 1.05
    return [(m, float(top[m] if top[m] >= -bottom[m] else bottom[m])) for m in range(len(top))
            if top[m] > ceiling or -bottom[m] > ceiling]


def revenue_note(detail) -> str:
    cut = revenue_cut_months(detail)
    if not cut:
        return ""
    return "Off scale: " + "; ".join(f"{month_words_at(detail, m)} {usd(v)}" for m, v in cut)


def hashprice_note(detail) -> str:
    """The cost per BTC past the right axis, with the month in full: "... from Oct 2032"."""
    cost = detail.baseline.cost_per_btc_usd
    over = np.flatnonzero(np.isfinite(cost) & (cost > charts._right_ceiling(detail)))
    if over.size == 0:
        return ""
    worst = int(over[np.argmax(cost[over])])
    return (f"cost per BTC off scale from {month_words_at(detail, int(over[0]))}, peak {usd(float(cost[worst]))} "
            f"in {month_words_at(detail, worst)}")


def _notes_under_months(plot: pg.PlotItem, name: str, args) -> None:
    """The PDF's annotations as words under the month axis, where they never cover a bar."""
    if name not in ("revenue_costs", "hashprice") or not args:
        return
    detail = args[0]
    if name == "revenue_costs":
        note_item = getattr(plot, "_rs_items", {}).get("note")
        if note_item is not None:
            note_item.setVisible(False)
        note, colour = revenue_note(detail), palette.FOREGROUND
    else:
        note, colour = hashprice_note(detail), palette.COST_PER_BTC
    bottom = plot.getAxis("bottom")
    bottom.setLabel(note, color=colour, **{"font-size": "8pt"})
    bottom.showLabel(bool(note))


def vector_points(scene) -> int:
    """Scatter points (the crossover dot) drawn as vector shapes, not the pixmaps pyqtgraph
    caches for the screen; returns how many scatter items were switched."""
    n = 0
    for item in scene.items():
        if isinstance(item, pg.ScatterPlotItem):
            item.opts["useCache"] = False
            n += 1
    return n


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
        _notes_under_months(plot, name, args)
        vector_points(widget.scene())
        plot.layout.activate()                                  # the key's row and the axes at their sizes
        plot.vb.updateMatrix()
        widget.scene().render(painter, rect, source)
    finally:
        widget.deleteLater()
