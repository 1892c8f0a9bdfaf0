"""Issue 18: untrusted scenario JSON edge cases: integers past SQLite's 64-bit range, lone
surrogates, control characters, decomposed Unicode, counts whose power overflows. `evaluate`
and `import-scenario` refuse each with the same one `error:` line (exit 2), write nothing, and
let no numpy warning through; a fuzz run puts such values anywhere in a scenario."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main as cli_main
from desktop.store import sites
from desktop.store.project import open_project

HERE = Path(__file__).resolve().parent
_SHARED = HERE.parents[1] / "shared" / "golden"
GOLDEN = _SHARED if _SHARED.is_dir() else HERE / "golden"
BASE = json.loads((GOLDEN / "g3-colocation.json").read_text(encoding="utf-8"))


def _write(path: Path, scenario: dict) -> None:
    path.write_text(json.dumps(scenario, ensure_ascii=True))   # (a lone surrogate as \\udc80)


def _run(capsys, *argv) -> tuple[int, list[str]]:
    code = cli_main(list(argv))
    captured = capsys.readouterr()
    return code, [line for line in captured.err.splitlines() if line.strip()]


def _conv(s, key, value):
    s["plan"]["conversions"][0][key] = value


CASES = {
    "build_months 2**63": (lambda s: _conv(s, "build_months", 2**63),
                           "plan.conversions[0].build_months: must be at most 9,007,199,254,740,992"),
    "start_month -2**63-1": (lambda s: _conv(s, "start_month", -(2**63) - 1), "plan.conversions[0].start_month"),
    "count 2**63": (lambda s: s["sites"][0]["fleet"][0].__setitem__("count", 2**63),
                    "sites[0].fleet[0].count: must be at most 9,007,199,254,740,992"),
    "count 1e308": (lambda s: s["sites"][0]["fleet"][0].__setitem__("count", 1e308),
                    "sites[0].fleet[0].count: must be at most 9,007,199,254,740,992"),
    "lone surrogate": (lambda s: s["sites"][0].__setitem__("name", "River\udc80bend"),
                       "sites[0].name: must be valid UTF-8 text (it holds a lone surrogate)"),
    "line break in a name": (lambda s: s["sites"][0].__setitem__("name", "River\nbend"),
                             "sites[0].name: must not hold control characters (a line break)"),
    "tab in a name": (lambda s: s["sites"][0].__setitem__("name", "River\tbend"),
                      "sites[0].name: must not hold control characters (a tab)"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_same_refusal_in_evaluate_and_import(case, tmp_path, capsys):
    mutate, message = CASES[case]
    scenario = copy.deepcopy(BASE)
    mutate(scenario)
    source = tmp_path / "s.json"
    _write(source, scenario)
    seen = []
    for argv in (["evaluate", str(source)], ["import-scenario", str(source), str(tmp_path / "p.sqlite")]):
        code, lines = _run(capsys, *argv)
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), (argv, lines)
        assert message in lines[0], lines
        seen.append(lines[0])
    assert seen[0] == seen[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_decomposed_names_are_stored_composed(tmp_path, capsys):
    scenario = copy.deepcopy(BASE)
    name = scenario["sites"][0]["name"]
    decomposed = "Cafe\u0301 " + name
    scenario["sites"][0]["name"] = decomposed
    scenario["plan"]["conversions"][0]["site"] = "Caf\u00e9 " + name   # typed composed elsewhere
    source = tmp_path / "s.json"
    _write(source, scenario)
    assert cli_main(["import-scenario", str(source), str(tmp_path / "p.sqlite")]) == 0
    with open_project(tmp_path / "p.sqlite", readonly=True) as project:
        assert [s.name for s in sites.sites(project)][0] == "Caf\u00e9 " + name


def test_evaluate_says_what_an_import_would_refuse(tmp_path, capsys):
    scenario = copy.deepcopy(BASE)
    site = scenario["sites"][0]
    site["grid_capacity_mw"] = 1e9
    site["fleet"][0]["count"] = 9_000_000
    source = tmp_path / "s.json"
    _write(source, scenario)
    code, lines = _run(capsys, "evaluate", str(source))
    assert code == 0
    assert lines == [lines[0]] and "rack positions; an import generates at most that many" in lines[0]
    code, refused = _run(capsys, "import-scenario", str(source), str(tmp_path / "p.sqlite"))
    assert code == 2 and refused[0].removeprefix("error: ") in lines[0]


# -- fuzz: hostile values anywhere ------------------------------------------------------------------

def _leaves(data, path=()):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _leaves(v, path + (i,))
    else:
        yield path


LEAVES = [p for p in _leaves(BASE) if p[-1] != "format"]
HOSTILE = st.one_of(
    st.sampled_from([2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**64, 2**53 + 1, 2**53, 10**30, 1e308, -1e308,
                     5e-324, 0, -1]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.lists(st.sampled_from(["a", "\udc80", "\ud800", "\n", "\t", "\x00", "\x7f", "e\u0301", "\u2028",
                              "\u00e9", " "]), max_size=6).map("".join),
)
TALLY = {"tried": 0, "refused": 0, "accepted": 0}


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(where=st.sampled_from(LEAVES), value=HOSTILE, command=st.sampled_from(["evaluate", "import-scenario"]))
def test_fuzz_hostile_values_anywhere(tmp_path_factory, where, value, command):
    import contextlib
    import io

    scenario = copy.deepcopy(BASE)
    node = scenario
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    folder = tmp_path_factory.mktemp("fuzz")
    source = folder / "s.json"
    _write(source, scenario)
    argv = ["evaluate", str(source)] if command == "evaluate" else \
        ["import-scenario", str(source), str(folder / "p.sqlite")]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli_main(argv)               # a traceback fails the test
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    TALLY["tried"] += 1
    assert "Warning" not in err.getvalue()
    if code == 2:
        TALLY["refused"] += 1
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
        assert not (folder / "p.sqlite").exists()
    else:
        TALLY["accepted"] += 1
        assert code == 0, (code, lines)
        assert all(line.startswith("note: ") for line in lines), lines
        if command == "import-scenario":
            assert cli_main(["check", str(folder / "p.sqlite")]) == 0
