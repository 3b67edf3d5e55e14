"""`@awssec <question>` in a channel (answered in a thread) and direct messages to the bot.

Slack may deliver one message several times: redeliveries of an event it thinks failed and, in a DM,
both an ``app_mention`` and a ``message`` copy of the same message. Every copy has the message's
channel and ts, so the message is claimed in the store under those before answering, and the claim is
completed once the reply is out: each message is answered once, across restarts and replicas. A claim
whose process died before answering is taken over by a redelivery after a short lease
(``bot.store.events.CLAIM_LEASE``). With the database down the message is answered anyway: answering twice
after a redelivery beats never answering.

A post to Slack that gets no reply may have arrived all the same: the bot looks for it in the
conversation before it says anything went wrong (``replies.has_landed``).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from ....store import ClaimOutcome
from ...markup import question_from_mention, unescape
from ..context import ListenerContext
from ..replies import busy_message, has_landed, outcome_unknown, post_message, report_failure_by_post

# Message subtypes that are still a person writing to us; every other subtype (edits, deletions,
# joins, bot_message, ...) is not a question.
PERSON_SUBTYPES = (None, "thread_broadcast", "file_share")


def register(app: App, listeners: ListenerContext) -> None:
    # (Bolt passes its own ``context`` to listeners by that name.)
    @app.event("app_mention")
    def handle_mention(
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        ack()  # at once: Slack redelivers events not acknowledged within 3 seconds
        queue_answer(listeners, body, event, client, context.bot_user_id, logger)

    @app.event("message")
    def handle_message(
        ack: Ack,
        body: dict[str, Any],
        event: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        ack()
        if is_direct_message(event):
            queue_answer(listeners, body, event, client, context.bot_user_id, logger)


def is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")


def is_from_a_person(event: dict[str, Any], bot_user_id: str | None) -> bool:
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") not in PERSON_SUBTYPES:
        return False
    user = event.get("user")
    return bool(user) and user != bot_user_id


def message_claim_key(channel: str, ts: str) -> str:
    """The store key under which a message is claimed (the same for every copy Slack delivers)."""
    return f"message:{channel}:{ts}"


def reply_thread(event: dict[str, Any]) -> str | None:
    """Where the reply goes: in a channel, the message's thread (started by it if need be); in a DM,
    the thread only when the message is in one."""
    if is_direct_message(event):
        return event.get("thread_ts")
    return event.get("thread_ts") or event.get("ts")


def queue_answer(
    context: ListenerContext,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
    bot_user_id: str | None,
    logger: logging.Logger,
) -> None:
    """Hand a person's question to a worker; when too many are waiting, tell them the bot is busy."""
    if not is_from_a_person(event, bot_user_id):
        return
    channel, ts = event.get("channel"), event.get("ts")
    if not channel or not ts:
        logger.warning("ignoring a %s event without channel or ts", event.get("type"))
        return
    context.workers.run_later(
        answer_event,
        context,
        body,
        event,
        client,
        bot_user_id,
        logger,
        busy=lambda: post_message(client, channel, busy_message(), thread_ts=reply_thread(event)),
    )


def answer_event(
    context: ListenerContext,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
    bot_user_id: str | None,
    logger: logging.Logger,
) -> None:
    channel, ts = event["channel"], event["ts"]
    key = message_claim_key(channel, ts)
    claims = context.claims
    # the database down: answer anyway (a redelivery may then be answered twice, but none is lost)
    claim = claims.attempt(
        "claiming a message", lambda: claims.claim_event(key, "message"), ClaimOutcome.CLAIMED
    )
    if not claim.granted:
        state = "answered" if claim == ClaimOutcome.COMPLETED else "being answered"
        logger.info("message %s in %s is already %s: not answering this copy", ts, channel, state)
        return
    if claim == ClaimOutcome.TAKEN_OVER:
        logger.info("message %s in %s: taking over a claim that was never completed", ts, channel)
    try:
        reply_to(context, body, event, client, bot_user_id, logger)
    finally:
        claims.attempt("completing a claim", lambda: claims.complete_event(key), None)


def reply_to(
    context: ListenerContext,
    body: dict[str, Any],
    event: dict[str, Any],
    client: WebClient,
    bot_user_id: str | None,
    logger: logging.Logger,
) -> None:
    """Answer the question in ``event``; say something went wrong only when it surely did."""
    channel, ts = event["channel"], event["ts"]
    thread_ts = reply_thread(event)
    what = f"answering {event.get('type')} {body.get('event_id')}"
    try:
        question = unescape(
            question_from_mention(
                event.get("text") or "",
                bot_user_id,
                leading_mention_is_bot=event.get("type") == "app_mention",
            )
        )
        reply = context.answer(question, user_id=event.get("user", ""), channel_id=channel, shareable=False)
    except Exception:  # reported to the user and logged, never fatal
        report_failure_by_post(client, channel, thread_ts, logger, what)
        return
    try:
        post_message(client, channel, reply, thread_ts=thread_ts, answers=ts)
    except Exception as err:  # reported to the user and logged, never fatal
        if not outcome_unknown(err):
            report_failure_by_post(client, channel, thread_ts, logger, what)
            return
        landed = has_landed(client, channel, thread_ts, ts)
        if landed is False:
            report_failure_by_post(client, channel, thread_ts, logger, f"{what} (the answer is not there)")
        elif landed:
            logger.info("no reply from Slack while %s (%s), but the answer is there", what, err)
        else:
            logger.warning(
                "no reply from Slack while %s (%s); it may have gone through: not saying more", what, err
            )
