"""`/awssec <question>` and its subcommands.

The dispatch table is ``deps.subcommands`` (name -> Subcommand); this module adds ``help`` and
``sources``, and other modules (the quiz) add theirs with ``deps.add_subcommand``.
"""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from ...answering import answer_question
from ...blocks import help_message, index_unavailable_message, sources_message, unescape
from ...deps import Deps, IndexUnavailable, Subcommand, SubcommandCall
from .._slack import busy_message, report_failure_by_respond, respond_message

COMMAND = re.compile(r"^/awssec[\w-]*$")
HELP_ALIASES = ("help", "-h", "--help", "?", "-help")


def register(app: App, deps: Deps) -> None:
    for subcommand in (
        Subcommand("help", "help", "this help", show_help),
        Subcommand(
            "sources", "sources", "the indexed notes, their chunk counts and the index date", show_sources
        ),
    ):
        deps.subcommands.setdefault(subcommand.name, subcommand)

    @app.command(COMMAND)
    def handle_awssec(
        ack: Ack, command: dict, respond: Respond, client: WebClient, logger: logging.Logger
    ) -> None:
        ack()  # Slack's request is answered now; the answer follows from a worker thread
        deps.run_later(
            answer_command,
            deps,
            command,
            respond,
            client,
            logger,
            busy=lambda: respond_message(respond, busy_message()),
        )


def answer_command(
    deps: Deps, command: dict, respond: Respond, client: WebClient, logger: logging.Logger
) -> None:
    try:
        run_command(deps, command, respond, client, logger)
    except Exception:  # noqa: BLE001 - a failure is reported to the user and logged, never fatal
        report_failure_by_respond(respond, logger, "/awssec", deps.store)


def parse_command(text: str, subcommands: dict[str, Subcommand]) -> tuple[Subcommand | None, str]:
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
    deps: Deps, command: dict, respond: Respond, client: WebClient, logger: logging.Logger
) -> None:
    text = unescape(command.get("text") or "")
    user_id = command.get("user_id") or ""
    channel_id = command.get("channel_id") or ""
    subcommand, rest = parse_command(text, deps.subcommands)
    if subcommand is not None:
        subcommand.handler(SubcommandCall(rest, user_id, channel_id, respond, client, deps, logger))
        return
    reply = answer_question(deps, rest, user_id=user_id, channel_id=channel_id, shareable=True)
    respond_message(respond, reply.message)


def show_help(call: SubcommandCall) -> None:
    entries = [(s.usage, s.description) for s in call.deps.subcommands.values()]
    respond_message(call.respond, help_message(entries))


def show_sources(call: SubcommandCall) -> None:
    index = call.deps.index
    if isinstance(index, IndexUnavailable):
        respond_message(call.respond, index_unavailable_message(index.reason))
        return
    respond_message(call.respond, sources_message(index.sources(), index.built_at))
