"""From a question as Slack delivers it to the message the bot sends back (no Slack calls here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Message, answer_result_message
from .deps import Deps

_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")
_SLACK_MENTION = re.compile(r"<[@#!][^>]*>")
_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")


@dataclass(frozen=True)
class Reply:
    """What to send, and the id of the stored answer it shows (empty when it shows none, or when it could
    not be stored)."""

    message: Message
    answer_id: str = ""


def question_from_mention(text: str, bot_user_id: str | None, *, leading_mention_is_bot: bool = False) -> str:
    """The question in ``@awssec what is kms``: the bot's own mentions removed, the rest kept raw.

    ``leading_mention_is_bot``: in an app_mention event the first mention is the bot, even when its
    user id is not known (auth.test failed), so it is removed too.
    """
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s:,]*", "", text)
    if leading_mention_is_bot or not bot_user_id:
        text = _LEADING_MENTION.sub("", text, count=1)
    return text.strip()


def search_text(question: str) -> str:
    """The words to search for: Slack markup (mentions, links) reduced to its visible words."""
    text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), question)
    return _SLACK_MENTION.sub(" ", text)


def answer_question(
    deps: Deps,
    question: str,
    *,
    user_id: str,
    channel_id: str,
    shareable: bool,
    offset: int = 0,
) -> Reply:
    """Answer ``question`` (as typed, Slack's entities already unescaped) with results from ``offset`` on.

    The answer is stored for its buttons; with the database down it is sent all the same, with only the
    buttons that work without the stored copy (see ``blocks.answer_message``).
    """
    result = deps.services.answering.answer(
        question, search_for=search_text(question), user_id=user_id, channel_id=channel_id, offset=offset
    )
    message = answer_result_message(result, source_url=deps.settings.source_url, shareable=shareable)
    return Reply(message, result.answer_id)
