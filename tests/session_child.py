"""A second Rackshift process for the lock tests (run as a script by tests).

`python tests/session_child.py PROJECT` opens a session on PROJECT (taking the QLockFile if it
can), prints `open readonly=<0|1>` and then follows commands on stdin, one a line:
`add-site NAME` adds a site (printing `added`), `hang` sleeps until killed, `quit` closes.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.model.entities import Site  # noqa: E402
from desktop.store import sites  # noqa: E402
from desktop.ui.session import open_session  # noqa: E402


def main(path: str) -> None:
    session = open_session(path)
    print(f"open readonly={int(session.project.readonly)}", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "add-site":
            sites.add(session.project, Site(name=arg, grid_capacity_mw=1, energy_price_usd_per_mwh=40))
            print("added", flush=True)
        elif command == "hang":
            print("hanging", flush=True)
            while True:
                time.sleep(1)
        elif command == "quit":
            break
    session.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
