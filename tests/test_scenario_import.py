"""import-scenario / export-scenario: the round trip on every golden example, the hall rule,
and refusals that write nothing."""
import json
import math
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.model import evaluate
from desktop.model.errors import InputError
from desktop.model.scenario import load_scenario_file, validate_scenario
from desktop.store import catalog, halls, plans, sites
from desktop.store.scenario_export import scenario_from_project
from desktop.store.scenario_import import MAX_COLS, MAX_ROWS, import_scenario, layout_halls

_SHARED = Path(__file__).resolve().parents[2] / "shared" / "golden"
GOLDEN = _SHARED if _SHARED.is_dir() else Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted(p for p in GOLDEN.glob("g*.json") if not p.name.endswith(".expected.json"))
BAD = sorted(GOLDEN.glob("bad-*.json"))


def assert_same(a, b, path="result"):
    if isinstance(a, dict):
        assert set(a) == set(b), f"{path}: keys differ {set(a) ^ set(b)}"
        for key in a:
            assert_same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_golden_examples_exist():
    assert len(EXAMPLES) >= 5 and BAD


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip_evaluates_the_same(example, tmp_path, capsys):
    project_path = tmp_path / "p.sqlite"
    out = tmp_path / "out.json"
    assert main(["import-scenario", str(example), str(project_path)]) == 0
    assert main(["export-scenario", str(project_path), "-o", str(out)]) == 0
    original = load_scenario_file(example)
    exported = load_scenario_file(out)
    assert_same(evaluate(original), evaluate(exported))
    assert exported["name"] == original["name"]
    assert (exported["plan"] is None) == (original["plan"] is None)


@pytest.mark.parametrize("example", BAD, ids=lambda p: p.stem)
def test_refused_scenario_writes_nothing(example, tmp_path, capsys):
    target = tmp_path / "p.sqlite"
    assert main(["import-scenario", str(example), str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_existing_project_is_refused_and_untouched(tmp_path, capsys):
    target = tmp_path / "p.sqlite"
    target.write_bytes(b"keep me")
    assert main(["import-scenario", str(EXAMPLES[0]), str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == b"keep me"
    assert main(["import-scenario", "--overwrite", str(EXAMPLES[0]), str(target)]) == 0


def test_imported_project_has_halls_positions_and_plan(tmp_path):
    data = json.loads((GOLDEN / "g5-staged-two-sites.json").read_text())
    with import_scenario(data, tmp_path / "p.sqlite") as project:
        west = sites.by_name(project, "West Mesa")
        west_halls = halls.halls(project, west.id)
        assert all(h.cooling == "air" and h.rows <= MAX_ROWS and h.cols <= MAX_COLS for h in west_halls)
        table = halls.positions(project, site_id=west.id)
        miners = {}
        for mid, n in zip(table.model_ids, table.unit_counts):
            if mid >= 0:
                name = catalog.get(project, int(mid)).name
                miners[name] = miners.get(name, 0) + int(n)
        assert miners == {"Antminer S19 XP": 10000, "Antminer S21 Pro": 12000}
        assert int(table.unit_counts.max()) == 8
        east = sites.by_name(project, "East Creek")
        (hydro,) = halls.halls(project, east.id)
        assert hydro.cooling == "hydro" and hydro.max_rack_kw >= 6 * 5.676
        (plan,) = plans.plans(project)
        convs = plans.conversions(project, plan.id)
        assert [c.mode for c in convs] == ["colocation", "gpu_cloud", "colocation"]
        assert convs[1].gpu_count == 4608 and convs[1].lease_usd_per_kw_month is None


def test_seed_model_takes_the_scenario_figures(tmp_path):
    data = json.loads((GOLDEN / "g2-halving-growth.json").read_text())
    with import_scenario(data, tmp_path / "p.sqlite") as project:
        model = catalog.by_name(project, "Antminer S19j Pro")
        assert (model.hashrate_ths, model.power_w) == (100, 3050)
        assert "104" in model.notes  # the seed figure is kept in the note


def test_unknown_model_is_added_and_same_name_with_other_figures_refused(tmp_path):
    data = json.loads((GOLDEN / "g1-single-site.json").read_text())
    data["sites"][0]["fleet"].append({"model": "Bitaxe Hydro 9000", "count": 10, "hashrate_ths": 9, "power_w": 90})
    with import_scenario(data, tmp_path / "a.sqlite") as project:
        model = catalog.by_name(project, "Bitaxe Hydro 9000")
        assert model.kind == "asic" and model.cooling == "hydro" and model.is_estimate
        assert scenario_from_project(project)["sites"][0]["fleet"][0]["model"] == "Antminer S21"
    other = dict(data["sites"][0], name="Second site")
    other["fleet"] = [{"model": "Antminer S21", "count": 1, "hashrate_ths": 201, "power_w": 3500}]
    data["sites"].append(other)
    with pytest.raises(InputError) as err:
        import_scenario(data, tmp_path / "b.sqlite")
    assert err.value.field == "sites[1].fleet[0]" and "one figure per model" in err.value.message
    assert not (tmp_path / "b.sqlite").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sqlite"]


def test_layout_rule():
    fleet = [{"model": "A", "count": 6401, "power_w": 3000}, {"model": "H", "count": 13, "power_w": 5000}]
    layouts = layout_halls(fleet, {"A": "air", "H": "hydro"})
    assert [(l.name, l.cooling, l.rows, l.cols) for l in layouts] == [
        ("Hall A", "air", 20, 40), ("Hall B", "air", 1, 1), ("Hall C", "hydro", 1, 3)]
    assert layouts[1].fills == [(0, "A", 1)]
    assert [n for _, _, n in layouts[2].fills] == [6, 6, 1]
    hall = layouts[0].hall(site_id=1, order=0)
    assert hall.power_capacity_kw == 19200 and hall.max_rack_kw == 25 and hall.floor_load_kg == 1000


def test_export_plan_by_name_and_unknown_plan(demo_path, tmp_path, capsys):
    out = tmp_path / "s.json"
    assert main(["export-scenario", str(demo_path), "--plan", "Red Mesa Hall C to colocation", "-o", str(out)]) == 0
    scenario = validate_scenario(json.loads(out.read_text()))
    assert scenario["plan"]["conversions"] and len(scenario["sites"]) == 3
    assert main(["export-scenario", str(demo_path), "--plan", "Nope", "-o", str(out)]) == 2
    assert "no plan named 'Nope'" in capsys.readouterr().err
    assert main(["export-scenario", str(demo_path), "--baseline", "-o", str(out)]) == 0
    assert "plan" not in json.loads(out.read_text())
