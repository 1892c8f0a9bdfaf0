"""The dashboard follows every edit (undo and redo included); a slider drag is one write, one
recompute and one undo step; background results that went stale are dropped."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QThread

from desktop.model import engine
from desktop.store import plans, settings
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.background import Latest, run_in_background
from desktop.ui.context import ProjectContext
from desktop.ui.plans import plan_commands


@pytest.fixture
def ctx(qapp, demo_project):
    return ProjectContext(demo_project)


@pytest.fixture
def dash(qtbot, ctx):
    from desktop.ui.dashboard.dashboard_view import DashboardView

    view = DashboardView(ctx)
    qtbot.addWidget(view)
    view.live.risk_enabled = False
    yield view
    view.live.shutdown()


def settled(qtbot, dash, before: int) -> None:
    qtbot.waitUntil(lambda: dash.live.evaluations > before and not dash.live.pending, timeout=5000)


def engine_cash(ctx):
    detail = engine.evaluate_detail(scenario_from_project(ctx.project, ctx.plan_id))
    return detail.plan.cumulative_cash_usd


def shown_cash(dash):
    return dash.panels["cash"].plot._rs_items["plan"].getData()[1]


def test_market_edit_undo_and_redo_reach_the_charts(qtbot, ctx, dash):
    original = shown_cash(dash).copy()
    np.testing.assert_allclose(original, engine_cash(ctx))
    before = dash.live.evaluations
    dash.market.set_value("btc_price_usd", 120_000)
    dash.market.flush()
    settled(qtbot, dash, before)
    assert settings.assumptions(ctx.project)["market"]["btc_price_usd"] == 120_000
    changed = shown_cash(dash).copy()
    np.testing.assert_allclose(changed, engine_cash(ctx))
    assert not np.allclose(changed, original)
    for action, expected in ((ctx.undo_stack.undo, original), (ctx.undo_stack.redo, changed)):
        before = dash.live.evaluations
        action()
        settled(qtbot, dash, before)
        np.testing.assert_allclose(shown_cash(dash), expected)
    assert dash.tiles.text("delta_npv") != ""


def test_conversion_terms_reach_the_charts_and_tiles(qtbot, ctx, dash):
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    npv_text = dash.tiles.text("delta_npv")
    before = dash.live.evaluations
    plan_commands.set_terms(ctx, conv.id, {"lease_usd_per_kw_month": 190.0})
    settled(qtbot, dash, before)
    np.testing.assert_allclose(shown_cash(dash), engine_cash(ctx))
    assert dash.tiles.text("delta_npv") != npv_text
    before = dash.live.evaluations
    ctx.undo_stack.undo()
    settled(qtbot, dash, before)
    assert dash.tiles.text("delta_npv") == npv_text


def test_a_slider_drag_is_one_write_one_recompute_one_undo_step(qtbot, ctx, dash):
    slider = dash.market.sliders["btc_price_usd"]
    steps, evaluations, writes = ctx.undo_stack.count(), dash.live.evaluations, dash.market.writes
    slider.setSliderDown(True)
    for position in range(slider.value() + 1, slider.value() + 40):
        slider.setValue(position)
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: dash.market.writes == writes + 1, timeout=3000)
    settled(qtbot, dash, evaluations)
    qtbot.wait(60)
    assert dash.market.writes == writes + 1
    assert dash.live.evaluations == evaluations + 1
    assert ctx.undo_stack.count() == steps + 1
    dragged = settings.assumptions(ctx.project)["market"]["btc_price_usd"]
    assert dragged == dash.market.spins["btc_price_usd"].value()


def test_a_long_drag_writes_as_it_goes_but_undoes_in_one_step(qtbot, ctx, dash):
    slider = dash.market.sliders["btc_price_usd"]
    start_price = settings.assumptions(ctx.project)["market"]["btc_price_usd"]
    steps, writes = ctx.undo_stack.count(), dash.market.writes
    slider.setSliderDown(True)
    for k in range(1, 4):
        slider.setValue(slider.value() + 5)
        qtbot.waitUntil(lambda k=k: dash.market.writes == writes + k, timeout=3000)
    slider.setSliderDown(False)
    assert ctx.undo_stack.count() == steps + 1
    slider.setSliderDown(True)               # a second drag is a step of its own
    slider.setValue(slider.value() + 5)
    slider.setSliderDown(False)
    qtbot.waitUntil(lambda: dash.market.writes == writes + 4, timeout=3000)
    assert ctx.undo_stack.count() == steps + 2
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert settings.assumptions(ctx.project)["market"]["btc_price_usd"] == start_price


def test_a_refused_value_changes_nothing(qtbot, ctx, dash):
    steps = ctx.undo_stack.count()
    stored = settings.assumptions(ctx.project)
    dash.market._stage("btc_price_growth_pct_per_year", -150.0, None)
    dash.market.flush()
    assert "BTC price growth" in dash.market.message.text()
    assert settings.assumptions(ctx.project) == stored
    assert ctx.undo_stack.count() == steps


def test_an_unevaluable_plan_shows_why_and_recovers(qtbot, ctx, dash):
    before = dash.live.evaluations
    dash.market.set_value("horizon_months", 12)   # the conversion starts in month 6: fine
    dash.market.flush()
    settled(qtbot, dash, before)
    assert dash.banner.isHidden()
    before = dash.live.evaluations
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    plans.update_conversion(ctx.project, conv.id, start_month=20)   # outside the horizon
    ctx.notify("conversions")
    settled(qtbot, dash, before)
    assert not dash.banner.isHidden() and "Start must be between 0 and 11" in dash.banner.text()
    assert dash.live.error is not None
    plans.update_conversion(ctx.project, conv.id, start_month=6)
    before = dash.live.evaluations
    ctx.notify("conversions")
    settled(qtbot, dash, before)
    assert dash.banner.isHidden()


def test_risk_arrives_in_the_background_and_stale_results_are_dropped(qtbot, ctx, dash):
    live = dash.live
    live.n_paths = 500
    with qtbot.waitSignal(live.riskReady, timeout=20000) as ready:
        live.start_risk()
    risk = ready.args[0]
    assert risk.montecarlo.detail is live.detail
    assert dash.panels["fan"].plot._rs_items["median"].getData()[1].shape == (len(live.detail.months),)
    assert dash.tiles.text("p_beats").endswith("%")
    old = live.runner.generation
    with qtbot.waitSignal(live.riskReady, timeout=20000) as ready:
        live.start_risk()
        dropped = live.runner.dropped
        with qtbot.assertNotEmitted(live.riskReady):
            live.runner.deliver(old, ([], None))   # a result of the previous run, arriving late
        assert live.runner.dropped == dropped + 1
    assert ready.args[0].generation == old + 1


def test_latest_drops_a_slow_older_run(qtbot):
    runner = Latest()
    release = threading.Event()
    results = []
    runner.result.connect(results.append)

    def slow(progress, cancelled):
        release.wait(5)
        return "old"

    runner.start(slow)
    runner.start(lambda progress, cancelled: "new")
    release.set()
    qtbot.waitUntil(lambda: results == ["new"], timeout=5000)
    runner.wait(5000)
    qtbot.wait(20)
    assert results == ["new"]


def test_background_helper_delivers_on_the_gui_thread(qtbot):
    gui = QThread.currentThread()
    seen = {}

    def work(progress, cancelled):
        seen["worker"] = QThread.currentThread()
        progress(0.5)
        return 42

    progress = []
    with qtbot.waitSignal(run_in_background(work, on_progress=progress.append).finished, timeout=5000) as done:
        pass
    assert done.args == [42] and seen["worker"] is not gui
    assert progress == [0.5]

    def broken(progress, cancelled):
        raise ValueError("no")

    with qtbot.waitSignal(run_in_background(broken).failed, timeout=5000) as failed:
        pass
    assert isinstance(failed.args[0], ValueError) and "ValueError" in failed.args[0].traceback_text


def test_a_cancelled_task_delivers_nothing(qtbot):
    gate = threading.Event()
    task = run_in_background(lambda progress, cancelled: gate.wait(5) and "late")
    delivered = []
    task.finished.connect(delivered.append)
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert delivered == [] and task.cancelled


def test_opening_another_project_while_the_risk_runs(qtbot, main_window, tmp_path):
    import shutil

    from desktop.ui.session import open_session

    dashboard = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(dashboard)
    assert dashboard.live.runner.running or dashboard.live.risk is not None
    other = tmp_path / "other.sqlite"
    shutil.copy(main_window.ctx.project.path, other)
    main_window.set_session(open_session(other))
    new = main_window.views["Dashboard"]
    assert new is not dashboard
    main_window.tabs.setCurrentWidget(new)
    qtbot.waitUntil(lambda: new.live.risk is not None, timeout=30000)
    new.live.shutdown()


def test_a_horizon_that_would_leave_a_conversion_outside_is_refused(qtbot, ctx, dash):
    """The demo's conversion starts in month 6; moved to month 30, a 24-month horizon would
    make the plan unevaluable: the panel says why, and nothing is stored or pushed."""
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    plans.update_conversion(ctx.project, conv.id, start_month=30)
    steps, stored = ctx.undo_stack.count(), settings.assumptions(ctx.project)
    dash.market.set_value("horizon_months", 24)
    dash.market.flush()
    message = dash.market.message.text()
    assert message.startswith("Horizon must be at least 31 months: ") and "2029-06" in message
    assert settings.assumptions(ctx.project) == stored
    assert ctx.undo_stack.count() == steps
    assert dash.market.spins["horizon_months"].value() == stored["horizon_months"]
    before = dash.live.evaluations
    dash.market.set_value("horizon_months", 36)   # long enough: stored, the message goes
    dash.market.flush()
    settled(qtbot, dash, before)
    assert settings.assumptions(ctx.project)["horizon_months"] == 36 and dash.market.message.text() == ""
    assert dash.banner.isHidden()


def test_tiles_do_not_keep_the_figures_of_a_plan_that_cannot_be_evaluated(qtbot, ctx, dash):
    assert dash.tiles.text("delta_npv").startswith("$")
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    plans.update_conversion(ctx.project, conv.id, start_month=500)   # outside the horizon
    before = dash.live.evaluations
    ctx.notify("conversions")
    settled(qtbot, dash, before)
    assert not dash.banner.isHidden()
    assert all(dash.tiles.text(k) == "n/a" for k in dash.tiles.tiles)
    plans.update_conversion(ctx.project, conv.id, start_month=6)
    before = dash.live.evaluations
    ctx.notify("conversions")
    settled(qtbot, dash, before)
    assert dash.tiles.text("delta_npv").startswith("$")


def test_a_risk_run_shows_its_progress_and_cancel_button_and_cancel_delivers_nothing(qtbot, ctx, dash):
    live = dash.live
    live.n_paths = 2_000
    live.start_risk()          # its result is queued to this thread: it cannot land before the click
    assert not dash.progress.isHidden() and not dash.cancel_button.isHidden()
    with qtbot.assertNotEmitted(live.riskReady, wait=200):
        dash.cancel_button.click()
    assert dash.progress.isHidden() and dash.cancel_button.isHidden()
    assert dash.risk_status.text() == "cancelled"
