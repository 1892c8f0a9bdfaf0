"""`make bench`: run every bench/bench_*.py, print a table, write bench/results.json.

Each module exposes `run() -> list[dict(name, value, unit, budget)]` with the median of
several runs as `value` (and optionally `min`, `max`). results.json is the list of all rows.
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"bench.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    only = set(argv)
    rows, failed = [], []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and path.stem not in only and path.stem.removeprefix("bench_") not in only:
            continue
        print(f"running {path.stem} ...", flush=True)
        try:
            rows += _load(path).run()
        except Exception:
            failed.append(path.stem)
            traceback.print_exc()
    print(f"\n{'benchmark':<44} {'median':>10} {'min':>10} {'max':>10} {'budget':>10}  unit")
    for r in rows:
        over = r.get("budget") is not None and r["value"] > r["budget"]
        print(f"{r['name']:<44} {_fmt(r['value']):>10} {_fmt(r.get('min')):>10} {_fmt(r.get('max')):>10} "
              f"{_fmt(r.get('budget')):>10}  {r['unit']}{'  OVER BUDGET' if over else ''}")
    out = [{"name": r["name"], "value": r["value"], "unit": r["unit"], "budget": r.get("budget")} for r in rows]
    (HERE / "results.json").write_text(json.dumps(out, indent=1))
    print(f"\nwrote {HERE / 'results.json'} ({len(out)} results) on {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
