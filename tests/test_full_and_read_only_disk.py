"""Issue 21: every writer on a full disk (a small tmpfs, filled) or a read-only one (a read-only
bind mount: tests run as root, so file modes would not stop them) says so in one `error:` line,
leaves the existing files as they were, and leaves no partial new file. Skipped with the reason
where the test cannot mount."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main as cli_main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CONVERT = ["--site", "Red Mesa", "--hall", "Hall A", "--positions", "A01-A10", "--to", "4x DGX H100 rack"]
YAML = str(ROOT / "tests/data/devicetypes/Nvidia-DGC-A100.yaml")


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip() or 'mount failed'}): run as root with mount rights")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _listing(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.endswith(".lock")}


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def full_disk(tmp_path, demo_path, scenario_path):
    """A tmpfs holding a copy of the demo and a scenario, filled to the last byte."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "full"
    mnt.mkdir()
    size_kb = demo_path.stat().st_size // 1024 + 256
    _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mnt))
    try:
        shutil.copy(demo_path, mnt / "demo.sqlite")
        shutil.copy(scenario_path, mnt / "scenario.json")
        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for size in (65536, 4096, 512, 1):     # to the last byte
                try:
                    while True:
                        os.write(fd, b"\0" * size)
                except OSError:
                    pass
        finally:
            os.close(fd)
        yield mnt
    finally:
        _umount(mnt)


@pytest.fixture
def scenario_path(demo_path, tmp_path):
    out = tmp_path / "scenario.json"
    assert cli_main(["export-scenario", str(demo_path), "-o", str(out)]) == 0
    return out


@pytest.fixture
def read_only_disk(tmp_path, demo_path, scenario_path):
    """A folder holding a copy of the demo and a scenario, bind-mounted read-only."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(demo_path, folder / "demo.sqlite")
    shutil.copy(scenario_path, folder / "scenario.json")
    _mount("--bind", str(folder), str(folder))
    result = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        _umount(folder)
        pytest.skip(f"cannot remount read-only here ({result.stderr.strip()})")
    try:
        yield folder
    finally:
        _umount(folder)


def _commands(folder: Path) -> list[list[str]]:
    project, scenario = str(folder / "demo.sqlite"), str(folder / "scenario.json")
    return [
        ["convert", project, *CONVERT],
        ["import-devicetypes", project, YAML],
        ["import-scenario", scenario, str(folder / "new.sqlite")],
        ["import-scenario", scenario, project, "--overwrite"],
        ["demo", str(folder / "demo2.sqlite")],
        ["demo", project, "--force"],
    ]


def test_full_disk_one_line_and_nothing_changed(full_disk, capsys):
    before = _listing(full_disk)
    for command in _commands(full_disk):
        code = cli_main(command)
        line = _one_line(capsys.readouterr().err)
        assert code == 2, (command, line)
        assert "disk is full" in line or "cannot be written" in line, (command, line)
        assert _listing(full_disk) == before, command          # no partial new file, the old ones intact
    assert cli_main(["check", str(full_disk / "demo.sqlite")]) == 0


def test_read_only_disk_one_line_and_nothing_changed(read_only_disk, capsys):
    before = _listing(read_only_disk)
    for command in _commands(read_only_disk):
        code = cli_main(command)
        line = _one_line(capsys.readouterr().err)
        assert code == 2, (command, line)
        assert "read-only" in line, (command, line)
        assert _listing(read_only_disk) == before, command
    assert cli_main(["check", str(read_only_disk / "demo.sqlite")]) == 0   # reading still works
    assert cli_main(["export-scenario", str(read_only_disk / "demo.sqlite"), "-o",
                     str(read_only_disk.parent / "out.json")]) == 0


def test_full_disk_in_a_real_process_gives_no_traceback(full_disk):
    run = subprocess.run([sys.executable, "-m", "desktop", "demo", str(full_disk / "fresh.sqlite")],
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert run.returncode == 2
    _one_line(run.stderr)
    assert not (full_disk / "fresh.sqlite").exists()
    assert not [p for p in full_disk.iterdir() if "building" in p.name]
