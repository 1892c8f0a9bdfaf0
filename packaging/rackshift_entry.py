"""The frozen bundle's entry point: the same `rackshift` command as the installed script."""
import multiprocessing
import os
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a feature ever starts worker processes
    if sys.platform.startswith("linux") and not any(os.environ.get(v) for v in ("LC_ALL", "LC_CTYPE", "LANG")):
        # a bare environment (a service, `env -i`): Qt wants a UTF-8 locale and says so
        os.environ["LC_CTYPE"] = "C.UTF-8"
    sys.exit(main())
