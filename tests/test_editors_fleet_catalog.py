"""The Fleet and Catalog views: edits in place checked by the rules, undo/redo, sort, filter,
totals, deletes refused while in use, and the table models checked by qtmodeltester."""
import pytest
from PySide6.QtCore import Qt

from desktop.store import catalog, sites
from desktop.ui.editors.fleet_view import totals


@pytest.fixture
def fleet(main_window):
    main_window.tabs.setCurrentWidget(main_window.views["Fleet"])
    return main_window.views["Fleet"]


@pytest.fixture
def cat(main_window):
    main_window.tabs.setCurrentWidget(main_window.views["Catalog"])
    return main_window.views["Catalog"]


def cell(view, model_name, key):
    row = next(i for i, r in enumerate(view.model.rows) if r["model"] == model_name)
    return view.proxy.mapFromSource(view.model.index(row, view.model.column_of(key)))


def test_fleet_follows_the_tree_and_shows_totals(main_window, fleet, qtbot):
    project = main_window.ctx.project
    lac = sites.by_name(project, "Lac Bleu")
    main_window.tree.select("site", lac.id)
    qtbot.waitUntil(lambda: fleet.site_id == lac.id)
    assert fleet.site_box.currentText() == "Lac Bleu"
    assert sorted(r["model"] for r in fleet.model.rows) == ["Antminer S21 Hydro", "Antminer S21 XP Hydro"]
    t = totals(fleet.model.rows)
    expected_ths = 2500 * 335 + 7000 * 473
    expected_kw = (2500 * 5360 + 7000 * 5676) / 1000
    assert t["miners"] == 9500 and t["hashrate_ths"] == pytest.approx(expected_ths)
    assert t["power_mw"] == pytest.approx(expected_kw / 1000)
    assert t["j_per_th"] == pytest.approx(expected_kw * 1000 / expected_ths)
    assert f"{expected_kw / 1000:,.2f} MW" in fleet.totals.text() and "J/TH average" in fleet.totals.text()


def test_fleet_edit_undo_redo(main_window, fleet):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    index = cell(fleet, "Antminer S21", "count")
    assert fleet.proxy.setData(index, 13000, Qt.ItemDataRole.EditRole)
    entry = next(e for e, m in sites.fleet(project, fleet.site_id) if m.name == "Antminer S21")
    assert entry.count == 13000 and cell(fleet, "Antminer S21", "count").data() == "13,000"
    stack.undo()
    assert next(e for e, m in sites.fleet(project, fleet.site_id) if m.name == "Antminer S21").count == 12000
    assert cell(fleet, "Antminer S21", "count").data() == "12,000"
    stack.redo()
    assert cell(fleet, "Antminer S21", "count").data() == "13,000"


def test_fleet_refuses_bad_values(main_window, fleet):
    stack = main_window.ctx.undo_stack
    assert not fleet.proxy.setData(cell(fleet, "Antminer S21", "uptime_pct"), 120.0, Qt.ItemDataRole.EditRole)
    assert "must be between 0 and 100" in str(fleet.model.last_error)
    assert not fleet.proxy.setData(cell(fleet, "Antminer S21", "count"), "1.5", Qt.ItemDataRole.EditRole)
    assert "whole number" in str(fleet.model.last_error)
    assert stack.count() == 0


def test_fleet_delegate_checks_as_you_type(main_window, fleet, qtbot):
    from PySide6.QtWidgets import QStyleOptionViewItem

    index = cell(fleet, "Antminer S21", "resale_usd_per_ths")
    delegate = fleet.table.itemDelegate()
    editor = delegate.createEditor(fleet.table.viewport(), QStyleOptionViewItem(), index)
    delegate.setEditorData(editor, index)
    assert editor.text() == "5"
    editor.clear()
    qtbot.keyClicks(editor, "-1")
    assert editor.message == "must be at least 0" and "Resale $/TH: must be at least 0" in fleet.status.text()
    delegate.setModelData(editor, fleet.proxy, index)
    assert main_window.ctx.undo_stack.count() == 0 and "not changed" in fleet.status.text()
    editor.clear()
    qtbot.keyClicks(editor, "4.5")
    delegate.setModelData(editor, fleet.proxy, index)
    assert cell(fleet, "Antminer S21", "resale_usd_per_ths").data(Qt.ItemDataRole.EditRole) == 4.5


def test_fleet_sort_and_filter(main_window, fleet, qtbot):
    fleet.table.sortByColumn(fleet.model.column_of("count"), Qt.SortOrder.DescendingOrder)
    counts = [fleet.proxy.index(r, fleet.model.column_of("count")).data(Qt.ItemDataRole.EditRole)
              for r in range(fleet.proxy.rowCount())]
    assert counts == sorted(counts, reverse=True)
    qtbot.keyClicks(fleet.filter, "s19")
    assert sorted(r["model"] for r in fleet.visible_rows()) == ["Antminer S19 XP", "Antminer S19j Pro"]
    assert "(the 2 of 3 entries shown)" in fleet.totals.text()
    fleet.filter.clear()
    assert fleet.proxy.rowCount() == 3


def test_fleet_add_and_remove(main_window, fleet):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    m60 = catalog.by_name(project, "Whatsminer M60S")
    fleet.add_model.setCurrentIndex(fleet.add_model.findData(m60.id))
    fleet.add_count.setValue(250)
    fleet.add_entry()
    assert any(r["model"] == "Whatsminer M60S" and r["count"] == 250 for r in fleet.model.rows)
    assert fleet.add_model.findData(m60.id) < 0
    fleet.table.selectRow(cell(fleet, "Whatsminer M60S", "count").row())
    fleet.remove_selected()
    assert not any(r["model"] == "Whatsminer M60S" for r in fleet.model.rows)
    stack.undo()
    assert any(r["model"] == "Whatsminer M60S" for r in fleet.model.rows)
    stack.undo()
    assert len(sites.fleet(project, fleet.site_id)) == 3


def _cat_cell(table, name, key):
    row = next(i for i, r in enumerate(table.model.rows) if r["name"] == name)
    return table.proxy.mapFromSource(table.model.index(row, table.model.column_of(key)))


def test_catalog_edit_undo_and_fleet_follows(main_window, cat, fleet):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    index = _cat_cell(cat.asic, "Antminer S21", "hashrate_ths")
    assert cat.asic.proxy.setData(index, 210.0, Qt.ItemDataRole.EditRole)
    assert catalog.by_name(project, "Antminer S21").hashrate_ths == 210
    assert cell(fleet, "Antminer S21", "hashrate_ths").data(Qt.ItemDataRole.EditRole) == 12000 * 210
    stack.undo()
    assert catalog.by_name(project, "Antminer S21").hashrate_ths == 200
    assert cell(fleet, "Antminer S21", "hashrate_ths").data(Qt.ItemDataRole.EditRole) == 12000 * 200
    assert not cat.gpu.proxy.setData(_cat_cell(cat.gpu, "GB200 NVL72", "cooling"), "hydro", Qt.ItemDataRole.EditRole)
    assert "one of air, liquid" in str(cat.gpu.model.last_error)
    assert not cat.asic.proxy.setData(_cat_cell(cat.asic, "Antminer S21", "name"), "Antminer S19 XP", Qt.ItemDataRole.EditRole)
    assert "already has" in str(cat.asic.model.last_error)
    assert stack.count() == 1


def test_catalog_refuses_deleting_an_entry_in_use(main_window, cat):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    warned = []
    cat.warn = lambda title, text: warned.append(text)
    cat.asic.table.setCurrentIndex(_cat_cell(cat.asic, "Antminer S21", "name"))
    cat.asic.delete()
    assert warned and "in use" in warned[0] and "fleet" in warned[0] and "positions" in warned[0]
    assert catalog.by_name(project, "Antminer S21") is not None and stack.count() == 0
    cat.gpu.table.setCurrentIndex(_cat_cell(cat.gpu, "4x DGX H100 rack", "name"))
    cat.gpu.delete()
    assert "conversions" in warned[1]


def test_catalog_add_delete_undo(main_window, cat):
    project, stack = main_window.ctx.project, main_window.ctx.undo_stack
    cat.gpu.add()
    new = catalog.by_name(project, "New GPU system")
    assert new.kind == "gpu" and cat.gpu.selected_id() == new.id
    cat.gpu.delete()
    assert catalog.by_name(project, "New GPU system") is None
    stack.undo()
    assert catalog.by_name(project, "New GPU system").id == new.id
    stack.undo()
    assert catalog.by_name(project, "New GPU system") is None
    stack.redo()
    assert catalog.by_name(project, "New GPU system").id == new.id


def test_models_pass_qtmodeltester(main_window, fleet, cat, qtmodeltester):
    sites_view = main_window.views["Sites"]
    for model in (fleet.model, fleet.proxy, cat.asic.model, cat.gpu.model, sites_view.model, sites_view.halls.model):
        qtmodeltester.check(model)
