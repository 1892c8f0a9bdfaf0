"""The store's own refusals, so no caller outside desktop/store handles sqlite-utils' exceptions."""
from __future__ import annotations

from desktop.model.errors import InputError

_WHAT = {"sites": "site", "halls": "hall", "plans": "plan", "conversions": "conversion",
         "equipment_models": "catalog model", "fleet": "fleet entry", "positions": "position"}


class NotFound(InputError):
    """A row that is not, or no longer, in the project file (deleted by an edit, or a stale id)."""

    def __init__(self, table: str, row_id):
        super().__init__(_WHAT.get(table, table), f"no {_WHAT.get(table, table)} with id {row_id} in this project "
                                                   f"(it may have been deleted)")
        self.table, self.row_id = table, row_id
