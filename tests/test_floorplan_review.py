"""Floor plan and plans, as a planner uses them in the main window: the hall stays put when
another tab is opened for the first time; the timeline and the convert command say plainly
what they did."""
from desktop.store import halls, sites


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
