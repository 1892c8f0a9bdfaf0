"""Small HTML builders for the report's QTextDocuments (Qt's rich-text subset)."""
from __future__ import annotations

from html import escape


def esc(text) -> str:
    return escape("" if text is None else str(text), quote=True)


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

    Cells are text (escaped here); `widths` are percentages of the table's width. Styling is
    in attributes, not CSS selectors: Qt matches a style sheet against every cell, which
    doubles the time a long table takes.
    """
    size = f"; font-size:{font_pt}pt" if font_pt else ""
    out = [f'<table width="100%" border="0.5" cellspacing="0" cellpadding="{padding}" '
           f'style="border-color:#9CA3AF{size}">']
    head = "".join(f'<th bgcolor="#E5E7EB" align="{"right" if i in numeric else "left"}"{_width(widths, i)}>'
                   f"{esc(h)}</th>" for i, h in enumerate(headers))
    if any(headers):
        out.append(f"<thead><tr>{head}</tr></thead>" if header_repeats else f"<tr>{head}</tr>")
    right = ' align="right"'
    for r, row in enumerate(rows):
        cells = "".join(
            f'<td{right if i in numeric else ""}>' + ("<b>" if r in bold_rows else "")
            + (f'<font color="#B91C1C">{esc(v)}</font>' if (r, i) in bad else esc(v))
            + ("</b>" if r in bold_rows else "") + "</td>"
            for i, v in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "".join(out)


def _width(widths, i) -> str:
    return f' width="{widths[i]}%"' if widths and i < len(widths) else ""


def bullets(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"
