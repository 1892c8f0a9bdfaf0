"""What each field is called in the planner's words, its unit, and its plausible range.

`FIELD_RULES` (desktop.model.scenario, with desktop.model.field_rules) says what is *valid*:
a value outside it is refused. This table, beside it, says what is *plausible*: a value
outside the typical range is stored, but the editor shows a warning naming the typical
range and where it comes from (a lease of 1e30 $/kW-month is a typo, not a deal).

One row per field: `(section, key): Words(label, unit, low, high, source)`. A new field (the
v2 economics, a Monte Carlo setting) adds a row here and every editor shows its name, unit
and warning. The conversion sections (colocation, gpu_cloud) fall back to "conversion".

- `label(section, key)`: "Lease rate"; `unit(section, key)`: "$/kW-month".
- `sentence(section, key, message)`: "Lease rate must be at least $0/kW-month" from the rule's
  "must be at least 0", for messages the planner reads.
- `plausibility(section, key, value)`: None when the value is typical, else a short warning
  ("unusually high: typically $50-300/kW-month") and `typical(section, key)` for a tooltip.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_REF = "reference/equipment-and-market.md"
_DESIGN = "Rackshift design notes"
_EST = "Rackshift estimate"
_DEALS = "the deal library, resources/deals/deals.json"


@dataclass(frozen=True)
class Words:
    label: str
    unit: str = ""
    low: float | None = None      # plausible range (None: no warning on that side)
    high: float | None = None
    source: str = ""


FIELD_WORDS: dict[tuple[str, str], Words] = {
    # sites
    ("site", "name"): Words("Site name"),
    ("site", "grid_capacity_mw"): Words("Grid capacity", "MW", 1, 1000, f"listed miners' sites, 25-500 MW ({_REF})"),
    ("site", "energy_price_usd_per_mwh"): Words("Energy price", "$/MWh", 10, 200, f"mining power contracts ({_EST})"),
    ("site", "pue_mining"): Words("Mining PUE", "", 1.0, 1.2, f"mining 1.02-1.1 ({_DESIGN})"),
    ("site", "pue_hosting"): Words("Hosting PUE", "", 1.1, 1.6, f"hosting 1.2-1.4, AI targets 1.2-1.3 ({_REF})"),
    ("site", "pool_fee_pct"): Words("Pool fee", "%", 0, 5, f"FPPS pool fees 1.5-4 % ({_REF})"),
    ("site", "mining_opex_usd_per_mw_month"): Words("Mining opex", "$/MW-month", 0, 60000, _EST),
    ("site", "location"): Words("Location"),
    ("site", "notes"): Words("Notes"),
    # fleet and ASIC catalog entries
    ("fleet", "model"): Words("ASIC model"),
    ("fleet", "count"): Words("Miner count", "miners", 0, 500000, _EST),
    ("fleet", "hashrate_ths"): Words("Hashrate per miner", "TH/s", 10, 1000, f"ASICs 104-580 TH/s ({_REF})"),
    ("fleet", "power_w"): Words("Power per miner", "W", 500, 10000, f"ASICs 3,010-5,676 W ({_REF})"),
    ("fleet", "uptime_pct"): Words("Uptime", "%", 80, 100, _EST),
    ("fleet", "resale_usd_per_ths"): Words("Resale value", "$/TH/s", 0, 30, f"ASICs $3-20 per TH ({_REF})"),
    ("asic", "name"): Words("Model name"),
    ("asic", "manufacturer"): Words("Manufacturer"),
    ("asic", "hashrate_ths"): Words("Hashrate per miner", "TH/s", 10, 1000, f"ASICs 104-580 TH/s ({_REF})"),
    ("asic", "power_w"): Words("Power per miner", "W", 500, 10000, f"ASICs 3,010-5,676 W ({_REF})"),
    ("asic", "weight_kg"): Words("Weight per miner", "kg", 3, 40, f"S21 XP 18.7 kg ({_REF})"),
    ("asic", "price_usd"): Words("Price per miner", "$", 100, 30000, f"ASICs $3-20 per TH ({_REF})"),
    ("asic", "source"): Words("Source"),
    # halls
    ("hall", "name"): Words("Hall name"),
    ("hall", "cooling"): Words("Cooling"),
    ("hall", "power_capacity_kw"): Words("Hall power", "kW", 100, 250000, _EST),
    ("hall", "max_rack_kw"): Words("Power per position", "kW", 5, 250, f"AI halls 150-200 kW a rack ({_REF})"),
    ("hall", "floor_load_kg"): Words("Floor load per position", "kg", 300, 3000, f"GB200 NVL72 ~1,360 kg ({_REF})"),
    ("hall", "rows"): Words("Rows", "", 1, 100, _EST),
    ("hall", "cols"): Words("Columns", "", 1, 200, _EST),
    # GPU systems
    ("gpu", "name"): Words("System name"),
    ("gpu", "manufacturer"): Words("Manufacturer"),
    ("gpu", "gpus_per_rack"): Words("GPUs per rack", "GPUs", 1, 144, f"NVL72 72 GPUs, MI355X up to 128 ({_REF})"),
    ("gpu", "rack_power_kw"): Words("Rack power", "kW", 5, 250, f"DGX H100 rack 41 kW, NVL72 120-140 kW ({_REF})"),
    ("gpu", "servers_per_rack"): Words("Servers per rack", "", 1, 72, _EST),
    ("gpu", "power_w"): Words("Power per server", "W", 500, 20000, f"DGX 10.2-14.5 kW ({_REF})"),
    ("gpu", "u_height"): Words("Server height", "U", 1, 12, f"DGX 8-10U ({_REF})"),
    ("gpu", "weight_kg"): Words("Rack weight", "kg", 50, 2000, f"NVL72 ~1,360 kg ({_REF})"),
    ("gpu", "price_usd"): Words("Price per rack", "$", 10000, 6000000, f"NVL72 $2-4M a rack ({_REF})"),
    ("gpu", "cooling"): Words("Cooling"),
    ("gpu", "source"): Words("Source"),
    ("gpu", "notes"): Words("Notes"),
    # the scenario's market and model
    ("root", "start_month"): Words("Start month"),
    ("root", "horizon_months"): Words("Horizon", "months", 12, 240, _EST),
    ("root", "discount_rate_pct"): Words("Discount rate", "%/yr", 0, 25, _EST),
    ("market", "btc_price_usd"): Words("BTC price", "$", 10000, 1000000, _EST),
    ("market", "btc_price_growth_pct_per_year"): Words("BTC price growth", "%/yr", -50, 100, _EST),
    ("market", "network_hashrate_ehs"): Words("Network hashrate", "EH/s", 100, 10000,
                                              f">1.1 ZH/s in late 2025 ({_REF})"),
    ("market", "network_hashrate_growth_pct_per_year"): Words("Network hashrate growth", "%/yr", -50, 150, _EST),
    ("market", "fees_btc_per_block"): Words("Fees per block", "BTC", 0, 1, f"0.036 BTC in 2025 ({_REF})"),
    ("market", "block_height_at_start"): Words("Block height at start"),
    ("market", "blocks_per_day"): Words("Blocks per day", "", 130, 160, f"target 144 a day ({_REF})"),
    # conversions and their terms
    ("conversion", "start_month"): Words("Start"),
    ("conversion", "mode"): Words("Mode"),
    ("conversion", "critical_it_mw"): Words("Critical IT", "MW", 0.1, 500, f"deals 25-500 MW ({_REF})"),
    ("conversion", "build_months"): Words("Build time", "months", 0, 36, f"~6-month retrofits ({_REF})"),
    ("conversion", "capex_usd_per_mw"): Words("Capex per MW", "$/MW", 200000, 15000000,
                                              f"$3-11M per MW of critical IT ({_REF})"),
    ("conversion", "hosting_opex_usd_per_mw_month"): Words("Hosting opex", "$/MW-month", 0, 100000, _EST),
    ("conversion", "load_factor_pct"): Words("Load factor", "%", 30, 100, _EST),
    ("colocation", "lease_usd_per_kw_month"): Words("Lease rate", "$/kW-month", 50, 300,
                                                    f"deals at $102-180/kW-month ({_REF})"),
    ("colocation", "lease_escalator_pct_per_year"): Words("Lease escalator", "%/yr", 0, 6, _EST),
    ("colocation", "power_pass_through"): Words("Tenant pays power"),
    ("gpu_cloud", "gpu_count"): Words("GPUs", "GPUs", 0, 500000, _EST),
    ("gpu_cloud", "gpu_hour_usd"): Words("Price per GPU-hour", "$/GPU-hour", 0.5, 15, f"H100 $1.70-2.50, GB200 ~$9 ({_REF})"),
    ("gpu_cloud", "utilization_pct"): Words("Utilization", "%", 30, 100, _EST),
    ("gpu_cloud", "gpu_capex_usd"): Words("GPU capex", "$", 0, 10e9, f"IREN $5.8B of GB300s ({_REF})"),
    # v2 economics (ECONOMICS.md v2): sites, contract terms, financing, tax, terminal value
    ("site", "energy_price_growth_pct_per_year"): Words("Energy price growth", "%/yr", -10, 15, _EST),
    ("site", "curtailment_pct"): Words("Curtailment", "%", 0, 20, _EST),
    ("site", "curtailment_credit_usd_per_mwh"): Words("Curtailment credit", "$/MWh", 0, 500, _EST),
    ("conversion", "term_months"): Words("Contract term", "months", 12, 240, f"leases of 5-15 years ({_REF})"),
    ("conversion", "renewals"): Words("Renewals", "", 0, 4, f"two or three 5-year options (Hut 8, TeraWulf, Core Scientific; "
                                                        f"{_DEALS})"),
    ("conversion", "renewal_term_months"): Words("Renewal term", "months", 12, 180, f"5-year options ({_DEALS})"),
    ("conversion", "prepayment_usd"): Words("Prepayment", "$", 0, 5e9, f"IREN / Microsoft: 20 % of $9.7B ({_DEALS})"),
    ("gpu_cloud", "gpu_hour_growth_pct_per_year"): Words("GPU-hour price growth", "%/yr", -40, 10,
                                                         f"H100 $1.70-2.50 in 2025-26, falling ({_REF})"),
    ("gpu_cloud", "gpu_residual_pct"): Words("GPU residual value", "%", 0, 50, _EST),
    ("grid_step", "from_month"): Words("From month"),
    ("grid_step", "capacity_mw"): Words("Grid capacity", "MW", 1, 1000, f"listed miners' sites, 25-500 MW ({_REF})"),
    ("financing", "loan_to_cost_pct"): Words("Loan to cost", "%", 0, 85,
                                             f"up to 85 %: Hut 8 River Bend project financing, Dec 2025 ({_DEALS})"),
    ("financing", "interest_rate_pct"): Words("Interest rate", "%/yr", 2, 20,
                                              "Cipher Mining's 7.125 % secured notes for Barber Lake, Nov 2025"),
    ("financing", "term_months"): Words("Loan term", "months", 12, 180, _EST),
    ("financing", "equity_discount_rate_pct"): Words("Equity discount rate", "%/yr", 0, 30, _EST),
    ("tax", "rate_pct"): Words("Tax rate", "%", 0, 40, "US federal corporate rate 21 % (26 U.S.C. 11) plus state taxes"),
    ("tax", "depreciation_months"): Words("Depreciation of build capex", "months", 60, 480, _EST),
    ("tax", "gpu_depreciation_months"): Words("Depreciation of GPUs", "months", 24, 96,
                                              "computers are 5-year property under US MACRS (IRS Publication 946)"),
    ("terminal", "mining_ebitda_multiple"): Words("Mining EBITDA multiple", "x", 0, 15, _EST),
    ("terminal", "hosting_ebitda_multiple"): Words("Hosting EBITDA multiple", "x", 0, 30, _EST),
    # Monte Carlo
    ("montecarlo", "btc_volatility_pct_per_year"): Words("BTC price volatility", "%/yr", 20, 100,
                                                         "BTC's realised volatility, 40-80 %/yr (estimate)"),
    ("montecarlo", "hashrate_volatility_pct_per_year"): Words("Hashrate volatility", "%/yr", 0, 40, _EST),
    ("montecarlo", "hashrate_lag_months"): Words("Hashrate lag", "months", 0, 24, _EST),
    ("montecarlo", "hashrate_elasticity"): Words("Hashrate elasticity", "", 0, 2, _EST),
    ("montecarlo", "energy_volatility_pct_per_year"): Words("Energy price volatility", "%/yr", 0, 50, _EST),
    ("montecarlo", "gpu_price_volatility_pct_per_year"): Words("GPU-hour price volatility", "%/yr", 0, 60, _EST),
    ("montecarlo", "delay_probability_pct"): Words("Chance a conversion is late", "%", 0, 60, _EST),
    ("montecarlo", "delay_months"): Words("Late by", "months", 0, 24, _EST),
    ("montecarlo", "n_paths"): Words("Paths", "paths", 1000, 100000, _EST),
}

_FALLBACK = {"colocation": "conversion", "gpu_cloud": "conversion", "conversion": "conversion", "plan": "conversion"}


def known(section: str, key: str) -> bool:
    """Whether the table has a row for the field (its own or its conversion section's)."""
    return (section, key) in FIELD_WORDS or (_FALLBACK.get(section, ""), key) in FIELD_WORDS


def words(section: str, key: str) -> Words:
    found = FIELD_WORDS.get((section, key)) or FIELD_WORDS.get((_FALLBACK.get(section, ""), key))
    if found is None:
        if section in _FALLBACK:   # a mode's key asked in the other mode's section
            for (other_section, other), w in FIELD_WORDS.items():
                if other == key and other_section in _FALLBACK:
                    return w
        return Words(key.replace("_", " ").capitalize())
    return found


def label(section: str, key: str) -> str:
    return words(section, key).label


def in_sentence(section: str, key: str) -> str:
    """The label inside a sentence: 'energy price', but 'PUE' and 'BTC price' keep their capitals."""
    text = label(section, key)
    return text[0].lower() + text[1:] if len(text) > 1 and not text[1].isupper() else text


def unit(section: str, key: str) -> str:
    return words(section, key).unit


def amount(value: float, unit_text: str) -> str:
    """A number with its unit as a planner writes it: $0/kW-month, 120 MW, 55 %/yr."""
    number = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.3g}"
    if unit_text.startswith("$"):
        return f"${number}{unit_text[1:]}"
    if not unit_text:
        return number
    return f"{number} {unit_text}"


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])")
_BOUND_WORDS = ("must be at least", "must be greater than", "must be between", "must be at most")


def sentence(section: str, key: str, message: str) -> str:
    """The rule's message as a sentence naming the field: 'Lease rate must be at least $0/kW-month'."""
    w = words(section, key)
    if message.startswith(_BOUND_WORDS) and w.unit:
        cut = min((i for i in (message.find(": "), message.find(" (")) if i >= 0), default=len(message))
        head, tail = message[:cut], message[cut:]
        numbers = list(_NUMBER.finditer(head))
        if numbers and numbers[-1].end() == len(head):   # the bound has no unit yet
            if w.unit.startswith("$"):
                head = _NUMBER.sub(lambda m: amount(float(m.group(0)), w.unit), head)
            else:
                last = numbers[-1]
                head = head[:last.start()] + amount(float(last.group(0)), w.unit)
        message = head + tail
    return f"{w.label} {message}"


def typical(section: str, key: str) -> str:
    """'typically 50 to 300 $/kW-month (deals at ...)', or '' when the field has no plausible range."""
    w = words(section, key)
    if w.low is None and w.high is None:
        return ""
    if w.low is not None and w.high is not None:
        low = amount(w.low, "$" if w.unit.startswith("$") else "")
        span = f"{low} to {amount(w.high, w.unit)}"
    elif w.low is not None:
        span = f"at least {amount(w.low, w.unit)}"
    else:
        span = f"at most {amount(w.high, w.unit)}"
    return f"typically {span}" + (f"; source: {w.source}" if w.source else "")


def plausibility(section: str, key: str, value) -> str | None:
    """None when `value` is in the plausible range (or not a number), else a short warning."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(float(value)):
        return None
    w = words(section, key)
    if w.high is not None and value > w.high:
        return f"unusually high (typically at most {amount(w.high, w.unit)})"
    if w.low is not None and value < w.low:
        return f"unusually low (typically at least {amount(w.low, w.unit)})"
    return None


_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def explain(field: str, message: str, section: str = "") -> str:
    """An InputError's field and message for the planner: 'Lease rate must be at least
    $0/kW-month' for a field key (or a path ending in one: plan.conversions[0].build_months,
    montecarlo.hashrate_lag_months); other places (a CSV line) keep 'field: message'."""
    if not field:
        return message
    head, _, last = field.rpartition(".")
    if _KEY.match(last):
        if not section:
            section = head.split("[")[0].split(".")[-1] if head else ""
            section = {"sites": "site", "fleet": "fleet", "conversions": "conversion"}.get(section, section)
        return sentence(section, last, message)
    return f"{field}: {message}"
