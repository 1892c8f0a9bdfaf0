"""The report's v2 sentences: the recommendation from the after-tax equity view when the plan is
financed (with the unlevered view beside it), the assumptions that carry the decision, and
each conversion's contract in words. No Qt."""
from __future__ import annotations

import numpy as np

from desktop.model import finance_view
from desktop.model.formatting import usd
from desktop.model.terms_words import conversion_terms_text, renewal_words


def financed(data) -> bool:
    return bool((data.scenario.get("plan") or {}).get("financing"))


def basis_text(scenario: dict) -> str:
    """What the figures include: "before tax, no terminal value" ... "after tax, with terminal value"."""
    tax = "after income tax" if scenario.get("tax") else "no income tax"
    tv = "with a terminal value at the horizon" if scenario.get("terminal") else "no terminal value"
    debt = "levered (plan financing)" if (scenario.get("plan") or {}).get("financing") else "unlevered"
    return f"{tax}, {tv}, {debt}"


def conventions_tail(scenario: dict) -> str:
    """The end of the conventions sentence: tax, the years after the horizon, debt."""
    tax = "after income tax" if scenario.get("tax") else "before tax"
    tv = ("the years after the horizon count only as a terminal value in its last month" if scenario.get("terminal")
          else "nothing is counted for the years after the horizon")
    debt = "; equity figures are after the plan's debt" if (scenario.get("plan") or {}).get("financing") else ""
    return f"{tax}, and {tv}{debt}."


def equity_recommendation(data) -> str | None:
    """The cover's sentence when the plan is financed: the after-tax equity view decides, the
    unlevered project view is beside it. None when there is no financing (or no plan)."""
    delta = data.result.get("delta")
    if delta is None or not financed(data) or not (data.scenario.get("plan") or {}).get("conversions"):
        return None
    eq, npv = delta["equity_npv_usd"], delta["npv_usd"]
    rate = data.scenario["plan"]["financing"].get("equity_discount_rate_pct", data.scenario["discount_rate_pct"])
    dscr = data.result["plan"]["min_dscr"]
    dscr_text = f", with a minimum DSCR of {dscr:.2f}x" if dscr is not None else ""
    n = len(data.breaches)
    if eq > 0:
        verb = "Convert" if not n else f"Convert once its {n} breach{'es' if n != 1 else ''} {'are' if n != 1 else 'is'} resolved"
        text = (f"{verb}: after tax and debt the plan adds {usd(eq)} of equity NPV over keeping on mining "
                f"(at {rate:g} % a year){dscr_text}")
    else:
        text = (f"Keep mining: after tax and debt the plan loses {usd(-eq)} of equity NPV against keeping on mining "
                f"(at {rate:g} % a year){dscr_text}")
    irr = delta.get("equity_irr_pct")
    if irr is not None:
        text += f"; equity IRR {irr:.1f} %"
    unlevered = f"adds {usd(npv)}" if npv >= 0 else f"loses {usd(-npv)}"
    return text + f". Unlevered, the project {unlevered} of NPV at {data.scenario['discount_rate_pct']:g} % a year."


def summary_rows(data, f: dict) -> list[tuple]:
    """The executive summary's v2 figures as (key, label, value, text), from
    desktop.model.kpis.plan_figures: only those the scenario uses (tax, terminal value, debt)."""
    rows = []
    if f["financed"]:
        eq, irr, dscr = f["equity_delta_npv_usd"], f["equity_irr_pct"], f["min_dscr"]
        rows += [("equity_delta_npv_usd", "Difference in equity NPV (after tax and debt)", eq, usd(eq)),
                 ("equity_irr_pct", "Equity IRR of the difference", irr, "n/a" if irr is None else f"{irr:.1f} %"),
                 ("min_dscr", "Minimum DSCR (weakest year)", dscr, dscr_text(dscr) or "n/a"),
                 ("debt_drawn_usd", "Debt drawn", f["debt_drawn_usd"], usd(f["debt_drawn_usd"]))]
        mc = data.mc
        prob = getattr(mc, "prob_equity_delta_npv_positive", None) if mc is not None else None
        if prob is not None:
            rows.append(("prob_equity_beats_mining", "Chance the plan beats mining after tax and debt", prob,
                         f"{prob * 100:.0f} %"))
    if f["taxed"]:
        tax = f["levered_tax_usd"] if f["financed"] else f["tax_usd"]
        rows.append(("tax_usd", "Income tax with the plan" + (" (levered)" if f["financed"] else ""), tax, usd(tax)))
    if f["terminal"]:
        share = f["terminal_share"]
        rows.append(("terminal_value_usd", "Terminal value at the horizon", f["terminal_value_usd"],
                     usd(f["terminal_value_usd"]) + ("" if share is None else f" ({share * 100:.0f} % of the difference)")))
    return rows


def _renewal_months(conv: dict, horizon: int) -> tuple[int, int]:
    """(renewal months, earning months) of a conversion inside the horizon."""
    cod = conv["start_month"] + conv.get("build_months", 0)
    term = conv.get("term_months")
    if term is None:
        return 0, max(horizon - cod, 0)
    length = term + conv.get("renewals", 0) * conv.get("renewal_term_months", term)
    earning = max(min(cod + length, horizon) - cod, 0)
    renewal = max(min(cod + length, horizon) - min(cod + term, horizon), 0)
    return renewal, earning


def decision_assumptions(data) -> list[str]:
    """The assumptions that carry the decision, in words: the terminal value's share of the
    Δ NPV, renewals assumed exercised, curtailment credits, the debt's cover."""
    out = []
    detail, scenario = data.detail, data.scenario
    if detail.plan is None:
        return out
    share = finance_view.terminal_share(detail)
    terminal = scenario.get("terminal")
    if terminal:
        tv = data.result["plan"]["terminal_value_usd"]
        text = (f"Terminal value: {usd(tv)} at the horizon (mining at {terminal['mining_ebitda_multiple']:g}x, "
                f"hosting at {terminal['hosting_ebitda_multiple']:g}x their last 12 months' EBITDA)")
        if share is not None:
            text += f"; the change in it carries {share * 100:.0f} % of the Δ NPV"
        out.append(text + ".")
    horizon = scenario["horizon_months"]
    labels = [row["conversion"] for row in getattr(data, "contracts", [])]
    for i, conv in enumerate(scenario["plan"]["conversions"]):
        words = renewal_words(conv)
        if not words:
            continue
        renewal, earning = _renewal_months(conv, horizon)
        name = labels[i] if i < len(labels) else f"conversion {i + 1}"
        out.append(f"{name}: {words}; {renewal} of its {earning} earning months inside the horizon are renewal "
                   f"months{' (all after the horizon)' if renewal == 0 else ''}.")
    credits = data.result["plan"]["power_credit_usd"]
    if credits:
        sites = [s for s in scenario["sites"] if s.get("curtailment_pct")]
        where = ", ".join(f"{s['name']} {s['curtailment_pct']:g} % at ${s['curtailment_credit_usd_per_mwh']:g}/MWh"
                          for s in sites)
        out.append(f"Curtailment credits: {usd(credits)} over the horizon assumed paid ({where}); "
                   "they grow with the energy price.")
    if financed(data):
        dscr = data.result["plan"]["min_dscr"]
        if dscr is not None:
            out.append(f"Debt: the weakest year covers its debt service {dscr:.2f} times"
                       + (" (below 1: operating cash does not pay the debt that year)." if dscr < 1 else "."))
    if scenario.get("tax"):
        out.append(f"Tax at {scenario['tax']['rate_pct']:g} %: losses carry forward and are never refunded.")
    return out


def contract_rows(project, plan_id: int, scenario: dict) -> list[dict]:
    """Every evaluated conversion's contract: its label, the deal its terms came from (if any;
    "edited since" when its terms no longer are the deal's) and the contract in words, in the
    scenario's order."""
    from desktop.model import deals
    from desktop.model.errors import InputError
    from desktop.store import plans
    from desktop.store.deal_terms import deal_of, deal_terms

    library = {d.id: d for d in deals.load_deals()}
    convs = [c for c in plans.conversions(project, plan_id) if c.critical_it_mw > 0]
    out = []
    for conv, entry in zip(convs, (scenario.get("plan") or {}).get("conversions", [])):
        deal = library.get(deal_of(project, conv.id) or "")
        source, kind = "", None
        if deal is not None:
            try:
                same = all(getattr(conv, k) == v for k, v in deal_terms(project, conv, deal).items())
            except InputError:
                same = False
            source, kind = (deal.name, deal.lease_kind) if same else (f"{deal.name} (terms edited since)", None)
        out.append({"conversion": conv.label or f"conversion {conv.id}", "deal": source,
                    "words": conversion_terms_text(entry, kind), "renewals": renewal_words(entry)})
    return out


def dscr_text(value) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.2f}x"
