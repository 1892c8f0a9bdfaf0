"""`rackshift convert`: exit 0 with a report, 3 with --strict and breaches, 2 on bad input
with nothing written."""
import hashlib

import pytest

from desktop.cli import main
from desktop.store import checks, plans, settings
from desktop.store.project import open_project

BASE = ["--site", "Red Mesa", "--hall", "Hall A"]


def _digest(path) -> str:
    """The file's bytes but SQLite's change counter (header bytes 24-27, copied to 92-95): the
    first edit of a session switches the file to WAL and closing switches it back, which bumps
    the counter even when the edit is refused and rolled back; every page of data stays as it was."""
    data = bytearray(path.read_bytes())
    data[24:28] = data[92:96] = b"\0\0\0\0"
    return hashlib.sha256(bytes(data)).hexdigest()


def _conversions(path, plan="Red Mesa Hall C to colocation"):
    with open_project(path) as project:
        plan = plans.by_name(project, plan)
        return [] if plan is None else plans.conversions(project, plan.id)


def test_convert_prints_what_it_did(demo_path, capsys):
    code = main(["convert", str(demo_path), *BASE, "--positions", "A01-C40", "--to", "4x DGX H100 rack",
                 "--month", "2027-06"])
    out = capsys.readouterr().out
    assert code == 0
    assert "converted 120 positions of Red Mesa / Hall A to 4x DGX H100 rack from 2027-06" in out
    assert "GPU racks          56 (power-neutral): A01-A40, B01-B16" in out
    assert "retired            64: B17-B40, C01-C40" in out
    assert "critical IT        2.285 MW" in out
    assert "miners removed     960 (Antminer S19 XP 960)" in out
    assert "rack feed:" in out
    [_, conv] = _conversions(demo_path)   # the demo's Hall C conversion, then this one
    assert conv.start_month == 6 and conv.racks_placed == 56
    with open_project(demo_path) as project:
        assert any(b.startswith("rack feed:") for b in checks.conversion_breaches(project, conv.id))


def test_strict_exits_3_on_breaches_and_keeps_the_conversion(demo_path, capsys):
    code = main(["convert", str(demo_path), *BASE, "--positions", "D01-D40", "--to", "GB200 NVL72", "--strict",
                 "--plan", "Liquid"])
    out = capsys.readouterr().out
    assert code == 3
    assert "in plan 'Liquid' (new)" in out and "breaches (3):" in out
    assert "cooling:" in out and "floor load:" in out and "rack feed:" in out
    assert len(_conversions(demo_path, "Liquid")) == 1


def test_strict_without_breaches_exits_0(demo_path, capsys):
    lac = ["--site", "Lac Bleu", "--hall", "Hall 2"]
    code = main(["convert", str(demo_path), *lac, "--positions", "A01-A10", "--to", "GB200 NVL72", "--racks", "1",
                 "--strict", "--month", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "breaches: none" in out and "GPU racks          1 (as asked): A01" in out


@pytest.mark.parametrize("args, message", [
    (["--site", "Nowhere", "--hall", "Hall A", "--positions", "A01", "--to", "GB200 NVL72"], "error: site: no site named 'Nowhere'"),
    ([*BASE[:2], "--hall", "Hall Z", "--positions", "A01", "--to", "GB200 NVL72"], "error: hall:"),
    ([*BASE, "--positions", "A01-A10", "--to", "Quantum rack"], "error: to: 'Quantum rack' is not a GPU system"),
    ([*BASE, "--positions", "A01-A10", "--to", "Antminer S21"], "error: to:"),
    ([*BASE, "--positions", "A01-ZZ9", "--to", "GB200 NVL72"], "error: positions:"),
    ([*BASE, "--positions", "A01;A02", "--to", "GB200 NVL72"], "error: positions:"),
    ([*BASE, "--positions", "A01-A10", "--to", "GB200 NVL72", "--month", "1999-01"], "error: month:"),
    ([*BASE, "--positions", "A01-A10", "--to", "GB200 NVL72", "--racks", "0"], "error: racks:"),
    ([*BASE, "--positions", "A01", "--to", "GB200 NVL72"], "frees too little power"),
])
def test_bad_input_exits_2_and_writes_nothing(demo_path, capsys, args, message):
    before = _digest(demo_path)
    code = main(["convert", str(demo_path), *args, "--plan", "New plan"])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert _digest(demo_path) == before


def test_already_converted_in_the_current_plan(demo_path, capsys):
    assert main(["convert", str(demo_path), "--site", "Red Mesa", "--hall", "Hall C", "--positions", "A01-A05",
                 "--to", "GB200 NVL72"]) == 2
    assert "5 of the selected positions are already converted" in capsys.readouterr().err


def test_no_plan_makes_plan_1(demo_path, capsys):
    with open_project(demo_path) as project:
        for plan in plans.plans(project):
            plans.delete(project, plan.id)
        settings.put(project, "current_plan_id", None)
    assert main(["convert", str(demo_path), *BASE, "--positions", "all", "--to", "4x DGX H100 rack"]) == 0
    assert "in plan 'Plan 1' (new)" in capsys.readouterr().out
    with open_project(demo_path) as project:
        plan = plans.by_name(project, "Plan 1")
        assert settings.current_plan_id(project) == plan.id
        assert len(plans.conversions(project, plan.id)) == 1
