"""Every refusal ECONOMICS.md version 2 adds: one InputError naming the field."""
from __future__ import annotations

import copy
import json
import pathlib

import pytest

from desktop.model.engine import evaluate
from desktop.model.errors import InputError
from desktop.model.scenario import validate_scenario

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


def load(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def refused(scenario) -> InputError:
    with pytest.raises(InputError) as caught:
        validate_scenario(scenario)
    return caught.value


def edit(name: str, change) -> dict:
    s = copy.deepcopy(load(name))
    change(s)
    return s


@pytest.mark.parametrize("name, change, field, words", [
    ("g7-price-path-tax-losses", lambda s: s["market"].update(btc_price_growth_pct_per_year=3),
     "market.btc_price_growth_pct_per_year", "left out"),
    ("g7-price-path-tax-losses", lambda s: s["market"].pop("network_hashrate_path_ehs"),
     "market.network_hashrate_ehs", "missing"),
    ("g7-price-path-tax-losses", lambda s: s["market"]["btc_price_path_usd"].pop(),
     "market.btc_price_path_usd", "exactly 12"),
    ("g7-price-path-tax-losses", lambda s: s["market"]["btc_price_path_usd"].__setitem__(3, 0),
     "market.btc_price_path_usd", "month 3"),
    ("g7-price-path-tax-losses", lambda s: s["market"]["btc_price_path_usd"].__setitem__(3, "9"),
     "market.btc_price_path_usd", "month 3"),
    ("g8-phased-grid-yield", lambda s: s["sites"][0]["grid_schedule"][1].update(from_month=24),
     "sites[0].grid_schedule[1].from_month", "below the horizon"),
    ("g8-phased-grid-yield", lambda s: s["sites"][0]["grid_schedule"][1].update(from_month=6),
     "sites[0].grid_schedule[1].from_month", "after the step before"),
    ("g8-phased-grid-yield", lambda s: s["sites"][0]["grid_schedule"][0].pop("capacity_mw"),
     "sites[0].grid_schedule[0].capacity_mw", "missing"),
    ("g8-phased-grid-yield", lambda s: s["sites"][0]["grid_schedule"][0].update(capacity_mw=0),
     "sites[0].grid_schedule[0].capacity_mw", "greater than 0"),
    ("g8-phased-grid-yield", lambda s: s["sites"][0].update(miners_yield_to_grid="yes"),
     "sites[0].miners_yield_to_grid", "true or false"),
    ("g9-curtailment-credits", lambda s: s["sites"][0].update(curtailment_pct=101),
     "sites[0].curtailment_pct", "between 0 and 100"),
    ("g9-curtailment-credits", lambda s: s["plan"]["conversions"][0].update(prepayment_usd=5)
     or s["plan"]["conversions"][0].pop("term_months"), "plan.conversions[0].prepayment_usd", "term_months"),
    ("g10-gpu-prepaid-residual-debt", lambda s: s["plan"]["conversions"][0].pop("term_months"),
     "plan.conversions[0].prepayment_usd", "term_months"),
    ("g10-gpu-prepaid-residual-debt", lambda s: s["plan"]["conversions"][0].update(prepayment_usd=0)
     or s["plan"]["conversions"][0].pop("term_months"), "plan.conversions[0].gpu_residual_pct", "term_months"),
    ("g6-lease-renewals-bullet", lambda s: s["plan"]["conversions"][0].update(gpu_residual_pct=5),
     "plan.conversions[0].gpu_residual_pct", "belongs to gpu_cloud"),
    ("g6-lease-renewals-bullet", lambda s: s["plan"]["financing"].update(amortization="balloon"),
     "plan.financing.amortization", "straight_line, bullet"),
    ("g6-lease-renewals-bullet", lambda s: s["plan"]["financing"].pop("interest_rate_pct"),
     "plan.financing.interest_rate_pct", "missing"),
    ("g6-lease-renewals-bullet", lambda s: s["plan"]["financing"].update(term_months=0),
     "plan.financing.term_months", "at least 1"),
    ("g6-lease-renewals-bullet", lambda s: s["tax"].update(rate_pct=-1), "tax.rate_pct", "between 0 and 100"),
    ("g6-lease-renewals-bullet", lambda s: s["tax"].update(depreciaton_months=12),
     "tax.depreciaton_months", "did you mean depreciation_months"),
    ("g6-lease-renewals-bullet", lambda s: s["terminal"].update(hosting_ebitda_multiple=-2),
     "terminal.hosting_ebitda_multiple", "at least 0"),
    ("g6-lease-renewals-bullet", lambda s: s.update(terminal=[1]), "terminal", "object"),
    ("g6-lease-renewals-bullet", lambda s: s["plan"]["conversions"][0].update(renewals=1.5),
     "plan.conversions[0].renewals", "whole number"),
])
def test_version_2_refusals_name_the_field(name, change, field, words):
    error = refused(edit(name, change))
    assert error.field == field
    assert words in str(error)


@pytest.mark.parametrize("key", ["tax", "terminal"])
def test_a_v1_file_may_not_use_version_2_keys(key):
    s = load("g3-colocation")
    s[key] = {}
    assert "new in rackshift.scenario/2" in str(refused(s))
    s = load("g3-colocation")
    s["sites"][0]["curtailment_pct"] = 0
    assert refused(s).field == "sites[0].curtailment_pct"


def test_optional_objects_written_as_null_count_as_left_out():
    s = load("g6-lease-renewals-bullet")
    s["tax"] = s["terminal"] = s["plan"]["financing"] = None
    plain = load("g6-lease-renewals-bullet")
    for key in ("tax", "terminal"):
        plain.pop(key)
    plain["plan"].pop("financing")
    assert evaluate(s) == evaluate(plain)


def test_a_yielding_site_may_not_reserve_more_than_its_grid_in_any_month():
    s = load("g8-phased-grid-yield")
    validate_scenario(s)  # 16 MW x 1.25 = 20 MW fits the 50 MW of month 2
    s["sites"][0]["grid_schedule"] = []
    s["sites"][0]["grid_capacity_mw"] = 25  # 40 MW x 1.25 = 50 MW from month 12 on: too much
    error = refused(s)
    assert error.field == "plan.conversions[1]" and "firm hosting load" in str(error)
    s["sites"][0]["miners_yield_to_grid"] = False
    s["sites"][0]["grid_capacity_mw"] = 80  # without yield the miners count too: 36.75 + 50 MW
    assert refused(s).field == "plan.conversions[1]"


def test_a_grid_schedule_that_drops_below_the_baseline_names_its_step():
    s = load("g8-phased-grid-yield")
    s["sites"][0]["miners_yield_to_grid"] = False
    s["plan"] = None
    s["sites"][0]["grid_capacity_mw"] = 100
    s["sites"][0]["grid_schedule"] = [{"from_month": 6, "capacity_mw": 10}]
    assert refused(s).field == "sites[0].grid_schedule[0].capacity_mw"
