"""The report's charts: functions that draw plain engine data into a pyqtgraph PlotItem, and
`render_chart`, which paints one into a QPainter (the PDF) as vectors.

Each chart function is `name(plot, ...)` over plain arrays, the shape the dashboard's chart
functions have (desktop/ui/dashboard/charts.py); `CHARTS` maps a name to the function used, so
a dashboard function can take a chart's place without touching the pages. Rendering: a
PlotWidget of the target's size, `scene().render(painter, target, source)` on a QPdfWriter at
96 dpi (DESIGN.md: vector output with correct axis text; never scale the painter).

Money is plotted in a unit chosen for the chart ($k, $M or $B), never in dollars: Qt's PDF
engine writes coordinates with a few decimals only, so a curve of hundreds of millions of
dollars, mapped to a few hundred points by a tiny scale factor, comes out as noise. Data
up to about 1e5 in plot units is drawn exactly.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPen

import pyqtgraph as pg

from desktop.export.pdf_layout import FONT_FAMILY
from desktop.ui.dashboard import palette
from desktop.ui.dashboard.axes import MonthAxis, PlainAxis

HALVING_INTERVAL = 210_000   # blocks between halvings of the subsidy
TICK_FONT = QFont(FONT_FAMILY, 7)


def _pen(color, width: float = 1.6, dash: bool = False) -> QPen:
    pen = pg.mkPen(color, width=width)
    pen.setCosmetic(True)
    if dash:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


class MoneyAxis(pg.AxisItem):
    """Dollars already divided by `divisor`: $10M, -$2.5M."""

    def __init__(self, divisor: float, suffix: str, orientation: str = "left"):
        super().__init__(orientation=orientation)
        self.divisor, self.suffix = divisor, suffix
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values, scale, spacing):
        digits = 0 if spacing >= 1 else min(3, int(math.ceil(-math.log10(spacing))))
        return [f"{'-' if v < 0 else ''}${abs(v):,.{digits}f}{self.suffix}" for v in values]


def money_unit(*arrays) -> tuple[float, str]:
    """(divisor, suffix) so that the largest amount is plotted between 1 and 1000."""
    biggest = max((float(np.nanmax(np.abs(a))) for a in arrays if a is not None and np.size(a)), default=0.0)
    for divisor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if biggest >= divisor:
            return divisor, suffix
    return 1.0, ""


def _scaled(unit, *arrays):
    return [None if a is None else np.asarray(a, dtype=float) / unit[0] for a in arrays]


def _axes(plot, start_month: str | None, left=None) -> None:
    items = {"left": left or PlainAxis("left")}
    if start_month is not None:
        items["bottom"] = MonthAxis(start_month)
    plot.setAxisItems(items)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=TICK_FONT, tickTextOffset=3)
        axis.setPen(pg.mkPen(palette.FOREGROUND))
        axis.setTextPen(pg.mkPen(palette.FOREGROUND))
    # one render, no second layout pass: a tick label wider than the axis would be left out
    plot.getAxis("left").setWidth(62)
    plot.showGrid(x=True, y=True, alpha=palette.GRIDLINES / 255)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def _legend(plot):
    return plot.addLegend(offset=(8, 6), labelTextSize="7pt", verSpacing=-6)


def legend_above(plot) -> None:
    """Move a chart's legend out of the data, into one row above the plot (the title's row)."""
    old = plot.legend
    if old is None or not old.items:
        return
    legend = pg.LegendItem(offset=None, labelTextSize="7pt", labelTextColor=palette.FOREGROUND, horSpacing=14,
                           frame=False, colCount=len(old.items))
    for sample, label in old.items:
        legend.addItem(sample.item, label.text)
    old.setVisible(False)
    plot.titleLabel.setVisible(False)
    plot.layout.removeItem(plot.titleLabel)
    plot.layout.addItem(legend, 0, 1, alignment=Qt.AlignmentFlag.AlignRight)
    plot.layout.setRowFixedHeight(0, 18)


def _swatch(colour) -> pg.BarGraphItem:
    """A legend entry for a filled band (the legend cannot draw a FillBetweenItem: it crashes)."""
    return pg.BarGraphItem(x=[0.0], height=[0.0], width=1.0, brush=pg.mkBrush(colour), pen=pg.mkPen(colour))


def _x(n: int) -> np.ndarray:
    return np.arange(n, dtype=float)


def cumulative_cash(plot, start_month: str, baseline_usd, plan_usd=None, payback_month=None) -> None:
    """Cumulative net cash of keeping on mining and of the plan; the payback month marked."""
    b = np.cumsum(baseline_usd)
    p = None if plan_usd is None else np.cumsum(plan_usd)
    unit = money_unit(b, p)
    b, p = _scaled(unit, b, p)
    _axes(plot, start_month, left=MoneyAxis(*unit))
    _legend(plot)
    plot.plot(_x(len(b)), b, pen=_pen(palette.BASELINE, 2), name="Keep mining")
    if p is not None:
        plot.plot(_x(len(p)), p, pen=_pen(palette.PLAN, 2), name="With the plan")
        if payback_month is not None:
            line = pg.InfiniteLine(payback_month, angle=90, pen=_pen(palette.DELTA, 1.2, dash=True),
                                   label="payback", labelOpts={"position": 0.92, "color": palette.DELTA})
            plot.addItem(line)
    plot.addItem(pg.InfiniteLine(0, angle=0, pen=_pen("#9CA3AF", 0.8)))


def revenue_mix(plot, start_month: str, mining_usd, hosting_usd, resale_usd, baseline_mining_usd=None) -> None:
    """The plan's monthly revenue, stacked: mining, hosting, miners sold; mining's line for reference."""
    total = np.asarray(mining_usd) + np.asarray(hosting_usd) + np.asarray(resale_usd)
    unit = money_unit(total, baseline_mining_usd)
    mining_usd, hosting_usd, resale_usd, baseline_mining_usd = _scaled(unit, mining_usd, hosting_usd, resale_usd,
                                                                       baseline_mining_usd)
    _axes(plot, start_month, left=MoneyAxis(*unit))
    _legend(plot)
    x = _x(len(mining_usd))
    levels = np.cumsum(np.vstack([np.zeros_like(x), mining_usd, hosting_usd, resale_usd]), axis=0)
    names = ("Mining", "Hosting", "Miners sold")
    colours = (palette.MINING, palette.HOSTING, palette.RESALE)
    curves = [plot.plot(x, levels[0], pen=pg.mkPen(None))]
    for k in range(3):
        curves.append(plot.plot(x, levels[k + 1], pen=_pen(colours[k], 0.8)))
        colour = QColor(colours[k])
        colour.setAlpha(150)
        fill = pg.FillBetweenItem(curves[k], curves[k + 1], brush=pg.mkBrush(colour))
        plot.addItem(fill)
        plot.legend.addItem(_swatch(colour), names[k])
    if baseline_mining_usd is not None:
        plot.plot(x, baseline_mining_usd, pen=_pen(palette.BASELINE, 1.4, dash=True), name="Mining if kept")


def power_by_site(plot, start_month: str, site_names, load_mw, grid_capacity_mw) -> None:
    """Each site's grid load with the plan (mining at its PUE plus hosting reserved), and its limit."""
    _axes(plot, start_month, left=PlainAxis("left"))
    _legend(plot)
    load = np.atleast_2d(np.asarray(load_mw, dtype=float))
    x = _x(load.shape[1])
    for i, name in enumerate(site_names):
        colour = palette.SERIES[i % len(palette.SERIES)]
        plot.plot(x, load[i], pen=_pen(colour, 1.8), name=str(name))
        plot.plot([x[0], x[-1]], [grid_capacity_mw[i]] * 2, pen=_pen(colour, 0.9, dash=True))
    plot.setYRange(0, float(max(np.max(grid_capacity_mw), load.max())) * 1.08, padding=0)


def hashprice(plot, start_month: str, hashprice_usd_per_ph_day, heights=None) -> None:
    """Hashprice over the horizon ($/PH/day, before pool fee), the halving marked."""
    _axes(plot, start_month, left=PlainAxis("left"))
    hp = np.asarray(hashprice_usd_per_ph_day, dtype=float)
    plot.plot(_x(len(hp)), hp, pen=_pen(palette.HASHPRICE, 2))
    _halving(plot, heights)
    plot.setYRange(0, float(np.nanmax(hp)) * 1.1, padding=0)


def halving_months(heights) -> list[int]:
    """Months in which a halving falls (every 210,000 blocks), from the heights at each month's start."""
    era = np.floor(np.asarray(heights, dtype=float) / HALVING_INTERVAL)
    return [int(m) + 1 for m in np.nonzero(np.diff(era) > 0)[0]]


def _halving(plot, heights) -> None:
    if heights is None:
        return
    for month in halving_months(heights):
        plot.addItem(pg.InfiniteLine(float(month), angle=90, pen=_pen(palette.HALVING, 1, dash=True),
                                     label="halving", labelOpts={"position": 0.9, "color": palette.HALVING}))


def cost_per_btc(plot, start_month: str, btc_price_usd, baseline_cost_usd, plan_cost_usd=None, heights=None) -> None:
    """Cost to mine a BTC (power and opex per BTC mined), against the BTC price."""
    unit = money_unit(btc_price_usd, baseline_cost_usd, plan_cost_usd)
    btc_price_usd, baseline_cost_usd, plan_cost_usd = _scaled(unit, btc_price_usd, baseline_cost_usd, plan_cost_usd)
    _axes(plot, start_month, left=MoneyAxis(*unit))
    _legend(plot)
    x = _x(len(btc_price_usd))
    plot.plot(x, btc_price_usd, pen=_pen(palette.BTC_PRICE, 2), name="BTC price")
    plot.plot(x, baseline_cost_usd, pen=_pen(palette.BASELINE, 1.8),
              name="Cost per BTC, mining", connect="finite")
    if plan_cost_usd is not None:
        plot.plot(x, plan_cost_usd, pen=_pen(palette.COST_PER_BTC, 1.4, dash=True), name="Cost per BTC, plan",
                  connect="finite")
    _halving(plot, heights)


def tornado(plot, bars: list[dict]) -> None:
    """Delta NPV with each input moved down (orange) and up (blue) around the plan's value."""
    labels = [b["label"] for b in bars]
    axis = pg.AxisItem("left")
    low = np.array([b["delta_npv_low"] for b in bars])
    high = np.array([b["delta_npv_high"] for b in bars])
    base = bars[0]["base_delta_npv_usd"] if bars else 0.0
    unit = money_unit(low, high, [base])
    low, high = _scaled(unit, low, high)
    base /= unit[0]
    plot.setAxisItems({"left": axis, "bottom": MoneyAxis(*unit, orientation="bottom")})
    for name in ("left", "bottom"):
        plot.getAxis(name).setStyle(tickFont=TICK_FONT)
        plot.getAxis(name).setTextPen(pg.mkPen(palette.FOREGROUND))
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=True, alpha=palette.GRIDLINES / 255)
    if not bars:
        return
    n = len(bars)
    y = np.arange(n)[::-1].astype(float)
    plot.addItem(pg.BarGraphItem(x0=np.minimum(low, base), x1=np.maximum(low, base), y=y, height=0.6,
                                 brush=palette.LOW, pen=pg.mkPen(None)))
    plot.addItem(pg.BarGraphItem(x0=np.minimum(high, base), x1=np.maximum(high, base), y=y, height=0.6,
                                 brush=palette.HIGH, pen=pg.mkPen(None)))
    plot.addItem(pg.InfiniteLine(base, angle=90, pen=_pen(palette.NET, 1)))
    plot.addItem(pg.InfiniteLine(0, angle=90, pen=_pen("#9CA3AF", 0.8, dash=True)))
    axis.setTicks([[(float(v), t) for v, t in zip(y, labels)]])
    axis.setWidth(120)
    plot.setYRange(-0.6, n - 0.4, padding=0)
    span = max(high.max(), low.max(), base, 0) - min(high.min(), low.min(), base, 0)
    plot.setXRange(min(high.min(), low.min(), base, 0) - 0.05 * span, max(high.max(), low.max(), base, 0) + 0.05 * span,
                   padding=0)


def mc_fan(plot, start_month: str, percentiles_usd, deterministic_usd=None, percentiles=(5, 25, 50, 75, 95)) -> None:
    """Cumulative delta cash over the market paths: 5-95 % and 25-75 % bands and the median."""
    q = np.asarray(percentiles_usd, dtype=float)
    unit = money_unit(q, deterministic_usd)
    q, deterministic_usd = _scaled(unit, q, deterministic_usd)
    _axes(plot, start_month, left=MoneyAxis(*unit))
    _legend(plot)
    x = _x(q.shape[1])
    curves = [plot.plot(x, row, pen=pg.mkPen(None)) for row in q]
    outer = pg.FillBetweenItem(curves[0], curves[4], brush=pg.mkBrush(*palette.FAN_OUTER))
    inner = pg.FillBetweenItem(curves[1], curves[3], brush=pg.mkBrush(*palette.FAN_INNER))
    plot.addItem(outer)
    plot.addItem(inner)
    plot.legend.addItem(_swatch(palette.FAN_OUTER), f"{percentiles[0]}-{percentiles[4]} %")
    plot.legend.addItem(_swatch(palette.FAN_INNER), f"{percentiles[1]}-{percentiles[3]} %")
    plot.plot(x, q[2], pen=_pen(palette.DELTA, 2), name="median")
    if deterministic_usd is not None:
        plot.plot(x, deterministic_usd, pen=_pen(palette.NET, 1.2, dash=True), name="assumed market")
    plot.addItem(pg.InfiniteLine(0, angle=0, pen=_pen("#9CA3AF", 0.8)))


CHARTS = {f.__name__: f for f in (cumulative_cash, revenue_mix, power_by_site, hashprice, cost_per_btc, tornado,
                                   mc_fan)}


def render_chart(painter, rect: QRectF, name: str, *args, **kwargs) -> None:
    """Draw chart `name` with its data into `rect` of the painter, as vectors."""
    widget = pg.PlotWidget(background=palette.BACKGROUND)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    try:
        plot = widget.getPlotItem()
        CHARTS[name](plot, *args, **kwargs)
        legend_above(plot)
        source = QRectF(0, 0, rect.width(), rect.height())
        widget.resize(int(rect.width()), int(rect.height()))
        pg.GraphicsView.setRange(widget, source, padding=0)   # the view's scene rect, not the data range
        plot.layout.activate()
        widget.scene().render(painter, rect, source)
    finally:
        widget.deleteLater()
