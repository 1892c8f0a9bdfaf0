"""The plan's tables for the spreadsheet: CSV files (UTF-8) and one XLSX workbook. No Qt.

Three tables, from a `ReportData` (report_data.gather):
- cash-flows: month by month, baseline and plan by component, net cash and the delta;
- schedule: one row per conversion (site, hall, racks, MW, start, commercial operation, capex);
- rack-conversions: one row per rack position the plan takes;
- debt-schedule: the plan's debt, DSCR and tax by 12-month block (export/tables_v2.py).
The cash flows carry every ECONOMICS.md v2 line: curtailment credits, prepayments, tax
(unlevered and levered), terminal value, debt drawn, interest, principal, CFADS, equity cash.
`export_tables(data, folder)` writes `cash-flows.csv`, `schedule.csv`, `rack-conversions.csv`
and `plan-tables.xlsx` (a sheet each), every file atomically. Numbers are rounded to their
unit's precision (desktop.model.rounding: money to the cent, MW to the kW, BTC to the satoshi)
and written as numbers. In the CSV a text cell that a spreadsheet would run as a formula gets a
protective apostrophe (csv_safe); in the XLSX every text cell is a string cell, which no
spreadsheet evaluates, so it shows exactly as typed. Months are `YYYY-MM` text in the CSV and
date cells with a month format in the XLSX. CSV files start with a UTF-8 byte order mark so
that Excel reads Arabic and other scripts right. A project without a plan exports its baseline.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.export import atomic, tables_v2
from desktop.export.csv_safe import escape_row
from desktop.model.months import parse_month
from desktop.model.rounding import BTC_DIGITS, MONEY_DIGITS, MW_DIGITS, round_number

CSV_ENCODING = "utf-8-sig"
XLSX_NAME = "plan-tables.xlsx"


@dataclass
class Column:
    key: str
    header: str
    kind: str = "text"      # text | month | usd | mw | btc | number | int

    def value(self, raw):
        """The cell's value as exported: rounded for the column's unit."""
        if raw is None or isinstance(raw, (bool, str)) or isinstance(raw, numbers.Integral):
            return int(raw) if isinstance(raw, numbers.Integral) and not isinstance(raw, bool) else raw
        if isinstance(raw, numbers.Real):
            return round_number(float(raw), DIGITS.get(self.kind))
        return raw


DIGITS = {"usd": MONEY_DIGITS, "mw": MW_DIGITS, "btc": BTC_DIGITS}


@dataclass
class Table:
    name: str               # file stem
    sheet: str              # worksheet name (at most 31 characters)
    columns: list[Column]
    rows: list[list]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _cash_table(data) -> Table:
    d = data.detail
    b, p = d.baseline, d.plan
    cols = [Column("month", "month", "month")]
    series: list[np.ndarray] = []

    def add(key, header, values):
        cols.append(Column(key, header, "usd"))
        series.append(np.asarray(values, dtype=float))

    add("baseline_mining_revenue_usd", "baseline mining revenue (USD)", b.mining_revenue_usd.sum(axis=0))
    add("baseline_power_cost_usd", "baseline power cost (USD)", b.power_cost_usd.sum(axis=0))
    add("baseline_opex_usd", "baseline opex (USD)", b.opex_usd.sum(axis=0))
    for key, header, values in tables_v2.baseline_lines(b):
        add(key, header, values)
    add("baseline_net_cash_usd", "baseline net cash (USD)", b.cash_usd)
    if p is not None and data.has_plan:
        add("plan_mining_revenue_usd", "plan mining revenue (USD)", p.mining_revenue_usd.sum(axis=0))
        add("plan_hosting_revenue_usd", "plan hosting revenue (USD)", p.hosting_revenue_usd.sum(axis=0))
        add("plan_resale_usd", "plan miners sold (USD)", p.resale_usd.sum(axis=0))
        add("plan_power_cost_usd", "plan power cost (USD)", p.power_cost_usd.sum(axis=0))
        add("plan_opex_usd", "plan opex (USD)", p.opex_usd.sum(axis=0))
        add("plan_capex_usd", "plan capex (USD)", p.capex_usd.sum(axis=0))
        for key, header, values in tables_v2.plan_lines(d):
            add(key, header, values)
        add("plan_net_cash_usd", "plan net cash (USD)", p.cash_usd)
        add("delta_net_cash_usd", "delta net cash (USD)", d.delta_cash_usd)
        add("cumulative_delta_usd", "cumulative delta (USD)", np.cumsum(d.delta_cash_usd))
    matrix = np.vstack(series).T.tolist() if series else [[] for _ in d.months]
    rows = [[month, *values] for month, values in zip(d.months, matrix)]
    return Table("cash-flows", "Cash flows", cols, _rounded(cols, rows))


def _rounded(columns: list[Column], rows: list[list]) -> list[list]:
    return [[c.value(v) for c, v in zip(columns, row)] for row in rows]


SCHEDULE_COLUMNS = [
    Column("conversion", "conversion"), Column("site", "site"), Column("hall", "hall"), Column("mode", "mode"),
    Column("system", "GPU system"), Column("gpu_racks", "GPU racks", "int"),
    Column("positions_retired", "positions retired", "int"), Column("miners_removed", "miners removed", "int"),
    Column("critical_it_mw", "critical IT (MW)", "mw"), Column("grid_mw", "grid reserved (MW)", "mw"),
    Column("start_month", "start month", "month"), Column("build_months", "build months", "int"),
    Column("cod_month", "commercial operation", "month"),
    Column("cod_after_horizon", "commercial operation after the horizon"), Column("capex_usd", "capex (USD)", "usd"),
    Column("breaches", "breaches", "int"),
]

RACK_COLUMNS = [
    Column("position", "position"), Column("hall", "hall"), Column("site", "site"), Column("role", "role"),
    Column("before_model", "before: model"), Column("before_units", "before: miners", "int"),
    Column("system", "after: GPU system"), Column("month", "month", "month"), Column("conversion", "conversion"),
]


def plan_tables(data) -> list[Table]:
    return [
        _cash_table(data),
        Table("schedule", "Schedule", SCHEDULE_COLUMNS,
              _rounded(SCHEDULE_COLUMNS, [[_cell(row, c.key) for c in SCHEDULE_COLUMNS] for row in data.schedule])),
        Table("rack-conversions", "Rack conversions", RACK_COLUMNS,
              _rounded(RACK_COLUMNS, [[row[c.key] for c in RACK_COLUMNS] for row in data.racks])),
        _debt_table(data),
    ]


def _debt_table(data) -> Table:
    columns = [Column(k, h, kind) for k, h, kind in tables_v2.DEBT_COLUMNS]
    return Table("debt-schedule", "Debt schedule", columns, _rounded(columns, tables_v2.debt_rows(data.detail)))


def _cell(row: dict, key: str):
    if key == "cod_after_horizon":
        return "yes" if row[key] else "no"
    return row[key]


def month_date(label: str) -> _dt.date:
    """The first day of a `YYYY-MM` month, for a spreadsheet's date cell."""
    year, month = parse_month(label, "month")
    return _dt.date(year, month, 1)


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(escape_row(table.headers))
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in escape_row(row)])
    return out.getvalue()


def xlsx_bytes(tables: list[Table], title: str = "", author: str = "") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False,
                                        "nan_inf_to_errors": True})
    book.set_properties({"title": title, "author": author, "creator": "Rackshift"})
    bold = book.add_format({"bold": True, "bg_color": "#E5E7EB", "text_wrap": True, "valign": "top"})
    formats = {"usd": book.add_format({"num_format": "#,##0.00;-#,##0.00"}),
               "mw": book.add_format({"num_format": "#,##0.000"}),
               "btc": book.add_format({"num_format": "#,##0.00000000"}),
               "number": book.add_format({"num_format": "#,##0.###"}),
               "int": book.add_format({"num_format": "#,##0"}), "text": None,
               "month": book.add_format({"num_format": "mmm yyyy", "align": "left"})}
    for table in tables:
        sheet = book.add_worksheet(table.sheet[:31])
        for c, header in enumerate(table.headers):
            sheet.write_string(0, c, header, bold)
        for r, row in enumerate(table.rows, start=1):
            for c, value in enumerate(row):
                kind = table.columns[c].kind
                fmt = formats[kind]
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, numbers.Real):
                    sheet.write_number(r, c, float(value), fmt)
                elif kind == "month":
                    sheet.write_datetime(r, c, _dt.datetime.combine(month_date(value), _dt.time()), fmt)
                else:                       # a string cell: never evaluated, shown as typed
                    sheet.write_string(r, c, str(value))
        for c, column in enumerate(table.columns):
            width = max([len(column.header) * 0.8] + [len(str(row[c])) for row in table.rows[:200]])
            sheet.set_column(c, c, min(max(width + 2, 9), 48))
        sheet.freeze_panes(1, 0)
        if table.rows:
            sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)
    book.close()
    return buffer.getvalue()


def output_paths(folder) -> list[Path]:
    folder = Path(folder)
    return [folder / f"{name}.csv" for name in ("cash-flows", "schedule", "rack-conversions", "debt-schedule")] + [folder / XLSX_NAME]


def export_tables(data, folder) -> list[Path]:
    """Write the CSV files and the workbook into `folder` (made if missing); return the paths."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from desktop.model.errors import InputError

        raise InputError("output", f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    tables = plan_tables(data)
    written = []
    for table in tables:
        path = folder / f"{table.name}.csv"
        atomic.write_text(path, csv_text(table), encoding=CSV_ENCODING)
        written.append(path)
    path = folder / XLSX_NAME
    atomic.write_bytes(path, xlsx_bytes(tables, title=f"{data.project_name}: {data.title}",
                                        author=data.prepared_by))
    written.append(path)
    return written
