"""`/awssec <question>` and its subcommands.

The dispatch table maps a name to a :class:`Subcommand`; this module has ``help`` and ``sources``, and
``quiz`` has the quiz's (``quiz``, ``leaderboard``, ``stats``). ``commands.register`` puts them together.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond

from ....services.index import IndexUnavailable
from ...blocks.answer import help_message, index_unavailable_message, sources_message
from ...markup import unescape
from ..context import ListenerContext
from ..replies import busy_message, report_failure_by_respond, respond_message

COMMAND = re.compile(r"^/awssec[\w-]*$")
HELP_ALIASES = ("help", "-h", "--help", "?", "-help")


@dataclass(frozen=True)
class SubcommandCall:
    """One `/awssec <name> <args>` invocation, as a subcommand handler sees it."""

    args: str
    user_id: str
    channel_id: str
    respond: Respond


@dataclass(frozen=True)
class Subcommand:
    """An entry of the `/awssec` dispatch table."""

    name: str
    usage: str
    description: str
    handler: Callable[[SubcommandCall], None]
    takes_args: bool = False
    """False: only the whole text ``name`` is this subcommand; ``name something`` is a question."""


def register(app: App, context: ListenerContext, subcommands: Mapping[str, Subcommand]) -> None:
    """The `/awssec` command, answering questions and dispatching to ``subcommands``."""

    @app.command(COMMAND)
    def handle_awssec(ack: Ack, command: dict[str, Any], respond: Respond, logger: logging.Logger) -> None:
        ack()  # Slack's request is answered now; the answer follows from a worker thread
        context.workers.run_later(
            answer_command,
            context,
            subcommands,
            command,
            respond,
            logger,
            busy=lambda: respond_message(respond, busy_message()),
        )


def builtin_subcommands(
    context: ListenerContext, listed: Callable[[], Mapping[str, Subcommand]]
) -> list[Subcommand]:
    """``help`` (listing what ``listed()`` holds) and ``sources``."""

    def show_help(call: SubcommandCall) -> None:
        entries = [(s.usage, s.description) for s in listed().values()]
        respond_message(call.respond, help_message(entries))

    def show_sources(call: SubcommandCall) -> None:
        index = context.services.index.current()
        if isinstance(index, IndexUnavailable):
            respond_message(call.respond, index_unavailable_message())
            return
        respond_message(call.respond, sources_message(index.sources(), index.built_at))

    return [
        Subcommand("help", "help", "this help", show_help),
        Subcommand(
            "sources", "sources", "the indexed notes, their chunk counts and the index date", show_sources
        ),
    ]


def answer_command(
    context: ListenerContext,
    subcommands: Mapping[str, Subcommand],
    command: dict[str, Any],
    respond: Respond,
    logger: logging.Logger,
) -> None:
    try:
        run_command(context, subcommands, command, respond)
    except Exception:  # a failure is reported to the user and logged, never fatal
        report_failure_by_respond(respond, logger, "/awssec", context.services.outage)


def parse_command(text: str, subcommands: Mapping[str, Subcommand]) -> tuple[Subcommand | None, str]:
    """(subcommand, its arguments) or (None, the question).

    Empty text is ``help``; a subcommand name as the whole text is that subcommand (``help``, ``sources``);
    a name followed by more words is that subcommand only if it takes arguments (``quiz kms``) — otherwise
    the text is a question, since questions are free text (``sources of cloudtrail logs``).
    """
    text = text.strip()
    if not text:
        return subcommands.get("help"), ""
    first, _, rest = text.partition(" ")
    name = first.lower()
    if name in HELP_ALIASES:
        name = "help"
    subcommand = subcommands.get(name)
    if subcommand is not None and (not rest.strip() or subcommand.takes_args):
        return subcommand, rest.strip()
    return None, text


def run_command(
    context: ListenerContext,
    subcommands: Mapping[str, Subcommand],
    command: dict[str, Any],
    respond: Respond,
) -> None:
    text = unescape(command.get("text") or "")
    user_id = command.get("user_id") or ""
    channel_id = command.get("channel_id") or ""
    subcommand, rest = parse_command(text, subcommands)
    if subcommand is not None:
        subcommand.handler(SubcommandCall(rest, user_id, channel_id, respond))
        return
    respond_message(respond, context.answer(rest, user_id=user_id, channel_id=channel_id, shareable=True))
