"""`rackshift import-devicetypes PROJECT.sqlite FILE... [--power-kw-per-rack X] [--servers-per-rack N]`

Reads NetBox device-type YAML files (netbox-community/devicetype-library) into the project's
catalog as GPU systems, one rack of N servers each (desktop.store.devicetype_import). Every
file is read and checked first; if any is refused nothing is stored. Warnings (power that
disagrees with the file's own comments, trays powered by the rack) are printed.
"""
from __future__ import annotations

from desktop.model.devicetypes import read_devicetype
from desktop.model.errors import InputError
from desktop.store import devicetype_import
from desktop.store.project import open_project


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file")
    parser.add_argument("files", nargs="+", metavar="FILE", help="NetBox device-type YAML files")
    parser.add_argument("--servers-per-rack", type=int, default=1, metavar="N",
                        help="servers (or trays) in one rack (default 1)")
    parser.add_argument("--power-kw-per-rack", type=float, default=None, metavar="X",
                        help="the rack's power in kW, overriding the files' power ports")
    parser.add_argument("--power-w-per-server", type=float, default=None, metavar="W",
                        help="the power of one server in W, overriding its power ports")


def run(args) -> int:
    options = devicetype_import.RackOptions(args.servers_per_rack, args.power_kw_per_rack, args.power_w_per_server)
    options.check()
    devices = [read_devicetype(path) for path in args.files]
    try:
        new = devicetype_import.entries(devices, options)
    except InputError as exc:
        if exc.field.endswith(": power"):
            raise InputError(exc.field, exc.message + " (--power-kw-per-rack)") from None
        raise
    with open_project(args.project) as project:
        record = devicetype_import.apply(project, new)
    updated = {row["name"] for _, _, row in record["updated"]}
    for entry, device in zip(new, devices):
        verb = "updated" if entry.name in updated else "added"
        print(f"{verb}: {entry.name}: {entry.rack_power_kw:g} kW a rack, {entry.servers_per_rack} server(s), "
              f"{entry.cooling}" + (f", {entry.gpus_per_rack} GPUs" if entry.gpus_per_rack else ""))
        for warning in device.warnings:
            print(f"  warning: {device.source}: {warning}")
    return 0
