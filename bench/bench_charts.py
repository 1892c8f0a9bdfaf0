"""Edit-to-charts latency on the demo (p95 budget 50 ms) and the longest the GUI thread is
busy without returning to its event loop while the planner edits (budget 100 ms).

Runs the dashboard's self-test step (23 edits: price steps, market fields, a conversion,
term edits, a timeline move, undo and redo) in this process, `ROUNDS` times on fresh copies
of the demo. A 2 ms heartbeat timer records the gaps between its ticks: a gap is time the
GUI thread spent in one piece of work (an edit, an evaluation, a paint).
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.stats import p95

ROUNDS = 3


def _round(tmp: Path) -> tuple[list[float], float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.store.demo import build_demo
    from desktop.ui.dashboard.selftest_step import planner_edits, time_edits
    from desktop.ui.main_window import MainWindow
    from desktop.ui.session import open_session

    path = tmp / f"demo-{time.monotonic_ns()}.sqlite"
    build_demo(path).close()
    window = MainWindow()
    window.set_session(open_session(path))
    window.resize(1500, 950)
    window.show()
    dash = window.views["Dashboard"]
    window.tabs.setCurrentWidget(dash)
    for _ in range(5):
        QApplication.processEvents()
    dash.live.runner.wait(30000)
    QApplication.processEvents()
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(tick)
    edits = planner_edits(window)
    last[0] = time.perf_counter()
    timer.start()
    phases, _ = time_edits(dash, edits)
    timer.stop()
    dash.live.runner.wait(30000)
    window.close()
    return [p[0] for p in phases], max(gaps) if gaps else 0.0


def run() -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import make_application

    make_application()
    latencies, blocks = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(ROUNDS):
            each, block = _round(Path(tmp))
            latencies += each
            blocks.append(block)
    return [
        {"name": "edit to charts redrawn, p95 (demo)", "value": p95(latencies), "min": min(latencies),
         "max": max(latencies), "unit": "ms", "budget": 50},
        {"name": "GUI thread longest busy stretch", "value": sorted(blocks)[len(blocks) // 2], "min": min(blocks),
         "max": max(blocks), "unit": "ms", "budget": 100},
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
