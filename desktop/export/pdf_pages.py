"""The report's sections, in order: each adds its blocks to a Flow (pdf_layout) from ReportData.

SECTIONS lists (title, builder); the titles are what a reader (and the tests) find in the PDF.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont

from desktop.export import finance_words, pdf_charts, pdf_finance, pdf_floor, report_rows, report_words
from desktop.export.pdf_html import bullets, esc, money, num, table
from desktop.export.pdf_layout import FONT_FAMILY, Flow
from desktop.model.engine import breakeven_energy_by_pair
from desktop.model.formatting import usd

CHART_PX = 262
CHART_TITLE_PX = 20


def _chart(flow: Flow, title: str, name: str, *args, height: float = CHART_PX, **kwargs) -> None:
    def draw(painter, rect: QRectF) -> None:
        painter.setFont(QFont(FONT_FAMILY, 9, QFont.Weight.DemiBold))
        painter.setPen(QColor("#1F2937"))
        painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), CHART_TITLE_PX),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        body = QRectF(rect.left(), rect.top() + CHART_TITLE_PX, rect.width(), rect.height() - CHART_TITLE_PX)
        pdf_charts.render_chart(painter, body, name, *args, **kwargs)
    flow.fixed(height, draw)


# -- 1 cover --------------------------------------------------------------------------------

def _npv_table(data) -> str:
    """Keeping on mining, the plan and the difference: the three figures every decision rests on."""
    r = data.result
    rate = f"NPV at {data.scenario['discount_rate_pct']:g} % a year"
    if r["delta"] is None:
        return table(["", rate], [["Keeping on mining", usd(r["baseline"]["npv_usd"])]], numeric={1},
                     widths=[60, 40], header_repeats=False)
    return table(["", rate], [["Keeping on mining", usd(r["baseline"]["npv_usd"])],
                              ["With the plan", usd(r["plan"]["npv_usd"])],
                              ["Difference (plan minus mining)", usd(r["delta"]["npv_usd"])]],
                 numeric={1}, widths=[60, 40], header_repeats=False, bold_rows={2})


def cover(flow: Flow, data) -> None:
    notes = report_words.plain_notes(data.plan.notes)
    notes = f'<p class="note">{esc(notes)}</p>' if notes else ""
    flow.fixed(120, lambda p, r: None)   # white space above the title
    flow.text(
        f'<p class="note">{"CONVERSION PLAN" if data.plan_id is not None else "MINING BASELINE"}</p>'
        f'<h1 style="font-size:24pt">{esc(data.title)}</h1>'
        f'<p class="big">{esc(data.project_name)}</p><br/>'
        f'<h2>Recommendation</h2><p class="big">{esc(data.recommendation)}</p>'
        + _npv_table(data) + f"<br/>{notes}"
        + table(["", ""], [["Date", data.date], ["Prepared by", data.prepared_by or "not given"],
                           ["Horizon", report_words.horizon_words(data.scenario)],
                           ["Discount rate", f"{data.scenario['discount_rate_pct']:g} % a year"]],
                widths=[25, 75], header_repeats=False)
        + f'<br/><p class="note">{esc(report_words.conventions_words(data.scenario))}</p>')


# -- 2 executive summary ----------------------------------------------------------------------

DRIVERS = ("delta_npv_usd", "payback_month", "capex_usd", "prob_plan_beats_mining")


def summary(flow: Flow, data) -> None:
    """One page that stands alone: the decision, the four figures that drive it, the biggest
    risk, what must be true, and the cumulative cash of both futures."""
    html = [f"<h1>Executive summary</h1><p class=\"big\">{esc(data.recommendation)}</p>"]
    if data.blocked:
        html.append(_blocked(data))
    if not data.has_plan:
        html.append(table(["Figure", "Value"], [[k.label, k.text] for k in data.kpis], numeric={1}, widths=[60, 40]))
        flow.text("".join(html))
        _chart(flow, "Cumulative net cash of keeping on mining", "cumulative_cash", data.detail,
               height=max(min(flow.room, 420), CHART_PX))
        return
    keyed = {k.key: k for k in data.kpis}
    html.append("<h2>The figures that drive it</h2>")
    html.append(table(["Figure", "Value"], [[keyed[k].label, keyed[k].text] for k in DRIVERS if k in keyed],
                      numeric={1}, widths=[60, 40]))
    others = [[k.label, k.text] for k in data.kpis if k.key not in DRIVERS]
    html.append('<p class="note">' + esc("; ".join(f"{a}: {b}" for a, b in others)) + ".</p>")
    risk = report_words.biggest_risk(data)
    if risk:
        html.append("<h2>Biggest risk</h2>" + bullets(risk))
    html.append("<h2>What must be true</h2>" + bullets(report_words.must_be_true(data)))
    notes = ["Difference = plan minus keeping on mining; payback is the month the cumulative difference is back "
             "at zero."]
    if data.mc is not None:
        notes.append(report_words.montecarlo_words(data.mc))
    html.append(f'<p class="note">{esc(" ".join(notes))}</p>')
    flow.text("".join(html))
    if flow.room >= 200:
        _chart(flow, "Cumulative net cash: keeping on mining and the plan", "cumulative_cash", data.detail,
               height=min(flow.room, 420))
    else:
        flow.new_page()
        _chart(flow, "Cumulative net cash: keeping on mining and the plan", "cumulative_cash", data.detail,
               height=420)


# -- 3 assumptions ----------------------------------------------------------------------------

def assumptions(flow: Flow, data) -> None:
    html = ["<h1>Assumptions</h1><h2>Market and model</h2>",
            table(["Assumption", "Value", "Unit", "Source"], [list(r) for r in data.market_rows],
                  numeric={1}, widths=[40, 22, 20, 18])]
    flow.text("".join(html))
    html = ["<h2>Sites</h2>"]
    html.append(table(
        ["Site", "Location", "Grid (MW)", "Energy ($/MWh)", "PUE mining", "PUE hosting", "Pool fee (%)",
         "Mining opex ($/MW-month)"],
        [[s["site"], s["location"], num(s["grid_capacity_mw"]), num(s["energy_price_usd_per_mwh"], 2),
          num(s["pue_mining"], 2), num(s["pue_hosting"], 2), num(s["pool_fee_pct"]),
          money(s["mining_opex_usd_per_mw_month"])] for s in data.site_rows], numeric=set(range(2, 8))))
    flow.text("".join(html))
    html = ["<h2>Fleet</h2>"]
    html.append(table(
        ["Site", "Model", "Miners", "TH/s each", "W each", "Uptime (%)", "Resale ($/TH)"],
        [[f["site"], f["model"], num(f["miners"], 0), num(f["hashrate_ths"]), num(f["power_w"], 0),
          num(f["uptime_pct"]), num(f["resale_usd_per_ths"], 2)] for f in data.fleet_rows], numeric=set(range(2, 7))))
    flow.text("".join(html))
    html = []
    if data.terms_rows:
        html.append("<h2>Conversion terms</h2>")
        rows = []
        for t in data.terms_rows:
            if t["mode"] == "colocation":
                deal = (f"lease ${t['lease_usd_per_kw_month']:,.2f}/kW-month, +{t['lease_escalator_pct_per_year']:g} % a "
                        f"year, power {'passed through' if t['power_pass_through'] else 'paid by the operator'}")
            else:
                deal = (f"{t['gpu_count'] or 0:,} GPUs at ${t['gpu_hour_usd'] or 0:,.2f}/GPU-hour, "
                        f"{t['utilization_pct']:g} % utilised, GPU capex {money(t['gpu_capex_usd'])}")
            rows.append([t["conversion"], report_words.mode_words(t["mode"]), f"{usd(t['capex_usd_per_mw'], 2)}/MW", f"{t['build_months']} months",
                         f"{usd(t['hosting_opex_usd_per_mw_month'])}/MW-month", f"{t['load_factor_pct']:g} %", deal])
        html.append(table(["Conversion", "Mode", "Build capex", "Build time", "Hosting opex", "Load factor", "Terms"],
                          rows, widths=[20, 10, 12, 9, 13, 8, 28]))
        flow.text("".join(html))
    html = ["<h2>Equipment used (catalog)</h2>"]
    html.append(table(
        ["Model", "Kind", "Maker", "Figures", "Cooling", "Price", "Source"],
        [[e["model"], e["kind"].upper(), e["manufacturer"], e["spec"], e["cooling"],
          money(e["price_usd"]) if e["price_usd"] is not None else "",
          e["source"] + (" (estimate)" if e["is_estimate"] else "")] for e in data.equipment_rows],
        widths=[14, 6, 9, 21, 8, 11, 31]))
    flow.text("".join(html))


# -- 4 schedule -------------------------------------------------------------------------------

def schedule(flow: Flow, data) -> None:
    html = ["<h1>Schedule</h1>"]
    if not data.schedule:
        html.append("<p>The plan has no conversions.</p>")
        flow.text("".join(html))
        return
    html.append("<h2>Conversions</h2>")
    total = sum(s["capex_usd"] for s in data.schedule)
    html.append(table(
        ["Conversion", "Site", "Rack positions", "IT MW", "Grid MW", "Start", "Build", "In service", "Capex"],
        [[s["conversion"], s["site"], report_words.positions_words(s), num(s["critical_it_mw"], 2),
          num(s["grid_mw"], 2), s["start_month"], f"{s['build_months']} months",
          s["cod_month"] + (" (after the horizon)" if s["cod_after_horizon"] else ""), usd(s["capex_usd"])]
         for s in data.schedule]
        + [["Total", "", "", num(sum(s["critical_it_mw"] for s in data.schedule), 2),
            num(sum(s["grid_mw"] for s in data.schedule), 2), "", "", "", usd(total)]],
        numeric={3, 4, 8}, bold_rows={len(data.schedule)}))
    html.append('<p class="note">Start: miners leave and are sold, grid is reserved, the build begins. '
                'In service: commercial operation (start plus build months), when hosting revenue begins.</p>')
    flow.text("".join(html))
    html = ["<h2>By site and month</h2>"]
    html.append(table(["Site", "Start", "Conversions", "GPU racks", "Critical IT (MW)", "Capex"],
                      [[g["site"], g["start_month"], num(g["conversions"], 0), num(g["gpu_racks"], 0),
                        num(g["critical_it_mw"], 2), money(g["capex_usd"])] for g in data.by_site_month],
                      numeric={2, 3, 4, 5}))
    flow.text("".join(html))
    flow.text(capex_table(data))


def capex_table(data) -> str:
    """Capex by quarter as the engine books it, totalled, and reconciled with the schedule's
    total in the same table: what falls after the horizon is shown, not only noted."""
    html = ["<h2>Capex by quarter</h2>"]
    inside = sum(v for _, v in data.capex_by_quarter)
    scheduled = sum(s["capex_usd"] for s in data.schedule)
    rows = [[q, money(v), f"{v / inside * 100:.0f} %" if inside else ""] for q, v in data.capex_by_quarter]
    rows.append(["Total inside the horizon (the summary's capex)" if abs(scheduled - inside) >= 0.5 else "Total",
                 money(inside), "100 %" if inside else ""])
    bold = {len(rows) - 1}
    after = scheduled - inside
    if abs(after) >= 0.5:
        rows.append(["After the horizon (not in the figures)", money(after), ""])
        rows.append(["Total of the conversions (the schedule's capex)", money(scheduled), ""])
        bold.add(len(rows) - 1)
    html.append(table(["Quarter", "Capex", "Share"], rows, numeric={1, 2}, bold_rows=bold))
    html.append('<p class="note">Capex as the figures count it: build capex spread evenly over the build months, '
                'GPU capex in the month of commercial operation.</p>')
    return "".join(html)


# -- 5 floor maps -----------------------------------------------------------------------------

def floor_maps(flow: Flow, data) -> None:
    flow.text("<h1>Floor maps</h1>")
    unplaced = report_words.unplaced_words(data)
    if unplaced:
        flow.text(bullets(unplaced))
    if not data.hall_maps:
        if not unplaced:
            flow.text("<p>The plan takes no rack positions.</p>")
        return
    for n, hm in enumerate(data.hall_maps):
        if n:
            flow.new_page()
        h = hm.hall
        it_mw = sum(s["critical_it_mw"] for s in data.schedule if s["hall"] == h.name and s["site"] == hm.site_name)
        flow.text(f"<h2>{esc(hm.site_name)}: {esc(h.name)}</h2>"
                  f"<p>{h.rows} x {h.cols} positions, {esc(h.cooling)} cooling, {h.power_capacity_kw:,.0f} kW hall "
                  f"capacity, {h.max_rack_kw:g} kW and {h.floor_load_kg:,.0f} kg per position. The plan places "
                  f"{hm.gpu_racks:,} GPU racks ({it_mw:,.2f} MW of critical IT) and retires {hm.retired:,} positions.</p>")
        flow.rest_of_page(400, partial(pdf_floor.draw_hall, hm=hm))


# -- 6 economics ------------------------------------------------------------------------------

def economics(flow: Flow, data) -> None:
    d = data.detail
    flow.text("<h1>Economics</h1>")
    which = "with the plan" if data.has_plan else "keeping on mining"
    _chart(flow, f"Monthly revenue (up) and costs (down) {which}", "revenue_costs", d)
    _chart(flow, f"Grid load by site {which}", "site_power", d)
    _chart(flow, "Hashprice, cost to mine a BTC and the BTC price", "hashprice", d)
    if data.tornado:
        _chart(flow, "Difference in NPV (plan minus mining) when one input moves", "tornado", data.tornado,
               height=CHART_TITLE_PX + 90 + 26 * len(data.tornado))
    if data.mc is not None and data.mc.delta is not None:
        _chart(flow, f"Cumulative difference in cash (plan minus mining) over {data.mc.params.n_paths:,} market "
               "paths", "fan", data.mc, d)


# -- 7 risks and breaches ------------------------------------------------------------------------

def _blocked(data) -> str:
    """What keeps the plan's economics from being computed, each with how to resolve it."""
    return ("<h2>What blocks the economics</h2><p>The figures and charts show keeping on mining until "
            "these are resolved:</p>" + bullets(data.blocked))


def risks(flow: Flow, data) -> None:
    html = ["<h1>Risks and breaches</h1>"]
    if data.blocked:
        html.append(_blocked(data))
    html.append("<h2>Breaches</h2>")
    if data.breaches:
        html.append(f"<p>{len(data.breaches)} check{'s' if len(data.breaches) != 1 else ''} the plan breaches; "
                    "the plan can be saved but must not be built as it stands:</p>")
        html.append(table(["Conversion", "Breach"], [list(b) for b in data.breaches], widths=[30, 70],
                          bad={(r, 1) for r in range(len(data.breaches))}))
    else:
        html.append("<p>No conversion breaches a rack feed, cooling, floor load, hall power or site grid limit.</p>")
    if data.skipped:
        html.append("<p>Left out of the economics (no GPU capacity placed): " + esc(", ".join(data.skipped)) + ".</p>")
    carried = finance_words.decision_assumptions(data)
    if carried:
        html.append("<h2>Assumptions the decision rests on</h2>" + bullets(carried))
    flow.text("".join(html))
    html = ["<h2>Sensitivity</h2>"]
    html.append(bullets(data.risk_words) if data.risk_words else "<p>No plan to test.</p>")
    energy = data.breakevens.get("energy_price_usd_per_mwh") or breakeven_energy_by_pair(
        data.scenario, data.result["market"]["hashprice_usd_per_ph_day"])   # {(site, model): $/MWh}
    if energy:
        prices = {s["site"]: s["energy_price_usd_per_mwh"] for s in data.site_rows}
        rows, bad = [], set()
        for r, ((site, model), value) in enumerate(energy.items()):
            margin = value - prices.get(site, 0.0)
            rows.append([site, model, f"${value:,.2f}", f"${prices.get(site, 0.0):,.2f}", f"{margin:+,.2f}"])
            if margin < 0:
                bad.add((r, 4))
        flow.text("".join(html))
        html = ["<h2>Break-even energy price of mining</h2>"]
        html.append(table(["Site", "Model", "Break-even ($/MWh)", "Paid ($/MWh)", "Margin ($/MWh)"], rows,
                          numeric={2, 3, 4}, bad=bad))
        html.append('<p class="note">The energy price at which a miner\'s revenue at month 0\'s hashprice only pays '
                    'its power; a negative margin means those miners lose money on power alone.</p>')
    flow.text("".join(html))


# -- 8 appendix -----------------------------------------------------------------------------

def appendix(flow: Flow, data):
    groups = report_rows.rack_ranges(data.racks)
    rows = [[report_rows.range_label(g), num(g["positions"], 0), g["hall"], g["site"],
             f"{g['before_units']} x {g['before_model']}" if g["before_model"] else "empty",
             g["system"] if g["role"] == "gpu" else "retired", g["month"]] for g in groups]
    n_gpu = sum(r["role"] == "gpu" for r in data.racks)
    n_retired = sum(r["role"] == "retired" for r in data.racks)
    html = ["<h1>Appendix: rack-level conversion list</h1>"]
    unplaced = report_words.unplaced_words(data)
    if unplaced:
        html.append(bullets(unplaced))
    if data.racks:
        html.append(f"<p>{len(data.racks):,} positions: {n_gpu:,} get a GPU rack, {n_retired:,} are retired. "
                    f"Consecutive positions converted alike are one row ({len(groups):,} rows); the tables export "
                    f"lists every position.</p>")
    elif not unplaced:
        html.append("<p>The plan takes no rack positions.</p>")
    intro = "".join(html)
    if not rows:
        flow.text(intro)
        return
    yield from flow.long_table(intro, partial(table, ["Positions", "Count", "Hall", "Site", "Today", "With the plan",
                                                      "Month"], numeric={1}, padding=2, font_pt=8), rows)


def sections_for(data) -> list:
    """The sections a report has: all of them for a plan; for a project without a plan (its
    baseline) the cover, the summary, the assumptions, the economics and the risks."""
    if data.plan_id is not None:
        return SECTIONS
    return [s for s in SECTIONS if s[0] not in PLAN_ONLY]


PLAN_ONLY = {"Schedule", "Floor maps", "Appendix: rack-level conversion list"}

SECTIONS = [
    ("Cover", cover),
    ("Executive summary", summary),
    ("Assumptions", assumptions),
    ("Schedule", schedule),
    ("Floor maps", floor_maps),
    ("Economics", economics),
    ("Finance", pdf_finance.finance),
    ("Risks and breaches", risks),
    ("Appendix: rack-level conversion list", appendix),
]
