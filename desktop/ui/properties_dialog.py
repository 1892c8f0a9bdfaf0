"""File > Properties…: the project's name and who prepares its reports, stored in the project.

"Prepared by" is printed on the PDF's cover and footer and in the XLSX's metadata; it lives
in the project file (settings `prepared_by`), so a colleague who opens the file exports it
with the same name. The first export of a project that has none asks for it with this dialog
(`ask_prepared_by`). Saving is one undoable edit; a read-only project shows the values only.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from desktop.model.errors import InputError
from desktop.store import settings
from desktop.ui.commands import push_edit
from desktop.ui.context import ASSUMPTIONS

MAX_CHARS = 200


def prepared_by(project) -> str:
    return str(settings.get(project, "prepared_by", "") or "")


def check_properties(name: str, author: str) -> tuple[str, str]:
    """The values as stored: stripped; a name is required, both at most MAX_CHARS."""
    name, author = name.strip(), author.strip()
    if not name:
        raise InputError("project name", "must not be empty")
    for field, value in (("project name", name), ("prepared by", author)):
        if len(value) > MAX_CHARS:
            raise InputError(field, f"must be at most {MAX_CHARS} characters")
    return name, author


def save_properties(ctx, name: str, author: str) -> None:
    """One undoable edit of the project's name and author."""
    project = ctx.project
    name, author = check_properties(name, author)
    old = (settings.project_name(project), prepared_by(project))
    if (name, author) == old:
        return

    def put(values):
        settings.put(project, "project_name", values[0])
        settings.put(project, "prepared_by", values[1])
    push_edit(ctx, "Edit project properties", lambda: put((name, author)), lambda: put(old), ASSUMPTIONS)


class PropertiesDialog(QDialog):
    def __init__(self, ctx, parent=None, first_export: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Project properties")
        layout = QVBoxLayout(self)
        if first_export:
            intro = QLabel("Reports print who prepared them. Who is preparing this one? The name is kept in the "
                           "project for every later export.")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(settings.project_name(ctx.project))
        self.author = QLineEdit(prepared_by(ctx.project))
        self.author.setPlaceholderText("your name and role, e.g. Dana Reyes, Head of Finance")
        for edit in (self.name, self.author):
            edit.setMaxLength(MAX_CHARS)
            edit.setMinimumWidth(320)
        form.addRow("Project name", self.name)
        form.addRow("Prepared by", self.author)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #B91C1C")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout.addWidget(buttons)
        if ctx.readonly:
            for edit in (self.name, self.author):
                edit.setReadOnly(True)
            self.error.setText("The project is open read-only: the properties cannot be changed.")
        if first_export:
            self.author.setFocus()

    def accept(self) -> None:
        if self.ctx.readonly:
            super().reject()
            return
        try:
            save_properties(self.ctx, self.name.text(), self.author.text())
        except InputError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


class PropertiesActions:
    """The File > Properties… handler (`window.properties.edit`)."""

    def __init__(self, window):
        self.window = window

    def edit(self) -> None:
        ctx = self.window.ctx
        if ctx is None:
            return
        dialog = PropertiesDialog(ctx, self.window)
        dialog.open()
        self.dialog = dialog
