"""A hall's limits lowered below what its miners already draw are stored, with a warning beside
the hall form, and the hall is marked in the portfolio tree."""
from PySide6.QtCore import Qt

from desktop.model.hall_limits import limit_warnings
from desktop.store import hall_load, halls, sites


def test_the_rule():
    assert limit_warnings(24000, 30, 19264, 24.08) == []
    assert limit_warnings(1000, 5, 5300, 24.08) == [
        "its miners draw 5,300 kW, more than its power of 1,000 kW",
        "a position's miners draw 24.1 kW, more than the 5.0 kW allowed per position"]


def test_lowering_a_halls_limits_warns_and_marks_the_hall(main_window):
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    hall = halls.by_name(project, red.id, "Hall A")
    view = main_window.views["Sites"]
    main_window.tabs.setCurrentWidget(view)
    main_window.tree.select("hall", hall.id)
    panel = view.halls
    assert panel.current_id() == hall.id and not panel.limit_warning.isVisible()
    for key, text in (("power_capacity_kw", "1000"), ("max_rack_kw", "5")):
        field = panel.form.fields[key]
        field.setText(text)
        field.commit_now()
    stored = halls.get(project, hall.id)
    assert (stored.power_capacity_kw, stored.max_rack_kw) == (1000, 5)          # accepted
    total, _most = hall_load.floor_draw_kw(project, hall.id)
    assert total > 1000
    text = panel.limit_warning.text()
    assert panel.limit_warning.isVisible() and "more than its power of 1,000 kW" in text
    assert "allowed per position" in text
    item = next(i for i in main_window.tree.model_.match(main_window.tree.model_.index(0, 0), Qt.ItemDataRole.DisplayRole,
                                                          "Hall A", -1, Qt.MatchFlag.MatchRecursive))
    assert "more than its power" in item.data(Qt.ItemDataRole.ToolTipRole)
    assert item.data(Qt.ItemDataRole.DecorationRole) is not None
    main_window.ctx.undo_stack.undo()
    main_window.ctx.undo_stack.undo()
    assert not panel.limit_warning.isVisible()
