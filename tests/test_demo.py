"""The demo portfolio: three realistic sites, thousands of positions, one colocation plan."""
import subprocess
import sys

from desktop.model.floorgrid import ROLE_GPU
from desktop.store import halls, plans, scenario_export, settings, sites, summary


def test_demo_sites_look_real(demo_project):
    by_name = {s.name: s for s in sites.sites(demo_project)}
    assert set(by_name) == {"Red Mesa", "Lac Bleu", "Wolf Creek"}
    assert 100 <= by_name["Red Mesa"].grid_capacity_mw <= 140
    assert 50 <= by_name["Lac Bleu"].grid_capacity_mw <= 70
    assert 20 <= by_name["Wolf Creek"].grid_capacity_mw <= 30
    for site in by_name.values():
        data = summary.site_summary(demo_project, site.id)
        load_mw = data["power_kw"] / 1000 * site.pue_mining
        assert load_mw <= site.grid_capacity_mw, f"{site.name} overloads its grid"
        assert data["positions_used"] > 500
    assert demo_project.db.execute("select count(*) from positions where model_id is not null").fetchone()[0] > 5000


def test_fleet_counts_match_the_racks(demo_project):
    for site in sites.sites(demo_project):
        racked = {m["model"]: m["miners"] for m in summary.site_summary(demo_project, site.id)["miners_by_model"]}
        by_hall = {}
        for hall in halls.halls(demo_project, site.id):
            for m in summary.hall_summary(demo_project, hall.id)["miners_by_model"]:
                by_hall[m["model"]] = by_hall.get(m["model"], 0) + m["miners"]
        assert racked == by_hall


def test_demo_plan_is_a_power_neutral_colocation(demo_project):
    plan_id = settings.current_plan_id(demo_project)
    (conv,) = plans.conversions(demo_project, plan_id)
    assert conv.mode == "colocation" and conv.lease_usd_per_kw_month == 150
    site = sites.get(demo_project, conv.site_id)
    freed = sum(conv.remove_asics.values()) * 3082 / 1e6 * site.pue_mining
    assert conv.critical_it_mw * site.pue_hosting <= freed + 1e-9
    assert freed - conv.critical_it_mw * site.pue_hosting < 0.0408 * site.pue_hosting  # not one rack more fits
    taken = plans.conversion_positions(demo_project, conv.id)
    assert len(taken["gpu"]) == conv.racks_placed and len(taken["retired"]) > 0
    table = halls.positions(demo_project, hall_id=conv.hall_id, plan_id=plan_id)
    assert int((table.role == ROLE_GPU).sum()) == conv.racks_placed


def test_demo_is_deterministic(tmp_path):
    from desktop.store.demo import build_demo

    a = build_demo(tmp_path / "a.sqlite")
    b = build_demo(tmp_path / "b.sqlite")
    sa = scenario_export.scenario_from_project(a, settings.current_plan_id(a))
    sb = scenario_export.scenario_from_project(b, settings.current_plan_id(b))
    assert sa == sb
    a.close()
    b.close()


def test_cli_demo_writes_a_project(tmp_path):
    target = tmp_path / "d.sqlite"
    out = subprocess.run([sys.executable, "-m", "desktop", "demo", str(target)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    again = subprocess.run([sys.executable, "-m", "desktop", "demo", str(target)], capture_output=True, text=True)
    assert again.returncode == 2 and again.stderr.startswith("error:") and "Traceback" not in again.stderr
