"""Opening a project file: every bad file refused with its own message (store, CLI, GUI),
never changed; a killed writer's unfinished edit rolled back; one writer per file."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.store import migrations
from desktop.cli import main as cli_main
from desktop.model.entities import Site
from desktop.model.errors import InputError
from desktop.store import migrations, sites
from desktop.store.project import check_file, create_project, inspect_file, open_project

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# case -> what the message says (each cause its own words)
CASES = {
    "missing": "no such file",
    "folder": "is a folder",
    "text": r"not an SQLite file",
    "empty": r"not an SQLite file",
    "header_only": "truncated",
    "truncated": "truncated",
    "damaged_page": r"damaged \(",
    "other_program": "another program",
    "empty_sqlite": "empty SQLite file",
    "newer": "newer Rackshift",
    "missing_table": r"damaged \(table conversion_positions is missing\)",
    "hot_journal": "left mid-edit by a program that stopped",
}


def _sqlite(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


KILLED_WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = DELETE")  # a rollback journal (a copy of an open project is in WAL mode)
conn.execute("PRAGMA cache_size = 5")  # spill changed pages into the file before the commit
conn.execute("BEGIN")
conn.execute("UPDATE positions SET unit_count = unit_count + 1000, label = label || '-half-written'")
conn.execute("DELETE FROM conversion_positions")
print("mid-transaction", flush=True)
time.sleep(60)
"""


def make_hot_journal(path: Path) -> None:
    """Leave `path` as a killed writer does: changed pages in the file, a hot journal beside it."""
    child = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "mid-transaction"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert Path(str(path) + "-journal").stat().st_size > 0


def make_bad_file(case: str, tmp_path: Path, demo_path: Path) -> Path:
    path = tmp_path / f"{case}.sqlite"
    demo = demo_path.read_bytes()
    if case == "missing":
        return path
    if case == "folder":
        path.mkdir()
    elif case == "text":
        path.write_text("site,hall\nRed Mesa,A\n" * 20)
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "header_only":
        path.write_bytes(demo[:60])
    elif case == "truncated":
        path.write_bytes(demo[: len(demo) // 2])
    elif case == "damaged_page":
        conn = sqlite3.connect(demo_path)
        page_size = conn.execute("pragma page_size").fetchone()[0]
        root = conn.execute("select rootpage from sqlite_master where name = 'positions'").fetchone()[0]
        conn.close()
        data = bytearray(demo)
        start = (root - 1) * page_size
        data[start: start + page_size] = bytes([0xA5]) * page_size
        path.write_bytes(bytes(data))
    elif case == "other_program":
        _sqlite(path, "create table photos (id integer primary key, name text)")
    elif case == "empty_sqlite":
        _sqlite(path, "pragma user_version = 7")
    elif case == "newer":
        path.write_bytes(demo)
        _sqlite(path, "insert into _sqlite_migrations (migration_set, name, applied_at) "
                      "values ('rackshift', '9999_future', '2030-01-01')")
    elif case == "missing_table":
        path.write_bytes(demo)
        _sqlite(path, "drop table conversion_positions")
    elif case == "hot_journal":
        path.write_bytes(demo)
        make_hot_journal(path)
    return path


def snapshot(path: Path) -> dict:
    """The bytes of the file and of everything SQLite keeps beside it."""
    out = {}
    for p in [path, *path.parent.glob(path.name + "-*")]:
        out[p.name] = p.read_bytes() if p.is_file() else ("dir" if p.is_dir() else None)
    out["listing"] = sorted(p.name for p in path.parent.iterdir())
    return out


@pytest.mark.parametrize("case", CASES)
def test_refused_with_its_own_message_and_unchanged(case, tmp_path, demo_path):
    path = make_bad_file(case, tmp_path, demo_path)
    before = snapshot(path)
    # the hot journal is refused only read-only: opening it for editing rolls it back (below)
    with pytest.raises(InputError, match=CASES[case]) as refused:
        open_project(path, readonly=(case == "hot_journal"))
    assert refused.value.field == str(path)
    assert snapshot(path) == before
    with pytest.raises(InputError, match=CASES[case]):
        inspect_file(path)
    assert snapshot(path) == before


def test_messages_differ_by_cause():
    causes = {}
    for case, message in CASES.items():
        causes.setdefault(message, []).append(case)
    same = [cases for cases in causes.values() if len(cases) > 1]
    assert same == [["text", "empty"], ["header_only", "truncated"]]  # the same cause, the same words


@pytest.mark.parametrize("case", CASES)
def test_cli_check_refuses_with_exit_2(case, tmp_path, demo_path, capsys):
    path = make_bad_file(case, tmp_path, demo_path)
    before = snapshot(path)
    assert cli_main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(path) == before


def test_cli_check_reports_schema_counts_and_quick_check(demo_path, capsys):
    before = demo_path.read_bytes()
    assert cli_main(["check", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert f"schema {migrations.SCHEMA_VERSION} (current)" in out and "quick_check: ok" in out
    assert "positions" in out and "6,660" in out
    assert cli_main(["check", "--json", str(demo_path)]) == 0
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["sites"] == 3 and report["quick_check"] == "ok"
    assert report["schema_version"] == report["current_schema_version"]
    assert demo_path.read_bytes() == before


def test_cli_check_exit_status_in_a_real_process(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 40)
    out = subprocess.run([sys.executable, "-m", "desktop", "check", str(bad)], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert out.returncode == 2
    assert out.stderr == f"error: {bad}: the file is truncated (damaged); it was not changed\n"


@pytest.mark.parametrize("case", CASES)
def test_gui_shows_the_message_and_keeps_the_open_project(case, main_window, tmp_path, demo_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    path = make_bad_file(case, tmp_path, demo_path)
    before = snapshot(path)
    # a hot journal opened for editing is rolled back, not refused: opened read-only it is refused
    assert not main_window.files.open_path(path, readonly=(case == "hot_journal"))
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Cannot open the project"
    assert re.search(CASES[case], text)
    assert snapshot(path) == before
    project = main_window.ctx.project
    assert project.path == demo_path.resolve() and not project.readonly
    sites.add(project, Site(name="Still editable", grid_capacity_mw=1, energy_price_usd_per_mwh=1))


def test_killed_writer_rolled_back_when_opened_for_editing(demo_path):
    with open_project(demo_path) as project:
        committed = project.db.execute("select group_concat(label), sum(unit_count) from positions").fetchone()
        links = project.db["conversion_positions"].count
    clean = demo_path.read_bytes()
    make_hot_journal(demo_path)
    assert demo_path.read_bytes() != clean  # the killed writer had written into the file
    with open_project(demo_path) as project:
        assert project.recovered
        assert project.db.execute("select group_concat(label), sum(unit_count) from positions").fetchone() == committed
        assert project.db["conversion_positions"].count == links
    assert not Path(str(demo_path) + "-journal").exists()
    check_file(demo_path)
    assert inspect_file(demo_path)["counts"]["conversion_positions"] == links


def test_crash_safe_pragmas(tmp_path):
    with create_project(tmp_path / "p.sqlite", with_catalog=False) as project:
        assert project.db.execute("pragma synchronous").fetchone()[0] == 2  # FULL
        assert project.db.execute("pragma journal_mode").fetchone()[0] in ("delete", "wal")
        assert project.db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_new_file_over_an_old_one_ignores_the_old_journal(demo_path):
    make_hot_journal(demo_path)
    with create_project(demo_path, overwrite=True) as project:
        assert project.db.execute("pragma quick_check").fetchone()[0] == "ok"
        assert sites.sites(project) == []
    with open_project(demo_path) as project:
        assert project.db["positions"].count == 0


def test_save_copy_over_a_file_with_an_old_journal(demo_project, tmp_path):
    from desktop.ui.session import save_copy

    target = tmp_path / "copy.sqlite"
    target.write_bytes(demo_project.path.read_bytes())
    make_hot_journal(target)
    save_copy(demo_project, target)
    assert not Path(str(target) + "-journal").exists()
    with open_project(target) as copy:
        assert copy.db["positions"].count == demo_project.db["positions"].count
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write read-only files")
def test_read_only_folder_opens_read_only(demo_path):
    from desktop.ui.session import open_session

    os.chmod(demo_path.parent, 0o555)
    try:
        with pytest.raises(InputError, match="read-only"):
            open_project(demo_path)
        session = open_session(demo_path)
        assert session.project.readonly and "read-only on disk" in session.notice
        session.close()
    finally:
        os.chmod(demo_path.parent, 0o755)


# -- one writer: QLockFile across processes ------------------------------------------------

def _child(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "session_child.py"), str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)


def _say(child: subprocess.Popen, line: str) -> str:
    child.stdin.write(line + "\n")
    child.stdin.flush()
    return child.stdout.readline().strip()


def test_stale_lock_of_a_killed_process_is_recovered(demo_path):
    from desktop.ui.session import lock_path, open_session

    child = _child(demo_path)
    try:
        assert child.stdout.readline().strip() == "open readonly=0"
        assert _say(child, "hang") == "hanging"
        assert Path(lock_path(demo_path.resolve())).exists()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert Path(lock_path(demo_path.resolve())).exists()  # the killed process left its lock
    session = open_session(demo_path)
    try:
        assert not session.project.readonly and session.notice == ""
        sites.add(session.project, Site(name="After the crash", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
    finally:
        session.close()


def test_second_process_opens_read_only_and_sees_the_writers_edits(demo_path):
    from desktop.ui.session import open_session

    child = _child(demo_path)
    try:
        assert child.stdout.readline().strip() == "open readonly=0"
        session = open_session(demo_path)
        assert session.project.readonly
        assert re.fullmatch(rf"{re.escape(demo_path.name)} is open in another Rackshift \(\S+ process {child.pid} "
                            rf"on host \S+, since [-0-9: ]+\): opened read-only\.", session.notice), session.notice
        with pytest.raises(InputError, match="read-only"):
            sites.add(session.project, Site(name="Refused", grid_capacity_mw=1, energy_price_usd_per_mwh=1))
        assert _say(child, "add-site Written by the first") == "added"
        assert sites.by_name(session.project, "Written by the first") is not None
        assert _say(child, "quit") == "closed"
        child.wait(timeout=30)
        session.close()
        session = open_session(demo_path)  # the writer closed: this one may write now
        assert not session.project.readonly
        session.close()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_a_process_started_second_is_the_read_only_one(demo_path):
    from desktop.ui.session import open_session

    session = open_session(demo_path)
    child = _child(demo_path)
    try:
        assert not session.project.readonly
        assert child.stdout.readline().strip() == "open readonly=1"
        assert _say(child, "quit") == "closed"
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        session.close()


def test_check_reports_an_older_file_without_migrating_it(demo_path, monkeypatch, capsys):
    extended = migrations.MIGRATIONS.extended(
        ("0999_future_column", lambda db: db.execute("alter table sites add column note text")))
    monkeypatch.setattr(migrations, "MIGRATIONS", extended)
    monkeypatch.setattr(migrations, "KNOWN", extended.names)
    current = migrations.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 999)
    before = snapshot(demo_path)
    assert cli_main(["check", str(demo_path)]) == 0
    out = capsys.readouterr().out
    current = max(int(n[:4]) for n in migrations.KNOWN if not n.startswith("0999"))
    assert f"schema {current} (older than 999: backed up and migrated when opened for editing)" in out
    assert snapshot(demo_path) == before  # no backup, no migration
