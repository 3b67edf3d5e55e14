"""`@awssec <question>` in a channel (answered in a thread) and direct messages to the bot.

Slack may deliver one message several times: redeliveries of an event it thinks failed (same
event_id) and, in a DM, both an ``app_mention`` and a ``message`` copy of the same message (same
channel and ts). Both are claimed in the store before answering, so each message is answered once,
across restarts and replicas.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from ...answering import answer_question, question_from_mention
from ...blocks import unescape
from ...deps import Deps
from .._slack import post_message, report_failure_by_post

# Message subtypes that are still a person writing to us; every other subtype (edits, deletions,
# joins, bot_message, ...) is not a question.
PERSON_SUBTYPES = (None, "thread_broadcast", "file_share")


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def handle_mention(
        ack: Ack, body: dict, event: dict, client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        ack()  # at once: Slack redelivers events not acknowledged within 3 seconds
        deps.run_later(answer_event, deps, body, event, client, context.bot_user_id, logger)

    @app.event("message")
    def handle_message(
        ack: Ack, body: dict, event: dict, client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        ack()
        if is_direct_message(event):
            deps.run_later(answer_event, deps, body, event, client, context.bot_user_id, logger)


def is_direct_message(event: dict) -> bool:
    return event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")


def is_from_a_person(event: dict, bot_user_id: str | None) -> bool:
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") not in PERSON_SUBTYPES:
        return False
    user = event.get("user")
    return bool(user) and user != bot_user_id


def answer_event(
    deps: Deps, body: dict, event: dict, client: WebClient, bot_user_id: str | None, logger: logging.Logger
) -> None:
    if not is_from_a_person(event, bot_user_id):
        return
    channel = event.get("channel")
    ts = event.get("ts")
    if not channel or not ts:
        logger.warning("ignoring a %s event without channel or ts", event.get("type"))
        return
    event_id = body.get("event_id")
    if event_id and not deps.store.claim_event(f"event:{event_id}", "event"):
        logger.info("event %s was already handled: not answering this redelivery", event_id)
        return
    if not deps.store.claim_event(f"message:{channel}:{ts}", "message"):
        logger.info("message %s in %s was already answered (another copy of it)", ts, channel)
        return
    if is_direct_message(event):
        thread_ts = event.get("thread_ts")
    else:
        thread_ts = event.get("thread_ts") or ts
    try:
        question = unescape(
            question_from_mention(
                event.get("text") or "",
                bot_user_id,
                leading_mention_is_bot=event.get("type") == "app_mention",
            )
        )
        reply = answer_question(
            deps, question, user_id=event.get("user", ""), channel_id=channel, shareable=False
        )
        post_message(client, channel, reply.message, thread_ts=thread_ts)
    except Exception:  # noqa: BLE001 - reported to the user and logged, never fatal
        report_failure_by_post(
            client, channel, thread_ts, logger, f"answering {event.get('type')} {event_id}"
        )
