"""The buttons under an answer: Share in channel, 👍 / 👎, More results."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ...blocks.answer import (
    ACTION_MORE,
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    answer_message,
    parse_more_results_value,
)
from ...blocks.common import notice_message
from ..context import ListenerContext
from ..payload import button_value, channel_id, user_id
from ..replies import handle_click_later, post_message, respond_message

EXPIRED = notice_message("That answer is no longer available; please ask again with `/awssec <question>`.")
# chat.postMessage errors after which the share goes through the response_url instead
# (DMs, private channels the bot is not in).
POST_FALLBACK_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}


def register(app: App, context: ListenerContext) -> None:
    def later(what: str, respond: Respond, logger: logging.Logger, work: partial[None]) -> None:
        handle_click_later(context.workers, context.services.outage, work, what, respond, logger)

    @app.action(ACTION_SHARE)
    def share(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        ack()
        work = partial(share_answer, context, body, action, respond, client, logger)
        later("sharing an answer", respond, logger, work)

    @app.action(ACTION_VOTE_UP)
    def vote_up(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        later("recording feedback", respond, logger, partial(record_vote, context, body, action, respond, +1))

    @app.action(ACTION_VOTE_DOWN)
    def vote_down(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        later("recording feedback", respond, logger, partial(record_vote, context, body, action, respond, -1))

    @app.action(ACTION_MORE)
    def more(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, logger: logging.Logger
    ) -> None:
        ack()
        later("showing more results", respond, logger, partial(more_results, context, body, action, respond))


def share_answer(
    context: ListenerContext,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    logger: logging.Logger,
) -> None:
    """Post the answer visibly, attributed to the asker; then remove the private copy."""
    stored = context.services.answering.stored(button_value(action))
    if stored is None:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    message = answer_message(
        stored.to_answer(),
        answer_id=stored.id,
        source_url=context.source_url,
        shared_by=user_id(body) or stored.user_id,
    )
    channel = channel_id(body) or stored.channel_id
    try:
        post_message(client, channel, message)
    except SlackApiError as err:
        if err.response.get("error") not in POST_FALLBACK_ERRORS:
            raise
        logger.info(
            "chat.postMessage to %s: %s; sharing through the response_url", channel, err.response.get("error")
        )
        respond_message(respond, message, response_type="in_channel", replace_original=False)
    respond(delete_original=True)


def record_vote(
    context: ListenerContext, body: dict[str, Any], action: dict[str, Any], respond: Respond, vote: int
) -> None:
    stored = context.services.answering.stored(button_value(action))
    if stored is None:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    context.services.answering.record_vote(stored, user_id=user_id(body), vote=vote)
    thumb = "👍" if vote > 0 else "👎"
    respond_message(
        respond, notice_message(f"Thanks — your {thumb} on this answer is recorded."), replace_original=False
    )


def more_results(
    context: ListenerContext, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> None:
    parsed = parse_more_results_value(button_value(action))
    answer_id, question, offset = parsed or ("", "", 0)
    if answer_id:
        stored = context.services.answering.stored(answer_id)
        question = stored.question if stored else ""
    if not question:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    message = context.answer(
        question, user_id=user_id(body), channel_id=channel_id(body), shareable=True, offset=offset
    )
    respond_message(respond, message, replace_original=False)
