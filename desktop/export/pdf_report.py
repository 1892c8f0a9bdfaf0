"""The plan as a PDF for management: Qt's QPdfWriter with QPainter and QTextDocument.

    report = PdfReport(data, "A4")          # data: report_data.gather(...)
    for fraction in report.steps(): ...     # lay out, then paint page by page
    report.save(path)                       # atomically

or simply `write_pdf(data, path, "A4")`. Why Qt's own writer: it shapes Arabic and other
scripts (HarfBuzz) in QTextDocument and QPainter alike, and pyqtgraph charts render into it as
vectors; no other dependency. The writer runs at 96 dpi (DESIGN.md) on an in-memory buffer, so
a failed export never leaves half a file. All painting happens on the calling thread, which
must be the GUI thread of a QApplication (pyqtgraph charts are widgets).

Arabic names and text extraction: names are laid out in directional isolates (pdf_html.isolate)
and read right in the page, but the text a PDF reader extracts for a shaped Arabic word is its
presentation forms (U+FExx), not the letters typed: `pdftotext` finds "الميسا الحمراء" only
after NFKC normalisation, which poppler's and most viewers' search apply. Tried: DejaVu Sans
(ships with Rackshift) and Noto Naskh Arabic (whose cmap has no presentation forms) give the
same U+FExx text, because Qt's writer derives each glyph's ToUnicode entry from the shaped
glyph and QPdfWriter has no way to add /ActualText spans. A font with
QFont.PreferNoShaping extracts as the typed letters (searchable) but draws them unjoined, so it
could only serve as an invisible second copy of each name, which doubles the extracted text: not
done. The English text is unaffected.
"""
from __future__ import annotations

import inspect

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from desktop import __version__
from desktop.export import atomic
from desktop.export.pdf_layout import Flow, Layout, paint_decoration, paint_item
from desktop.export.pdf_pages import sections_for
from desktop.model.errors import InputError

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "LETTER": QPageSize.PageSizeId.Letter}


def page_size_id(name: str) -> QPageSize.PageSizeId:
    try:
        return PAGE_SIZES[str(name).strip().upper()]
    except KeyError:
        raise InputError("page-size", f"{name!r} is not a page size (A4 or Letter)") from None


class PdfReport:
    def __init__(self, data, page_size: str = "A4"):
        self.data = data
        self._bytes = QByteArray()
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(self._buffer)
        writer.setResolution(96)
        writer.setPageLayout(QPageLayout(QPageSize(page_size_id(page_size)), QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0)))
        writer.setTitle(f"{data.title}: conversion plan ({data.project_name})")
        writer.setAuthor(data.prepared_by or "Rackshift")
        writer.setCreator(f"Rackshift {__version__}")
        self.writer = writer
        self.layout = Layout(writer, writer.width(), writer.height())
        self.pages = []
        self.done = False

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def steps(self):
        """Lay out every section, then paint each page; yields the fraction done after each step."""
        sections = sections_for(self.data)
        n_sections = len(sections)
        for i, (title, build) in enumerate(sections):
            flow = Flow(self.layout, title, decorated=i > 0)
            parts = build(flow, self.data)
            if inspect.isgenerator(parts):   # a long section yields after each page it lays out
                for part in parts:
                    yield 0.3 * (i + part) / n_sections
            self.pages += flow.pages
            yield 0.3 * (i + 1) / n_sections
        painter = QPainter(self.writer)
        try:
            header = f"{self.data.project_name}: {self.data.title}"
            footer = " · ".join(x for x in (self.data.prepared_by, self.data.date, "Rackshift") if x)
            total = len(self.pages)
            for n, page in enumerate(self.pages):
                if n:
                    self.writer.newPage()
                if page.decorated:
                    paint_decoration(painter, self.layout, header, page.section, footer, n + 1, total)
                for item in page.items:        # a step per item: a page of charts is several steps
                    paint_item(painter, self.layout, item)
                    yield 0.3 + 0.7 * n / total
                yield 0.3 + 0.7 * (n + 1) / total
        finally:
            painter.end()
            self._buffer.close()
        self.done = True

    def run(self) -> "PdfReport":
        for _ in self.steps():
            pass
        return self

    def pdf_bytes(self) -> bytes:
        if not self.done:
            self.run()
        return bytes(self._bytes.data())

    def save(self, path) -> None:
        atomic.write_bytes(path, self.pdf_bytes())


def write_pdf(data, path, page_size: str = "A4") -> int:
    """Write the plan report to `path`; return the number of pages."""
    report = PdfReport(data, page_size).run()
    report.save(path)
    return report.page_count
