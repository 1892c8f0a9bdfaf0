"""The floor-plan canvas: a QGraphicsView of one HallItem, with wheel zoom, drag pan,
click / shift / ctrl / rubber-band selection, and row and column headers pinned to the
viewport's edges (click a row letter to take the whole row).

Mouse: left click or drag selects (shift adds, ctrl toggles); middle or right drag, or
space + left drag, pans; the wheel zooms about the pointer. Keys: + and - zoom, 0 fits,
Ctrl+A selects all, Esc clears.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTransform
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QRubberBand

from desktop.model.floorgrid import row_letters
from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan.hall_item import HallItem
from desktop.ui.floorplan.selection import ADD, REPLACE, TOGGLE

HEADER_W, HEADER_H = 30, 20
HEADER_BG, HEADER_FG, HEADER_LINE = QColor(248, 249, 251, 235), QColor("#5f6b7a"), QColor("#d5dae1")
BACKGROUND = QColor("#f7f8fa")
MIN_CELL_PX, MAX_CELL_PX = 0.6, 120.0
DRAG_START_PX = 4


def _mode(modifiers) -> str:
    if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier):
        return TOGGLE
    if modifiers & Qt.KeyboardModifier.ShiftModifier:
        return ADD
    return REPLACE


class FloorCanvas(QGraphicsView):
    picked = Signal(object, str)     # table indices (np.ndarray), selection mode
    hovered = Signal(int)            # table index under the pointer, -1 for none
    zoomChanged = Signal(float)      # screen pixels per position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("floorCanvas")
        self.setScene(QGraphicsScene(self))
        self.item = HallItem()
        self.scene().addItem(self.item)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(BACKGROUND)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)  # headers are pinned
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # zoom_by anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setViewportMargins(0, 0, 0, 0)
        self.header_font = QFont()
        self.header_font.setPointSizeF(7.5)
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self.viewport())
        self._press: QPoint | None = None
        self._press_button = Qt.MouseButton.NoButton
        self._panning = False
        self._space = False
        self._last_pan: QPoint | None = None
        self._hover = -1
        self._row_anchor: int | None = None    # the row letter last clicked (shift-click extends from it)
        self._row_drag: tuple[int, str] | None = None   # (first row, mode) while dragging on the letters
        self._auto_fit = True   # refit on resize until the planner zooms or pans

    # -- the hall -------------------------------------------------------------------------
    def show_hall(self, *args, fit: bool = True, **kwargs) -> None:
        self.item.set_hall(*args, **kwargs)
        r = self.item.boundingRect()
        pad = max(r.width(), r.height()) * 0.5
        self.scene().setSceneRect(r.adjusted(-pad, -pad, pad, pad))
        if fit:
            self.fit()

    def fit(self) -> None:
        r = self.item.boundingRect()
        view = self.viewport().rect().adjusted(HEADER_W + 6, HEADER_H + 6, -10, -10)
        if view.width() <= 0 or view.height() <= 0 or r.isEmpty():
            return
        scale = min(view.width() / r.width(), view.height() / r.height())
        self._set_scale(scale)
        self._auto_fit = True
        self.centerOn(r.center() - QPointF((HEADER_W - 4) / 2 / scale, (HEADER_H - 4) / 2 / scale))

    def cell_px(self) -> float:
        return geo.CELL_W * self.transform().m11()

    def _set_scale(self, scale: float) -> None:
        scale = min(max(scale, MIN_CELL_PX / geo.CELL_W), MAX_CELL_PX / geo.CELL_W)
        self.setTransform(QTransform.fromScale(scale, scale))
        self.zoomChanged.emit(self.cell_px())

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        """Zoom by `factor`, keeping the scene point under `anchor` (default: the centre) in place."""
        self._auto_fit = False
        old = self.transform().m11()
        target = min(max(old * factor, MIN_CELL_PX / geo.CELL_W), MAX_CELL_PX / geo.CELL_W)
        centre = self.viewport().rect().center()
        anchor = centre if anchor is None else anchor
        fixed = self.mapToScene(anchor)
        self.setTransform(QTransform.fromScale(target, target))
        offset = QPointF(anchor - centre) / target
        self.centerOn(fixed - offset)
        self.zoomChanged.emit(self.cell_px())

    def zoom_to_cells(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Fit rows r0..r1-1 and columns c0..c1-1 into the view."""
        rect = QRectF(c0 * geo.CELL_W, r0 * geo.ROW_PITCH, (c1 - c0) * geo.CELL_W, (r1 - r0) * geo.ROW_PITCH)
        view = self.viewport().rect().adjusted(HEADER_W, HEADER_H, 0, 0)
        self._auto_fit = False
        self._set_scale(min(view.width() / rect.width(), view.height() / rect.height()))
        self.centerOn(rect.center() - QPointF(HEADER_W / 2 / self.transform().m11(), HEADER_H / 2 / self.transform().m11()))

    # -- hit tests --------------------------------------------------------------------------
    def index_at(self, pos: QPoint) -> int:
        p = self.mapToScene(pos)
        cell = self.item.grid.cell_at(p.x(), p.y())
        return -1 if cell is None else int(self.item.index[cell])

    def indices_in(self, rect: QRect) -> np.ndarray:
        a, b = self.mapToScene(rect.topLeft()), self.mapToScene(rect.bottomRight())
        return geo.visible_cells(self.item.index, self.item.grid, (a.x(), a.y(), b.x(), b.y()))

    def header_row(self, pos: QPoint) -> int | None:
        """The row whose letter is at `pos` (the left strip), else None."""
        if pos.x() < HEADER_W and pos.y() >= HEADER_H:
            return self.item.grid.row_at(self.mapToScene(pos).y())
        return None

    def rows_between(self, first: int, last: int) -> np.ndarray:
        r0, r1 = sorted((first, last))
        return geo.cells_in_range(self.item.index, r0, r1 + 1, 0, self.item.grid.cols)

    def header_pick(self, pos: QPoint) -> np.ndarray | None:
        """Positions of the row (left strip) or column (top strip) at `pos`, None if not a header."""
        p = self.mapToScene(pos)
        grid, index = self.item.grid, self.item.index
        if pos.x() < HEADER_W and pos.y() >= HEADER_H:
            row = grid.row_at(p.y())
            return None if row is None else geo.cells_in_range(index, row, row + 1, 0, grid.cols)
        if pos.y() < HEADER_H and pos.x() >= HEADER_W:
            col = grid.col_at(p.x())
            return None if col is None else geo.cells_in_range(index, 0, grid.rows, col, col + 1)
        if pos.x() < HEADER_W and pos.y() < HEADER_H:
            return geo.cells_in_range(index, 0, grid.rows, 0, grid.cols)
        return None

    # -- events -------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.2 ** steps, event.position().toPoint())
        event.accept()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key == Qt.Key.Key_A and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.picked.emit(geo.cells_in_range(self.item.index, 0, self.item.grid.rows, 0, self.item.grid.cols), REPLACE)
        elif key == Qt.Key.Key_Escape:
            self.picked.emit(np.zeros(0, dtype=np.int64), REPLACE)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event) -> None:
        pos, button = event.position().toPoint(), event.button()
        pan = button in (Qt.MouseButton.MiddleButton, Qt.MouseButton.RightButton) or (
            button == Qt.MouseButton.LeftButton and self._space)
        if pan:
            self._panning, self._last_pan, self._auto_fit = True, pos, False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        elif button == Qt.MouseButton.LeftButton:
            row = self.header_row(pos)
            header = self.header_pick(pos)
            mode = _mode(event.modifiers())
            if row is not None:   # row letters: click a row, shift-click the rows between, drag over rows
                if mode == ADD and self._row_anchor is not None:
                    self.picked.emit(self.rows_between(self._row_anchor, row), REPLACE)
                    self._row_drag = (self._row_anchor, REPLACE)
                else:
                    self.picked.emit(self.rows_between(row, row), mode)
                    self._row_anchor = row
                    self._row_drag = (row, ADD if mode == TOGGLE else REPLACE)
            elif header is not None:
                self.picked.emit(header, _mode(event.modifiers()))
            else:
                self._press, self._press_button = pos, button
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        pos = event.position().toPoint()
        if self._panning and self._last_pan is not None:
            delta = pos - self._last_pan
            self._last_pan = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
        elif self._row_drag is not None:
            row = self.header_row(QPoint(min(pos.x(), HEADER_W - 1), max(pos.y(), HEADER_H)))
            if row is not None and row != getattr(self, "_row_drag_last", None):
                self._row_drag_last = row
                self.picked.emit(self.rows_between(self._row_drag[0], row), self._row_drag[1])
        elif self._press is not None:
            if self._band.isVisible() or (pos - self._press).manhattanLength() >= DRAG_START_PX:
                self._band.setGeometry(QRect(self._press, pos).normalized())
                self._band.show()
        index = self.index_at(pos)
        if index != self._hover:
            self._hover = index
            self.hovered.emit(index)
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        pos = event.position().toPoint()
        if self._row_drag is not None:
            self._row_drag = None
            self._row_drag_last = None
        if self._panning:
            self._panning, self._last_pan = False, None
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
        elif self._press is not None:
            mode = _mode(event.modifiers())
            if self._band.isVisible() or (pos - self._press).manhattanLength() >= DRAG_START_PX:
                self._band.hide()
                self.picked.emit(self.indices_in(QRect(self._press, pos).normalized()),
                                 ADD if mode == TOGGLE else mode)
            else:
                index = self.index_at(pos)
                self.picked.emit(np.array([index] if index >= 0 else [], dtype=np.int64),
                                 "block" if mode == ADD and index >= 0 else mode)
            self._press = None
        event.accept()

    def leaveEvent(self, event) -> None:
        if self._hover != -1:
            self._hover = -1
            self.hovered.emit(-1)
        super().leaveEvent(event)

    # -- pinned headers ---------------------------------------------------------------------
    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        grid = self.item.grid
        t = self.transform()
        scale = t.m11()
        painter.save()
        painter.resetTransform()
        vp = self.viewport().rect()
        origin = self.mapFromScene(QPointF(0, 0))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(HEADER_BG)
        painter.drawRect(QRect(0, 0, vp.width(), HEADER_H))
        painter.drawRect(QRect(0, HEADER_H, HEADER_W, vp.height()))
        painter.setPen(QPen(HEADER_LINE, 1))
        painter.drawLine(0, HEADER_H, vp.width(), HEADER_H)
        painter.drawLine(HEADER_W, 0, HEADER_W, vp.height())
        painter.setFont(self.header_font)
        painter.setPen(HEADER_FG)
        pitch = geo.ROW_PITCH * scale
        step = geo.header_step(pitch, 13)
        r0 = max(0, int((HEADER_H - origin.y()) // pitch))
        r1 = min(grid.rows, int((vp.height() - origin.y()) // pitch) + 1)
        align = Qt.AlignmentFlag.AlignCenter
        for r in range(r0 - r0 % step, r1, step):
            y = origin.y() + (r * geo.ROW_PITCH + geo.RACK_H / 2) * scale
            if y >= HEADER_H:
                painter.drawText(QRectF(0, y - 8, HEADER_W, 16), align, row_letters(r))
        cpitch = geo.CELL_W * scale
        step = geo.header_step(cpitch, 24)
        c0 = max(0, int((HEADER_W - origin.x()) // cpitch))
        c1 = min(grid.cols, int((vp.width() - origin.x()) // cpitch) + 1)
        first = c0 + (-(c0 + 1)) % step  # label columns 1, 1+step, ... (1-based)
        for c in range(first, c1, step):
            x = origin.x() + (c * geo.CELL_W + geo.RACK_W / 2) * scale
            if x >= HEADER_W:
                painter.drawText(QRectF(x - 20, 0, 40, HEADER_H), align, str(c + 1))
        painter.restore()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit()

    def sizeHint(self) -> QSize:
        return QSize(900, 640)
