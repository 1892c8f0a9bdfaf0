"""The Plans view: the project's plans (add, rename, duplicate, delete, make current), the
current plan's conversions with their commercial terms, and its timeline."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QListView,
                               QPushButton, QScrollArea, QSplitter, QTableView, QVBoxLayout, QWidget)

from desktop.ui import context_menus
from desktop.model import field_words
from desktop.model.errors import InputError
from desktop.store import plans
from desktop.ui import context
from desktop.ui.plans import plan_commands
from desktop.ui.plans.plan_list import PLAN_ID_ROLE, PlanListModel
from desktop.ui.plans.terms_delegate import TermsDelegate
from desktop.ui.plans.terms import BY_KEY, COLUMNS
from desktop.ui.plans.terms_form import COMPACT_KEYS, TermsForm
from desktop.ui.plans.terms_model import CONVERSION_ID_ROLE, ConversionTermsModel
from desktop.ui.plans.timeline import TimelineEditor


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; font-size: 10pt;")
    return label


class PlansView(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("plansView")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        splitter.addWidget(self._plan_list())
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._terms_table())
        timeline_box = QWidget()
        col = QVBoxLayout(timeline_box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_title("Timeline: building (hatched), then operating"))
        self.timeline = TimelineEditor(ctx)
        col.addWidget(self.timeline, 1)
        right.addWidget(timeline_box)
        right.setSizes([330, 330])
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 1100])
        self.plan_model.refused.connect(self._refused)
        self.terms_model.refused.connect(self._refused)
        ctx.changed.connect(self._on_changed)
        self._on_changed(context.PLANS)

    # -- the plan list ---------------------------------------------------------------------
    def _plan_list(self) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(_title("Plans"))
        self.plan_model = PlanListModel(self.ctx, self)
        self.plan_list = QListView()
        self.plan_list.setObjectName("planList")
        self.plan_list.setModel(self.plan_model)
        self.plan_list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                       | QAbstractItemView.EditTrigger.SelectedClicked)
        self.plan_list.doubleClicked.connect(lambda index: self.make_current(index.data(PLAN_ID_ROLE)))
        context_menus.attach(self.plan_list, self._plan_actions)
        col.addWidget(self.plan_list, 1)
        grid = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("new", "New", self.new_plan), ("duplicate", "Duplicate", self.duplicate),
                                ("rename", "Rename", self.rename), ("delete", "Delete", self.delete)):
            button = QPushButton(text)
            button.setObjectName(f"plan_{key}")
            button.clicked.connect(slot)
            grid.addWidget(button)
            self.buttons[key] = button
        col.addLayout(grid)
        current = QPushButton("Make current (the dashboard shows it)")
        current.setObjectName("plan_current")
        current.clicked.connect(lambda: self.make_current(self.selected_plan_id()))
        col.addWidget(current)
        self.buttons["current"] = current
        hint = QLabel("Duplicate a plan to try a variant; compare them in the Compare view.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6B7280;")
        col.addWidget(hint)
        return box

    def _plan_actions(self, index) -> list:
        writable, on_plan = not self.ctx.readonly, index.isValid()
        return [("Make current (the dashboard shows it)", lambda: self.make_current(self.selected_plan_id()), on_plan),
                ("Rename…", self.rename, on_plan and writable),
                ("Duplicate", self.duplicate, on_plan and writable),
                ("Delete", self.delete, on_plan and writable),
                None,
                ("New plan…", self.new_plan, writable)]

    def _conversion_actions(self, index) -> list:
        return [("Edit its terms", lambda: self.terms_form.setFocus(), index.isValid()),
                ("Show on the floor plan", lambda: self._show_on_floor(index.data(CONVERSION_ID_ROLE)), index.isValid())]

    def _show_on_floor(self, conversion_id) -> None:
        conv = plans.get_conversion(self.ctx.project, conversion_id) if conversion_id is not None else None
        window = self.window()
        if conv is not None and conv.hall_id is not None and hasattr(window, "views"):
            floor = window.views["Floor plan"]
            window.tabs.setCurrentWidget(floor)
            floor.show_hall(conv.hall_id)
            floor.select_conversion(conv.id)

    def selected_plan_id(self):
        index = self.plan_list.currentIndex()
        return index.data(PLAN_ID_ROLE) if index.isValid() else self.ctx.plan_id

    def _select_current(self) -> None:
        row = self.plan_model.row_of(self.ctx.plan_id)
        if row >= 0:
            self.plan_list.selectionModel().setCurrentIndex(
                self.plan_model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def make_current(self, plan_id) -> None:
        if plan_id is not None:
            self.ctx.set_plan(plan_id)

    def ask_name(self, title: str, suggested: str) -> str | None:
        """The name the planner gives (None: cancelled). Tests replace this (no modal loop)."""
        name, ok = QInputDialog.getText(self, title, "Name:", text=suggested)
        return name if ok else None

    def new_plan(self) -> None:
        """A new plan, named by the planner (a free name is offered)."""
        name = self.ask_name("New plan", plan_commands.free_name(self.ctx.project, "New plan"))
        if name is not None:
            self._run(lambda: plan_commands.add_plan(self.ctx, name))

    def duplicate(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id is not None:
            self._run(lambda: plan_commands.duplicate_plan(self.ctx, plan_id))

    def rename(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id is None:
            return
        name = self.ask_name("Rename plan", plans.get(self.ctx.project, plan_id).name)
        if name is not None:
            self._run(lambda: plan_commands.rename_plan(self.ctx, plan_id, name))

    def delete(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id is not None:
            self._run(lambda: plan_commands.delete_plan(self.ctx, plan_id))

    def _run(self, edit) -> None:
        try:
            edit()
        except InputError as exc:
            self._refused(field_words.sentence("plan", exc.field, exc.message) if exc.field else exc.message)
        else:
            self.message.setText("")

    # -- the terms table -------------------------------------------------------------------
    def _terms_table(self) -> QWidget:
        """The plan's conversions as a compact list, the selected one's terms as a form beside it
        (all terms readable at 1280x800, no sideways scrolling)."""
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        self.terms_title = _title("Conversions")
        head = QHBoxLayout()
        head.addWidget(self.terms_title, 1)
        self.deal_button = QPushButton("Start from a public deal…")
        self.deal_button.setObjectName("dealLibraryButton")
        self.deal_button.setToolTip("fill the selected conversion's terms from a published deal (undoable)")
        self.deal_button.clicked.connect(self.open_deal_library)
        head.addWidget(self.deal_button)
        col.addLayout(head)
        self.terms_model = ConversionTermsModel(self.ctx, self)
        self.table = QTableView()
        self.table.setObjectName("termsTable")
        self.table.setModel(self.terms_model)
        self.table.setItemDelegate(TermsDelegate(self.terms_model, self.table))
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        for index, column in enumerate(COLUMNS):
            self.table.setColumnHidden(index, column.key not in COMPACT_KEYS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index(BY_KEY["label"]), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._conversion_picked)
        context_menus.attach(self.table, self._conversion_actions)
        self.terms_form = TermsForm(self.terms_model)
        self.terms_form.refused.connect(self._refused)
        self.terms_model.modelReset.connect(self._terms_reset)
        form_scroll = QScrollArea()
        form_scroll.setObjectName("termsFormScroll")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(self.terms_form)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("termsSplit")
        split.addWidget(self.table)
        split.addWidget(form_scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        col.addWidget(split, 1)
        self.message = QLabel("")
        self.message.setObjectName("plansMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B91C1C;")
        col.addWidget(self.message)
        self._terms_reset()
        return box

    def selected_conversion_id(self):
        """The conversion of the table's current row (the first one when none is current)."""
        from desktop.ui.plans.terms_model import CONVERSION_ID_ROLE

        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        if not 0 <= row < self.terms_model.rowCount():
            return None
        return self.terms_model.index(row, 0).data(CONVERSION_ID_ROLE)

    def deal_dialog(self):
        """The deal library for the selected conversion (not yet shown)."""
        from desktop.ui.plans.deal_library import DealLibraryDialog

        return DealLibraryDialog(self.ctx, self.selected_conversion_id(), self)

    def open_deal_library(self) -> None:
        self.deal_dialog().open()

    def _conversion_picked(self, current, _previous=None) -> None:
        if current.isValid():
            self.terms_form.load(current.data(CONVERSION_ID_ROLE))

    def _terms_reset(self) -> None:
        """After the model reloads (an edit, undo, another plan): keep the form's conversion
        selected, else pick the first."""
        model = self.terms_model
        ids = [c.id for c in model.rows]
        wanted = self.terms_form.conversion_id if self.terms_form.conversion_id in ids else (ids[0] if ids else None)
        if wanted is None:
            self.terms_form.load(None)
            return
        row = ids.index(wanted)
        self.table.selectionModel().blockSignals(True)
        self.table.selectionModel().setCurrentIndex(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().blockSignals(False)
        self.terms_form.load(wanted)

    def _on_changed(self, kind: str) -> None:
        self.message.setText("")   # an edit went through: an old refusal no longer applies
        if kind not in (context.PLANS, context.ALL, context.CONVERSIONS):
            return
        known = {p.id: p.name for p in plans.plans(self.ctx.project)}
        name = known.get(self.ctx.plan_id)
        self.terms_title.setText(f"Conversions of <i>{name}</i>: pick one to edit its terms"
                                 if name else "No plan: add one")
        for key in ("duplicate", "rename", "delete", "current"):
            self.buttons[key].setEnabled(bool(known) and not self.ctx.readonly)
        self.buttons["new"].setEnabled(not self.ctx.readonly)
        self._select_current()

    def _refused(self, text: str) -> None:
        self.message.setText(text)
