"""The plan's debt (ECONOMICS.md, "Financing"), month by month: what is owed (line), the draws
(bars up), the debt service paid (interest and scheduled principal, bars down), the cash
available for debt service (CFADS, line), and the DSCR of each 12-month block written above
it. Drawn from the engine's `Case` arrays into any pyqtgraph PlotItem, like desktop.charts.charts."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from desktop.charts import palette
from desktop.charts.charts import DOT, _month_axis, x_range
from desktop.charts.layers import Layer, Readout, Series, brush, ensure_axes, fit, pen, set_key, set_labels

DRAW_COLOR, SERVICE_COLOR, BALANCE_COLOR, CFADS_COLOR = "#059669", "#DC2626", "#1F2937", "#2563EB"


def debt_data(detail) -> dict[str, np.ndarray]:
    case = detail.plan
    zero = np.zeros(len(detail.months))
    if case is None:
        return {"balance_usd": zero, "drawn_usd": zero, "debt_service_usd": zero, "cfads_usd": zero}
    return {"balance_usd": case.debt_balance_usd, "drawn_usd": case.debt_drawn_usd,
            "debt_service_usd": case.interest_usd + case.scheduled_principal_usd, "cfads_usd": case.cfads_usd}


def draw_debt(plot: pg.PlotItem, detail) -> Readout:
    ensure_axes(plot, left="usd", bottom="month")
    layer = Layer(plot)
    x = _month_axis(plot, detail)
    d = debt_data(detail)
    layer.curve("balance", x, d["balance_usd"], name="Owed", pen=pen(BALANCE_COLOR, 2.2),
                fillLevel=0.0, fillBrush=brush("#E5E7EB"))
    for key, values, color in (("drawn", d["drawn_usd"], DRAW_COLOR), ("service", -d["debt_service_usd"], SERVICE_COLOR)):
        bar = layer.get(key, lambda c=color: pg.BarGraphItem(x=x, height=np.zeros_like(x), width=0.85,
                                                             brush=brush(c), pen=pg.mkPen(None)))
        bar.setOpts(x=x, height=values, width=0.85)
    layer.curve("cfads", x, d["cfads_usd"], name="CFADS", pen=pen(CFADS_COLOR, 1.5, DOT))
    financed = detail.plan is not None and bool(((detail.scenario.get("plan") or {}).get("financing")))
    top = float(max(d["balance_usd"].max(initial=0.0), d["drawn_usd"].max(initial=0.0), d["cfads_usd"].max(initial=0.0)))
    texts = []
    for i, (first, value) in enumerate(detail.plan.dscr_by_year if detail.plan is not None else []):
        item = layer.get(f"dscr{i}", lambda: pg.TextItem(color=palette.FOREGROUND,
                                                        anchor=(0.5, 0)))
        item.setText(f"{value:.2f}x")
        item.setPos(first + 5.5, top * 1.12 if top > 0 else 1.0)
        texts.append((first, value))
    note = layer.get("note", lambda: pg.TextItem(color=palette.FOREGROUND, anchor=(0.5, 0.5)))
    note.setText("" if financed else "No financing: set it in the Finance view")
    note.setPos(len(x) / 2, 0.5 if top == 0 else top / 2)
    layer.done()
    fit(plot, x_range(detail), [d["balance_usd"], d["drawn_usd"], -d["debt_service_usd"], d["cfads_usd"],
                                [top * 1.25]])
    set_key(plot, [("Owed", BALANCE_COLOR, "line"), ("Drawn", DRAW_COLOR, "box"),
                   ("Debt service", SERVICE_COLOR, "box"), ("CFADS", CFADS_COLOR, "dot"), ("DSCR a year", palette.FOREGROUND, "line")])
    set_labels(plot, left="debt, per month")
    series = [Series("Owed", d["balance_usd"]), Series("Drawn", d["drawn_usd"]),
              Series("Debt service", d["debt_service_usd"]), Series("CFADS", d["cfads_usd"])]
    readout = Readout(detail.months[0], series, months=len(x))
    readout.dscr = texts
    return readout
