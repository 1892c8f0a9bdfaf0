"""File > Export > Plan as PDF…, Tables… and NetBox…: the current plan for management and spreadsheets.

The menu handlers ask for a file or folder and call the testable halves below them, which take
paths. The figures are gathered in the thread pool (desktop.ui.background) on a read-only
connection of the project's own (the store never shares one connection between threads);
the PDF is then painted on the GUI thread a page at a time (QPainter on a QPdfWriter must stay
on one thread, and pyqtgraph charts are widgets), with a QProgressDialog that can cancel. The
tables are written entirely in the worker: they need no Qt. Every file is written atomically;
the GUI asks before replacing tables already in the folder (the PDF's save dialog asks itself).
The main window holds this controller as `window.exports`.
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from desktop.model.errors import InputError
from desktop.ui import folders
from desktop.ui.save_dialog import ask_save_path
from desktop.ui import preferences
from desktop.ui.background import run_in_background

PDF_FILTER = "PDF documents (*.pdf);;All files (*)"


def safe_file_name(name: str) -> str:
    """A plan name as a file name: no path separators or characters Windows refuses."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")
    return cleaned or "plan"


def montecarlo_settings() -> dict:
    """The Monte Carlo the planner set (paths and BTC volatility, the dashboard's preferences), so
    the PDF quotes the run the planner saw."""
    from desktop.ui.dashboard.risk_inputs import mc_options

    options = mc_options()
    return {"mc_paths": preferences.get(preferences.MC_PATHS),
            "btc_volatility_pct_per_year": options.pop("btc_volatility_pct_per_year"), "mc_options": options}


def _gather(project_path: str, plan_id: int, with_risk: bool, prepared_by: str, mc: dict,
            progress, cancelled):
    from desktop.export import report_data
    from desktop.store.project import open_project

    project = open_project(project_path, readonly=True)
    try:
        return report_data.gather(project, plan_id, with_risk=with_risk, prepared_by=prepared_by,
                                  progress=progress, cancelled=cancelled, **mc)
    finally:
        project.close()


class ExportActions(QObject):
    finished = Signal(str, str)      # (kind "pdf" | "tables", what was written)
    failed = Signal(str, str)        # (kind, message)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.progress: QProgressDialog | None = None
        self.task = None
        self.report = None           # the PdfReport being painted
        self.last_pages = 0
        self._asked_author: set[str] = set()   # projects whose author was asked for this session
        self.author_dialog = None

    # -- menu handlers -----------------------------------------------------------------
    def plan_pdf(self) -> None:
        if self._context() is not None:
            self._ask_author_first(self._plan_pdf)

    def tables(self) -> None:
        if self._context() is not None:
            self._ask_author_first(self._tables)

    def _ask_author_first(self, then) -> None:
        """On a project's first export, when it names no author, ask who prepares it (File >
        Properties); the export goes on whatever the answer."""
        from desktop.ui.properties_dialog import PropertiesDialog, prepared_by

        ctx = self.window.ctx
        key = str(ctx.project.path)
        if ctx.readonly or prepared_by(ctx.project) or key in self._asked_author:
            then()
            return
        self._asked_author.add(key)
        dialog = PropertiesDialog(ctx, self.window, first_export=True)
        dialog.finished.connect(lambda _result: then())
        self.author_dialog = dialog
        dialog.open()

    def _plan_pdf(self) -> None:
        ctx = self._context()
        if ctx is None:
            return
        from desktop.store import plans

        plan_name = plans.get(ctx.project, ctx.plan_id).name if ctx.plan_id is not None else "keeping on mining"
        name = safe_file_name(plan_name) + ".pdf"
        path = ask_save_path(self.window, "Export plan as PDF", str(self._folder() / name), PDF_FILTER, ".pdf")
        if not path:
            return
        self.export_pdf(path)

    def _tables(self) -> None:
        ctx = self._context()
        if ctx is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Export the plan's tables to a folder",
                                                  str(self._folder()))
        folders.remember(folder)
        if folder:
            self.export_tables(folder)

    def netbox(self) -> None:
        ctx = self._context()
        if ctx is None:
            return
        folder = QFileDialog.getExistingDirectory(self.window, "Export the plan as NetBox data to a folder",
                                                  str(self._folder()))
        if folder:
            self.export_netbox(folder)

    # -- the testable halves ------------------------------------------------------------
    def export_pdf(self, path: str, page_size: str | None = None) -> None:
        """Gather in the pool, then paint page by page; `finished("pdf", path)` at the end."""
        ctx = self._context()
        if ctx is None:
            return
        if self.busy:
            return
        page_size = page_size or preferences.get(preferences.PAGE_SIZE)
        project_path, plan_id = str(ctx.project.path), ctx.plan_id
        prepared_by = preferences.get(preferences.PREPARED_BY)
        mc = montecarlo_settings()
        self._start_progress("Exporting the plan as PDF…")

        def work(progress, cancelled):
            return _gather(project_path, plan_id, True, prepared_by, mc, lambda f: progress(0.3 * f), cancelled)

        self.task = run_in_background(work, on_result=lambda data: self._paint(data, path, page_size),
                                      on_error=lambda exc: self._fail("pdf", exc), on_progress=self._set_progress)

    def export_tables(self, folder: str, confirm=None) -> bool:
        """Write the CSV files and the workbook into `folder`, asking before replacing files
        (`confirm(existing_paths) -> bool`, a message box by default). False if declined."""
        ctx = self._context()
        if ctx is None or self.busy:
            return False
        from desktop.export import tables

        existing = [p for p in tables.output_paths(folder) if p.exists()]
        if existing and not (confirm or self._confirm_replace)(existing):
            return False
        project_path, plan_id = str(ctx.project.path), ctx.plan_id
        prepared_by = preferences.get(preferences.PREPARED_BY)
        self._start_progress("Exporting the plan's tables…")

        def work(progress, cancelled):
            data = _gather(project_path, plan_id, False, prepared_by, {}, lambda f: progress(0.5 * f), cancelled)
            written = tables.export_tables(data, folder)
            progress(1.0)
            return written

        self.task = run_in_background(work, on_result=lambda written: self._done("tables", folder, written),
                                      on_error=lambda exc: self._fail("tables", exc), on_progress=self._set_progress)
        return True

    def export_netbox(self, folder: str, confirm=None) -> bool:
        """Write the plan's NetBox CSVs and device types into `folder` (desktop.export.netbox_csv),
        asking before replacing files like `export_tables`. False if declined."""
        ctx = self._context()
        if ctx is None or self.busy:
            return False
        from desktop.export import netbox_csv

        existing = [p for p in netbox_csv.output_paths(folder) if p.exists()]
        if existing and not (confirm or self._confirm_replace)(existing):
            return False
        project_path, plan_id = str(ctx.project.path), ctx.plan_id
        self._start_progress("Exporting the plan as NetBox data…")

        def work(progress, cancelled):
            from desktop.store.project import open_project

            project = open_project(project_path, readonly=True)
            try:
                return netbox_csv.export_netbox(project, plan_id, folder)
            finally:
                project.close()

        self.task = run_in_background(work, on_result=lambda written: self._done("netbox", folder, written),
                                      on_error=lambda exc: self._fail("netbox", exc), on_progress=self._set_progress)
        return True

    @property
    def busy(self) -> bool:
        """An export is running (one at a time)."""
        return self.progress is not None

    # -- steps -------------------------------------------------------------------------
    def _paint(self, data, path: str, page_size: str) -> None:
        from desktop.export.pdf_report import PdfReport

        try:
            self.report = PdfReport(data, page_size)
        except InputError as exc:
            self._fail("pdf", exc)
            return
        steps = self.report.steps()

        def step():
            if self.progress is None or self.progress.wasCanceled():
                steps.close()          # ends the painter; nothing is written
                self._cancelled("pdf")
                return
            try:
                fraction = next(steps)
            except StopIteration:
                try:
                    self.report.save(path)
                except InputError as exc:
                    self._fail("pdf", exc)
                    return
                self.last_pages = self.report.page_count
                self._done("pdf", path, [Path(path)])
                return
            except Exception as exc:  # shown to the user, never lost
                self._fail("pdf", exc)
                return
            self._set_progress(0.3 + 0.7 * fraction)   # gathering was the first 30 %
            QTimer.singleShot(0, step)

        QTimer.singleShot(0, step)

    def _start_progress(self, text: str) -> None:
        dialog = QProgressDialog(text, "Cancel", 0, 100, self.window)
        dialog.setWindowTitle("Export")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self._cancel_task)
        self.progress = dialog

    def _cancel_task(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self._cancelled("")

    def _set_progress(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress.setValue(int(round(100 * max(0.0, min(1.0, fraction)))))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, kind: str, where: str, written) -> None:
        self._close_progress()
        pages = f", {self.last_pages} pages" if kind == "pdf" else f", {len(written)} files"
        self.window.statusBar().showMessage(f"Exported {where}{pages}", 10000)
        self.finished.emit(kind, str(where))

    def _cancelled(self, kind: str) -> None:
        self._close_progress()
        self.window.statusBar().showMessage("Export cancelled", 5000)

    def _fail(self, kind: str, exc: BaseException) -> None:
        self._close_progress()
        message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        self.failed.emit(kind, message)
        box = QMessageBox(QMessageBox.Icon.Critical, "Export failed", message, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _confirm_replace(self, existing: list[Path]) -> bool:
        if len(existing) == 1:
            text = f"{existing[0].name} already exists. Replace it?"
        else:
            names = "\n".join(p.name for p in existing)
            text = f"The folder already has:\n{names}\n\nReplace them?"
        answer = QMessageBox.question(self.window, "Replace files?", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _context(self):
        ctx = self.window.ctx
        if ctx is None:     # a project without a plan exports its baseline (keeping on mining)
            QMessageBox.information(self.window, "Export", "Open a project first.")
            return None
        return ctx

    def _folder(self) -> Path:
        return folders.start_folder()   # Documents, then the last folder used (never the demo's data folder)

