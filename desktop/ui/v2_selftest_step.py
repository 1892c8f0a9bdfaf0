"""Self-test step for the v2 economics in the planner's hands: builds a v2 plan through the
editors a planner uses (a duplicated plan, terms from the deal library, tax, terminal value and
financing in the Finance view, curtailment and a grid step on a site), then checks that the
dashboard's tiles, the PDF's finance figures and the tables equal `evaluate` of the exported
scenario file, and saves screenshots at 1280x800 and 1920x1080 and the PDF's pages.

Writes to the report's "v2": the plan, the figures compared, the screenshots, the PDF and its
page images (poppler's pdftoppm where installed; none without it).
"""
from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import time
from pathlib import Path

SIZES = ((1280, 800), (1920, 1080))
VIEWS = ("Plans", "Finance", "Sites", "Dashboard", "Compare")
DEAL = "hut8-fluidstack-river-bend"


def _settle(rounds: int = 5) -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(rounds):
        QApplication.processEvents()


def _close(a: float, b: float, what: str, tol: float = 1.0) -> None:
    if not math.isclose(a, b, rel_tol=1e-9, abs_tol=tol):
        raise RuntimeError(f"{what}: {a!r} is not the engine's {b!r}")


def _build_plan(window) -> int:
    """The v2 plan, edit by edit through the views (each an undoable edit)."""
    from desktop.store import plans, sites
    from desktop.ui.plans import plan_commands

    ctx, views = window.ctx, window.views
    plan_id = plan_commands.duplicate_plan(ctx, ctx.plan_id, "Public deal, levered (self-test)")
    plans_view = views["Plans"]
    for row in range(plans_view.terms_model.rowCount()):   # each conversion, as a planner picks its row
        plans_view.table.setCurrentIndex(plans_view.terms_model.index(row, 0))
        dialog = plans_view.deal_dialog()
        dialog.choose(DEAL)
        if not dialog.apply():
            raise RuntimeError(f"the deal library did not apply: {dialog.message.text()}")
    finance = views["Finance"]
    for section in ("tax", "terminal", "financing"):
        finance.groups[section].setChecked(True)
    for section, key, text in (("terminal", "mining_ebitda_multiple", "3"), ("terminal", "hosting_ebitda_multiple", "8"),
                               ("financing", "loan_to_cost_pct", "60"), ("financing", "equity_discount_rate_pct", "12")):
        edit = finance.fields[(section, key)]
        edit.setText(text)
        edit.commit_now()
    site_view = views["Sites"]
    site = sites.sites(ctx.project)[0]
    site_view.select(site.id)
    for key, text in (("curtailment_pct", "3"), ("curtailment_credit_usd_per_mwh", "35"),
                      ("energy_price_growth_pct_per_year", "2")):
        edit = site_view.form.fields[key]
        edit.setText(text)
        edit.commit_now()
    site_view.grid_schedule.model.commit([{"from_month": 60, "capacity_mw": site.grid_capacity_mw * 1.1}])
    for conv in plans.conversions(ctx.project, plan_id):
        if conv.term_months != 180 or conv.renewals != 3:
            raise RuntimeError(f"the deal's terms did not arrive on {conv.label}: term {conv.term_months}, "
                               f"renewals {conv.renewals}")
    if sites.get(ctx.project, site.id).grid_schedule == []:
        raise RuntimeError("the grid step was not stored")
    return plan_id


def _wait_dashboard(dash) -> None:
    deadline = time.perf_counter() + 30
    dash.live.evaluate_now()
    while (dash.live.pending or dash.live.detail is None) and time.perf_counter() < deadline:
        _settle(1)
        time.sleep(0.005)


def _screens(window, out: Path) -> list[str]:
    shots = []
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    for width, height in SIZES:
        window.resize(width, height)
        _settle()
        for view in VIEWS:
            window.tabs.setCurrentIndex(titles.index(view))
            _settle(8)
            if view == "Sites":    # the site form scrolls: show its v2 fields and the grid schedule
                _show(window.views["Sites"].grid_schedule)
            path = out / f"v2-{width}x{height}-{view.lower()}.png"
            if not window.grab().save(str(path)):
                raise RuntimeError(f"could not save {path}")
            shots.append(path.name)
        window.tabs.setCurrentIndex(titles.index("Dashboard"))
        dash = window.views["Dashboard"]
        dash.cash_box.setCurrentIndex(dash.cash_box.findData("equity/aftertax"))
        _settle(8)
        path = out / f"v2-{width}x{height}-dashboard-equity.png"
        window.grab().save(str(path))
        shots.append(path.name)
    dialog = window.views["Plans"].deal_dialog()
    dialog.choose(DEAL)
    dialog.show()
    _settle()
    dialog.grab().save(str(out / "v2-deal-library.png"))
    dialog.close()
    shots.append("v2-deal-library.png")
    return shots


def _show(widget) -> None:
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget)
        _settle(4)


def _pdf_pages(pdf: Path, out: Path) -> list[str]:
    """The PDF's pages as PNGs at 70 dpi with poppler's pdftoppm, where it is installed (the
    bundle leaves QtPdf out); none without it."""
    folder = out / "v2-pdf-pages"
    folder.mkdir(exist_ok=True)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(folder / "page")], check=True, timeout=120)
        return sorted(f"{folder.name}/{p.name}" for p in folder.glob("page*.png"))
    return []


def v2_step(window, out: Path, report: dict) -> None:
    from desktop.export import tables
    from desktop.export.scenario_json import write_scenario
    from desktop.export.selftest_step import _wait
    from desktop.model.engine import evaluate
    from desktop.model.formatting import usd
    from desktop.model.scenario import load_scenario_file
    from desktop.store.scenario_export import scenario_from_project

    plan_id = _build_plan(window)
    ctx = window.ctx
    if ctx.plan_id != plan_id:
        raise RuntimeError("the v2 plan is not the current plan")
    scenario_path = out / "v2-scenario.json"
    write_scenario(ctx.project, plan_id, scenario_path)
    # the figures must be the engine's for the scenario the project exports; the file loses only
    # float noise (desktop.model.rounding.denoise_tree), so it evaluates to the same figures
    result = evaluate(scenario_from_project(ctx.project, plan_id))
    from_file = evaluate(load_scenario_file(scenario_path))
    file_gap = max(abs(from_file["delta"][k] - result["delta"][k]) / max(abs(result["delta"][k]), 1.0)
                   for k in ("npv_usd", "equity_npv_usd"))
    if file_gap > 1e-9:
        raise RuntimeError(f"the exported file evaluates {file_gap:.2%} away from the project")
    window.tabs.setCurrentIndex([window.tabs.tabText(i) for i in range(window.tabs.count())].index("Dashboard"))
    dash = window.views["Dashboard"]
    _wait_dashboard(dash)
    tiles = {"equity_npv": usd(result["delta"]["equity_npv_usd"]), "min_dscr": f"{result['plan']['min_dscr']:.2f}x",
             "terminal_value": usd(result["plan"]["terminal_value_usd"]), "tax": usd(result["plan"]["levered_tax_usd"])}
    for key, text in tiles.items():
        if dash.tiles.text(key) != text:
            raise RuntimeError(f"dashboard tile {key} shows {dash.tiles.text(key)!r}, the engine {text!r}")
    shots = _screens(window, out)
    pdf = out / "v2-plan.pdf"
    window.exports.export_pdf(str(pdf))
    _wait(window.exports, "PDF")
    pages = _pdf_pages(pdf, out)
    folder = out / "v2-tables"
    if not window.exports.export_tables(str(folder), confirm=lambda paths: True):
        raise RuntimeError("the v2 tables export did not start")
    _wait(window.exports, "tables")
    with open(folder / "cash-flows.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for header, key in (("plan tax, levered (USD)", "levered_tax_usd"), ("plan debt drawn (USD)", "debt_drawn_usd"),
                        ("plan terminal value (USD)", "terminal_value_usd"),
                        ("plan equity cash (USD)", "equity_net_cash_usd"),
                        ("plan curtailment credits (USD)", "power_credit_usd")):
        _close(sum(float(r[header]) for r in rows), result["plan"][key], header)
    report["v2"] = {"plan_id": plan_id, "scenario": scenario_path.name, "tiles": tiles,
                    "exported_file_relative_gap": file_gap,
                    "equity_irr_pct": result["delta"]["equity_irr_pct"], "screenshots": shots, "pdf": pdf.name,
                    "pdf_pages": pages, "pdf_page_count": window.exports.last_pages,
                    "tables": [p.name for p in tables.output_paths(folder)]}
    (out / "v2-result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
