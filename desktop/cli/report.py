"""`rackshift report PROJECT.sqlite [--plan NAME] -o PLAN.pdf [--page-size A4|Letter]`.

Writes the plan report for management (desktop.export.pdf_report) atomically. Without `--plan`
the project's current plan is used. The project is opened read-only and never changed. The
PDF is painted by Qt, so the command starts a QApplication on the `offscreen` platform unless
QT_QPA_PLATFORM says otherwise. "Prepared by" is the project's setting, else the user's
preference. A project that cannot be opened, an unknown plan, a bad page size or an output
that cannot be written: one `error: ...` line, exit status 2.
"""
from __future__ import annotations

import os
import sys
import time

from desktop.model.errors import InputError


def add_arguments(parser) -> None:
    parser.add_argument("project", help="project file (.sqlite)")
    parser.add_argument("--plan", metavar="NAME", help="the plan (default: the project's current plan)")
    parser.add_argument("-o", "--output", metavar="PLAN.pdf", required=True, help="the PDF to write")
    parser.add_argument("--page-size", default="A4", metavar="A4|Letter", help="paper size (default A4)")
    parser.add_argument("--mc-paths", type=int, default=None, metavar="N",
                        help="Monte Carlo paths for the chance the plan beats mining (default: the "
                             "planner's setting, 10,000)")


def open_for_export(path):
    """Open a project read-only; an older file that needs migrating is opened as the GUI would."""
    from desktop.store.project import open_project

    try:
        return open_project(path, readonly=True)
    except InputError as exc:
        if "migrated" not in exc.message:
            raise
        return open_project(path)


def qt_application():
    """The QApplication the PDF's painting needs (offscreen unless the environment says otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import make_application

    return make_application([sys.argv[0]])


def run(args) -> int:
    from desktop.export import report_data
    from desktop.export.pdf_report import page_size_id

    from desktop.cli import refuse_output_over_input

    refuse_output_over_input("-o", args.output, {"project": args.project})
    page_size_id(args.page_size)          # refuse a bad size before any work
    started = time.perf_counter()
    app = qt_application()
    from desktop.ui import preferences

    project = open_for_export(args.project)
    try:
        plan_id = report_data.resolve_plan(project, args.plan)
        from desktop.ui.export_actions import montecarlo_settings

        kwargs = montecarlo_settings()
        if args.mc_paths is not None:
            kwargs["mc_paths"] = args.mc_paths
        if not 0 <= kwargs["mc_paths"] <= 1_000_000:
            raise InputError("mc-paths", "must be between 0 and 1,000,000")
        data = report_data.gather(project, plan_id, prepared_by=preferences.get(preferences.PREPARED_BY), **kwargs)
    finally:
        project.close()
    from desktop.export.pdf_report import write_pdf

    pages = write_pdf(data, args.output, args.page_size)
    del app
    print(f"wrote {args.output}: {pages} pages in {time.perf_counter() - started:.2f} s")
    return 0
