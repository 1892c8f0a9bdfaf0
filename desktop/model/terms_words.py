"""A conversion's contract in words, as a CFO reads it: "15-year triple-net lease, 3 % a year,
three 5-year renewals assumed exercised". From a normalised scenario conversion (the keys of
ECONOMICS.md); `kind` names the lease as its deal does ("triple-net lease"), else "lease".
No Qt."""
from __future__ import annotations

from desktop.model.formatting import usd

_COUNT = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _duration(months: int) -> str:
    return f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"


def _pct(value: float) -> str:
    return f"{value:g} %"


def renewal_words(conv: dict) -> str:
    """"three 5-year renewals assumed exercised", or "" without renewals."""
    n = int(conv.get("renewals", 0) or 0)
    if not n or conv.get("term_months") is None:
        return ""
    months = int(conv.get("renewal_term_months") or conv["term_months"])
    return f"{_COUNT.get(n, str(n))} {_duration(months)} renewal{'s' if n != 1 else ''} assumed exercised"


def conversion_terms_text(conv: dict, kind: str | None = None) -> str:
    term = conv.get("term_months")
    parts = []
    if conv["mode"] == "colocation":
        kind = kind or "lease"
        parts.append(f"{_duration(int(term))} {kind}" if term is not None else f"{kind} to the horizon")
        parts.append(f"${conv['lease_usd_per_kw_month']:,.2f}/kW-month")
        escalator = conv.get("lease_escalator_pct_per_year", 0.0) or 0.0
        parts.append(f"{_pct(escalator)} a year" if escalator else "no escalator")
        parts.append("tenant pays the power" if conv.get("power_pass_through", True) else "operator pays the power")
    else:
        kind = kind or "GPU cloud contract"
        parts.append(f"{_duration(int(term))} {kind}" if term is not None else f"{kind} to the horizon")
        parts.append(f"{int(conv['gpu_count']):,} GPUs at ${conv['gpu_hour_usd']:,.2f}/GPU-hour, "
                     f"{_pct(conv.get('utilization_pct', 100.0))} sold")
        growth = conv.get("gpu_hour_growth_pct_per_year", 0.0) or 0.0
        if growth:
            parts.append(f"GPU-hour price {'+' if growth > 0 else ''}{_pct(growth)} a year")
        residual = conv.get("gpu_residual_pct", 0.0) or 0.0
        if residual:
            parts.append(f"GPUs resold at {_pct(residual)} of cost at the end")
    renewals = renewal_words(conv)
    if renewals:
        parts.append(renewals)
    prepaid = conv.get("prepayment_usd", 0.0) or 0.0
    if prepaid:
        parts.append(f"{usd(prepaid)} prepaid, earned down over the term")
    return ", ".join(parts)
