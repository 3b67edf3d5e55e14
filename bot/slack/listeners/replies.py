"""Replying, shared by the listeners: posting and responding, and reporting failures to the user.

A failure is told to the user only when it is known: Slack answered ``ok: false``, the request never
left (a refused connection), or something of ours failed before the reply was sent. When a request was
sent but no reply came (a timeout, a connection dropped while waiting), the message may well have
arrived, so nothing more is said (or, for answers in a conversation, the bot looks first: ``has_landed``).
"""

from __future__ import annotations

import http.client
import logging
import sys
from collections.abc import Callable
from urllib.error import HTTPError, URLError

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ...store import OutageLog, is_database_error
from ..blocks.common import NO_UNFURL, Message, error_message, notice_message
from ..work import Workers

ANSWER_METADATA_EVENT = "awssec_answer"
"""The event_type of the metadata on each answer posted, by which ``has_landed`` finds it."""
LOOK_BACK_LIMIT = 100
"""Messages read when looking for an answer whose post had no reply."""

BUSY = "I'm answering a lot of questions right now — please ask again in a moment."
STORE_UNAVAILABLE = "I can't reach my records right now, so I can't do that. Please try again shortly."


def busy_message() -> Message:
    return notice_message(BUSY)


def store_unavailable_message() -> Message:
    return notice_message(STORE_UNAVAILABLE)


def respond_message(
    respond: Respond,
    message: Message,
    *,
    response_type: str = "ephemeral",
    replace_original: bool | None = None,
) -> None:
    """POST ``message`` to the response_url; a refusal is raised so the caller's error path logs it."""
    response = respond(
        response_type=response_type, replace_original=replace_original, **message.payload(), **NO_UNFURL
    )
    if response.status_code != 200:
        raise RuntimeError(
            f"response_url refused the message: HTTP {response.status_code} {response.body[:200]!r}"
        )


def post_message(
    client: WebClient,
    channel: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    answers: str | None = None,
) -> None:
    """chat.postMessage (raises SlackApiError on ok:false, retried by the client on 429).

    ``answers``: the ts of the message this one answers, kept in the message's metadata for ``has_landed``.
    """
    metadata = (
        {"event_type": ANSWER_METADATA_EVENT, "event_payload": {"answers": answers}} if answers else None
    )
    client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, metadata=metadata, **message.payload(), **NO_UNFURL
    )


def outcome_unknown(error: BaseException) -> bool:
    """True when a Slack request may have been carried out although it failed: it was sent, and then
    the reply timed out or the connection dropped. (urllib raises errors from before the request was
    sent as URLError; Slack's own refusals are SlackApiError.)"""
    if isinstance(error, SlackApiError | URLError):
        return False
    return isinstance(error, TimeoutError | ConnectionError | http.client.HTTPException)


def slack_unreachable(error: BaseException) -> bool:
    """True when Slack could not be reached at all (a refused connection, an unknown host): nothing was
    sent, and the same will happen to every request until it is back, so one line says it."""
    return isinstance(error, URLError) and not isinstance(error, HTTPError)


def log_failure(
    logger: logging.Logger, what: str, error: BaseException | None, *, telling: bool = False
) -> None:
    """Log that ``what`` failed: one line when Slack could not be reached (its traceback at DEBUG),
    the traceback otherwise. ``telling``: the failure was in saying so to the user."""
    doing = f"could not tell the user that {what} failed" if telling else f"{what} failed"
    if error is not None and slack_unreachable(error):
        logger.warning("%s: Slack cannot be reached (%s)", doing, getattr(error, "reason", error))
        logger.debug("the failure's traceback", exc_info=error)
    else:
        logger.error("%s", doing, exc_info=error)


def has_landed(client: WebClient, channel: str, thread_ts: str | None, answers: str) -> bool | None:
    """Whether the bot's answer to the message ``answers`` is in the conversation (None: cannot tell).

    Reads the thread (conversations.replies) or, outside threads, the conversation's history from the
    question on (channels:history / im:history), looking for the answer's metadata.
    """
    try:
        if thread_ts:
            response = client.conversations_replies(
                channel=channel,
                ts=thread_ts,
                oldest=answers,
                include_all_metadata=True,
                limit=LOOK_BACK_LIMIT,
            )
        else:
            response = client.conversations_history(
                channel=channel, oldest=answers, include_all_metadata=True, limit=LOOK_BACK_LIMIT
            )
    except Exception as err:  # no history scope, or Slack still down: cannot tell
        logging.getLogger("awssec.bot").warning("cannot look for the answer in %s: %s", channel, err)
        return None
    for message in response.get("messages") or []:
        metadata = message.get("metadata") or {}
        if (
            metadata.get("event_type") == ANSWER_METADATA_EVENT
            and (metadata.get("event_payload") or {}).get("answers") == answers
        ):
            return True
    return False


def report_failure_by_respond(
    respond: Respond, logger: logging.Logger, what: str, outage: OutageLog | None = None
) -> None:
    """Tell the user, briefly, that what was being done failed, and log it (the exception being handled).

    A database error is logged by ``outage`` (one line per outage) and the user told to try again
    shortly; a Slack request of unknown outcome is only logged (its message may have arrived).
    """
    error = sys.exc_info()[1]
    if error is not None and outcome_unknown(error):
        logger.warning(
            "no reply from Slack while %s (%s); it may have gone through: not saying more", what, error
        )
        return
    if outage is not None and error is not None and is_database_error(error):
        outage.failed(what, error)
        message = store_unavailable_message()
    else:
        log_failure(logger, what, error)
        message = error_message()
    try:
        respond_message(respond, message, replace_original=False)
    except Exception as err:  # the original failure is already logged; never let this one escape
        log_failure(logger, what, err, telling=True)


def handle_click_later(
    workers: Workers,
    outage: OutageLog,
    work: Callable[[], None],
    what: str,
    respond: Respond,
    logger: logging.Logger,
) -> None:
    """For a button click: ``work()`` on a worker, a failure told to the user through ``respond`` (see
    ``report_failure_by_respond``); when the bot is busy, it says so instead."""

    def reporting_failures() -> None:
        try:
            work()
        except Exception:  # reported to the user and logged, never fatal
            report_failure_by_respond(respond, logger, what, outage)

    reporting_failures.__name__ = getattr(work, "__name__", what)
    workers.run_later(
        reporting_failures, busy=lambda: respond_message(respond, busy_message(), replace_original=False)
    )


def report_failure_by_post(
    client: WebClient, channel: str, thread_ts: str | None, logger: logging.Logger, what: str
) -> None:
    """Log the exception being handled and post a short "something went wrong" where the answer would go."""
    log_failure(logger, what, sys.exc_info()[1])
    try:
        post_message(client, channel, error_message(), thread_ts=thread_ts)
    except Exception as err:  # the original failure is already logged
        log_failure(logger, what, err, telling=True)
