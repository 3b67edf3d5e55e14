"""Slash commands: `/awssec` (``awssec``), with the quiz's subcommands (``quiz``)."""

from __future__ import annotations

from slack_bolt import App

from ..context import ListenerContext
from . import awssec
from .awssec import Subcommand
from .quiz import quiz_subcommands


def register(app: App, context: ListenerContext) -> None:
    subcommands: dict[str, Subcommand] = {}
    for subcommand in [
        *awssec.builtin_subcommands(context, lambda: subcommands),
        *quiz_subcommands(context),
    ]:
        subcommands[subcommand.name] = subcommand
    awssec.register(app, context, subcommands)
