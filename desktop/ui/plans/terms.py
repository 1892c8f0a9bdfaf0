"""The commercial terms of a conversion as the plans editor shows them: columns as data, values
parsed and checked with the engine's own rules, defaults when the mode changes. No Qt.

A column applies to both modes or to one (the lease to colocation, the GPUs to gpu_cloud);
`check(column, mode, value, horizon)` is desktop.model.scenario.check_field for that mode.
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop.model.entities import CONVERSION_MODES
from desktop.model.errors import InputError
from desktop.model.scenario import check_field
from desktop.store import catalog
from desktop.store.conversions import default_terms
from desktop.model.formatting import HUGE

MODE_TEXT = {"colocation": "Colocation lease", "gpu_cloud": "Own GPU cloud"}
GPU_DEFAULTS = {"gpu_hour_usd": 2.2, "utilization_pct": 70.0}   # as desktop.store.conversions.make_conversion


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str                     # text, site, number, int, bool, mode, month, breaches
    modes: tuple = CONVERSION_MODES
    editable: bool = True
    unit: str = ""                # how the value reads: usd, usd_small, pct, mw, count, term
    tip: str = ""
    optional: bool = False        # may be left empty (None)


COLUMNS = [
    Column("label", "Conversion", "text", editable=False),
    Column("site", "Site", "site", editable=False),
    Column("critical_it_mw", "Critical IT", "number", editable=False, unit="mw", tip="critical IT capacity placed"),
    Column("mode", "Mode", "mode", tip="colocation lease or own GPU cloud"),
    Column("start_month", "Start", "month", tip="month the miners come out and building starts"),
    Column("build_months", "Build months", "int", unit="months", tip="months of building before revenue"),
    Column("capex_usd_per_mw", "Capex per MW", "number", unit="usd", tip="build cost per MW of critical IT"),
    Column("lease_usd_per_kw_month", "Lease $/kW-mo", "number", ("colocation",), unit="usd_small",
           tip="lease per kW of critical IT a month"),
    Column("lease_escalator_pct_per_year", "Escalator", "number", ("colocation",), unit="pct_year",
           tip="yearly lease escalator"),
    Column("power_pass_through", "Tenant pays power", "bool", ("colocation",), tip="power pass-through"),
    Column("gpu_count", "GPUs", "int", ("gpu_cloud",), unit="count", tip="GPUs rented out"),
    Column("gpu_hour_usd", "$/GPU-hour", "number", ("gpu_cloud",), unit="usd_cents", tip="price per GPU-hour"),
    Column("utilization_pct", "Utilization", "number", ("gpu_cloud",), unit="pct", tip="share of GPU-hours sold"),
    Column("gpu_capex_usd", "GPU capex", "number", ("gpu_cloud",), unit="usd", tip="GPU purchase, paid at COD"),
    Column("load_factor_pct", "Load factor", "number", unit="pct", tip="average IT load as a share of critical IT"),
    Column("hosting_opex_usd_per_mw_month", "Opex $/MW-mo", "number", unit="usd",
           tip="hosting opex per MW of critical IT a month"),
    Column("term_months", "Term", "int", unit="term", optional=True,
           tip="contract term from commercial operation, months; empty: earns to the horizon"),
    Column("renewals", "Renewals", "int", unit="count", tip="renewals assumed exercised (needs a term)"),
    Column("renewal_term_months", "Renewal term", "int", unit="term", optional=True,
           tip="months of each renewal; empty: the term's"),
    Column("prepayment_usd", "Prepayment", "number", unit="usd",
           tip="paid by the tenant at the start, earned down over the term (needs a term)"),
    Column("gpu_hour_growth_pct_per_year", "GPU price growth", "number", ("gpu_cloud",), unit="pct_year",
           tip="yearly change of the GPU-hour price (negative: prices fall)"),
    Column("gpu_residual_pct", "GPU residual", "number", ("gpu_cloud",), unit="pct",
           tip="GPUs' resale value at the end of the term, share of their cost (needs a term)"),
    Column("breaches", "Checks", "breaches", editable=False, tip="rack, cooling, floor, hall and grid checks"),
]
NEEDS_TERM = ("renewals", "prepayment_usd", "gpu_residual_pct")   # ECONOMICS.md: 0 without a term
BY_KEY = {c.key: c for c in COLUMNS}


def applies(column: Column, mode: str) -> bool:
    return mode in column.modes


def parse(column: Column, value):
    """A typed value from what an editor gives (text, number or bool); InputError if it is not one."""
    if column.kind == "bool":
        return bool(value)
    if column.kind == "mode":
        if value in CONVERSION_MODES:
            return value
        for mode, text in MODE_TEXT.items():
            if str(value).strip().lower() == text.lower():
                return mode
        raise InputError(column.key, f"must be one of {', '.join(CONVERSION_MODES)}")
    if column.optional and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("$", "").replace("%", "")
        try:
            value = float(text)
        except ValueError:
            raise InputError(column.key, f"must be a number, not {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(column.key, "must be a number")
    if column.kind in ("int", "month"):
        if float(value) != int(value):
            raise InputError(column.key, "must be a whole number")
        return int(value)
    return float(value)


def check(column: Column, mode: str, value, horizon_months: int | None = None, conversion=None) -> str | None:
    """The engine's message refusing `value`, or None. With `conversion`, also the rule that
    renewals, a prepayment and a GPU residual need a term (ECONOMICS.md, "Validation")."""
    if column.optional and value is None:
        return None
    section = "conversion" if column.key == "mode" else mode
    message = check_field(section, column.key, value, horizon_months=horizon_months)
    if message is None and conversion is not None and column.key in NEEDS_TERM and value \
            and conversion.term_months is None:
        return "needs a contract term: set Term first"
    return message


def term_change(conversion, value) -> dict:
    """The fields to write when the term becomes `value`: without a term the contract runs to
    the horizon and has no renewals, prepayment or residual (cleared in the same step)."""
    fields = {"term_months": value}
    if value is None:
        fields.update(renewals=0, renewal_term_months=None, prepayment_usd=0.0, gpu_residual_pct=0.0)
        fields = {k: v for k, v in fields.items() if k == "term_months" or getattr(conversion, k) != v}
    return fields


def mode_change(project, conversion, mode: str) -> dict:
    """The fields to write when `conversion` switches to `mode`: the mode, and defaults for the
    new mode's terms that are still empty (a switch back keeps what the planner typed)."""
    fields = {"mode": mode}
    if mode == "gpu_cloud" and conversion.gpu_count is None:
        model = catalog.get(project, conversion.gpu_model_id) if conversion.gpu_model_id else None
        racks = conversion.racks_placed or 0
        fields["gpu_count"] = racks * ((model.gpus_per_rack if model else 0) or 0)
        fields["gpu_capex_usd"] = float(racks * ((model.price_usd if model else 0.0) or 0.0))
        fields.update(GPU_DEFAULTS)
    if mode == "colocation" and conversion.lease_usd_per_kw_month is None:
        fields["lease_usd_per_kw_month"] = default_terms()["lease_usd_per_kw_month"]
    return fields


_SUFFIX = {"pct": " %", "pct_year": " %/yr", "mw": " MW", "months": " mo"}


def value_text(column: Column, value) -> str:
    if value is None:
        return ""
    u = column.unit
    if abs(float(value)) >= HUGE:   # a typo's 1e30 reads in scientific form, not as 31 digits
        return ("$" if u.startswith("usd") else "") + f"{float(value):.2e}" + _SUFFIX.get(u, "")
    if u == "usd":
        v = float(value)
        return f"${v / 1e6:,.2f}M" if abs(v) >= 1e6 else f"${v:,.0f}"
    if u == "usd_small":
        return f"${float(value):,.0f}"
    if u == "usd_cents":
        return f"${float(value):,.2f}"
    if u == "pct":
        return f"{float(value):g} %"
    if u == "pct_year":
        return f"{float(value):g} %/yr"
    if u == "mw":
        return f"{float(value):,.2f} MW"
    if u == "months":
        return f"{int(value)} mo"
    if u == "term":
        months = int(value)
        return f"{months // 12} yr" if months % 12 == 0 else f"{months} mo"
    if u == "count":
        return f"{int(value):,}"
    return str(value)
