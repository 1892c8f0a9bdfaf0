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


def test_convert_says_when_fewer_racks_than_asked_fit(demo_path, capsys):
    from desktop.cli import main

    code = main(["convert", str(demo_path), "--site", "Lac Bleu", "--hall", "Hall 2", "--positions", "A01-A04",
                 "--to", "GB200 NVL72", "--racks", "99"])
    out = capsys.readouterr().out
    assert code == 0
    assert "GPU racks          4 (99 asked; one a position at most): A01-A04" in out
    assert "as asked" not in out
