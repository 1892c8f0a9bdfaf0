"""Right-click menus: the actions of the object under the pointer, as the buttons and menus
already offer them. `attach(view, actions)` gives `view` (a tree, list or table) a menu built
by `actions(index)` -> [(text, callable or None for a separator), ...] at each right-click;
`menu_for(view, index)` builds it without showing it (tests)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMenu

Actions = Callable[[QModelIndex], list]


def menu_for(view, index: QModelIndex, actions: Actions) -> QMenu:
    menu = QMenu(view)
    for entry in actions(index):
        if entry is None:
            menu.addSeparator()
            continue
        text, slot = entry[0], entry[1]
        enabled = entry[2] if len(entry) > 2 else True
        action = menu.addAction(text)
        action.setEnabled(bool(enabled) and slot is not None)
        if slot is not None:
            action.triggered.connect(lambda _=False, s=slot: s())
    return menu


def attach(view, actions: Actions) -> None:
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos) -> None:
        index = view.indexAt(pos)
        if index.isValid() and view.selectionModel() is not None and not view.selectionModel().isSelected(index):
            view.setCurrentIndex(index)   # the menu is about the row under the pointer
        menu = menu_for(view, index, actions)
        if not menu.isEmpty():
            view._context_menu = menu
            menu.popup(view.viewport().mapToGlobal(pos))

    view.customContextMenuRequested.connect(show)
    view._context_actions = actions
