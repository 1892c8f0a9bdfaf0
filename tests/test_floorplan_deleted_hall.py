"""The floor plan survives the deletion of the hall it shows, and its undo."""
from desktop.store import halls, sites
from desktop.ui.editors import edit_ops


def test_delete_site_of_shown_hall_then_undo(main_window, qtbot):
    project = main_window.ctx.project
    red_mesa = sites.by_name(project, "Red Mesa")
    hall_a = halls.by_name(project, red_mesa.id, "Hall A")
    view = main_window.views["Floor plan"]
    main_window.tabs.setCurrentWidget(view)
    assert main_window.tree.select("hall", hall_a.id)
    assert view.hall_id == hall_a.id and view.table is not None
    edit_ops.delete_site(main_window.ctx, red_mesa.id)
    assert halls.by_id(project, hall_a.id) is None
    assert view.hall_id != hall_a.id
    main_window.ctx.undo_stack.undo()
    assert halls.by_id(project, hall_a.id) is not None
    assert main_window.tree.select("hall", hall_a.id)
    assert view.hall_id == hall_a.id and len(view.table) == 800
