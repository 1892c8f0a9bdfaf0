"""The plan's tables: formula-injection escaping, CSV and XLSX content, atomic writing, the CLI."""
from __future__ import annotations

import csv
import io
import math
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.export import atomic, tables
from desktop.export.csv_safe import FORMULA_STARTS, escape_cell, escape_text
from desktop.model.errors import InputError

# -- escaping ---------------------------------------------------------------------------------


@given(st.text())
def test_escaped_text_never_starts_a_formula_and_keeps_the_text(text):
    out = escape_text(text)
    assert not out.startswith(FORMULA_STARTS)
    if text.startswith(FORMULA_STARTS):
        assert out == "'" + text
    else:
        assert out == text


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_numbers_stay_numbers(value):
    out = escape_cell(value)
    assert out == value and type(out) in (int, float)


@given(st.lists(st.one_of(st.text(), st.floats(allow_nan=False, allow_infinity=False), st.integers()),
                min_size=1, max_size=6))
def test_csv_round_trip_gives_the_escaped_cells(row):
    table = tables.Table("t", "T", [tables.Column(f"c{i}", f"c{i}") for i in range(len(row))], [row])
    read = list(csv.reader(io.StringIO(tables.csv_text(table), newline="")))
    assert read[1] == [str(escape_cell(v)) for v in row]


def test_special_cells():
    assert escape_cell('=HYPERLINK("http://example.com","x")') == '\'=HYPERLINK("http://example.com","x")'
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("\tcmd") == "'\tcmd"
    assert escape_cell("-5") == "'-5"          # text that looks like a number is text
    assert escape_cell(-5.25) == -5.25         # a number is a number
    assert escape_cell(float("nan")) is None
    assert escape_cell(None) is None
    assert escape_cell(True) is True


# -- the plan's tables ------------------------------------------------------------------------

@pytest.fixture
def hostile_project(demo_project):
    """The demo with names a spreadsheet would run as formulas."""
    from desktop.store import halls, plans, sites

    site = sites.by_name(demo_project, "Red Mesa")
    sites.update(demo_project, site.id, name='=HYPERLINK("http://evil.example","Red Mesa")')
    hall = halls.by_name(demo_project, site.id, "Hall C")
    halls.update(demo_project, hall.id, name="+Hall C")
    plan = plans.plans(demo_project)[0]
    plans.rename(demo_project, plan.id, "@plan")
    return demo_project


def _gather(project):
    from desktop.export import report_data

    return report_data.gather(project, report_data.resolve_plan(project), with_risk=False)


def test_tables_hold_the_engine_figures(demo_project, tmp_path):
    from desktop.model.engine import evaluate
    from desktop.store.scenario_export import scenario_from_project

    data = _gather(demo_project)
    written = tables.export_tables(data, tmp_path / "out")
    assert [p.name for p in written] == ["cash-flows.csv", "schedule.csv", "rack-conversions.csv", "debt-schedule.csv",
                                        "plan-tables.xlsx"]
    result = evaluate(scenario_from_project(demo_project, data.plan_id))
    with open(written[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(result["monthly"])
    for row, month in zip(rows, result["monthly"]):
        assert row["month"] == month["month"]
        assert float(row["plan net cash (USD)"]) == round(month["plan_net_cash_usd"], 2)
        assert float(row["baseline net cash (USD)"]) == round(month["baseline_net_cash_usd"], 2)
    with open(written[2], encoding="utf-8-sig", newline="") as handle:
        racks = list(csv.DictReader(handle))
    assert len(racks) == len(data.racks) == 750
    assert {r["role"] for r in racks} == {"gpu", "retired"}
    assert racks[0]["month"] == "2027-06"
    assert not list(tmp_path.joinpath("out").glob("*.part"))


def test_xlsx_has_a_sheet_each_with_numbers_as_numbers(demo_project, tmp_path):
    import openpyxl

    data = _gather(demo_project)
    tables.export_tables(data, tmp_path)
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    assert book.sheetnames == ["Cash flows", "Schedule", "Rack conversions", "Debt schedule"]
    cash = book["Cash flows"]
    header = [c.value for c in cash[1]]
    col = header.index("delta net cash (USD)")
    deltas = [row[col] for row in cash.iter_rows(min_row=2, values_only=True)]
    assert len(deltas) == len(data.months)
    assert all(isinstance(v, (int, float)) for v in deltas)
    assert min(deltas) < 0                     # negative numbers are numeric cells, not text
    np_delta = data.detail.delta_cash_usd
    assert all(a == round(float(b), 2) for a, b in zip(deltas, np_delta))   # money to the cent
    schedule = book["Schedule"]
    assert schedule.cell(2, 1).value == data.schedule[0]["conversion"]
    assert schedule.cell(2, 6).value == 362
    assert book["Rack conversions"].max_row == 751


def test_formula_names_are_escaped_in_csv_and_xlsx(hostile_project, tmp_path):
    import openpyxl

    data = _gather(hostile_project)
    tables.export_tables(data, tmp_path)
    text = (tmp_path / "rack-conversions.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == "'+Hall C"
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","Red Mesa")'
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    sheet = book["Rack conversions"]
    # the XLSX shows the name exactly as typed, in a string cell no spreadsheet evaluates
    assert sheet.cell(2, 3).value == '=HYPERLINK("http://evil.example","Red Mesa")'
    assert sheet.cell(2, 3).data_type == "s" and sheet.cell(2, 2).value == "+Hall C"
    assert book["Schedule"].cell(2, 2).value == '=HYPERLINK("http://evil.example","Red Mesa")'
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    import zipfile

    with zipfile.ZipFile(tmp_path / tables.XLSX_NAME) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets


def test_atomic_write_leaves_the_old_file_on_failure(tmp_path):
    target = tmp_path / "x.csv"
    target.write_text("old")

    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as tmp:
            with open(tmp, "w") as handle:
                handle.write("new, half")
            raise RuntimeError("stopped")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["x.csv"]
    with pytest.raises(InputError, match="cannot write"):
        atomic.write_text(tmp_path / "missing" / "x.csv", "data")


def test_cli_export_tables(demo_path, tmp_path, capsys):
    from desktop.cli import main

    out = tmp_path / "tables"
    assert main(["export-tables", str(demo_path), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in tables.output_paths(out))
    assert main(["export-tables", str(demo_path), "--plan", "no such plan", "-o", str(out)]) == 2
    assert "no plan named" in capsys.readouterr().err
    bad = tmp_path / "bad.sqlite"
    bad.write_text("not a database")
    assert main(["export-tables", str(bad), "-o", str(out)]) == 2
    assert main(["export-tables", str(tmp_path / "missing.sqlite"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("error:") == 2


def test_gathering_and_tables_need_no_qt():
    """report_data, tables, csv_safe and atomic run headless (a worker, the CLI) without Qt."""
    import subprocess
    import sys

    code = ("import sys\n"
            "import desktop.export.report_data, desktop.export.tables, desktop.export.csv_safe\n"
            "import desktop.export.atomic, desktop.export.report_rows, desktop.export.report_words\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_plan_without_conversions(demo_project, tmp_path):
    from desktop.export import report_data
    from desktop.model.entities import Plan
    from desktop.store import plans

    plan_id = plans.add(demo_project, Plan(name="Nothing yet"))
    data = report_data.gather(demo_project, plan_id, mc_paths=50)
    assert data.recommendation.startswith("No decision to make")
    assert data.racks == [] and data.schedule == [] and data.tornado == []
    written = tables.export_tables(data, tmp_path)
    assert all(p.exists() for p in written)


def test_xlsx_months_are_date_cells_with_a_month_format(demo_project, tmp_path):
    import datetime as dt

    import openpyxl

    data = _gather(demo_project)
    tables.export_tables(data, tmp_path)
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    cash = book["Cash flows"]
    first, last = cash.cell(2, 1), cash.cell(len(data.months) + 1, 1)
    assert first.is_date and first.value == dt.datetime(2026, 12, 1)
    assert last.value == dt.datetime(2036, 11, 1)
    assert first.number_format == "mmm yyyy"
    schedule = book["Schedule"]
    header = [c.value for c in schedule[1]]
    start = schedule.cell(2, header.index("start month") + 1)
    assert start.is_date and start.value == dt.datetime(2027, 6, 1)
    cod = schedule.cell(2, header.index("commercial operation") + 1)
    assert cod.is_date and cod.value == dt.datetime(2028, 6, 1)
    racks = book["Rack conversions"]
    assert racks.cell(2, [c.value for c in racks[1]].index("month") + 1).is_date


def _floats_in_csv(text: str) -> list[str]:
    import re

    return re.findall(r"-?\d+\.\d+", text)


def test_no_float_noise_in_csv_xlsx_or_scenario_json(demo_project, tmp_path):
    import json

    import openpyxl

    from desktop.export.scenario_json import scenario_text

    data = _gather(demo_project)
    tables.export_tables(data, tmp_path)
    for name, most in (("cash-flows.csv", 2), ("schedule.csv", 3), ("rack-conversions.csv", 0)):
        for number in _floats_in_csv((tmp_path / name).read_text(encoding="utf-8-sig")):
            assert len(number.split(".")[1]) <= most, (name, number)
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    for ws in book.worksheets:
        header = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2, values_only=True):
            for key, value in zip(header, row):
                if isinstance(value, float):
                    digits = 2 if "USD" in key else 3
                    assert value == round(value, digits), (key, value)
    scenario = json.loads(scenario_text(demo_project, data.plan_id))
    assert scenario["plan"]["conversions"][0]["critical_it_mw"] == 14.7696    # 14.769599999999999 in the store

    def walk(obj):
        if isinstance(obj, dict):
            for v in obj.values():
                yield from walk(v)
        elif isinstance(obj, list):
            for v in obj:
                yield from walk(v)
        elif isinstance(obj, float):
            yield obj
    for value in walk(scenario):
        assert len(repr(value)) <= 17 and "9999999" not in repr(value) and "0000001" not in repr(value), value


def test_an_exported_scenario_evaluates_to_the_projects_figures(demo_project):
    import json
    import math

    from desktop.export.scenario_json import scenario_text
    from desktop.model.engine import evaluate
    from desktop.store.scenario_export import scenario_from_project

    plan_id = _gather(demo_project).plan_id
    exported = evaluate(json.loads(scenario_text(demo_project, plan_id)))
    live = evaluate(scenario_from_project(demo_project, plan_id))
    for case in ("baseline", "plan"):
        for key, value in live[case].items():
            if isinstance(value, float):
                assert math.isclose(exported[case][key], value, rel_tol=1e-10, abs_tol=1e-6), (case, key)


@given(st.floats(-1e12, 1e12))
def test_rounding_by_unit(value):
    from desktop.model.rounding import digits_for, round_value

    assert digits_for("capex_usd") == 2 and digits_for("capex_usd_per_mw") == 2
    assert digits_for("critical_it_mw") == 3 and digits_for("grid_capacity_mw") == 3
    assert digits_for("fees_btc_per_block") == 8 and digits_for("btc_mined") == 8
    assert digits_for("pue_hosting") is None
    assert round_value("capex_usd", value) == round(value, 2)
    assert round_value("critical_it_mw", value) == round(value, 3)
    assert round_value("count", 7) == 7 and round_value("flag", True) is True
    assert repr(round_value("pue_hosting", 0.7343999999999999)) == "0.7344"


def test_a_project_without_a_plan_exports_its_baseline(qapp, tmp_path, capsys):
    import shutil

    from desktop.cli import main

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils")
    scenario = tmp_path / "s.json"
    import json

    from desktop.store.demo import build_demo
    from desktop.export.scenario_json import scenario_text

    demo = build_demo(tmp_path / "demo.sqlite")
    try:
        scenario.write_text(scenario_text(demo, None))
    finally:
        demo.close()
    assert "plan" not in json.loads(scenario.read_text()) or json.loads(scenario.read_text())["plan"] is None
    assert main(["import-scenario", str(scenario), str(tmp_path / "base.sqlite")]) == 0
    assert main(["export-tables", str(tmp_path / "base.sqlite"), "-o", str(tmp_path / "t")]) == 0
    with open(tmp_path / "t" / "cash-flows.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 120 and "baseline net cash (USD)" in rows[0] and "plan net cash (USD)" not in rows[0]
    assert (tmp_path / "t" / "schedule.csv").read_text(encoding="utf-8-sig").count("\n") == 1   # header only
    assert main(["report", str(tmp_path / "base.sqlite"), "-o", str(tmp_path / "base.pdf"), "--mc-paths", "0"]) == 0
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "base.pdf"), "-"], capture_output=True, text=True).stdout
    assert "No plan yet: keeping every miner mining is worth an NPV of" in text
    assert "Appendix" not in text and "Floor maps" not in text and "Assumptions" in text


def test_exports_get_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "a.csv", "x")
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        atomic.write_text(tmp_path / "b.csv", "x")
        assert (tmp_path / "b.csv").stat().st_mode & 0o777 == 0o600
        os.chmod(tmp_path / "a.csv", 0o664)
        atomic.write_text(tmp_path / "a.csv", "y")         # a replaced file keeps its permissions
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)
