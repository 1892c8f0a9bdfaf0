"""Every rule, applied to one plan: which breaches it has, where, and what blocks its economics.

The store gathers the facts (`desktop.store.checks.plan_check`) and this module judges them,
rule by rule through the rule modules; nothing here reads a file or keeps state, so the same
facts always give the same breaches (derived, never stored).

- rack feed, cooling, floor load: each conversion's GPU system against its hall as it is now;
- hall power: each hall's load after each of its conversions, in the order they were made;
- fleet counts: the miners the plan's conversions remove at each site against its fleet;
- site grid: `desktop.model.site_grid` on the plan's scenario (the engine's own rule: with
  `miners_yield_to_grid` only the firm hosting load can overload a site).

Fleet counts and site grid block the economics (the engine refuses such a scenario); the
others are physical breaches the plan is still evaluated with.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from desktop.model import site_grid
from desktop.model.entities import Conversion, EquipmentModel, Hall
from desktop.model.months import month_label
from desktop.model.rules import cooling, fleet_counts, floor_load, hall_power, rack_feed
from desktop.model.rules.breach import Breach

NEW = -1   # the id a proposed (not yet stored) conversion is judged under


@dataclass(frozen=True)
class HallFacts:
    hall: Hall
    miners_kw: float                 # every miner standing in the hall today, kW


@dataclass(frozen=True)
class ConversionFacts:
    conversion: Conversion           # its id is NEW while proposed
    site: str
    gpu: EquipmentModel | None
    miners_taken_kw: float           # miners on the positions it takes, kW


@dataclass
class PlanCheck:
    breaches: list[Breach] = field(default_factory=list)
    grid_checked: bool = True        # False when fleet counts keep the grid from being computed

    def of(self, conversion_id: int | None) -> list[Breach]:
        return [b for b in self.breaches if b.conversion_id == conversion_id]

    def messages(self, conversion_id: int | None) -> list[str]:
        return [b.message for b in self.of(conversion_id)]

    @property
    def blocking(self) -> list[Breach]:
        """The breaches that keep the engine from evaluating the plan."""
        return [b for b in self.breaches if b.blocks_economics]

    def blocking_text(self, labels: Mapping[int | None, str] | None = None) -> str:
        """What blocks the economics and how to resolve it, one line a breach ("" if nothing)."""
        labels = labels or {}
        lines = []
        for b in self.blocking:
            where = (labels.get(b.conversion_id, f"conversion {b.conversion_id}") if b.conversion_id is not None
                     else f"{b.site}, before any conversion")
            lines.append(f"{where}: {b.message}" + (f" (to resolve: {b.resolve})" if b.resolve else ""))
        return "\n".join(lines)


def check_plan(conversions: list[ConversionFacts], halls: dict[int, HallFacts],
               fleets: Mapping[str, Mapping[Any, int]], model_names: Mapping[Any, str],
               scenario: dict, scenario_ids: list[int]) -> PlanCheck:
    """`conversions` in the order they were made (a proposed one last); `fleets`: site -> {model
    id: miners owned}; `scenario`: the plan's scenario as the engine reads it, whose
    conversions are `scenario_ids` in order (the ones the economics evaluate)."""
    out = PlanCheck()
    for facts in conversions:
        conv = facts.conversion
        hf = halls.get(conv.hall_id) if conv.hall_id is not None else None
        if hf is not None and facts.gpu is not None and conv.racks_placed:
            for rule in (rack_feed, cooling, floor_load):
                b = rule.breach(hf.hall, facts.gpu)
                if b is not None:
                    out.breaches.append(_at(b, conv.id, facts.site))
    for hall_id, hf in halls.items():
        steps = [hall_power.Step(f.conversion.id, f.miners_taken_kw, f.conversion.critical_it_mw * 1000)
                 for f in conversions if f.conversion.hall_id == hall_id and f.conversion.racks_placed]
        for b in hall_power.breaches(hf.hall, hf.miners_kw, steps):
            site = next(f.site for f in conversions if f.conversion.id == b.conversion_id)
            out.breaches.append(_at(b, b.conversion_id, site))
    by_id = {f.conversion.id: f for f in conversions}
    evaluated = [by_id[cid] for cid in scenario_ids]
    over = fleet_counts.over_removals(fleets, [(f.site, f.conversion.remove_asics) for f in evaluated], model_names)
    for o in over:
        cid = evaluated[o.index].conversion.id
        out.breaches.append(Breach("fleet", f"fleet: {o.message}",
                                   "remove fewer miners in this conversion or the ones before it, or add the "
                                   "miners to the site's fleet" if o.owned is not None else
                                   "add the model to the site's fleet or take it out of the conversion",
                                   True, cid, o.site))
    horizon = scenario["horizon_months"]
    outside = any(not 0 <= c["start_month"] < horizon for c in (scenario.get("plan") or {}).get("conversions", []))
    if over or outside:   # removals or months the engine refuses as input: the grid cannot be computed
        out.grid_checked = False
        return out
    for g in site_grid.grid_overloads(scenario):
        cid = None if g.conversion_index is None else scenario_ids[g.conversion_index]
        month = month_label(scenario["start_month"], g.month)
        what = "firm hosting load would need" if g.yields else "would draw"
        message = (f"site grid: {g.site} {what} {g.load_mw:,.1f} MW in {month} in {g.case}, above its "
                   f"{g.capacity_mw:g} MW grid")
        if cid is None:
            resolve = f"raise {g.site}'s grid capacity (the baseline alone is over it)"
        elif g.yields:
            resolve = f"reserve less critical IT at {g.site} or raise its grid capacity"
        else:
            resolve = (f"let {g.site}'s miners yield to the grid, remove more miners in the conversion, "
                       f"start it later, or raise {g.site}'s grid capacity")
        out.breaches.append(Breach("site grid", message, resolve, True, cid, g.site))
    return out


def _at(b: Breach, conversion_id: int | None, site: str) -> Breach:
    return Breach(b.rule, b.message, b.resolve, b.blocks_economics, conversion_id, site)
