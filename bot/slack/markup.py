"""Slack's markup: its three escaped characters, mentions and links in what people type."""

from __future__ import annotations

import re

_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>]*)(?:\|([^>]*))?>")
_SLACK_MENTION = re.compile(r"<[@#!][^>]*>")
_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")


def escape(text: str) -> str:
    """Slack's control characters as entities: what is left can never be a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_STRUCK = re.compile(r"~~(?=\S)([^~\n]+?)(?<=\S)~~")


def struck_through(text: str) -> str:
    """Markdown's ``~~struck~~`` as Slack writes it (``~struck~``), so a claim the notes withdraw shows
    struck through in a snippet, as in the notes."""
    return _STRUCK.sub(r"~\1~", text)


def unescape(text: str) -> str:
    """Slack sends typed &, <, > as entities; turn them back into the characters the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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
