"""The deal library: published AI/HPC deals of listed miners (resources/deals/deals.json), and
the terms one of them gives a conversion. No Qt.

A deal states what its announcement states: critical IT, base contract value, term,
escalator, renewals, prepayment. What it does not state is listed in `not_published` and
filled as 0, never guessed. The figures a conversion needs but no announcement gives are
derived here, one rule each, so they can be checked by hand:

- lease rate (colocation): the starting rent per kW of critical IT a month that reproduces
  the base contract value over the base term with the escalator (ECONOMICS.md: the rent
  steps up by the escalator every 12 months after commercial operation),
  `value / (MW * 1000 * sum over the term's months of (1 + e) ** floor(m / 12))`;
- GPU-hour price (gpu_cloud): the contract value per MW, times the conversion's MW, over its
  GPU-hours in the term (`gpu_count * utilization * 24 * 365.25 / 12` a month);
- prepayment and GPU capex scale with the conversion's critical IT against the deal's.
Amounts are filled at the precision the scenario file keeps (cents: desktop.model.rounding),
so an exported scenario carries the deal's terms exactly.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from desktop.model.errors import InputError

HOURS_PER_MONTH = 24 * 365.25 / 12
DEALS_FORMAT = "rackshift.deals/1"


@dataclass(frozen=True)
class Deal:
    id: str
    name: str
    announced: str
    mode: str
    lease_kind: str
    critical_it_mw: float
    contract_value_usd: float
    term_months: int
    lease_escalator_pct_per_year: float = 0.0
    renewals: int = 0
    renewal_term_months: int | None = None
    prepayment_usd: float = 0.0
    prepayment_pct_of_value: float = 0.0
    power_pass_through: bool = True
    gpu_capex_usd: float = 0.0
    utilization_pct: float = 100.0
    not_published: tuple = ()
    notes: str = ""
    sources: tuple = field(default_factory=tuple)   # ({"title", "url"}, ...)

    @property
    def prepayment_total_usd(self) -> float:
        return self.prepayment_usd + self.prepayment_pct_of_value / 100.0 * self.contract_value_usd

    @property
    def implied_lease_usd_per_kw_month(self) -> float:
        """The starting rent that reproduces the contract value (see the module's text)."""
        e = self.lease_escalator_pct_per_year / 100.0
        weight = sum((1.0 + e) ** (m // 12) for m in range(self.term_months))
        return self.contract_value_usd / (self.critical_it_mw * 1000.0 * weight)

    @property
    def average_usd_per_kw_month(self) -> float:
        """Contract value per kW of critical IT a month, averaged over the base term."""
        return self.contract_value_usd / (self.critical_it_mw * 1000.0 * self.term_months)

    def estimated(self, key: str) -> bool:
        return key in self.not_published


def default_path() -> Path:
    from desktop.paths import resources_dir

    return resources_dir() / "deals" / "deals.json"


_FIELDS = set(Deal.__dataclass_fields__)


def load_deals(path: Path | None = None) -> list[Deal]:
    data = json.loads(Path(path or default_path()).read_text(encoding="utf-8"))
    if data.get("format") != DEALS_FORMAT:
        raise InputError("format", f"must be {DEALS_FORMAT}")
    out = []
    for raw in data["deals"]:
        values = {k: v for k, v in raw.items() if k in _FIELDS}
        values["not_published"] = tuple(values.get("not_published", ()))
        values["sources"] = tuple(values.get("sources", ()))
        out.append(Deal(**values))
    return out


def by_id(deals: list[Deal], deal_id: str) -> Deal:
    for deal in deals:
        if deal.id == deal_id:
            return deal
    raise InputError("deal", f"no deal {deal_id!r} in the library")


def terms_for(deal: Deal, critical_it_mw: float, gpu_count: int | None = None) -> dict:
    """The conversion fields the deal sets, for a conversion of `critical_it_mw` (and, for a
    GPU cloud deal, `gpu_count` GPUs). One dict, written as one undoable edit."""
    if critical_it_mw <= 0:
        raise InputError("critical_it_mw", "the conversion places no critical IT: a deal cannot be scaled to it")
    share = critical_it_mw / deal.critical_it_mw
    terms = {
        "mode": deal.mode,
        "term_months": int(deal.term_months),
        "renewals": int(deal.renewals),
        "renewal_term_months": int(deal.renewal_term_months) if deal.renewals and deal.renewal_term_months else None,
        "prepayment_usd": round(deal.prepayment_total_usd * share, 2),
    }
    if deal.mode == "colocation":
        terms.update(lease_usd_per_kw_month=round(deal.implied_lease_usd_per_kw_month, 2),
                     lease_escalator_pct_per_year=float(deal.lease_escalator_pct_per_year),
                     power_pass_through=bool(deal.power_pass_through))
        return terms
    if not gpu_count:
        raise InputError("gpu_count", f"{deal.name} is a GPU cloud deal: the conversion needs a GPU count first")
    utilization = deal.utilization_pct / 100.0
    revenue = deal.contract_value_usd * share
    terms.update(gpu_count=int(gpu_count),
                 gpu_hour_usd=round(revenue / (gpu_count * utilization * HOURS_PER_MONTH * deal.term_months), 2),
                 utilization_pct=float(deal.utilization_pct),
                 gpu_capex_usd=round(deal.gpu_capex_usd * share, 2),
                 gpu_hour_growth_pct_per_year=0.0, gpu_residual_pct=0.0)
    return terms


def summary(deal: Deal) -> str:
    """One paragraph on the deal: what was published and what the library derives from it."""
    years = deal.term_months / 12
    parts = [f"{deal.critical_it_mw:,.0f} MW of critical IT, ${deal.contract_value_usd / 1e9:,.1f}B over "
             f"{years:g} years ({deal.lease_kind}, announced {deal.announced})."]
    if deal.mode == "colocation":
        parts.append(f"Implied ${deal.average_usd_per_kw_month:,.0f}/kW-month on average; a starting rent of "
                     f"${deal.implied_lease_usd_per_kw_month:,.2f}/kW-month with "
                     f"{deal.lease_escalator_pct_per_year:g} % a year reproduces the value (derived).")
    else:
        per_mw = deal.contract_value_usd / deal.critical_it_mw / deal.term_months
        parts.append(f"${per_mw / 1e6:,.2f}M of revenue per MW a month; the GPU-hour price follows from the "
                     f"conversion's GPU count (derived).")
    if deal.renewals:
        parts.append(f"{deal.renewals} renewal(s) of {deal.renewal_term_months / 12:g} years, filled as exercised.")
    if deal.prepayment_total_usd:
        parts.append(f"Prepayment ${deal.prepayment_total_usd / 1e9:,.2f}B.")
    if deal.not_published:
        parts.append("Not published, filled as 0 / default: " + ", ".join(deal.not_published) + ".")
    return " ".join(parts)
