"""File > Import Scenario, Export Scenario, Import Fleet CSV, Import NetBox Device Types, Import NetBox Racks.

The menu handlers ask for files and call the testable halves below them, which take paths:
reading and checking a file runs in the thread pool (desktop.ui.background); the
preview dialogs open without a modal loop (`open()`), and an accepted import is one
undoable step. A refused file is a message naming the file, line and field; nothing stored
changes. The main window holds this controller as `window.imports`.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.model.devicetypes import read_devicetype
from desktop.model.errors import InputError
from desktop.model.fleet_csv import read_fleet_csv
from desktop.model.scenario import read_json_file
from desktop.store import fleet_import
from desktop.store.scenario_export import skipped_conversions
from desktop.store.scenario_import import import_scenario
from desktop.ui import folders
from desktop.ui.save_dialog import ask_save_path
from desktop.ui.editors import edit_ops
from desktop.ui.editors.devicetype_dialog import DeviceTypeDialog
from desktop.ui.editors.fleet_csv_dialog import FleetCsvDialog
from desktop.ui.background import run_in_background

SCENARIO_FILTER = "Scenario files (*.json);;All files (*)"
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
YAML_FILTER = "NetBox device types (*.yaml *.yml);;All files (*)"


def _import_into(scenario_path: str, project_path: str) -> str:
    data = read_json_file(scenario_path)
    import_scenario(data, project_path, overwrite=True, source=f"scenario file {Path(scenario_path).name}").close()
    return project_path


def _netbox_into(folder: str, project_path: str):
    """A new project at `project_path` from the NetBox CSVs in `folder` (desktop.store.netbox_import)."""
    from desktop.model.netbox_csv import read_netbox
    from desktop.store import netbox_import
    from desktop.store.project import create_project

    data = read_netbox([folder])
    target = Path(project_path)
    project = create_project(target, overwrite=True)
    try:
        summary = netbox_import.import_netbox(project, data, folder)
    except BaseException:
        project.close()
        target.unlink(missing_ok=True)
        raise
    project.close()
    return project_path, summary


def _free_to_replace(path: Path) -> bool:
    """No other Rackshift has the project open (its lock file is free, or stale)."""
    from desktop.store import filelock

    lock = filelock.try_lock(path)
    if lock is None:
        return False
    lock.release()
    return True


def _read_devicetypes(paths: list[str]) -> tuple[list, list[InputError]]:
    devices, errors = [], []
    for path in paths:
        try:
            devices.append(read_devicetype(path))
        except InputError as exc:
            errors.append(exc)
    return devices, errors


class _Cancelled(Exception):
    """Raised in a cancelled import's progress callback: its transaction rolls back."""


class ImportActions:
    def __init__(self, window):
        self.window = window
        self.dialog = None        # the last preview dialog opened (tests look at it)
        self.job = None           # the last background job
        self.progress = None      # the progress dialog of a running fleet read or import

    # -- hooks (tests replace them) -------------------------------------------------------------
    def error(self, title: str, exc: BaseException) -> None:
        QMessageBox.critical(self.window, title, str(exc))

    def notify(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10000)

    @property
    def ctx(self):
        return self.window.ctx

    def _writable(self, what: str) -> bool:
        if self.ctx is None:
            return False
        if self.ctx.readonly:
            self.error(what, InputError(str(self.ctx.project.path), "the project is open read-only"))
            return False
        return True

    # -- scenario --------------------------------------------------------------------------------
    def import_scenario(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self.window, "Import scenario", self._folder(), SCENARIO_FILTER)
        folders.remember(source)
        if not source:
            return
        default = str(Path(source).with_suffix(".sqlite"))
        target = ask_save_path(self.window, "New project from the scenario", default,
                               "Rackshift projects (*.sqlite);;All files (*)", ".sqlite")
        if target:
            self.import_scenario_file(source, target)

    def import_scenario_file(self, source: str, target: str):
        """Build the project in the background, then open it. The file dialog already asked
        before replacing an existing file; a refused scenario leaves `target` untouched."""
        if self.window.session is not None and Path(target).resolve() == Path(self.window.session.project.path).resolve():
            self.error("Cannot import the scenario", InputError(target, "is the project open now; choose another file"))
            return None
        if Path(target).exists() and not _free_to_replace(Path(target)):
            self.error("Cannot import the scenario", InputError(target, "is open in another Rackshift; choose another file"))
            return None
        self.notify(f"Importing {Path(source).name}…")
        self.job = run_in_background(lambda _p, _c: _import_into(source, target),
                                     on_result=lambda path: self._scenario_imported(source, path),
                                     on_error=lambda exc: self.error("Cannot import the scenario", exc))
        return self.job

    def _scenario_imported(self, source: str, path: str) -> None:
        if self.window.files.open_path(path):
            self.notify(f"Created {path} from {Path(source).name}")

    def export_scenario(self) -> None:
        if self.ctx is None:
            return
        default = str(Path(self.ctx.project.path).with_suffix(".scenario.json"))
        target = ask_save_path(self.window, "Export scenario", default, SCENARIO_FILTER, ".json")
        if target:
            self.export_scenario_file(target)

    def export_scenario_file(self, target: str) -> bool:
        """Write the scenario of the project and its current plan (desktop.export.scenario_json:
        rounded, validated, atomic, the user's umask)."""
        from desktop.export.scenario_json import write_scenario

        project, plan_id = self.ctx.project, self.ctx.plan_id
        try:
            write_scenario(project, plan_id, target)
        except InputError as exc:
            self.error("Cannot export the scenario", exc)
            return False
        skipped = skipped_conversions(project, plan_id) if plan_id is not None else []
        note = f" ({len(skipped)} conversion(s) without GPU capacity left out)" if skipped else ""
        self.notify(f"Exported the scenario to {target}{note}")
        return True

    # -- NetBox racks ----------------------------------------------------------------------------
    def import_netbox(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Folder of NetBox CSV exports (sites, locations, "
                                                               "racks, devices)", self._folder())
        if not folder:
            return
        target = ask_save_path(self.window, "New project from the NetBox data", str(Path(folder) / "netbox.sqlite"),
                               "Rackshift projects (*.sqlite);;All files (*)", ".sqlite")
        if target:
            self.import_netbox_folder(folder, target)

    def import_netbox_folder(self, folder: str, target: str):
        """Build a new project from NetBox's CSVs in the background, then open it; a refused
        file leaves `target` untouched (the file dialog asked before replacing it)."""
        if self.window.session is not None and Path(target).resolve() == Path(self.window.session.project.path).resolve():
            self.error("Cannot import the NetBox data", InputError(target, "is the project open now; choose another file"))
            return None
        if Path(target).exists() and not _free_to_replace(Path(target)):
            self.error("Cannot import the NetBox data", InputError(target, "is open in another Rackshift; choose another file"))
            return None
        self.notify(f"Importing NetBox data from {folder}…")
        self.job = run_in_background(lambda _p, _c: _netbox_into(folder, target),
                                     on_result=self._netbox_imported,
                                     on_error=lambda exc: self.error("Cannot import the NetBox data", exc))
        return self.job

    def _netbox_imported(self, result) -> None:
        path, summary = result
        self.netbox_summary = summary
        if self.window.files.open_path(path):
            self.notify(f"Created {path}: {summary.sites} site(s), {summary.halls} hall(s), {summary.positions} "
                        f"position(s)" + (f", {summary.gpu_racks} planned GPU rack(s)" if summary.gpu_racks else ""))

    # -- fleet CSV -------------------------------------------------------------------------------
    def import_fleet_csv(self) -> None:
        if not self._writable("Cannot import the fleet"):
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Import fleet CSV", self._folder(), CSV_FILTER)
        folders.remember(path)
        if path:
            self.open_fleet_csv(path)

    def open_fleet_csv(self, path: str):
        """Read, check and prepare the file off the GUI thread (a million rows take seconds, with
        progress and Cancel), then show the preview."""
        self.dialog = None
        project = self.ctx.project

        def work(progress, cancelled):
            parsed = read_fleet_csv(path, progress=lambda f: progress(0.8 * f), cancelled=cancelled)
            prepared = fleet_import.prepare(project, parsed.rows)
            progress(1.0)
            return parsed, prepared

        self.job = run_in_background(work, on_result=lambda result: self._fleet_parsed(path, *result),
                                     on_error=lambda exc: self._fleet_failed("Cannot import the fleet", exc),
                                     on_progress=lambda f: self._show_progress("Reading", path, f))
        self._start_progress(f"Reading {Path(path).name}…")
        return self.job

    # a long fleet import shows its progress in a window-modal dialog (no exec(): no nested loop)
    def _start_progress(self, text: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        self._close_progress()
        dialog = QProgressDialog(text, "Cancel", 0, 1000, self.window)
        dialog.setObjectName("fleetProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)   # no other edit joins the import's transaction
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel_job)
        dialog.setValue(0)
        self.progress = dialog

    def _show_progress(self, what: str, path: str, fraction: float) -> None:
        if getattr(self, "progress", None) is not None:
            self.progress.setValue(int(1000 * max(0.0, min(1.0, fraction))))

    def _close_progress(self) -> None:
        dialog = getattr(self, "progress", None)
        self.progress = None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel_job)
            dialog.close()
            dialog.deleteLater()

    def cancel_job(self) -> None:
        """Cancel: the running read or import stops at its next batch; an import's transaction
        is rolled back, so nothing is stored."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.notify("Fleet import cancelled: nothing was stored")
        self._close_progress()

    def _fleet_failed(self, title: str, exc) -> None:
        self._close_progress()
        self.error(title, exc)

    def _open(self) -> bool:
        """The window still has a project open (a background read may outlive it)."""
        if self.ctx is None:
            return False
        return not self.ctx.project.closed

    def _fleet_parsed(self, path: str, parsed, prepared) -> None:
        self._close_progress()
        if not self._open():
            return
        dialog = FleetCsvDialog(parsed, prepared, Path(path).name, self.window)
        dialog.accepted.connect(lambda: self._apply_fleet(dialog, Path(path).name))
        self.dialog = dialog
        dialog.open()

    def _apply_fleet(self, dialog: FleetCsvDialog, name: str):
        """Write the rows in one transaction off the GUI thread (progress, Cancel rolls it back),
        then push the import as one undoable step."""
        project, prepared = self.ctx.project, dialog.prepared

        def work(progress, cancelled):
            def step(done: int, total: int) -> None:
                if cancelled():
                    raise _Cancelled()
                progress(done / max(total, 1))
            return fleet_import.apply(project, prepared, progress=step)

        self.job = run_in_background(work, on_result=lambda record: self._fleet_applied(record, prepared, name),
                                     on_error=lambda exc: self._fleet_failed("Cannot import the fleet", exc),
                                     on_progress=lambda f: self._show_progress("Importing", name, f))
        self._start_progress(f"Importing {len(prepared.changes):,} fleet rows from {name}…")
        return self.job

    def _fleet_applied(self, record: dict, prepared, name: str) -> None:
        self._close_progress()
        edit_ops.import_fleet(self.ctx, prepared, name, record=record)
        self.notify(f"Imported {len(prepared.changes)} fleet rows from {name} (Edit > Undo takes them back)")

    # -- NetBox device types ---------------------------------------------------------------------
    def import_devicetypes(self) -> None:
        if not self._writable("Cannot import device types"):
            return
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import NetBox device types", self._folder(), YAML_FILTER)
        folders.remember(paths[0] if paths else None)
        if paths:
            self.open_devicetypes(paths)

    def open_devicetypes(self, paths: list[str]):
        self.dialog = None
        self.job = run_in_background(lambda _p, _c: _read_devicetypes(paths), on_result=self._devicetypes_read,
                                     on_error=lambda exc: self.error("Cannot import device types", exc))
        return self.job

    def _devicetypes_read(self, result) -> None:
        if not self._open():
            return
        devices, errors = result
        dialog = DeviceTypeDialog(self.ctx.project, devices, errors, self.window)
        dialog.accepted.connect(lambda: self._apply_devicetypes(dialog))
        self.dialog = dialog
        dialog.open()

    def _apply_devicetypes(self, dialog: DeviceTypeDialog) -> None:
        try:
            edit_ops.import_devicetypes(self.ctx, dialog.entries)
        except InputError as exc:
            self.error("Cannot import device types", exc)
            return
        self.notify(f"Added {len(dialog.entries)} GPU system(s) to the catalog")

    def _folder(self) -> str:
        return self.window.files._folder()
