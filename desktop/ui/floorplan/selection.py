"""The floor plan's selection: a boolean mask over the hall's positions (numpy, no Qt).

Modes say how picked positions combine with what is selected: REPLACE (a plain click or
drag), ADD (shift), TOGGLE (ctrl/cmd click).
"""
from __future__ import annotations

import numpy as np

from desktop.model.floorgrid import ROLE_NONE

REPLACE, ADD, TOGGLE = "replace", "add", "toggle"


class Selection:
    def __init__(self, n: int = 0):
        self.mask = np.zeros(n, dtype=bool)
        self.anchor: int | None = None   # the last position clicked, for shift-click blocks

    def reset(self, n: int) -> None:
        self.mask = np.zeros(n, dtype=bool)
        self.anchor = None

    def pick(self, indices, mode: str = REPLACE) -> None:
        indices = np.asarray(indices, dtype=np.int64)
        if mode == REPLACE:
            self.mask[:] = False
            self.mask[indices] = True
        elif mode == ADD:
            self.mask[indices] = True
        elif mode == TOGGLE:
            self.mask[indices] = ~self.mask[indices]
        else:
            raise ValueError(mode)

    def clear(self) -> None:
        self.mask[:] = False

    def indices(self) -> np.ndarray:
        return np.nonzero(self.mask)[0]

    def __len__(self) -> int:
        return int(self.mask.sum())

    def keep_ids(self, old_ids: np.ndarray, new_ids: np.ndarray) -> None:
        """Carry the selection over to a reloaded table, by position id."""
        chosen = old_ids[self.mask] if len(self.mask) == len(old_ids) else np.zeros(0, dtype=np.int64)
        self.mask = np.isin(new_ids, chosen)
        self.anchor = None


def whole_rows(mask: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions in the rows that have a selected position."""
    return np.nonzero(np.isin(rows, np.unique(rows[mask])))[0]


def by_key(keys: np.ndarray, key: int) -> np.ndarray:
    return np.nonzero(keys == key)[0]


def convertible(indices: np.ndarray, role: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split a selection into positions a conversion can take and those already converted."""
    free = role[indices] == ROLE_NONE
    return indices[free], indices[~free]
