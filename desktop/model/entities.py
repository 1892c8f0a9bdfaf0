"""Plain data for the portfolio: what the store reads and writes and the editors show.

No Qt, no SQL. Field names carry their units. Ids are the project file's row ids
(None before the row exists).
"""
from __future__ import annotations

from dataclasses import dataclass, field

HALL_COOLING = ("air", "hydro", "immersion", "liquid-ready")
EQUIPMENT_COOLING = ("air", "hydro", "immersion", "liquid")
CONVERSION_MODES = ("colocation", "gpu_cloud")


@dataclass
class EquipmentModel:
    kind: str  # "asic" or "gpu"
    name: str
    manufacturer: str = ""
    hashrate_ths: float | None = None
    power_w: float | None = None
    gpus_per_rack: int | None = None
    rack_power_kw: float | None = None
    servers_per_rack: int | None = None
    u_height: float | None = None
    airflow: str | None = None
    is_powered: bool = True
    cooling: str = "air"
    weight_kg: float | None = None
    price_usd: float | None = None
    source: str = ""
    is_estimate: bool = False
    notes: str = ""
    id: int | None = None

    @property
    def efficiency_j_per_th(self) -> float | None:
        if self.kind != "asic" or not self.hashrate_ths or self.power_w is None:
            return None
        return self.power_w / self.hashrate_ths


@dataclass
class Site:
    name: str
    grid_capacity_mw: float
    energy_price_usd_per_mwh: float
    location: str = ""
    pue_mining: float = 1.05
    pue_hosting: float = 1.3
    pool_fee_pct: float = 2.0
    mining_opex_usd_per_mw_month: float = 0.0
    notes: str = ""
    sort_order: int = 0
    # ECONOMICS.md version 2
    energy_price_growth_pct_per_year: float = 0.0
    grid_schedule: list[dict] = field(default_factory=list)   # [{from_month, capacity_mw}], increasing months
    miners_yield_to_grid: bool = False
    curtailment_pct: float = 0.0
    curtailment_credit_usd_per_mwh: float = 0.0
    id: int | None = None


@dataclass
class FleetEntry:
    site_id: int
    model_id: int
    count: int
    uptime_pct: float = 100.0
    resale_usd_per_ths: float = 0.0
    id: int | None = None


@dataclass
class Hall:
    site_id: int
    name: str
    power_capacity_kw: float
    max_rack_kw: float
    floor_load_kg: float
    rows: int
    cols: int
    cooling: str = "air"
    sort_order: int = 0
    id: int | None = None


@dataclass
class Plan:
    name: str
    notes: str = ""
    created_at: str = ""
    financing: dict | None = None   # the scenario's plan.financing (ECONOMICS.md v2); None: no debt
    id: int | None = None


@dataclass
class Conversion:
    """A batch of positions going from ASICs to GPU racks at a month, with its terms.

    `start_month` is the 0-based month index in the project's horizon (ECONOMICS.md).
    `remove_asics` maps the catalog id of an ASIC model to miners removed (ids, so a rename
    never breaks a plan). Its breaches are derived when read (desktop.store.checks), not kept here.
    """

    plan_id: int
    site_id: int
    start_month: int
    critical_it_mw: float
    mode: str = "colocation"
    capex_usd_per_mw: float = 9_000_000.0
    build_months: int = 12
    hall_id: int | None = None
    gpu_model_id: int | None = None
    label: str = ""
    racks_placed: int = 0
    remove_asics: dict[int, int] = field(default_factory=dict)
    hosting_opex_usd_per_mw_month: float = 0.0
    load_factor_pct: float = 100.0
    lease_usd_per_kw_month: float | None = 150.0
    lease_escalator_pct_per_year: float = 0.0
    power_pass_through: bool = True
    gpu_count: int | None = None
    gpu_hour_usd: float | None = None
    utilization_pct: float = 100.0
    gpu_capex_usd: float = 0.0
    # ECONOMICS.md version 2: the contract's length, prepayment and GPU price path
    term_months: int | None = None          # None: earns to the horizon
    renewals: int = 0
    renewal_term_months: int | None = None  # None: the term's
    prepayment_usd: float = 0.0
    gpu_hour_growth_pct_per_year: float = 0.0
    gpu_residual_pct: float = 0.0
    id: int | None = None
