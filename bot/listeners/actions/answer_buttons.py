"""The buttons under an answer: Share in channel, 👍 / 👎, More results."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ...answering import answer_question
from ...blocks import (
    ACTION_MORE,
    ACTION_SHARE,
    ACTION_VOTE_DOWN,
    ACTION_VOTE_UP,
    answer_message,
    notice_message,
    parse_more_results_value,
)
from ...deps import Deps
from .._slack import NO_UNFURL, handle_click_later, respond_message

EXPIRED = notice_message("That answer is no longer available; please ask again with `/awssec <question>`.")
# chat.postMessage errors after which the share goes through the response_url instead
# (DMs, private channels the bot is not in).
POST_FALLBACK_ERRORS = {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}


def register(app: App, deps: Deps) -> None:
    @app.action(ACTION_SHARE)
    def share(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        handle_click_later(
            deps,
            share_answer,
            "sharing an answer",
            respond,
            logger,
            deps,
            body,
            action,
            respond,
            client,
            logger,
        )

    @app.action(ACTION_VOTE_UP)
    def vote_up(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps, record_vote, "recording feedback", respond, logger, deps, body, action, respond, +1
        )

    @app.action(ACTION_VOTE_DOWN)
    def vote_down(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps, record_vote, "recording feedback", respond, logger, deps, body, action, respond, -1
        )

    @app.action(ACTION_MORE)
    def more(ack: Ack, body: dict, action: dict, respond: Respond, logger: logging.Logger) -> None:
        ack()
        handle_click_later(
            deps, more_results, "showing more results", respond, logger, deps, body, action, respond
        )


def _user_id(body: dict) -> str:
    return (body.get("user") or {}).get("id", "")


def _channel_id(body: dict) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")


def _value(action: dict) -> str:
    """The button's value: the answer it belongs to (a missing or non-string value belongs to none)."""
    value = action.get("value")
    return value if isinstance(value, str) else ""


def share_answer(
    deps: Deps, body: dict, action: dict, respond: Respond, client: WebClient, logger: logging.Logger
) -> None:
    """Post the answer visibly, attributed to the asker; then remove the private copy."""
    stored = deps.services.answering.stored(_value(action))
    if stored is None:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    message = answer_message(
        stored.to_answer(),
        answer_id=stored.id,
        source_url=deps.settings.source_url,
        shared_by=_user_id(body) or stored.user_id,
    )
    channel = _channel_id(body) or stored.channel_id
    try:
        client.chat_postMessage(channel=channel, **message.payload(), **NO_UNFURL)
    except SlackApiError as err:
        if err.response.get("error") not in POST_FALLBACK_ERRORS:
            raise
        logger.info(
            "chat.postMessage to %s: %s; sharing through the response_url", channel, err.response.get("error")
        )
        respond_message(respond, message, response_type="in_channel", replace_original=False)
    respond(delete_original=True)


def record_vote(deps: Deps, body: dict, action: dict, respond: Respond, vote: int) -> None:
    stored = deps.services.answering.stored(_value(action))
    if stored is None:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    deps.services.answering.record_vote(stored, user_id=_user_id(body), vote=vote)
    thumb = "👍" if vote > 0 else "👎"
    respond_message(
        respond, notice_message(f"Thanks — your {thumb} on this answer is recorded."), replace_original=False
    )


def more_results(deps: Deps, body: dict, action: dict, respond: Respond) -> None:
    parsed = parse_more_results_value(_value(action))
    answer_id, question, offset = parsed or ("", "", 0)
    if answer_id:
        stored = deps.services.answering.stored(answer_id)
        question = stored.question if stored else ""
    if not question:
        respond_message(respond, EXPIRED, replace_original=False)
        return
    reply = answer_question(
        deps,
        question,
        user_id=_user_id(body),
        channel_id=_channel_id(body),
        shareable=True,
        offset=min(offset, 50),
    )
    respond_message(respond, reply.message, replace_original=False)
