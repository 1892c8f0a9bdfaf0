"""Issue 21: writers that never destroy. A leftover journal is never rolled into a file it does
not belong to; an output never replaces an input; one writer per file, CLI and GUI alike
(a QLockFile-compatible lock, checked against a real QLockFile in another process); a busy
file, a full or read-only disk, a foreign -wal, a newer file format: one `error:` line and the
files as they were."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.model.errors import InputError
from desktop.store import filelock, sites
from desktop.store.project import inspect_file, open_project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from test_project_file_reliability import make_hot_journal  # noqa: E402
from test_project_file_reliability import snapshot as _snapshot  # noqa: E402


def snapshot(path: Path) -> dict:
    """The file and what SQLite keeps beside it (a stale lock file a killed writer left may go)."""
    out = _snapshot(path)
    out["listing"] = [n for n in out["listing"] if not n.endswith(".lock")]
    return out

CONVERT = ["--site", "Red Mesa", "--hall", "Hall A", "--positions", "A01-A10", "--to", "4x DGX H100 rack"]
SCENARIO = ROOT / "resources" / "demo"  # (unused: the scenario comes from export-scenario below)


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def scenario_file(demo_path, tmp_path):
    out = tmp_path / "scenario.json"
    assert cli_main(["export-scenario", str(demo_path), "-o", str(out)]) == 0
    return out


# -- a leftover journal is never replayed into another file --------------------------------------

def test_import_scenario_overwrite_ignores_the_old_files_journal(demo_path, scenario_file, capsys):
    make_hot_journal(demo_path)
    assert cli_main(["import-scenario", str(scenario_file), str(demo_path), "--overwrite"]) == 0
    assert not Path(str(demo_path) + "-journal").exists()
    assert _integrity(demo_path) == "ok"
    assert cli_main(["check", str(demo_path)]) == 0
    assert not list(demo_path.parent.glob(".*building*"))


def test_demo_force_ignores_the_old_files_journal(demo_path, capsys):
    make_hot_journal(demo_path)
    assert cli_main(["demo", str(demo_path), "--force"]) == 0
    assert not Path(str(demo_path) + "-journal").exists()
    assert _integrity(demo_path) == "ok"
    with open_project(demo_path) as project:
        assert len(sites.sites(project)) >= 2


KILLED_RACKSHIFT = """
import os, sys, time
sys.path.insert(0, sys.argv[2])
from desktop.store.project import open_project
project = open_project(sys.argv[1])
with project.atomic() as db:                  # a committed edit: in the -wal, not yet in the file
    db.execute("UPDATE sites SET notes = 'committed in the wal'")
project.db.execute("PRAGMA cache_size = 5")   # spill changed pages into the -wal before the commit
with project.atomic() as db:
    db.execute("UPDATE positions SET unit_count = unit_count + 1000, label = label || '-half-written'")
    db.execute("DELETE FROM conversion_positions")
    print("mid-transaction", flush=True)
    time.sleep(60)
"""


def kill_rackshift_mid_edit(path: Path) -> None:
    """A Rackshift writer killed mid-edit (the file in WAL mode: it leaves -wal and -shm)."""
    child = subprocess.Popen([sys.executable, "-c", KILLED_RACKSHIFT, str(path), str(ROOT)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline().strip() == "mid-transaction"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert Path(str(path) + "-wal").stat().st_size > 0


@pytest.mark.parametrize("killer", ["rackshift", "sqlite"])
def test_backup_copied_over_a_file_with_a_hot_journal_is_refused_by_name(killer, demo_path, tmp_path, capsys):
    backup = tmp_path / "backup.sqlite"
    shutil.copy(demo_path, backup)
    with open_project(demo_path) as project:     # the project moves on after the backup
        for i in range(3):
            from desktop.model.entities import Site
            sites.add(project, Site(name=f"Later {i}", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
        if killer == "sqlite":   # a file larger than the backup: the journal says how large it was
            with project.atomic() as db:
                db.execute("create table pad (x)")
                db.execute("insert into pad select zeroblob(4096) from positions limit 50")
                db.execute("drop table pad")
    (kill_rackshift_mid_edit if killer == "rackshift" else make_hot_journal)(demo_path)
    leftover = "wal" if killer == "rackshift" else "journal"
    shutil.copy(backup, demo_path)                # the user restores the backup; the journal stays
    before = snapshot(demo_path)
    for command in (["check", str(demo_path)], ["convert", str(demo_path), *CONVERT],
                    ["export-tables", str(demo_path), "-o", str(tmp_path / "t")]):
        assert cli_main(command) == 2
        line = _one_error_line(capsys.readouterr().err)
        assert f"demo.sqlite-{leftover} beside it does not belong to this file" in line, line
        assert "neither was changed" in line
        assert snapshot(demo_path) == before
    with pytest.raises(InputError, match="does not belong"):
        open_project(demo_path)
    assert snapshot(demo_path) == before
    for extra in ("-journal", "-wal", "-shm"):      # as the message says: moved away, it opens as it was
        Path(str(demo_path) + extra).unlink(missing_ok=True)
    with open_project(demo_path) as project:
        assert project.db["positions"].count > 0
    assert _integrity(demo_path) == "ok"


def test_own_hot_journal_still_rolls_back_and_says_so(demo_path):
    make_hot_journal(demo_path)
    with open_project(demo_path) as project:
        assert project.recovered
    assert _integrity(demo_path) == "ok"


def test_a_failure_after_a_rollback_never_says_not_changed(demo_path, monkeypatch):
    from desktop.store import project as project_mod

    make_hot_journal(demo_path)
    real = project_mod._verify
    calls = []

    def second_fails(path, header, kept="it was not changed"):
        calls.append(kept)
        if len(calls) == 2:
            raise InputError(str(path), f"the file is damaged (test); {kept}")
        return real(path, header, kept)

    monkeypatch.setattr(project_mod, "_verify", second_fails)
    with pytest.raises(InputError) as info:
        open_project(demo_path)
    assert "not changed" not in str(info.value)
    assert "rolled back" in str(info.value)


# -- an output never replaces an input -----------------------------------------------------------

@pytest.mark.parametrize("command", ["report", "export-scenario", "export-tables"])
def test_output_naming_the_project_is_refused(command, demo_path, tmp_path, capsys):
    link = tmp_path / "link.sqlite"
    link.symlink_to(demo_path)
    before = demo_path.read_bytes()
    for output in (demo_path, link, tmp_path / "." / "demo.sqlite"):
        out = str(output) if command != "export-tables" else str(output)
        assert cli_main([command, str(demo_path), "-o", out]) == 2
        line = _one_error_line(capsys.readouterr().err)
        assert "is the project" in line and "would destroy it" in line, line
    assert demo_path.read_bytes() == before


def test_export_tables_refuses_a_folder_whose_file_is_the_project(demo_path, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    project = folder / "schedule.csv"
    shutil.copy(demo_path, project)
    assert cli_main(["export-tables", str(project), "-o", str(folder)]) == 2
    assert "is the project" in _one_error_line(capsys.readouterr().err)
    assert project.read_bytes() == demo_path.read_bytes()


def test_evaluate_output_naming_the_scenario_is_refused(scenario_file, tmp_path, capsys):
    before = scenario_file.read_bytes()
    link = tmp_path / "s-link.json"
    link.symlink_to(scenario_file)
    for output in (scenario_file, link):
        assert cli_main(["evaluate", str(scenario_file), "-o", str(output)]) == 2
        assert "is the scenario" in _one_error_line(capsys.readouterr().err)
    assert scenario_file.read_bytes() == before


# -- one writer everywhere: a QLockFile-compatible lock ------------------------------------------

QT_HOLDER = """
import sys, time
from PySide6.QtCore import QCoreApplication, QLockFile
app = QCoreApplication([])
lock = QLockFile(sys.argv[1]); lock.setStaleLockTime(0)
print('locked' if lock.tryLock(0) else 'busy', flush=True)
sys.stdin.readline()
lock.unlock()
"""

PY_HOLDER = """
import sys
sys.path.insert(0, sys.argv[2])
from desktop.store import filelock
lock = filelock.try_lock(sys.argv[1])
print('locked' if lock else 'busy', flush=True)
sys.stdin.readline()
"""


def _holder(script: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, cwd=ROOT, env=env)
    return child


def _stop(child: subprocess.Popen) -> None:
    try:
        child.stdin.write("\n")
        child.stdin.flush()
    except OSError:
        pass
    child.wait(timeout=20)


def test_a_real_qlockfile_in_another_process_keeps_every_cli_writer_out(demo_path, scenario_file, capsys,
                                                                        monkeypatch):
    monkeypatch.setattr(filelock, "BUSY_TIMEOUT_S", 0.3)
    child = _holder(QT_HOLDER, str(filelock.lock_path(demo_path)))
    try:
        assert child.stdout.readline().strip() == "locked"
        before = demo_path.read_bytes()
        for command in (["convert", str(demo_path), *CONVERT],
                        ["import-devicetypes", str(demo_path), str(ROOT / "tests/data/devicetypes/Nvidia-DGC-A100.yaml")],
                        ["import-scenario", str(scenario_file), str(demo_path), "--overwrite"],
                        ["demo", str(demo_path), "--force"]):
            assert cli_main(command) == 2, command
            line = _one_error_line(capsys.readouterr().err)
            assert f"process {child.pid} on host" in line and "since 20" in line and "busy" in line, line
        assert demo_path.read_bytes() == before
    finally:
        _stop(child)
    assert cli_main(["convert", str(demo_path), *CONVERT]) == 0   # free again once the holder is gone


def test_our_lock_keeps_a_real_qlockfile_out_and_a_dead_holder_is_stale(demo_path):
    ours = _holder(PY_HOLDER, str(demo_path), str(ROOT))
    try:
        assert ours.stdout.readline().strip() == "locked"
        qt = _holder(QT_HOLDER, str(filelock.lock_path(demo_path)))
        assert qt.stdout.readline().strip() == "busy"
        _stop(qt)
        holder = filelock.read_holder(demo_path)
        assert holder.pid == ours.pid and not holder.is_stale()
    finally:
        os.kill(ours.pid, signal.SIGKILL)
        ours.wait()
    assert filelock.read_holder(demo_path).is_stale()    # left by a killed process
    qt = _holder(QT_HOLDER, str(filelock.lock_path(demo_path)))
    assert qt.stdout.readline().strip() == "locked"       # QLockFile agrees it is stale
    _stop(qt)


def test_gui_save_as_refuses_a_target_another_rackshift_has_open(demo_project, demo_path, tmp_path):
    from desktop.ui.session import save_copy

    target = tmp_path / "other.sqlite"
    shutil.copy(demo_path, target)
    child = _holder(PY_HOLDER, str(target), str(ROOT))
    try:
        assert child.stdout.readline().strip() == "locked"
        before = target.read_bytes()
        with pytest.raises(InputError, match=rf"busy.*process {child.pid}"):
            save_copy(demo_project, target)
        assert target.read_bytes() == before
    finally:
        _stop(child)
    save_copy(demo_project, target)


def test_two_concurrent_converts_one_waits_then_says_busy(demo_path):
    """Two real processes: the second waits within the busy timeout for the first, then either
    writes after it or says the file is busy (one line); never a traceback."""
    hold = _holder(PY_HOLDER, str(demo_path), str(ROOT))
    assert hold.stdout.readline().strip() == "locked"
    env = dict(os.environ, RACKSHIFT_BUSY_TIMEOUT_S="0.5", QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "desktop", "convert", str(demo_path), *CONVERT],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert time.monotonic() - started >= 0.5
    _stop(hold)
    assert run.returncode == 2
    assert "busy" in _one_error_line(run.stderr)
    # now two at once, the holder gone: both finish, each with one commit or one busy line
    env["RACKSHIFT_BUSY_TIMEOUT_S"] = "30"
    a = subprocess.Popen([sys.executable, "-m", "desktop", "convert", str(demo_path), *CONVERT, "--plan", "A"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    b = subprocess.Popen([sys.executable, "-m", "desktop", "convert", str(demo_path), *CONVERT, "--plan", "B"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    results = [(p.wait(timeout=120), p.stderr.read()) for p in (a, b)]
    for code, err in results:
        assert "Traceback" not in err and "database is locked" not in err, err
    assert [code for code, _ in results] == [0, 0], results
    assert _integrity(demo_path) == "ok"


# -- the file format ------------------------------------------------------------------------------

def test_write_version_above_2_is_refused_by_check_and_by_writers(demo_path, capsys):
    data = bytearray(demo_path.read_bytes())
    data[18] = 3
    demo_path.write_bytes(bytes(data))
    before = snapshot(demo_path)
    assert cli_main(["check", str(demo_path)]) == 2
    assert "cannot write (write version 3)" in _one_error_line(capsys.readouterr().err)
    assert cli_main(["convert", str(demo_path), *CONVERT]) == 2
    assert "cannot write (write version 3)" in _one_error_line(capsys.readouterr().err)
    assert snapshot(demo_path) == before


def test_read_version_above_2_is_refused(demo_path, tmp_path, capsys):
    data = bytearray(demo_path.read_bytes())
    data[19] = 7
    demo_path.write_bytes(bytes(data))
    assert cli_main(["export-tables", str(demo_path), "-o", str(tmp_path / "t")]) == 2
    assert "cannot read (read version 7)" in _one_error_line(capsys.readouterr().err)


# -- a foreign -wal, and check writes nothing ---------------------------------------------------

def _wal_leftover(tmp_path: Path) -> Path:
    """A -wal a killed writer left beside a WAL-mode file of another program."""
    other = tmp_path / "other.sqlite"
    script = ("import sqlite3, sys, os\n"
              "c = sqlite3.connect(sys.argv[1]); c.execute('pragma journal_mode=wal')\n"
              "c.execute('pragma wal_autocheckpoint=0')\n"
              "c.execute('create table photos (id integer primary key, name text)')\n"
              "c.executemany('insert into photos (name) values (?)', [('p%d' % i,) for i in range(500)])\n"
              "c.commit(); os.kill(os.getpid(), 9)\n")
    subprocess.run([sys.executable, "-c", script, str(other)])
    wal = Path(str(other) + "-wal")
    assert wal.stat().st_size > 0
    return wal


@pytest.mark.parametrize("mode", ["delete", "wal"])
def test_a_foreign_wal_is_refused_by_name_and_check_writes_nothing(mode, demo_path, tmp_path, capsys):
    if mode == "wal":
        conn = sqlite3.connect(demo_path)
        conn.execute("pragma journal_mode=wal")
        conn.close()
        assert not Path(str(demo_path) + "-wal").exists()
    folder_before = sorted(p.name for p in demo_path.parent.iterdir())
    assert cli_main(["check", str(demo_path)]) == 0      # an intact file: check makes no -shm/-wal
    capsys.readouterr()
    assert sorted(p.name for p in demo_path.parent.iterdir()) == folder_before
    (tmp_path / "x").mkdir()
    shutil.copy(_wal_leftover(tmp_path / "x"), str(demo_path) + "-wal")
    before = snapshot(demo_path)
    for command in (["check", str(demo_path)], ["convert", str(demo_path), *CONVERT],
                    ["export-scenario", str(demo_path), "-o", str(tmp_path / "s.json")]):
        assert cli_main(command) == 2
        line = _one_error_line(capsys.readouterr().err)
        assert "demo.sqlite-wal beside it does not belong to this file" in line, line
        assert snapshot(demo_path) == before


def test_check_reads_a_committed_wal_of_its_own_without_writing(tmp_path, capsys):
    path = tmp_path / "p.sqlite"
    assert cli_main(["demo", str(path)]) == 0
    script = ("import sqlite3, sys, os\n"
              "c = sqlite3.connect(sys.argv[1]); c.execute('pragma journal_mode=wal')\n"
              "c.execute('pragma wal_autocheckpoint=0')\n"
              "c.execute(\"update sites set notes = 'after the wal' \")\n"
              "c.commit(); os.kill(os.getpid(), 9)\n")
    subprocess.run([sys.executable, "-c", script, str(path)])
    assert Path(str(path) + "-wal").stat().st_size > 0
    before = snapshot(path)
    assert cli_main(["check", str(path)]) == 0
    assert snapshot(path) == before
    with open_project(path, readonly=True) as project:
        assert {s.notes for s in sites.sites(project)} == {"after the wal"}
    assert snapshot(path) == before
    with open_project(path) as project:               # a writer applies it
        assert {s.notes for s in sites.sites(project)} == {"after the wal"}


# -- not a regular file ---------------------------------------------------------------------------

def test_a_fifo_named_like_a_project_never_blocks(tmp_path, capsys):
    fifo = tmp_path / "p.sqlite"
    os.mkfifo(fifo)
    for command in (["check", str(fifo)], ["export-tables", str(fifo), "-o", str(tmp_path / "t")],
                    ["export-scenario", str(fifo), "-o", str(tmp_path / "s.json")],
                    ["convert", str(fifo), *CONVERT]):
        assert cli_main(command) == 2
        assert "FIFO" in _one_error_line(capsys.readouterr().err)


def test_a_fifo_as_an_import_file_never_blocks(demo_path, tmp_path, capsys):
    fifo = tmp_path / "s.json"
    os.mkfifo(fifo)
    assert cli_main(["evaluate", str(fifo)]) == 2
    assert "not a regular file" in _one_error_line(capsys.readouterr().err)
    assert cli_main(["import-devicetypes", str(demo_path), str(fifo)]) == 2
    assert "not a regular file" in _one_error_line(capsys.readouterr().err)


# -- a partial new file never looks complete ----------------------------------------------------

def test_an_incomplete_build_is_refused_by_check(tmp_path, capsys):
    from desktop.store.project import building

    path = tmp_path / "p.sqlite"
    with pytest.raises(RuntimeError):
        with building(path, what="demo"):
            raise RuntimeError("stopped")
    assert not path.exists() and not list(tmp_path.iterdir())
    # a file someone renamed into place before the end: marked incomplete
    with building(tmp_path / "q.sqlite", what="demo") as project:
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")   # all of it in the file so far
        shutil.copy(project.path, path)
    assert cli_main(["check", str(path)]) == 2
    assert "not written completely" in _one_error_line(capsys.readouterr().err)
    assert cli_main(["check", str(tmp_path / "q.sqlite")]) == 0


def test_a_killed_import_leaves_temporaries_the_next_import_removes(tmp_path, scenario_file, capsys):
    target = tmp_path / "p.sqlite"
    leftover = tmp_path / f".{target.name}-abc123.building.sqlite"
    leftover.write_bytes(b"partial")
    Path(str(leftover) + "-journal").write_bytes(b"partial")
    old = tmp_path / ".p-xyz.importing.sqlite"       # the name an older Rackshift used
    old.write_bytes(b"partial")
    assert cli_main(["import-scenario", str(scenario_file), str(target)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["p.sqlite", "scenario.json", "demo.sqlite"])
