"""A summary of the selected site or hall (or the whole portfolio)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget
from desktop.store.errors import NotFound

from desktop.store import summary
from desktop.model.formatting import number
from desktop.ui.next_steps import NextSteps, is_demo, run_step


def summary_html(data: dict) -> str:
    rows = []

    def row(label, value):
        rows.append(f"<tr><td style='padding-right:16px;color:#555'>{escape(label)}</td><td><b>{escape(value)}</b></td></tr>")

    title = {"portfolio": "Portfolio", "site": data.get("name", ""), "hall": f"{data.get('site', '')} / {data.get('name', '')}"}[data["kind"]]
    if data["kind"] == "portfolio":
        row("Sites", str(data["sites"]))
    if data["kind"] == "site" and data.get("location"):
        row("Location", data["location"])
    row("Grid capacity", number(data["grid_capacity_mw"], "MW"))
    if data["kind"] != "portfolio":
        row("Energy price", number(data["energy_price_usd_per_mwh"], "$/MWh"))
        row("PUE mining / hosting", f"{data['pue_mining']:g} / {data['pue_hosting']:g}")
    if data["kind"] == "hall":
        row("Cooling", data["cooling"])
        row("Hall power capacity", number(data["power_capacity_kw"], "kW", 0))
        row("Max power per position", number(data["max_rack_kw"], "kW"))
        row("Floor load limit", number(data["floor_load_kg"], "kg per position", 0))
        row("Floor grid", data["grid"])
    if data["kind"] == "hall":
        row("Miners on the floor", number(data["miners"], "", 0))
    else:  # the fleet owns them; some may stand on no position
        racked = data["miners_racked"]
        row("Miners owned", number(data["miners"], "", 0))
        row("On the floor / in storage", f"{racked:,} / {data['miners'] - racked:,}")
    row("Hashrate", number(data["hashrate_ths"] / 1000, "PH/s"))
    row("Miner power", number(data["power_kw"], "kW", 0))
    row("Rack positions used / free", f"{data['positions_used']:,} / {data['positions_free']:,}")
    table = "".join(rows)
    models = ""
    if data.get("miners_by_model"):
        lines = "".join(
            f"<tr><td>{escape(m['model'])}</td><td align='right'>{m['miners']:,}</td>"
            f"<td align='right'>{m['hashrate_ths'] / 1000:,.1f}</td><td align='right'>{m['power_kw']:,.0f}</td></tr>"
            for m in data["miners_by_model"])
        models = ("<h3>Miners by model</h3><table cellspacing='0' cellpadding='3'>"
                  "<tr><th align='left'>Model</th><th>Miners</th><th>PH/s</th><th>kW</th></tr>" + lines + "</table>")
    return f"<h2>{escape(title)}</h2><table cellpadding='2'>{table}</table>{models}"


class SummaryView(QWidget):
    """The Summary page: what to do next (while the project is not yet a plan, or is the demo's
    sample data), then the summary of the tree's selection."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("summaryView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.next_steps = NextSteps()
        self.next_steps.chosen.connect(self._step)
        layout.addWidget(self.next_steps)
        self.browser = QTextBrowser()
        self.browser.setObjectName("summaryText")
        self.browser.setOpenLinks(False)
        layout.addWidget(self.browser, 1)
        self._selected: tuple[str, int] | None = None
        self._stale = False
        ctx.selectionChanged.connect(self._on_selection)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def toPlainText(self) -> str:
        return self.browser.toPlainText()

    def toHtml(self) -> str:
        return self.browser.toHtml()

    def _on_changed(self, _kind: str) -> None:
        """Follow an edit now if the summary is on screen, else when it is shown again (an edit
        on the dashboard need not wait for a summary nobody sees)."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def adopt_tree_selection(self, kind: str, object_id: int) -> None:
        self._on_selection(kind, object_id)

    def _on_selection(self, kind: str, object_id: int) -> None:
        self._selected = (kind, object_id)
        self._on_changed(kind)

    def _step(self, key: str) -> None:
        window = self.window()
        if hasattr(window, "views") and hasattr(window, "imports"):
            run_step(window, key)

    def data(self) -> dict:
        project = self.ctx.project
        if self._selected:
            kind, object_id = self._selected
            try:
                return summary.site_summary(project, object_id) if kind == "site" else summary.hall_summary(project, object_id)
            except NotFound:  # the item was deleted; fall back to the portfolio
                self._selected = None
        return summary.portfolio_summary(project)

    def refresh(self) -> None:
        self._stale = False
        project = self.ctx.project
        self.next_steps.show_steps(project, demo=is_demo(project), readonly=self.ctx.readonly)
        self.browser.setHtml(summary_html(self.data()))
