"""What the numbers say, in one sentence: the decision a plan's report leads with. No Qt.

The sentence is chosen by a small table of rules (`RULES`, first match wins), read from the
engine's figures (`Facts`): the sign of each future's NPV, the delta (plan minus keeping on
mining), the breaches still to resolve, P(plan beats mining) from the Monte Carlo paths, and
whether the plan pays back against mining inside the horizon.

| rule              | when                                                  | verdict says          |
|-------------------|-------------------------------------------------------|-----------------------|
| baseline_only     | the project has no plan yet                           | what mining is worth  |
| blocked           | breaches keep the plan's economics from being computed | resolve them first    |
| no_plan           | the plan converts nothing                             | no decision to make   |
| breaches          | delta > 0 and breaches > 0                            | resolve, then convert |
| uncertain         | delta > 0 and P(beats mining) < 50 %                  | convert only if ...   |
| no_payback        | delta > 0 and no payback inside the horizon           | convert, late payback |
| convert_both_lose | delta > 0, plan NPV < 0 (so mining's NPV < 0 too)     | loses less than mining|
| convert_turns     | delta > 0, plan NPV >= 0 > mining's NPV               | earns where mining loses |
| convert           | delta > 0, both NPVs >= 0                             | earns more            |
| keep_both_lose    | delta <= 0, both NPVs < 0                             | keep mining, loses less |
| keep_plan_loses   | delta <= 0, plan NPV < 0 <= mining's NPV              | keep mining, plan loses |
| keep              | delta <= 0, both NPVs >= 0                            | keep mining, earns more |

Every sentence names both NPVs and the delta, so a reader never sees "adds $44M" while both
futures lose money. Money is formatted by the caller's `money` function (the report's).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

P_CONFIDENT = 0.5      # below this share of market paths a positive delta is called uncertain


@dataclass(frozen=True)
class Facts:
    baseline_npv_usd: float
    plan_npv_usd: float
    delta_npv_usd: float
    breaches: int = 0
    prob_plan_beats_mining: float | None = None   # 0..1, None without a Monte Carlo run
    payback_month: int | None = None              # 0-based month of the horizon, None: not inside it
    payback_label: str = ""                       # "Sep 2032"
    horizon_months: int = 0
    converts: bool = True                         # the plan converts something
    paths: int = 0                                # Monte Carlo paths behind the probability
    has_plan: bool = True                         # False: a project without plans (its baseline only)
    blocked: int = 0                              # breaches that keep the plan's economics from being computed


@dataclass(frozen=True)
class Verdict:
    rule: str
    decision: str        # "Convert", "Keep mining", ...
    sentence: str        # the whole sentence, decision first


@dataclass(frozen=True)
class Rule:
    name: str
    when: Callable[[Facts], bool]
    decision: Callable[[Facts], str]
    body: Callable[[Facts, Callable[[float], str]], str]


def _gains(f: Facts) -> bool:
    return f.delta_npv_usd > 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'es' if n != 1 and word.endswith('ch') else 's' if n != 1 else ''}"


def _loses_less(f: Facts, m) -> str:
    return (f"the plan loses {m(-f.plan_npv_usd)} instead of {m(-f.baseline_npv_usd)} over keeping on mining, "
            f"{m(f.delta_npv_usd)} better")


def _earns(f: Facts, m) -> str:
    if f.plan_npv_usd < 0:
        return _loses_less(f, m)
    if f.baseline_npv_usd < 0:
        return (f"the plan earns {m(f.plan_npv_usd)} where keeping on mining loses {m(-f.baseline_npv_usd)}, "
                f"{m(f.delta_npv_usd)} better")
    return (f"the plan earns {m(f.plan_npv_usd)} against {m(f.baseline_npv_usd)} for keeping on mining, "
            f"{m(f.delta_npv_usd)} more")


def _keep(f: Facts, m) -> str:
    worse = m(abs(f.delta_npv_usd))
    if f.plan_npv_usd < 0 and f.baseline_npv_usd < 0:
        return (f"the plan loses {m(-f.plan_npv_usd)} where keeping on mining loses {m(-f.baseline_npv_usd)}, "
                f"{worse} worse")
    if f.plan_npv_usd < 0:
        return f"the plan loses {m(-f.plan_npv_usd)} where keeping on mining earns {m(f.baseline_npv_usd)}, {worse} worse"
    return (f"the plan earns {m(f.plan_npv_usd)} against {m(f.baseline_npv_usd)} for keeping on mining, "
            f"{worse} less")


RULES: list[Rule] = [
    Rule("baseline_only", lambda f: not f.has_plan,
         lambda f: "No plan yet",
         lambda f, m: f"keeping every miner mining is worth an NPV of {m(f.baseline_npv_usd)}"),
    Rule("blocked", lambda f: f.blocked > 0,
         lambda f: f"Resolve the {_plural(f.blocked, 'breach')} that {'blocks' if f.blocked == 1 else 'block'} "
                   f"the plan's economics first",
         lambda f, m: f"until then only keeping on mining can be valued: an NPV of {m(f.baseline_npv_usd)}"),
    Rule("no_plan", lambda f: not f.converts,
         lambda f: "No decision to make",
         lambda f, m: f"the plan converts nothing, so it is keeping on mining (NPV {m(f.baseline_npv_usd)})"),
    Rule("breaches", lambda f: _gains(f) and f.breaches > 0,
         lambda f: f"Resolve the {_plural(f.breaches, 'breach')}, then convert", _earns),
    Rule("uncertain", lambda f: _gains(f) and f.prob_plan_beats_mining is not None
         and f.prob_plan_beats_mining < P_CONFIDENT,
         lambda f: "Convert only if the assumed market holds", _earns),
    Rule("no_payback", lambda f: _gains(f) and f.payback_month is None,
         lambda f: "Convert, with a payback after the horizon", _earns),
    Rule("convert_both_lose", lambda f: _gains(f) and f.plan_npv_usd < 0, lambda f: "Convert", _earns),
    Rule("convert_turns", lambda f: _gains(f) and f.baseline_npv_usd < 0 <= f.plan_npv_usd,
         lambda f: "Convert", _earns),
    Rule("convert", _gains, lambda f: "Convert", _earns),
    Rule("keep_both_lose", lambda f: f.plan_npv_usd < 0 and f.baseline_npv_usd < 0, lambda f: "Keep mining", _keep),
    Rule("keep_plan_loses", lambda f: f.plan_npv_usd < 0 <= f.baseline_npv_usd, lambda f: "Keep mining", _keep),
    Rule("keep", lambda f: True, lambda f: "Keep mining", _keep),
]


def _tail(f: Facts) -> str:
    parts = []
    if f.converts and f.delta_npv_usd > 0:
        if f.payback_month is not None:
            parts.append(f"pays back against mining in month {f.payback_month}"
                         + (f" ({f.payback_label})" if f.payback_label else ""))
        else:
            parts.append(f"does not pay back against mining within the {f.horizon_months}-month horizon"
                         if f.horizon_months else "does not pay back against mining within the horizon")
    p = f.prob_plan_beats_mining
    if f.converts and p is not None:
        paths = f" of {f.paths:,} market paths" if f.paths else " of the market paths"
        parts.append(f"beats mining in {p * 100:.0f} %{paths}")
    return "; ".join(parts)


def verdict(facts: Facts, money: Callable[[float], str]) -> Verdict:
    """The first rule of RULES that holds, and its sentence."""
    rule = next(r for r in RULES if r.when(facts))
    decision = rule.decision(facts)
    sentence = f"{decision}: {rule.body(facts, money)}"
    tail = _tail(facts)
    if tail:
        sentence += f"; {tail}"
    return Verdict(rule.name, decision, sentence + ".")
