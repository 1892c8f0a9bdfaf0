"""No text outlives what it describes: the timeline's footer after an undo removes its bar,
the chart's hover readout after new figures, the timeline's order after a restart."""
import PySide6  # noqa: F401  (before pyqtgraph)
import pyqtgraph as pg

from desktop.charts import charts
from desktop.model import engine
from desktop.store import plans, scenario_export, settings
from desktop.ui.context import ProjectContext
from desktop.ui.plans import plan_commands


def test_timeline_footer_goes_with_its_bar(qtbot, demo_project):
    from desktop.ui.plans.timeline import NO_SELECTION, TimelineEditor

    ctx = ProjectContext(demo_project)
    new_plan = plan_commands.duplicate_plan(ctx, ctx.plan_id)
    ctx.set_plan(new_plan)
    editor = TimelineEditor(ctx)
    qtbot.addWidget(editor)
    conv = plans.conversions(demo_project, new_plan)[0]
    editor.select(conv.id)
    assert conv.label in editor.selected_label.text()
    ctx.undo_stack.undo()          # the duplicate (and its conversions) go
    assert editor.selected is None
    assert editor.selected_label.text() == NO_SELECTION


def test_timeline_order_is_the_same_after_a_move_and_after_a_restart(qtbot, demo_path):
    from desktop.store.project import open_project
    from desktop.ui.plans.timeline import TimelineEditor

    def order(editor):
        return [cid for cid, _ in sorted(editor.bars.items(), key=lambda item: (item[1].y(), item[0]))]

    project = open_project(demo_path)
    ctx = ProjectContext(project)
    from desktop.store import catalog, conversions, halls, sites

    red = sites.by_name(project, "Red Mesa")
    hall = halls.by_name(project, red.id, "Hall A")
    gpu = catalog.by_name(project, "4x DGX H100 rack")
    for start, rows in ((40, range(0, 40)), (50, range(40, 80))):   # two more, later ones
        conversions.convert(project, ctx.plan_id, hall.id, list(rows), gpu.id, start)
    editor = TimelineEditor(ctx)
    qtbot.addWidget(editor)
    convs = plans.conversions(project, ctx.plan_id)
    assert len(convs) >= 2
    last = max(convs, key=lambda c: c.start_month)
    plan_commands.set_terms(ctx, last.id, {"start_month": 0})     # moved before the others
    live = order(editor)
    editor.close()
    project.close()
    project = open_project(demo_path)                            # the planner restarts
    again = TimelineEditor(ProjectContext(project))
    qtbot.addWidget(again)
    assert order(again) == live
    again.close()
    project.close()


def test_hover_readout_follows_new_figures_under_a_still_pointer(qtbot, demo_project):
    from desktop.ui.dashboard.panel import ChartPanel

    scenario = scenario_export.scenario_from_project(demo_project, settings.current_plan_id(demo_project))
    detail = engine.evaluate_detail(scenario)
    panel = ChartPanel("Power", charts.draw_power)
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_data(detail, 0)
    panel._mouse_moved(panel.plot.vb.mapViewToScene(pg.Point(30, 10)))
    before = panel.readout_label.text()
    scenario["plan"]["conversions"] = []
    other = engine.evaluate_detail(scenario)
    panel.show_data(other, 0)
    after = panel.readout_label.text()
    assert after != before
    assert after == panel.readout.text_at(30, 10)
