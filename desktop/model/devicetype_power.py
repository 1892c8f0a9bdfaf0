"""How much a NetBox device type draws: the rule, one place.

A device-type file lists its power supplies as `power-ports`, each with an optional
`maximum_draw` (what the supply can deliver, W) and `allocated_draw` (what the device is
expected to take through it, W). Adding up every supply's maximum counts the redundant ones:
a Supermicro AS-8125GS-TNMR2 lists 6 x 3,000 W and would come out at 18 kW, while it draws
about 10 kW. The rules, in the order the default is chosen:

- `allocated`: the sum of the ports' `allocated_draw`, when any port gives one (NetBox's own
  meaning: what the device is allocated through each of its ports);
- `stated`: the file says how its supplies share the load, "3+3" or "N+1" (in the comments
  or the description), so `k` of them carry it: k x the supply's maximum_draw;
- `n+n`: an even set of identical supplies is taken as N+N redundant: half of them carry
  the load (6 x 3,000 W -> 9,000 W);
- `n+1`: an odd set (3 or more) of identical supplies: all but one carry it;
- `sum`: every supply's maximum_draw added up (one supply, supplies that differ, or the
  planner's choice when every supply is loaded).
`rules(ports, text)` gives every rule that applies, `default_rule` the one used unless the
planner picks another; each comes with the sentence the preview shows. No Qt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

RULES = ("allocated", "stated", "n+n", "n+1", "sum")
RULE_NAMES = {"allocated": "allocated draw", "stated": "as the file says", "n+n": "N+N redundant",
              "n+1": "N+1 redundant", "sum": "every supply loaded"}
# "3+3 redundant", "(2+2)", "N+1", "N+N": the file telling how the supplies share the load
_STATED = re.compile(r"(?<![\w.])(\d{1,2}|N)\s*\+\s*(\d{1,2}|N|1)(?![\w.])(?=[^\n]{0,40}?"
                     r"(?:redundan|PSU|power suppl|supplies))", re.IGNORECASE)


@dataclass(frozen=True)
class PowerPort:
    name: str
    maximum_draw_w: float | None = None
    allocated_draw_w: float | None = None


@dataclass(frozen=True)
class PowerRule:
    key: str
    power_w: float
    basis: str            # the sentence the preview shows

    @property
    def label(self) -> str:
        return RULE_NAMES[self.key]


def stated_redundancy(text: str) -> tuple[int | None, int | None] | None:
    """(active, spare) as the text states it: "3+3 redundant" -> (3, 3), "N+1 PSU" -> (None, 1)."""
    match = _STATED.search(text[:100_000])
    if not match:
        return None
    def n(s): return None if s.upper() == "N" else int(s)
    return n(match.group(1)), n(match.group(2))


def _w(value: float) -> str:
    return f"{value:,.0f} W"


def rules(ports: list[PowerPort], text: str = "") -> list[PowerRule]:
    """Every rule that applies to these ports (possibly none: no port gives a draw)."""
    out = []
    allocated = [p.allocated_draw_w for p in ports if p.allocated_draw_w is not None]
    if allocated:
        out.append(PowerRule("allocated", sum(allocated), f"allocated_draw of {len(allocated)} port(s): "
                                                          f"{_w(sum(allocated))}"))
    drawn = [p.maximum_draw_w for p in ports if p.maximum_draw_w is not None]
    if not drawn:
        return out
    n, total = len(drawn), sum(drawn)
    identical = len(set(drawn)) == 1 and n == len(ports)
    each = drawn[0]
    stated = stated_redundancy(text) if identical and n >= 2 else None
    if stated is not None:
        active, spare = stated
        if active is None and spare is not None:
            active = n - spare if spare < n else None
        if active is not None and 1 <= active <= n:
            out.append(PowerRule("stated", active * each, f"the file says {stated[0] or 'N'}+{stated[1] or 'N'}: "
                                                          f"{active} of {n} x {_w(each)} carry the load: "
                                                          f"{_w(active * each)}"))
    if identical and n >= 2 and n % 2 == 0:
        out.append(PowerRule("n+n", n // 2 * each, f"N+N: {n} identical {_w(each)} supplies, {n // 2} carry "
                                                   f"the load: {_w(n // 2 * each)}"))
    if identical and n >= 3:
        out.append(PowerRule("n+1", (n - 1) * each, f"N+1: {n} identical {_w(each)} supplies, {n - 1} carry "
                                                    f"the load: {_w((n - 1) * each)}"))
    if n == 1:
        basis = f"one supply: {_w(total)}"
    elif identical:
        basis = f"all {n} x {_w(each)} supplies loaded: {_w(total)}"
    else:
        basis = f"{n} supplies of different sizes, all loaded: {_w(total)}"
    out.append(PowerRule("sum", total, basis))
    return out


def default_rule(available: list[PowerRule]) -> PowerRule | None:
    """The first of allocated, stated, n+n, n+1, sum that applies (`available` is in that order)."""
    return available[0] if available else None


def pick(available: list[PowerRule], key: str | None) -> PowerRule | None:
    """The rule `key` when it applies, else the default."""
    if key is not None:
        for rule in available:
            if rule.key == key:
                return rule
    return default_rule(available)
