"""The Plans view at laptop width: a compact list of the plan's conversions, the selected one's
terms as a form beside it; every form edit is the same checked, undoable edit as the table's."""
from desktop.store import plans


def test_the_form_edits_the_selected_conversion_undoably(main_window, qtbot):
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    ctx = main_window.ctx
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    form = view.terms_form
    assert form.conversion_id == conv.id
    lease = form.editors["lease_usd_per_kw_month"]
    assert lease.text() == "150" and lease.isVisible()
    assert not form.editors["gpu_hour_usd"].isVisible()      # the other mode's terms are not offered
    lease.setText("165")
    lease.commit_now()
    assert plans.get_conversion(ctx.project, conv.id).lease_usd_per_kw_month == 165
    assert ctx.undo_stack.undoText().startswith("Change lease rate of ")
    ctx.undo_stack.undo()
    assert plans.get_conversion(ctx.project, conv.id).lease_usd_per_kw_month == 150
    assert form.editors["lease_usd_per_kw_month"].text() == "150"      # the form follows the undo


def test_the_form_refuses_in_planner_words_and_warns_on_implausible(main_window):
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    ctx = main_window.ctx
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    form = view.terms_form
    build = form.editors["build_months"]
    build.setText("-3")
    build.commit_now()
    assert view.message.text() == "Build time must be at least 0 months"
    assert plans.get_conversion(ctx.project, conv.id).build_months == conv.build_months
    lease = form.editors["lease_usd_per_kw_month"]
    lease.setText("5000")
    lease.commit_now()
    assert plans.get_conversion(ctx.project, conv.id).lease_usd_per_kw_month == 5000
    assert form.warnings["lease_usd_per_kw_month"].text() == "unusually high (typically at most $300/kW-month)"
    assert view.message.text() == ""                        # the old refusal went with the good edit


def test_the_mode_switch_shows_the_other_modes_terms(main_window):
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    ctx = main_window.ctx
    conv = plans.conversions(ctx.project, ctx.plan_id)[0]
    form = view.terms_form
    mode = form.editors["mode"]
    mode.setCurrentIndex(mode.findData("gpu_cloud"))
    mode.activated.emit(mode.currentIndex())
    assert plans.get_conversion(ctx.project, conv.id).mode == "gpu_cloud"
    assert form.editors["gpu_hour_usd"].isVisible() and not form.editors["lease_usd_per_kw_month"].isVisible()
