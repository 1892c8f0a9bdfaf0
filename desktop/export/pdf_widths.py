"""Table column widths from their content, so no word or number is ever broken across lines.

A column needs at least its longest word (text splits only at spaces: "$1,000,000",
"Supermicro" and "($/MWh)" stay whole) and would like its longest cell on one line. Like a
browser's automatic table layout: every column gets its minimum, and the room that is left
goes to the columns whose text would otherwise wrap, in proportion to how much they lack.
Text is measured with the report's font at the writer's 96 dpi (pdf_layout), so what is
measured here is what Qt lays out. `column_widths` returns percentages of the table's width.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QFont, QFontMetricsF, QImage

# The narrowest content width of the page sizes (A4: 793.7 px - 2 x 48 px margins); wider
# pages (Letter) only give each column more room.
CONTENT_WIDTH_PX = 697.0
BORDER_PX = 1.0
SLACK_PX = 3.0        # rounding of percentages and Qt's own cell borders


@lru_cache(maxsize=1)
def _device() -> QImage:
    image = QImage(4, 4, QImage.Format.Format_RGB32)
    dots_per_metre = round(96 / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


@lru_cache(maxsize=16)
def _metrics(point_size: float, bold: bool) -> QFontMetricsF:
    from desktop.export.pdf_layout import FONT_FAMILY

    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return QFontMetricsF(font, _device())


def text_width(text: str, point_size: float, bold: bool = False) -> float:
    return _metrics(point_size, bold).horizontalAdvance(text)


def needs(text: str, point_size: float, bold: bool = False) -> tuple[float, float]:
    """(widest word, whole text on one line) in px."""
    text = str(text)
    words = text.split() or [""]
    m = _metrics(point_size, bold)
    return max(m.horizontalAdvance(w) for w in words), m.horizontalAdvance(" ".join(words))


def column_widths(headers: list[str], rows: list[list], point_size: float, padding: float,
                  width_px: float = CONTENT_WIDTH_PX, bold_rows=frozenset()) -> list[float]:
    """Percentages of the table's width, one a column, from the cells' text."""
    n = max([len(headers)] + [len(r) for r in rows]) if (headers or rows) else 0
    if n == 0:
        return []
    extra = 2 * padding + BORDER_PX + SLACK_PX
    low, high = [extra] * n, [extra] * n
    cells = [(h, True) for h in headers]
    for i, (h, bold) in enumerate(cells):
        a, b = needs(h, point_size, bold)
        low[i], high[i] = max(low[i], a + extra), max(high[i], b + extra)
    for r, row in enumerate(rows):
        for i, v in enumerate(row):
            a, b = needs(v, point_size, r in bold_rows)
            low[i], high[i] = max(low[i], a + extra), max(high[i], b + extra)
    total_low, total_high = sum(low), sum(high)
    if total_high <= width_px:          # everything fits on one line: share the rest by need
        widths = [h + (width_px - total_high) * h / total_high for h in high]
    elif total_low <= width_px:         # words fit: the rest to the columns that wrap
        room = width_px - total_low
        lack = [h - lo for h, lo in zip(high, low)]
        total_lack = sum(lack) or 1.0
        widths = [lo + room * la / total_lack for lo, la in zip(low, lack)]
    else:                               # too wide even word by word: the caller must shorten
        widths = [lo * width_px / total_low for lo in low]
    return [100.0 * w / width_px for w in widths]


def fits(headers: list[str], rows: list[list], point_size: float, padding: float,
         width_px: float = CONTENT_WIDTH_PX) -> bool:
    """Whether every word of every cell fits its column at this size (no shortening needed)."""
    extra = 2 * padding + BORDER_PX + SLACK_PX
    n = max([len(headers)] + [len(r) for r in rows])
    low = [extra] * n
    for i, h in enumerate(headers):
        low[i] = max(low[i], needs(h, point_size, True)[0] + extra)
    for row in rows:
        for i, v in enumerate(row):
            low[i] = max(low[i], needs(v, point_size)[0] + extra)
    return sum(low) <= width_px
