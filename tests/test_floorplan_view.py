"""The floor-plan editor on the demo: selection by click, shift/ctrl, rubber band, row
header and model; converting with undo and redo; breaches; a 5,000-position conversion."""
import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from desktop.model.floorgrid import ROLE_GPU, ROLE_NONE, ROLE_RETIRED
from desktop.store import catalog, checks, halls, plans, sites
from desktop.ui import context as kinds
from desktop.ui.context import ProjectContext
from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan.canvas import HEADER_W
from desktop.ui.floorplan.view import FloorPlanView


def _open(qtbot, project, site="Red Mesa", hall="Hall A"):
    ctx = ProjectContext(project)
    view = FloorPlanView(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 860)
    view.show()
    qtbot.waitExposed(view)
    s = sites.by_name(project, site)
    view.show_hall(halls.by_name(project, s.id, hall).id)
    return view


@pytest.fixture
def floor(qtbot, demo_project):
    view = _open(qtbot, demo_project)
    yield view
    view.close()   # before the project closes


def _cell_pos(view, row, col) -> QPoint:
    centre = QPointF(col * geo.CELL_W + geo.RACK_W / 2, row * geo.ROW_PITCH + geo.RACK_H / 2)
    return view.canvas.mapFromScene(centre)


def _index(view, label):
    return view.table.labels.index(label)


def _choose_gpu(view, name):
    gpu = catalog.by_name(view.ctx.project, name)
    view.panel.gpu_combo.setCurrentIndex(view.panel.gpu_combo.findData(gpu.id))
    return gpu


def test_click_shift_and_ctrl_click(floor, qtbot):
    vp = floor.canvas.viewport()
    floor.canvas.zoom_to_cells(0, 0, 6, 12)
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=_cell_pos(floor, 1, 2))
    assert floor.selected_indices().tolist() == [_index(floor, "B03")]
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, _cell_pos(floor, 2, 4))
    expected = sorted(_index(floor, f"{r}{c:02d}") for r in "BC" for c in (3, 4, 5))
    assert floor.selected_indices().tolist() == expected
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, _cell_pos(floor, 1, 3))
    assert _index(floor, "B04") not in floor.selected_indices()
    assert len(floor.selected_indices()) == 5
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=_cell_pos(floor, 1, 3) + QPoint(0, 200))  # an aisle or below
    assert floor.panel.totals["positions"].text() == f"{len(floor.selected_indices()):,}"


def test_rubber_band_selects_the_block(floor, qtbot):
    vp = floor.canvas.viewport()
    floor.canvas.zoom_to_cells(0, 0, 8, 16)
    a, b = _cell_pos(floor, 2, 1), _cell_pos(floor, 4, 6)
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(vp, pos=(a + b) / 2)
    qtbot.mouseMove(vp, pos=b)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)
    expected = sorted(_index(floor, f"{r}{c:02d}") for r in "CDE" for c in range(2, 8))
    assert floor.selected_indices().tolist() == expected
    t = floor.table
    totals = floor.panel.totals
    assert totals["positions"].text() == "18"
    assert totals["miners"].text() == f"{int(t.unit_counts[expected].sum()):,}"


def test_row_header_whole_rows_and_model(floor, qtbot):
    vp = floor.canvas.viewport()
    y = _cell_pos(floor, 3, 0).y()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=QPoint(HEADER_W // 2, y))
    row_d = [i for i, label in enumerate(floor.table.labels) if label.startswith("D")]
    assert floor.selected_indices().tolist() == row_d
    floor.pick([_index(floor, "F07"), _index(floor, "H01")])
    floor.panel.rows_button.click()
    assert sorted(set(floor.table.rows[floor.selected_indices()])) == [5, 7]
    assert len(floor.selected_indices()) == 80
    s19 = catalog.by_name(floor.ctx.project, "Antminer S19 XP")
    combo = floor.panel.model_combo
    at = combo.findData(s19.id)
    assert at > 0
    combo.activated.emit(at)
    assert floor.selected_indices().tolist() == np.nonzero(floor.table.model_ids == s19.id)[0].tolist()
    assert combo.currentIndex() == 0


def _state(project, plan_id, hall_id):
    t = halls.positions(project, hall_id=hall_id, plan_id=plan_id)
    convs = [vars(c) for c in plans.conversions(project, plan_id)]
    cps = project.db.execute("select conversion_id, position_id, role from conversion_positions "
                             "order by conversion_id, position_id").fetchall()
    return (t.ids.tolist(), t.model_ids.tolist(), t.unit_counts.tolist(), t.role.tolist(), t.conversion_ids.tolist(),
            t.gpu_model_ids.tolist(), convs, cps)


def test_convert_undo_redo_restore_the_store_exactly(floor):
    ctx, project = floor.ctx, floor.ctx.project
    seen = []
    ctx.changed.connect(seen.append)
    before = _state(project, ctx.plan_id, floor.hall_id)
    floor.select_rows(0, 2)
    _choose_gpu(floor, "4x DGX H100 rack")
    floor.panel.month_spin.setValue(6)
    floor.update_preview()
    preview = floor.proposal
    assert preview.positions == 120 and preview.racks_placed == 56
    command = floor.convert()
    assert command is not None and seen[-1] == kinds.CONVERSIONS
    after = _state(project, ctx.plan_id, floor.hall_id)
    conv = plans.get_conversion(project, command.conversion_id)
    assert conv.racks_placed == 56 and conv.start_month == 6 and conv.hall_id == floor.hall_id
    assert conv.remove_asics == {catalog.by_name(project, "Antminer S19 XP").id: 960}   # by id: renames are safe
    assert round(conv.critical_it_mw, 4) == round(56 * 40.8 / 1000, 4)
    t = floor.table   # the view reloaded: first 56 in reading order are GPU racks, the rest retired
    assert (t.role[:56] == ROLE_GPU).all() and (t.role[56:120] == ROLE_RETIRED).all() and (t.role[120:] == ROLE_NONE).all()
    assert ctx.undo_stack.count() == 1 and "120 positions" in ctx.undo_stack.undoText()
    ctx.undo_stack.undo()
    assert _state(project, ctx.plan_id, floor.hall_id) == before
    assert (floor.table.role == ROLE_NONE).all()
    ctx.undo_stack.redo()
    assert _state(project, ctx.plan_id, floor.hall_id) == after
    ctx.undo_stack.undo()
    ctx.undo_stack.redo()
    assert _state(project, ctx.plan_id, floor.hall_id) == after


def test_remove_conversion_is_undoable(floor):
    ctx, project = floor.ctx, floor.ctx.project
    hall_c = halls.by_name(project, sites.by_name(project, "Red Mesa").id, "Hall C")
    floor.show_hall(hall_c.id)
    assert floor.panel.conversions_model.rowCount() == 1
    before = _state(project, ctx.plan_id, hall_c.id)
    floor.pick([_index(floor, "A01")])
    assert floor.panel.remove_button.isEnabled()
    floor.panel.remove_button.click()
    assert plans.conversions(project, ctx.plan_id) == []
    assert (floor.table.role == ROLE_NONE).all() and floor.panel.conversions_model.rowCount() == 0
    ctx.undo_stack.undo()
    assert _state(project, ctx.plan_id, hall_c.id) == before
    ctx.undo_stack.redo()
    assert plans.conversions(project, ctx.plan_id) == []


def test_converted_positions_are_left_out_and_refused_twice(floor):
    floor.select_rows(0, 0)
    _choose_gpu(floor, "4x DGX H100 rack")
    assert floor.convert() is not None
    floor.select_rows(0, 1)   # row A is converted now
    floor.update_preview()
    assert "40 already converted" in floor.panel.preview_note.text()
    assert floor.proposal.positions == 40
    floor.select_rows(0, 0)
    floor.update_preview()
    assert not floor.panel.convert_button.isEnabled()
    assert floor.convert() is None


def test_breaches_of_a_gb200_in_an_air_hall_are_listed_and_marked(floor):
    floor.select_rows(4, 6)
    _choose_gpu(floor, "GB200 NVL72")
    floor.update_preview()
    breaches = floor.proposal.breaches
    assert any(b.startswith("cooling:") for b in breaches)
    assert any(b.startswith("rack feed:") for b in breaches)
    assert any(b.startswith("floor load:") for b in breaches)
    note = floor.panel.preview_note.text()
    assert "3 breaches" in note and "liquid" in note
    assert floor.panel.convert_button.isEnabled()   # a conversion with breaches can be kept
    command = floor.convert()
    conv = plans.get_conversion(floor.ctx.project, command.conversion_id)
    assert checks.conversion_breaches(floor.ctx.project, conv.id) == breaches
    listed = floor.panel.breaches_label.text()
    assert "cooling" in listed and "rack feed" in listed and "floor load" in listed
    row = floor.panel.conversions_model
    assert row.item(row.rowCount() - 1, 3).text() == "⚠ 3"
    marked = floor.canvas.item.breach
    assert marked[floor.table.conversion_ids == conv.id].all() and marked.sum() == (floor.table.conversion_ids == conv.id).sum()


def test_chosen_number_of_racks_and_month_display(floor):
    floor.select_rows(0, 1)
    _choose_gpu(floor, "4x DGX H100 rack")
    floor.panel.count_radio.setChecked(True)
    floor.panel.racks_spin.setValue(10)
    floor.panel.month_spin.setValue(7)
    assert floor.panel.month_spin.text() == "2027-07 (Jul)"   # a month written one way everywhere
    assert floor.panel.month_spin.valueFromText("2028-01") == 13
    floor.update_preview()
    assert floor.proposal.racks_placed == 10 and len(floor.proposal.retired_positions) == 70


def test_tree_selection_and_hall_combo(floor, qtbot):
    project = floor.ctx.project
    lac = sites.by_name(project, "Lac Bleu")
    hall2 = halls.by_name(project, lac.id, "Hall 2")
    floor.ctx.selectionChanged.emit("hall", hall2.id)
    assert floor.hall_id == hall2.id and len(floor.table) == 24 * 40
    assert floor.hall_combo.currentData() == hall2.id
    floor.hall_combo.setCurrentIndex(0)
    assert floor.hall_id == floor.hall_combo.itemData(0)
    floor.ctx.selectionChanged.emit("site", lac.id)
    assert halls.get(project, floor.hall_id).site_id == lac.id


def test_zoom_switches_level_of_detail_and_paints(floor):
    canvas = floor.canvas
    canvas.fit()
    canvas.zoom_by(6 / canvas.cell_px())
    assert geo.lod(canvas.cell_px()) == geo.RASTER
    frames = canvas.item.frames
    canvas.viewport().grab()
    assert canvas.item.frames > frames
    canvas.zoom_to_cells(0, 0, 4, 8)
    assert geo.lod(canvas.cell_px()) == geo.VECTOR and canvas.cell_px() >= geo.LABEL_MIN_PX
    image = canvas.viewport().grab().toImage()
    assert not image.isNull()
    assert 0 < canvas.item.last_cells < len(floor.table) / 4   # only the positions in view
    old = canvas.cell_px()
    canvas.zoom_by(0.5)
    assert canvas.cell_px() == pytest.approx(old / 2)


def test_converting_5000_positions(qtbot, tmp_path):
    from desktop.store.synthetic import build_portfolio

    project = build_portfolio(tmp_path / "big.sqlite", positions=5_600, n_sites=2, big_hall_positions=5_200)
    try:
        view = _open(qtbot, project, site="Site 01", hall="Hall 1")
        assert len(view.table) == 5_200
        view.pick(range(5_000))
        _choose_gpu(view, "4x DGX H100 rack")
        command = view.convert()
        assert command is not None and command.proposal.positions == 5_000
        taken = plans.conversion_positions(project, command.conversion_id)
        assert len(taken["gpu"]) + len(taken["retired"]) == 5_000
        assert (view.table.role[:5_000] != ROLE_NONE).all()
        view.ctx.undo_stack.undo()
        assert (view.table.role == ROLE_NONE).all()
        view.ctx.undo_stack.redo()
        assert (view.table.role[:5_000] != ROLE_NONE).all()
        view.close()
    finally:
        project.close()


def test_convert_without_a_plan_starts_plan_1(qtbot, tmp_path):
    from desktop.store.synthetic import build_portfolio
    from desktop.store import settings

    project = build_portfolio(tmp_path / "small.sqlite", positions=400, n_sites=2, big_hall_positions=200)
    try:
        plan = plans.by_name(project, "Plan 1")
        plans.delete(project, plan.id)
        settings.put(project, "current_plan_id", None)
        view = _open(qtbot, project, site="Site 01", hall="Hall 1")
        assert view.ctx.plan_id is None
        view.pick(range(80))
        _choose_gpu(view, "4x DGX H100 rack")
        command = view.convert()
        assert view.ctx.plan_id is not None and plans.get(project, view.ctx.plan_id).name == "Plan 1"
        view.ctx.undo_stack.undo()
        assert view.ctx.plan_id is None and plans.plans(project) == []
        view.ctx.undo_stack.redo()
        assert plans.get_conversion(project, command.conversion_id).plan_id == view.ctx.plan_id
        view.close()
    finally:
        project.close()
