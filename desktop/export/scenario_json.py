"""A project's scenario as a JSON file: what `rackshift export-scenario` and File > Export
Scenario… write. No Qt.

The scenario's floats lose their float noise only (desktop.model.rounding.denoise_tree: 12
significant digits, so the file evaluates to the project's figures), it is validated by the
engine (an exported file must be one it accepts) and written through the one atomic writer
(desktop.export.atomic), so it gets the user's umask like every other export.
"""
from __future__ import annotations

import json

from desktop.export import atomic
from desktop.model.rounding import denoise_tree
from desktop.model.scenario import validate_scenario
from desktop.store import checks
from desktop.store.scenario_export import scenario_from_project


def scenario_text(project, plan_id: int | None) -> str:
    checks.require_evaluable(project, plan_id)   # by conversion label and site, with how to resolve it
    scenario = denoise_tree(scenario_from_project(project, plan_id))
    validate_scenario(scenario)
    return json.dumps(scenario, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def write_scenario(project, plan_id: int | None, path) -> None:
    atomic.write_text(path, scenario_text(project, plan_id))
