"""The frozen bundle's entry point: the same `rackshift` command as the installed script."""
import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a no-op unless a feature ever starts worker processes
    sys.exit(main())
