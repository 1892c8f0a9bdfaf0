"""Small fixes: start_month is exactly YYYY-MM in ASCII digits; the break-even keys of
site "a/b" + model "c" and site "a" + model "b/c" no longer collide silently."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from desktop.model import engine
from desktop.model.errors import InputError
from desktop.model.months import parse_month
from desktop.model.scenario import validate_scenario

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("text", ["2026-04\n", "\u0662\u0660\u0662\u0666-\u0660\u0664", "2026-4", " 2026-04",
                                  "2026-04 ", "2026-13", "12026-04"])
def test_start_month_is_exactly_four_and_two_ascii_digits(text):
    with pytest.raises(InputError):
        parse_month(text)
    scenario = json.loads((GOLDEN / "g1-single-site.json").read_text())
    scenario["start_month"] = text
    with pytest.raises(InputError) as refused:
        validate_scenario(scenario)
    assert refused.value.field == "start_month"


def test_start_month_accepts_a_real_month():
    assert parse_month("2026-04") == (2026, 4)


def _two_sites(site_a: str, model_a: str, site_b: str, model_b: str) -> dict:
    scenario = json.loads((GOLDEN / "g1-single-site.json").read_text())
    first = scenario["sites"][0]
    second = copy.deepcopy(first)
    first["name"], first["fleet"][0]["model"] = site_a, model_a
    second["name"], second["fleet"][0]["model"] = site_b, model_b
    second["fleet"][0]["hashrate_ths"] /= 2   # another break-even, the same grid draw
    scenario["sites"] = [first, second]
    return validate_scenario(scenario)


def test_break_even_pairs_are_a_structure_and_a_colliding_file_key_is_refused():
    scenario = _two_sites("a/b", "c", "a", "b/c")
    pairs = engine.breakeven_energy_by_pair(scenario, 50.0)
    assert set(pairs) == {("a/b", "c"), ("a", "b/c")} and pairs[("a/b", "c")] != pairs[("a", "b/c")]
    with pytest.raises(InputError) as refused:
        engine.evaluate(scenario)
    assert refused.value.field == "sites[1].name" and "'a/b/c'" in refused.value.message


def test_slashes_that_do_not_collide_keep_the_documented_key():
    scenario = _two_sites("a/b", "c", "d", "e")
    result = engine.evaluate(scenario)
    assert set(result["breakeven_energy_price_usd_per_mwh"]) == {"a/b/c", "d/e"}


def test_actions_that_write_are_disabled_on_a_read_only_project(qtbot, demo_path):
    from desktop.app import make_application
    from desktop.ui.actions import ACTIONS
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import open_session

    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    writing = [spec.id for spec in ACTIONS if spec.needs_writable]
    assert writing
    window.set_session(open_session(demo_path, readonly=True))
    assert not any(window.actions_by_id[i].isEnabled() for i in writing)
    window.set_session(open_session(demo_path))
    assert all(window.actions_by_id[i].isEnabled() for i in writing)
    window.close()
