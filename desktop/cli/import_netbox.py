"""`rackshift import-netbox PROJECT.sqlite FILE_OR_DIR...`: NetBox's racks into halls and positions.

Reads NetBox CSV exports of sites, locations, racks and devices (desktop.model.netbox_csv; a
folder is read for its *.csv files, as `rackshift export-netbox` writes them) into the
project (desktop.store.netbox_import): a site each, a hall per location, a position per
rack, and the planned GPU racks as a plan. A project file that does not exist is created
(with the seed catalog); an existing one gets the new sites. Prints what was made and what
took defaults. Refused input: one `error: FILE: line N, column X: ...` line, exit status 2,
and nothing is written (a new project file is not left behind).
"""
from __future__ import annotations

from pathlib import Path

from desktop.model.netbox_csv import read_netbox


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file (.sqlite); created when it does not exist")
    parser.add_argument("files", nargs="+", metavar="FILE_OR_DIR",
                        help="NetBox CSV exports (sites, locations, racks, devices) or a folder of them")


def run(args) -> int:
    from desktop.store import netbox_import
    from desktop.store.project import create_project, open_project

    data = read_netbox(args.files)
    folder = next((Path(f) for f in args.files if Path(f).is_dir()), Path(args.files[0]).parent)
    path = Path(args.project)
    new = not path.exists()
    project = create_project(path) if new else open_project(path)
    try:
        summary = netbox_import.import_netbox(project, data, folder)
    except BaseException:
        project.close()
        if new:
            path.unlink(missing_ok=True)
        raise
    project.close()
    print(f"{'created' if new else 'updated'} {path}: {summary.sites} site(s), {summary.halls} hall(s), "
          f"{summary.positions} position(s)" + (f", {summary.gpu_racks} planned GPU rack(s) in plan "
                                                f"{summary.plan!r}" if summary.plan else ""))
    for note in summary.notes:
        print(f"  note: {note}")
    return 0
