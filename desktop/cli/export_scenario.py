"""`rackshift export-scenario PROJECT.sqlite [--plan NAME] -o SCENARIO.json`: a project's scenario.

Writes the project's assumptions, sites and fleets, and one plan (by name; without
`--plan`, the project's current plan, or none if it has no plans; `--baseline` leaves the
plan out). The file is validated by the engine before it is written, atomically.
"""
from __future__ import annotations

from desktop.cli import CliError
from desktop.cli.evaluate import write_atomically
from desktop.export.scenario_json import scenario_text
from desktop.store import plans, settings
from desktop.store.project import open_project
from desktop.store.scenario_export import skipped_conversions


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file")
    parser.add_argument("--plan", metavar="NAME", help="the plan to export (default: the current plan)")
    parser.add_argument("--baseline", action="store_true", help="export no plan (keep mining)")
    parser.add_argument("-o", "--output", metavar="SCENARIO.json", required=True, help="scenario file to write")


def choose_plan(project, name: str | None, baseline: bool = False) -> int | None:
    if baseline:
        return None
    if name is not None:
        plan = plans.by_name(project, name)
        if plan is None:
            known = ", ".join(repr(p.name) for p in plans.plans(project)) or "none"
            raise CliError(f"--plan: no plan named {name!r} (plans: {known})")
        return plan.id
    current = settings.current_plan_id(project)
    if current is not None and any(p.id == current for p in plans.plans(project)):
        return current
    existing = plans.plans(project)
    return existing[0].id if existing else None


def run(args) -> int:
    from desktop.cli import refuse_output_over_input

    refuse_output_over_input("-o", args.output, {"project": args.project})
    with open_project(args.project, readonly=True) as project:
        plan_id = choose_plan(project, args.plan, args.baseline)
        text = scenario_text(project, plan_id)
        skipped = skipped_conversions(project, plan_id) if plan_id is not None else []
    write_atomically(args.output, text)
    for label in skipped:
        print(f"note: {label} places no GPU capacity and is left out", flush=True)
    return 0
