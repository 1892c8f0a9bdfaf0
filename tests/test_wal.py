"""The project file in WAL mode: a -wal/-shm pair a killed writer left is recovered when the
file is opened for editing (its commits kept, its unfinished edit dropped, the notice given) and
read as committed by a read-only opener; closing returns the file to one self-contained
rollback-journal file; the WAL reader agrees with SQLite's own recovery."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.model.entities import Site
from desktop.store import sites, wal
from desktop.store.project import check_file, create_project, inspect_file, open_project

ROOT = Path(__file__).resolve().parent.parent

# opens the project as Rackshift does (WAL), commits a site, then (unless told "clean") starts
# an edit whose changed pages spill into the -wal before it commits, and waits to be killed
KILLED_WAL_WRITER = """
import sys, time
sys.path.insert(0, sys.argv[3])
from desktop.model.entities import Site
from desktop.store import sites
from desktop.store.project import open_project
project = open_project(sys.argv[1])
sites.add(project, Site(name="Committed before the kill", grid_capacity_mw=3, energy_price_usd_per_mwh=30))
if sys.argv[2] != "clean":
    project.db.execute("PRAGMA cache_size = 5")
    project.db.conn.execute("BEGIN")
    project.db.conn.execute("UPDATE positions SET unit_count = unit_count + 1000, label = label || '-half-written'")
    project.db.conn.execute("DELETE FROM conversion_positions")
print("killable", flush=True)
time.sleep(60)
"""


def kill_wal_writer(path: Path, mode: str = "unfinished") -> None:
    child = subprocess.Popen([sys.executable, "-c", KILLED_WAL_WRITER, str(path), mode, str(ROOT)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "killable"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert wal.wal_path(path).stat().st_size > 0 and Path(str(path) + "-shm").exists()


def committed_state(path: Path):
    with open_project(path, readonly=True) as project:
        return (project.db.execute("select group_concat(label), sum(unit_count) from positions").fetchone(),
                project.db["conversion_positions"].count, [s.name for s in sites.sites(project)])


def one_file(path: Path) -> bool:
    """Closed: no -wal or -shm beside it, and the header says rollback journal (format 1)."""
    header = path.read_bytes()[:20]
    return not wal.wal_path(path).exists() and not Path(str(path) + "-shm").exists() and header[18:20] == b"\x01\x01"


def test_an_edited_project_runs_in_wal_and_closes_to_one_file_an_unedited_one_is_untouched(demo_path):
    assert one_file(demo_path)
    untouched = demo_path.read_bytes()
    with open_project(demo_path) as project:                     # opened for editing, only read
        assert project.db.execute("pragma journal_mode").fetchone()[0] == "delete"
        sites.sites(project)
    assert demo_path.read_bytes() == untouched and one_file(demo_path)
    with open_project(demo_path) as project:
        assert project.db.execute("pragma synchronous").fetchone()[0] == 2   # FULL: the -wal synced at commit
        sites.add(project, Site(name="In the WAL", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
        assert project.db.execute("pragma journal_mode").fetchone()[0] == "wal"   # from the first edit on
        assert wal.wal_path(demo_path).stat().st_size > 0
    assert one_file(demo_path)                                   # checkpointed on close
    assert inspect_file(demo_path)["journal_mode"] == "delete"
    conn = sqlite3.connect(f"{demo_path.resolve().as_uri()}?mode=ro", uri=True)   # any reader, no Rackshift
    assert conn.execute("select count(*) from sites where name = 'In the WAL'").fetchone()[0] == 1
    conn.close()


def test_killed_wal_writer_keeps_its_commits_and_drops_its_unfinished_edit(demo_path):
    before = committed_state(demo_path)
    kill_wal_writer(demo_path)
    assert wal.unfinished_frames(demo_path) > 0
    # a read-only opener reads what was committed (the kill's unfinished pages are not part of it)
    labels, units, links = before[0][0], before[0][1], before[1]
    after_kill = committed_state(demo_path)
    assert after_kill[0] == (labels, units) and after_kill[1] == links
    assert "Committed before the kill" in after_kill[2]
    check_file(demo_path)                                        # `rackshift check` does not refuse it
    with open_project(demo_path) as project:                     # opening for editing recovers it
        assert project.recovered
        assert project.db.execute("select group_concat(label), sum(unit_count) from positions").fetchone() == \
            (labels, units)
        assert project.db["conversion_positions"].count == links
        assert sites.by_name(project, "Committed before the kill") is not None
        assert project.db.execute("pragma quick_check").fetchone()[0] == "ok"
    assert one_file(demo_path)


def test_killed_wal_writer_between_edits_is_recovered_without_a_notice(demo_path):
    kill_wal_writer(demo_path, "clean")
    assert wal.unfinished_frames(demo_path) == 0
    with open_project(demo_path) as project:
        assert not project.recovered                             # nothing was unfinished: nothing to say
        assert sites.by_name(project, "Committed before the kill") is not None
    assert one_file(demo_path)


def test_the_session_tells_the_planner_about_a_dropped_edit(demo_path):
    from desktop.ui.session import open_session

    kill_wal_writer(demo_path)
    session = open_session(demo_path)
    try:
        assert not session.project.readonly
        assert "was rolled back" in session.notice
    finally:
        session.close()


def test_a_writer_closing_while_a_reader_reads_leaves_the_wal_for_the_next_writer(demo_path):
    writer = open_project(demo_path)
    reader = open_project(demo_path, readonly=True)
    sites.add(writer, Site(name="Seen by the reader", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
    assert sites.by_name(reader, "Seen by the reader") is not None
    writer.close()                                              # cannot checkpoint: the reader is open
    assert sites.by_name(reader, "Seen by the reader") is not None
    reader.close()
    with open_project(demo_path) as project:                     # the next writer brings it into the file
        assert not project.recovered
        assert sites.by_name(project, "Seen by the reader") is not None
    assert one_file(demo_path)


def test_copy_of_an_open_project_checks_without_files_beside_it(demo_project, tmp_path):
    (tmp_path / "copies").mkdir()
    copy = tmp_path / "copies" / "copy.sqlite"
    sites.add(demo_project, Site(name="Edited", grid_capacity_mw=1, energy_price_usd_per_mwh=1))   # now in WAL
    demo_project.db.execute("pragma wal_checkpoint(full)")
    copy.write_bytes(demo_project.path.read_bytes())             # a WAL-mode file, no -wal beside it
    assert copy.read_bytes()[18] == 2
    check_file(copy)
    inspect_file(copy)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.sqlite"]


@pytest.mark.parametrize("commits", [0, 1, 3])
@pytest.mark.parametrize("spilled", [False, True])
def test_unfinished_frames_agree_with_sqlite(tmp_path, commits, spilled):
    """The WAL reader finds the unfinished edit exactly when SQLite's recovery ignores frames."""
    path = tmp_path / "w.sqlite"
    code = f"""
import os, signal, sqlite3
conn = sqlite3.connect({str(path)!r}, isolation_level=None)
conn.execute("pragma journal_mode = wal")
conn.execute("pragma wal_autocheckpoint = 0")
conn.execute("create table t (x blob)")
for _ in range({commits}):
    conn.execute("insert into t values (randomblob(3000))")
if {spilled}:
    conn.execute("pragma cache_size = 2")
    conn.execute("begin")
    for _ in range(50):
        conn.execute("insert into t values (randomblob(3000))")
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", code])
    unfinished = wal.unfinished_frames(path)
    assert (unfinished > 0) == spilled
    frames = (wal.wal_path(path).stat().st_size - wal.HEADER) // (wal.FRAME_HEADER + 4096)
    conn = sqlite3.connect(str(path))
    assert conn.execute("select count(*) from t").fetchone()[0] == commits
    busy, log, _ = conn.execute("pragma wal_checkpoint(passive)").fetchone()
    conn.close()
    assert busy == 0 and log + unfinished == frames             # SQLite's log ends where ours does

