"""Floor plan and plans, as a planner uses them in the main window: the hall stays put when
another tab is opened for the first time; the timeline and the convert command say plainly
what they did."""
from desktop.store import checks, halls, sites


def _hall(project, site, hall):
    return halls.by_name(project, sites.by_name(project, site).id, hall).id


def test_floor_plan_keeps_its_hall_when_another_view_is_built(main_window, qtbot):
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    hall_2 = _hall(floor.ctx.project, "Lac Bleu", "Hall 2")
    floor.hall_combo.setCurrentIndex(floor.hall_combo.findData(hall_2))   # picked in the combo, not the tree
    assert floor.hall_id == hall_2
    main_window.tabs.setCurrentWidget(main_window.views["Plans"])         # built now: tells the tree's selection
    main_window.tabs.setCurrentWidget(floor)
    assert floor.hall_id == hall_2
    assert floor.hall_combo.currentData() == hall_2


def test_convert_says_when_fewer_racks_than_asked_fit(demo_path, capsys):
    from desktop.cli import main

    code = main(["convert", str(demo_path), "--site", "Lac Bleu", "--hall", "Hall 2", "--positions", "A01-A04",
                 "--to", "GB200 NVL72", "--racks", "99"])
    out = capsys.readouterr().out
    assert code == 0
    assert "GPU racks          4 (99 asked; one a position at most): A01-A04" in out
    assert "as asked" not in out


def _lac_bleu_pair(project):
    """A frees grid at month 0 (one rack on 160 positions); B, at month 6, reserves more than
    it frees and fits the grid only while A's miners are out."""
    from desktop.store import catalog, conversions, plans

    hall = _hall(project, "Lac Bleu", "Hall 2")
    gb200 = catalog.by_name(project, "GB200 NVL72").id
    plan = plans.plans(project)[0].id
    table = halls.positions(project, hall_id=hall, plan_id=plan)
    a, _ = conversions.convert(project, plan, hall, table.select_spec("A01-D40"), gb200, 0, racks=1)
    table = halls.positions(project, hall_id=hall, plan_id=plan)
    b, proposal = conversions.convert(project, plan, hall, table.select_spec("E01-F40"), gb200, 6, racks=60)
    assert proposal.breaches == []
    return plan, a, b


def test_moving_a_conversion_in_time_rechecks_the_site_grid(main_window, qtbot):
    from desktop.store import plans

    ctx = main_window.ctx
    plan, a, b = _lac_bleu_pair(ctx.project)
    ctx.set_plan(plan)
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    view.timeline.select(a)
    view.timeline.start_spin.setValue(12)          # A's miners now come out after B starts
    assert plans.get_conversion(ctx.project, a).start_month == 12
    [breach] = checks.conversion_breaches(ctx.project, b)
    assert breach.startswith("site grid: Lac Bleu would draw") and "in 2027-06" in breach
    row = [c.id for c in view.terms_model.rows].index(b)
    column = [c.key for c in __import__("desktop.ui.plans.terms", fromlist=["COLUMNS"]).COLUMNS].index("breaches")
    assert view.terms_model.index(row, column).data() == "1 breach"
    ctx.undo_stack.undo()
    assert plans.get_conversion(ctx.project, a).start_month == 0
    assert checks.conversion_breaches(ctx.project, b) == []
    ctx.undo_stack.redo()
    assert len(checks.conversion_breaches(ctx.project, b)) == 1


def test_removing_a_conversion_rechecks_the_others(main_window, qtbot):
    import numpy as np

    from desktop.store import plans

    ctx = main_window.ctx
    plan, a, b = _lac_bleu_pair(ctx.project)
    ctx.set_plan(plan)
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    floor.show_hall(_hall(ctx.project, "Lac Bleu", "Hall 2"))
    floor.pick(np.nonzero(floor.table.conversion_ids == a)[0])
    assert floor.remove_conversions() is not None
    hall, grid = checks.conversion_breaches(ctx.project, b)   # A's miners stay: B is over hall and grid
    assert hall.startswith("hall power: Hall 2 would carry 34,488 kW") and grid.startswith("site grid: Lac Bleu")
    assert "site grid" in floor.panel.breaches_label.text()
    ctx.undo_stack.undo()
    assert checks.conversion_breaches(ctx.project, b) == []
    ctx.undo_stack.redo()
    assert len(checks.conversion_breaches(ctx.project, b)) == 2


def test_timeline_says_when_operation_starts_after_the_horizon(main_window, qtbot):
    from desktop.store import plans

    ctx = main_window.ctx
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    [conv] = plans.conversions(ctx.project, ctx.plan_id)
    view.timeline.select(conv.id)
    assert "horizon" not in view.timeline.selected_label.text()
    view.timeline.start_spin.setValue(115)      # 12 build months: operating from month 127
    text = view.timeline.selected_label.text()
    assert "commercial operation 2037-07 (Jul)" in text   # a month written one way everywhere
    assert "after the horizon" in text and "earns nothing" in text
