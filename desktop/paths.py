"""Where Rackshift's own data lives: the migrations and seed catalog (`db/`) and the
resources (`resources/`), in a source checkout or inside a PyInstaller bundle. Qt-free."""
from __future__ import annotations

import sys
from pathlib import Path


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def db_dir() -> Path:
    return _root() / "db"


def resources_dir() -> Path:
    return _root() / "resources"


def manual_path() -> Path:
    """The README, which holds the user manual (shipped at the bundle's top, as in a checkout)."""
    return _root() / "README.md"
