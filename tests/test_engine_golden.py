"""The worked examples of ECONOMICS.md: each scenario gives its expected result, each bad-*.json
is refused naming the right field. tests/golden is a copy of ../shared/golden, so a fresh clone
runs them too; when ../shared/golden is there, the copy must match it."""
from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pytest

from desktop.model import evaluate
from desktop.model.engine import evaluate_detail
from desktop.model.errors import InputError
from desktop.model.scenario import load_scenario_file

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared" / "golden"
SCENARIOS = sorted(p for p in GOLDEN.glob("g*.json") if not p.name.endswith(".expected.json"))
BAD = {
    "bad-format-version.json": "format",
    "bad-grid-overload.json": "plan.conversions[0]",
    "bad-misspelt-key.json": "sites[0].energy_price_usd_per_kwh",
    "bad-negative-price.json": "market.btc_price_usd",
    "bad-remove-too-many.json": 'plan.conversions[0].remove_asics["Antminer S21"]',
    "bad-unknown-site.json": "plan.conversions[0].site",
    "bad-grid-schedule-order.json": "sites[0].grid_schedule[1].from_month",
    "bad-hosting-over-grid.json": "plan.conversions[1]",
    "bad-path-with-scalar.json": "market.btc_price_usd",
    "bad-renewals-without-term.json": "plan.conversions[0].renewal_term_months",
    "bad-v1-file-with-tax.json": "tax",
}


def differences(expected, got, path="$"):
    """Like ../shared/tools/check-golden: every number within a relative (or absolute) 1e-6."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            if key == "format" and path == "$":
                continue  # the v1 examples' expected files still say result/1 (ECONOMICS.md)
            if key not in got:
                yield f"{path}.{key}: missing"
            else:
                yield from differences(value, got[key], f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            yield f"{path}: expected a list of {len(expected)}"
            return
        for i, (a, b) in enumerate(zip(expected, got)):
            yield from differences(a, b, f"{path}[{i}]")
    elif expected is None or isinstance(expected, (bool, str)):
        if expected != got:
            yield f"{path}: expected {expected!r}, got {got!r}"
    elif isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isclose(
            expected, got, rel_tol=1e-6, abs_tol=1e-6):
        yield f"{path}: expected {expected}, got {got!r}"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_worked_example(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text())
    got = evaluate(json.loads(path.read_text()))
    assert list(differences(expected, got)) == []
    assert got["format"] == "rackshift.result/2"
    json.dumps(got, allow_nan=False)  # plain JSON: no numpy types, no NaN


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_example_is_refused_naming_the_field(name):
    with pytest.raises(InputError) as caught:
        load_scenario_file(GOLDEN / name)
    assert caught.value.field == BAD[name]


def test_every_bad_example_is_listed():
    assert sorted(p.name for p in GOLDEN.glob("bad-*.json")) == sorted(BAD)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/golden is not checked out here")
def test_copy_matches_the_shared_examples():
    shared = {p.name: p.read_bytes() for p in SHARED.glob("*.json")}
    ours = {p.name: p.read_bytes() for p in GOLDEN.glob("*.json")}
    assert ours == shared


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_detail_arrays_add_up_to_the_result(path):
    detail = evaluate_detail(json.loads(path.read_text()))
    result = detail.result
    n_sites, n_months = len(detail.site_names), len(detail.months)
    for name, case in (("baseline", detail.baseline), ("plan", detail.plan)):
        if case is None:
            assert result[name] is None
            continue
        assert case.btc_mined.shape == (n_sites, n_months)
        totals = result[name]
        assert math.isclose(case.btc_mined.sum(), totals["btc_mined"], rel_tol=1e-12)
        assert math.isclose(case.power_cost_usd.sum(), totals["power_cost_usd"], rel_tol=1e-12)
        assert math.isclose(case.opex_usd.sum(), totals["opex_usd"], rel_tol=1e-12)
        assert np.allclose(case.pretax_cash_usd + case.terminal_value_usd - case.tax_usd, case.cash_usd,
                           rtol=1e-12, atol=1e-6)
        assert np.allclose(np.cumsum(case.cash_usd), case.cumulative_cash_usd)
        firm = np.where(np.array([s["miners_yield_to_grid"] for s in detail.scenario["sites"]])[:, None],
                        case.hosting_mw_reserved, case.grid_load_mw)
        assert np.all(firm <= detail.grid_capacity_by_month_mw * (1 + 1e-9))
        for key in ("tax_usd", "terminal_value_usd", "power_credit_usd", "debt_drawn_usd", "interest_usd",
                    "principal_repaid_usd", "levered_tax_usd"):
            assert math.isclose(getattr(case, key).sum(), totals[key], rel_tol=1e-12, abs_tol=1e-9)
        monthly = [row[f"{name}_net_cash_usd"] for row in result["monthly"]]
        assert monthly == case.cash_usd.tolist()
    assert [row["month"] for row in result["monthly"]] == detail.months
    assert detail.market.hashprice_usd_per_ph_day.shape == (n_months,)
