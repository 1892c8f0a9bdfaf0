"""`rackshift --self-test [--out DIR]`: a headless walk through the application.

Builds the demo in a temporary folder, opens the main window on it, visits every view,
saves a PNG of each into DIR and writes DIR/selftest.json with what was checked. Exits 0
only if every check passed. Features add their own steps to STEPS; the packaged bundle
runs this as its smoke test.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from desktop.ui.floorplan.selftest_step import floorplan_step
from desktop.bundle_check import bundle_step
from desktop.ui.dashboard.selftest_step import dashboard_step
from desktop.ui.editors.selftest_step import editors_step
from desktop.export.selftest_step import export_step
from desktop.ui.v2_selftest_step import v2_step


SCREEN_SIZES = ((1280, 800), (1920, 1080))   # a laptop and a desktop monitor


def _views_step(window, out: Path, report: dict) -> None:
    """A PNG of every view at each of SCREEN_SIZES (view-1280x800-06-dashboard.png)."""
    shots = []
    for width, height in SCREEN_SIZES:
        window.resize(width, height)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            _settle(rounds=10)
            name = window.tabs.tabText(index).lower().replace(" ", "-")
            path = out / f"view-{width}x{height}-{index:02d}-{name}.png"
            if not window.grab().save(str(path)):
                raise RuntimeError(f"could not save {path}")
            shots.append(path.name)
    window.resize(1400, 900)
    window.tabs.setCurrentIndex(0)
    report["screenshots"] = shots
    report["views"] = [window.tabs.tabText(i) for i in range(window.tabs.count())]


def _tree_step(window, out: Path, report: dict) -> None:
    from desktop.store import sites

    names = [s.name for s in sites.sites(window.ctx.project)]
    tree = window.tree.model_
    shown = [tree.item(r).text() for r in range(tree.rowCount())]
    if shown != names or not names:
        raise RuntimeError(f"the tree shows {shown}, the project has {names}")
    report["sites"] = shown


def _settle(rounds: int = 3) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()
        if rounds > 3:
            time.sleep(0.02)   # let the dashboard's background evaluation come back


# Each step: (name, function(window, out_dir, report_dict)). Later features append theirs.
STEPS = [
    ("tree", _tree_step),
    ("views", _views_step),
    ("editors", editors_step),
    ("floorplan", floorplan_step),
    ("dashboard", dashboard_step),
    ("bundle", bundle_step),
    ("export", export_step),
    ("v2", v2_step),        # a v2 plan from the deal library: dashboard, PDF and tables against evaluate
]


def run_self_test(out_dir: str | None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(out_dir or "selftest-out").resolve()
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"ok": False, "checks": {}}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rackshift-selftest-") as tmp:
        from PySide6.QtCore import QStandardPaths

        QStandardPaths.setTestModeEnabled(True)
        from desktop.app import make_application

        app = make_application()
        app.setApplicationName("Rackshift-selftest")  # keeps the user's settings untouched
        from desktop.store.demo import build_demo
        from desktop.ui.main_window import MainWindow
        from desktop.ui.session import open_session

        demo = Path(tmp) / "demo.sqlite"
        build_demo(demo).close()
        window = MainWindow()
        window.set_session(open_session(demo))
        window.show()
        _settle()
        report["project"] = str(demo)
        ok = True
        for name, step in STEPS:
            t0 = time.perf_counter()
            try:
                step(window, out, report)
                report["checks"][name] = {"ok": True, "ms": round((time.perf_counter() - t0) * 1000, 1)}
            except Exception as exc:  # the report says what failed; the exit status says that it did
                ok = False
                report["checks"][name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                                          "traceback": traceback.format_exc()}
        window.close()
        report["ok"] = ok
        report["seconds"] = round(time.perf_counter() - started, 2)
    (out / "selftest.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"self-test {'passed' if ok else 'FAILED'}: {out / 'selftest.json'}", file=sys.stderr if not ok else sys.stdout)
    return 0 if ok else 1
