"""The plan's key figures from the engine's results, as values and as the text a tile shows.

No Qt: the dashboard's tiles, the comparison table and the PDF report read the same list.
`plan_kpis(detail, prob_beats_mining)` returns `Kpi`s in display order.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.model.months import month_label
from desktop.model.formatting import number, pct, usd

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass
class Kpi:
    key: str
    label: str
    value: float | None
    text: str
    note: str = ""
    tone: str = "neutral"     # good, bad or neutral


def _month(start: str, offset: int) -> str:
    year, month = month_label(start, offset).split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def plan_figures(detail) -> dict:
    """Raw figures: delta_npv_usd, irr_pct, payback_month, capex_usd, critical_it_mw,
    btc_forgone, hosting_revenue_usd (None where there is no plan)."""
    result = detail.result
    delta, plan, base = result.get("delta"), result.get("plan"), result["baseline"]
    convs = (detail.scenario.get("plan") or {}).get("conversions", [])
    return {
        "delta_npv_usd": delta["npv_usd"] if delta else None,
        "irr_pct": delta["irr_pct"] if delta else None,
        "payback_month": delta["payback_month"] if delta else None,
        "capex_usd": plan["capex_usd"] if plan else None,
        "critical_it_mw": sum(c["critical_it_mw"] for c in convs),
        "btc_forgone": base["btc_mined"] - plan["btc_mined"] if plan else None,
        "hosting_revenue_usd": plan["hosting_revenue_usd"] if plan else None,
        "plan_npv_usd": plan["npv_usd"] if plan else None,
        "baseline_npv_usd": base["npv_usd"],
        # ECONOMICS.md v2: the levered, after-tax view and what carries it
        "equity_delta_npv_usd": delta["equity_npv_usd"] if delta else None,
        "equity_irr_pct": delta["equity_irr_pct"] if delta else None,
        "min_dscr": plan["min_dscr"] if plan else None,
        "terminal_value_usd": plan["terminal_value_usd"] if plan else None,
        "tax_usd": plan["tax_usd"] if plan else None,
        "levered_tax_usd": plan["levered_tax_usd"] if plan else None,
        "debt_drawn_usd": plan["debt_drawn_usd"] if plan else None,
        "financed": bool(((detail.scenario.get("plan") or {}).get("financing"))),
        "taxed": detail.scenario.get("tax") is not None,
        "terminal": detail.scenario.get("terminal") is not None,
        "terminal_share": _terminal_share(detail),
    }


def _terminal_share(detail) -> float | None:
    from desktop.model.finance_view import terminal_share

    return terminal_share(detail) if detail.plan is not None else None


def plan_kpis(detail, prob_beats_mining: float | None = None, risk_note: str = "") -> list[Kpi]:
    f = plan_figures(detail)
    has_plan = detail.plan is not None and f["critical_it_mw"] > 0
    start = detail.months[0]
    npv = f["delta_npv_usd"]
    payback = f["payback_month"]
    if not has_plan:
        payback_text, payback_note = "n/a", "no conversions"
    elif payback is None:
        payback_text, payback_note = "never", "within the horizon"
    elif payback == 0:
        payback_text, payback_note = "at once", "never behind mining"
    else:
        payback_text, payback_note = _month(start, payback), f"month {payback}"
    prob_text = "…" if prob_beats_mining is None else pct(prob_beats_mining * 100, 0)
    return [
        Kpi("delta_npv", "Δ NPV vs mining", npv, usd(npv) if has_plan else "n/a",
            f"plan {usd(f['plan_npv_usd'])}" if has_plan else "add a conversion",
            "good" if has_plan and npv > 0 else "bad" if has_plan and npv < 0 else "neutral"),
        Kpi("irr", "IRR", f["irr_pct"], pct(f["irr_pct"]) if has_plan else "n/a", "of the change, a year"),
        Kpi("payback", "Payback", payback, payback_text, payback_note),
        Kpi("capex", "Capex", f["capex_usd"], usd(f["capex_usd"]) if has_plan else "n/a", "build and GPUs"),
        Kpi("critical_it", "Critical IT converted", f["critical_it_mw"], number(f["critical_it_mw"], "MW"),
            f"{len((detail.scenario.get('plan') or {}).get('conversions', []))} conversions"),
        Kpi("btc_forgone", "BTC forgone", f["btc_forgone"],
            number(f["btc_forgone"], "BTC", 0) if has_plan else "n/a", "over the horizon"),
        Kpi("p_beats", "P(plan beats mining)", prob_beats_mining, prob_text if has_plan else "n/a",
            risk_note or "Monte Carlo paths",
            "neutral" if prob_beats_mining is None else "good" if prob_beats_mining >= 0.5 else "bad"),
    ] + finance_kpis(f, has_plan)


def finance_kpis(f: dict, has_plan: bool) -> list[Kpi]:
    """The v2 tiles: equity NPV and IRR (after tax and debt), minimum DSCR, terminal value, tax."""
    financed = f["financed"]
    eq = f["equity_delta_npv_usd"]
    view = "levered, after tax" if financed else "no debt" + (", after tax" if f["taxed"] else "")
    dscr = f["min_dscr"]
    tv, npv = f["terminal_value_usd"], f["delta_npv_usd"]
    tax = f["levered_tax_usd"] if financed else f["tax_usd"]
    return [
        Kpi("equity_npv", "Δ equity NPV", eq, usd(eq) if has_plan else "n/a", view if has_plan else "add a conversion",
            "good" if has_plan and eq > 0 else "bad" if has_plan and eq < 0 else "neutral"),
        Kpi("equity_irr", "Equity IRR", f["equity_irr_pct"], pct(f["equity_irr_pct"]) if has_plan else "n/a",
            "a year, equity"),
        Kpi("min_dscr", "Minimum DSCR", dscr, f"{dscr:.2f}x" if dscr is not None else "n/a",
            "worst year" if dscr is not None else ("no debt service" if financed else "no financing"),
            "neutral" if dscr is None else "good" if dscr >= 1.3 else "bad"),
        Kpi("terminal_value", "Terminal value", tv, usd(tv) if has_plan and f["terminal"] else "none",
            (f"{f['terminal_share'] * 100:.0f} % of Δ NPV" if has_plan and tv and f["terminal_share"] is not None
             else "no multiples set" if not f["terminal"] else "at the horizon")),
        Kpi("tax", "Tax", tax, usd(tax) if has_plan and f["taxed"] else "none",
            ("levered" if financed else "over the horizon") if f["taxed"] else "no tax set"),
    ]


def compare_kpis(detail, prob_beats_mining: float | None = None) -> list[Kpi]:
    """The Compare view's rows: the tiles, then the rest of the v2 totals side by side."""
    rows = plan_kpis(detail, prob_beats_mining)
    plan = detail.result.get("plan")

    def total(key, label, note, fmt=usd):
        value = plan[key] if plan else None
        return Kpi(f"total_{key}", label, value, fmt(value) if plan else "n/a", note)

    mwh = lambda v: number(v, "MWh", 0)  # noqa: E731
    return rows + [
        total("debt_drawn_usd", "Debt drawn", "borrowed against capex"),
        total("interest_usd", "Interest", "paid over the horizon"),
        total("principal_repaid_usd", "Principal repaid", "including at the horizon"),
        total("equity_net_cash_usd", "Equity net cash", "undiscounted, after tax and debt"),
        total("power_credit_usd", "Curtailment credits", "over the horizon"),
        total("curtailed_mwh", "Energy curtailed", "mining, over the horizon", mwh),
        total("grid_yielded_mwh", "Energy yielded to firm load", "mining, over the horizon", mwh),
    ]
