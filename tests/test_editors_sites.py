"""The Sites view: the site and hall forms, checked as typed, every edit undoable."""
import pytest
from PySide6.QtCore import Qt

from desktop.store import halls, plans, sites


@pytest.fixture
def view(main_window):
    main_window.tabs.setCurrentWidget(main_window.views["Sites"])
    return main_window.views["Sites"]


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    field.clear()
    qtbot.keyClicks(field, text)


def test_follows_the_tree(main_window, view, qtbot):
    project = main_window.ctx.project
    lac = sites.by_name(project, "Lac Bleu")
    main_window.tree.select("site", lac.id)
    qtbot.waitUntil(lambda: view.form.fields["name"].text() == "Lac Bleu")
    assert view.form.fields["name"].text() == "Lac Bleu"
    assert view.halls.title() == "Halls of Lac Bleu"
    hall2 = halls.by_name(project, lac.id, "Hall 2")
    main_window.tree.select("hall", hall2.id)
    qtbot.waitUntil(lambda: view.halls.form.fields["name"].text() == "Hall 2")
    assert view.halls.form.fields["name"].text() == "Hall 2"
    assert view.halls.form.fields["cooling"].currentText() == "liquid-ready"


def test_edit_undo_redo_a_site_field(main_window, view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    field = view.form.fields["grid_capacity_mw"]
    type_into(qtbot, field, "150")
    field.commit_now()
    assert sites.get(project, red.id).grid_capacity_mw == 150
    assert stack.count() == 1 and "grid capacity" in stack.undoText()
    stack.undo()
    assert sites.get(project, red.id).grid_capacity_mw == 120
    assert field.text() == "120"
    assert view.model.rows[view.model.row_of(red.id)]["grid_capacity_mw"] == 120
    stack.redo()
    assert sites.get(project, red.id).grid_capacity_mw == 150 and field.text() == "150"


def test_invalid_value_is_red_with_reason_and_never_written(main_window, view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    field = view.form.fields["pue_hosting"]
    type_into(qtbot, field, "0.9")
    assert field.message == "must be at least 1"
    assert view.form.message("pue_hosting") == "must be at least 1"
    assert "c62828" in field.styleSheet() and "must be at least 1" in field.toolTip()
    field.commit_now()
    assert sites.get(project, red.id).pue_hosting == 1.3 and stack.count() == 0
    type_into(qtbot, field, "abc")
    assert field.message == "must be a number"
    type_into(qtbot, field, "1.25")
    assert field.message == "" and "c62828" not in field.styleSheet()
    field.commit_now()
    assert sites.get(project, red.id).pue_hosting == 1.25


def test_duplicate_name_refused_by_the_store(main_window, view, qtbot):
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    field = view.form.fields["name"]
    type_into(qtbot, field, "Lac Bleu")
    field.commit_now()
    assert "already exists" in view.form.message("name") and field.message
    assert sites.get(project, red.id).name == "Red Mesa"
    assert main_window.ctx.undo_stack.count() == 0


def test_add_and_delete_site_undo_redo(main_window, view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    new = sites.by_name(project, "New site")
    assert new is not None and view.current_id() == new.id
    tree_names = [main_window.tree.model_.item(r).text() for r in range(main_window.tree.model_.rowCount())]
    assert "New site" in tree_names
    stack.undo()
    assert sites.by_name(project, "New site") is None and len(view.model.rows) == 3
    stack.redo()
    assert sites.by_name(project, "New site").id == new.id

    red = sites.by_name(project, "Red Mesa")
    wolf = sites.by_name(project, "Wolf Creek")
    main_window.tree.select("hall", halls.halls(project, wolf.id)[0].id)  # the floor plan shows a hall that stays
    positions = halls.used_and_free(project, site_id=red.id)
    conv_count = len(plans.conversions(project, main_window.ctx.plan_id))
    view.select(red.id)
    asked = []
    view.confirm = lambda title, text: asked.append(text) or True
    view.delete_site()
    assert "5 hall(s)" in asked[0] and "1 conversion(s)" in asked[0]
    assert sites.by_name(project, "Red Mesa") is None
    stack.undo()
    assert sites.by_name(project, "Red Mesa").id == red.id
    assert halls.used_and_free(project, site_id=red.id) == positions
    assert len(plans.conversions(project, main_window.ctx.plan_id)) == conv_count


def test_delete_cancelled_changes_nothing(main_window, view):
    view.confirm = lambda title, text: False
    view.delete_site()
    assert len(sites.sites(main_window.ctx.project)) == 3 and main_window.ctx.undo_stack.count() == 0


def test_hall_edit_resize_and_refusal(main_window, view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    wolf = sites.by_name(project, "Wolf Creek")
    view.select(wolf.id)
    hall = halls.halls(project, wolf.id)[0]
    panel = view.halls
    assert panel.current_id() == hall.id
    ids_before = sorted(int(i) for i in halls.positions(project, hall_id=hall.id).ids)
    rows = panel.form.fields["rows"]
    type_into(qtbot, rows, "32")
    rows.commit_now()
    assert halls.get(project, hall.id).rows == 32 and len(halls.positions(project, hall_id=hall.id).ids) == 32 * 30
    assert panel.model.rows[0]["positions"] == 960
    stack.undo()
    assert sorted(int(i) for i in halls.positions(project, hall_id=hall.id).ids) == ids_before
    stack.redo()
    assert halls.get(project, hall.id).rows == 32
    type_into(qtbot, rows, "3")
    rows.commit_now()
    assert "occupied positions lie outside" in panel.form.message("rows")
    assert halls.get(project, hall.id).rows == 32
    cooling = panel.form.fields["cooling"]
    cooling.choose("immersion")
    assert halls.get(project, hall.id).cooling == "immersion"
    stack.undo()
    assert halls.get(project, hall.id).cooling == "air" and cooling.currentText() == "air"


def test_add_and_delete_hall_keep_conversions_on_undo(main_window, view, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    panel = view.halls
    panel.add_hall()
    new = halls.by_name(project, red.id, "New hall")
    assert new and panel.current_id() == new.id and len(halls.positions(project, hall_id=new.id).ids) == 200
    stack.undo()
    assert halls.by_name(project, red.id, "New hall") is None
    stack.redo()
    assert halls.by_name(project, red.id, "New hall").id == new.id

    hall_c = halls.by_name(project, red.id, "Hall C")
    plan_id = main_window.ctx.plan_id
    taken = int((halls.positions(project, hall_id=hall_c.id, plan_id=plan_id).role > 0).sum())
    assert taken > 0
    panel.select(hall_c.id)
    view.confirm = lambda title, text: "conversion" in text
    panel.delete_hall()
    assert halls.by_name(project, red.id, "Hall C") is None
    stack.undo()
    assert int((halls.positions(project, hall_id=hall_c.id, plan_id=plan_id).role > 0).sum()) == taken
    (conv,) = plans.conversions(project, plan_id)
    assert conv.hall_id == hall_c.id


def test_readonly_project_disables_editing(main_window, view):
    from desktop.ui.editors.sites_view import SitesView

    main_window.ctx.project.readonly = True
    other = SitesView(main_window.ctx)
    assert other.form.fields["name"].isReadOnly() and not other.add_button.isEnabled()
    other.deleteLater()


def test_delete_key_deletes_the_selected_site_and_undo_restores(main_window, qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    from desktop.store import sites as site_store

    view = main_window.views["Sites"]
    main_window.tabs.setCurrentWidget(view)
    monkeypatch.setattr(view, "confirm", lambda *a: True)
    wolf = site_store.by_name(main_window.ctx.project, "Wolf Creek")
    view.select(wolf.id)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert site_store.by_name(main_window.ctx.project, "Wolf Creek") is None
    main_window.ctx.undo_stack.undo()
    assert site_store.by_name(main_window.ctx.project, "Wolf Creek") is not None
