"""Start a conversion's terms from a public deal (resources/deals/deals.json, desktop.model.deals).

`apply_deal(ctx, conversion_id, deal)` writes every term the deal sets as one undoable edit and
remembers which deal the conversion's terms came from (desktop.store.deal_terms, read by the
PDF's deal words). `DealLibraryDialog` lists the deals with what was published,
what is derived and the sources; "Apply" fills the selected conversion.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QTextBrowser, QVBoxLayout)

from desktop.model import deals as deal_rules
from desktop.model.errors import InputError
from desktop.store import plans
from desktop.store.deal_terms import deal_of, deal_terms, write_deal_terms
from desktop.ui import context
from desktop.ui.commands import push_edit

def apply_deal(ctx, conversion_id: int, deal: deal_rules.Deal) -> dict:
    """Fill the conversion's terms from `deal` in one undo step; returns the fields written."""
    project = ctx.project
    conv = plans.get_conversion(project, conversion_id)
    new = deal_terms(project, conv, deal)
    old = {key: getattr(conv, key) for key in new}
    old_deal = deal_of(project, conversion_id)

    push_edit(ctx, f"Terms of {conv.label or 'conversion'} from {deal.name}",
              lambda: write_deal_terms(project, conversion_id, new, deal.id),
              lambda: write_deal_terms(project, conversion_id, old, old_deal), context.CONVERSIONS)
    return new


def describe(deal: deal_rules.Deal) -> str:
    """The deal as the dialog shows it (HTML)."""
    sources = "".join(f"<li><a href='{s['url']}'>{s['title']}</a></li>" for s in deal.sources)
    return (f"<b>{deal.name}</b><p>{deal_rules.summary(deal)}</p><p style='color:#4B5563'>{deal.notes}</p>"
            f"<p><b>Sources</b></p><ul>{sources}</ul>")


class DealLibraryDialog(QDialog):
    """The library; Apply fills conversion `conversion_id` (None: nothing to fill)."""

    def __init__(self, ctx, conversion_id: int | None, parent=None, library: list | None = None):
        super().__init__(parent)
        self.ctx, self.conversion_id = ctx, conversion_id
        self.setWindowTitle("Start from a public deal")
        self.setObjectName("dealLibrary")
        self.deals = library if library is not None else deal_rules.load_deals()
        self.list = QListWidget()
        self.list.setObjectName("dealList")
        for deal in self.deals:
            item = QListWidgetItem(deal.name)
            item.setData(Qt.ItemDataRole.UserRole, deal.id)
            self.list.addItem(item)
        self.text = QTextBrowser()
        self.text.setObjectName("dealText")
        self.text.setOpenExternalLinks(False)   # offline: the link is shown, not followed
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B91C1C;")
        target = "No conversion selected: pick one in the table first." if conversion_id is None else \
            f"Apply fills the terms of {plans.get_conversion(ctx.project, conversion_id).label or 'the conversion'} " \
            "(scaled to its critical IT), in one step you can undo."
        hint = QLabel(target)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyDeal")
        self.apply_button.setEnabled(conversion_id is not None and not ctx.readonly)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list, 2)
        body.addWidget(self.text, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.list.setCurrentRow(0)
        self.resize(820, 440)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.deals):
            self.text.setHtml(describe(self.deals[row]))

    def current_deal(self) -> deal_rules.Deal:
        return self.deals[max(self.list.currentRow(), 0)]

    def choose(self, deal_id: str) -> None:
        ids = [d.id for d in self.deals]
        self.list.setCurrentRow(ids.index(deal_id))

    def apply(self) -> bool:
        if self.conversion_id is None:
            return False
        try:
            apply_deal(self.ctx, self.conversion_id, self.current_deal())
        except InputError as exc:
            self.message.setText(f"{exc.field}: {exc.message}")
            return False
        self.accept()
        return True
