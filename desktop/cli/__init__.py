"""The `rackshift` command.

`rackshift [PROJECT.sqlite]` opens the GUI; `rackshift COMMAND ...` runs a headless command.
Each command lives in its own module under `desktop.cli` and is listed in COMMANDS; a module
provides `add_arguments(parser)` and `run(args) -> int`.

Exit status: 0 success, 2 bad input (one `error: ...` line on stderr, never a traceback),
3 a command's own "done, but with findings" status (for example `convert --strict`).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from desktop import __version__
from desktop.model.errors import InputError

# command name -> (module under desktop.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "write the demo portfolio to a new project file"),
    "evaluate": ("evaluate", "evaluate a scenario JSON file and print the result JSON"),
    "check": ("check", "check a project file (schema, counts, quick_check) without changing it"),
    "import-scenario": ("import_scenario", "create a project file from a scenario JSON file"),
    "export-scenario": ("export_scenario", "write the scenario JSON of a project and one of its plans"),
    "import-devicetypes": ("import_devicetypes", "add NetBox device-type YAML files to a project's catalog"),
    "convert": ("convert", "convert rack positions of a hall to GPU racks in a plan"),
    "report": ("report", "write a plan's report for management as a PDF"),
    "export-tables": ("export_tables", "write a plan's cash flows, schedule and rack list as CSV and XLSX"),
    "export-netbox": ("export_netbox", "write a plan's sites, halls, racks and GPU servers as NetBox import data"),
    "import-netbox": ("import_netbox", "read NetBox CSV exports of sites, locations, racks, devices into a project"),
}


class CliError(Exception):
    """Bad input on the command line: printed as `error: ...`, exit status 2."""


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def refuse_output_over_input(option: str, output, inputs: dict) -> None:
    """Refuse an output path that names (by samefile or resolved path, through symlinks) one of
    the command's inputs: writing it would destroy the input. `inputs`: {what: path}."""
    import os

    for what, path in inputs.items():
        if path is None:
            continue
        for suffix in ("", "-journal", "-wal", "-shm"):
            if _same_file(os.fspath(output), os.fspath(path) + suffix):
                named = what if not suffix else f"{what}'s {suffix[1:]} file"
                raise CliError(f"{option}: {output} is the {named} ({path}); writing it would destroy it: "
                               f"choose another output file")


def _quietly(run, args) -> int:
    """Run a command with numpy's floating-point warnings off: a value that overflows is refused by
    name (or shows as inf in the result), never a RuntimeWarning on the user's terminal."""
    import warnings

    import numpy as np

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return int(run(args) or 0)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's usage errors also exit 2, with one line
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(f"desktop.cli.{module_name}")
    parser = _Parser(prog=f"rackshift {name}", description=help_text)
    module.add_arguments(parser)
    return parser, module


def _gui_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {n:<20} {h}" for n, (_, h) in COMMANDS.items())
    parser = _Parser(
        prog="rackshift",
        description="Rackshift: plan the conversion of mining sites to AI hosting.",
        epilog=f"commands (rackshift COMMAND --help):\n{commands}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", nargs="?", help="project file to open in the GUI")
    parser.add_argument("--version", action="version", version=f"rackshift {__version__}")
    parser.add_argument("--self-test", action="store_true", help="run the headless self-test")
    parser.add_argument("--out", default=None, help="self-test output folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            parser, module = _command_parser(argv[0])
            args = parser.parse_args(argv[1:])
            return _quietly(module.run, args)
        args = _gui_parser().parse_args(argv)
        if args.self_test:
            from desktop.selftest import run_self_test

            return run_self_test(args.out)
        from desktop.app import main as gui_main

        return gui_main(args.project)
    except (CliError, InputError) as exc:
        for line in str(exc).splitlines() or [""]:  # a batch refusal: every refused file, one a line
            print(f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except (OSError, MemoryError) as exc:
        # a disk that is full or read-only, a file that vanished: a refusal, not a bug
        from desktop.store.project import storage_error

        where = getattr(exc, "filename", None) or "rackshift"
        refusal = storage_error(str(where), exc) if isinstance(exc, OSError) else None
        text = str(refusal) if refusal else f"{where}: {getattr(exc, 'strerror', None) or exc or type(exc).__name__}"
        print(f"error: {_one_line(text)}", file=sys.stderr)
        return 2
    except Exception as exc:
        from desktop.store.project import database_refusal

        refusal = database_refusal(exc)   # a SQLite error escaping the store: a refusal, not a bug
        if refusal is None:
            raise
        print(f"error: {_one_line(str(refusal))}", file=sys.stderr)
        return 2


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "refused"
