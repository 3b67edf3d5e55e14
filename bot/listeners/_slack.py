"""Small helpers shared by the listeners: replying safely and reporting failures to the user."""

from __future__ import annotations

import logging

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from ..blocks import Message, error_message

# Never unfurl or auto-link anything the bot posts; mentions in our text are only the ones we build.
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}


def respond_message(respond: Respond, message: Message, *, response_type: str = "ephemeral", **extra) -> None:
    """POST ``message`` to the response_url; a refusal is raised so the caller's error path logs it."""
    response = respond(response_type=response_type, **message.payload(), **NO_UNFURL, **extra)
    if response.status_code != 200:
        raise RuntimeError(
            f"response_url refused the message: HTTP {response.status_code} {response.body[:200]!r}"
        )


def post_message(client: WebClient, channel: str, message: Message, *, thread_ts: str | None = None) -> None:
    """chat.postMessage (raises SlackApiError on ok:false, retried by the client on 429)."""
    kwargs = {"thread_ts": thread_ts} if thread_ts else {}
    client.chat_postMessage(channel=channel, **message.payload(), **NO_UNFURL, **kwargs)


def report_failure_by_respond(respond: Respond, logger: logging.Logger, what: str) -> None:
    """Log the exception being handled and tell the user, briefly, that something went wrong."""
    logger.exception("%s failed", what)
    try:
        respond_message(respond, error_message(), replace_original=False)
    except Exception:  # noqa: BLE001 - the original failure is already logged; never let this one escape
        logger.exception("could not tell the user that %s failed", what)


def report_failure_by_post(
    client: WebClient, channel: str, thread_ts: str | None, logger: logging.Logger, what: str
) -> None:
    logger.exception("%s failed", what)
    try:
        post_message(client, channel, error_message(), thread_ts=thread_ts)
    except Exception:  # noqa: BLE001
        logger.exception("could not tell the user that %s failed", what)
