"""The ``computelimits`` command line: one subcommand module per area.

Each module in ``SUBCOMMANDS`` exposes ``register(subparsers)``, which adds its
parser and sets ``handler`` to a function taking the parsed arguments and
returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import List, Optional

from .. import __version__

# Subcommand modules, in the order --help lists them.
SUBCOMMANDS: List[str] = ["reproduce", "flops", "simulate", "fit", "hardware", "datasets", "bench"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="computelimits",
        description="The computational limits of deep learning: count FLOPs, simulate scaling, "
        "fit compute-versus-error and project what future accuracy costs.",
    )
    parser.add_argument("--version", action="version", version=f"computelimits {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, TypeError, OverflowError, FileNotFoundError) as error:
        print(f"computelimits {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
