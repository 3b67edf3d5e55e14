"""The quiz's buttons: a practice question's choices and Next question, and the daily quiz's choices.

- A practice click shows right or wrong, the right answer, the cited snippet and a Next question button;
  only the first click of a question counts.
- The daily quiz post (see ``bot.services.daily``) has a button per choice too: each member answers once
  (a second click is told so), sees their result privately, and the post's count of answers is updated.

Handlers ack() at once, then, on a worker (the first question may wait for the question bank to be
generated), call the services and respond().
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond

from ....services.daily import DailyGrade
from ....services.practice import GradeStatus
from ...blocks.quiz import (
    ACTION_DAILY_CHOICE,
    ACTION_PRACTICE_CHOICE,
    ACTION_PRACTICE_NEXT,
    already_answered_message,
    daily_already_answered_message,
    daily_closed_message,
    daily_result_message,
    expired_question_message,
    practice_result_message,
)
from ..commands.quiz import send_practice_question
from ..context import ListenerContext
from ..payload import channel_id, choice_value, user_id
from ..replies import handle_click_later, respond_message

PRACTICE_CHOICE = re.compile(rf"^{ACTION_PRACTICE_CHOICE}_\d+$")
DAILY_CHOICE = re.compile(rf"^{ACTION_DAILY_CHOICE}_\d+$")


def register(app: App, context: ListenerContext) -> None:
    def later(what: str, respond: Respond, logger: logging.Logger, work: partial[None]) -> None:
        handle_click_later(context.workers, context.services.outage, work, what, respond, logger)

    @app.action(PRACTICE_CHOICE)
    def practice_choice(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        later(
            "grading a quiz answer", respond, logger, partial(answer_practice, context, body, action, respond)
        )

    @app.action(ACTION_PRACTICE_NEXT)
    def practice_next(ack: Ack, body: dict[str, Any], respond: Respond, logger: logging.Logger) -> None:
        ack()
        work = partial(send_practice_question, context, user_id(body), channel_id(body), respond)
        later("choosing the next quiz question", respond, logger, work)

    @app.action(DAILY_CHOICE)
    def daily_choice(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        work = partial(answer_daily, context, body, action, respond, logger)
        later("recording a daily quiz answer", respond, logger, work)


def answer_practice(
    context: ListenerContext, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    practice = context.services.practice
    ref, choice = choice_value(action) or ("", 0)
    graded = practice.answer(practice.shown(ref), user_id(body), choice)
    if graded.status == GradeStatus.EXPIRED:
        respond_message(respond, expired_question_message(), replace_original=False)
        return
    if graded.status == GradeStatus.ALREADY_ANSWERED or graded.practice is None or graded.result is None:
        respond_message(respond, already_answered_message(), replace_original=False)
        return
    message = practice_result_message(graded.practice.question, graded.result, context.source_url)
    respond_message(respond, message, replace_original=True)


def answer_daily(
    context: ListenerContext,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    logger: logging.Logger,
) -> None:
    daily = context.services.daily
    ref, choice = choice_value(action) or ("", 0)
    answered = daily.answer(ref, user_id(body), choice)
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
    except Exception:  # the count is cosmetic; the answer is recorded
        logger.warning("could not update the daily quiz post's answer count", exc_info=True)
