"""Issue 18: one edit, one transaction. A real Rackshift GUI (tests/gui_kill_child.py) is killed
with SIGKILL inside each compound edit, after the edit's first part was written by the store
and before the rest: the file then holds exactly the state before the edit (and a completed
run of the same edit the state after it), never a plan without its settings change."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store.project import open_project

HERE = Path(__file__).resolve().parent
CHILD = HERE / "gui_kill_child.py"

EDITS = {
    # edit: the point inside it where the GUI is killed
    "duplicate-plan": "after:plans.duplicate",      # the copy is written; making it current is not
    "add-plan": "after:plans.add",
    "delete-plan": "enter:plans.delete",            # another plan is made current; the delete not yet
}


def state(path: Path) -> dict:
    with open_project(path, readonly=True) as project:
        db = project.db
        return {t: sorted(map(repr, db.execute(f"select * from {t}").fetchall()))
                for t in db.table_names() if not t.startswith("_")}


def _child(path: Path, edit: str, stop: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(CHILD), str(path), edit, stop], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


@pytest.mark.parametrize("edit", EDITS)
def test_a_gui_killed_inside_a_compound_edit_leaves_the_state_before_it(edit, demo_path, tmp_path):
    before = state(demo_path)
    done = tmp_path / "done.sqlite"
    shutil.copy(demo_path, done)
    finished = _child(done, edit, "none")
    out, err = finished.communicate(timeout=120)
    assert finished.returncode == 0 and "done" in out, err
    after = state(done)
    assert after != before

    child = _child(demo_path, edit, EDITS[edit])
    try:
        assert child.stdout.readline().strip() == "inside", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    killed = state(demo_path)
    assert killed == before, {t: (len(before[t]), len(killed[t])) for t in before if killed.get(t) != before[t]}
    with open_project(demo_path) as project:          # and opened for editing it recovers to the same
        assert project.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert state(demo_path) == before
