"""Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y reach the app's undo stack wherever the focus is, once an
edit is committed; a field still being typed in undoes its own typing first."""
import pytest
from PySide6.QtCore import Qt

from desktop.store import sites

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def sites_view(main_window, qtbot):
    main_window.activateWindow()
    qtbot.waitUntil(lambda: main_window.isActiveWindow())
    view = main_window.views["Sites"]
    main_window.tabs.setCurrentWidget(view)
    return view


def _type_and_commit(qtbot, field, text):
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_ctrl_z_in_a_committed_field_undoes_the_stored_edit(main_window, sites_view, qtbot):
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    sites_view.select(red.id)
    field = sites_view.form.fields["grid_capacity_mw"]
    _type_and_commit(qtbot, field, "150")
    assert sites.get(project, red.id).grid_capacity_mw == 150
    assert field.hasFocus()
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert sites.get(project, red.id).grid_capacity_mw == 120
    assert field.text() == "120"
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL | SHIFT)
    assert sites.get(project, red.id).grid_capacity_mw == 150
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_Y, CTRL)
    assert sites.get(project, red.id).grid_capacity_mw == 150


def test_typing_not_yet_committed_is_undone_by_the_field_first(main_window, sites_view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    red = sites.by_name(project, "Red Mesa")
    sites_view.select(red.id)
    energy = sites_view.form.fields["energy_price_usd_per_mwh"]
    _type_and_commit(qtbot, energy, "41")
    assert stack.count() == 1
    grid = sites_view.form.fields["grid_capacity_mw"]
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    qtbot.keyClick(grid, Qt.Key.Key_End)
    qtbot.keyClicks(grid, "5")
    assert grid.text() == "1205"
    qtbot.keyClick(grid, Qt.Key.Key_Z, CTRL)
    assert grid.text() == "120"                       # the field's own typing went first
    assert stack.index() == 1                         # the stored edit is still there
    assert sites.get(project, red.id).energy_price_usd_per_mwh == 41


def test_ctrl_z_in_a_spin_box_after_its_edit(main_window, qtbot):
    """A spin box (the dashboard's) gives the keys to the app once its edit is finished."""
    from PySide6.QtWidgets import QAbstractSpinBox

    main_window.activateWindow()
    qtbot.waitUntil(lambda: main_window.isActiveWindow())
    stack = main_window.ctx.undo_stack
    view = main_window.views["Dashboard"]
    main_window.tabs.setCurrentWidget(view)
    box = view.market.spins["discount_rate_pct"]
    assert isinstance(box, QAbstractSpinBox)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    before = box.text()
    qtbot.keyClicks(box.lineEdit(), "")
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "12")
    assert box.lineEdit().isModified()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stack.count() >= 1)
    assert box.text() != before
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: box.text() == before)
    assert stack.index() == 0


def test_undo_and_redo_items_name_the_step(main_window, sites_view, qtbot):
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    sites_view.select(red.id)
    undo, redo = main_window.actions_by_id["edit.undo"], main_window.actions_by_id["edit.redo"]
    assert undo.text() == "&Undo" and not undo.isEnabled()
    field = sites_view.form.fields["energy_price_usd_per_mwh"]
    field.setText("41")
    field.commit_now()
    assert undo.text() == "&Undo Change Red Mesa energy price" and undo.isEnabled()
    main_window.undo()
    assert redo.text() == "&Redo Change Red Mesa energy price" and undo.text() == "&Undo"
