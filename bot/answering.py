"""From a question as Slack delivers it to the message the bot sends back (no Slack calls here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.model import Answer
from indexer.search.query import search

from .blocks import (
    RESULTS_PER_PAGE,
    Message,
    answer_message,
    empty_question_message,
    fit,
    index_unavailable_message,
    no_answer_message,
    notice_message,
    too_long_message,
)
from .deps import Deps, IndexUnavailable
from .limits import MAX_QUESTION_CHARS

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
    question = question.strip()
    if not question:
        return Reply(empty_question_message())
    if len(question) > MAX_QUESTION_CHARS:
        return Reply(too_long_message(len(question), MAX_QUESTION_CHARS))
    if isinstance(deps.index, IndexUnavailable):
        return Reply(index_unavailable_message(deps.index.reason))
    found = search(deps.index, search_text(question), k=offset + RESULTS_PER_PAGE + 1)
    page = found.hits[offset : offset + RESULTS_PER_PAGE]
    if not page:
        if offset:
            return Reply(notice_message(f"No more results for “{fit(question, 300)}”."))
        return Reply(no_answer_message(question, found.note))
    answer = Answer(query=question, hits=page)
    answer_id = deps.store.attempt(
        "saving an answer",
        lambda: deps.store.save_answer(answer, user_id=user_id, channel_id=channel_id),
        "",
    )
    has_more = len(found.hits) > offset + RESULTS_PER_PAGE
    message = answer_message(
        answer,
        answer_id=answer_id,
        source_url=deps.settings.source_url,
        first_rank=offset + 1,
        shareable=shareable,
        next_offset=offset + RESULTS_PER_PAGE if has_more else None,
    )
    return Reply(message, answer_id)
