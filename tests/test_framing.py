"""The report's leading sentence: every row of the framing table, and what each sentence must say."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from desktop.model.framing import RULES, Facts, verdict


def money(x: float) -> str:
    return f"${(x + 0.0) / 1e6:,.1f}M"


M = 1e6
CASES = {
    # rule: (facts, words the sentence must hold)
    "baseline_only": (Facts(-5 * M, -5 * M, 0.0, converts=False, has_plan=False),
                      ["No plan yet: keeping every miner mining is worth an NPV of $-5.0M"]),
    "no_plan": (Facts(-5 * M, -5 * M, 0.0, converts=False), ["No decision to make", "$-5.0M"]),
    "blocked": (Facts(-5 * M, -5 * M, 0.0, converts=False, blocked=1),
                ["Resolve the 1 breach that blocks the plan's economics first", "$-5.0M"]),
    "breaches": (Facts(10 * M, 30 * M, 20 * M, breaches=2, prob_plan_beats_mining=0.9, payback_month=30,
                       payback_label="Jun 2029", paths=10_000),
                 ["Resolve the 2 breaches, then convert", "earns $30.0M against $10.0M", "$20.0M more",
                  "month 30 (Jun 2029)", "90 % of 10,000 market paths"]),
    "uncertain": (Facts(10 * M, 12 * M, 2 * M, prob_plan_beats_mining=0.3, payback_month=80),
                  ["Convert only if the assumed market holds", "beats mining in 30 %"]),
    "no_payback": (Facts(10 * M, 12 * M, 2 * M, prob_plan_beats_mining=0.7, horizon_months=120),
                   ["Convert, with a payback after the horizon", "does not pay back against mining within the "
                    "120-month horizon"]),
    "convert_both_lose": (Facts(-162.7 * M, -118.9 * M, 43.8 * M, prob_plan_beats_mining=1.0, payback_month=69,
                                payback_label="Sep 2032", paths=2000),
                          ["Convert: the plan loses $118.9M instead of $162.7M over keeping on mining",
                           "$43.8M better", "pays back against mining in month 69 (Sep 2032)"]),
    "convert_turns": (Facts(-1 * M, 5 * M, 6 * M, payback_month=12),
                      ["Convert: the plan earns $5.0M where keeping on mining loses $1.0M", "$6.0M better"]),
    "convert": (Facts(10 * M, 30 * M, 20 * M, payback_month=12),
                ["Convert: the plan earns $30.0M against $10.0M for keeping on mining, $20.0M more"]),
    "keep_both_lose": (Facts(-5 * M, -288.2 * M, -283.2 * M, prob_plan_beats_mining=0.0, paths=2000),
                       ["Keep mining: the plan loses $288.2M where keeping on mining loses $5.0M",
                        "$283.2M worse", "beats mining in 0 % of 2,000"]),
    "keep_plan_loses": (Facts(5 * M, -3 * M, -8 * M),
                        ["Keep mining: the plan loses $3.0M where keeping on mining earns $5.0M, $8.0M worse"]),
    "keep": (Facts(30 * M, 10 * M, -20 * M), ["Keep mining: the plan earns $10.0M against $30.0M", "$20.0M less"]),
}


def test_every_rule_has_a_case():
    assert set(CASES) == {r.name for r in RULES}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_row_of_the_table(rule):
    facts, words = CASES[rule]
    v = verdict(facts, money)
    assert v.rule == rule
    assert v.sentence.startswith(v.decision + ": ")
    for w in words:
        assert w in v.sentence, (w, v.sentence)


def test_a_loss_is_never_called_a_gain():
    v = verdict(CASES["convert_both_lose"][0], money)
    assert "adds" not in v.sentence and "earns" not in v.sentence


@given(base=st.floats(-1e9, 1e9), plan=st.floats(-1e9, 1e9), breaches=st.integers(0, 3),
       prob=st.none() | st.floats(0, 1), payback=st.none() | st.integers(0, 200))
def test_the_sentence_names_both_npvs_and_the_delta(base, plan, breaches, prob, payback):
    facts = Facts(base, plan, plan - base, breaches=breaches, prob_plan_beats_mining=prob, payback_month=payback)
    v = verdict(facts, money)
    for amount in (abs(base), abs(plan), abs(plan - base)):
        assert money(amount) in v.sentence
    assert v.decision.startswith(("Convert", "Resolve")) == (plan - base > 0)
    words = v.sentence.split(": ", 1)[1]
    # a future that loses money is never said to earn, and the other way round
    assert words.startswith("the plan loses") == (plan < 0)
    assert words.startswith("the plan earns") == (plan >= 0)
