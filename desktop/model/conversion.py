"""The rules of converting rack positions from ASICs to GPU racks. No Qt, no SQL.

Power-neutral placement (the default): the selection frees the grid power its miners draw,
`sum(miners * power_w) / 1e6 * pue_mining` MW; a GPU rack reserves
`rack_power_kw / 1000 * pue_hosting` MW of grid (ECONOMICS.md: hosting reserves
critical IT times the hosting PUE). So the editor places
`floor(freed_mw / rack_grid_mw)` racks, never more than the positions selected, on the first
selected positions in reading order (row by row), and retires the rest of the selection.
The planner may ask for another number of racks instead. `critical_it_mw` is
`racks * rack_power_kw / 1000`.

Its breaches are the plan's rules (desktop.model.rules) applied with the proposal added to
the plan: desktop.store.checks judges it, as it judges every stored conversion.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from desktop.model.entities import EquipmentModel, Hall, Site
from desktop.model.rules.breach import Breach


@dataclass
class ConversionProposal:
    gpu_positions: list[int]            # position ids that get a GPU rack
    retired_positions: list[int]        # position ids emptied
    miners_removed: dict[int, int]      # ASIC model id -> miners
    racks_placed: int
    critical_it_mw: float
    freed_grid_mw: float
    hashrate_removed_ths: float
    miners_taken_kw: float = 0.0        # the miners on the selection, kW (they leave the hall)
    breaches: list[str] = field(default_factory=list)   # filled by desktop.store.conversions.propose
    refusal: Breach | None = None       # a breach the exports would refuse: the conversion is not made

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
    removed: dict[int, int] = {}
    freed_w = ths = 0.0
    for mid in np.unique(model_ids):
        model = asics.get(int(mid))
        if model is None:  # empty positions and GPU positions free nothing
            continue
        n = int(unit_counts[model_ids == mid].sum())
        if n:
            removed[int(mid)] = n
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
        freed_grid_mw=freed_grid_mw, hashrate_removed_ths=ths, miners_taken_kw=freed_w / 1000,
    )
    return proposal


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
