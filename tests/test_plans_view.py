"""Plans: the list, the commercial terms, the timeline and the comparison, each edit undoable."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop.model import engine
from desktop.store import plans
from desktop.store.scenario_export import scenario_from_project
from desktop.ui.context import ProjectContext
from desktop.model.formatting import usd
from desktop.ui.plans import plan_commands
from desktop.ui.plans.plan_list import PlanListModel
from desktop.ui.plans.terms import BY_KEY, COLUMNS
from desktop.ui.plans.terms_model import ConversionTermsModel


@pytest.fixture
def ctx(qapp, demo_project):
    return ProjectContext(demo_project)


def first_conversion(ctx):
    return plans.conversions(ctx.project, ctx.plan_id)[0]


def test_models_pass_the_model_tester(qtmodeltester, ctx):
    from desktop.ui.plans.compare_view import CompareModel, evaluate_plans

    qtmodeltester.check(PlanListModel(ctx))
    terms = ConversionTermsModel(ctx)
    qtmodeltester.check(terms)
    plan_commands.duplicate_plan(ctx, ctx.plan_id)
    compare = CompareModel()
    compare.set_runs(evaluate_plans(ctx.project), {}, ctx.plan_id)
    qtmodeltester.check(compare)
    assert compare.columnCount() == 2


def test_a_term_edit_is_undoable(ctx):
    model = ConversionTermsModel(ctx)
    column = COLUMNS.index(BY_KEY["lease_usd_per_kw_month"])
    index = model.index(0, column)
    assert index.data() == "$150"
    assert model.setData(index, "175")
    assert first_conversion(ctx).lease_usd_per_kw_month == 175.0
    assert model.index(0, column).data() == "$175"
    ctx.undo_stack.undo()
    assert first_conversion(ctx).lease_usd_per_kw_month == 150.0
    ctx.undo_stack.redo()
    assert first_conversion(ctx).lease_usd_per_kw_month == 175.0


def test_a_refused_term_names_the_field_and_writes_nothing(ctx, qtbot):
    model = ConversionTermsModel(ctx)
    index = model.index(0, COLUMNS.index(BY_KEY["capex_usd_per_mw"]))
    steps = ctx.undo_stack.count()
    with qtbot.waitSignal(model.refused) as refused:
        assert not model.setData(index, "-5")
    assert refused.args[0] == "Capex per MW must be at least $0/MW"   # the planner's words, not the key
    with qtbot.waitSignal(model.refused) as refused:
        assert not model.setData(model.index(0, COLUMNS.index(BY_KEY["load_factor_pct"])), "lots")
    assert refused.args[0] == "Load factor must be a number, not 'lots'"
    assert first_conversion(ctx).capex_usd_per_mw == 9_000_000.0
    assert ctx.undo_stack.count() == steps


def test_terms_of_the_other_mode_are_not_editable(ctx):
    model = ConversionTermsModel(ctx)
    gpu = model.index(0, COLUMNS.index(BY_KEY["gpu_count"]))
    assert gpu.data() == "-"
    assert not model.flags(gpu) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(gpu, "100")


def test_switching_to_gpu_cloud_fills_its_terms_and_evaluates(ctx):
    model = ConversionTermsModel(ctx)
    conv = first_conversion(ctx)
    assert model.setData(model.index(0, COLUMNS.index(BY_KEY["mode"])), "gpu_cloud")
    switched = first_conversion(ctx)
    assert switched.mode == "gpu_cloud"
    assert switched.gpu_count == conv.racks_placed * 32          # 4x DGX H100: 32 GPUs a rack
    assert switched.gpu_hour_usd == 2.2 and switched.utilization_pct == 70.0
    entry = scenario_from_project(ctx.project, ctx.plan_id)["plan"]["conversions"][0]
    assert entry["mode"] == "gpu_cloud" and "lease_usd_per_kw_month" not in entry
    engine.evaluate(scenario_from_project(ctx.project, ctx.plan_id))
    ctx.undo_stack.undo()
    back = first_conversion(ctx)
    assert back.mode == "colocation" and back.gpu_count is None and back.lease_usd_per_kw_month == 150.0


def test_power_pass_through_is_a_checkbox(ctx):
    model = ConversionTermsModel(ctx)
    index = model.index(0, COLUMNS.index(BY_KEY["power_pass_through"]))
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert first_conversion(ctx).power_pass_through is False
    ctx.undo_stack.undo()
    assert first_conversion(ctx).power_pass_through is True


def test_plan_add_duplicate_rename_delete_and_undo(ctx):
    project = ctx.project
    original = ctx.plan_id
    new = plan_commands.add_plan(ctx)
    assert ctx.plan_id == new and plans.get(project, new).name == "New plan"
    ctx.undo_stack.undo()
    assert ctx.plan_id == original and all(p.id != new for p in plans.plans(project))
    ctx.undo_stack.redo()
    assert ctx.plan_id == new
    copy = plan_commands.duplicate_plan(ctx, original)
    assert ctx.plan_id == copy
    assert len(plans.conversions(project, copy)) == len(plans.conversions(project, original))
    plan_commands.rename_plan(ctx, copy, "Variant B")
    assert plans.get(project, copy).name == "Variant B"
    with pytest.raises(Exception, match="already exists"):
        plan_commands.rename_plan(ctx, copy, plans.get(project, original).name)
    plan_commands.delete_plan(ctx, copy)
    assert ctx.plan_id != copy and all(p.id != copy for p in plans.plans(project))
    ctx.undo_stack.undo()
    assert ctx.plan_id == copy and plans.get(project, copy).name == "Variant B"
    assert len(plans.conversions(project, copy)) == len(plans.conversions(project, original))
    ctx.undo_stack.undo()
    assert plans.get(project, copy).name.endswith("(copy)")


def test_plan_list_renames_in_place(ctx, qtbot):
    model = PlanListModel(ctx)
    assert model.data(model.index(0)).startswith("\u25cf ")       # the current plan is marked
    assert model.setData(model.index(0), "Hall C lease")
    assert plans.get(ctx.project, ctx.plan_id).name == "Hall C lease"
    with qtbot.waitSignal(model.refused):
        assert not model.setData(model.index(0), "   ")


@pytest.fixture
def timeline(qtbot, ctx):
    from desktop.ui.plans.timeline import TimelineEditor

    editor = TimelineEditor(ctx)
    qtbot.addWidget(editor)
    editor.resize(1000, 300)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def drag(view, bar, from_month: float, to_month: float, y: float = 9.0) -> None:
    """Press on a bar at a month, move (button held) and release at another month."""
    def point(month):
        return view.mapFromScene(bar.mapToScene(QPointF(bar.x_of(month), y)))

    viewport = view.viewport()
    start, end = point(from_month), point(to_month)
    for kind, pos, buttons in ((QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton),
                               (QEvent.Type.MouseMove, (start + end) / 2, Qt.MouseButton.LeftButton),
                               (QEvent.Type.MouseMove, end, Qt.MouseButton.LeftButton),
                               (QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)):
        event = QMouseEvent(kind, QPointF(pos), QPointF(viewport.mapToGlobal(pos)), Qt.MouseButton.LeftButton,
                            buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)


def test_dragging_a_bar_moves_the_start_in_one_undo_step(ctx, timeline):
    conv = first_conversion(ctx)
    bar = timeline.bars[conv.id]
    steps = ctx.undo_stack.count()
    drag(timeline.view, bar, conv.start_month + 20, conv.start_month + 30)
    moved = first_conversion(ctx)
    assert moved.start_month == conv.start_month + 10
    assert ctx.undo_stack.count() == steps + 1
    assert bar.start == moved.start_month and timeline.selected == conv.id
    ctx.undo_stack.undo()
    assert first_conversion(ctx).start_month == conv.start_month
    assert bar.start == conv.start_month


def test_dragging_the_cod_edge_changes_the_build_time(ctx, timeline):
    conv = first_conversion(ctx)
    bar = timeline.bars[conv.id]
    cod = conv.start_month + conv.build_months
    drag(timeline.view, bar, cod, cod - 4)
    changed = first_conversion(ctx)
    assert (changed.start_month, changed.build_months) == (conv.start_month, conv.build_months - 4)
    ctx.undo_stack.undo()
    assert first_conversion(ctx).build_months == conv.build_months


def test_spin_boxes_edit_the_selected_conversion(ctx, timeline):
    conv = first_conversion(ctx)
    timeline.select(conv.id)
    assert timeline.start_spin.isEnabled() and timeline.start_spin.value() == conv.start_month
    assert timeline.start_spin.text() == "2027-06 (Jun)"   # a month written one way everywhere
    timeline.start_spin.setValue(9)
    timeline.build_spin.setValue(6)
    changed = first_conversion(ctx)
    assert (changed.start_month, changed.build_months) == (9, 6)
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert (first_conversion(ctx).start_month, first_conversion(ctx).build_months) == (conv.start_month, conv.build_months)


def test_compare_view_shows_each_plan_against_mining(qtbot, ctx):
    from desktop.ui.plans.compare_view import CompareView

    copy = plan_commands.duplicate_plan(ctx, ctx.plan_id)
    plan_commands.set_terms(ctx, first_conversion(ctx).id, {"lease_usd_per_kw_month": 180.0})
    view = CompareView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.refreshes >= 1, timeout=5000)
    by_name = {}
    for column, run in enumerate(view.runs):
        by_name[run["name"]] = view.model.index(0, column).data()
    for plan in plans.plans(ctx.project):
        result = engine.evaluate(scenario_from_project(ctx.project, plan.id))
        assert by_name[plan.name] == usd(result["delta"]["npv_usd"])
    curves = {item.name() for item in view.chart.plot.listDataItems()}
    assert {p.name for p in plans.plans(ctx.project)} <= curves and copy in [r["id"] for r in view.runs]
    view.runner.wait(20000)
    qtbot.waitUntil(lambda: view.model.index(6, 0).data().endswith("%"), timeout=20000)


def test_plans_view_buttons(qtbot, ctx):
    from desktop.ui.plans.plans_view import PlansView

    view = PlansView(ctx)
    qtbot.addWidget(view)
    n = len(plans.plans(ctx.project))
    asked = []
    view.ask_name = lambda title, suggested: asked.append((title, suggested)) or "Phase 2"
    view.buttons["new"].click()
    assert asked == [("New plan", "New plan")]            # a new plan asks for its name
    assert len(plans.plans(ctx.project)) == n + 1
    assert view.terms_model.rowCount() == 0 and "Phase 2" in view.terms_title.text()
    view.ask_name = lambda title, suggested: None          # cancelled: nothing is added
    view.buttons["new"].click()
    assert len(plans.plans(ctx.project)) == n + 1
    view.buttons["delete"].click()
    assert len(plans.plans(ctx.project)) == n
    assert view.terms_model.rowCount() == 1
