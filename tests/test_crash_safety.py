"""Crash safety: a writer killed with SIGKILL at 50 random moments (seeded) during a large import
and bulk conversions, with the file in WAL mode as every editing Rackshift runs it. After each kill the file opens writable (the stale lock recovered, an
unfinished transaction rolled back), passes quick_check, and holds exactly the operations
committed before the kill: every one the writer logged (fsync after commit) and at most one
more, whose commit raced the log write. The writer (tests/crash_writer.py) resumes after
the last operation in the file, so the next run also proves the recovered file is writable.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.model.entities import FleetEntry, Hall, Site
from desktop.store import catalog, halls, sites, wal
from desktop.store.project import create_project, open_project
from desktop.ui.session import lock_path, open_session

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import crash_writer as writer  # noqa: E402

KILLS = {"import": 25, "convert": 25}
SEED = 20250917
MAX_OPS_BEFORE_KILL = 2
MAX_DELAY_S = 0.15


def logged_ops(log: Path, run: int) -> list[int]:
    """Operations the writer of `run` logged as committed (whole lines only)."""
    if not log.exists():
        return []
    out = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "op" and parts[3] == "end" and int(parts[1]) == run:
            out.append(int(parts[2]))
    return out


def window(m: int) -> set[int]:
    """The operations a file holds after operations 0..m-1: the last WINDOW of them."""
    return set(range(max(0, m - writer.WINDOW), m))


def check_import(project) -> int:
    """The import operations in the file, each whole; returns m (operations done)."""
    db = project.db
    present = sorted(int(name[len("import-"):]) for (name,) in db.execute("select name from sites"))
    m = present[-1] + 1 if present else 0
    assert set(present) == window(m)
    per_hall = writer.ROWS * writer.COLS
    model_id = catalog.by_name(project, writer.ASIC).id
    for site in sites.sites(project):
        (hall,) = halls.halls(project, site.id)
        rows = db.execute("select count(*), sum(model_id = ?), sum(unit_count) from positions where hall_id = ?",
                          [model_id, hall.id]).fetchone()
        assert rows == (per_hall, per_hall, per_hall * writer.MINERS_PER_POSITION), site.name
        ((entry, _),) = sites.fleet(project, site.id)
        assert entry.count == per_hall * writer.MINERS_PER_POSITION
    assert db["positions"].count == len(present) * per_hall  # nothing left of deleted sites
    return m


def check_convert(project, expected: dict) -> int:
    db = project.db
    present = sorted(int(name[len("bulk-"):]) for (name,) in db.execute("select name from plans"))
    m = present[-1] + 1 if present else 0
    assert set(present) == window(m)
    for k in present:
        rows = db.execute(
            "select c.racks_placed, sum(cp.role = 'gpu'), sum(cp.role = 'retired') from plans p "
            "join conversions c on c.plan_id = p.id join conversion_positions cp on cp.conversion_id = c.id "
            "where p.name = ? group by c.id", [f"bulk-{k:06d}"]).fetchall()
        assert rows == [expected[k % 2]], k
    assert db["conversions"].count == len(present)
    assert db["conversion_positions"].count == sum(sum(expected[k % 2][1:]) for k in present)
    return m


def import_base(path: Path) -> dict:
    create_project(path).close()
    return {}


def convert_base(path: Path) -> dict:
    """The big hall, and what a conversion of each parity takes (measured on a scratch copy)."""
    site_name, hall_name, rows, cols = writer.BIG_HALL
    with create_project(path) as project:
        site_id = sites.add(project, Site(name=site_name, grid_capacity_mw=500, energy_price_usd_per_mwh=40))
        hall_id = halls.add(project, Hall(site_id=site_id, name=hall_name, power_capacity_kw=100_000,
                                          max_rack_kw=50, floor_load_kg=1500, rows=rows, cols=cols))
        asic_id = catalog.by_name(project, writer.ASIC).id
        halls.set_contents(project, halls.positions(project, hall_id=hall_id).ids, asic_id, writer.MINERS_PER_POSITION)
        # the site owns the miners it racks (a conversion may remove only miners of the site's fleet)
        sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=asic_id, count=rows * cols * writer.MINERS_PER_POSITION))
    scratch = path.with_name("scratch.sqlite")
    scratch.write_bytes(path.read_bytes())
    expected = {}
    with open_project(scratch) as project:
        gpu_id = catalog.by_name(project, writer.GPU).id
        for k in (0, 1):
            writer.convert_op(project, k, hall_id, gpu_id)
            conv = project.db.execute("select id, racks_placed from conversions order by id desc").fetchone()
            roles = project.db.execute("select sum(role = 'gpu'), sum(role = 'retired') from conversion_positions "
                                       "where conversion_id = ?", [conv[0]]).fetchone()
            expected[k] = (conv[1], *roles)
    assert all(sum(e[1:]) >= 1000 for e in expected.values())  # thousands of positions per transaction
    return expected


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["import", "convert"])
def test_killed_writer_leaves_exactly_the_committed_operations(phase, tmp_path):
    path, log = tmp_path / f"{phase}.sqlite", tmp_path / f"{phase}.log"
    expected = import_base(path) if phase == "import" else convert_base(path)
    check = (lambda p: check_import(p)) if phase == "import" else (lambda p: check_convert(p, expected))
    rng = random.Random(f"{SEED}-{phase}")  # the same moments each run (as far as timing allows)
    done, mid_transaction, rolled_back, raced = 0, 0, 0, 0
    for run in range(KILLS[phase]):
        child = subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), phase, str(path), str(log), str(run)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready = child.stdout.readline().strip()
            assert ready == "ready", child.stderr.read()
            for _ in range(rng.randint(0, MAX_OPS_BEFORE_KILL)):  # let a few operations commit first
                assert child.stdout.readline().startswith("committed"), child.stderr.read()
            time.sleep(rng.uniform(0.0, MAX_DELAY_S))  # then kill at a random moment of the next ones
            assert child.poll() is None, child.stderr.read()
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        journal = Path(str(path) + "-journal")
        # killed inside a transaction: pages of it in the -wal after its last commit (or, in a
        # rollback-journal step, a hot journal)
        mid_kill = (journal.exists() and journal.stat().st_size > 0) or wal.unfinished_frames(path) > 0
        mid_transaction += mid_kill
        assert Path(lock_path(path.resolve())).exists()  # the killed writer's lock is still there

        session = open_session(path)  # stale lock recovered, unfinished transaction rolled back
        try:
            assert not session.project.readonly
            recovered = session.project.recovered  # SQLite found a hot journal and rolled it back
            assert mid_kill or not recovered
            assert session.notice == ("" if not recovered else f"{path.name}: an edit left unfinished when a "
                                      f"Rackshift stopped was rolled back; everything saved before it is there.")
            rolled_back += recovered
            assert session.project.db.execute("pragma quick_check").fetchone()[0] == "ok"
            assert session.project.db.execute("pragma foreign_key_check").fetchall() == []
            m = check(session.project)
        finally:
            session.close()
        assert not wal.wal_path(path).exists()  # the WAL brought into the file
        logged = logged_ops(log, run)
        assert logged == list(range(done, done + len(logged))), "the log skipped an operation"
        least = logged[-1] + 1 if logged else done
        assert m in (least, least + 1), f"run {run}: file has {m} operations, the log says {least}"
        raced += m == least + 1
        done = m
    print(f"\n{phase}: {done} operations in {KILLS[phase]} runs; {mid_transaction} kills inside a transaction "
          f"({rolled_back} left pages to roll back), {raced} between a commit and its log line")
    assert rolled_back >= 1  # some kills left a half-written transaction to roll back
