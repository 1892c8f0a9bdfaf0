"""`rackshift export-netbox PROJECT.sqlite [--plan NAME] -o DIR`: the plan as NetBox data.

Writes NetBox bulk-import CSVs (manufacturers, device-roles, sites, locations, racks,
devices) and DIR/device-types/*.yaml (the GPU systems, in the devicetype-library's format),
each atomically (desktop.export.netbox_csv; the README's NetBox section says what maps to
what). Without `--plan` the project's current plan is used. The project is opened read-only.
A project that cannot be opened, an unknown plan or a folder that cannot be written: one
`error: ...` line, exit status 2.
"""
from __future__ import annotations

from desktop.cli.report import open_for_export


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file (.sqlite)")
    parser.add_argument("--plan", metavar="NAME", help="the plan (default: the project's current plan)")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="folder for the files (made if missing)")


def run(args) -> int:
    from desktop.export import netbox_csv, report_data

    project = open_for_export(args.project)
    try:
        plan_id = report_data.resolve_plan(project, args.plan)
        paths = netbox_csv.export_netbox(project, plan_id, args.output)
    finally:
        project.close()
    for path in paths:
        print(path)
    return 0
