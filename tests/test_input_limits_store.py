"""Issue 21: values no model could use are refused before they are stored; a fleet CSV may start
with blank lines (the README says blank lines are skipped)."""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.model.fleet_csv import parse_fleet_csv
from desktop.store import catalog

YAML = """manufacturer: Acme
model: Overflow {n}
slug: acme-overflow-{n}
u_height: 4
{body}
"""


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def test_blank_leading_lines_are_skipped():
    parsed = parse_fleet_csv("\n\n  \nsite,model,count\nRed Mesa,Antminer S21,10\n")
    assert parsed.ok, parsed.errors
    assert [(r.line, r.site, r.count) for r in parsed.rows] == [(5, "Red Mesa", 10)]
    bad = parse_fleet_csv("\n\nsite,modle,count\n")
    assert str(bad.errors[0]).startswith("line 3, column modle: unknown column")


@pytest.mark.parametrize("count, ok", [(2**53, True), (2**53 + 1, False), (2**63, False), (10**400, False)])
def test_a_csv_count_past_2_53_is_refused_exactly(count, ok):
    parsed = parse_fleet_csv(f"site,model,count\nRed Mesa,Antminer S21,{count}\n")
    if ok:
        assert parsed.ok and parsed.rows[0].count == count
    else:
        assert not parsed.ok
        assert any(w in str(parsed.errors[0]) for w in ("at most 9,007,199,254,740,992", "whole number", "finite"))


@pytest.mark.parametrize("body, field", [
    ("power-ports:\n  - name: a\n    maximum_draw: 1.0e308\n  - name: b\n    maximum_draw: 1.0e308", "power"),
    ("weight: 1.0e308\nweight_unit: lb\npower-ports:\n  - name: a\n    maximum_draw: 3000", "weight"),
    ("power-ports:\n  - name: a\n    maximum_draw: .inf", "maximum_draw"),
])
def test_yaml_values_that_overflow_are_refused_before_they_are_stored(demo_path, tmp_path, capsys, body, field):
    path = tmp_path / "overflow.yaml"
    path.write_text(YAML.format(n=1, body=body))
    before = demo_path.read_bytes()
    code = cli_main(["import-devicetypes", str(demo_path), str(path), "--gpus-per-server", "8"]
                    if "--gpus-per-server" in _options() else ["import-devicetypes", str(demo_path), str(path)])
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and field in line, line
    assert demo_path.read_bytes() == before


def _options() -> str:
    import argparse

    from desktop.cli import import_devicetypes

    parser = argparse.ArgumentParser()
    import_devicetypes.add_arguments(parser)
    return parser.format_help()


def test_no_stored_model_is_infinite(demo_project):
    import math

    for model in catalog.models(demo_project):
        for value in (model.rack_power_kw, model.weight_kg, model.power_w):
            assert value is None or math.isfinite(value)
