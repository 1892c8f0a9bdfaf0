"""Issue 18: a project file is untrusted input. Hypothesis flips bytes in random pages of a demo
file; every command either refuses it (exit 2, one `error:` line, the file's bytes unchanged and
nothing made beside it) or works on a file that passes `integrity_check` afterwards. Never a
traceback. 300 cases in `make test`; RACKSHIFT_CORRUPT_CASES=N for a longer run (slow)."""
from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main as cli_main

CASES = int(os.environ.get("RACKSHIFT_CORRUPT_CASES", "300"))
CONVERT = ["--site", "Red Mesa", "--hall", "Hall A", "--positions", "A01-A04", "--to", "4x DGX H100 rack",
           "--plan", "Fuzz"]
TALLY = {"tried": 0, "refused": 0, "worked": 0}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    from desktop.store.demo import build_demo

    path = tmp_path_factory.mktemp("pristine") / "demo.sqlite"
    build_demo(path).close()
    conn = sqlite3.connect(path)
    page_size = conn.execute("pragma page_size").fetchone()[0]
    pages = conn.execute("pragma page_count").fetchone()[0]
    conn.close()
    return path, path.read_bytes(), page_size, pages


def _corrupt(data: bytes, page_size: int, flips: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    pages = len(data) // page_size
    for page, offset, xor in flips:
        p = 1 + page % (pages - 1)          # any page but the header's (its damage has its own tests)
        out[p * page_size + offset % page_size] ^= xor
    return bytes(out)


def _integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


flip = st.tuples(st.integers(0, 10_000), st.integers(0, 65_535), st.integers(1, 255))


@settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(flips=st.lists(flip, min_size=1, max_size=12), command=st.sampled_from(["check", "convert", "export-scenario"]))
def test_every_command_refuses_a_corrupt_file_or_works_on_a_sound_one(pristine, tmp_path_factory, flips, command):
    source, data, page_size, _pages = pristine
    folder = tmp_path_factory.mktemp("case")
    path = folder / "demo.sqlite"
    path.write_bytes(_corrupt(data, page_size, flips))
    before = path.read_bytes()
    args = {"check": ["check", str(path)], "convert": ["convert", str(path), *CONVERT],
            "export-scenario": ["export-scenario", str(path), "-o", str(folder / "out" / "s.json")]}[command]
    (folder / "out").mkdir()
    import contextlib
    import io

    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli_main(args)        # a traceback fails the test
    TALLY["tried"] += 1
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    if code == 2:
        TALLY["refused"] += 1
        assert len(lines) == 1 and lines[0].startswith("error: "), err.getvalue()
        assert path.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["demo.sqlite", "out"]
        assert not list((folder / "out").iterdir())
    else:
        TALLY["worked"] += 1
        assert code == 0, (code, err.getvalue())
        assert _integrity_ok(path)
    shutil.rmtree(folder, ignore_errors=True)


def test_the_tally_adds_up():
    """(Runs after the property: every case tried was refused or worked; printed for the report.)"""
    if TALLY["tried"]:
        print(f"\ncorrupt pages: {TALLY['tried']} tried, {TALLY['refused']} refused (exit 2, unchanged), "
              f"{TALLY['worked']} worked on a sound file")
        assert TALLY["tried"] == TALLY["refused"] + TALLY["worked"]
