"""`rackshift evaluate`: result JSON on stdout, -o written atomically, bad input is exit 2."""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from desktop.cli import main
from desktop.model import evaluate

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
ROOT = pathlib.Path(__file__).resolve().parent.parent


def rackshift(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "desktop", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=60)


def test_evaluate_prints_the_result():
    run = rackshift("evaluate", GOLDEN / "g3-colocation.json")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith('{\n "format": "rackshift.result/2"')
    expected = evaluate(json.loads((GOLDEN / "g3-colocation.json").read_text()))
    assert json.loads(run.stdout) == expected


def test_bad_scenario_is_exit_2_with_one_line_and_no_traceback():
    run = rackshift("evaluate", GOLDEN / "bad-unknown-site.json")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "error: plan.conversions[0].site: unknown site 'Riverbed' (did you mean 'Riverbend'?)\n"


@pytest.mark.parametrize("name, content, words", [
    ("missing.json", None, "no such file"),
    ("", None, "folder"),
    ("x.json", "{oops", "not valid JSON"),
    ("n.json", '{"format": NaN}', "NaN"),
])
def test_unreadable_input_is_exit_2(tmp_path, capsys, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    assert main(["evaluate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and words in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_output_file_is_written_atomically(tmp_path, capsys):
    target = tmp_path / "result.json"
    target.write_text("old")
    assert main(["evaluate", str(GOLDEN / "g1-single-site.json"), "-o", str(target)]) == 0
    out, _ = capsys.readouterr()
    assert target.read_text() == out
    assert json.loads(out)["baseline"]["btc_mined"] == pytest.approx(28.660901105454546)
    assert sorted(os.listdir(tmp_path)) == ["result.json"]  # no temporary file left behind


def test_output_that_cannot_be_written_is_exit_2_and_leaves_nothing(tmp_path, capsys):
    assert main(["evaluate", str(GOLDEN / "g1-single-site.json"), "-o", str(tmp_path / "no" / "r.json")]) == 2
    _, err = capsys.readouterr()
    assert err.startswith("error: ") and "cannot write" in err
    folder = tmp_path / "r.json"
    folder.mkdir()
    assert main(["evaluate", str(GOLDEN / "g1-single-site.json"), "-o", str(folder)]) == 2
    assert sorted(os.listdir(tmp_path)) == ["r.json"] and list(folder.iterdir()) == []


def test_a_refused_scenario_leaves_the_output_alone(tmp_path, capsys):
    target = tmp_path / "result.json"
    target.write_text("old")
    assert main(["evaluate", str(GOLDEN / "bad-grid-overload.json"), "-o", str(target)]) == 2
    assert target.read_text() == "old"


def test_usage_errors_are_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["evaluate"])
    assert caught.value.code == 2
