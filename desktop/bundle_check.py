"""Self-test step "bundle": what the offline bundle (packaging/rackshift.spec) must carry.

Runs in every `rackshift --self-test`, from a checkout or from the frozen bundle, and
checks the things a packaging mistake breaks first: the bundled data (migrations, catalog,
icon), pyqtgraph with its data files (a chart drawn, a colour map read from file), no Qt
network module loaded, and, when frozen, a user data folder outside the bundle.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Modules Rackshift must never load: it never talks to a network.
FORBIDDEN_MODULES = ("PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebSockets")


def bundle_step(window, out: Path, report: dict) -> None:
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtGui import QFontDatabase, QIcon

    from desktop.paths import db_dir, manual_path, resources_dir

    checks: dict = {"frozen": bool(getattr(sys, "frozen", False))}
    for needed in (db_dir() / "catalog.json", db_dir() / "migrations", resources_dir() / "icons" / "rackshift.png",
                   resources_dir() / "demo" / "portfolio.json", manual_path()):
        if not needed.exists():
            raise RuntimeError(f"missing from the installation: {needed}")
    if QIcon(str(resources_dir() / "icons" / "rackshift.png")).isNull():
        raise RuntimeError("the application icon does not load")

    from PySide6.QtGui import QFont, QFontMetrics

    if "DejaVu Sans" not in QFontDatabase.families():
        raise RuntimeError("the report font DejaVu Sans is not available")
    if not QFontMetrics(QFont("DejaVu Sans")).inFontUcs4(0x0645):  # ARABIC LETTER MEEM
        raise RuntimeError("the report font has no Arabic glyphs")
    checks["font"] = "DejaVu Sans"
    checks["chart_png"] = _pyqtgraph_chart(out)

    loaded = sorted(m for m in FORBIDDEN_MODULES if m in sys.modules)
    if loaded:
        raise RuntimeError(f"network modules loaded: {', '.join(loaded)}")

    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)).resolve()
    checks["user_data_folder"] = str(data)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        root = Path(sys.executable).resolve().parent
        if data == root or root in data.parents:
            raise RuntimeError(f"the user data folder {data} is inside the bundle {root}")
        checks["bundle"] = str(root)
    report["bundle"] = checks


def _pyqtgraph_chart(out: Path) -> str:
    """Draw a small pyqtgraph chart with a colour map read from pyqtgraph's data files."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    cmap = pg.colormap.get("CET-L9")  # a CSV file among pyqtgraph's data
    if cmap is None:
        raise RuntimeError("pyqtgraph's colour maps are missing")
    plot = pg.PlotWidget()
    plot.resize(320, 200)
    x = np.arange(24, dtype=float)
    plot.plot(x, np.sqrt(x), pen=pg.mkPen(cmap.map(0.7, mode="qcolor"), width=2))
    plot.show()
    QApplication.processEvents()
    path = out / "bundle-pyqtgraph.png"
    image = plot.grab()
    plot.close()
    plot.deleteLater()
    if image.isNull() or not image.save(str(path)):
        raise RuntimeError("pyqtgraph drew nothing")
    return path.name
