"""Right-click menus on the tree, the plan list and the tables offer that object's actions,
and each does what its button does."""
from desktop.store import halls, plans, sites
from desktop.ui.context_menus import menu_for


def _texts(view, index):
    return [a.text() for a in menu_for(view, index, view._context_actions).actions() if a.text()]


def _trigger(view, index, text):
    menu = menu_for(view, index, view._context_actions)
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    action.trigger()


def test_tree_menu_opens_a_halls_floor_plan(main_window):
    tree = main_window.tree
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    hall_b = halls.by_name(project, red.id, "Hall B")
    site_index = tree.model_.index(0, 0)
    assert _texts(tree, site_index) == ["Show in Sites", "Add hall", "Delete site…"]
    hall_index = tree.model_.index(1, 0, site_index)
    assert _texts(tree, hall_index) == ["Open floor plan", "Show in Sites", "Delete hall…"]
    _trigger(tree, hall_index, "Open floor plan")
    floor = main_window.views["Floor plan"]
    assert main_window.tabs.currentWidget() is floor and floor.hall_id == hall_b.id


def test_plan_list_menu(main_window):
    view = main_window.views["Plans"]
    main_window.tabs.setCurrentWidget(view)
    index = view.plan_list.model().index(0, 0)
    assert _texts(view.plan_list, index) == ["Make current (the dashboard shows it)", "Rename…", "Duplicate",
                                             "Delete", "New plan…"]
    before = len(plans.plans(main_window.ctx.project))
    view.plan_list.setCurrentIndex(index)
    _trigger(view.plan_list, index, "Duplicate")
    assert len(plans.plans(main_window.ctx.project)) == before + 1


def test_table_menus(main_window):
    sites_view = main_window.views["Sites"]
    main_window.tabs.setCurrentWidget(sites_view)
    index = sites_view.table.model().index(0, 0)
    assert _texts(sites_view.table, index) == ["Add site", "Delete site…"]
    asked = []
    sites_view.confirm = lambda title, text: asked.append(title) or False
    _trigger(sites_view.table, index, "Delete site…")
    assert asked == ["Delete site"] and len(sites.sites(main_window.ctx.project)) == 3
    halls_table = sites_view.halls.table
    assert _texts(halls_table, halls_table.model().index(0, 0)) == ["Open floor plan", "Add hall", "Delete hall…"]
    fleet = main_window.views["Fleet"]
    assert _texts(fleet.table, fleet.table.model().index(0, 0)) == ["Remove the selected entries"]
    catalog = main_window.views["Catalog"]
    assert _texts(catalog.asic.table, catalog.asic.table.model().index(0, 0)) == ["Add ASIC model", "Delete"]
    terms = main_window.views["Plans"].table
    assert _texts(terms, terms.model().index(0, 0)) == ["Edit its terms", "Show on the floor plan"]
