"""Where a hall's rack positions lie on the floor-plan scene, and which are in view.

Plain Python and numpy (no Qt), so the level-of-detail rules are tested on their own.
One scene unit is one pixel of the hall's cached raster: a position takes `CELL_W` x
`ROW_PITCH` units, of which the rack is `RACK_W` x `RACK_H` (the rest is the gap to the
next rack and the aisle to the next row).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

CELL_W, ROW_PITCH = 8, 12          # scene units per position, across and down
RACK_W, RACK_H = 7, 8              # the rack inside it

# level of detail, by how many screen pixels a position is wide
RASTER, VECTOR = "raster", "vector"
VECTOR_MIN_PX = 22.0               # from here on, positions are drawn one by one
LABEL_MIN_PX = 30.0                # position labels
DETAIL_MIN_PX = 64.0               # a second line with what stands there
SMOOTH_BELOW_PX = float(CELL_W)    # the raster is scaled down smoothly (mipmaps below half)


def lod(cell_px: float) -> str:
    return VECTOR if cell_px >= VECTOR_MIN_PX else RASTER


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int

    @property
    def width(self) -> float:
        return self.cols * CELL_W

    @property
    def height(self) -> float:
        return self.rows * ROW_PITCH

    def visible_range(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        """Rows r0..r1-1 and columns c0..c1-1 whose cells meet the scene rectangle."""
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        c0 = max(0, math.floor(x0 / CELL_W))
        c1 = min(self.cols, math.floor(x1 / CELL_W) + 1)
        r0 = max(0, math.floor(y0 / ROW_PITCH))
        r1 = min(self.rows, math.floor(y1 / ROW_PITCH) + 1)
        if c1 <= c0 or r1 <= r0:
            return (0, 0, 0, 0)
        return (r0, r1, c0, c1)

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The cell under a scene point (its rack or the gap beside it), None in an aisle."""
        col, row = math.floor(x / CELL_W), math.floor(y / ROW_PITCH)
        if not (0 <= col < self.cols and 0 <= row < self.rows):
            return None
        if y - row * ROW_PITCH > RACK_H:
            return None
        return row, col

    def row_at(self, y: float) -> int | None:
        row = math.floor(y / ROW_PITCH)
        return row if 0 <= row < self.rows else None

    def col_at(self, x: float) -> int | None:
        col = math.floor(x / CELL_W)
        return col if 0 <= col < self.cols else None


def index_grid(rows: np.ndarray, cols: np.ndarray, grid: Grid) -> np.ndarray:
    """A rows x cols array of table indices (-1 where the hall has no position)."""
    out = np.full((grid.rows, grid.cols), -1, dtype=np.int64)
    if len(rows):
        out[rows, cols] = np.arange(len(rows))
    return out


def cells_in_range(index: np.ndarray, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
    """Table indices of the positions in rows r0..r1-1, columns c0..c1-1, in reading order."""
    block = index[r0:r1, c0:c1].ravel()
    return block[block >= 0]


def visible_cells(index: np.ndarray, grid: Grid, scene_rect: tuple[float, float, float, float]) -> np.ndarray:
    """Table indices of the positions a scene rectangle (x0, y0, x1, y1) shows."""
    return cells_in_range(index, *grid.visible_range(*scene_rect))


def header_step(pitch_px: float, min_px: float) -> int:
    """Label every n-th row or column so that labels are at least `min_px` apart."""
    if pitch_px <= 0:
        return 1
    return max(1, math.ceil(min_px / pitch_px))
