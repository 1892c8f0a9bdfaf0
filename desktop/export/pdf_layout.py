"""Pages of the PDF: a flow of text blocks and fixed drawings laid out before anything is painted.

Every section starts on a new page. A section is a `Flow`: `text(html)` adds a QTextDocument
(Qt's layout paginates a long one itself and repeats a table's `<thead>` on every page),
`fixed(height, draw)` adds a drawing that is never split (a chart, a floor map). Layout is done
first, so the total page count is known for "page N of M" before the first page is painted.

Units are the writer's device pixels at 96 dpi (1 px = 0.2646 mm): QPdfWriter.setResolution(96)
keeps pyqtgraph's axis text right (DESIGN.md), and a QTextDocument laid out on the writer
itself measures its fonts at that resolution.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QTextDocument, QTextOption

FONT_FAMILY = "DejaVu Sans"   # has Latin, Greek, Cyrillic, Hebrew and Arabic glyphs
BODY_PT = 9
MARGIN_PX = 48                # about 12.7 mm
HEADER_PX = 30
FOOTER_PX = 30
GAP_PX = 10

STYLE = f"""
body {{ font-family: '{FONT_FAMILY}'; font-size: {BODY_PT}pt; color: #111827; }}
h1 {{ font-size: 17pt; font-weight: 600; color: #111827; margin: 0 0 6px 0; }}
h2 {{ font-size: 12pt; font-weight: 600; color: #1F2937; margin: 12px 0 4px 0; }}
p {{ margin: 0 0 6px 0; }}
.note {{ color: #4B5563; font-size: 8pt; }}
.big {{ font-size: 13pt; }}
"""


@dataclass
class Item:
    y: float                                   # top, in the page's content rectangle
    height: float
    doc: QTextDocument | None = None           # a text block, or
    doc_page: int = 0                          # which of the document's pages
    draw: Callable | None = None               # draw(painter, QRectF) for a fixed block


@dataclass
class Page:
    section: str
    items: list[Item] = field(default_factory=list)
    decorated: bool = True                     # running header and footer (not on the cover)


class Layout:
    """Page geometry of one writer: the content rectangle between header and footer."""

    def __init__(self, device, width_px: float, height_px: float):
        self.device = device
        self.page = QRectF(0, 0, width_px, height_px)
        top = MARGIN_PX + HEADER_PX
        self.content = QRectF(MARGIN_PX, top, width_px - 2 * MARGIN_PX, height_px - top - MARGIN_PX - FOOTER_PX)

    def document(self, html: str, paginate: bool = False) -> QTextDocument:
        """A text block laid out at the content's width (and height, when `paginate`)."""
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setDefaultFont(QFont(FONT_FAMILY, BODY_PT))
        doc.setDefaultStyleSheet(STYLE)
        doc.setDocumentMargin(0)
        option = doc.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)   # never inside a word or a number
        doc.setDefaultTextOption(option)
        if paginate:
            doc.setPageSize(QSizeF(self.content.width(), self.content.height()))
        else:
            doc.setTextWidth(self.content.width())
        doc.setHtml(html)
        return doc


class Flow:
    """The pages of one section."""

    def __init__(self, layout: Layout, section: str, decorated: bool = True):
        self.layout = layout
        self.section = section
        self.decorated = decorated
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def room(self) -> float:
        return self.layout.content.height() - self.y

    def new_page(self) -> None:
        self.pages.append(Page(self.section, decorated=self.decorated))
        self.y = 0.0

    def _place(self, item: Item) -> None:
        self.pages[-1].items.append(item)
        self.y = item.y + item.height + GAP_PX

    def text(self, html: str) -> None:
        """A text block; a long one runs over as many pages as it needs (laid out once, paginated
        by Qt, which repeats a table's header rows on every page)."""
        doc = self.layout.document(html, paginate=True)
        page_h = self.layout.content.height()
        count = doc.pageCount()
        height = doc.size().height() - page_h * (count - 1)
        if count == 1 and height <= self.room:
            self._place(Item(self.y, height, doc=doc))
            return
        if self.y > 0:
            self.new_page()
        for i in range(count):
            if i:
                self.new_page()
            used = height if i == count - 1 else page_h
            self._place(Item(0.0, max(used, 0.0), doc=doc, doc_page=i))

    def long_table(self, intro_html: str, make_table: Callable[[list], str], rows: list, first_guess: int = 60):
        """A table of many rows, split between pages by hand, its header on every page.

        `make_table(rows)` returns the table's HTML for some of the rows. Each page's part is
        its own small document (quicker to lay out than one paginated document), cut after the
        last row that fits, so a generator: it yields after each page, for a caller that keeps
        a GUI responsive. `intro_html` goes above the first part."""
        i, guess, n = 0, first_guess, len(rows)
        while i < n:
            if self.room < 80:
                self.new_page()
            take = min(n - i, guess)
            doc = self.layout.document((intro_html if i == 0 else "") + make_table(rows[i:i + take]))
            bottoms = row_bottoms(doc)
            fit = sum(1 for b in bottoms[1:] if b <= self.room)
            if fit == take and i + take < n and doc.size().height() < self.room:
                guess *= 2            # the guess was short: lay out more rows
                continue
            if fit == 0:
                if self.y > 0:
                    self.new_page()
                    continue
                fit = 1               # one row taller than a page: cut it
            if fit < take:            # drop the rows that go to the next page (a clip would hide
                table = doc.rootFrame().childFrames()[-1]      # them, yet leave their text in the PDF)
                table.removeRows(fit + 1, take - fit)
            self._place(Item(self.y, min(bottoms[fit], self.room), doc=doc))
            i += fit
            guess = fit + 4
            if i < n:
                self.new_page()
            yield i / n

    def fixed(self, height: float, draw: Callable) -> None:
        """A drawing of `height` px kept on one page: `draw(painter, rect)`."""
        height = min(height, self.layout.content.height())
        if height > self.room:
            self.new_page()
        self._place(Item(self.y, height, draw=draw))

    def rest_of_page(self, minimum: float, draw: Callable) -> None:
        """A drawing that takes what is left of the page (a new page if less than `minimum`)."""
        if self.room < minimum:
            self.new_page()
        self.fixed(self.room, draw)


def row_bottoms(doc: QTextDocument) -> list[float]:
    """The bottom of each row of the document's last table, in document coordinates."""
    table = doc.rootFrame().childFrames()[-1]
    layout = doc.documentLayout()
    frame = layout.frameBoundingRect(table)
    tops = [layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block()).top()
            for r in range(table.rows())]
    inset = tops[0] - frame.top()
    return [top - inset for top in tops[1:]] + [frame.bottom()]


def paint_item(painter: QPainter, layout: Layout, item: Item) -> None:
    content = layout.content
    if item.doc is not None:
        page_h = item.doc.pageSize().height()
        paginated = page_h > 0 and item.doc.pageCount() > 1
        offset = item.doc_page * page_h if paginated else 0.0
        painter.save()
        painter.translate(content.left(), content.top() + item.y - offset)
        item.doc.drawContents(painter, QRectF(0, offset, content.width(), page_h if paginated else item.height))
        painter.restore()
    else:
        rect = QRectF(content.left(), content.top() + item.y, content.width(), item.height)
        painter.save()
        item.draw(painter, rect)
        painter.restore()


def paint_decoration(painter: QPainter, layout: Layout, left: str, section: str, footer: str,
                     page_no: int, pages: int) -> None:
    """Running header (document, section) and footer (author and date, page N of M)."""
    from desktop.export.pdf_html import isolate

    left, footer = isolate(left), isolate(footer)
    painter.save()
    font = QFont(FONT_FAMILY, 7)
    painter.setFont(font)
    painter.setPen(QColor("#6B7280"))
    w = layout.page.width()
    top = QRectF(MARGIN_PX, MARGIN_PX, w - 2 * MARGIN_PX, HEADER_PX - 10)
    metrics = painter.fontMetrics()     # a long project and plan name never runs into the section's
    left = metrics.elidedText(left, Qt.TextElideMode.ElideRight,
                              int(top.width() - metrics.horizontalAdvance(section) - 24))
    painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), left)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), section)
    pen = QPen(QColor("#D1D5DB"))
    pen.setWidthF(0.8)
    painter.setPen(pen)
    painter.drawLine(top.bottomLeft(), top.bottomRight())
    bottom_y = layout.page.height() - MARGIN_PX - FOOTER_PX + 10
    painter.drawLine(int(MARGIN_PX), int(bottom_y), int(w - MARGIN_PX), int(bottom_y))
    painter.setPen(QColor("#6B7280"))
    foot = QRectF(MARGIN_PX, bottom_y + 2, w - 2 * MARGIN_PX, FOOTER_PX - 12)
    painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), footer)
    painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                     f"Page {page_no} of {pages}")
    painter.restore()
