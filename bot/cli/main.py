"""The ``awssec`` command: a thin layer over the indexer library and the bot (``bot.runtime``).

Every command is ``awssec COMMAND --help``-documented; ``main(argv) -> int`` is what tests call. Each
command group is a module with ``register(subparsers)``; its command functions take the parsed arguments
and the :class:`~bot.config.settings.Settings` (read here, once).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from ..config.settings import Settings
from . import ask, clean, console, index, quiz, serve

EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a program whose reader went away (``awssec ask ... | head``)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="awssec", description="Study AWS security from your own notes: search, quizzes, a Slack bot."
    )
    parser.add_argument("--version", action="version", version=f"awssec {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (index, ask, clean, serve, console, quiz):
        module.register(sub)
    return parser


def installed_version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("awssec")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args, Settings.from_env()) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _silence_stdout() -> None:
    """The reader of standard output went away: send what is left to /dev/null, so that Python's own
    flush at exit does not fail on the closed pipe a second time (and print a traceback)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
