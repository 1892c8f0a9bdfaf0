"""`rackshift demo PATH.sqlite`: write the demo portfolio to a new project file."""
from __future__ import annotations

from pathlib import Path

from desktop.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("path", help="the new project file")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args) -> int:
    from desktop.store.demo import build_demo

    path = Path(args.path)
    if (path.exists() or path.is_symlink()) and not args.force:
        raise CliError(f"{path}: already exists (use --force to overwrite)")
    build_demo(path, overwrite=args.force).close()
    print(f"wrote the demo portfolio to {path}")
    return 0
