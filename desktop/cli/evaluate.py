"""`rackshift evaluate SCENARIO.json [-o RESULT.json]`: evaluate a scenario, print the result.

The result JSON (`rackshift.result/1`, indent 1) goes to stdout, and with `-o` also to a file,
written atomically by `desktop.export.atomic` (a temporary file in the same folder, then
`os.replace`). A refused scenario, a missing or unreadable file, or an output that cannot be
written is one `error: ...` line on stderr and exit status 2 (`desktop.cli` prints it).
"""
from __future__ import annotations

import json
import sys

from desktop.export.atomic import write_text
from desktop.model.engine import evaluate
from desktop.model.scenario import load_scenario_file

# desktop.cli.export_scenario imports this name; new code should call desktop.export.atomic.write_text.
write_atomically = write_text


def add_arguments(parser) -> None:
    parser.add_argument("scenario", help="scenario file (rackshift.scenario/1 JSON)")
    parser.add_argument("-o", "--output", metavar="RESULT.json", help="also write the result to this file")


def _note_what_an_import_refuses(scenario: dict) -> None:
    """The engine evaluates a fleet of any size; `import-scenario` generates at most a million rack
    positions: say so here in its words, so the two commands never disagree silently."""
    import sys

    from desktop.model.errors import InputError
    from desktop.store import catalog
    from desktop.store.scenario_import import check_positions

    try:
        check_positions(scenario, {m.name: m for m in catalog.seed_entries() if m.kind == "asic"})
    except InputError as exc:
        print(f"note: {exc} (import-scenario refuses this scenario)", file=sys.stderr)


def run(args) -> int:
    from desktop.cli import refuse_output_over_input

    if args.output:
        refuse_output_over_input("-o", args.output, {"scenario": args.scenario})
    scenario = load_scenario_file(args.scenario)
    _note_what_an_import_refuses(scenario)
    result = evaluate(scenario)
    text = json.dumps(result, indent=1, allow_nan=False) + "\n"
    if args.output:
        write_text(args.output, text)
    sys.stdout.write(text)
    return 0
