"""The main window on the demo: tree, summary, status bar, menus, recent files, geometry."""
from PySide6.QtCore import QSettings

from desktop.store import sites
from desktop.ui import preferences


def test_tree_lists_sites_and_halls(main_window):
    tree = main_window.tree.model_
    names = [tree.item(r).text() for r in range(tree.rowCount())]
    assert names == [s.name for s in sites.sites(main_window.ctx.project)]
    red_mesa = tree.item(0)
    assert [red_mesa.child(i).text() for i in range(red_mesa.rowCount())] == ["Hall A", "Hall B", "Hall C", "Hall D", "Hall E"]


def test_summary_follows_the_selection(main_window, qtbot):
    site = sites.by_name(main_window.ctx.project, "Lac Bleu")
    assert main_window.tree.select("site", site.id)
    text = main_window.views["Summary"].toPlainText()
    assert "Lac Bleu" in text and "60.0 MW" in text and "Antminer S21 XP Hydro" in text
    assert "Rack positions used / free" in text


def test_status_bar_and_recent_files(main_window):
    path = str(main_window.ctx.project.path)
    assert path in main_window.path_label.text()
    assert "schema" not in main_window.path_label.text()   # the schema is in About, not the status bar
    assert preferences.get(preferences.RECENT_FILES)[0] == path


def test_menus_have_standard_shortcuts(main_window):
    actions = main_window.actions_by_id
    assert actions["file.open"].shortcut().toString() == "Ctrl+O"
    assert actions["file.new"].shortcut().toString() == "Ctrl+N"
    assert actions["edit.undo"].shortcut().toString() == "Ctrl+Z"


def test_geometry_persists(main_window):
    main_window.resize(1111, 777)
    main_window.close()
    assert not preferences.get(preferences.GEOMETRY).isEmpty()


def test_second_window_opens_read_only(main_window, qtbot):
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import open_session

    other = MainWindow()
    qtbot.addWidget(other)
    session = open_session(main_window.ctx.project.path)
    assert session.project.readonly and "read-only" in session.notice
    other.set_session(session)
    assert "read-only" in other.windowTitle()
    assert other.notice_label.text() == session.notice          # its own label: never over the path
    assert other.path_label.text() == str(session.project.path)
    other.close()


def test_open_bad_file_shows_message_and_keeps_project(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    before = main_window.ctx.project.path
    assert not main_window.files.open_path(bad)
    assert shown and "not an SQLite file" in shown[0]
    assert main_window.ctx.project.path == before
    assert bad.read_text() == "not a database"


def test_save_as_opens_the_copy(main_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "copy.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    main_window.files.save_as()
    assert main_window.ctx.project.path == target.resolve()
    assert len(sites.sites(main_window.ctx.project)) == 3


def test_self_test_passes(tmp_path):
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "desktop", "--self-test", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    report = json.loads((tmp_path / "selftest.json").read_text())
    assert out.returncode == 0, report
    assert report["ok"] and report["sites"] == ["Red Mesa", "Lac Bleu", "Wolf Creek"]
    for shot in report["screenshots"]:
        assert (tmp_path / shot).stat().st_size > 10_000
    import shutil

    if shutil.which("pdftoppm"):       # every PDF page as a PNG for a reviewer to look at
        images = report["export"]["pdf_page_images"]
        assert len(images) == report["export"]["pdf_pages"]
        assert all((tmp_path / name).stat().st_size > 5_000 for name in images)


def test_report_font_ships_with_rackshift(qapp):
    """DejaVu Sans comes from resources/fonts, so Arabic names draw on a machine without it."""
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    from desktop.app import make_application

    make_application()
    assert "DejaVu Sans" in QFontDatabase.families()
    assert QFontMetrics(QFont("DejaVu Sans")).inFontUcs4(0x0645)


def test_views_are_built_when_first_shown(main_window, qtbot):
    """Start-up builds the Summary only; a view built later follows the tree's selection."""
    from desktop.store import halls

    views = main_window.views
    assert views.built() == ["Summary"]
    assert main_window.tabs.count() == len(views)
    red_mesa = sites.by_name(main_window.ctx.project, "Red Mesa")
    hall_c = halls.by_name(main_window.ctx.project, red_mesa.id, "Hall C")
    assert main_window.tree.select("hall", hall_c.id)
    main_window.tabs.setCurrentIndex(list(views).index("Floor plan"))
    floor = views["Floor plan"]
    assert main_window.tabs.currentWidget() is floor
    assert floor.hall_id == hall_c.id
    assert "Floor plan" in views.built() and "Dashboard" not in views.built()


def test_redo_has_every_platform_binding_and_quit_has_a_key(main_window):
    """Ctrl+Shift+Z redoes on Linux (not only Ctrl+Y); Quit has Ctrl+Q where the platform gives none."""
    from PySide6.QtGui import QKeySequence

    redo = [k.toString() for k in main_window.actions_by_id["edit.redo"].shortcuts()]
    assert "Ctrl+Shift+Z" in redo and "Ctrl+Y" in redo
    assert main_window.actions_by_id["file.quit"].shortcuts()
    assert main_window.actions_by_id["edit.undo"].shortcut() == QKeySequence("Ctrl+Z")


def test_title_names_the_file_when_the_project_name_differs(main_window, tmp_path):
    """Two projects from one scenario carry its name: the title also says which file is open."""
    from desktop.store import settings

    path = main_window.ctx.project.path
    name = settings.project_name(main_window.ctx.project)
    assert name != path.stem
    assert main_window.windowTitle() == f"{name} ({path.name}) - Rackshift"
    from desktop.ui.session import new_session

    main_window.set_session(new_session(tmp_path / "prairie.sqlite"))
    assert main_window.windowTitle() == "prairie - Rackshift"


def test_a_late_view_does_not_move_the_others(main_window, qtbot):
    """Building a view tells only that view the tree's selection."""
    from desktop.store import halls

    project = main_window.ctx.project
    red_mesa = sites.by_name(project, "Red Mesa")
    hall_a = halls.by_name(project, red_mesa.id, "Hall A")
    hall_b = halls.by_name(project, red_mesa.id, "Hall B")
    assert main_window.tree.select("hall", hall_a.id)
    floor = main_window.views["Floor plan"]
    assert floor.hall_id == hall_a.id
    floor.show_hall(hall_b.id)          # picked in the floor plan's own box
    main_window.views["Sites"]          # another view built later
    assert floor.hall_id == hall_b.id
