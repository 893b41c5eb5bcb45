"""The ``computelimits`` command line: one subcommand module per area.

Each module in ``SUBCOMMANDS`` exposes ``register(subparsers)``, which adds its
parser and sets ``handler`` to a function taking the parsed arguments and
returning an exit code. Option values are read by the types in ``cli._args``.

While a command runs, Python warnings print as one line each on stderr,
``computelimits: warning: <Category>: <message>``, without the source line
(``one_line_warning``); the previous warning settings come back afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings
from typing import List, Optional

from .. import __version__

# Subcommand modules, in the order --help lists them.
SUBCOMMANDS: List[str] = [
    "reproduce",
    "flops",
    "simulate",
    "fit",
    "hardware",
    "datasets",
    "bench",
    "completion",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="computelimits",
        description="The computational limits of deep learning: count FLOPs, simulate scaling, "
        "fit compute-versus-error and project what future accuracy costs.",
    )
    parser.add_argument(
        "--version", action="version", version=f"computelimits {__version__}", help="print the version and exit"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", help="what to do (COMMAND --help for more)")
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """``warnings.showwarning`` for the command line: "computelimits: warning: <Category>: <message>",
    whitespace collapsed to one line, no file name and no source line."""
    text = " ".join(str(message).split())
    stream = file if file is not None else sys.stderr
    with contextlib.suppress(OSError, ValueError):  # stderr closed: a warning is not worth a crash
        stream.write(f"computelimits: warning: {category.__name__}: {text}\n")


def main(argv: Optional[List[str]] = None) -> int:
    """Run ``computelimits`` with ``argv`` (default: the process's) and return the exit code: 0 done,
    2 for a bad option or value (argparse's message, or ``computelimits CMD: error: ...``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or argparse refused an option: it printed why
        return stop.code if isinstance(stop.code, int) else 2
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    with warnings.catch_warnings():
        warnings.showwarning = one_line_warning
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
