"""The preview of a fleet CSV import: what each row will do, or every error with its line.

Built with the parsed file and the store's check of it; nothing is written here. Import is
enabled only when no row is refused; the caller applies the rows (one undoable step) when
the dialog is accepted. Tests build it, inspect `model` and `errors`, and call accept().
"""
from __future__ import annotations

import re

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QListWidget, QTableView,
                               QVBoxLayout)

from desktop.model.fleet_csv import ParsedFleet
from desktop.store.fleet_import import PreparedFleet
from desktop.ui.editors.table_model import Column, RecordTableModel
from desktop.ui.editors.view_base import fit_columns, style_table
from desktop.model.formatting import number


def _n(digits=0):
    return lambda v: number(v, "", digits) if v is not None else ""


PREVIEW_COLUMNS = [
    Column("line", "Line", numeric=True),
    Column("site", "Site"),
    Column("model", "Model"),
    Column("count", "Count", fmt=_n(), numeric=True),
    Column("uptime_pct", "Uptime %", fmt=_n(1), numeric=True),
    Column("resale_usd_per_ths", "Resale $/TH", fmt=_n(2), numeric=True),
    Column("change", "What happens"),
]


def preview_rows(prepared: PreparedFleet) -> list[dict]:
    return [{"id": c.line, "line": c.line, "site": c.site, "model": c.model, **c.new, "change": c.describe(),
             "change__tip": c.describe()} for c in prepared.changes]


def _line(error) -> int:
    match = re.match(r"line (\d+)", error.field)
    return int(match.group(1)) if match else 0


SHOWN_NEW_MODELS = 8   # a file with thousands of new models names a few; the table lists them all


def summary(parsed: ParsedFleet, prepared: PreparedFleet) -> str:
    errors = list(parsed.errors) + list(prepared.errors)
    if errors:
        n = len(errors) + parsed.more_errors
        return f"{n} error{'s' if n != 1 else ''}: nothing will be imported. Correct the file and import it again."
    kinds = [c.describe().split(":")[0].split(" (")[0] for c in prepared.changes]
    parts = [f"{kinds.count(k)} {w}" for k, w in (("add", "added"), ("update", "updated"), ("unchanged", "unchanged"))
             if kinds.count(k)]
    text = f"{len(prepared.changes)} rows: " + ", ".join(parts)
    if prepared.new_models:
        shown = ", ".join(m.name for m in prepared.new_models[:SHOWN_NEW_MODELS])
        more = len(prepared.new_models) - SHOWN_NEW_MODELS
        text += f"; {len(prepared.new_models)} new catalog model(s): {shown}" + (f" and {more:,} more" if more > 0 else "")
    return text + "."


class FleetCsvDialog(QDialog):
    def __init__(self, parsed: ParsedFleet, prepared: PreparedFleet, file_name: str, parent=None):
        super().__init__(parent)
        self.setObjectName("fleetCsvDialog")
        self.setWindowTitle(f"Import fleet CSV: {file_name}")
        self.resize(980, 520)
        self.prepared = prepared
        self.error_messages = [str(e) for e in sorted(list(parsed.errors) + list(prepared.errors), key=_line)]
        if parsed.more_errors:
            self.error_messages.append(f"... and {parsed.more_errors} more errors")
        self.summary = QLabel(summary(parsed, prepared))
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.model = RecordTableModel(PREVIEW_COLUMNS, parent=self)
        self.model.set_rows(preview_rows(prepared) if not self.error_messages else [])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        style_table(self.table)
        fit_columns(self.table)
        self.errors = QListWidget()
        self.errors.setObjectName("errors")
        self.errors.addItems(self.error_messages)
        self.errors.setStyleSheet("QListWidget { color: #c62828; }")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.can_import)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        if self.error_messages:
            layout.addWidget(QLabel("Errors (line, column: problem):"))
            layout.addWidget(self.errors, 1)
        else:
            layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    @property
    def can_import(self) -> bool:
        return not self.error_messages and bool(self.prepared.changes)

    def accept(self) -> None:
        if not self.can_import:
            return
        super().accept()
