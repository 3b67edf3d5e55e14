"""The daily quiz's :class:`~bot.services.daily.DailyPublisher` on Slack's Web API."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..services.daily import PublishRefused
from ..store import DailyPost
from .blocks.common import NO_UNFURL
from .blocks.quiz import daily_post_message, reveal_message

METADATA_EVENT = "awssec_daily_quiz"
"""The event_type of the metadata on each daily quiz posted, by which ``find_quiz`` finds it."""
HISTORY_LIMIT = 200


class SlackDailyPublisher:
    """Posts, updates and reveals daily quizzes with ``client``; citations link with ``source_url``."""

    def __init__(self, client: WebClient, source_url: str = "") -> None:
        self.client = client
        self.source_url = source_url

    def post_quiz(self, post: DailyPost, answered: int, reveal_at: datetime) -> str:
        message = daily_post_message(post.question, post.id, post.day, answered, reveal_at)
        try:
            response = self.client.chat_postMessage(
                channel=post.channel_id,
                **message.payload(),
                **NO_UNFURL,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"daily_id": post.id}},
            )
        except SlackApiError as err:
            raise PublishRefused(str(err.response.get("error") or err)) from err
        return str(response.get("ts") or "")

    def find_quiz(self, post: DailyPost, since: datetime | None) -> str | None:
        response = self.client.conversations_history(
            channel=post.channel_id,
            include_all_metadata=True,
            limit=HISTORY_LIMIT,
            oldest=f"{since.timestamp():.6f}" if since else None,
        )
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("daily_id") == post.id
            ):
                return str(message.get("ts") or "") or None
        return None

    def update_count(self, post: DailyPost, answered: int, reveal_at: datetime) -> None:
        if not post.message_ts:
            return
        message = daily_post_message(post.question, post.id, post.day, answered, reveal_at)
        self.client.chat_update(channel=post.channel_id, ts=post.message_ts, **message.payload())

    def post_reveal(self, post: DailyPost, answered: int, right: int, first_right: str | None) -> None:
        message = reveal_message(post.question, answered, right, first_right, self.source_url)
        self.client.chat_postMessage(
            channel=post.channel_id, thread_ts=post.message_ts, **message.payload(), **NO_UNFURL
        )
