"""The quiz's `/awssec` subcommands: `quiz` (a practice question for the asker), `leaderboard`, `stats`."""

from __future__ import annotations

from slack_bolt import Respond

from ....services.practice import NextStatus
from ...blocks.answer import index_unavailable_message
from ...blocks.quiz import leaderboard_message, no_questions_message, practice_question_message, stats_message
from ..context import ListenerContext
from ..replies import respond_message
from .awssec import Subcommand, SubcommandCall


def quiz_subcommands(context: ListenerContext) -> list[Subcommand]:
    def start_practice(call: SubcommandCall) -> None:
        send_practice_question(context, call.user_id, call.channel_id, call.respond)

    def show_leaderboard(call: SubcommandCall) -> None:
        board = context.services.scores.leaderboard()
        month = f"{board.month_start:%B %Y}"
        respond_message(call.respond, leaderboard_message(board.month, board.all_time, month))

    def show_stats(call: SubcommandCall) -> None:
        respond_message(
            call.respond, stats_message(call.user_id, context.services.scores.stats(call.user_id))
        )

    return [
        Subcommand("quiz", "quiz", "a practice question from the notes, just for you", start_practice),
        Subcommand(
            "leaderboard", "leaderboard", "quiz points: top 10 this month and all time", show_leaderboard
        ),
        Subcommand("stats", "stats", "your quiz answers, accuracy, streak and weakest topics", show_stats),
    ]


def send_practice_question(context: ListenerContext, user_id: str, channel_id: str, respond: Respond) -> None:
    """A practice question for ``user_id`` (chosen by spaced repetition), with a button per choice."""
    chosen = context.services.practice.next_question(user_id, channel_id)
    if chosen.status == NextStatus.INDEX_UNAVAILABLE:
        respond_message(respond, index_unavailable_message(), replace_original=False)
        return
    if chosen.practice is None:
        respond_message(respond, no_questions_message(), replace_original=False)
        return
    message = practice_question_message(chosen.practice.question, chosen.practice.id)
    respond_message(respond, message, replace_original=False)
