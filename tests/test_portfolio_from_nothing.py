"""A planner builds a portfolio from nothing in the GUI: a site, a hall, a fleet, miners on the
floor; every step undoes and redoes; the scenario exported from it evaluates."""
import json

from desktop.model import evaluate
from desktop.model.scenario import validate_scenario
from desktop.store import catalog, editing, halls, sites


def test_build_from_nothing_undo_redo_and_export(qtbot, tmp_path):
    from desktop.app import make_application
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import new_session

    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_session(new_session(tmp_path / "new.sqlite"))
    ctx, stack = window.ctx, window.ctx.undo_stack
    project = ctx.project
    view = window.views["Sites"]
    assert view.model.rows == [] and not view.delete_button.isEnabled()

    view.add_site()
    site = sites.sites(project)[0]
    form = view.form.fields
    for key, text in (("name", "Prairie"), ("grid_capacity_mw", "30"), ("energy_price_usd_per_mwh", "41.5")):
        form[key].setText(text)
        form[key].commit_now()
    site = sites.get(project, site.id)
    assert (site.name, site.grid_capacity_mw, site.energy_price_usd_per_mwh) == ("Prairie", 30, 41.5)

    view.halls.add_hall()
    hall = halls.halls(project, site.id)[0]
    fleet = window.views["Fleet"]
    fleet.set_site(site.id)
    s21 = catalog.by_name(project, "Antminer S21")
    fleet.add_model.setCurrentIndex(fleet.add_model.findData(s21.id))
    fleet.add_count.setValue(1000)
    fleet.add_entry()
    fill = view.halls.fill
    assert fill.model_box.count() == 1 and fill.miners.value() == 1000 and fill.per_position.value() == 8
    fill.place()
    assert editing.placed_miners(project, site.id) == {s21.id: 1000}
    assert view.halls.model.rows[0]["occupied"] == 125
    assert "1,000 of 1,000 on the floor" in fill.model_box.currentText()

    steps = stack.count()
    for _ in range(steps):
        stack.undo()
    assert sites.sites(project) == []
    for _ in range(steps):
        stack.redo()
    assert editing.placed_miners(project, site.id) == {s21.id: 1000}
    assert halls.halls(project, site.id)[0].id == hall.id

    target = tmp_path / "prairie.json"
    assert window.imports.export_scenario_file(str(target))
    scenario = validate_scenario(json.loads(target.read_text()))
    assert scenario["sites"][0]["fleet"][0]["count"] == 1000
    assert evaluate(scenario)["baseline"]["btc_mined"] > 0

    fill.panel.view.confirm = lambda title, text: True
    fill.clear()
    assert editing.placed_miners(project, site.id) == {}
    stack.undo()
    assert editing.placed_miners(project, site.id) == {s21.id: 1000}
    qtbot.wait(50)  # let the live views finish their queued work before the project closes
    window.close()


def test_place_more_than_fits_is_refused(main_window):
    view = main_window.views["Sites"]
    project = main_window.ctx.project
    red = sites.by_name(project, "Red Mesa")
    view.select(red.id)
    fill = view.halls.fill
    fill.miners.setValue(100000)
    fill.place()
    assert "need 12,500 empty positions; the hall has 0" in view.status.text()
    assert main_window.ctx.undo_stack.count() == 0
