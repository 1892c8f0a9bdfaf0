"""Fleet counts and the miners racked on the floor agree: the Fleet view says how many of each
entry stand on positions and how many are in storage; a count below what is racked, removing a
racked entry, placing more miners than are in storage, and a fleet CSV lowering a count below
the floor are all refused with a message naming the field, and nothing changes."""
from PySide6.QtCore import Qt

from desktop.model.fleet_csv import parse_fleet_csv
from desktop.store import catalog, editing, fleet_import, halls, sites


def _fleet(main_window, site_name="Red Mesa"):
    view = main_window.views["Fleet"]
    view.set_site(sites.by_name(main_window.ctx.project, site_name).id)
    return view


def _row(view, model):
    return next(r for r in view.model.rows if r["model"] == model)


def _cell(view, model, key):
    row = next(i for i, r in enumerate(view.model.rows) if r["model"] == model)
    return view.proxy.mapFromSource(view.model.index(row, view.model.column_of(key)))


def test_fleet_table_shows_racked_and_in_storage(main_window):
    view = _fleet(main_window)
    row = _row(view, "Antminer S21")
    assert (row["count"], row["racked"], row["stored"]) == (12000, 12000, 0)
    assert view.model.headerData(view.model.column_of("racked"), Qt.Orientation.Horizontal) == "On floor"
    assert view.model.headerData(view.model.column_of("stored"), Qt.Orientation.Horizontal) == "In storage"
    assert view.proxy.setData(_cell(view, "Antminer S21", "count"), 12500, Qt.ItemDataRole.EditRole)
    assert _row(view, "Antminer S21")["stored"] == 500


def test_count_below_racked_is_refused(main_window):
    view, stack = _fleet(main_window), main_window.ctx.undo_stack
    assert not view.proxy.setData(_cell(view, "Antminer S21", "count"), 400, Qt.ItemDataRole.EditRole)
    message = str(view.model.last_error)
    assert message.startswith("Count: ") and "12,000 Antminer S21 stand on Red Mesa's floor" in message
    assert _row(view, "Antminer S21")["count"] == 12000 and stack.count() == 0


def test_removing_a_racked_entry_is_refused(main_window):
    view, stack = _fleet(main_window), main_window.ctx.undo_stack
    view.table.selectRow(_cell(view, "Antminer S21", "count").row())
    view.remove_selected()
    assert "Not removed" in view.status.text() and "stand on Red Mesa's floor" in view.status.text()
    assert any(r["model"] == "Antminer S21" for r in view.model.rows) and stack.count() == 0


def test_placing_more_than_in_storage_is_refused(main_window, qtbot):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    fleet = _fleet(main_window, "Wolf Creek")
    wolf = sites.by_name(project, "Wolf Creek")
    hall = halls.halls(project, wolf.id)[0]
    s19 = catalog.by_name(project, "Antminer S19j Pro")
    main_window.ctx.undo_stack.clear()
    # make room: a new empty hall, and 100 more miners owned than racked
    sites_view = main_window.views["Sites"]
    sites_view.select(wolf.id)
    sites_view.halls.add_hall()
    new_hall = next(h for h in halls.halls(project, wolf.id) if h.id != hall.id and h.name.startswith("New hall"))
    try:
        editing.place_miners(project, new_hall.id, s19.id, 1, 1)
        raise AssertionError("placed a miner the fleet does not have in storage")
    except Exception as exc:  # InputError naming the field
        assert exc.field == "miners" and "0 Antminer S19j Pro in storage" in exc.message
    assert fleet.proxy.setData(_cell(fleet, "Antminer S19j Pro", "count"), 5600, Qt.ItemDataRole.EditRole)
    assert _row(fleet, "Antminer S19j Pro")["stored"] == 100
    sites_view.halls.select(new_hall.id)
    fill = sites_view.halls.fill
    index = next(i for i in range(fill.model_box.count()) if fill.model_box.itemData(i)[0] == s19.id)
    fill.model_box.setCurrentIndex(index)
    assert fill.miners.value() == 100
    fill.miners.setValue(101)
    fill.place()
    assert "100 Antminer S19j Pro in storage" in sites_view.status.text()
    fill.miners.setValue(100)
    fill.place()
    assert editing.placed_miners(project, wolf.id)[s19.id] == 5600
    assert _row(fleet, "Antminer S19j Pro")["racked"] == 5600 and _row(fleet, "Antminer S19j Pro")["stored"] == 0
    stack.undo()
    assert _row(fleet, "Antminer S19j Pro")["racked"] == 5500


def test_fleet_csv_count_below_racked_is_an_error(demo_project):
    parsed = parse_fleet_csv("site,model,count\nRed Mesa,Antminer S21,100\nRed Mesa,Antminer S19 XP,12500\n")
    prepared = fleet_import.prepare(demo_project, parsed.rows)
    assert [(e.field, e.message.split(":")[0]) for e in prepared.errors] == [
        ("line 2, column count", "12,000 Antminer S21 stand on Red Mesa's floor")]
