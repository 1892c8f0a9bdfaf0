"""The rules that judge a plan, one module each, Qt-free and store-free.

- `rack_feed`: a GPU rack's kW against the hall's feed per position.
- `cooling`: a liquid-cooled system needs a liquid-ready hall.
- `floor_load`: a rack's weight against the hall's floor load per position.
- `hall_power`: miners left standing plus the plan's GPU racks against the hall's capacity.
- `fleet_counts`: miners removed at a site, in all, against the miners it owns.
- the site grid, month by month: `desktop.model.site_grid` (ECONOMICS.md's grid rule, also
  what the engine draws its mining from and the charts draw).
- `plan_check`: puts them together for one plan: every breach, where it happens, whether it
  blocks the economics and how to resolve it.

Callers: the floor-plan preview and the convert command (through `desktop.store.checks`), the
store's readers of conversions, the engine's validation (`desktop.model.scenario`), the
dashboard and the PDF. No rule is written anywhere else.
"""
from desktop.model.rules.breach import Breach

__all__ = ["Breach"]
