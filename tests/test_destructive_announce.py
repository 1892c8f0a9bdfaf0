"""Destructive steps say what went, in the status bar, with an Undo button that takes the step
back; converts and placements say what they did ("Converted 56 positions in Hall A")."""
from desktop.store import catalog, halls, plans, sites
from desktop.ui.plans import plan_commands


def _announced(window):
    a = window.announcement
    return a.label.text() if a.isVisibleTo(window) else ""


def test_deleting_a_plan_announces_it_with_its_conversions_and_undo_brings_it_back(main_window):
    ctx = main_window.ctx
    plan_id = ctx.plan_id
    name = plans.get(ctx.project, plan_id).name
    count = len(plans.conversions(ctx.project, plan_id))
    assert count > 0
    main_window.tabs.setCurrentWidget(main_window.views["Plans"])
    view = main_window.views["Plans"]
    view.plan_list.setCurrentIndex(view.plan_model.index(view.plan_model.row_of(plan_id)))
    view.delete()
    assert plans.by_name(ctx.project, name) is None
    noun = "conversion" if count == 1 else "conversions"
    assert _announced(main_window) == f"Deleted plan {name} with its {count} {noun} and their terms"
    button = main_window.announcement.undo_button
    assert button.isVisibleTo(main_window)
    button.click()
    assert plans.by_name(ctx.project, name) is not None
    assert len(plans.conversions(ctx.project, plans.by_name(ctx.project, name).id)) == count
    assert not main_window.announcement.isVisibleTo(main_window)


def test_deleting_a_catalog_entry_and_removing_fleet_announce_with_undo(main_window):
    ctx = main_window.ctx
    cat = main_window.views["Catalog"]
    main_window.tabs.setCurrentWidget(cat)
    cat.gpu.add()
    cat.gpu.delete()
    assert _announced(main_window) == "Deleted New GPU system from the catalog"
    main_window.announcement.undo_button.click()
    assert catalog.by_name(ctx.project, "New GPU system") is not None
    fleet = main_window.views["Fleet"]
    main_window.tabs.setCurrentWidget(fleet)
    m60 = catalog.by_name(ctx.project, "Whatsminer M60S")
    fleet.add_model.setCurrentIndex(fleet.add_model.findData(m60.id))
    fleet.add_count.setValue(250)
    fleet.add_entry()
    row = next(i for i, r in enumerate(fleet.model.rows) if r["model"] == "Whatsminer M60S")
    fleet.table.selectRow(fleet.proxy.mapFromSource(fleet.model.index(row, 0)).row())
    fleet.remove_selected()
    assert _announced(main_window) == "Removed 1 fleet entry"
    assert main_window.announcement.undo_button.isVisibleTo(main_window)


def test_the_undo_button_goes_when_the_stack_moves_on(main_window):
    ctx = main_window.ctx
    plan_id = plan_commands.add_plan(ctx, "Scratch")
    plan_commands.delete_plan(ctx, plan_id)
    assert main_window.announcement.undo_button.isVisibleTo(main_window)
    ctx.undo_stack.undo()
    assert not main_window.announcement.undo_button.isVisibleTo(main_window)


def test_convert_and_place_say_what_they_did(main_window, qtbot):
    ctx = main_window.ctx
    red = sites.by_name(ctx.project, "Red Mesa")
    hall = halls.by_name(ctx.project, red.id, "Hall A")
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    floor.show_hall(hall.id)
    floor.select_rows(0, 2)
    gpu = catalog.by_name(ctx.project, "4x DGX H100 rack")
    floor.panel.gpu_combo.setCurrentIndex(floor.panel.gpu_combo.findData(gpu.id))
    floor.update_preview()
    assert floor.convert() is not None
    assert _announced(main_window) == "Converted 120 positions in Hall A (56 GPU racks)"
    assert not main_window.announcement.undo_button.isVisibleTo(main_window)
