"""The quiz in Slack: `/awssec quiz`, `/awssec leaderboard`, `/awssec stats` and the quiz buttons.

- `/awssec quiz` gives the asker a personal, ephemeral question (chosen by spaced repetition from
  their own history) with a button per choice. A click shows right or wrong, the right answer, the cited
  snippet and a Next question button; only the first click of a question counts.
- The daily quiz post (see ``bot.daily``) has a button per choice too: each member answers once (a
  second click is told so), sees their result privately, and the post's count of answers is updated.

Handlers follow the starter-template pattern: ack(), call the core (``indexer.quiz.review``), respond().
"""

from __future__ import annotations

import logging
import os
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from indexer.build import quiz_bank_for
from indexer.quiz.bank import QuizBank
from indexer.quiz.review import choose_next, grade, leaderboard, month_start, review, user_stats

from ..blocks import index_unavailable_message
from ..daily import DailyQuiz, QuizSettings
from ..deps import Deps, IndexUnavailable, Subcommand, SubcommandCall
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
from ..quiz_store import DAILY_ALREADY, DAILY_CLOSED, QuizStore
from ._slack import handle_click_later, respond_message

_BANKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Question banks by index: generating one takes a few seconds, so apps sharing an index share it."""
_BANKS_LOCK = threading.Lock()
PRACTICE_CHOICE = re.compile(rf"^{ACTION_PRACTICE_CHOICE}_\d+$")
DAILY_CHOICE = re.compile(rf"^{ACTION_DAILY_CHOICE}_\d+$")


@dataclass
class QuizContext:
    """What the quiz handlers and the daily scheduler share."""

    deps: Deps
    store: QuizStore
    settings: QuizSettings
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def bank(self) -> QuizBank | None:
        """The questions of the bot's index, generated once per index (None if the index is missing)."""
        index = self.deps.index
        if isinstance(index, IndexUnavailable):
            return None
        with _BANKS_LOCK:
            bank = _BANKS.get(index)
            if bank is None:
                bank = _BANKS[index] = quiz_bank_for(index)
            return bank

    def daily(self, client: WebClient) -> DailyQuiz:
        return DailyQuiz(
            self.store, self.bank, client, self.settings, source_url=self.deps.settings.source_url
        )


def register(app: App, deps: Deps, settings: QuizSettings | None = None) -> QuizContext:
    """Add the quiz subcommands and buttons; the context is also kept on ``app.awssec_quiz``."""
    quiz = QuizContext(deps, QuizStore(deps.store), settings or QuizSettings.from_env(os.environ))
    app.awssec_quiz = quiz  # type: ignore[attr-defined]
    deps.add_subcommand(
        Subcommand(
            "quiz",
            "quiz",
            "a practice question from the notes, just for you",
            lambda call: start_practice(quiz, call),
        )
    )
    deps.add_subcommand(
        Subcommand(
            "leaderboard",
            "leaderboard",
            "quiz points: top 10 this month and all time",
            lambda call: show_leaderboard(quiz, call),
        )
    )
    deps.add_subcommand(
        Subcommand(
            "stats",
            "stats",
            "your quiz answers, accuracy, streak and weakest topics",
            lambda call: show_stats(quiz, call),
        )
    )

    # ack at once (the app answers Slack's request only after its listeners return), then work on a
    # worker thread: the first question may wait for the question bank to be generated
    @app.action(PRACTICE_CHOICE)
    def practice_choice(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps, answer_practice, "grading a quiz answer", respond, logger, quiz, body, action, respond
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
            quiz,
            _user_id(body),
            _channel_id(body),
            respond,
        )

    @app.action(DAILY_CHOICE)
    def daily_choice(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        handle_click_later(
            deps,
            answer_daily,
            "recording a daily quiz answer",
            respond,
            logger,
            quiz,
            body,
            action,
            respond,
            client,
            logger,
        )

    return quiz


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


def start_practice(quiz: QuizContext, call: SubcommandCall) -> None:
    send_practice_question(quiz, call.user_id, call.channel_id, call.respond)


def send_practice_question(
    quiz: QuizContext, user_id: str, channel_id: str, respond: Respond, exclude: tuple[str, ...] = ()
) -> None:
    if isinstance(quiz.deps.index, IndexUnavailable):
        respond_message(respond, index_unavailable_message(quiz.deps.index.reason), replace_original=False)
        return
    bank = quiz.bank()
    if bank is None or not len(bank):
        respond_message(respond, no_questions_message(), replace_original=False)
        return
    now = quiz.clock()
    question_id = choose_next(
        bank.ids, quiz.store.card_states(user_id), now, user_id=user_id, exclude=exclude
    )
    question = bank.get(question_id) if question_id else None
    if question is None:
        respond_message(respond, no_questions_message(), replace_original=False)
        return
    practice_id = quiz.store.start_practice(user_id, channel_id, question, now)
    respond_message(respond, practice_question_message(question, practice_id), replace_original=False)


def answer_practice(quiz: QuizContext, body: dict, action: dict, respond: Respond) -> None:
    parsed = _parse_value(action)
    practice = quiz.store.load_practice(parsed[0]) if parsed else None
    user_id = _user_id(body)
    if parsed is None or practice is None or practice.user_id != user_id:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    if practice.answered:
        respond_message(respond, already_answered_message(), replace_original=False)
        return
    question = practice.question
    try:
        result = grade(question, parsed[1])
    except ValueError:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    now = quiz.clock()
    card = review(quiz.store.card_states(user_id).get(question.id), question.id, result.correct, now)
    if not quiz.store.answer_practice(practice, result, card, now):
        respond_message(respond, already_answered_message(), replace_original=False)
        return
    respond_message(
        respond,
        practice_result_message(question, result, quiz.deps.settings.source_url),
        replace_original=True,
    )


# -- the daily quiz ---------------------------------------------------------------------------------------


def answer_daily(
    quiz: QuizContext, body: dict, action: dict, respond: Respond, client: WebClient, logger: logging.Logger
) -> None:
    parsed = _parse_value(action)
    post = quiz.store.load_daily(parsed[0]) if parsed else None
    user_id = _user_id(body)
    if parsed is None or post is None or not user_id:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    try:
        result = grade(post.question, parsed[1])
    except ValueError:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    now = quiz.clock()
    card = review(
        quiz.store.card_states(user_id).get(post.question.id), post.question.id, result.correct, now
    )
    outcome = quiz.store.answer_daily(post, user_id, result, card, now)
    if outcome == DAILY_ALREADY:
        respond_message(respond, daily_already_answered_message(), replace_original=False)
        return
    if outcome == DAILY_CLOSED:
        respond_message(respond, daily_closed_message(), replace_original=False)
        return
    daily = quiz.daily(client)
    reveal_at = (post.reveal_due_at or now).astimezone(quiz.settings.timezone)
    respond_message(respond, daily_result_message(result, reveal_at), replace_original=False)
    try:
        daily.refresh_count(post)
    except Exception:  # noqa: BLE001 - the count is cosmetic; the answer is recorded
        logger.warning("could not update the daily quiz post's answer count", exc_info=True)


# -- scores ------------------------------------------------------------------------------------------------


def show_leaderboard(quiz: QuizContext, call: SubcommandCall) -> None:
    now = quiz.clock()
    tz = quiz.settings.timezone
    records = quiz.store.answer_records()
    start = month_start(now, tz)
    month = leaderboard(records, now, tz, since=start)
    all_time = leaderboard(records, now, tz)
    respond_message(call.respond, leaderboard_message(month, all_time, f"{start:%B %Y}"))


def show_stats(quiz: QuizContext, call: SubcommandCall) -> None:
    stats = user_stats(quiz.store.answer_records(call.user_id), quiz.clock(), quiz.settings.timezone)
    respond_message(call.respond, stats_message(call.user_id, stats))


def start_daily_quiz(
    app: App, client: WebClient, clock: Callable[[], datetime] | None = None, interval: float | None = None
) -> DailyQuiz | None:
    """Start the daily quiz scheduler thread of ``awssec serve`` (None when the quiz is not registered)."""
    quiz: QuizContext | None = getattr(app, "awssec_quiz", None)
    if quiz is None:
        return None
    # generate the questions now rather than on the first /awssec quiz
    threading.Thread(target=quiz.bank, name="awssec-quiz-bank", daemon=True).start()
    daily = quiz.daily(client)
    kwargs = {"interval": interval} if interval is not None else {}
    daily.start(clock or quiz.clock, **kwargs)
    if quiz.settings.channel:
        logger = logging.getLogger("awssec.daily")
        logger.info(
            "daily quiz: %s at %s (%s) on %s",
            quiz.settings.channel,
            quiz.settings.post_time.strftime("%H:%M"),
            quiz.settings.timezone.key,
            ",".join(sorted(str(d) for d in quiz.settings.days)),
        )
    return daily
