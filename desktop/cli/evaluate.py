"""`rackshift evaluate SCENARIO.json [-o RESULT.json]`: evaluate a scenario, print the result.

The result JSON (`rackshift.result/1`, indent 1) goes to stdout, and with `-o` also to a file,
written atomically (a temporary file in the same folder, then `os.replace`). A scenario that is
refused, a missing or unreadable file, or an output that cannot be written is one `error: ...`
line on stderr and exit status 2 (the dispatcher in `desktop.cli` prints it).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile

from desktop.cli import CliError
from desktop.model.engine import evaluate
from desktop.model.scenario import load_scenario_file


def add_arguments(parser) -> None:
    parser.add_argument("scenario", help="scenario file (rackshift.scenario/1 JSON)")
    parser.add_argument("-o", "--output", metavar="RESULT.json", help="also write the result to this file")


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the whole new one."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rackshift-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise CliError(f"{path}: cannot write ({exc.strerror or exc})") from None


def run(args) -> int:
    result = evaluate(load_scenario_file(args.scenario))
    text = json.dumps(result, indent=1, allow_nan=False) + "\n"
    if args.output:
        write_atomically(args.output, text)
    sys.stdout.write(text)
    return 0
