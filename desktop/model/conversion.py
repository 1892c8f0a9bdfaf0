"""The rules of converting rack positions from ASICs to GPU racks. No Qt, no SQL.

Power-neutral placement (the default): the selection frees the grid power its miners draw,
`sum(miners * power_w) / 1e6 * pue_mining` MW; a GPU rack reserves
`rack_power_kw / 1000 * pue_hosting` MW of grid (ECONOMICS.md: hosting reserves
critical IT times the hosting PUE). So the editor places
`floor(freed_mw / rack_grid_mw)` racks, never more than the positions selected, on the first
selected positions in reading order (row by row), and retires the rest of the selection.
The planner may ask for another number of racks instead. `critical_it_mw` is
`racks * rack_power_kw / 1000`.

Checks (each breach is a sentence naming the place): rack feed (rack kW above the hall's
maximum per position), cooling (a liquid-cooled system in a hall that is not liquid-ready),
floor load (rack weight above the hall's limit per position), the hall's power capacity
(miners left plus GPU racks, in kW of IT load), and the site's grid with the hosting PUE in
the worst month (ECONOMICS.md's grid rule).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from desktop.model.entities import EquipmentModel, Hall, Site


@dataclass
class ConversionProposal:
    gpu_positions: list[int]            # position ids that get a GPU rack
    retired_positions: list[int]        # position ids emptied
    miners_removed: dict[str, int]      # ASIC model name -> miners
    racks_placed: int
    critical_it_mw: float
    freed_grid_mw: float
    hashrate_removed_ths: float
    breaches: list[str] = field(default_factory=list)

    @property
    def positions(self) -> int:
        return len(self.gpu_positions) + len(self.retired_positions)


def selection_totals(model_ids: np.ndarray, unit_counts: np.ndarray, asics: dict[int, EquipmentModel]) -> dict:
    """Positions, miners, TH/s and kW of a selection (miners only; GPU positions ignored)."""
    miners = ths = kw = 0.0
    for mid in np.unique(model_ids):
        model = asics.get(int(mid))
        if model is None:
            continue
        n = float(unit_counts[model_ids == mid].sum())
        miners += n
        ths += n * (model.hashrate_ths or 0)
        kw += n * (model.power_w or 0) / 1000
    return {"positions": int(len(model_ids)), "miners": int(miners), "hashrate_ths": ths, "power_kw": kw}


def propose(
    position_ids: np.ndarray,
    model_ids: np.ndarray,
    unit_counts: np.ndarray,
    *,
    site: Site,
    hall: Hall,
    gpu: EquipmentModel,
    asics: dict[int, EquipmentModel],
    racks: int | None = None,
) -> ConversionProposal:
    """What converting these positions (in reading order) to `gpu` racks does."""
    removed: dict[str, int] = {}
    freed_w = ths = 0.0
    for mid in np.unique(model_ids):
        model = asics.get(int(mid))
        if model is None:  # empty positions and GPU positions free nothing
            continue
        n = int(unit_counts[model_ids == mid].sum())
        if n:
            removed[model.name] = n
            freed_w += n * model.power_w
            ths += n * model.hashrate_ths
    freed_grid_mw = freed_w / 1e6 * site.pue_mining
    rack_kw = gpu.rack_power_kw or 0.0
    if racks is None:
        rack_grid_mw = rack_kw / 1000 * site.pue_hosting
        racks = math.floor(freed_grid_mw / rack_grid_mw + 1e-9) if rack_grid_mw > 0 else 0
    racks = max(0, min(int(racks), len(position_ids)))
    ids = [int(p) for p in position_ids]
    proposal = ConversionProposal(
        gpu_positions=ids[:racks], retired_positions=ids[racks:], miners_removed=removed,
        racks_placed=racks, critical_it_mw=racks * rack_kw / 1000,
        freed_grid_mw=freed_grid_mw, hashrate_removed_ths=ths,
    )
    proposal.breaches = rack_breaches(hall, gpu) if racks else []
    return proposal


def rack_breaches(hall: Hall, gpu: EquipmentModel) -> list[str]:
    out = []
    kw = gpu.rack_power_kw or 0
    if kw > hall.max_rack_kw:
        out.append(f"rack feed: {gpu.name} draws {kw:g} kW a rack, above {hall.name}'s "
                   f"{hall.max_rack_kw:g} kW per position")
    if gpu.cooling == "liquid" and hall.cooling != "liquid-ready":
        out.append(f"cooling: {gpu.name} needs direct liquid cooling; {hall.name} is {hall.cooling}-cooled, not liquid-ready")
    if gpu.weight_kg and gpu.weight_kg > hall.floor_load_kg:
        out.append(f"floor load: {gpu.name} weighs {gpu.weight_kg:g} kg a rack, above {hall.name}'s "
                   f"{hall.floor_load_kg:g} kg per position")
    return out


def hall_power_breach(hall: Hall, load_kw: float) -> str | None:
    if load_kw > hall.power_capacity_kw * (1 + 1e-9):
        return (f"hall power: {hall.name} would carry {load_kw:,.0f} kW of IT load, above its "
                f"{hall.power_capacity_kw:,.0f} kW capacity")
    return None


def site_grid_load_mw(site: Site, mining_w: float, reserved_it_mw: float) -> float:
    """What a site draws from the grid (ECONOMICS.md): miners at the mining PUE plus the
    hosting's reserved critical IT at the hosting PUE."""
    return mining_w / 1e6 * site.pue_mining + reserved_it_mw * site.pue_hosting


def site_grid_breach(site: Site, mining_w_by_month: list[float], reserved_it_mw_by_month: list[float],
                     month_names: list[str]) -> str | None:
    """ECONOMICS.md's grid rule, for the worst month."""
    for m, (mining_w, it_mw) in enumerate(zip(mining_w_by_month, reserved_it_mw_by_month)):
        load = site_grid_load_mw(site, mining_w, it_mw)
        if load > site.grid_capacity_mw * (1 + 1e-9):
            return (f"site grid: {site.name} would draw {load:,.1f} MW in {month_names[m]}, above its "
                    f"{site.grid_capacity_mw:g} MW grid (hosting at PUE {site.pue_hosting:g})")
    return None


def label_ranges(labels: list[str], rows, cols) -> str:
    """Positions as a spec in reading order, runs along a row joined: `A01-A40, B01-B16`."""
    order = sorted(range(len(labels)), key=lambda i: (int(rows[i]), int(cols[i])))
    parts: list[str] = []
    start = prev = None
    for i in order + [None]:
        if i is not None and prev is not None and int(rows[i]) == int(rows[prev]) and int(cols[i]) == int(cols[prev]) + 1:
            prev = i
            continue
        if start is not None:
            parts.append(labels[start] if start == prev else f"{labels[start]}-{labels[prev]}")
        start = prev = i
    return ", ".join(parts)
