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
    assert [p.name for p in written] == ["cash-flows.csv", "schedule.csv", "rack-conversions.csv", "plan-tables.xlsx"]
    result = evaluate(scenario_from_project(demo_project, data.plan_id))
    with open(written[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(result["monthly"])
    for row, month in zip(rows, result["monthly"]):
        assert row["month"] == month["month"]
        assert math.isclose(float(row["plan net cash (USD)"]), month["plan_net_cash_usd"], rel_tol=1e-12, abs_tol=1e-9)
        assert math.isclose(float(row["baseline net cash (USD)"]), month["baseline_net_cash_usd"], rel_tol=1e-12,
                            abs_tol=1e-9)
    with open(written[2], encoding="utf-8-sig", newline="") as handle:
        racks = list(csv.DictReader(handle))
    assert len(racks) == len(data.racks) == 750
    assert {r["role"] for r in racks} == {"gpu", "retired"}
    assert not list(tmp_path.joinpath("out").glob("*.part"))


def test_xlsx_has_a_sheet_each_with_numbers_as_numbers(demo_project, tmp_path):
    import openpyxl

    data = _gather(demo_project)
    tables.export_tables(data, tmp_path)
    book = openpyxl.load_workbook(tmp_path / tables.XLSX_NAME)
    assert book.sheetnames == ["Cash flows", "Schedule", "Rack conversions"]
    cash = book["Cash flows"]
    header = [c.value for c in cash[1]]
    col = header.index("delta net cash (USD)")
    deltas = [row[col] for row in cash.iter_rows(min_row=2, values_only=True)]
    assert len(deltas) == len(data.months)
    assert all(isinstance(v, (int, float)) for v in deltas)
    assert min(deltas) < 0                     # negative numbers are numeric cells, not text
    np_delta = data.detail.delta_cash_usd
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-6) for a, b in zip(deltas, np_delta))
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
    assert sheet.cell(2, 3).value.startswith("'=HYPERLINK") and sheet.cell(2, 3).data_type == "s"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS)


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
