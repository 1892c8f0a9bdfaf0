"""Menu actions as data: text, shortcut and the name of the handler on the window's
controllers. The main window only builds menus from this list; later features add rows."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

StdKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str
    menu: str                    # "File", "File/Export", "Edit", ...
    text: str
    handler: str                 # "controller.method" on the main window
    shortcut: object = None      # a StandardKey or a string like "Ctrl+Shift+E"
    separator_before: bool = False
    needs_writable: bool = False   # disabled while the project is open read-only


ACTIONS: list[ActionSpec] = [
    ActionSpec("file.new", "File", "&New…", "files.new_project", StdKey.New),
    ActionSpec("file.open", "File", "&Open…", "files.open_dialog", StdKey.Open),
    ActionSpec("file.save_as", "File", "Save &As…", "files.save_as", StdKey.SaveAs),
    ActionSpec("file.import_scenario", "File", "&Import Scenario…", "imports.import_scenario", separator_before=True),
    ActionSpec("file.import_fleet_csv", "File", "Import &Fleet CSV…", "imports.import_fleet_csv", needs_writable=True),
    ActionSpec("file.import_devicetypes", "File", "Import NetBox &Device Types…", "imports.import_devicetypes", needs_writable=True),
    ActionSpec("file.import_netbox", "File", "Import NetBox Rac&ks…", "imports.import_netbox"),
    ActionSpec("file.export_scenario", "File", "&Export Scenario…", "imports.export_scenario"),
    ActionSpec("file.export_pdf", "File/Export", "Plan as &PDF…", "exports.plan_pdf"),
    ActionSpec("file.export_tables", "File/Export", "Plan &Tables (CSV, XLSX)…", "exports.tables"),
    ActionSpec("file.export_netbox", "File/Export", "&NetBox…", "exports.netbox"),
    ActionSpec("file.properties", "File", "P&roperties…", "properties.edit", separator_before=True),
    ActionSpec("file.quit", "File", "&Quit", "window.close", StdKey.Quit, separator_before=True),
    ActionSpec("edit.undo", "Edit", "&Undo", "window.undo", StdKey.Undo),
    ActionSpec("edit.redo", "Edit", "&Redo", "window.redo", StdKey.Redo),
    ActionSpec("help.manual", "Help", "&User Manual", "window.show_manual", StdKey.HelpContents),
    ActionSpec("help.shortcuts", "Help", "&Keyboard Shortcuts", "window.show_shortcuts"),
    ActionSpec("help.about", "Help", "&About Rackshift", "window.about", separator_before=True),
]
