"""The portfolio tree (sites > halls) beside the views."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QStyle, QTreeView

from desktop.store import hall_load, halls, sites
from desktop.ui import context as kinds

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


class PortfolioTree(QTreeView):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("portfolioTree")
        self.model_ = QStandardItemModel(self)
        self.model_.setHorizontalHeaderLabels(["Portfolio"])
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.selectionModel().currentChanged.connect(self._current_changed)
        ctx.changed.connect(self._on_changed)
        self.reload()

    def _on_changed(self, kind: str) -> None:
        if kind in (kinds.SITES, kinds.HALLS, kinds.ALL, kinds.POSITIONS):
            self.reload()

    def reload(self) -> None:
        current = self.current()
        self.model_.clear()
        root = self.model_.invisibleRootItem()
        over = hall_load.over_limit(self.ctx.project)   # halls whose limits are below their miners' draw
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for site in sites.sites(self.ctx.project):
            site_item = QStandardItem(site.name)
            site_item.setData("site", KIND_ROLE)
            site_item.setData(site.id, ID_ROLE)
            site_item.setToolTip(f"{site.location}\n{site.grid_capacity_mw:g} MW grid")
            for hall in halls.halls(self.ctx.project, site.id):
                item = QStandardItem(hall.name)
                item.setData("hall", KIND_ROLE)
                item.setData(hall.id, ID_ROLE)
                item.setToolTip(f"{hall.cooling}, {hall.rows} x {hall.cols} positions")
                if hall.id in over:
                    item.setIcon(warn)
                    item.setForeground(QBrush(QColor("#B45309")))
                    item.setToolTip(f"{hall.name}: " + "; ".join(over[hall.id]))
                site_item.appendRow(item)
            root.appendRow(site_item)
        self.expandAll()
        if current is not None:
            self.select(*current)

    def current(self) -> tuple[str, int] | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return index.data(KIND_ROLE), index.data(ID_ROLE)

    def select(self, kind: str, object_id: int) -> bool:
        matches = self.model_.match(self.model_.index(0, 0), ID_ROLE, object_id, -1,
                                    Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        for index in matches:
            if index.data(KIND_ROLE) == kind:
                self.setCurrentIndex(index)
                return True
        return False

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.ctx.selectionChanged.emit(current.data(KIND_ROLE), current.data(ID_ROLE))
