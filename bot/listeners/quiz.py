"""The quiz in Slack: `/awssec quiz`, `/awssec leaderboard`, `/awssec stats` and the quiz buttons.

- `/awssec quiz` gives the asker a personal, ephemeral question (chosen by spaced repetition from
  their own history) with a button per choice. A click shows right or wrong, the right answer, the cited
  snippet and a Next question button; only the first click of a question counts.
- The daily quiz post (see ``bot.daily``) has a button per choice too: each member answers once (a
  second click is told so), sees their result privately, and the post's count of answers is updated.

Handlers follow the starter-template pattern: ack(), call the core (``indexer.review``), respond().
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from ..blocks import index_unavailable_message
from ..config.settings import QuizSettings
from ..deps import Deps, Subcommand, SubcommandCall
from ..quiz_blocks import (
    ACTION_DAILY_CHOICE,
    ACTION_PRACTICE_CHOICE,
    ACTION_PRACTICE_NEXT,
    already_answered_message,
    daily_already_answered_message,
    daily_closed_message,
    daily_result_message,
    expired_question_message,
    leaderboard_message,
    no_questions_message,
    practice_question_message,
    practice_result_message,
    stats_message,
)
from ..services.daily import DailyGrade, DailyQuiz
from ..services.practice import GradeStatus, NextStatus
from ._slack import handle_click_later, respond_message

PRACTICE_CHOICE = re.compile(rf"^{ACTION_PRACTICE_CHOICE}_\d+$")
DAILY_CHOICE = re.compile(rf"^{ACTION_DAILY_CHOICE}_\d+$")


def register(app: App, deps: Deps) -> None:
    """Add the quiz subcommands and buttons."""
    deps.add_subcommand(
        Subcommand(
            "quiz",
            "quiz",
            "a practice question from the notes, just for you",
            lambda call: start_practice(deps, call),
        )
    )
    deps.add_subcommand(
        Subcommand(
            "leaderboard",
            "leaderboard",
            "quiz points: top 10 this month and all time",
            lambda call: show_leaderboard(deps, call),
        )
    )
    deps.add_subcommand(
        Subcommand(
            "stats",
            "stats",
            "your quiz answers, accuracy, streak and weakest topics",
            lambda call: show_stats(deps, call),
        )
    )

    # ack at once (the app answers Slack's request only after its listeners return), then work on a
    # worker thread: the first question may wait for the question bank to be generated
    @app.action(PRACTICE_CHOICE)
    def practice_choice(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps, answer_practice, "grading a quiz answer", respond, logger, deps, body, action, respond
        )

    @app.action(ACTION_PRACTICE_NEXT)
    def practice_next(ack: Ack, body: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps,
            send_practice_question,
            "choosing the next quiz question",
            respond,
            logger,
            deps,
            _user_id(body),
            _channel_id(body),
            respond,
        )

    @app.action(DAILY_CHOICE)
    def daily_choice(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps,
            answer_daily,
            "recording a daily quiz answer",
            respond,
            logger,
            deps,
            body,
            action,
            respond,
            logger,
        )


def _user_id(body: dict) -> str:
    return (body.get("user") or {}).get("id", "")


def _channel_id(body: dict) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")


def _parse_value(action: dict) -> tuple[str, int] | None:
    ref, _, index = str(action.get("value", "")).rpartition(":")
    if not ref or not index.isdigit() or len(ref) > 64:
        return None
    return ref, int(index)


# -- practice ---------------------------------------------------------------------------------------------


def start_practice(deps: Deps, call: SubcommandCall) -> None:
    send_practice_question(deps, call.user_id, call.channel_id, call.respond)


def send_practice_question(deps: Deps, user_id: str, channel_id: str, respond: Respond) -> None:
    chosen = deps.services.practice.next_question(user_id, channel_id)
    if chosen.status == NextStatus.INDEX_UNAVAILABLE:
        respond_message(respond, index_unavailable_message(chosen.reason), replace_original=False)
        return
    if chosen.practice is None:
        respond_message(respond, no_questions_message(), replace_original=False)
        return
    message = practice_question_message(chosen.practice.question, chosen.practice.id)
    respond_message(respond, message, replace_original=False)


def answer_practice(deps: Deps, body: dict, action: dict, respond: Respond) -> None:
    practice = deps.services.practice
    ref, choice = _parse_value(action) or ("", 0)
    graded = practice.answer(practice.shown(ref), _user_id(body), choice)
    if graded.status == GradeStatus.EXPIRED:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    if graded.status == GradeStatus.ALREADY_ANSWERED or graded.practice is None or graded.result is None:
        respond_message(respond, already_answered_message(), replace_original=False)
        return
    respond_message(
        respond,
        practice_result_message(graded.practice.question, graded.result, deps.settings.source_url),
        replace_original=True,
    )


# -- the daily quiz ---------------------------------------------------------------------------------------


def answer_daily(deps: Deps, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
    daily = deps.services.daily
    ref, choice = _parse_value(action) or ("", 0)
    answered = daily.answer(ref, _user_id(body), choice)
    if answered.status == DailyGrade.ALREADY:
        respond_message(respond, daily_already_answered_message(), replace_original=False)
        return
    if answered.status == DailyGrade.CLOSED:
        respond_message(respond, daily_closed_message(), replace_original=False)
        return
    if answered.post is None or answered.result is None:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    message = daily_result_message(answered.result, answered.reveal_at)
    respond_message(respond, message, replace_original=False)
    try:
        daily.refresh_count(answered.post)
    except Exception:  # noqa: BLE001 - the count is cosmetic; the answer is recorded
        logger.warning("could not update the daily quiz post's answer count", exc_info=True)


# -- scores ------------------------------------------------------------------------------------------------


def show_leaderboard(deps: Deps, call: SubcommandCall) -> None:
    board = deps.services.scores.leaderboard()
    respond_message(
        call.respond, leaderboard_message(board.month, board.all_time, f"{board.month_start:%B %Y}")
    )


def show_stats(deps: Deps, call: SubcommandCall) -> None:
    respond_message(call.respond, stats_message(call.user_id, deps.services.scores.stats(call.user_id)))


def start_daily_quiz(
    app: App, client: WebClient, clock: Callable[[], datetime] | None = None, interval: float | None = None
) -> DailyQuiz | None:
    """Start the daily quiz scheduler thread of ``awssec serve`` (None when the quiz is not registered)."""
    deps: Deps | None = getattr(app, "awssec_deps", None)
    if deps is None:
        return None
    services = deps.services
    # generate the questions now rather than on the first /awssec quiz
    threading.Thread(target=services.practice.questions, name="awssec-quiz-bank", daemon=True).start()
    daily = services.daily
    kwargs = {"interval": interval} if interval is not None else {}
    daily.start(clock, **kwargs)
    settings: QuizSettings = daily.settings
    if settings.channel:
        logging.getLogger("awssec.daily").info(
            "daily quiz: %s at %s (%s) on %s",
            settings.channel,
            settings.post_time.strftime("%H:%M"),
            settings.timezone.key,
            ",".join(sorted(str(d) for d in settings.days)),
        )
    return daily
