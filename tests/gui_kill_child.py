"""A Rackshift GUI for tests/test_gui_kill.py, killed in the middle of one compound edit.

`python tests/gui_kill_child.py PROJECT EDIT STOP` opens PROJECT in a real main window
(offscreen), starts EDIT through the GUI's own undoable commands, and inside it, once the
store call STOP has written its part (or, for `enter:NAME`, when NAME is entered), prints
`inside` and sleeps until it is killed. `STOP=none` runs the edit to its end and prints `done`.
"""
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.app import make_application  # noqa: E402


def main(path: str, edit: str, stop: str) -> None:
    make_application()
    from desktop.store import conversions, halls, plans, sites
    from desktop.ui.main_window import MainWindow
    from desktop.ui.plans import plan_commands
    from desktop.ui.session import open_session
    from desktop.ui.editors import edit_ops

    window = MainWindow()
    window.set_session(open_session(path))
    ctx = window.ctx
    modules = {"plans": plans, "conversions": conversions, "sites": sites, "halls": halls, "ctx": ctx}
    if stop != "none":
        when, _, target = stop.partition(":")
        owner_name, _, attr = target.partition(".")
        owner = modules[owner_name]
        real = getattr(owner, attr)

        def stopping(*args, **kwargs):
            if when == "enter":
                print("inside", flush=True)
                time.sleep(120)
            result = real(*args, **kwargs)
            print("inside", flush=True)
            time.sleep(120)
            return result
        setattr(owner, attr, stopping)
    plan_id = ctx.plan_id
    if edit == "duplicate-plan":
        plan_commands.duplicate_plan(ctx, plan_id)
    elif edit == "delete-plan":
        plan_commands.delete_plan(ctx, plan_id)
    elif edit == "add-plan":
        plan_commands.add_plan(ctx)
    elif edit == "delete-site":
        edit_ops.delete_site(ctx, sites.sites(ctx.project)[0].id)
    elif edit == "clear-hall":
        edit_ops.clear_hall(ctx, halls.halls(ctx.project)[-1].id)
    else:
        raise SystemExit(f"unknown edit {edit}")
    window.session.close() if getattr(window, "session", None) else ctx.project.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
