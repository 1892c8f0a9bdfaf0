"""Floor maps for the PDF: a hall today and with the plan, drawn cell by cell as vectors.

Drawn with QPainter straight from the hall's PositionTable (the plan overlay included): one
square per rack position, coloured by what stands there (an ASIC model, a GPU system), retired
positions hatched, empty ones white. Rows carry their letters and every fifth column its number,
so a label from the appendix (C17) can be found on the map.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

from desktop.export.pdf_html import isolate
from desktop.export.pdf_layout import FONT_FAMILY
from desktop.model.floorgrid import ROLE_GPU, ROLE_RETIRED, row_letters

ASIC_COLOURS = ["#F59E0B", "#B45309", "#FCD34D", "#EA580C", "#92400E", "#FDBA74"]
GPU_COLOURS = ["#2563EB", "#0891B2", "#7C3AED", "#1E3A8A"]
EMPTY = "#FFFFFF"
RETIRED = "#D1D5DB"
EDGE = "#9CA3AF"
LABEL_PX = 16        # row letters at the left, column numbers on top
LEGEND_PX = 34
CAPTION_PX = 16


def colours(hm) -> dict[int, str]:
    """A colour per equipment model in this hall: ASICs warm, GPU systems blue."""
    asics = sorted(i for i, k in hm.model_kinds.items() if k == "asic")
    gpus = sorted(i for i, k in hm.model_kinds.items() if k == "gpu")
    out = {i: ASIC_COLOURS[n % len(ASIC_COLOURS)] for n, i in enumerate(asics)}
    out.update({i: GPU_COLOURS[n % len(GPU_COLOURS)] for n, i in enumerate(gpus)})
    return out


def cell_kinds(hm, after: bool) -> np.ndarray:
    """Per position: the model id shown (-1 empty, -2 retired), today or with the plan."""
    t = hm.table
    shown = t.model_ids.copy()
    if after:
        shown[t.role == ROLE_RETIRED] = -2
        gpu = t.role == ROLE_GPU
        shown[gpu] = t.gpu_model_ids[gpu]
    return shown


def _grid_size(hm) -> tuple[int, int]:
    t = hm.table
    rows = max(hm.hall.rows, int(t.rows.max()) + 1 if len(t) else 1)
    cols = max(hm.hall.cols, int(t.cols.max()) + 1 if len(t) else 1)
    return rows, cols


def draw_map(painter, rect: QRectF, hm, after: bool, cell: float, palette_: dict[int, str]) -> None:
    """One map with its row and column labels, the grid's top-left at rect's top-left."""
    t = hm.table
    rows, cols = _grid_size(hm)
    x0, y0 = rect.left() + LABEL_PX, rect.top() + LABEL_PX
    font = QFont(FONT_FAMILY, 5 if cell < 12 else 6)
    painter.setFont(font)
    painter.setPen(QColor("#6B7280"))
    every = 1 if rows <= 30 and cell >= 9 else 2
    for r in range(0, rows, every):
        painter.drawText(QRectF(rect.left(), y0 + r * cell, LABEL_PX - 2, cell),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), row_letters(r))
    for c in range(4, cols, 5):
        painter.drawText(QRectF(x0 + c * cell - 10, rect.top(), cell + 20, LABEL_PX - 2),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), str(c + 1))
    shown = cell_kinds(hm, after)
    gap = 0.12 * cell
    edge = QPen(QColor(EDGE))
    edge.setWidthF(0.4)
    edge.setCosmetic(True)
    for key in np.unique(shown).tolist():
        idx = np.nonzero(shown == key)[0]
        rects = [QRectF(x0 + float(t.cols[i]) * cell + gap / 2, y0 + float(t.rows[i]) * cell + gap / 2,
                        cell - gap, cell - gap) for i in idx.tolist()]
        painter.setPen(edge if key in (-1, -2) else Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(_colour(key, palette_))))
        painter.drawRects(rects)
        if key == -2:
            painter.setBrush(QBrush(QColor("#6B7280"), Qt.BrushStyle.BDiagPattern))
            painter.drawRects(rects)


def _colour(key: int, palette_: dict[int, str]) -> str:
    return {-1: EMPTY, -2: RETIRED}.get(key) or palette_.get(key, "#000000")


def draw_hall(painter, rect: QRectF, hm) -> None:
    """Today and with the plan, stacked or side by side (whichever gives bigger cells), and a legend."""
    rows, cols = _grid_size(hm)
    area_h = rect.height() - LEGEND_PX
    stacked = min((rect.width() - LABEL_PX) / cols, (area_h / 2 - CAPTION_PX - LABEL_PX - 6) / rows)
    side = min((rect.width() / 2 - LABEL_PX - 8) / cols, (area_h - CAPTION_PX - LABEL_PX) / rows)
    cell = max(stacked, side)
    cell = min(cell, 22.0)
    palette_ = colours(hm)
    map_w, map_h = LABEL_PX + cols * cell, LABEL_PX + rows * cell
    if stacked >= side:
        boxes = [QRectF(rect.left(), rect.top() + k * (CAPTION_PX + map_h + 6), map_w, CAPTION_PX + map_h)
                 for k in range(2)]
    else:
        boxes = [QRectF(rect.left() + k * (map_w + 16), rect.top(), map_w, CAPTION_PX + map_h) for k in range(2)]
    captions = ("Today", "With the plan")
    for k, box in enumerate(boxes):
        painter.setFont(QFont(FONT_FAMILY, 8, QFont.Weight.DemiBold))
        painter.setPen(QColor("#111827"))
        painter.drawText(QRectF(box.left(), box.top(), box.width(), CAPTION_PX),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), captions[k])
        draw_map(painter, QRectF(box.left(), box.top() + CAPTION_PX, map_w, map_h), hm, bool(k), cell, palette_)
    bottom = max(b.bottom() for b in boxes) + 8
    draw_legend(painter, QRectF(rect.left(), bottom, rect.width(), LEGEND_PX), hm, palette_)


def legend_entries(hm, palette_: dict[int, str]) -> list[tuple[str, str, bool]]:
    """(colour, text, hatched) for every kind of cell the two maps show."""
    before, after = cell_kinds(hm, False), cell_kinds(hm, True)
    out = []
    for mid, name in sorted(hm.model_names.items(), key=lambda kv: (hm.model_kinds[kv[0]] != "asic", kv[1])):
        n_before, n_after = int((before == mid).sum()), int((after == mid).sum())
        if n_before or n_after:
            out.append((palette_[mid], f"{name}: {n_before} positions today, {n_after} with the plan", False))
    out.append((RETIRED, f"retired by the plan: {int((after == -2).sum())}", True))
    out.append((EMPTY, f"empty: {int((before == -1).sum())} today", False))
    return out


def draw_legend(painter, rect: QRectF, hm, palette_: dict[int, str]) -> None:
    painter.setFont(QFont(FONT_FAMILY, 7))
    x, y = rect.left(), rect.top()
    metrics = painter.fontMetrics()
    edge = QPen(QColor(EDGE))
    edge.setWidthF(0.5)
    for colour, text, hatched in legend_entries(hm, palette_):
        width = 16 + metrics.horizontalAdvance(text) + 14
        if x + width > rect.right():
            x, y = rect.left(), y + 15
        box = QRectF(x, y + 2, 10, 10)
        painter.setPen(edge)
        painter.setBrush(QBrush(QColor(colour)))
        painter.drawRect(box)
        if hatched:
            painter.setBrush(QBrush(QColor("#6B7280"), Qt.BrushStyle.BDiagPattern))
            painter.drawRect(box)
        painter.setPen(QColor("#111827"))
        painter.drawText(QRectF(x + 14, y, width, 14), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         isolate(text))
        x += width
