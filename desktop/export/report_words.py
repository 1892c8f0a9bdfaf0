"""The report's sentences, written from the numbers: the recommendation and the risks. No Qt."""
from __future__ import annotations

import re

from desktop.export import finance_words
from desktop.model import framing
from desktop.model.months import month_label, month_words
from desktop.model.formatting import usd  # plain Python: no Qt behind it


def _paths_text(mc) -> str:
    return f"{mc.params.n_paths:,} market paths"


def facts(data) -> framing.Facts:
    """The figures the leading sentence is chosen from (desktop.model.framing)."""
    r = data.result
    delta = r["delta"]
    base_npv = r["baseline"]["npv_usd"]
    if data.blocked:
        return framing.Facts(base_npv, base_npv, 0.0, converts=False, blocked=len(data.blocked))
    converts = delta is not None and bool(data.scenario.get("plan") and data.scenario["plan"]["conversions"])
    if not converts:
        return framing.Facts(base_npv, base_npv, 0.0, converts=False, has_plan=data.plan_id is not None)
    payback = delta["payback_month"]
    mc = data.mc
    prob = mc.prob_delta_npv_positive if mc is not None else None
    return framing.Facts(
        baseline_npv_usd=base_npv, plan_npv_usd=r["plan"]["npv_usd"], delta_npv_usd=delta["npv_usd"],
        breaches=len(data.breaches), prob_plan_beats_mining=prob, payback_month=payback,
        payback_label=month_words(data.months[payback]) if payback is not None else "",
        horizon_months=data.scenario["horizon_months"], paths=mc.params.n_paths if prob is not None else 0)


def recommendation(data) -> str:
    """One sentence: convert or keep mining, both NPVs and the delta (desktop.model.framing's table);
    for a financed plan, the after-tax equity view with the unlevered one beside it (finance_words)."""
    levered = finance_words.equity_recommendation(data)
    if levered:
        return levered
    return framing.verdict(facts(data), usd).sentence


def sensitivity_words(data, top: int = 3) -> list[str]:
    out = []
    bars = data.tornado
    if not bars:
        return out
    for bar in bars[:top]:
        out.append(f"{bar['label']}: at {bar['low_value_desc']} the difference in NPV is {usd(bar['delta_npv_low'])}; "
                   f"at {bar['high_value_desc']} it is {usd(bar['delta_npv_high'])}.")
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
    today = start_btc_price(data)
    delta = data.result["delta"]
    if price is not None and delta is not None:
        plan_side = "below" if (delta["npv_usd"] > 0) == (today < price) else "above"
        mining_side = "above" if plan_side == "below" else "below"
        out.append(f"Plan and mining are worth the same at a starting BTC price of ${price:,.0f} "
                   f"(assumed: ${today:,.0f}, growing as assumed): {plan_side} it the plan is worth more, "
                   f"{mining_side} it mining.")
    if be.get("crossover_month") is not None:
        out.append(f"The plan's cumulative cash catches up with mining's in month {be['crossover_month']} "
                   f"({month_words(be['crossover_month_label'])}).")
    mc = data.mc
    if mc is not None and mc.delta is not None:
        lo, mid, hi = (mc.delta.npv_percentile(q) for q in (5, 50, 95))
        out.append(f"Across {_paths_text(mc)} (BTC volatility {mc.params.btc_volatility_pct_per_year:g} % a year, "
                   f"hashrate following with a {mc.params.hashrate_lag_months}-month lag, seed {mc.params.seed}), "
                   f"the plan beats mining in {mc.prob_delta_npv_positive * 100:.0f} %; the median difference in NPV is "
                   f"{usd(mid)}, its 5th to 95th percentile {usd(lo)} to {usd(hi)}.")
    return out


MODE_WORDS = {"colocation": "Colocation lease", "gpu_cloud": "GPU cloud (own GPUs)"}
ROLE_WORDS = {"gpu": "GPU rack", "retired": "retired"}
_ABSOLUTE_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s/\\]+[/\\])+([^\s/\\]+)")


def mode_words(mode: str) -> str:
    """A conversion's business model as a reader says it."""
    return MODE_WORDS.get(mode, mode.replace("_", " "))


def plain_notes(text: str) -> str:
    """A note as it may be printed: an absolute file path is shortened to its file name
    ("imported from scenario file /srv/x/g5.json" -> "imported from scenario file g5.json")."""
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text or "").strip()


def horizon_words(scenario: dict) -> str:
    start = scenario["start_month"]
    n = int(scenario["horizon_months"])
    return f"{month_words(start)} to {month_words(month_label(start, n - 1))} ({n} months)"


def conventions_words(scenario: dict) -> str:
    """How the figures are counted, in words (ECONOMICS.md's conventions, without naming the file)."""
    return (f"Figures are nominal US dollars. Each future's cash is discounted at the end of every month at "
            f"{scenario['discount_rate_pct']:g} % a year over {horizon_words(scenario)}; "
            + finance_words.conventions_tail(scenario))


def montecarlo_words(mc) -> str:
    """What the chance that the plan beats mining means, with every risk input the planner set on
    the dashboard (paths, volatilities, schedule risk)."""
    p = mc.params
    moves = [f"the BTC price moves at random around the assumed growth ({p.btc_volatility_pct_per_year:g} % a "
             f"year volatility)",
             f"the network hashrate follows it with a {p.hashrate_lag_months}-month lag"
             + (f" and its own {p.hashrate_volatility_pct_per_year:g} % a year"
                if getattr(p, "hashrate_volatility_pct_per_year", 0) else "")]
    energy = getattr(p, "energy_volatility_pct_per_year", 0)
    if energy:
        moves.append(f"energy prices move {energy:g} % a year")
    gpu = getattr(p, "gpu_price_volatility_pct_per_year", 0)
    if gpu:
        moves.append(f"GPU-hour prices {gpu:g} % a year")
    late = getattr(p, "delay_probability_pct", 0)
    if late and getattr(p, "delay_months", 0):
        moves.append(f"each conversion has a {late:g} % chance of starting to earn {p.delay_months} months late")
    return (f"The chance that the plan beats mining is the share of {p.n_paths:,} simulated market paths in "
            f"which the plan's NPV is higher than keeping on mining's: " + "; ".join(moves)
            + f" (seed {p.seed}, so the same figures come out every time).")


def biggest_risk(data) -> list[str]:
    """The input that moves the decision most (largest tornado swing), and the BTC price at which
    the two futures are worth the same."""
    out = []
    if data.tornado:
        bar = max(data.tornado, key=lambda b: b["swing"])
        out.append(f"{bar['label']} moves the difference most: at {bar['low_value_desc']} it is "
                   f"{usd(bar['delta_npv_low'])}, at {bar['high_value_desc']} {usd(bar['delta_npv_high'])} "
                   f"(a swing of {usd(bar['swing'])}).")
    price = data.breakevens.get("btc_price_usd")
    delta = data.result["delta"]
    if delta is not None and data.has_plan:
        today = start_btc_price(data)
        if price is None:
            out.append(f"No starting BTC price up to {sensitivity_bracket(today)} makes the two futures worth "
                       f"the same.")
        else:
            better = "below" if (delta["npv_usd"] > 0) == (today < price) else "above"
            out.append(f"Break-even BTC price ${price:,.0f} (assumed ${today:,.0f}): the plan is worth more "
                       f"{better} it, keeping on mining {'above' if better == 'below' else 'below'} it.")
    return out


def start_btc_price(data) -> float:
    """The BTC price in the first month (a start price, or a path's first month)."""
    return float(data.detail.market.btc_price_usd[0])


def market_words(data) -> str:
    """The assumed market in words: a start and a growth, or a month-by-month path."""
    m, market = data.scenario["market"], data.detail.market
    if "btc_price_growth_pct_per_year" in m:
        btc = f"BTC from ${start_btc_price(data):,.0f} growing {m['btc_price_growth_pct_per_year']:g} % a year"
    else:
        btc = (f"BTC along the planner's price path, ${start_btc_price(data):,.0f} in the first month and "
               f"${float(market.btc_price_usd[-1]):,.0f} in the last")
    first, last = float(market.network_hashrate_ehs[0]), float(market.network_hashrate_ehs[-1])
    if "network_hashrate_growth_pct_per_year" in m:
        hashrate = f"network hashrate from {first:,.0f} EH/s growing {m['network_hashrate_growth_pct_per_year']:g} % a year"
    else:
        hashrate = f"network hashrate along its path, {first:,.0f} EH/s in the first month and {last:,.0f} in the last"
    return f"{btc}, {hashrate}"


def sensitivity_bracket(today: float) -> str:
    from desktop.model.sensitivity import BTC_PRICE_BRACKET

    return f"${today * BTC_PRICE_BRACKET:,.0f}"


def must_be_true(data) -> list[str]:
    """What has to hold for the decision to stand: breaches resolved, conversions placed."""
    out = []
    if data.breaches:
        for conversion, message in data.breaches:
            out.append(f"{conversion}: {message} must be resolved before the build.")
    elif data.has_plan:
        out.append("No conversion breaches a rack feed, cooling, floor load, hall power or site grid limit.")
    if data.skipped:
        out.append("Not counted (no GPU capacity placed yet): " + ", ".join(data.skipped) + ".")
    if data.has_plan:
        out.append("The market follows the assumptions: " + market_words(data) + ".")
    return out


def positions_words(row: dict) -> str:
    """A schedule row's rack positions in words: "362 GPU racks, 388 retired" or none yet."""
    racks, retired = int(row["gpu_racks"] or 0), int(row["positions_retired"] or 0)
    if not racks and not retired:
        return "none assigned yet"
    parts = [f"{racks:,} GPU rack{'s' if racks != 1 else ''}"] if racks else []
    if retired:
        parts.append(f"{retired:,} retired")
    return ", ".join(parts)


def unplaced_words(data) -> list[str]:
    """Conversions that reserve power without naming rack positions (a plan imported from a
    scenario file), each said in words."""
    out = []
    for row in data.schedule:
        if row["gpu_racks"] or row["positions_retired"]:
            continue
        if row["critical_it_mw"] > 0:
            mw = f"{row['critical_it_mw']:,.3f}".rstrip("0").rstrip(".")
            out.append(f"{row['conversion']} reserves {mw} MW of critical IT at "
                       f"{row['site']}; no rack positions are assigned yet.")
        else:
            out.append(f"{row['conversion']} places no GPU capacity yet and takes no rack positions.")
    return out
