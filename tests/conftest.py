"""Shared fixtures. Tests run offscreen, with QSettings and QStandardPaths in a temp folder."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

DEMO_CACHE: dict = {}


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory, monkeypatch):
    """Keep QSettings and the user's data folder out of the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    try:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / ".config"))
    except ImportError:
        pass
    yield


@pytest.fixture
def demo_path(tmp_path):
    """A fresh copy of the demo portfolio (built once per session, copied per test)."""
    import shutil

    from desktop.store.demo import build_demo

    if "path" not in DEMO_CACHE:
        import tempfile

        folder = tempfile.mkdtemp(prefix="rackshift-demo-")
        path = os.path.join(folder, "demo.sqlite")
        build_demo(path).close()
        DEMO_CACHE["path"] = path
    target = tmp_path / "demo.sqlite"
    shutil.copy(DEMO_CACHE["path"], target)
    return target


@pytest.fixture
def demo_project(demo_path):
    from desktop.store.project import open_project

    project = open_project(demo_path)
    yield project
    project.close()


@pytest.fixture
def main_window(qtbot, demo_path):
    """The main window open on a copy of the demo."""
    from desktop.app import make_application
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import open_session

    make_application()
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_session(open_session(demo_path))
    window.show()
    yield window
    window.close()
