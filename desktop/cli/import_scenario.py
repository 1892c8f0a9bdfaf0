"""`rackshift import-scenario SCENARIO.json PROJECT.sqlite`: a new project from a scenario.

The scenario is read (size-limited) and validated by the engine's validation; a refused
scenario is one `error: field: message` line and exit status 2, and no file is written.
Halls and rack positions are generated for the fleet by the rule in
`desktop.store.scenario_import` (`rackshift import-scenario --help` prints it).
"""
from __future__ import annotations

import argparse

from desktop.model.scenario import read_json_file
from desktop.store import halls, plans, sites
from desktop.store.scenario_import import HALL_RULE, import_scenario


def add_arguments(parser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = HALL_RULE
    parser.add_argument("scenario", help="scenario file (rackshift.scenario/1 JSON)")
    parser.add_argument("project", help="project file to create (must not exist)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing project file")


def run(args) -> int:
    data = read_json_file(args.scenario)
    project = import_scenario(data, args.project, overwrite=args.overwrite, source=f"scenario file {args.scenario}")
    with project:
        n_sites = len(sites.sites(project))
        n_halls = len(halls.halls(project))
        n_positions = halls.position_count(project)
        n_plans = len(plans.plans(project))
    print(f"{args.project}: {n_sites} sites, {n_halls} halls, {n_positions:,} rack positions, {n_plans} plan(s)")
    return 0
