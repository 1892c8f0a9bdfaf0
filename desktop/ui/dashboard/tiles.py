"""The row of KPI tiles at the top of the dashboard."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

TONES = {"good": "#047857", "bad": "#B91C1C", "neutral": "#111827"}


class Tile(QFrame):
    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"kpi_{key}")
        self.setStyleSheet("Tile { background: white; border: 1px solid #E5E7EB; border-radius: 6px; }"
                           "QLabel { border: none; }")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(70)
        self._tone = None
        col = QVBoxLayout(self)
        col.setContentsMargins(10, 6, 10, 6)
        col.setSpacing(0)
        self.label = QLabel()
        self.label.setStyleSheet("color: #6B7280; font-size: 8pt;")
        self.value = QLabel("…")
        self.note = QLabel()
        self.note.setStyleSheet("color: #9CA3AF; font-size: 8pt;")
        for w in (self.label, self.value, self.note):
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # new text never re-lays out
            col.addWidget(w)

    def show_kpi(self, kpi) -> None:
        self.label.setText(kpi.label)
        self.value.setText(kpi.text)
        if kpi.tone != self._tone:   # a style sheet change is costly: only when the tone moves
            self._tone = kpi.tone
            self.value.setStyleSheet(f"font-size: 15pt; font-weight: 600; color: {TONES.get(kpi.tone, TONES['neutral'])};")
        self.note.setText(kpi.note)
        self.setToolTip(f"{kpi.label}: {kpi.text} ({kpi.note})" if kpi.note else f"{kpi.label}: {kpi.text}")


class KpiTiles(QWidget):
    """The tiles in one row, or in as many even rows as a narrow dashboard needs."""
    TILE_MIN_PX = 150   # a tile's note ("of the change, a year") fits whole

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.tiles: dict[str, Tile] = {}
        self.kpis: list = []
        self._columns = 0

    def show_kpis(self, kpis: list) -> None:
        self.kpis = kpis
        added = False
        for kpi in kpis:
            tile = self.tiles.get(kpi.key)
            if tile is None:
                tile = self.tiles[kpi.key] = Tile(kpi.key)
                added = True
            tile.show_kpi(kpi)
        if added:
            self._flow(force=True)

    def show_unavailable(self, note: str) -> None:
        """Every tile blank ("n/a", with `note`): the plan cannot be evaluated, and the last
        figures belong to a scenario that is no longer there."""
        from dataclasses import replace

        self.show_kpis([replace(k, value=None, text="n/a", note=note, tone="neutral") for k in self.kpis])

    def _flow(self, force: bool = False) -> None:
        n = len(self.tiles)
        columns = max(1, min(n, self.width() // self.TILE_MIN_PX)) if n else 1
        if n and columns < n:   # as few even rows as fit: every tile at least TILE_MIN_PX wide
            rows = -(-n // columns)
            columns = -(-n // rows)
        if columns == self._columns and not force:
            return
        self._columns = columns
        for i, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, i // columns, i % columns)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._flow()

    def text(self, key: str) -> str:
        return self.tiles[key].value.text()
