"""Scenario validation: every refusal names its field, nothing bad slips through as a default."""
from __future__ import annotations

import copy
import json
import pathlib

import pytest

from desktop.model.errors import InputError
from desktop.model.jsonfile import read_json_file
from desktop.model.scenario import FIELD_RULES, check_field, keys_for, load_scenario_file, validate_scenario

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


@pytest.fixture
def scenario():
    return json.loads((GOLDEN / "g3-colocation.json").read_text())


@pytest.fixture
def two_sites():
    return json.loads((GOLDEN / "g5-staged-two-sites.json").read_text())


def refused(data) -> InputError:
    with pytest.raises(InputError) as caught:
        validate_scenario(data)
    return caught.value


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("bad-*.json")))
def test_bad_examples_refused(name):
    with pytest.raises(InputError):
        load_scenario_file(GOLDEN / name)


def test_message_names_site_fleet_and_field(two_sites):
    two_sites["sites"][1]["fleet"][0]["uptime_pct"] = 101
    assert str(refused(two_sites)) == "sites[1].fleet[0].uptime_pct: must be between 0 and 100"


@pytest.mark.parametrize("value, message", [
    (float("nan"), "must be a finite number"),
    (float("inf"), "must be a finite number"),
    (-float("inf"), "must be a finite number"),
    ("85000", "must be a number"),
    (True, "must be a number"),
    (None, "must be a number"),
    ([85000], "must be a number"),
    (10 ** 400, "must be a finite number"),
    (0, "must be greater than 0"),
])
def test_bad_numbers(scenario, value, message):
    scenario["market"]["btc_price_usd"] = value
    error = refused(scenario)
    assert (error.field, error.message) == ("market.btc_price_usd", message)


def test_integers_may_be_whole_floats_but_not_fractions_or_bools(scenario):
    scenario["sites"][0]["fleet"][0]["count"] = 30000.0
    out = validate_scenario(scenario)
    assert out["sites"][0]["fleet"][0]["count"] == 30000 and isinstance(out["sites"][0]["fleet"][0]["count"], int)
    for bad in (29999.5, True, "30000"):
        scenario["sites"][0]["fleet"][0]["count"] = bad
        error = refused(scenario)
        assert (error.field, error.message) == ("sites[0].fleet[0].count", "must be a whole number")


def test_unknown_key_hint_in_a_conversion(scenario):
    conv = scenario["plan"]["conversions"][0]
    conv["capex_usd_per_mwh"] = conv.pop("capex_usd_per_mw")
    assert str(refused(scenario)) == \
        "plan.conversions[0].capex_usd_per_mwh: unknown key (did you mean capex_usd_per_mw?)"


def test_unknown_key_without_a_close_match(scenario):
    scenario["market"]["colour"] = "blue"
    assert str(refused(scenario)) == "market.colour: unknown key"


def test_misspelt_key_never_becomes_a_default(scenario):
    scenario["sites"][0]["pue_minning"] = 1.2
    del scenario["sites"][0]["pue_mining"]
    assert str(refused(scenario)) == "sites[0].pue_minning: unknown key (did you mean pue_mining?)"


def test_key_of_the_other_mode_is_unknown(scenario):
    scenario["plan"]["conversions"][0]["gpu_count"] = 8
    error = refused(scenario)
    assert error.field == "plan.conversions[0].gpu_count"
    assert error.message.startswith("unknown key") and "gpu_cloud" in error.message


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-4", "26-04", "2026/04", "0000-01", 202604, "",
                                   "2026-04-01", " 2026-04"])
def test_start_month_must_be_a_real_month(scenario, month):
    scenario["start_month"] = month
    assert refused(scenario).field == "start_month"


def test_missing_required_keys(scenario):
    del scenario["market"]["block_height_at_start"]
    assert str(refused(scenario)) == "market.block_height_at_start: missing (required)"


def test_missing_mode_and_bad_mode(scenario):
    conv = scenario["plan"]["conversions"][0]
    conv["mode"] = "hosting"
    assert str(refused(scenario)) == "plan.conversions[0].mode: must be one of colocation, gpu_cloud"
    del conv["mode"]
    assert str(refused(scenario)) == "plan.conversions[0].mode: missing (required)"


def test_format_is_checked_first():
    assert refused({"format": "rackshift.scenario/3", "whatever": 1}).field == "format"
    assert refused({"name": "x"}).field == "format"
    assert refused([1, 2]).field == "scenario"


def test_sites_may_not_be_empty_but_fleets_and_conversions_may(scenario):
    scenario["sites"][0]["fleet"] = []
    scenario["plan"]["conversions"] = []
    validate_scenario(scenario)
    scenario["sites"] = []
    assert refused(scenario).field == "sites"


def test_duplicate_site_and_model_names(two_sites):
    dup = copy.deepcopy(two_sites)
    dup["sites"][1]["name"] = "West Mesa"
    assert str(refused(dup)) == "sites[1].name: duplicate site name 'West Mesa' (also sites[0])"
    dup = copy.deepcopy(two_sites)
    dup["sites"][0]["fleet"][1]["model"] = "Antminer S19 XP"
    assert refused(dup).field == "sites[0].fleet[1].model"


def test_unknown_model_in_removals(scenario):
    scenario["plan"]["conversions"][0]["remove_asics"] = {"Antminer S12": 10}
    error = refused(scenario)
    assert error.field == 'plan.conversions[0].remove_asics["Antminer S12"]'
    assert "Antminer S21" in error.message


def test_removals_summed_over_conversions_of_a_site(two_sites):
    # West Mesa has 12000 S21 Pro; conversions remove 2000 and 6000; add 4001 more
    extra = copy.deepcopy(two_sites["plan"]["conversions"][1])
    extra.update(start_month=25, remove_asics={"Antminer S21 Pro": 4001}, critical_it_mw=1)
    two_sites["plan"]["conversions"].append(extra)
    error = refused(two_sites)
    assert error.field == 'plan.conversions[3].remove_asics["Antminer S21 Pro"]'
    assert "12001" in error.message and "12000" in error.message
    extra["remove_asics"] = {"Antminer S21 Pro": 4000}
    validate_scenario(two_sites)


@pytest.mark.parametrize("month, ok", [(-1, False), (0, True), (119, True), (120, False), (1.5, False)])
def test_conversion_start_inside_the_horizon(scenario, month, ok):
    scenario["plan"]["conversions"][0]["start_month"] = month
    if ok:
        validate_scenario(scenario)
    else:
        assert refused(scenario).field == "plan.conversions[0].start_month"


def test_grid_exceeded_in_the_baseline(scenario):
    scenario["sites"][0]["grid_capacity_mw"] = 110  # 30000 x 3.5 kW x 1.05 = 110.25 MW
    assert str(refused(scenario)) == ("sites[0].grid_capacity_mw: site Riverbend needs 110.25 MW in 2026-04 "
                                      "in the baseline, more than its grid capacity of 110 MW")


def test_grid_at_capacity_within_tolerance_is_accepted(scenario):
    scenario["plan"] = None
    scenario["sites"][0]["grid_capacity_mw"] = 110.25 * (1 - 0.5e-9)
    validate_scenario(scenario)
    scenario["sites"][0]["grid_capacity_mw"] = 110.25 * (1 - 2e-9)
    assert refused(scenario).field == "sites[0].grid_capacity_mw"


def test_grid_exceeded_by_a_later_conversion_names_it_and_the_month(two_sites):
    # East Creek: 4000 x 5676 W x 1.05 = 23.8 MW; after removing 2500 and reserving 10 x 1.25 MW: 21.4 MW
    two_sites["plan"]["conversions"][2]["critical_it_mw"] = 16  # 8.94 + 20 = 28.9 MW < 30: fine
    validate_scenario(two_sites)
    two_sites["plan"]["conversions"][2]["critical_it_mw"] = 18  # 8.94 + 22.5 > 30
    error = refused(two_sites)
    assert error.field == "plan.conversions[2]"
    assert "East Creek" in error.message and "2028-10" in error.message


def test_defaults_are_filled_in_and_validation_is_idempotent(two_sites):
    out = validate_scenario(two_sites)
    east = out["sites"][1]
    assert (east["pue_mining"], east["pool_fee_pct"], east["mining_opex_usd_per_mw_month"]) == (1.05, 2.0, 0.0)
    assert out["plan"]["conversions"][1]["lease_escalator_pct_per_year"] == 0.0
    assert out["plan"]["conversions"][1]["build_months"] == 12
    assert "gpu_count" not in out["plan"]["conversions"][0]
    assert validate_scenario(out) == out
    no_plan = dict(two_sites)
    del no_plan["plan"]
    assert validate_scenario(no_plan)["plan"] is None


def test_validation_does_not_change_its_input(scenario):
    before = copy.deepcopy(scenario)
    validate_scenario(scenario)
    assert scenario == before


def test_bool_and_text_fields(scenario):
    scenario["plan"]["conversions"][0]["power_pass_through"] = "yes"
    assert refused(scenario).message == "must be true or false"
    scenario["plan"]["conversions"][0]["power_pass_through"] = False
    scenario["sites"][0]["name"] = "  "
    assert str(refused(scenario)) == "sites[0].name: must not be empty"


def test_horizon_limit(scenario):
    scenario["horizon_months"] = 1201
    assert refused(scenario).field == "horizon_months"


# -- check_field: the key table for validate-as-you-type

def test_check_field_uses_the_same_rules():
    assert check_field("fleet", "uptime_pct", 101) == "must be between 0 and 100"
    assert check_field("fleet", "uptime_pct", 97) is None
    assert check_field("conversion", "capex_usd_per_mwh", 1) == "unknown key (did you mean capex_usd_per_mw?)"
    assert check_field("colocation", "gpu_count", 8).startswith("unknown key")
    assert check_field("gpu_cloud", "gpu_count", 8) is None
    assert check_field("gpu_cloud", "capex_usd_per_mw", 1e6) is None  # common conversion keys
    assert check_field("market", "btc_price_usd", float("nan")) == "must be a finite number"
    assert check_field("root", "start_month", "2026-02") is None
    assert check_field("conversion", "start_month", 12, horizon_months=12).startswith("must be between 0 and 11")
    assert check_field("conversion", "start_month", 11, horizon_months=12) is None


def test_field_rules_cover_the_contract_table():
    assert set(FIELD_RULES) >= {"root", "market", "site", "fleet", "conversion", "colocation", "gpu_cloud"}
    required = {k for k, r in keys_for("gpu_cloud").items() if r.required}
    assert required == {"site", "start_month", "mode", "critical_it_mw", "capex_usd_per_mw", "gpu_count",
                        "gpu_hour_usd"}
    assert FIELD_RULES["site"]["pue_hosting"].default == 1.3
    assert FIELD_RULES["market"]["blocks_per_day"].default == 144


# -- files

def write(tmp_path, text: str | bytes, name="s.json") -> pathlib.Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


@pytest.mark.parametrize("text, words", [
    ("{not json", "not valid JSON"),
    ('{"a": NaN}', "NaN is not a JSON number"),
    ('{"a": Infinity}', "Infinity is not a JSON number"),
    ('{"a": -Infinity}', "-Infinity is not a JSON number"),
    ('{"a": 1, "a": 2}', "appears twice"),
    ("[" * 65 + "]" * 65, "nested more than 64"),
    ("[" * 100000 + "]" * 100000, "nested more than 64"),
    (b"\xff\xfe{}", "not UTF-8"),
    ("1" * 5000, "not valid JSON"),
])
def test_bad_files(tmp_path, text, words):
    with pytest.raises(InputError) as caught:
        read_json_file(write(tmp_path, text))
    assert words in caught.value.message
    assert caught.value.field.endswith("s.json")


def test_nesting_of_64_levels_is_fine(tmp_path):
    data = read_json_file(write(tmp_path, "[" * 64 + "]" * 64))
    for _ in range(63):
        data = data[0]
    assert data == []


def test_size_limit(tmp_path):
    path = write(tmp_path, " " * 2000 + "{}")
    with pytest.raises(InputError, match="larger than"):
        read_json_file(path, max_bytes=1000)
    assert read_json_file(path, max_bytes=4000) == {}


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_scenario_file(tmp_path / "missing.json")
    with pytest.raises(InputError, match="folder"):
        load_scenario_file(tmp_path)


def test_nan_in_a_scenario_file_names_the_file(tmp_path):
    text = (GOLDEN / "g1-single-site.json").read_text().replace('"btc_price_usd": 90000', '"btc_price_usd": NaN')
    with pytest.raises(InputError, match="NaN"):
        load_scenario_file(write(tmp_path, text))


def test_overflowing_number_in_a_file_names_the_field(tmp_path):
    text = (GOLDEN / "g1-single-site.json").read_text().replace('"btc_price_usd": 90000', '"btc_price_usd": 1e999')
    with pytest.raises(InputError) as caught:
        load_scenario_file(write(tmp_path, text))
    assert str(caught.value) == "market.btc_price_usd: must be a finite number"


def test_numpy_scalars_from_an_editor_are_numbers(scenario):
    import numpy as np

    scenario["sites"][0]["fleet"][0]["count"] = np.int64(30000)
    scenario["market"]["btc_price_usd"] = np.float64(85000.0)
    scenario["plan"]["conversions"][0]["power_pass_through"] = np.bool_(False)
    out = validate_scenario(scenario)
    assert type(out["sites"][0]["fleet"][0]["count"]) is int
    assert out["plan"]["conversions"][0]["power_pass_through"] is False


def test_results_that_are_not_finite_are_refused(scenario):
    from desktop.model import evaluate

    scenario["market"].update(btc_price_usd=1e308, btc_price_growth_pct_per_year=1e6)
    with pytest.raises(InputError, match="not finite"):
        evaluate(scenario)
    scenario["market"].update(btc_price_usd=85000, btc_price_growth_pct_per_year=5)
    scenario["sites"][0]["fleet"][0].update(power_w=1e-320, hashrate_ths=1e300)
    with pytest.raises(InputError, match="not finite"):
        evaluate(scenario)
