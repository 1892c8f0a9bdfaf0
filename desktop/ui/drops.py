"""Files dropped on the main window: a project file (.sqlite) opens, a fleet CSV starts the
fleet import, NetBox device types (.yaml, .yml) start the device-type import; anything else is
refused with a status-bar message (the drop cursor already says no)."""
from __future__ import annotations

from pathlib import Path

PROJECT, FLEET, DEVICETYPES = "project", "fleet", "devicetypes"
KINDS = {".sqlite": PROJECT, ".db": PROJECT, ".csv": FLEET, ".yaml": DEVICETYPES, ".yml": DEVICETYPES}


def kind_of(path: str | Path) -> str | None:
    return KINDS.get(Path(path).suffix.lower())


def local_paths(mime) -> list[str]:
    """The dropped local files Rackshift can take (URLs from the web are not)."""
    if not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and kind_of(url.toLocalFile())]


def open_dropped(window, paths: list[str]) -> str | None:
    """Do what the drop asks; returns the kind handled (or None)."""
    if not paths:
        return None
    kinds = {kind_of(p) for p in paths}
    if kinds == {DEVICETYPES}:
        if window.imports._writable("Cannot import device types"):
            window.imports.open_devicetypes(paths)
        return DEVICETYPES
    path = paths[0]
    kind = kind_of(path)
    if kind == PROJECT:
        window.files.open_path(path)
    elif kind == FLEET:
        if window.imports._writable("Cannot import the fleet"):
            window.imports.open_fleet_csv(path)
    elif kind == DEVICETYPES:
        if window.imports._writable("Cannot import device types"):
            window.imports.open_devicetypes([p for p in paths if kind_of(p) == DEVICETYPES])
    return kind
