"""Small helpers for benchmarks: repeat a function and summarise its times."""
from __future__ import annotations

import statistics
import time


def timed(fn, repeat: int = 7, warmup: int = 1) -> list[float]:
    """Milliseconds of each run, after `warmup` runs that are not counted."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def row(name: str, times_ms: list[float], budget: float | None, unit: str = "ms") -> dict:
    return {"name": name, "value": statistics.median(times_ms), "min": min(times_ms), "max": max(times_ms),
            "unit": unit, "budget": budget}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
