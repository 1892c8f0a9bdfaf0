"""`rackshift import-devicetypes PROJECT.sqlite FILE... [options]`

Reads NetBox device-type YAML files (netbox-community/devicetype-library) into the project's
catalog as GPU systems, one rack of N servers each (desktop.store.devicetype_import). Every
file is read and checked first; if any is refused nothing is stored, and every refused file
gets its own `error:` line. The options apply to every file given (the GUI's preview sets
them file by file). For each entry the power rule used, the cooling and where the GPU count
comes from are printed, with the findings the options did not answer.
"""
from __future__ import annotations

from desktop.model.devicetype_power import RULES
from desktop.model.devicetypes import read_devicetype
from desktop.model.errors import InputError
from desktop.store import devicetype_import
from desktop.store.devicetype_import import COOLING_CHOICES, BatchRefused
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
    parser.add_argument("--power-rule", choices=RULES, default=None,
                        help="how the power ports add up: allocated (allocated_draw), stated (the redundancy the "
                             "file states), n+n, n+1, sum (every supply loaded); default: the first that applies")
    parser.add_argument("--cooling", choices=COOLING_CHOICES, default=None,
                        help="air or liquid for every file, or 'proposed' to take the liquid cooling a model's "
                             "name proposes (-LCC, DLC, NVL72); default: what the file says (cooling_method, airflow)")
    parser.add_argument("--gpus-per-server", type=int, default=None, metavar="N",
                        help="GPUs in one server, overriding what the files say")
    parser.add_argument("--confirm-no-gpus", action="store_true",
                        help="import files in which no GPUs are found as GPU systems anyway")
    parser.add_argument("--rack-allowance-kg", type=float, default=None, metavar="KG",
                        help="what a rack weighs beyond its servers (default 150 kg air-cooled, 800 kg liquid)")


def _read_all(paths: list[str]) -> list:
    devices, refused = [], []
    for path in paths:
        try:
            devices.append(read_devicetype(path))
        except InputError as exc:
            refused.append(exc)
    if refused:
        raise BatchRefused(refused)
    return devices


def run(args) -> int:
    options = devicetype_import.RackOptions(
        args.servers_per_rack, args.power_kw_per_rack, args.power_w_per_server, power_rule=args.power_rule,
        cooling=args.cooling, gpus_per_server=args.gpus_per_server, confirm_no_gpus=args.confirm_no_gpus,
        rack_allowance_kg=args.rack_allowance_kg)
    options.check()
    devices = _read_all(args.files)
    try:
        new = devicetype_import.entries(devices, options)
    except BatchRefused as exc:
        for e in exc.errors:
            if e.field.endswith(": power"):
                e.message += " (--power-kw-per-rack)"
            elif e.field.endswith(": power-ports"):
                e.message += " (--power-w-per-server)"
            elif e.field.endswith(": GPUs"):
                e.message += " (--gpus-per-server or --confirm-no-gpus)"
        raise
    with open_project(args.project) as project:
        record = devicetype_import.apply(project, new)
    updated = {row["name"] for _, _, row in record["updated"]}
    for entry, device in zip(new, devices):
        verb = "updated" if entry.name in updated else "added"
        print(f"{verb}: {entry.name}: {entry.rack_power_kw:g} kW a rack, {entry.servers_per_rack} server(s), "
              f"{entry.cooling}" + (f", {entry.gpus_per_rack} GPUs" if entry.gpus_per_rack else "")
              + (f", {entry.weight_kg:g} kg" if entry.weight_kg is not None else ""))
        print(f"  power: {devicetype_import.power_basis(device, options)}")
        if device.cooling_proposal and options.cooling is None:
            print(f"  proposal: {device.proposal_basis} (--cooling proposed takes it)")
        for finding in devicetype_import.open_findings(device, options):
            print(f"  warning: {device.source}: {finding.text}")
    return 0
