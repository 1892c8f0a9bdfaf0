"""Unexpected errors: a dialog with the details, a report to copy, a log file; work goes on.

`install(window)` routes every exception that escapes a slot, an event handler, a Python
thread or a pool worker (`sys.excepthook`, `threading.excepthook`) to a `CrashReporter`:
1. the report (time, versions, platform, the open project, the traceback) is written to
   `<AppLocalDataLocation>/logs/rackshift-error-<time>-<pid>.log` (the newest 50 are kept)
   and printed on stderr;
2. on the GUI thread, a transaction left open outside the store's atomic block is rolled back
   (an edit is all or nothing: every completed edit is already committed to the file), and
   the views are told to re-read the project (`ctx.notify("all")`);
3. a non-modal `CrashDialog` shows what happened, with "Copy report" and the log's path.
   More errors while it is open are added to it rather than opening more dialogs.
The window, its project and its undo stack stay as they are: the planner keeps working.
"""
from __future__ import annotations

import datetime
import os
import platform
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton,
                               QVBoxLayout)

from desktop import __version__

KEEP_LOGS = 50


def log_dir() -> Path:
    """The user's log folder: `logs` in the application's local data folder."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".rackshift") / "logs"


def build_report(exc_type, exc, tb, window=None) -> str:
    import PySide6

    project = getattr(getattr(window, "ctx", None), "project", None)
    where = "none open" if project is None else f"{project.path}" + (" (read-only)" if project.readonly else "")
    lines = [
        f"Rackshift {__version__} error report",
        f"time: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"python: {platform.python_version()}  PySide6: {PySide6.__version__}  "
        f"platform: {platform.platform()}  thread: {threading.current_thread().name}",
        f"project: {where}",
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(),
    ]
    return "\n".join(lines) + "\n"


def write_log(report: str, folder: Path | None = None) -> Path | None:
    """Write the report to a new file in the log folder; None if it cannot be written."""
    folder = folder or log_dir()
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"rackshift-error-{stamp}-{os.getpid()}.log"
        path.write_text(report, encoding="utf-8")
        for old in sorted(folder.glob("rackshift-error-*.log"))[:-KEEP_LOGS]:
            old.unlink(missing_ok=True)
        return path
    except OSError:
        return None


class CrashDialog(QDialog):
    """Non-modal: what went wrong, that the work is safe, the report and where it was logged."""

    def __init__(self, report: str, log_path: str, parent=None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("Rackshift: unexpected error")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.errors = 0
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log_label = QLabel()
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.log_label)
        layout.addWidget(buttons)
        self.resize(760, 460)
        self.add_report(report, log_path)

    def add_report(self, report: str, log_path: str) -> None:
        self.errors += 1
        last = report.rstrip().splitlines()[-1] if report.strip() else "unknown error"
        more = f" ({self.errors} errors since this window opened.)" if self.errors > 1 else ""
        self.summary.setText(
            f"<b>Something went wrong:</b> {_escape(last)}<br>Your project is safe: every edit that completed "
            f"is saved in the project file, and an edit the error interrupted was not saved at all (an edit "
            f"is saved whole or not at all). You can keep working; if it happens again, copy the report "
            f"and send it to support.{more}")
        text = self.details.toPlainText()
        self.details.setPlainText((text + "\n" + "-" * 72 + "\n" if text else "") + report)
        self.log_label.setText(f"Written to {log_path}" if log_path else "The report could not be written to a log file.")

    def report_text(self) -> str:
        return self.details.toPlainText()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CrashReporter(QObject):
    """Writes, recovers and shows; `handle` may be called from any thread."""
    reported = Signal(str, str)   # report, log path: queued to the GUI thread

    def __init__(self, window=None, dialog_factory=CrashDialog, log_folder: Path | None = None):
        super().__init__()
        self.window = window
        self.dialog_factory = dialog_factory
        self.log_folder = log_folder
        self.dialog = None
        self.last_log: Path | None = None
        self._busy = threading.local()
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def handle(self, exc_type, exc, tb) -> None:
        if getattr(self._busy, "on", False):  # an error while reporting one: stderr only
            traceback.print_exception(exc_type, exc, tb)
            return
        self._busy.on = True
        try:
            report = build_report(exc_type, exc, tb, self.window)
            sys.stderr.write(report)
            self.last_log = write_log(report, self.log_folder)
            self.reported.emit(report, str(self.last_log or ""))
        except Exception:  # never let the reporter take the program down
            traceback.print_exception(exc_type, exc, tb)
        finally:
            self._busy.on = False

    @Slot(str, str)
    def _show(self, report: str, log_path: str) -> None:
        self._recover()
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report, log_path)
            return
        self.dialog = self.dialog_factory(report, log_path, self.window)
        self.dialog.show()

    def _recover(self) -> None:
        ctx = getattr(self.window, "ctx", None)
        if ctx is None:
            return
        try:
            if not ctx.project.readonly:
                ctx.project.roll_back_stray_transaction()
            ctx.notify("all")
        except Exception:
            traceback.print_exc()


_installed: dict = {}


def install(window=None, **options) -> CrashReporter:
    """Report unexpected errors for `window` from now on (see the module docstring)."""
    if QApplication.instance() is None:
        raise RuntimeError("create the QApplication first")
    uninstall()
    reporter = CrashReporter(window, **options)
    _installed.update(reporter=reporter, excepthook=sys.excepthook, threading=threading.excepthook)

    def excepthook(exc_type, exc, tb):
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            _installed["excepthook"](exc_type, exc, tb)
        else:
            reporter.handle(exc_type, exc, tb)

    def thread_hook(args):
        if args.exc_type is not SystemExit:
            reporter.handle(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    return reporter


def uninstall() -> None:
    if _installed:
        sys.excepthook = _installed.pop("excepthook")
        threading.excepthook = _installed.pop("threading")
        _installed.pop("reporter").deleteLater()
