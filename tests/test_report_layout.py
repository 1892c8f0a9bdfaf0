"""The report's layout as Qt lays it out: every table cell's text fits its column, no word or
number is split between lines, for the demo, an imported golden scenario and Arabic names."""
from __future__ import annotations

import pytest

GOLDEN = "/work/shared/golden/g5-staged-two-sites.json"


def laid_out(project, **kwargs):
    from desktop.export import report_data
    from desktop.export.pdf_report import PdfReport

    data = report_data.gather(project, report_data.resolve_plan(project), date="2026-11-25", mc_paths=100, **kwargs)
    report = PdfReport(data, "A4").run()
    return data, report


def table_cells(doc):
    """(row, column, text, [(line text, natural width, start)], block width) of every cell of
    every table in the document."""
    from PySide6.QtGui import QTextTable

    layout = doc.documentLayout()
    frames = [doc.rootFrame()]
    while frames:
        frame = frames.pop()
        frames.extend(frame.childFrames())
        if not isinstance(frame, QTextTable):
            continue
        for r in range(frame.rows()):
            for c in range(frame.columns()):
                cell = frame.cellAt(r, c)
                block = cell.firstCursorPosition().block()
                end = cell.lastCursorPosition().block()
                while block.isValid():
                    text = block.text()
                    lines = []
                    tl = block.layout()
                    for i in range(tl.lineCount()):
                        line = tl.lineAt(i)
                        lines.append((text[line.textStart():line.textStart() + line.textLength()],
                                      line.naturalTextWidth(), line.textStart()))
                    yield r, c, text, lines, layout.blockBoundingRect(block).width()
                    if block == end:
                        break
                    block = block.next()


def assert_no_split_words(report):
    checked = 0
    seen = set()
    for page in report.pages:
        for item in page.items:
            if item.doc is None or id(item.doc) in seen:
                continue
            seen.add(id(item.doc))
            for r, c, text, lines, width in table_cells(item.doc):
                checked += 1
                for line, natural, start in lines:
                    assert natural <= width + 0.5, f"{page.section}: {text!r} overflows its column ({natural} > {width})"
                    if start > 0:
                        assert text[start - 1].isspace(), f"{page.section}: {text!r} broken inside a word at {line!r}"
    assert checked > 50
    return checked


@pytest.fixture
def golden_project(tmp_path):
    from desktop.model.scenario import read_json_file
    from desktop.store.scenario_import import import_scenario

    import os
    if not os.path.exists(GOLDEN):
        pytest.skip("needs /work/shared/golden")
    project = import_scenario(read_json_file(GOLDEN), tmp_path / "g5.sqlite", source=GOLDEN)
    yield project
    project.close()


def test_demo_tables_never_split_a_word(qapp, demo_project):
    _, report = laid_out(demo_project)
    assert_no_split_words(report)


def test_golden_tables_never_split_a_word(qapp, golden_project):
    _, report = laid_out(golden_project)
    assert_no_split_words(report)


def test_arabic_tables_never_split_a_word(qapp, demo_project):
    from desktop.store import halls, sites

    site = sites.by_name(demo_project, "Red Mesa")
    sites.update(demo_project, site.id, name="الميسا الحمراء")
    hall = halls.by_name(demo_project, site.id, "Hall C")
    halls.update(demo_project, hall.id, name="القاعة أ")
    _, report = laid_out(demo_project)
    assert_no_split_words(report)


def test_appendix_groups_consecutive_positions_into_ranges():
    from desktop.export.report_rows import rack_ranges, range_label

    def rack(label, role="gpu", system="4x DGX H100", month="2026-12"):
        return {"position": label, "hall": "Hall A", "site": "Red Mesa", "role": role, "before_model": "S19 XP",
                "before_units": 8, "system": system if role == "gpu" else "", "month": month, "conversion": "c1"}
    racks = ([rack(f"A{c:02d}") for c in range(1, 41)] + [rack(f"B{c:02d}") for c in range(1, 11)]
             + [rack(f"B{c:02d}", role="retired") for c in range(11, 13)] + [rack("B13")]
             + [rack("B14", month="2027-01")])
    groups = rack_ranges(racks)
    assert [(range_label(g), g["positions"], g["role"]) for g in groups] == [
        ("A01-A40", 40, "gpu"), ("B01-B10", 10, "gpu"), ("B11-B12", 2, "retired"), ("B13", 1, "gpu"),
        ("B14", 1, "gpu")]
    assert sum(g["positions"] for g in groups) == len(racks)


def test_demo_appendix_is_a_page_of_ranges(qapp, demo_project):
    data, report = laid_out(demo_project)
    pages = [p for p in report.pages if p.section.startswith("Appendix")]
    assert len(pages) == 1
    from desktop.export.report_rows import rack_ranges

    groups = rack_ranges(data.racks)
    assert len(data.racks) == 750 and len(groups) < 40
    assert sum(g["positions"] for g in groups) == 750
