"""Start-up to an interactive main window, in a fresh process (budget 1.5 s).

The child process measures from its own start (the interpreter's first instruction we
control) and we add nothing of the parent's; the wall time of the whole process is reported
too, since a planner waits for that.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.stats import row

CHILD = r"""
import time, json, sys, os
t0 = time.perf_counter()
from desktop.app import make_application
app = make_application()
from desktop.ui.main_window import MainWindow
from desktop.ui.session import open_session
w = MainWindow()
w.set_session(open_session(sys.argv[1]))
w.show()
app.processEvents()
print(json.dumps({"ms": (time.perf_counter() - t0) * 1000}))
"""


def run() -> list[dict]:
    from desktop.store.demo import build_demo

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.sqlite"
        build_demo(demo).close()
        env["HOME"] = tmp
        inner, wall = [], []
        for i in range(6):
            t0 = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, str(demo)], capture_output=True, text=True, env=env,
                                 check=True, cwd=Path(__file__).resolve().parent.parent)
            if i == 0:
                continue  # the first run warms the OS file cache
            wall.append((time.perf_counter() - t0) * 1000)
            inner.append(json.loads(out.stdout.strip().splitlines()[-1])["ms"])
    return [row("startup: imports to interactive window", inner, 1500),
            row("startup: whole process (python + app)", wall, 1500)]


if __name__ == "__main__":
    for r in run():
        print(r)
