"""A site's grid, month by month: the one place for the grid rule (ECONOMICS.md, "Sites: grid,
energy and mining" and "Validation").

- Capacity `cap_m`: the `capacity_mw` of the last `grid_schedule` step with `from_month <= m`,
  `grid_capacity_mw` before the first step.
- Active miners of fleet entry k: its count less the miners that conversions starting at or
  before m remove.
- Mining need `need_m = sum(active_k * power_w_k) / 1e6 * pue_mining` MW (nameplate, before uptime);
  hosting reservation `res_m = sum(critical_it_mw) * pue_hosting` over the conversions with
  `start_month <= m` (kept to the horizon).
- Yield `y_m = min(1, max(0, cap_m - res_m) / need_m)` on a site whose miners yield to the grid
  (1 when need_m is 0), else 1.
- Overload: `need_m + res_m > cap_m`, or on a yielding site `res_m > cap_m`, by more than
  GRID_TOLERANCE of `cap_m`.

Everything works on a normalised scenario (`desktop.model.scenario.validate_scenario`) and is
numpy over sites and months at once. The engine draws its mining arrays from `FleetMonths`, the
validation refuses `grid_overloads`, and the charts draw `GridLoads`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID_TOLERANCE = 1e-9  # a grid is exceeded when the load passes capacity * (1 + this)


def column(rows: list[dict], key: str, scale: float = 1.0) -> np.ndarray:
    """One key of every row as a float array, times `scale`."""
    return np.array([row[key] for row in rows], dtype=float).reshape(-1) * scale


def membership(site_index: np.ndarray, n_sites: int) -> np.ndarray:
    """(S, N) matrix summing N rows (fleet entries or conversions) into their sites."""
    return (np.arange(n_sites)[:, None] == np.asarray(site_index)[None, :]).astype(float)


def capacity_by_month(site: dict, n_months: int) -> np.ndarray:
    """(M,) grid capacity cap_m of one site, MW."""
    capacity = np.full(n_months, float(site["grid_capacity_mw"]))
    for step in site.get("grid_schedule", ()):
        capacity[step["from_month"]:] = step["capacity_mw"]
    return capacity


def capacity_source(site: dict, month: int) -> str:
    """The key that sets a site's capacity in `month`: `grid_capacity_mw` or `grid_schedule[j].capacity_mw`."""
    source = "grid_capacity_mw"
    for j, step in enumerate(site.get("grid_schedule", ())):
        if step["from_month"] <= month:
            source = f"grid_schedule[{j}].capacity_mw"
    return source


@dataclass
class FleetMonths:
    """Every fleet entry of the portfolio, month by month, with the conversions' removals."""
    entries: list[dict]          # K fleet entries, all sites, in site order
    site_index: np.ndarray       # (K,) the site of each entry
    member: np.ndarray           # (S, K) sums entries into sites
    active: np.ndarray           # (K, M) miners still mining in each month

    def site_sum(self, per_miner: np.ndarray) -> np.ndarray:
        """(S, M): sum over a site's entries of active_k * per_miner_k."""
        return self.member @ (self.active * per_miner[:, None])


def fleet_months(scenario: dict, conversions: list[dict], n_months: int) -> FleetMonths:
    sites = scenario["sites"]
    pairs = [(s, e) for s, site in enumerate(sites) for e in site["fleet"]]
    entries = [e for _, e in pairs]
    site_index = np.array([s for s, _ in pairs], dtype=int)
    active = np.repeat(column(entries, "count")[:, None], n_months, axis=1)
    if conversions and pairs:
        index = {(s, e["model"]): k for k, (s, e) in enumerate(pairs)}
        site_of = {site["name"]: s for s, site in enumerate(sites)}
        removals = np.zeros((len(pairs), n_months))
        for c in conversions:
            for model, count in c["remove_asics"].items():
                removals[index[(site_of[c["site"]], model)], c["start_month"]] += count
        active = active - np.cumsum(removals, axis=1)
    return FleetMonths(entries, site_index, membership(site_index, len(sites)), active)


@dataclass
class GridLoads:
    """(S, M) grid arrays of one case (baseline or plan)."""
    capacity_mw: np.ndarray          # cap_m
    mining_need_mw: np.ndarray       # need_m
    hosting_reserved_mw: np.ndarray  # res_m
    yields: np.ndarray               # (S,) bool: miners_yield_to_grid

    @property
    def load_mw(self) -> np.ndarray:
        """need_m + res_m: what the site would draw with every miner running."""
        return self.mining_need_mw + self.hosting_reserved_mw

    @property
    def yield_share(self) -> np.ndarray:
        """y_m: the share of the miners' need the grid lets run."""
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.minimum(1.0, np.maximum(0.0, self.capacity_mw - self.hosting_reserved_mw)
                               / np.where(self.mining_need_mw > 0, self.mining_need_mw, 1.0))
        share = np.where(self.mining_need_mw > 0, share, 1.0)
        return np.where(self.yields[:, None], share, 1.0)

    @property
    def overloaded(self) -> np.ndarray:
        """(S, M) bool: the month breaks the grid rule."""
        firm = np.where(self.yields[:, None], self.hosting_reserved_mw, self.load_mw)
        return firm - self.capacity_mw > GRID_TOLERANCE * self.capacity_mw


def hosting_reserved_mw(scenario: dict, conversions: list[dict], n_months: int) -> np.ndarray:
    """(S, M) res_m: critical IT times the site's hosting PUE from each conversion's start."""
    sites = scenario["sites"]
    out = np.zeros((len(sites), n_months))
    site_of = {site["name"]: s for s, site in enumerate(sites)}
    for c in conversions:
        s = site_of[c["site"]]
        out[s, c["start_month"]:] += c["critical_it_mw"] * sites[s]["pue_hosting"]
    return out


def grid_loads(scenario: dict, conversions: list[dict], n_months: int,
               fleet: FleetMonths | None = None) -> GridLoads:
    sites = scenario["sites"]
    fleet = fleet or fleet_months(scenario, conversions, n_months)
    need = fleet.site_sum(column(fleet.entries, "power_w")) / 1e6 * column(sites, "pue_mining")[:, None]
    return GridLoads(
        capacity_mw=np.array([capacity_by_month(site, n_months) for site in sites]).reshape(len(sites), n_months),
        mining_need_mw=need.reshape(len(sites), n_months),
        hosting_reserved_mw=hosting_reserved_mw(scenario, conversions, n_months),
        yields=np.array([bool(site.get("miners_yield_to_grid", False)) for site in sites], dtype=bool),
    )


@dataclass(frozen=True)
class GridOverload:
    site_index: int
    site: str
    month: int                     # the first month the rule breaks
    case: str                      # "the baseline" or "the plan"
    load_mw: float                 # need + res, or res alone on a yielding site
    capacity_mw: float
    yields: bool
    conversion_index: int | None   # the latest conversion started at that site by then; None in the baseline
    capacity_key: str              # the key that sets the capacity that month


def grid_overloads(scenario: dict) -> list[GridOverload]:
    """The first overloaded month of each site, baseline first, then the plan."""
    n_months = scenario["horizon_months"]
    plan = scenario.get("plan")
    conversions = plan["conversions"] if plan else []
    cases = [("the baseline", [])] + ([("the plan", conversions)] if conversions else [])
    found: list[GridOverload] = []
    reported: set[int] = set()
    for case, convs in cases:
        loads = grid_loads(scenario, convs, n_months)
        firm = np.where(loads.yields[:, None], loads.hosting_reserved_mw, loads.load_mw)
        for s in np.nonzero(loads.overloaded.any(axis=1))[0].tolist():
            if s in reported:
                continue
            reported.add(s)
            month = int(np.argmax(loads.overloaded[s]))
            site = scenario["sites"][s]
            started = [(c["start_month"], i) for i, c in enumerate(convs)
                       if c["site"] == site["name"] and c["start_month"] <= month]
            found.append(GridOverload(s, site["name"], month, case, float(firm[s, month]),
                                      float(loads.capacity_mw[s, month]), bool(loads.yields[s]),
                                      max(started)[1] if started else None, capacity_source(site, month)))
    return found
