"""`rackshift export-tables PROJECT.sqlite [--plan NAME] -o DIR`: the plan's tables as files.

Writes DIR/cash-flows.csv, DIR/schedule.csv, DIR/rack-conversions.csv (UTF-8) and
DIR/plan-tables.xlsx (a sheet each), each atomically; existing files are replaced. Without
`--plan` the project's current plan is used. A project that cannot be opened, an unknown plan
or an output that cannot be written: one `error: ...` line, exit status 2.
"""
from __future__ import annotations

from desktop.cli.report import open_for_export


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file (.sqlite)")
    parser.add_argument("--plan", metavar="NAME", help="the plan (default: the project's current plan)")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="folder for the files")


def run(args) -> int:
    import os

    from desktop.cli import refuse_output_over_input
    from desktop.export import report_data, tables

    refuse_output_over_input("-o", args.output, {"project": args.project})
    for file_name in ("cash-flows.csv", "schedule.csv", "rack-conversions.csv", tables.XLSX_NAME):
        refuse_output_over_input("-o", os.path.join(args.output, file_name), {"project": args.project})

    project = open_for_export(args.project)
    try:
        plan_id = report_data.resolve_plan(project, args.plan)
        data = report_data.gather(project, plan_id, with_risk=False)
    finally:
        project.close()
    for path in tables.export_tables(data, args.output):
        print(path)
    return 0
