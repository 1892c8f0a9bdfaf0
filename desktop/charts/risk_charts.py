"""The risk charts: the tornado of delta NPV (desktop.model.sensitivity.tornado) and the
Monte Carlo fan of cumulative delta cash (desktop.model.montecarlo.simulate). Same
conventions as charts.py, which re-exports them."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.charts import palette
from desktop.charts.axes import MonthAxis
from desktop.charts.layers import Layer, Readout, Series, brush, ensure_axes, fit, pen, set_key, set_labels, set_range
from desktop.model.formatting import usd


TORNADO_LABEL_W = 150


def tornado_rows(bars: list[dict]) -> list[dict]:
    """Bars from the top of the chart down (largest swing first, as the engine sorts them):
    y, label, and the down/up ends as (x0, x1) spans from the base delta NPV."""
    rows = []
    n = len(bars)
    for i, bar in enumerate(bars):
        base = bar["base_delta_npv_usd"]
        rows.append({"y": float(n - 1 - i), "label": bar["label"], "base": base,
                     "low": (min(base, bar["delta_npv_low"]), max(base, bar["delta_npv_low"])),
                     "high": (min(base, bar["delta_npv_high"]), max(base, bar["delta_npv_high"]))})
    return rows


def draw_tornado(plot: pg.PlotItem, bars: list[dict]) -> Readout:
    """Delta NPV with each input moved down (orange) and up (blue), around the base case."""
    ensure_axes(plot, bottom="usd")
    layer = Layer(plot)
    rows = tornado_rows(bars)
    ys = np.array([r["y"] for r in rows], dtype=float)
    for key, name, color in (("low", "Input down", palette.LOW), ("high", "Input up", palette.HIGH)):
        item = layer.get(key, lambda c=color, n=name: pg.BarGraphItem(x0=[0], x1=[0], y=[0], height=0.6,
                                                                       brush=brush(c), pen=pg.mkPen(None), name=n))
        x0 = np.array([r[key][0] for r in rows], dtype=float)
        x1 = np.array([r[key][1] for r in rows], dtype=float)
        item.setOpts(x0=x0, x1=x1, y=ys, height=0.6, width=None)
    if rows:
        line = layer.get("base", lambda: pg.InfiniteLine(angle=90, movable=False, pen=pen(palette.NET, 1.5)))
        line.setValue(rows[0]["base"])
    layer.done()
    axis = plot.getAxis("left")
    axis.setTicks([[(r["y"], r["label"]) for r in rows], []])
    if axis.fixedWidth != TORNADO_LABEL_W:
        axis.setWidth(TORNADO_LABEL_W)   # room for the inputs' names
    if rows:
        lo = min(min(r["low"][0], r["high"][0]) for r in rows)
        hi = max(max(r["low"][1], r["high"][1]) for r in rows)
        pad = (hi - lo) * 0.08 or abs(hi) * 0.1 or 1.0
        if not getattr(plot, "_rs_manual", False):
            set_range(plot.vb, (lo - pad, hi + pad), (-0.6, len(rows) - 0.4))
    plot.showGrid(x=True, y=False)
    set_key(plot, [("Input down", palette.LOW, "box"), ("Input up", palette.HIGH, "box"),
                   ("Base case", palette.NET, "line")])
    set_labels(plot, bottom="Δ NPV, plan minus keeping on mining")
    texts = [""] * len(rows)
    for bar, r in zip(bars, rows):
        texts[int(r["y"])] = (f"{bar['label']}:  down ({bar['low_value_desc']}) {usd(bar['delta_npv_low'])}   "
                              f"up ({bar['high_value_desc']}) {usd(bar['delta_npv_high'])}   "
                              f"base {usd(bar['base_delta_npv_usd'])}")
    return Readout(bars=texts)


def draw_fan(plot: pg.PlotItem, mc, detail=None) -> Readout:
    """Percentile bands (5-95 %, 25-75 %) and the median of cumulative delta cash over the
    Monte Carlo paths, with the deterministic delta (from `detail`) dashed."""
    ensure_axes(plot, left="usd", bottom="month")
    layer = Layer(plot)
    if mc is None or mc.delta is None:
        layer.done()
        return Readout()
    detail = detail if detail is not None else mc.detail
    pct = list(mc.percentiles)
    bands = mc.delta.cumulative_cash_percentiles_usd
    x = np.arange(bands.shape[1], dtype=float)
    axis = plot.getAxis("bottom")
    if isinstance(axis, MonthAxis):
        axis.set_start(mc.months[0])
    row = {q: bands[pct.index(q)] for q in pct}
    curves = {}
    for q in (5, 25, 75, 95):
        curves[q] = layer.curve(f"p{q}", x, row[q], pen=pen((5, 150, 105, 110), 1))
    for key, lo, hi, color, name in (("outer", 5, 95, palette.FAN_OUTER, "5-95 % of paths"),
                                     ("inner", 25, 75, palette.FAN_INNER, "25-75 %")):
        # Between the PlotCurveItems, not the PlotDataItems: a PlotDataItem clips its curve to the
        # view (dynamicRangeLimit) again when the view range changes, without telling a fill made
        # from it, so on a new chart the bands kept the clip of the first, unit-high view (only
        # their edges and a sliver near zero were shaded).
        layer.get(key, lambda lo=lo, hi=hi, c=color: pg.FillBetweenItem(curves[lo].curve, curves[hi].curve,
                                                                       brush=brush(c)))
    layer.curve("median", x, row[50], name="Median", pen=pen(palette.DELTA, 2.5))
    series = [Series("P5", row[5]), Series("P25", row[25]), Series("Median", row[50]), Series("P75", row[75]),
              Series("P95", row[95])]
    if detail is not None and detail.delta_cash_usd is not None and len(detail.delta_cash_usd) == len(x):
        det = np.cumsum(detail.delta_cash_usd)
        layer.curve("deterministic", x, det, name="Expected market", pen=pen(palette.NET, 1.5, Qt.PenStyle.DashLine))
        series.append(Series("Expected", det))
    zero = layer.get("zero", lambda: pg.InfiniteLine(angle=0, movable=False, pen=pen(palette.FOREGROUND, 1,
                                                                                      Qt.PenStyle.DotLine)))
    zero.setValue(0.0)
    layer.done()
    fit(plot, (-0.5, len(x) - 0.5), [row[5], row[95]] + [s.values for s in series[5:]])
    set_key(plot, [("5-95 % of paths", palette.FAN_OUTER, "box"), ("25-75 %", palette.FAN_INNER, "box"),
                   ("Median", palette.DELTA, "line")] + ([("Expected market", palette.NET, "dash")] if len(series) > 5 else []))
    set_labels(plot, left="cumulative Δ cash")
    return Readout(mc.months[0], series, months=len(x))
