"""The row of KPI tiles at the top of the dashboard."""
from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

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
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(6)
        self.tiles: dict[str, Tile] = {}
        self.kpis: list = []

    def show_kpis(self, kpis: list) -> None:
        self.kpis = kpis
        for kpi in kpis:
            tile = self.tiles.get(kpi.key)
            if tile is None:
                tile = self.tiles[kpi.key] = Tile(kpi.key)
                self.row.addWidget(tile)
            tile.show_kpi(kpi)

    def text(self, key: str) -> str:
        return self.tiles[key].value.text()
