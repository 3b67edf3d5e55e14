"""Block Kit's building blocks: pure functions from text to Slack messages, testable without Slack.

Everything that comes from a person or from the notes goes through ``escape`` (``&``, ``<``, ``>``), so
``<!channel>``, ``<@U123>`` or ``<https://x|y>`` show as text and never as live mentions or links, and
mrkdwn objects carry ``verbatim: true`` so Slack does not auto-link names or URLs either.
Every message respects Block Kit's limits whatever the input: section text <= 3,000 characters,
<= 50 blocks, button values <= 2,000 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict
from urllib.parse import quote

from ..markup import escape

SECTION_TEXT_LIMIT = 3000
CONTEXT_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
BUTTON_VALUE_LIMIT = 2000
FALLBACK_TEXT_LIMIT = 3000

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


class MessagePayload(TypedDict, total=False):
    """A message as keyword arguments of chat.postMessage, chat.update and respond()."""

    text: str
    blocks: list[dict[str, Any]]


class Unfurl(TypedDict):
    unfurl_links: bool
    unfurl_media: bool


NO_UNFURL: Unfurl = {"unfurl_links": False, "unfurl_media": False}
"""Never unfurl or auto-link anything the bot posts; mentions in our text are only the ones we build."""


@dataclass(frozen=True)
class Message:
    """A Slack message: notification text plus blocks."""

    text: str
    blocks: tuple[dict[str, Any], ...] = field(default=())

    def payload(self) -> MessagePayload:
        """Keyword arguments for chat.postMessage / respond()."""
        payload: MessagePayload = {"text": self.text}
        if self.blocks:
            payload["blocks"] = list(self.blocks)
        return payload


def fit(text: str, limit: int) -> str:
    """``escape(text)`` cut (at a character, never inside an entity) so that it is at most ``limit`` long."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    out: list[str] = []
    used = 0
    for char in text:
        piece = escape(char)
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict[str, Any]:
    """A section whose (already escaped) text is cut to the section limit."""
    if len(text) > SECTION_TEXT_LIMIT:
        text = text[: SECTION_TEXT_LIMIT - 1]
        amp = text.rfind("&")
        if amp != -1 and ";" not in text[amp:]:
            text = text[:amp]
        text += "…"
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text[:CONTEXT_TEXT_LIMIT])]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    if len(value) > BUTTON_VALUE_LIMIT:
        raise ValueError(f"button value longer than {BUTTON_VALUE_LIMIT} characters")
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


class Cited(Protocol):
    """What cites the notes: a search hit, a quiz question."""

    @property
    def source(self) -> str: ...
    @property
    def line_start(self) -> int: ...
    @property
    def line_end(self) -> int: ...
    @property
    def citation(self) -> str: ...


def source_link(cited: Cited, source_url: str) -> str:
    """The citation ``file:lines``, a link into the notes' repository when a template is configured."""
    label = escape(cited.citation)
    if not source_url:
        return f"`{label}`"
    url = source_url.format(path=quote(cited.source, safe="/"), start=cited.line_start, end=cited.line_end)
    url = escape(url).replace("|", "%7C")
    return f"<{url}|{label}>"


def mention(user_id: str) -> str:
    """``<@U123>`` for a real user id (the asker, from Slack's payload); anything else as plain text."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


def notice_message(text: str) -> Message:
    """A short message of our own (already mrkdwn; escape anything from outside before passing it in)."""
    return Message(text=text[:FALLBACK_TEXT_LIMIT], blocks=(section(text),))


SOMETHING_WENT_WRONG = "Sorry, something went wrong while answering. Please try again in a moment."


def error_message() -> Message:
    return notice_message(SOMETHING_WENT_WRONG)
