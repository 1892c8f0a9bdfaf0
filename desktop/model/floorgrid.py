"""Rack positions on a hall's floor grid: labels (`A01`), specs (`A01-A40,C05`), and the
position table the floor plan and the conversion rules work on. No Qt."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from desktop.model.errors import InputError

ROLE_NONE, ROLE_GPU, ROLE_RETIRED = 0, 1, 2


def row_letters(row: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet style)."""
    out = ""
    row += 1
    while row:
        row, rem = divmod(row - 1, 26)
        out = chr(65 + rem) + out
    return out


def position_label(row: int, col: int, cols: int) -> str:
    width = max(2, len(str(cols)))
    return f"{row_letters(row)}{col + 1:0{width}d}"


_LABEL = re.compile(r"^([A-Z]+)(\d+)$")


def parse_label(label: str) -> tuple[int, int]:
    m = _LABEL.match(label.strip().upper())
    if not m:
        raise InputError("positions", f"{label!r} is not a position label such as A01")
    letters, digits = m.groups()
    row = 0
    for ch in letters:
        row = row * 26 + (ord(ch) - 64)
    return row - 1, int(digits) - 1


@dataclass
class PositionTable:
    """The positions of one hall (or several), column-wise, with a plan's overlay."""

    ids: np.ndarray                 # int64 position ids
    hall_ids: np.ndarray            # int64
    rows: np.ndarray                # int32
    cols: np.ndarray                # int32
    labels: list[str]
    model_ids: np.ndarray           # int64, -1 for an empty position
    unit_counts: np.ndarray         # int32: miners (asic) or racks (gpu)
    role: np.ndarray = field(default=None)          # ROLE_* from the current plan
    conversion_ids: np.ndarray = field(default=None)  # int64, -1 where not converted
    gpu_model_ids: np.ndarray = field(default=None)   # int64, -1 where no GPU rack

    def __post_init__(self):
        n = len(self.ids)
        if self.role is None:
            self.role = np.zeros(n, dtype=np.int8)
        if self.conversion_ids is None:
            self.conversion_ids = np.full(n, -1, dtype=np.int64)
        if self.gpu_model_ids is None:
            self.gpu_model_ids = np.full(n, -1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self) -> dict[int, int]:
        return {int(pid): i for i, pid in enumerate(self.ids)}

    def select_spec(self, spec: str) -> np.ndarray:
        """Indices of positions named by `all` or labels and ranges (`A01-A40,C05`).

        A range walks the grid row by row from its first label to its last, like a
        reading order, so `A38-B02` takes the end of row A and the start of row B.
        """
        spec = spec.strip()
        if not spec:
            raise InputError("positions", "no positions given")
        if spec.lower() == "all":
            return np.arange(len(self.ids))
        by_label = {label.upper(): i for i, label in enumerate(self.labels)}
        ncols = int(self.cols.max()) + 1 if len(self.cols) else 1
        order = self.rows.astype(np.int64) * ncols + self.cols
        chosen: list[np.ndarray] = []
        for part in spec.split(","):
            part = part.strip()
            if not part:
                continue
            ends = [p.strip().upper() for p in part.split("-")]
            if len(ends) > 2:
                raise InputError("positions", f"{part!r} is not a label or a range such as A01-A40")
            for end in ends:
                parse_label(end)
                if end not in by_label:
                    raise InputError("positions", f"no position {end} in this hall")
            if len(ends) == 1:
                chosen.append(np.array([by_label[ends[0]]]))
            else:
                lo, hi = sorted((order[by_label[ends[0]]], order[by_label[ends[1]]]))
                chosen.append(np.nonzero((order >= lo) & (order <= hi))[0])
        if not chosen:
            raise InputError("positions", "no positions given")
        return np.unique(np.concatenate(chosen))
