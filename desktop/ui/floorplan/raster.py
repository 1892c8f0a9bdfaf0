"""What each position looks like on the floor plan, computed with numpy (no Qt).

`content_keys` says what a position holds under a plan (an equipment model id, EMPTY or
RETIRED); `Palette` gives every key its colour (ASIC models calm blues and greens, GPU
systems vivid, empty white, retired hatched grey); `compose` paints a whole hall into one
ARGB32 array (one element per scene unit, see geometry.py) that the hall item shows as a
cached image when zoomed out. Colours are 0xAARRGGBB integers.
"""
from __future__ import annotations

import numpy as np

from desktop.model.floorgrid import ROLE_GPU, ROLE_RETIRED
from desktop.ui.floorplan.geometry import CELL_W, RACK_H, RACK_W, ROW_PITCH

EMPTY, RETIRED = -1, -2

# ASIC miners in calm, well-separated hues; GPU systems vivid purples and oranges (red is
# kept for breaches). Colours go to models in catalog order, so a model keeps its colour.
ASIC_COLORS = ["#4e79a7", "#59a14f", "#b6992d", "#499894", "#9d7660", "#a0cbe8", "#8cd17d", "#f1ce63",
               "#86bcb6", "#d7b5a6", "#6a8caf", "#7d9b4f", "#c9a86a", "#5f7f7a"]
GPU_COLORS = ["#a05bd6", "#f28e2b", "#e0a030", "#c2409a", "#7b4fc9", "#4b3f9e"]
EMPTY_FILL, EMPTY_EDGE = "#ffffff", "#c3c9d2"
RETIRED_FILL, RETIRED_HATCH = "#c4c9d0", "#8b929d"
SELECT_FILL, SELECT_EDGE = "#ffffff", "#1558d6"
BREACH = "#d93025"
SELECT_MIX = 0.5


def argb(color: str) -> int:
    return 0xFF000000 | int(color.lstrip("#"), 16)


def mix(a: np.ndarray, b: int, t: float) -> np.ndarray:
    """Blend ARGB colours `a` toward `b` by `t` (opaque result)."""
    a = np.asarray(a, dtype=np.uint32)
    out = np.full(a.shape, 0xFF000000, dtype=np.uint32)
    for shift in (16, 8, 0):
        ca = (a >> shift) & 0xFF
        cb = (b >> shift) & 0xFF
        out |= (np.round(ca * (1 - t) + cb * t).astype(np.uint32) & 0xFF) << shift
    return out


def darker(a: np.ndarray, factor: float = 0.72) -> np.ndarray:
    return mix(a, 0xFF000000, 1 - factor)


def luminance(color: int) -> float:
    r, g, b = (color >> 16) & 0xFF, (color >> 8) & 0xFF, color & 0xFF
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255


def content_keys(table) -> np.ndarray:
    """Per position: the model it holds under the plan (GPU system if converted), EMPTY or RETIRED."""
    keys = table.model_ids.astype(np.int64).copy()
    keys[table.role == ROLE_GPU] = table.gpu_model_ids[table.role == ROLE_GPU]
    keys[table.role == ROLE_RETIRED] = RETIRED
    return keys


class Palette:
    """Colours of the catalog's models, stable across halls (by catalog id)."""

    def __init__(self, models):
        self.names: dict[int, str] = {EMPTY: "Empty", RETIRED: "Retired"}
        self.kinds: dict[int, str] = {EMPTY: "empty", RETIRED: "retired"}
        self.colors: dict[int, int] = {EMPTY: argb(EMPTY_FILL), RETIRED: argb(RETIRED_FILL)}
        counters = {"asic": 0, "gpu": 0}
        for model in sorted(models, key=lambda m: m.id):
            colors = GPU_COLORS if model.kind == "gpu" else ASIC_COLORS
            self.colors[model.id] = argb(colors[counters[model.kind] % len(colors)])
            counters[model.kind] += 1
            self.names[model.id] = model.name
            self.kinds[model.id] = model.kind

    def fill(self, keys: np.ndarray) -> np.ndarray:
        uniq, inverse = np.unique(keys, return_inverse=True)
        lut = np.array([self.colors.get(int(k), argb("#999999")) for k in uniq], dtype=np.uint32)
        return lut[inverse.reshape(keys.shape)] if len(keys) else np.zeros(0, dtype=np.uint32)

    def legend(self, keys: np.ndarray) -> list[dict]:
        """Legend rows for what a hall holds: ASIC models, GPU systems, then empty, retired."""
        uniq, counts = np.unique(keys, return_counts=True)
        order = {"asic": 0, "gpu": 1, "empty": 2, "retired": 3}
        rows = [{"key": int(k), "name": self.names.get(int(k), f"model {k}"), "kind": self.kinds.get(int(k), "asic"),
                 "color": self.colors.get(int(k), argb("#999999")), "positions": int(n)} for k, n in zip(uniq, counts)]
        return sorted(rows, key=lambda r: (order[r["kind"]], r["name"]))


# pixel templates of one rack (RACK_H x RACK_W)
_yy, _xx = np.mgrid[0:RACK_H, 0:RACK_W]
EDGE = (_yy == 0) | (_yy == RACK_H - 1) | (_xx == 0) | (_xx == RACK_W - 1)
HATCH = ~EDGE & (((_xx + _yy) % 3) == 0)
CORNER = (_xx - (RACK_W - 4)) > _yy   # a small triangle in the top right corner


def compose(index: np.ndarray, fill: np.ndarray, keys: np.ndarray, selected: np.ndarray,
            breach: np.ndarray) -> np.ndarray:
    """The hall as an (rows*ROW_PITCH, cols*CELL_W) ARGB32 array; gaps and aisles transparent.

    `index` is the rows x cols grid of table indices (geometry.index_grid); the other
    arguments are per table position.
    """
    rows, cols = index.shape
    present = index >= 0
    at = np.where(present, index, 0)
    g_fill = np.where(present, fill[at] if len(fill) else 0, 0).astype(np.uint32)
    g_key = np.where(present, keys[at] if len(keys) else EMPTY, EMPTY)
    g_sel = present & (selected[at] if len(selected) else False)
    g_breach = present & (breach[at] if len(breach) else False)
    edge = darker(g_fill, 0.78)
    edge[g_key == EMPTY] = argb(EMPTY_EDGE)
    edge[g_key == RETIRED] = argb(RETIRED_HATCH)
    hatch = np.where(g_key == RETIRED, argb(RETIRED_HATCH), 0).astype(np.uint32)
    if g_sel.any():
        g_fill = np.where(g_sel, mix(g_fill, argb(SELECT_FILL), SELECT_MIX), g_fill)
        hatch = np.where(g_sel & (hatch != 0), mix(hatch, argb(SELECT_FILL), SELECT_MIX), hatch)
        edge = np.where(g_sel, argb(SELECT_EDGE), edge)
    out = np.zeros((rows, ROW_PITCH, cols, CELL_W), dtype=np.uint32)
    for y in range(RACK_H):
        for x in range(RACK_W):
            if EDGE[y, x]:
                px = edge
            elif HATCH[y, x]:
                px = np.where(hatch != 0, hatch, g_fill)
            else:
                px = g_fill
            if CORNER[y, x]:
                px = np.where(g_breach, argb(BREACH), px)
            out[:, y, :, x] = np.where(present, px, 0)
    return out.reshape(rows * ROW_PITCH, cols * CELL_W)
