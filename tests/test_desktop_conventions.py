"""Desktop conventions: the Help menu (offline manual, shortcut list, About with versions),
drag and drop of project, fleet and device-type files, file dialogs that start in Documents
and then the last folder used."""
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from desktop.ui import drops, folders, preferences


def test_help_menu_has_manual_shortcuts_and_about(main_window):
    menu = main_window.menus["Help"]
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == ["&User Manual", "&Keyboard Shortcuts", "&About Rackshift"]
    main_window.show_manual()
    manual = main_window.help_window
    text = manual.browser.toPlainText()
    assert "Rackshift user manual" in text and "Floor plan" in text and "needs no network" in text
    assert "Build (Linux)" not in text                     # the installer's chapters stay out
    manual.close()
    main_window.show_shortcuts()
    keys = main_window.help_window.browser.toPlainText()
    assert "Ctrl+Z" in keys and "Ctrl+Y" in keys and "Undo" in keys and "Ctrl+mouse wheel" in keys
    main_window.help_window.close()
    main_window.about()
    about = main_window.help_window.text()
    assert "PySide6" in about and "pyqtgraph" in about and "SQLite" in about
    assert "Project file schema" in about
    main_window.help_window.close()


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    return event


def test_dropping_files(main_window, tmp_path, monkeypatch, demo_path):
    opened, fleet, types = [], [], []
    monkeypatch.setattr(main_window.files, "open_path", lambda p, readonly=False: opened.append(p) or True)
    monkeypatch.setattr(main_window.imports, "open_fleet_csv", lambda p: fleet.append(p))
    monkeypatch.setattr(main_window.imports, "open_devicetypes", lambda ps: types.append(ps))
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"")
    _drop(main_window, [other])
    assert opened == [str(other)]
    csv = tmp_path / "fleet.csv"
    csv.write_text("site,model,count\n")
    _drop(main_window, [csv])
    assert fleet == [str(csv)]
    yamls = [tmp_path / "a.yaml", tmp_path / "b.yml"]
    for y in yamls:
        y.write_text("model: x\n")
    _drop(main_window, yamls)
    assert types == [[str(y) for y in yamls]]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt")), QUrl("https://example.com/x.csv")])
    assert drops.local_paths(mime) == []                    # not ours, and nothing from the web


def test_dropping_really_imports_a_fleet_csv(main_window, qtbot, tmp_path):
    csv = tmp_path / "fleet.csv"
    csv.write_text("site,model,count\nWolf Creek,Antminer S21,10\n")
    _drop(main_window, [csv])
    qtbot.waitUntil(lambda: getattr(main_window.imports, "dialog", None) is not None, timeout=10000)
    assert main_window.imports.dialog.isVisible()
    main_window.imports.dialog.close()


def test_dialogs_start_in_documents_then_the_last_folder(main_window, tmp_path):
    from PySide6.QtCore import QStandardPaths

    preferences.put(preferences.LAST_FOLDER, "")           # (QSettings may carry another test's folder)
    start = folders.start_folder()
    assert start == folders.documents()
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folders.remember(data / "demo-portfolio.sqlite")        # the hidden data folder is never offered
    assert folders.start_folder() == folders.documents()
    chosen = tmp_path / "plans"
    chosen.mkdir()
    folders.remember(chosen / "q3.pdf")
    assert folders.start_folder() == chosen
    assert preferences.get(preferences.LAST_FOLDER) == str(chosen)
    assert main_window.files._folder() == str(chosen)
    assert main_window.exports._folder() == chosen
