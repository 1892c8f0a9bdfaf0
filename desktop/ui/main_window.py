"""The main window: the portfolio tree beside the views, menus built from ACTIONS,
a status bar with the file's path, what the last edit did (with Undo after a delete) and
any notice about the file (opened read-only)."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget

from desktop.store import settings
from desktop.ui import context_menus, drops, help, preferences, undo_keys
from desktop.ui.actions import ACTIONS
from desktop.ui.announce import Announcement
from desktop.ui.context import ProjectContext
from desktop.ui.file_actions import FileActions
from desktop.ui.portfolio_tree import PortfolioTree
from desktop.ui.views import VIEWS, LazyViews, load


# Keys a platform may leave without a binding (Quit has none on some Linux desktops).
_FALLBACK_KEYS = {QKeySequence.StandardKey.Quit: "Ctrl+Q"}
# Bindings added on every platform (Ctrl+Y redoes on macOS too).
_EXTRA_KEYS = {QKeySequence.StandardKey.Redo: ("Ctrl+Y",)}


def _key_sequences(shortcut) -> list[QKeySequence]:
    """Every binding of a standard key (Redo is Ctrl+Y and Ctrl+Shift+Z on Linux), else the one given."""
    if isinstance(shortcut, QKeySequence.StandardKey):
        keys = QKeySequence.keyBindings(shortcut)
        if not keys and shortcut in _FALLBACK_KEYS:
            keys = [QKeySequence(_FALLBACK_KEYS[shortcut])]
        for extra in _EXTRA_KEYS.get(shortcut, ()):
            if QKeySequence(extra) not in keys:
                keys.append(QKeySequence(extra))
        return keys
    return [QKeySequence(shortcut)]


class MainWindow(QMainWindow):
    projectOpened = Signal(object)   # the new ProjectContext

    def __init__(self):
        super().__init__()
        self.setObjectName("mainWindow")
        self.resize(1400, 900)
        self.session = None
        self.ctx: ProjectContext | None = None
        self.views: LazyViews | dict = {}
        self.files = FileActions(self)
        self.imports = load("desktop.ui.editors.import_actions:ImportActions")(self)
        self.exports = load("desktop.ui.export_actions:ExportActions")(self)
        self.properties = load("desktop.ui.properties_dialog:PropertiesActions")(self)
        self.actions_by_id: dict[str, QAction] = {}
        self._build_menus()
        undo_keys.install(QApplication.instance())
        self.path_label = QLabel()
        self.path_label.setObjectName("pathLabel")
        self.notice_label = QLabel()
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setStyleSheet("color: #B45309;")
        self.announcement = Announcement()
        self.statusBar().addWidget(self.announcement)
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.notice_label)
        self._restore_geometry()
        self.setWindowTitle("Rackshift")
        self.setAcceptDrops(True)   # a dropped .sqlite opens, a .csv or .yaml starts its import
        self.help_window = None

    # -- menus ---------------------------------------------------------------------
    def _handler(self, name: str):
        owner, _, method = name.partition(".")
        target = {"files": self.files, "window": self}.get(owner) or getattr(self, owner)
        return getattr(target, method)

    def _build_menus(self) -> None:
        menus = {}
        for spec in ACTIONS:
            path = spec.menu.split("/")
            parent = self.menuBar()
            for depth in range(len(path)):
                key = "/".join(path[: depth + 1])
                if key not in menus:
                    menus[key] = parent.addMenu(path[depth] if depth else f"&{path[depth]}")
                parent = menus[key]
            if spec.separator_before:
                parent.addSeparator()
            action = QAction(spec.text, self)
            if spec.shortcut is not None:
                action.setShortcuts(_key_sequences(spec.shortcut))
            action.triggered.connect(partial(self._run_action, spec.handler))
            parent.addAction(action)
            self.actions_by_id[spec.id] = action
            if spec.id == "file.open":
                self.recent_menu = parent.addMenu("Open &Recent")
                self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.menus = menus

    def _run_action(self, handler: str, *_args) -> None:
        self._handler(handler)()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in preferences.get(preferences.RECENT_FILES):
            self.recent_menu.addAction(path, partial(self.files.open_path, path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    # -- the project ---------------------------------------------------------------
    def set_session(self, session) -> None:
        old = self.session
        self.session = session
        self.ctx = ProjectContext(session.project, self)
        self._build_central()
        if old is not None:
            old.close()
        project = session.project
        preferences.add_recent(str(project.path))
        title = settings.project_name(project)
        if title != project.path.stem:  # a name from a scenario or the demo: say which file too
            title = f"{title} ({project.path.name})"
        self.setWindowTitle(f"{title} - Rackshift" + (" [read-only]" if project.readonly else ""))
        self.path_label.setText(str(project.path))
        self.path_label.setToolTip(str(project.path))
        self.notice_label.setText(session.notice or ("read-only" if project.readonly else ""))
        for spec in ACTIONS:   # what writes into the project cannot run on a read-only one
            if spec.needs_writable:
                self.actions_by_id[spec.id].setEnabled(not project.readonly)
        self._follow_undo_stack(self.ctx.undo_stack)
        self.announcement.follow(self.ctx.undo_stack)
        self.ctx.announced.connect(self.announcement.show_text)
        self.projectOpened.emit(self.ctx)

    def _build_central(self) -> None:
        old = self.centralWidget()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree = PortfolioTree(self.ctx)
        self.tree.setMinimumWidth(170)
        context_menus.attach(self.tree, self._tree_actions)
        splitter.addWidget(self.tree)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("viewTabs")
        self.views = LazyViews(self.tabs, self.ctx, VIEWS)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1200])   # the tree needs little; a laptop screen goes to the views
        self.setCentralWidget(splitter)
        if old is not None:
            old.deleteLater()

    def _tree_actions(self, index) -> list:
        """The tree's right-click menu: the site's or the hall's actions."""
        from desktop.ui.portfolio_tree import ID_ROLE, KIND_ROLE

        writable = self.ctx is not None and not self.ctx.readonly
        sites_view = lambda: self.views["Sites"]   # noqa: E731  (built when first asked)

        def show(title):
            self.tabs.setCurrentWidget(self.views[title])

        if not index.isValid():
            return [("Add site", lambda: (show("Sites"), sites_view().add_site()), writable)]
        kind, object_id = index.data(KIND_ROLE), index.data(ID_ROLE)
        if kind == "site":
            return [("Show in Sites", lambda: show("Sites"), True),
                    ("Add hall", lambda: (show("Sites"), sites_view().select(object_id), sites_view().halls.add_hall()),
                     writable),
                    None,
                    ("Delete site…", lambda: (show("Sites"), sites_view().select(object_id), sites_view().delete_site()),
                     writable)]
        return [("Open floor plan", lambda: (show("Floor plan"), self.views["Floor plan"].show_hall(object_id)), True),
                ("Show in Sites", lambda: show("Sites"), True),
                None,
                ("Delete hall…", lambda: (show("Sites"), sites_view().halls.select(object_id),
                                          sites_view().halls.delete_hall()), writable)]

    def _follow_undo_stack(self, stack) -> None:
        """Undo and Redo are enabled when there is a step, and name it ("Undo Change energy price")."""
        undo, redo = self.actions_by_id["edit.undo"], self.actions_by_id["edit.redo"]
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        self._name_undo(stack.undoText())
        self._name_redo(stack.redoText())
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(self._name_undo)   # slots of the window: gone with it
        stack.redoTextChanged.connect(self._name_redo)

    def _name_undo(self, text: str) -> None:
        self.actions_by_id["edit.undo"].setText(f"&Undo {text}" if text else "&Undo")

    def _name_redo(self, text: str) -> None:
        self.actions_by_id["edit.redo"].setText(f"&Redo {text}" if text else "&Redo")

    # -- edit, help ------------------------------------------------------------------
    def undo(self) -> None:
        if self.ctx:
            self.ctx.undo_stack.undo()

    def redo(self) -> None:
        if self.ctx:
            self.ctx.undo_stack.redo()

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About Rackshift",
                          help.about_html(self.ctx.project if self.ctx else None), QMessageBox.StandardButton.Ok, self)
        box.setObjectName("aboutBox")
        box.setTextFormat(Qt.TextFormat.RichText)
        self.help_window = box
        box.open()

    def show_manual(self) -> None:
        self.help_window = help.manual_window(self)
        self.help_window.show()

    def show_shortcuts(self) -> None:
        self.help_window = help.shortcuts_window(self, self.actions_by_id)
        self.help_window.show()

    # -- files dropped on the window -------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if drops.local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = drops.local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        drops.open_dropped(self, paths)

    # -- window state --------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = preferences.get(preferences.GEOMETRY)
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def closeEvent(self, event) -> None:
        preferences.put(preferences.GEOMETRY, self.saveGeometry())
        if self.session is not None:
            self.session.close()
            self.session = None
        super().closeEvent(event)
