"""The floor plan's Qt-free parts: visible-cell computation (level of detail), the raster,
the selection, label ranges, and the conversion store helpers."""
import numpy as np
import pytest

from desktop.model.conversion import label_ranges
from desktop.model.errors import InputError
from desktop.model.floorgrid import ROLE_GPU, ROLE_RETIRED, PositionTable
from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan import raster
from desktop.ui.floorplan.selection import ADD, REPLACE, TOGGLE, Selection, by_key, convertible, whole_rows


def test_visible_range_clips_to_the_grid():
    grid = geo.Grid(rows=100, cols=60)
    assert grid.visible_range(-50, -50, 1e6, 1e6) == (0, 100, 0, 60)
    # columns 2..4 (x 16..39) and rows 3..5 (y 36..71)
    assert grid.visible_range(2 * geo.CELL_W + 1, 3 * geo.ROW_PITCH + 1,
                              5 * geo.CELL_W - 1, 6 * geo.ROW_PITCH - 1) == (3, 6, 2, 5)
    assert grid.visible_range(10_000, 10_000, 20_000, 20_000) == (0, 0, 0, 0)
    assert grid.visible_range(39, 71, 16, 36) == grid.visible_range(16, 36, 39, 71)  # either corner order


def test_visible_cells_use_the_index_grid_and_skip_missing_positions():
    grid = geo.Grid(rows=3, cols=4)
    rows = np.array([0, 0, 0, 0, 1, 1, 2], dtype=np.int32)   # row 1 has 2 positions, row 2 one
    cols = np.array([0, 1, 2, 3, 0, 3, 1], dtype=np.int32)
    index = geo.index_grid(rows, cols, grid)
    assert index.shape == (3, 4)
    assert index[1].tolist() == [4, -1, -1, 5]
    whole = geo.visible_cells(index, grid, (0, 0, grid.width, grid.height))
    assert whole.tolist() == list(range(7))
    right = geo.visible_cells(index, grid, (3 * geo.CELL_W, 0, 4 * geo.CELL_W - 1, grid.height))
    assert right.tolist() == [3, 5]
    assert geo.cells_in_range(index, 1, 3, 0, 2).tolist() == [4, 6]


def test_a_25000_position_hall_shows_only_what_is_in_view():
    grid = geo.Grid(rows=250, cols=100)
    index = np.arange(25_000).reshape(250, 100)
    view = (40 * geo.CELL_W, 100 * geo.ROW_PITCH, 70 * geo.CELL_W - 1, 120 * geo.ROW_PITCH - 1)
    cells = geo.visible_cells(index, grid, view)
    assert len(cells) == 30 * 20
    assert cells[0] == 100 * 100 + 40 and cells[-1] == 119 * 100 + 69


def test_cell_at_counts_racks_not_aisles():
    grid = geo.Grid(rows=5, cols=5)
    assert grid.cell_at(1, 1) == (0, 0)
    assert grid.cell_at(2 * geo.CELL_W + 1, 3 * geo.ROW_PITCH + 2) == (3, 2)
    assert grid.cell_at(1, geo.RACK_H + 1) is None          # in the aisle after row A
    assert grid.cell_at(-1, 1) is None and grid.cell_at(1, 5 * geo.ROW_PITCH + 1) is None
    assert grid.row_at(4 * geo.ROW_PITCH + 11) == 4 and grid.col_at(5 * geo.CELL_W) is None


def test_level_of_detail_thresholds():
    assert geo.lod(1.0) == geo.RASTER
    assert geo.lod(geo.VECTOR_MIN_PX - 0.1) == geo.RASTER
    assert geo.lod(geo.VECTOR_MIN_PX) == geo.VECTOR
    assert geo.LABEL_MIN_PX >= geo.VECTOR_MIN_PX
    assert geo.header_step(4.0, 13) == 4 and geo.header_step(20, 13) == 1


def _table(n=6):
    ids = np.arange(100, 100 + n, dtype=np.int64)
    return PositionTable(ids=ids, hall_ids=np.ones(n, dtype=np.int64), rows=np.array([0, 0, 0, 1, 1, 1][:n], dtype=np.int32),
                         cols=np.array([0, 1, 2, 0, 1, 2][:n], dtype=np.int32), labels=["A01", "A02", "A03", "B01", "B02", "B03"][:n],
                         model_ids=np.array([7, 7, 8, 8, -1, 7][:n]), unit_counts=np.array([8, 8, 8, 8, 0, 8][:n], dtype=np.int32))


def test_content_keys_follow_the_plan_overlay():
    t = _table()
    t.role[[0, 1]] = [ROLE_GPU, ROLE_RETIRED]
    t.gpu_model_ids[0] = 42
    assert raster.content_keys(t).tolist() == [42, raster.RETIRED, 8, 8, raster.EMPTY, 7]


def test_compose_paints_racks_and_leaves_aisles_transparent():
    from desktop.model.entities import EquipmentModel

    palette = raster.Palette([EquipmentModel("asic", "S19", id=7), EquipmentModel("asic", "S21", id=8),
                              EquipmentModel("gpu", "H100", id=42)])
    t = _table()
    keys = raster.content_keys(t)
    fill = palette.fill(keys)
    index = geo.index_grid(t.rows, t.cols, geo.Grid(2, 3))
    selected = np.zeros(6, dtype=bool)
    selected[2] = True
    breach = np.zeros(6, dtype=bool)
    breach[3] = True
    img = raster.compose(index, fill, keys, selected, breach)
    assert img.shape == (2 * geo.ROW_PITCH, 3 * geo.CELL_W)
    assert img[3, 3] == fill[0]                                        # inside A01
    assert img[geo.RACK_H + 1, 3] == 0 and img[3, geo.RACK_W] == 0       # aisle, gap
    assert img[3, 2 * geo.CELL_W + 3] != fill[2]                        # A03 selected: tinted
    assert img[0, 2 * geo.CELL_W] == raster.argb(raster.SELECT_EDGE)
    assert img[geo.ROW_PITCH, geo.RACK_W - 1] == raster.argb(raster.BREACH)  # B01's corner marker
    legend = palette.legend(keys)
    assert [r["name"] for r in legend] == ["S19", "S21", "Empty"]
    assert [r["positions"] for r in legend] == [3, 2, 1]


def test_selection_modes_rows_and_models():
    t = _table()
    s = Selection(len(t))
    s.pick([0, 1], REPLACE)
    s.pick([1, 2], ADD)
    assert s.indices().tolist() == [0, 1, 2]
    s.pick([2, 3], TOGGLE)
    assert s.indices().tolist() == [0, 1, 3]
    s.pick([4], REPLACE)
    assert s.indices().tolist() == [4]
    assert whole_rows(s.mask, t.rows).tolist() == [3, 4, 5]
    assert by_key(t.model_ids, 8).tolist() == [2, 3]
    t.role[3] = ROLE_RETIRED
    free, taken = convertible(np.array([2, 3, 4]), t.role)
    assert free.tolist() == [2, 4] and taken.tolist() == [3]
    s.pick([0, 5], REPLACE)
    s.keep_ids(t.ids, t.ids[::-1].copy())
    assert s.indices().tolist() == [0, 5]


def test_label_ranges_join_runs_along_a_row():
    labels = ["A01", "A02", "A03", "A05", "B01", "B02"]
    rows = [0, 0, 0, 0, 1, 1]
    cols = [0, 1, 2, 4, 0, 1]
    assert label_ranges(labels, rows, cols) == "A01-A03, A05, B01-B02"
    assert label_ranges([], [], []) == ""


def test_parse_month_takes_offsets_and_months(demo_project):
    from desktop.store import conversions

    assert conversions.parse_month(demo_project, "0") == 0
    assert conversions.parse_month(demo_project, "2027-06") == 6
    with pytest.raises(InputError) as err:
        conversions.parse_month(demo_project, "2020-01")
    assert err.value.field == "month"
    with pytest.raises(InputError):
        conversions.parse_month(demo_project, "June")


def test_remove_and_restore_keep_the_conversion_id(demo_project):
    from desktop.store import conversions, halls, plans, settings, sites, catalog

    plan_id = settings.current_plan_id(demo_project)
    site = sites.by_name(demo_project, "Red Mesa")
    hall = halls.by_name(demo_project, site.id, "Hall B")
    table = halls.positions(demo_project, hall_id=hall.id, plan_id=plan_id)
    gpu = catalog.by_name(demo_project, "4x DGX B200 rack")
    cid, proposal = conversions.convert(demo_project, plan_id, hall.id, table.select_spec("A01-B40"), gpu.id, 3, table=table)
    [(conv, taken)] = conversions.take(demo_project, [cid])
    assert cid not in [c.id for c in plans.conversions(demo_project, plan_id)]
    assert conversions.restore(demo_project, conv, taken) == cid
    assert plans.conversion_positions(demo_project, cid) == {"gpu": sorted(proposal.gpu_positions),
                                                             "retired": sorted(proposal.retired_positions)}
