"""The plan report PDF: sections, the engine's KPI values, pages, metadata, Arabic names, the CLI.

The PDF is read back as text (poppler's pdftotext, pypdf for metadata); figures are compared
with `evaluate()` of the plan's scenario formatted the way the report formats them.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (make syslibs)")

ARABIC_PLAN = "خطة تحويل القاعة"
ARABIC_SITE = "الميسا الحمراء"


def pdf_text(path) -> str:
    """The PDF's text in reading order, presentation forms and bidi marks normalised away,
    whitespace collapsed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    text = unicodedata.normalize("NFKC", out.decode("utf-8"))
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return re.sub(r"\s+", " ", text)


def _write(project, path, **kwargs):
    from desktop.export import report_data
    from desktop.export.pdf_report import PdfReport

    page_size = kwargs.pop("page_size", "A4")
    data = report_data.gather(project, report_data.resolve_plan(project), date="2026-11-25", **kwargs)
    report = PdfReport(data, page_size).run()
    report.save(path)
    return data, report


@pytest.fixture(scope="module")
def demo_report(qapp, tmp_path_factory):
    """The demo plan's PDF, written once for the module: (data, report, path, text)."""
    from desktop.store.demo import build_demo

    folder = tmp_path_factory.mktemp("report")
    project = build_demo(folder / "demo.sqlite")
    try:
        data, report = _write(project, folder / "plan.pdf")
    finally:
        project.close()
    return data, report, folder / "plan.pdf", pdf_text(folder / "plan.pdf")


def test_every_section_is_in_the_pdf(demo_report):
    from desktop.export.pdf_pages import SECTIONS

    _, _, _, text = demo_report
    for title, _ in SECTIONS[1:]:
        assert title in text, title
    assert "CONVERSION PLAN" in text and "Recommendation" in text
    for heading in ("Market and model", "Equipment used (catalog)", "Capex by quarter", "Today", "With the plan",
                    "Breaches", "Sensitivity"):
        assert heading in text, heading


def test_kpis_are_the_engines_figures(demo_report, demo_project):
    from desktop.model.engine import evaluate
    from desktop.store.scenario_export import scenario_from_project
    from desktop.model.formatting import number, pct, usd

    data, _, _, text = demo_report
    result = evaluate(scenario_from_project(demo_project, data.plan_id))
    delta, plan, base = result["delta"], result["plan"], result["baseline"]
    expected = [
        usd(delta["npv_usd"]), pct(delta["irr_pct"]), f"month {delta['payback_month']}",
        usd(plan["capex_usd"]), usd(plan["hosting_revenue_usd"]),
        number(base["btc_mined"] - plan["btc_mined"], "BTC"), usd(base["npv_usd"]), usd(plan["npv_usd"]),
        number(sum(c["critical_it_mw"] for c in result_conversions(demo_project, data.plan_id)), "MW"),
    ]
    for value in expected:
        assert value in text, value
    assert f"{data.mc.prob_delta_npv_positive * 100:.0f} %" in text
    assert data.recommendation.startswith("Convert")
    for npv in (delta["npv_usd"], -plan["npv_usd"], -base["npv_usd"]):   # both futures lose money in the demo
        assert usd(npv) in data.recommendation
    assert "loses" in data.recommendation and "adds" not in data.recommendation


def result_conversions(project, plan_id):
    from desktop.store.scenario_export import scenario_from_project

    return scenario_from_project(project, plan_id)["plan"]["conversions"]


def test_pages_numbers_and_metadata(demo_report):
    import pypdf

    data, report, path, text = demo_report
    reader = pypdf.PdfReader(str(path))
    n = len(reader.pages)
    assert n == report.page_count >= 8
    assert f"Page {n} of {n}" in text and "Page 2 of" in text
    meta = reader.metadata
    assert data.plan.name in meta.title and "conversion plan" in meta.title
    assert meta.author == "Rackshift demo"
    assert meta.creator.startswith("Rackshift")
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert abs(float(width) - 595.3) < 1.5 and abs(float(height) - 841.9) < 1.5   # A4 in points


def test_appendix_lists_every_position_as_ranges(demo_report):
    data, _, _, text = demo_report
    text = text[text.index("Appendix: rack-level conversion list 750 positions"):]
    assert "Positions Count Hall Site Today With the plan Month" in text
    ranges = re.findall(r"\b([A-T])(\d\d)(?:-([A-T])(\d\d))? (\d+) Hall C Red Mesa", text)
    assert sum(int(n) for *_, n in ranges) == len(data.racks) == 750
    for row, a, row2, b, n in ranges:
        assert not row2 or row2 == row                       # a range stays in its hall row
        assert int(n) == (int(b) - int(a) + 1 if b else 1)
    assert "A01-A40 40 Hall C Red Mesa 8 x Antminer S19j Pro 4x DGX H100 rack 2027-06" in text


def test_arabic_plan_and_site_names_come_out_right(qapp, demo_project, tmp_path):
    from desktop.store import plans, sites

    plan = plans.plans(demo_project)[0]
    plans.rename(demo_project, plan.id, ARABIC_PLAN)
    site = sites.by_name(demo_project, "Red Mesa")
    sites.update(demo_project, site.id, name=ARABIC_SITE)
    _write(demo_project, tmp_path / "ar.pdf", mc_paths=200)
    text = pdf_text(tmp_path / "ar.pdf")
    assert ARABIC_PLAN in text
    assert ARABIC_SITE in text
    import pypdf

    assert ARABIC_PLAN in pypdf.PdfReader(str(tmp_path / "ar.pdf")).metadata.title


def test_letter_and_a_plan_with_breaches(qapp, demo_project, tmp_path):
    import pypdf

    from desktop.store import halls, plans

    conv = plans.conversions(demo_project, plans.plans(demo_project)[0].id)[0]
    hall = halls.get(demo_project, conv.hall_id)
    halls.update(demo_project, hall.id, max_rack_kw=10.0)   # the breach is derived from the hall as it is now
    data, report = _write(demo_project, tmp_path / "letter.pdf", mc_paths=100, page_size="Letter")
    page = pypdf.PdfReader(str(tmp_path / "letter.pdf")).pages[0]
    assert abs(float(page.mediabox.width) - 612) < 1 and abs(float(page.mediabox.height) - 792) < 1
    text = " ".join(pdf_text(tmp_path / "letter.pdf").split())
    assert f"above {hall.name}'s 10 kW per position" in text
    assert data.recommendation.startswith("Resolve the 1 breach, then convert")


def test_keep_mining_recommendation(qapp, demo_project):
    from desktop.export import report_data
    from desktop.store import plans

    conv = plans.conversions(demo_project, plans.plans(demo_project)[0].id)[0]
    plans.update_conversion(demo_project, conv.id, lease_usd_per_kw_month=20.0)
    data = report_data.gather(demo_project, report_data.resolve_plan(demo_project), mc_paths=100)
    assert data.result["delta"]["npv_usd"] < 0
    assert data.recommendation.startswith("Keep mining: the plan loses")


def test_cli_report(demo_path, tmp_path, capsys):
    from desktop.cli import main

    out = tmp_path / "plan.pdf"
    assert main(["report", str(demo_path), "-o", str(out), "--mc-paths", "100"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "pages" in capsys.readouterr().out
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    for argv in (["report", str(tmp_path / "missing.sqlite"), "-o", str(out)],
                 ["report", str(bad), "-o", str(out)],
                 ["report", str(demo_path), "--plan", "nope", "-o", str(out)],
                 ["report", str(demo_path), "--page-size", "A3", "-o", str(out)],
                 ["report", str(demo_path), "-o", str(tmp_path / "no" / "such" / "dir.pdf")]):
        assert main(argv) == 2, argv
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("error:") == 5


def test_cli_report_in_a_fresh_process(demo_path, tmp_path):
    """The command starts its own QApplication (offscreen)."""
    out = tmp_path / "plan.pdf"
    env = {k: v for k, v in __import__("os").environ.items() if k != "QT_QPA_PLATFORM"}
    run = subprocess.run([sys.executable, "-m", "desktop", "report", str(demo_path), "-o", str(out),
                          "--mc-paths", "100"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 10_000


def test_a_plan_without_conversions_still_makes_every_section(qapp, demo_project, tmp_path):
    from desktop.export import report_data
    from desktop.export.pdf_pages import SECTIONS
    from desktop.export.pdf_report import write_pdf
    from desktop.model.entities import Plan
    from desktop.store import plans

    plan_id = plans.add(demo_project, Plan(name="Nothing yet"))
    data = report_data.gather(demo_project, plan_id, mc_paths=50)
    pages = write_pdf(data, tmp_path / "empty.pdf")
    text = pdf_text(tmp_path / "empty.pdf")
    assert pages >= len(SECTIONS) - 1
    for title, _ in SECTIONS[1:]:
        assert title in text
    assert "The plan takes no rack positions." in text and "No decision to make" in text


def test_grid_load_chart_dates_its_months_from_the_start_month(qapp, demo_project):
    """The grid-load chart (the one the dashboard has no function for) labels month 0 as the
    scenario's start month, like every other chart, not as January 2026."""
    import pyqtgraph as pg
    from desktop.export import pdf_charts
    from desktop.model.engine import evaluate_detail
    from desktop.store import scenario_export, settings
    from desktop.charts.axes import MonthAxis

    scenario = scenario_export.scenario_from_project(demo_project, settings.current_plan_id(demo_project))
    scenario["start_month"] = "2031-07"
    detail = evaluate_detail(scenario)
    widget = pg.PlotWidget()
    try:
        plot = widget.getPlotItem()
        pdf_charts.draw_site_power(plot, detail)
        axis = plot.getAxis("bottom")
        assert isinstance(axis, MonthAxis) and axis.start_month == "2031-07"
        assert axis.tickStrings([0.0], 1.0, 1)[0] == "Jul 2031"
    finally:
        widget.deleteLater()
