"""The plan's conversions in time, by site (a Gantt chart): building from the start month to
commercial operation (COD), then operating: the contract's term, then each renewal assumed
exercised (lighter, with a tick between them), then, after the contract ends, the idle
grid reservation (grey); without a term it operates to the end of the horizon
(`segments` gives the pieces as data).

Drag a bar to move its start month; drag its COD edge (between building and operating) to
change the build months. The writes of one drag are one undo step (plan_commands.drag_terms),
and the dashboard follows the drag live. Without a mouse: select a bar and use the Start and
Build spin boxes under the chart, or the arrow keys (Shift+arrows: build months).
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsObject, QGraphicsScene, QGraphicsView, QHBoxLayout, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from desktop.model.months import month_display, month_label
from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.model.scenario import check_field
from desktop.store import plans, settings, sites
from desktop.ui import context
from desktop.charts import palette
from desktop.charts.axes import month_index
from desktop.ui.plans import plan_commands
from desktop.ui.plans.terms_delegate import MonthSpinBox

LABEL_W = 230
HEADER_H = 28
SITE_H = 24
ROW_H = 28
BAR_H = 18
EDGE_PX = 5
BUILD_COLOR = QColor("#F59E0B")
OPERATE_COLOR = QColor(palette.HOSTING)
RENEWAL_COLOR = QColor("#93C5FD")
IDLE_COLOR = QColor("#E5E7EB")


def segments(start: int, build: int, term: int | None, renewals: int, renewal_term: int | None,
             horizon: int) -> list[tuple[str, int, int]]:
    """The bar's pieces as (kind, first month, end month), clipped to the horizon: "build",
    "term", "renewal" (one each), "idle" (the contract has ended; the grid stays reserved)."""
    cod = start + build
    pieces = [("build", start, cod)]
    if term is None:
        pieces.append(("term", cod, horizon))
    else:
        pieces.append(("term", cod, cod + term))
        end = cod + term
        for _ in range(renewals):
            step = renewal_term or term
            pieces.append(("renewal", end, end + step))
            end += step
        pieces.append(("idle", end, horizon))
    out = []
    for kind, a, b in pieces:
        a, b = min(a, horizon), min(b, horizon)
        if b > a:
            out.append((kind, a, b))
    return out



def _month(start_month: str, offset: int) -> str:
    """A month as the app writes it everywhere: 2027-06 (Jun)."""
    return month_display(month_label(start_month, int(offset)))

class ConversionBar(QGraphicsObject):
    """One conversion: building then operating. Reports drags as whole-month changes."""

    def __init__(self, editor: "TimelineEditor", conv):
        super().__init__()
        self.editor = editor
        self.conv_id = conv.id
        self.label = conv.label
        self.start, self.build = conv.start_month, conv.build_months
        self.contract = (conv.term_months, conv.renewals, conv.renewal_term_months)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsObject.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsObject.GraphicsItemFlag.ItemIsFocusable)
        self._drag = None

    def set_terms(self, start: int, build: int, contract: tuple = (None, 0, None)) -> None:
        if (start, build, contract) != (self.start, self.build, self.contract):
            self.prepareGeometryChange()
            self.start, self.build, self.contract = start, build, contract
            self.update()

    def segments(self) -> list[tuple[str, int, int]]:
        return segments(self.start, self.build, *self.contract, self.editor.horizon)

    # geometry: item coordinates are scene coordinates shifted to the row's top
    def x_of(self, month: float) -> float:
        return LABEL_W + month * self.editor.px_per_month

    def boundingRect(self) -> QRectF:
        end = self.editor.horizon
        return QRectF(self.x_of(min(self.start, end)) - EDGE_PX, -3,
                      self.x_of(end) - self.x_of(min(self.start, end)) + 2 * EDGE_PX, BAR_H + 6)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        end = self.editor.horizon
        cod = min(self.start + self.build, end)
        x0, xc, x1 = self.x_of(self.start), self.x_of(cod), self.x_of(end)
        painter.setPen(Qt.PenStyle.NoPen)
        if xc > x0:
            painter.setBrush(QColor("#FDE68A"))
            painter.drawRect(QRectF(x0, 0, xc - x0, BAR_H))
            painter.setBrush(QBrush(BUILD_COLOR, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(QRectF(x0, 0, xc - x0, BAR_H))
        term_end = xc
        for kind, a, b in self.segments():
            if kind == "build":
                continue
            xa, xb = self.x_of(a), self.x_of(b)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush({"term": OPERATE_COLOR, "renewal": RENEWAL_COLOR, "idle": IDLE_COLOR}[kind])
            painter.drawRect(QRectF(xa, 0, xb - xa, BAR_H))
            if kind == "term":
                term_end = xb
            if kind == "renewal":
                painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
                painter.drawLine(int(xa), 1, int(xa), BAR_H - 1)
        painter.setPen(QPen(QColor("#111827"), 2 if self.isSelected() else 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x0, 0, max(x1 - x0, 1), BAR_H))
        painter.setPen(QPen(QColor("#111827"), 2))
        painter.drawLine(int(xc), -2, int(xc), BAR_H + 2)   # the COD edge, draggable
        if term_end - xc > 90:
            painter.setPen(QColor("#FFFFFF"))
            font = QFont()
            font.setPointSizeF(8)
            painter.setFont(font)
            painter.drawText(QRectF(xc + 4, 0, term_end - xc - 8, BAR_H), Qt.AlignmentFlag.AlignVCenter,
                             self.term_text(cod))

    def term_text(self, cod: int) -> str:
        term, renewals, renewal = self.contract
        text = f"operating from {_month(self.editor.start_month, cod)}"
        if term is not None:
            text += f", {term // 12 if term % 12 == 0 else term}{' yr' if term % 12 == 0 else ' mo'} term"
            if renewals:
                step = renewal or term
                text += f" + {renewals} x {step // 12 if step % 12 == 0 else step}{' yr' if step % 12 == 0 else ' mo'}"
        return text

    def _on_edge(self, x: float) -> bool:
        return abs(x - self.x_of(self.start + self.build)) <= EDGE_PX

    def hoverMoveEvent(self, event) -> None:
        self.setCursor(Qt.CursorShape.SizeHorCursor if self._on_edge(event.pos().x()) else Qt.CursorShape.OpenHandCursor)
        self.setToolTip(f"{self.label}\nstart {_month(self.editor.start_month, self.start)}, "
                        f"{self.build} build months, COD {_month(self.editor.start_month, self.start + self.build)}\n"
                        "drag to move; drag the COD edge to change the build time")

    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.scene().clearSelection()
        self.setSelected(True)
        self.setFocus()
        kind = "edge" if self._on_edge(event.pos().x()) else "move"
        self._drag = (kind, event.scenePos().x(), self.start, self.build, self.editor.begin_drag())
        self.editor.select(self.conv_id)
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if self._drag is None:
            return
        kind, x0, start, build, serial = self._drag
        months = round((event.scenePos().x() - x0) / self.editor.px_per_month)
        if kind == "move":
            new = {"start_month": min(max(start + months, 0), self.editor.horizon - 1)}
        else:
            new = {"build_months": max(build + months, 0)}
        if new != {k: getattr(self, {"start_month": "start", "build_months": "build"}[k]) for k in new}:
            self.editor.write(self.conv_id, new, serial)

    def mouseReleaseEvent(self, event) -> None:
        self._drag = None
        event.accept()

    def keyPressEvent(self, event) -> None:
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        if step is None:
            return super().keyPressEvent(event)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.editor.write(self.conv_id, {"build_months": max(self.build + step, 0)})
        else:
            self.editor.write(self.conv_id, {"start_month": min(max(self.start + step, 0), self.editor.horizon - 1)})


class _View(QGraphicsView):
    resized = Signal()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()


NO_SELECTION = "Select a bar to edit its start and build time."


class TimelineEditor(QWidget):
    """The timeline with the spin boxes of the selected conversion."""
    refused = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("timeline")
        self.start_month, self.horizon, self.px_per_month = "2026-01", 120, 6.0
        self.bars: dict[int, ConversionBar] = {}
        self.selected: int | None = None
        self._serial = 0
        self._layout_key = None
        self.scene = QGraphicsScene(self)
        self.view = _View(self.scene)
        self.view.resized.connect(self._view_resized)
        self.view.setObjectName("timelineView")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setBackgroundBrush(QColor("#FFFFFF"))
        self.view.setMinimumHeight(150)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.selected_label = QLabel(NO_SELECTION)
        self.selected_label.setStyleSheet("color: #4B5563;")
        self.selected_label.setWordWrap(True)   # a long label and a late COD wrap, not clip
        self.start_spin = MonthSpinBox()
        self.start_spin.setObjectName("timelineStart")
        self.start_spin.setToolTip("start month: the miners come out and building starts")
        self.build_spin = QSpinBox()
        self.build_spin.setObjectName("timelineBuild")
        self.build_spin.setRange(0, 240)
        self.build_spin.setSuffix(" build months")
        self.build_spin.setKeyboardTracking(False)
        self.start_spin.valueChanged.connect(lambda v: self._spun("start_month", v))
        self.build_spin.valueChanged.connect(lambda v: self._spun("build_months", v))
        row.addWidget(self.selected_label, 1)
        row.addWidget(QLabel("Start"))
        row.addWidget(self.start_spin)
        row.addWidget(self.build_spin)
        layout.addLayout(row)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #B91C1C;")
        layout.addWidget(self.message)
        self._set_spins_enabled(False)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    # -- data ------------------------------------------------------------------------------
    def _on_changed(self, kind: str) -> None:
        self.message.setText("")   # an edit went through: an old refusal no longer applies
        if kind in (context.CONVERSIONS, context.PLANS, context.ASSUMPTIONS, context.SITES, context.ALL,
                    context.POSITIONS):
            self.refresh()

    def conversions(self) -> list:
        plan_id = self.ctx.plan_id
        if plan_id is None or all(p.id != plan_id for p in plans.plans(self.ctx.project)):
            return []
        return plans.conversions(self.ctx.project, plan_id)

    def refresh(self) -> None:
        a = settings.assumptions(self.ctx.project)
        self.start_month, self.horizon = a["start_month"], int(a["horizon_months"])
        convs = self.conversions()
        names = {s.id: s.name for s in sites.sites(self.ctx.project)}
        key = (self.start_month, self.horizon, round(self.px_per_month, 3),
               tuple((c.id, c.site_id, c.label) for c in sorted(convs, key=lambda c: (c.site_id, c.id))))
        if key != self._layout_key:
            self._rebuild(convs, names)
            self._layout_key = key
        else:
            for conv in convs:
                self.bars[conv.id].set_terms(conv.start_month, conv.build_months,
                                             (conv.term_months, conv.renewals, conv.renewal_term_months))
        if self.selected not in self.bars:
            self.selected = None
        self._show_selected()

    def _fit_scale(self) -> None:
        width = max(self.view.viewport().width() - LABEL_W - 16, 200)
        self.px_per_month = width / max(self.horizon, 1)

    def _view_resized(self) -> None:
        old = self.px_per_month
        self._fit_scale()
        if abs(old - self.px_per_month) > 1e-6:
            self._layout_key = None
            self.refresh()

    def _rebuild(self, convs, names) -> None:
        self._fit_scale()
        self.scene.clear()
        self.bars = {}
        right = LABEL_W + self.horizon * self.px_per_month
        grey = QPen(QColor("#E5E7EB"))
        base = month_index(self.start_month)
        font = QFont()
        font.setPointSizeF(8)
        for m in range(self.horizon + 1):
            if (base + m) % 12 == 0:
                x = LABEL_W + m * self.px_per_month
                self.scene.addLine(x, HEADER_H - 6, x, HEADER_H + 2000, grey).setZValue(-10)
                text = self.scene.addSimpleText(str((base + m) // 12), font)
                text.setBrush(QColor("#374151"))
                text.setPos(x + 3, 6)
        y = HEADER_H
        by_site: dict[int, list] = {}
        for conv in sorted(convs, key=lambda c: c.id):   # the order they were made in: the same after a
            # restart as in the session (a move in time does not rebuild, so it must not reorder)
            by_site.setdefault(conv.site_id, []).append(conv)
        bold = QFont()
        bold.setBold(True)
        for site_id in sorted(by_site, key=lambda s: names.get(s, "")):
            title = self.scene.addSimpleText(names.get(site_id, "?"), bold)
            title.setPos(8, y + 4)
            self.scene.addLine(0, y, right, y, QPen(QColor("#D1D5DB")))
            y += SITE_H
            for conv in by_site[site_id]:
                label = self.scene.addSimpleText(self._elide(conv.label or f"conversion {conv.id}"), font)
                label.setPos(18, y + 6)
                bar = ConversionBar(self, conv)
                bar.setPos(0, y + (ROW_H - BAR_H) / 2)
                self.scene.addItem(bar)
                self.bars[conv.id] = bar
                if conv.id == self.selected:
                    bar.setSelected(True)
                y += ROW_H
        if not convs:
            empty = self.scene.addSimpleText("This plan has no conversions yet: convert rack positions in the floor plan.")
            empty.setBrush(QColor("#6B7280"))
            empty.setPos(8, y + 8)
            y += ROW_H * 2
        self.scene.setSceneRect(0, 0, right + 12, y + 8)

    @staticmethod
    def _elide(text: str, most: int = 34) -> str:
        return text if len(text) <= most else text[: most - 1] + "…"

    # -- editing ---------------------------------------------------------------------------
    def begin_drag(self) -> int:
        self._serial += 1
        return self._serial

    def select(self, conversion_id: int | None) -> None:
        self.selected = conversion_id
        for cid, bar in self.bars.items():
            bar.setSelected(cid == conversion_id)
        self._show_selected()

    def _set_spins_enabled(self, on: bool) -> None:
        self.start_spin.setEnabled(on and not self.ctx.readonly)
        self.build_spin.setEnabled(on and not self.ctx.readonly)

    def _show_selected(self) -> None:
        bar = self.bars.get(self.selected)
        self._set_spins_enabled(bar is not None)
        self.start_spin.blockSignals(True)
        self.build_spin.blockSignals(True)
        self.start_spin.set_calendar(self.start_month, self.horizon)
        if bar is not None:
            self.start_spin.setValue(bar.start)
            self.build_spin.setValue(bar.build)
            cod = _month(self.start_month, bar.start + bar.build)
            late = (f" <span style='color:#B45309'>(after the horizon, which ends "
                    f"{_month(self.start_month, self.horizon - 1)}: earns nothing in it)</span>"
                    if bar.start + bar.build >= self.horizon else "")
            contract = ""
            term, renewals, renewal = bar.contract
            if term is not None:
                end = bar.start + bar.build + term + renewals * (renewal or term)
                contract = (f"; {term} months' term" + (f" and {renewals} renewal(s) of {renewal or term} months"
                                                         if renewals else "")
                            + f", to {_month(self.start_month, end - 1)}")
            self.selected_label.setText(f"<b>{bar.label}</b>: commercial operation {cod}{contract}{late}")
        else:   # the bar went (undo of a convert, another plan): its text goes with it
            self.selected_label.setText(NO_SELECTION)
        self.start_spin.blockSignals(False)
        self.build_spin.blockSignals(False)

    def _spun(self, key: str, value: int) -> None:
        if self.selected is not None:
            self.write(self.selected, {key: int(value)})

    def write(self, conversion_id: int, new: dict, drag: int | None = None) -> None:
        """Write a start month or build time: one undo step, or merged into drag number `drag`."""
        if self.ctx.readonly:
            self._refuse("the project is open read-only")
            return
        for key, value in new.items():
            problem = check_field("conversion", key, value, horizon_months=self.horizon)
            if problem:
                self._refuse(field_words.sentence("conversion", key, problem))
                return
        try:
            if drag is None:
                plan_commands.set_terms(self.ctx, conversion_id, new)
            else:
                plan_commands.drag_terms(self.ctx, conversion_id, new, drag)
        except InputError as exc:
            self._refuse(field_words.explain(exc.field, exc.message, "conversion"))
            return
        self.message.setText("")

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.refused.emit(text)
        self.refresh()
