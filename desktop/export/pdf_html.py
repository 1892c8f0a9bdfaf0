"""Small HTML builders for the report's QTextDocuments (Qt's rich-text subset)."""
from __future__ import annotations

import re
from html import escape


_BREAK_AFTER = re.compile(r"(?<=\S)([/\-\u2010\u2013])(?=\S)")
WORD_JOINER = "\u2060"


_RTL = "\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC"
_RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL}\\s\u0660-\u0669.,'\"()-]*[{_RTL}])?")
FSI, PDI, LRM = "\u2068", "\u2069", "\u200e"


def isolate(text: str) -> str:
    """Right-to-left runs (Arabic, Hebrew names) wrapped in directional isolates (FSI..PDI), so
    a mixed cell keeps its parts in order for both readers: "FSI القاعة أ PDI: 56 x 4x DGX" is
    a left-to-right line with the hall's name, read right to left, first. A left-to-right mark
    leads: Qt takes a paragraph's direction from its first strong letter without skipping
    isolates, so without it a cell that starts with a name would turn right to left."""
    if not text or not _RTL_RUN.search(text):
        return text
    return LRM + _RTL_RUN.sub(lambda m: FSI + m.group(0) + PDI, text)


def esc(text, glue: bool = False) -> str:
    """Text for the report's HTML, escaped. `glue`: a word joiner (no width) after a slash or a
    hyphen inside a word ("$/MWh", "2027-06", "MW-month"), where Qt would otherwise wrap; the
    tables glue only a cell that wraps, so that text extracted from the PDF stays clean."""
    text = isolate("" if text is None else str(text))
    if glue:
        text = _BREAK_AFTER.sub(lambda m: m.group(1) + WORD_JOINER, text)
    return escape(text, quote=True)


def money(value: float | None) -> str:
    """Dollars in full, for tables: $1,234,567 (negative: -$1,234)."""
    if value is None:
        return "n/a"
    return f"{'-' if value < 0 else ''}${abs(value):,.0f}"


def num(value, digits: int = 1, unit: str = "") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int) or float(value).is_integer() and digits == 0:
        text = f"{int(round(value)):,}"
    else:
        text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()


def table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), widths: list[int] | None = None,
          bad: set[tuple[int, int]] = frozenset(), header_repeats: bool = True, padding: int = 3,
          font_pt: float | None = None, bold_rows: set[int] = frozenset()) -> str:
    """A bordered table; `numeric` columns align right; `<thead>` repeats on every page.

    Cells are text (escaped here). Column widths come from the content (pdf_widths), so no
    word or number is split; `widths` is ignored (kept for callers' readability). When the
    words do not fit at the body size, the table's font steps down to 7 pt. Styling is in
    attributes, not CSS selectors: Qt matches a style sheet against every cell, which doubles
    the time a long table takes.
    """
    from desktop.export.pdf_layout import BODY_PT
    from desktop.export.pdf_widths import CONTENT_WIDTH_PX, column_widths, fits, needs

    rows = [[("" if v is None else str(v)) for v in row] for row in rows]
    point = float(font_pt or BODY_PT)
    while point > 7 and not fits(headers, rows, point, padding):
        point -= 0.5
    if point != (font_pt or BODY_PT):
        font_pt = point
    widths = column_widths(headers, rows, point, padding, bold_rows=bold_rows)
    room = [w * CONTENT_WIDTH_PX / 100 - 2 * padding - 2 for w in widths]

    def text(v, i: int, bold: bool = False) -> str:
        return esc(v, glue=needs(v, point, bold)[1] > room[i])

    size = f"; font-size:{font_pt}pt" if font_pt else ""
    out = [f'<table width="100%" border="0.5" cellspacing="0" cellpadding="{padding}" '
           f'style="border-color:#9CA3AF{size}">']
    head = "".join(f'<th bgcolor="#E5E7EB" align="{"right" if i in numeric else "left"}"{_width(widths, i)}>'
                   f"{text(h, i, True)}</th>" for i, h in enumerate(headers))
    if any(headers):
        out.append(f"<thead><tr>{head}</tr></thead>" if header_repeats else f"<tr>{head}</tr>")
    right = ' align="right"'
    for r, row in enumerate(rows):
        cells = "".join(
            f'<td{right if i in numeric else ""}{_width(widths, i) if r == 0 and not any(headers) else ""}>'
            + ("<b>" if r in bold_rows else "")
            + (f'<font color="#B91C1C">{text(v, i)}</font>' if (r, i) in bad else text(v, i, r in bold_rows))
            + ("</b>" if r in bold_rows else "") + "</td>"
            for i, v in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def _width(widths, i) -> str:
    return f' width="{widths[i]:.2f}%"' if widths and i < len(widths) else ""


def bullets(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
