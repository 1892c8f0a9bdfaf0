"""A writer for tests/test_crash_safety.py, killed with SIGKILL at random moments.

`python tests/crash_writer.py import|convert PROJECT LOG RUN` opens PROJECT through the GUI's
session (taking its QLockFile), prints `ready`, and then runs numbered operations forever,
each one transaction, resuming after the last operation the file holds. After each commit it
appends `op RUN K end` to LOG and fsyncs it, so LOG lists every operation known committed,
then prints `committed K` (the test uses it to pace its kills).

import  op K: a site `import-K` with a hall of ROWS x COLS positions filled with miners and a
        fleet entry, and the site of op K-3 deleted (its hall and positions by cascade).
convert op K: a plan `bulk-K` converting every other position of the big hall (thousands)
        via conversions.convert, and the plan of op K-3 deleted (with its conversion rows).
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.model.entities import FleetEntry, Hall, Plan, Site  # noqa: E402
from desktop.store import catalog, conversions, halls, plans, sites  # noqa: E402
from desktop.ui.session import open_session  # noqa: E402

ROWS, COLS, MINERS_PER_POSITION = 40, 60, 8
WINDOW = 3          # an operation deletes what the operation WINDOW before it made
ASIC = "Antminer S19j Pro"
GPU = "4x DGX H100 rack"
BIG_HALL = ("Big site", "Big hall", 50, 80)  # site, hall, rows, cols of the convert phase


def last_op(project, table: str, prefix: str) -> int:
    row = project.db.execute(f"select max(name) from {table} where name like ?", [prefix + "%"]).fetchone()
    return int(row[0][len(prefix):]) if row[0] else -1


def import_op(project, k: int) -> None:
    model = catalog.by_name(project, ASIC)
    with project.atomic():
        site_id = sites.add(project, Site(name=f"import-{k:06d}", grid_capacity_mw=500, energy_price_usd_per_mwh=40))
        hall_id = halls.add(project, Hall(site_id=site_id, name="Hall", power_capacity_kw=50_000, max_rack_kw=50,
                                          floor_load_kg=1200, rows=ROWS, cols=COLS))
        ids = halls.positions(project, hall_id=hall_id).ids
        halls.set_contents(project, ids, model.id, MINERS_PER_POSITION)
        sites.add_fleet(project, FleetEntry(site_id=site_id, model_id=model.id, count=len(ids) * MINERS_PER_POSITION))
        old = sites.by_name(project, f"import-{k - WINDOW:06d}")
        if old is not None:
            sites.delete(project, old.id)


def selection(table, k: int):
    import numpy as np

    return np.flatnonzero(np.arange(len(table)) % 2 == k % 2)


def convert_op(project, k: int, hall_id: int, gpu_id: int) -> None:
    with project.atomic():
        plan_id = plans.add(project, Plan(name=f"bulk-{k:06d}"))
        table = halls.positions(project, hall_id=hall_id, plan_id=plan_id)
        conversions.convert(project, plan_id, hall_id, selection(table, k), gpu_id, start_month=k % 12, table=table)
        old = plans.by_name(project, f"bulk-{k - WINDOW:06d}")
        if old is not None:
            plans.delete(project, old.id)


def main(phase: str, path: str, log: str, run: int) -> None:
    session = open_session(path)
    project = session.project
    assert not project.readonly, session.notice
    # a small page cache spills changed pages into the file before the commit, so a kill
    # often leaves a half-written file for the next open to roll back (the hard case)
    project.db.execute("PRAGMA cache_size = 40")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    if phase == "import":
        k = last_op(project, "sites", "import-") + 1
        step = lambda k: import_op(project, k)  # noqa: E731
    else:
        site = sites.by_name(project, BIG_HALL[0])
        hall_id = halls.by_name(project, site.id, BIG_HALL[1]).id
        gpu_id = catalog.by_name(project, GPU).id
        k = last_op(project, "plans", "bulk-") + 1
        step = lambda k: convert_op(project, k, hall_id, gpu_id)  # noqa: E731
    print("ready", flush=True)
    while True:
        step(k)
        os.write(fd, f"op {run} {k} end\n".encode())
        os.fsync(fd)
        print(f"committed {k}", flush=True)
        k += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
