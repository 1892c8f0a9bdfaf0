"""The report's sentences, written from the numbers: the recommendation and the risks. No Qt."""
from __future__ import annotations

from desktop.model.formatting import usd  # plain Python: no Qt behind it


def _paths_text(mc) -> str:
    return f"{mc.params.n_paths:,} market paths"


def recommendation(data) -> str:
    """One sentence: convert or keep mining, and why, from the engine's delta."""
    delta = data.result["delta"]
    if delta is None or not data.scenario["plan"]["conversions"]:
        return "No decision to make: the plan converts nothing, so it is the same as keeping on mining."
    npv = delta["npv_usd"]
    payback = delta["payback_month"]
    mc = data.mc
    n_breaches = len(data.breaches)
    if npv > 0:
        verb = "Convert" if not n_breaches else \
            f"Convert once its {n_breaches} breach{'es' if n_breaches != 1 else ''} {'are' if n_breaches != 1 else 'is'} resolved"
        when = ("pays back in month {} ({})".format(payback, data.months[payback]) if payback is not None
                else "does not pay back within the horizon")
        text = f"{verb}: the plan adds {usd(npv)} of NPV over keeping on mining and {when}"
        if mc is not None and mc.prob_delta_npv_positive is not None:
            text += f", beating mining in {mc.prob_delta_npv_positive * 100:.0f} % of {_paths_text(mc)}"
        return text + "."
    text = f"Keep mining: the plan loses {usd(-npv)} of NPV against keeping on mining"
    if mc is not None and mc.prob_delta_npv_positive is not None:
        text += f" and beats it in only {mc.prob_delta_npv_positive * 100:.0f} % of {_paths_text(mc)}"
    price = data.breakevens.get("btc_price_usd")
    if price is not None and price < data.scenario["market"]["btc_price_usd"]:
        text += f"; it would pay only if BTC started below ${price:,.0f}"
    return text + "."


def sensitivity_words(data, top: int = 3) -> list[str]:
    out = []
    bars = data.tornado
    if not bars:
        return out
    for bar in bars[:top]:
        out.append(f"{bar['label']}: moved to {bar['low_value_desc']} the delta NPV is {usd(bar['delta_npv_low'])}; "
                   f"moved to {bar['high_value_desc']} it is {usd(bar['delta_npv_high'])}.")
    base = bars[0]["base_delta_npv_usd"]
    flips = [b["label"] for b in bars if (min(b["delta_npv_low"], b["delta_npv_high"]) < 0 <= base)
             or (max(b["delta_npv_low"], b["delta_npv_high"]) > 0 >= base)]
    if flips:
        out.append("The decision turns at one end of: " + ", ".join(flips) + ".")
    else:
        out.append("No single input moved by the tornado's step turns the decision around.")
    return out


def risk_words(data) -> list[str]:
    """Sensitivity, break-evens and Monte Carlo in sentences, largest effect first."""
    out = sensitivity_words(data)
    be = data.breakevens
    price = be.get("btc_price_usd")
    today = data.scenario["market"]["btc_price_usd"]
    delta = data.result["delta"]
    if price is not None and delta is not None:
        plan_side = "below" if (delta["npv_usd"] > 0) == (today < price) else "above"
        mining_side = "above" if plan_side == "below" else "below"
        out.append(f"Plan and mining are worth the same at a starting BTC price of ${price:,.0f} "
                   f"(assumed: ${today:,.0f}, growing as assumed): {plan_side} it the plan is worth more, "
                   f"{mining_side} it mining.")
    if be.get("crossover_month") is not None:
        out.append(f"The plan's cumulative cash catches up with mining's in month {be['crossover_month']} "
                   f"({be['crossover_month_label']}).")
    mc = data.mc
    if mc is not None and mc.delta is not None:
        lo, mid, hi = (mc.delta.npv_percentile(q) for q in (5, 50, 95))
        out.append(f"Across {_paths_text(mc)} (BTC volatility {mc.params.btc_volatility_pct_per_year:g} % a year, "
                   f"hashrate following with a {mc.params.hashrate_lag_months}-month lag, seed {mc.params.seed}), "
                   f"the plan beats mining in {mc.prob_delta_npv_positive * 100:.0f} %; the delta NPV's median is "
                   f"{usd(mid)}, its 5th to 95th percentile {usd(lo)} to {usd(hi)}.")
    return out
