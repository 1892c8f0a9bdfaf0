"""The report's Finance page (ECONOMICS.md v2): the contracts in words, sources and uses, the
debt schedule with its DSCR by year, tax by year, the terminal value and its share of the
Δ NPV, and the debt chart. (The assumptions that carry the decision are on the risks page.) Every figure from the engine's Detail (desktop.model.finance_view)."""
from __future__ import annotations

from desktop.export import finance_words
from desktop.export.pdf_html import bullets, esc, money, table
from desktop.export.pdf_layout import Flow
from desktop.model import finance_view
from desktop.model.formatting import usd


def finance(flow: Flow, data) -> None:
    from desktop.export.pdf_pages import CHART_PX, _chart

    d, s = data.detail, data.scenario
    html = ["<h1>Finance</h1>", f"<p>Figures {esc(finance_words.basis_text(s))}.</p>"]
    sentence = finance_words.equity_recommendation(data)
    if sentence:
        html.append(f'<p class="big">{esc(sentence)}</p>')
    if data.contracts:
        html.append("<h2>Contracts</h2>")
        html.append(table(["Conversion", "Terms", "From the deal"],
                          [[c["conversion"], c["words"], c["deal"] or "typed by the planner"] for c in data.contracts],
                          widths=[18, 60, 22]))
    flow.text("".join(html))
    if d.plan is None:
        flow.text("<p>No plan: nothing is financed.</p>")
        return
    plan = d.plan
    su = finance_view.sources_and_uses(plan)
    uses = su["uses"]["capex_usd"]
    rows = [["Uses: capex (build and GPUs)", money(uses), "100 %" if uses else ""]]
    for key, label in (("debt_usd", "Sources: debt drawn"), ("prepayments_usd", "Sources: tenants' prepayments"),
                       ("equity_usd", "Sources: the operator's own cash (equity)")):
        value = su["sources"][key]
        rows.append([label, money(value), f"{value / uses * 100:.0f} %" if uses else ""])
    html = ["<h2>Sources and uses</h2>", table(["", "Amount", "Share of capex"], rows, numeric={1, 2},
                                               widths=[55, 25, 20])]
    financing = (s.get("plan") or {}).get("financing")
    if financing:
        html.append(f'<p class="note">Each capex amount is {financing["loan_to_cost_pct"]:g} % borrowed in its month, '
                    f'at {financing["interest_rate_pct"]:g} % a year, repaid {financing["amortization"].replace("_", " ")} '
                    f'over {financing["term_months"]} months; what is owed at the horizon is repaid then.</p>')
        years = finance_view.debt_years(plan, d.months)
        html.append("<h2>Debt schedule by year</h2>")
        html.append(table(["Year", "Drawn", "Interest", "Principal", "Owed at end", "CFADS", "Debt service", "DSCR"],
                          [[y.label, usd(y.drawn_usd), usd(y.interest_usd),
                            usd(y.scheduled_principal_usd + y.forced_principal_usd), usd(y.balance_end_usd),
                            usd(y.cfads_usd), usd(y.debt_service_usd), finance_words.dscr_text(y.dscr)]
                           for y in years], numeric=set(range(1, 8)),
                          bad={(r, 7) for r, y in enumerate(years) if y.dscr is not None and y.dscr < 1}))
        dscr = data.result["plan"]["min_dscr"]
        html.append(f'<p class="note">DSCR: the year\'s cash available for debt service (operating cash less levered '
                    f'tax) over its interest and scheduled principal; the lowest is '
                    f'{finance_words.dscr_text(dscr) or "n/a"}. Principal in the last year includes the repayment at '
                    f'the horizon.</p>')
    else:
        html.append("<p>The plan is not financed: no debt, the equity view is the project view.</p>")
    flow.text("".join(html))
    html = []
    if s.get("tax"):
        taxes = finance_view.tax_years(plan, d.months)
        html.append("<h2>Tax by year</h2>")
        html.append(table(["Year", "Depreciation", "Tax (unlevered)", "Tax (levered)"],
                          [[t["label"], usd(t["depreciation_usd"]), usd(t["tax_usd"]), usd(t["levered_tax_usd"])]
                           for t in taxes], numeric={1, 2, 3}))
        html.append(f'<p class="note">Income tax at {s["tax"]["rate_pct"]:g} %; build capex depreciated over '
                    f'{s["tax"]["depreciation_months"]} months, GPUs over {s["tax"]["gpu_depreciation_months"]}; '
                    'losses carry forward without limit and are never refunded. Levered: interest deducted.</p>')
    else:
        html.append("<h2>Tax</h2><p>No income tax is modelled.</p>")
    html.append("<h2>Terminal value</h2>")
    if s.get("terminal"):
        share = finance_view.terminal_share(d)
        tv_plan, tv_base = data.result["plan"]["terminal_value_usd"], data.result["baseline"]["terminal_value_usd"]
        html.append(table(["", "Value"],
                          [["Plan, at the horizon", money(tv_plan)], ["Keeping on mining, at the horizon", money(tv_base)],
                           ["Share of the Δ NPV carried by the change (discounted)",
                            "n/a" if share is None else f"{share * 100:.0f} %"]], numeric={1}, widths=[70, 30]))
        html.append(f'<p class="note">Mining at {s["terminal"]["mining_ebitda_multiple"]:g}x and hosting at '
                    f'{s["terminal"]["hosting_ebitda_multiple"]:g}x their last 12 months\' EBITDA (a prepayment\'s '
                    'receipt left out), booked in the last month; not taxed.</p>')
    else:
        html.append("<p>No terminal value: nothing is counted beyond the horizon.</p>")
    flow.text("".join(html))
    if financing:
        _chart(flow, "Debt: owed, drawn, debt service and CFADS by month, DSCR a year", "debt", d, height=CHART_PX)
    if d.plan is not None and (s.get("tax") or s.get("terminal") or financing):
        _chart(flow, "Cumulative equity cash after tax and debt; terminal value as the step at the horizon",
               "cumulative_cash", d, "equity", "aftertax", height=CHART_PX)
