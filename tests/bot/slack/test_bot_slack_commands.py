"""`/awssec <text>`: a subcommand or a question."""

from __future__ import annotations

import pytest

from bot.slack.listeners.commands.awssec import Subcommand, parse_command


def _subcommands(*names: str, takes_args: tuple[str, ...] = ()) -> dict[str, Subcommand]:
    return {n: Subcommand(n, n, n, lambda call: None, takes_args=n in takes_args) for n in names}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("help", "")),
        ("   ", ("help", "")),
        ("help", ("help", "")),
        ("HELP", ("help", "")),
        ("--help", ("help", "")),
        ("sources", ("sources", "")),
        ("sources of cloudtrail logs", (None, "sources of cloudtrail logs")),
        ("help me with kms", (None, "help me with kms")),
        ("kms", (None, "kms")),
        ("quiz", ("quiz", "")),
        ("quiz iam", ("quiz", "iam")),
    ],
)
def test_subcommands_versus_questions(text: str, expected: tuple) -> None:
    subcommand, rest = parse_command(text, _subcommands("help", "sources", "quiz", takes_args=("quiz",)))
    assert ((subcommand.name if subcommand else None), rest) == expected
