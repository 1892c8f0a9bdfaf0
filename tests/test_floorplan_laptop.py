"""Floor plan: shift-click and drag on the row letters select the rows between; the hover text
never moves the layout; the panel always shows the hall's and the site's power, today and
with the plan."""
import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt

from desktop.store import halls, power_view, sites
from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan.canvas import HEADER_W


def _row_y(view, row):
    return view.canvas.mapFromScene(QPointF(0, row * geo.ROW_PITCH + geo.RACK_H / 2)).y()


def _rows(view):
    return sorted(set(view.table.rows[view.selected_indices()].tolist()))


def test_shift_click_and_drag_on_the_row_letters(main_window, qtbot):
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    floor.show_hall(halls.by_name(project, red.id, "Hall A").id)
    qtbot.wait(50)
    vp = floor.canvas.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(HEADER_W // 2, _row_y(floor, 2)))
    assert _rows(floor) == [2]
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     QPoint(HEADER_W // 2, _row_y(floor, 5)))
    assert _rows(floor) == [2, 3, 4, 5]
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(HEADER_W // 2, _row_y(floor, 7)))
    qtbot.mouseMove(vp, QPoint(HEADER_W // 2, _row_y(floor, 8)))
    qtbot.mouseMove(vp, QPoint(HEADER_W // 2, _row_y(floor, 9)))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(HEADER_W // 2, _row_y(floor, 9)))
    assert _rows(floor) == [7, 8, 9]


def test_hover_text_does_not_move_the_layout(main_window, qtbot):
    main_window.resize(1280, 800)
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    qtbot.wait(100)
    from PySide6.QtWidgets import QToolButton
    fit = next(b for b in floor.findChildren(QToolButton) if b.text() == "Fit")
    before = (main_window.tree.width(), floor.canvas.width(), floor.panel.width(), fit.mapTo(main_window, QPoint(0, 0)))
    t = floor.table
    index = int(np.argmax(t.unit_counts))
    floor._hovered(index)
    floor.hover_label.setText(floor.hover_label.text() + " · " + "a very long description " * 8)
    qtbot.wait(50)
    after = (main_window.tree.width(), floor.canvas.width(), floor.panel.width(), fit.mapTo(main_window, QPoint(0, 0)))
    assert after == before


def test_the_panel_shows_hall_and_site_power_today_and_with_the_plan(main_window, qtbot):
    floor = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(floor)
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    hall = halls.by_name(project, red.id, "Hall C")      # the demo plan converts part of it
    floor.show_hall(hall.id)
    view = power_view.power_view(project, hall.id, main_window.ctx.plan_id)
    assert view.hall_plan_kw < view.hall_today_kw       # miners retired, GPU IT placed instead
    p = floor.panel.power
    assert p["hall_today"].text() == f"{view.hall_today_kw:,.0f} of 24,000 kW"
    assert p["hall_plan"].text() == f"{view.hall_plan_kw:,.0f} of 24,000 kW"
    assert p["site_today"].text() == f"{view.site_today_mw:,.1f} of 120.0 MW"
    assert p["site_plan"].text() == f"{view.site_plan_mw:,.1f} of 120.0 MW"
    assert floor.panel.findChild(type(floor.panel.legend_box), "powerBox").isVisible()
