"""A plan whose breaches block its economics (Red Mesa Hall A to 800 GB300 racks overloads the
site grid) is still saved, marked and reported: the dashboard and the PDF show what can be
computed (keeping on mining), name each breach, and say what blocks the economics and how to
resolve it."""
from __future__ import annotations

import pytest

from desktop.cli import main
from desktop.store import checks, settings, sites
from desktop.store.project import open_project

CONVERT = ["--site", "Red Mesa", "--hall", "Hall A", "--positions", "all", "--to", "GB300 NVL72", "--racks", "800"]


@pytest.fixture
def blocked_path(demo_path, capsys):
    assert main(["convert", str(demo_path), *CONVERT]) == 0    # kept, with its breaches
    capsys.readouterr()
    return demo_path


def test_the_plan_reports_with_what_blocks_it(blocked_path, tmp_path, capsys):
    assert main(["report", str(blocked_path), "-o", str(tmp_path / "r.pdf")]) == 0
    assert main(["export-tables", str(blocked_path), "-o", str(tmp_path / "t")]) == 0
    from desktop.export import report_data
    with open_project(blocked_path, readonly=True) as project:
        data = report_data.gather(project, settings.current_plan_id(project), with_risk=False)
    [line] = data.blocked
    assert "Hall A: 800 x GB300 NVL72 (Red Mesa): site grid: Red Mesa would draw" in line
    assert "to resolve: let Red Mesa's miners yield to the grid" in line
    assert data.recommendation.startswith("Resolve the 1 breach that blocks the plan's economics first")
    assert any(b.startswith("site grid") for _, b in data.breaches)      # every breach is still listed
    assert any(b.startswith("rack feed") for _, b in data.breaches)


def test_yielding_miners_unblock_the_plan(blocked_path):
    """ECONOMICS.md v2: with the miners yielding to firm load the overload becomes lost mining."""
    with open_project(blocked_path) as project:
        plan_id = settings.current_plan_id(project)
        assert checks.evaluation(project, plan_id).is_blocked
        site = sites.by_name(project, "Red Mesa")
        sites.update(project, site.id, miners_yield_to_grid=True)
        check = checks.plan_check(project, plan_id)
        hosting_over = [b for b in check.blocking if b.rule == "site grid"]
        evaluation = checks.evaluation(project, plan_id)
        # the firm hosting load alone (800 x 135 kW x PUE) is still above the grid: still blocked,
        # and now the resolution is about the reservation, not about yielding
        assert hosting_over and "firm hosting load" in hosting_over[0].message
        assert "reserve less critical IT" in hosting_over[0].resolve
        assert evaluation.is_blocked


def test_the_dashboard_shows_the_baseline_and_the_blocking_breaches(qtbot, qapp, blocked_path):
    from desktop.ui.context import ProjectContext
    from desktop.ui.dashboard.dashboard_view import DashboardView

    with open_project(blocked_path) as project:
        ctx = ProjectContext(project)
        view = DashboardView(ctx)
        qtbot.addWidget(view)
        view.live.risk_enabled = False
        view.resize(1280, 800)
        view.show()
        view.live.evaluate_now()
        assert view.live.error is None and view.live.detail is not None and view.live.detail.plan is None
        assert not view.banner.isHidden()
        text = view.banner.text()
        assert "cannot be computed until these are resolved" in text and "site grid: Red Mesa" in text
        assert "to resolve:" in text
        assert all(tile.value.text() == "n/a" for tile in view.tiles.tiles.values())
        assert view.panels["cash"].isEnabled()          # keeping on mining is still drawn
        view.live.shutdown()
