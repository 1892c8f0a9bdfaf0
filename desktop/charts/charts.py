"""The dashboard's charts as functions of plain data: the engine's `Detail`
(desktop.model.engine.evaluate_detail), a tornado list (desktop.model.sensitivity.tornado) or
a `MonteCarloResult` (desktop.model.montecarlo.simulate), drawn into any pyqtgraph PlotItem.

    plot = pg.PlotWidget().getPlotItem()
    draw_cumulative_cash(plot, detail)

Each function sets the plot's axes (months as dates, dollars as $M), draws or updates its
items in place (call it again with new data, it costs a setData), and returns a `Readout`,
which the dashboard uses for the hover text. The PDF report draws with the same functions.
x is the month index (0 = the scenario's start month) everywhere.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.model import finance
from desktop.model.bitcoin import HALVING_INTERVAL_BLOCKS
from desktop.charts import palette
from desktop.charts.axes import MonthAxis, month_text
from desktop.charts.layers import Layer, Readout, Series, brush, ensure_axes, fit, pen, set_key, set_labels, snap
from desktop.charts.risk_charts import draw_fan, draw_tornado  # noqa: F401  (one import point)
from desktop.model.formatting import usd

DASH = Qt.PenStyle.DashLine
DOT = Qt.PenStyle.DotLine


def x_range(detail) -> tuple[float, float]:
    return -0.5, len(detail.months) - 0.5


def _month_axis(plot: pg.PlotItem, detail) -> np.ndarray:
    axis = plot.getAxis("bottom")
    if isinstance(axis, MonthAxis):
        axis.set_start(detail.months[0])
    return np.arange(len(detail.months), dtype=float)


def _vline(layer: Layer, key: str, x: float, text: str, color: str, style=DASH, months: int = 0,
           left_after: float = 0.5) -> pg.InfiniteLine:
    """A vertical marker with its text beside it: right of it, or left of it past
    `left_after` of the horizon (so the text stays inside the plot)."""
    line = layer.get(key, lambda: pg.InfiniteLine(
        angle=90, movable=False, pen=pen(color, 1.5, style),
        label="", labelOpts={"position": 0.93, "color": color, "fill": (255, 255, 255, 210)}))
    side = (1, 0.5) if months and x > left_after * months else (0, 0.5)
    if getattr(line, "_rs_shown", None) == (x, text, side):
        return line          # as it was: setting it again would lay out its text again
    line._rs_shown = (x, text, side)
    line.setValue(x)
    line.label.setFormat(text)
    line.label.anchors = [side, side]
    line.label.updatePosition()
    return line


def crossover_month(detail) -> int | None:
    """First month the plan's cumulative cash is back at or above the baseline's after being
    below it (ECONOMICS.md's payback), or None (never below, or never back)."""
    if detail.plan is None:
        return None
    month, was_below = finance.recovery_month(detail.delta_cash_usd)
    return month if was_below else None


def halving_months(detail) -> list[float]:
    """Fractional month positions of the halvings inside the horizon."""
    heights, blocks = detail.market.heights, detail.market.blocks
    out = []
    era = int(heights[0] // HALVING_INTERVAL_BLOCKS) + 1
    while era * HALVING_INTERVAL_BLOCKS < heights[-1] + blocks[-1]:
        target = era * HALVING_INTERVAL_BLOCKS
        m = int(np.searchsorted(heights, target, side="right") - 1)
        out.append(m + (target - heights[m]) / blocks[m])
        era += 1
    return out


CASH_VIEW_SHORT = {("project", "aftertax"): "after tax", ("project", "pretax"): "before tax",
                   ("equity", "aftertax"): "equity, after tax", ("equity", "pretax"): "equity, before tax"}
CASH_VIEW_TEXT = {("project", "aftertax"): "project, after tax", ("project", "pretax"): "project, before tax",
                  ("equity", "aftertax"): "equity, after tax and debt", ("equity", "pretax"): "equity, before tax"}


def draw_cumulative_cash(plot: pg.PlotItem, detail, view: str = "project", basis: str = "aftertax") -> Readout:
    """Cumulative cash, keeping on mining against the plan, with the crossover marked; `view`
    "project" or "equity" (after debt), `basis` "aftertax" or "pretax" (desktop.model.finance_view).
    The terminal value is a distinct step at the horizon (a thick vertical bar from the operating
    cash up or down by the value), never mixed into the months' cash."""
    from desktop.model import finance_view

    ensure_axes(plot, left="usd", bottom="month")
    layer = Layer(plot)
    x = _month_axis(plot, detail)
    base = np.cumsum(finance_view.cash_series(detail, "baseline", view, basis))
    layer.curve("baseline", x, base, name="Keep mining", pen=pen(palette.BASELINE, 2.5))
    series = [Series("Keep mining", base)]
    ends = [("baseline", base, finance_view.terminal_value(detail, "baseline"), palette.BASELINE)]
    keys = [("Keep mining", palette.BASELINE, "line")]
    if detail.plan is not None:
        monthly = finance_view.cash_series(detail, "plan", view, basis)
        plan = np.cumsum(monthly)
        layer.curve("plan", x, plan, name="Plan", pen=pen(palette.PLAN, 2.5))
        series += [Series("Plan", plan), Series("Δ", plan - base)]
        ends.append(("plan", plan, finance_view.terminal_value(detail, "plan"), palette.PLAN))
        keys.append(("Plan", palette.PLAN, "line"))
        shown = monthly - finance_view.cash_series(detail, "baseline", view, basis)   # the delta as drawn,
        shown[-1] += ends[1][2] - ends[0][2]                                            # with the terminal values
        month, was_below = finance.recovery_month(shown)
        month = month if was_below else None
        if month is not None:
            _vline(layer, "crossover", month, f" Crossover {month_text(detail.months[0], month)} ", palette.DELTA,
                   months=len(x))
            dot = layer.get("crossover_dot", lambda: pg.ScatterPlotItem(
                size=10, pen=pen("#FFFFFF", 1.5), brush=brush(palette.DELTA)))
            dot.setData([float(month)], [float(plan[month])])
    extents = [s.values for s in series[:2]]
    last = float(len(x) - 1)
    for key, values, tv, color in ends:
        if tv:
            top = float(values[-1]) + tv
            layer.curve(f"tv_{key}", [last + 0.35, last + 0.35], [float(values[-1]), top],
                        pen=pen(color, 6), name=f"Terminal value ({key})")
            label = layer.get(f"tv_{key}_text", lambda c=color: pg.TextItem(color=c, anchor=(1, 0.5),
                                                                             fill=(255, 255, 255, 210)))
            label.setText(f"TV {usd(tv)}")
            label.setPos(last - 0.5, (float(values[-1]) + top) / 2)   # beside the step, half way up
            extents.append([top])
    has_tv = any(tv for *_, tv, _c in ends)
    if has_tv:
        keys.append(("Terminal value (at the horizon)", palette.DELTA, "box"))
    zero = layer.get("zero", lambda: pg.InfiniteLine(angle=0, movable=False, pen=pen(palette.FOREGROUND, 1, DOT)))
    zero.setValue(0.0)
    layer.done()
    fit(plot, (-0.5, len(x) + 0.5) if has_tv else x_range(detail), extents)
    set_key(plot, keys)
    set_labels(plot, left="cumulative cash")   # the view is named by the title or the dashboard's toggle
    return Readout(detail.months[0], series, months=len(x))


REVENUE_PARTS = [("mining_revenue_usd", "Mining", palette.MINING),
                 ("hosting_revenue_usd", "Hosting", palette.HOSTING),
                 ("resale_usd", "Resale", palette.RESALE)]
COST_PARTS = [("power_cost_usd", "Power", palette.POWER),
              ("opex_usd", "Opex", palette.OPEX),
              ("capex_usd", "Capex", palette.CAPEX)]


def monthly_parts(case) -> dict[str, np.ndarray]:
    """Portfolio totals (M,) of a case's revenues and costs, by part."""
    return {key: np.asarray(getattr(case, key)).sum(axis=0) for key, _, _ in REVENUE_PARTS + COST_PARTS}


def draw_revenue_costs(plot: pg.PlotItem, detail, case: str = "plan") -> Readout:
    """Monthly revenue by source stacked up, costs stacked down, and the net cash line.
    `case` is "plan" (the baseline when there is no plan) or "baseline"."""
    ensure_axes(plot, left="usd", bottom="month")
    layer = Layer(plot)
    chosen = detail.plan if case == "plan" and detail.plan is not None else detail.baseline
    x = _month_axis(plot, detail)
    parts = monthly_parts(chosen)
    series, extremes = [], []
    for sign, group in ((1.0, REVENUE_PARTS), (-1.0, COST_PARTS)):
        bottom = np.zeros_like(x)
        for key, label, color in group:
            height = sign * parts[key]
            bar = layer.get(key, lambda c=color, n=label: pg.BarGraphItem(
                x=x, height=np.zeros_like(x), width=0.85, brush=brush(c), pen=pg.mkPen(None), name=n))
            bar.setOpts(x=x, height=height, y0=bottom, width=0.85)
            bottom = bottom + height
            series.append(Series(label, parts[key]))
        extremes.append(bottom)
    net = chosen.cash_usd - chosen.terminal_value_usd   # the months' own cash: the terminal value is not a month's
    layer.curve("net", x, net, name="Net cash", pen=pen(palette.NET, 1.8))
    series.append(Series("Net", net))
    top, bottom_ = extremes[0], extremes[1]
    limit = _scale_limit(np.concatenate([top, -bottom_]))
    note = layer.get("note", lambda: pg.TextItem(color=palette.FOREGROUND, anchor=(1, 0), fill=(255, 255, 255, 220)))
    if limit is not None:
        worst = int(np.argmax(np.maximum(top, -bottom_)))
        value = top[worst] if top[worst] >= -bottom_[worst] else bottom_[worst]
        note.setText(f"off scale: {month_text(detail.months[0], worst)} {usd(value)}")
        note.setPos(len(x) - 0.5, limit * 1.05)
        note.setVisible(True)
        fit(plot, x_range(detail), [[-limit * 1.05, limit * 1.05]])
    else:
        note.setVisible(False)
        fit(plot, x_range(detail), extremes + [net])
    layer.done()
    keys = [(label, color, "box") for _, label, color in REVENUE_PARTS + COST_PARTS
            if np.any(parts[_] != 0) or _ in ("mining_revenue_usd", "power_cost_usd")]
    set_key(plot, keys + [("Net cash", palette.NET, "line")])
    set_labels(plot, left="per month")
    return Readout(detail.months[0], series, months=len(x))


def _scale_limit(extents: np.ndarray) -> float | None:
    """A y limit that keeps ordinary months readable when one or two months (a GPU purchase, a
    capex instalment) are far larger; None when nothing stands out."""
    extents = np.abs(extents[np.isfinite(extents)])
    if extents.size < 12:
        return None
    typical = float(np.percentile(extents, 90))
    most = float(extents.max())
    return typical * 1.6 if typical > 0 and most > 4 * typical else None


def site_power(detail, site: int | None = None, case: str = "plan") -> dict[str, np.ndarray | float]:
    """Grid MW of mining (miners x PUE) and hosting (critical IT x PUE) for one site (or all),
    the grid capacity month by month (with the grid schedules; `grid_mw` is month 0's), and
    the energy yielded to firm load and curtailed, in MWh a month and as its average MW."""
    chosen = detail.plan if case == "plan" and detail.plan is not None else detail.baseline
    pue = np.array([s["pue_mining"] for s in detail.scenario["sites"]])[:, None]
    mining = chosen.mining_mw * pue
    hosting = chosen.hosting_mw_reserved
    rows = slice(None) if site is None else slice(site, site + 1)
    capacity = np.asarray(detail.grid_capacity_by_month_mw)[rows].sum(axis=0)
    hours = 24.0 * detail.market.days
    yielded = chosen.grid_yielded_mwh[rows].sum(axis=0)
    curtailed = chosen.curtailed_mwh[rows].sum(axis=0)
    return {"mining_mw": mining[rows].sum(axis=0), "hosting_mw": hosting[rows].sum(axis=0),
            "grid_mw": float(capacity[0]), "grid_by_month_mw": capacity,
            "yielded_mwh": yielded, "curtailed_mwh": curtailed,
            "yielded_avg_mw": yielded / hours, "curtailed_avg_mw": curtailed / hours}


def draw_power(plot: pg.PlotItem, detail, site: int | None = None) -> Readout:
    """Grid power over time for one site (index into detail.site_names; None: all sites):
    mining and hosting MW stacked, the grid capacity as a stepped line (it follows the grid
    schedule), and the mining energy yielded to firm load and curtailed (average MW of each
    month; the readout gives the month's MWh)."""
    ensure_axes(plot, left="plain", bottom="month")
    layer = Layer(plot)
    x = _month_axis(plot, detail)
    p = site_power(detail, site)
    total = p["mining_mw"] + p["hosting_mw"]
    layer.curve("hosting", x, total, name="Hosting (reserved)", pen=pen(palette.HOSTING, 1.5),
                fillLevel=0.0, fillBrush=brush("#93C5FD"))
    layer.curve("mining", x, p["mining_mw"], name="Mining", pen=pen(palette.MINING, 1.5),
                fillLevel=0.0, fillBrush=brush("#FCD34D"))
    capacity = p["grid_by_month_mw"]
    layer.curve("grid", np.arange(len(x) + 1) - 0.5, capacity, stepMode="center", name="Grid capacity",
                pen=pen(palette.GRID, 2, DASH))
    text = layer.get("grid_text", lambda: pg.TextItem(color=palette.GRID, anchor=(1, 1)))
    words = (f"Grid {capacity[-1]:,.0f} MW" if np.ptp(capacity) == 0 else
             f"Grid {capacity[0]:,.0f} to {capacity[-1]:,.0f} MW")
    if text.toPlainText() != words:   # setting the same text again lays it out again
        text.setText(words)
    text.setPos(len(x) - 0.5, float(capacity[-1]))
    keys = [("Mining", palette.MINING, "box"), ("Hosting (reserved)", palette.HOSTING, "box"),
            ("Grid capacity", palette.GRID, "dash")]
    series = [Series("Mining", p["mining_mw"], "mw"), Series("Hosting", p["hosting_mw"], "mw"),
              Series("Total", total, "mw")]
    for key, label, color in (("yielded", "Yielded to firm load", palette.DELTA),
                              ("curtailed", "Curtailed", palette.COST_PER_BTC)):
        if np.any(p[f"{key}_mwh"] > 0):
            layer.curve(key, x, p[f"{key}_avg_mw"], name=label, pen=pen(color, 1.8, DOT))
            keys.append((f"{label} (avg MW)", color, "dot"))
            series.append(Series(f"{label} MWh", p[f"{key}_mwh"], "mwh"))
    layer.done()
    fit(plot, x_range(detail), [total, [float(capacity.max()) * 1.06]], pad=0.0)
    set_key(plot, keys)
    set_labels(plot, left="MW from the grid")
    return Readout(detail.months[0], series, months=len(x))


def _right_view(plot: pg.PlotItem) -> pg.ViewBox:
    """A second ViewBox on the plot's right axis, sharing x (made once)."""
    vb = getattr(plot, "_rs_right", None)
    if vb is None:
        vb = pg.ViewBox(enableMenu=False)
        vb.setParentItem(plot)
        vb.setZValue(plot.vb.zValue() + 1)
        vb.setXLink(plot.vb)
        plot.showAxis("right")
        plot.getAxis("right").linkToView(vb)

        def follow(*_):
            vb.setGeometry(plot.vb.geometry())
        plot.vb.sigResized.connect(follow)
        follow()
        plot._rs_right = vb
        plot._rs_right_items = {}
    return vb


def _right_ceiling(detail) -> float:
    """The top of the right ($/BTC) axis: the cost per BTC, but at most 2.5 x the highest BTC
    price (past that the cost is off scale and the BTC price line would flatten), 10 % headroom,
    up to the next round step of a twentieth of it (so a small price edit leaves the axis, and
    the off-scale note under the months, as they were)."""
    cost, price = detail.baseline.cost_per_btc_usd, detail.market.btc_price_usd
    finite = cost[np.isfinite(cost)]
    top = min(float(finite.max()) if finite.size else 0.0, 2.5 * float(price.max()))
    return snap((0.0, max(top, float(price.max())) * 1.1), cells=20)[1]   # a small edit keeps it


def cut_at(x: np.ndarray, y: np.ndarray, ceiling: float) -> tuple[np.ndarray, np.ndarray]:
    """The curve (x, y) with every part above `ceiling` left out: a segment that crosses it
    ends (or starts) exactly on it, and the months above it are NaN (a gap with
    connect="finite"). The drawn data never leave the plot, whatever the renderer clips."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    above = y > ceiling
    if not above.any():
        return x, y
    xs, ys = [], []
    for i in range(len(x)):
        if i and np.isfinite(y[i - 1]) and np.isfinite(y[i]) and above[i] != above[i - 1]:
            t = (ceiling - y[i - 1]) / (y[i] - y[i - 1])   # the crossing, on the ceiling
            xs.append(x[i - 1] + t * (x[i] - x[i - 1]))
            ys.append(ceiling)
            if above[i]:
                xs.append(xs[-1])
                ys.append(np.nan)   # the gap starts at the crossing
        xs.append(x[i])
        ys.append(np.nan if above[i] else y[i])
    return np.array(xs), np.array(ys)


def off_scale_text(detail, cost: np.ndarray, ceiling: float) -> str:
    """What the chart says under its x axis when the cost per BTC runs past the right axis
    ("" when it never does): from when, and how high it goes."""
    over = np.flatnonzero(np.isfinite(cost) & (cost > ceiling))
    if over.size == 0:
        return ""
    worst = int(over[np.argmax(cost[over])])
    return (f"cost per BTC off scale from {month_text(detail.months[0], int(over[0]), short=True)}, "
            f"peak {usd(float(cost[worst]))}")


HALVING_TEXT_HEIGHTS = (0.93, 0.8, 0.67)


def draw_hashprice(plot: pg.PlotItem, detail) -> Readout:
    """Hashprice ($/PH/day, left axis) and, on the right, the cost to mine one BTC against the
    BTC price; the halvings marked."""
    ensure_axes(plot, left="plain", bottom="month", right="usd")
    layer = Layer(plot)
    x = _month_axis(plot, detail)
    hashprice = detail.market.hashprice_usd_per_ph_day
    layer.curve("hashprice", x, hashprice, name="Hashprice ($/PH/day, left)", pen=pen(palette.HASHPRICE, 2.5))
    cost = detail.baseline.cost_per_btc_usd
    price = detail.market.btc_price_usd
    ceiling = _right_ceiling(detail)
    for i, month in enumerate(halving_months(detail)):
        line = _vline(layer, f"halving{i}", month, f" Halving {month_text(detail.months[0], month)[-4:]} ", palette.HALVING,
                      months=len(x), left_after=0.75)
        line.label.setPosition(HALVING_TEXT_HEIGHTS[i % 3])   # texts at 3 heights: neighbours never overlap,
        # even on a narrow chart (halvings 4 years apart: the same height comes back 12 years on)
    vb = _right_view(plot)
    right = plot._rs_right_items
    for key, values, name, color, style in (("cost", cost, "Cost per BTC (right)", palette.COST_PER_BTC, DASH),
                                            ("price", price, "BTC price (right)", palette.BTC_PRICE, DOT)):
        item = right.get(key)
        if item is None:
            item = right[key] = pg.PlotDataItem(name=name, pen=pen(color, 2.2, style))
            vb.addItem(item)
        item.setData(*cut_at(x, np.where(np.isfinite(values), values, np.nan), ceiling), connect="finite")
    layer.done()
    fit(plot, x_range(detail), [hashprice], pad=0.12)
    if not plot._rs_manual:
        vb.setYRange(0.0, ceiling, padding=0)
        vb.updateMatrix()
    set_key(plot, [("Hashprice", palette.HASHPRICE, "line"), ("Cost per BTC (right)", palette.COST_PER_BTC, "dash"),
                   ("BTC price (right)", palette.BTC_PRICE, "dot")])
    set_labels(plot, left="hashprice, $/PH/day")
    if plot.getAxis("right").labelText != "per BTC":   # setting it again lays the axis out again
        plot.getAxis("right").setLabel("per BTC", color=palette.FOREGROUND, **{"font-size": "9pt"})
    note, bottom = off_scale_text(detail, cost, ceiling), plot.getAxis("bottom")
    if note != (bottom.labelText if bottom.label.isVisible() else ""):   # under the months: it never covers data
        bottom.setLabel(note, color=palette.COST_PER_BTC, **{"font-size": "8pt"})
        bottom.showLabel(bool(note))
    series = [Series("Hashprice", hashprice, "usd_per_ph_day"), Series("Cost/BTC", cost, "usd_per_btc"),
              Series("BTC", price, "usd_per_btc")]
    return Readout(detail.months[0], series, months=len(x))


def draw_compare_cash(plot: pg.PlotItem, runs: list[tuple[str, object]], view: str = "project",
                      basis: str = "aftertax") -> Readout:
    """Cumulative cash of several plans (name, Detail) overlaid, with keeping on mining (taken
    from the first) as the reference; project or equity, before or after tax
    (desktop.model.finance_view). Each terminal value is a step at the horizon, as on the dashboard."""
    from desktop.model import finance_view

    ensure_axes(plot, left="usd", bottom="month")
    layer = Layer(plot)
    if not runs:
        layer.done()
        return Readout()
    first = runs[0][1]
    x = _month_axis(plot, first)
    base = np.cumsum(finance_view.cash_series(first, "baseline", view, basis))
    layer.curve("baseline", x, base, name="Keep mining", pen=pen(palette.BASELINE, 2.5, DASH))
    series = [Series("Keep mining", base)]
    keys = [("Keep mining", palette.BASELINE, "dash")]
    ends = [("baseline", base, finance_view.terminal_value(first, "baseline"), palette.BASELINE)]
    for i, (name, detail) in enumerate(runs):
        if detail.plan is None:
            continue
        color = palette.SERIES[i % len(palette.SERIES)]
        values = np.cumsum(finance_view.cash_series(detail, "plan", view, basis))
        item = layer.curve(f"plan{i}", x, values, name=name, pen=pen(color, 2.2))
        item.opts["name"] = name
        item.setPen(pen(color, 2.2))
        series.append(Series(name, values))
        keys.append((name, color, "line"))
        ends.append((f"plan{i}", values, finance_view.terminal_value(detail, "plan"), color))
    extents = [s.values for s in series]
    last = float(len(x) - 1)
    for n, (key, values, tv, color) in enumerate(ends):
        if tv:
            offset = 0.2 + 0.15 * n    # side by side, so no step hides another
            layer.curve(f"tv_{key}", [last + offset] * 2, [float(values[-1]), float(values[-1]) + tv],
                        pen=pen(color, 4))
            extents.append([float(values[-1]) + tv])
    has_tv = any(tv for _k, _v, tv, _c in ends)
    if has_tv:
        keys.append(("terminal value: the steps at the horizon", palette.FOREGROUND, "box"))
    layer.done()
    fit(plot, (-0.5, len(x) + 0.5 + 0.15 * len(ends)) if has_tv else x_range(first), extents)
    set_key(plot, keys)
    set_labels(plot, left="cumulative cash")
    return Readout(first.months[0], series, months=len(x))
