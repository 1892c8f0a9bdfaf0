"""One QGraphicsItem for a whole hall, however many positions it has.

Zoomed out it draws the hall's cached raster (raster.compose, with mipmaps so that a
25,000-position hall scales down cleanly); zoomed in it draws only the positions in view,
one `drawRects` call per colour, with labels in screen pixels. No item per position.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QStaticText
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from desktop.ui.floorplan import geometry as geo
from desktop.ui.floorplan import raster

FLOOR_FILL, FLOOR_EDGE = QColor("#e9ecf0"), QColor("#cfd4db")
FLOOR_PAD = 6.0  # scene units around the racks


def short_name(name: str) -> str:
    for prefix in ("Antminer ", "Whatsminer ", "Avalon "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


class HallItem(QGraphicsItem):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.grid = geo.Grid(1, 1)
        self.index = np.full((1, 1), -1, dtype=np.int64)
        self.labels: list[str] = []
        self.keys = self.fill = self.units = np.zeros(0, dtype=np.int64)
        self.selected = self.breach = np.zeros(0, dtype=bool)
        self.names: dict[int, str] = {}
        self.gpu_keys: set[int] = set()
        self._image: QImage | None = None
        self._buffer = None
        self._mips: dict[int, QImage] = {}
        self._texts: dict[str, QStaticText] = {}
        self.label_font = QFont()
        self.label_font.setPointSizeF(7.5)
        self.detail_font = QFont(self.label_font)
        self.detail_font.setPointSizeF(6.5)
        self.frames = 0       # paints so far (benchmarks count them)
        self.last_cells = 0   # positions drawn one by one in the last zoomed-in paint

    # -- data ------------------------------------------------------------------------------
    def set_hall(self, grid: geo.Grid, index: np.ndarray, labels: list[str], keys: np.ndarray, fill: np.ndarray,
                 units: np.ndarray, breach: np.ndarray, names: dict[int, str], gpu_keys=frozenset()) -> None:
        self.prepareGeometryChange()
        self.grid, self.index, self.labels = grid, index, labels
        self.keys, self.fill, self.units, self.breach = keys, fill, units, breach
        self.names = {k: short_name(v) for k, v in names.items()}
        self.gpu_keys = set(gpu_keys)
        self.selected = np.zeros(len(keys), dtype=bool)
        self._texts.clear()
        self._rebuild()

    def set_selected(self, mask: np.ndarray) -> None:
        self.selected = mask
        self._rebuild()

    def _rebuild(self) -> None:
        pixels = raster.compose(self.index, self.fill, self.keys, self.selected, self.breach)
        self._buffer = np.ascontiguousarray(pixels)
        h, w = self._buffer.shape
        self._image = QImage(self._buffer.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
        self._mips = {0: self._image}
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def _mip(self, level: int) -> QImage:
        if level not in self._mips:
            base = self._mip(level - 1)
            self._mips[level] = base.scaled(max(1, base.width() // 2), max(1, base.height() // 2),
                                            Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)
        return self._mips[level]

    # -- QGraphicsItem -------------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return QRectF(-FLOOR_PAD, -FLOOR_PAD, self.grid.width + 2 * FLOOR_PAD, self.grid.height + 2 * FLOOR_PAD)

    def hall_rect(self) -> QRectF:
        return QRectF(0, 0, self.grid.width, self.grid.height)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        self.frames += 1
        t = painter.worldTransform()
        scale = math.hypot(t.m11(), t.m12())
        cell_px = geo.CELL_W * scale
        painter.setPen(QPen(FLOOR_EDGE, 0))
        painter.setBrush(FLOOR_FILL)
        painter.drawRect(self.boundingRect())
        # what lands on the device: the exposed part of the item within the painter's viewport
        exposed = option.exposedRect & t.inverted()[0].mapRect(QRectF(painter.viewport()))
        if geo.lod(cell_px) == geo.RASTER:
            self._paint_raster(painter, scale)
        else:
            r0, r1, c0, c1 = self.grid.visible_range(exposed.left(), exposed.top(), exposed.right(), exposed.bottom())
            self._paint_vector(painter, r0, r1, c0, c1, cell_px)

    def _paint_raster(self, painter: QPainter, scale: float) -> None:
        if self._image is None:
            return
        level = 0 if scale >= 0.5 else min(6, int(math.floor(math.log2(1 / scale))))
        image = self._mip(level)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1.0)
        painter.drawImage(self.hall_rect(), image, QRectF(image.rect()))

    def _paint_vector(self, painter: QPainter, r0: int, r1: int, c0: int, c1: int, cell_px: float) -> None:
        block = self.index[r0:r1, c0:c1]
        rr, cc = np.nonzero(block >= 0)
        self.last_cells = len(rr)
        if not len(rr):
            return
        ti = block[rr, cc]
        xs = (cc + c0) * geo.CELL_W
        ys = (rr + r0) * geo.ROW_PITCH
        keys, sel = self.keys[ti], self.selected[ti]
        fill = self.fill[ti]
        edge = raster.darker(fill, 0.78)
        edge[keys == raster.EMPTY] = raster.argb(raster.EMPTY_EDGE)
        edge[keys == raster.RETIRED] = raster.argb(raster.RETIRED_HATCH)
        fill = np.where(sel, raster.mix(fill, raster.argb(raster.SELECT_FILL), raster.SELECT_MIX), fill)
        edge = np.where(sel, raster.argb(raster.SELECT_EDGE), edge)
        group = (fill.astype(np.uint64) << np.uint64(32)) | edge.astype(np.uint64)
        W, H = float(geo.RACK_W), float(geo.RACK_H)
        rects_of = lambda where: [QRectF(float(x), float(y), W, H) for x, y in zip(xs[where], ys[where])]  # noqa: E731
        for g in np.unique(group):
            where = group == g
            pen = QPen(QColor.fromRgba(int(g & np.uint64(0xFFFFFFFF))), 0)
            if sel[where][0]:
                pen.setWidthF(2.0)
                pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(QColor.fromRgba(int(g >> np.uint64(32))))
            painter.drawRects(rects_of(where))
        retired = keys == raster.RETIRED
        if retired.any():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(raster.RETIRED_HATCH), Qt.BrushStyle.BDiagPattern))
            painter.drawRects([r.adjusted(0.5, 0.5, -0.5, -0.5) for r in rects_of(retired)])
        breach = self.breach[ti]
        if breach.any():
            path = QPainterPath()
            k = 3.2
            for x, y in zip(xs[breach], ys[breach]):
                x, y = float(x) + W, float(y)
                path.moveTo(x - k, y)
                path.lineTo(x, y)
                path.lineTo(x, y + k)
                path.closeSubpath()
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(raster.BREACH))
            painter.drawPath(path)
        if cell_px >= geo.LABEL_MIN_PX:
            self._paint_labels(painter, ti, xs, ys, fill, cell_px)

    def _static(self, text: str, font: QFont, cache: dict) -> tuple[QStaticText, float, float]:
        entry = cache.get(text)
        if entry is None:
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=font)
            size = st.size()
            entry = cache[text] = (st, size.width(), size.height())
        return entry

    def _detail(self, i: int) -> str:
        key = int(self.keys[i])
        if key == raster.EMPTY:
            return "empty"
        if key == raster.RETIRED:
            return "retired"
        name = self.names.get(key, "")
        return f"{int(self.units[i])}× {name}" if self.units[i] and key not in self.gpu_keys else name

    def _paint_labels(self, painter: QPainter, ti, xs, ys, fill, cell_px: float) -> None:
        """Labels (and at DETAIL_MIN_PX what stands there) in screen pixels, centred on each rack."""
        t = painter.worldTransform()
        cx = t.m11() * (xs + geo.RACK_W / 2) + t.m31()
        cy = t.m22() * (ys + geo.RACK_H / 2) + t.m32()
        detail = cell_px >= geo.DETAIL_MIN_PX
        r, g, b = (fill >> 16) & 0xFF, (fill >> 8) & 0xFF, fill & 0xFF
        dark = (0.299 * r + 0.587 * g + 0.114 * b) < 0.55 * 255
        labels = self._texts.setdefault("labels", {})
        details = self._texts.setdefault(f"details@{int(cell_px)}", {})
        width = cell_px * geo.RACK_W / geo.CELL_W - 4
        metrics = QFontMetricsF(self.detail_font)
        painter.save()
        painter.resetTransform()
        for on_dark in (True, False):
            group = np.nonzero(dark == on_dark)[0]
            if not len(group):
                continue
            painter.setPen(QColor("#ffffff") if on_dark else QColor("#1f2933"))
            painter.setFont(self.label_font)
            for k in group:
                st, w, h = self._static(self.labels[int(ti[k])], self.label_font, labels)
                painter.drawStaticText(QPointF(cx[k] - w / 2, cy[k] - (h if detail else h / 2)), st)
            if detail:
                painter.setFont(self.detail_font)
                for k in group:
                    text = self._detail(int(ti[k]))
                    entry = details.get(text)
                    if entry is None:
                        entry = self._static(metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
                                             self.detail_font, details)
                        details[text] = entry
                    st, w, h = entry
                    painter.drawStaticText(QPointF(cx[k] - w / 2, cy[k] + 1), st)
        painter.restore()
