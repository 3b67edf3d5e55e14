"""Block Kit rendering: pure functions from answers to Slack messages, testable without Slack.

Everything that comes from a person or from the notes goes through ``escape`` (``&``, ``<``, ``>``), so
``<!channel>``, ``<@U123>`` or ``<https://x|y>`` show as text and never as live mentions or links, and
mrkdwn objects carry ``verbatim: true`` so Slack does not auto-link names or URLs either.
Every message respects Block Kit's limits whatever the input: section text <= 3,000 characters,
<= 50 blocks, button values <= 2,000 characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from indexer.model import Answer, Hit

from .config.limits import MAX_QUESTION_CHARS
from .services.answering import AnswerResult, AnswerStatus

SECTION_TEXT_LIMIT = 3000
CONTEXT_TEXT_LIMIT = 3000
MAX_BLOCKS = 50
BUTTON_VALUE_LIMIT = 2000
FALLBACK_TEXT_LIMIT = 3000
SNIPPET_CHARS = 700
QUESTION_DISPLAY_CHARS = 1000

ACTION_SHARE = "awssec_share"
ACTION_VOTE_UP = "awssec_vote_up"
ACTION_VOTE_DOWN = "awssec_vote_down"
ACTION_MORE = "awssec_more"
ANSWER_ACTIONS_BLOCK = "awssec_answer_actions"

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


@dataclass(frozen=True)
class Message:
    """A Slack message: notification text plus blocks."""

    text: str
    blocks: tuple[dict, ...] = field(default=())

    def payload(self) -> dict:
        """Keyword arguments for chat.postMessage / respond()."""
        payload: dict = {"text": self.text}
        if self.blocks:
            payload["blocks"] = list(self.blocks)
        return payload


def escape(text: str) -> str:
    """Slack's control characters as entities: what is left can never be a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack sends typed &, <, > as entities; turn them back into the characters the person typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


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


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict:
    """A section whose (already escaped) text is cut to the section limit."""
    if len(text) > SECTION_TEXT_LIMIT:
        text = text[: SECTION_TEXT_LIMIT - 1]
        amp = text.rfind("&")
        if amp != -1 and ";" not in text[amp:]:
            text = text[:amp]
        text += "…"
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text[:CONTEXT_TEXT_LIMIT])]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict:
    if len(value) > BUTTON_VALUE_LIMIT:
        raise ValueError(f"button value longer than {BUTTON_VALUE_LIMIT} characters")
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def source_link(hit: Hit, source_url: str) -> str:
    """The citation ``file:lines``, a link into the notes' repository when a template is configured."""
    label = escape(hit.citation)
    if not source_url:
        return f"`{label}`"
    url = source_url.format(path=quote(hit.source, safe="/"), start=hit.line_start, end=hit.line_end)
    url = escape(url).replace("|", "%7C")
    return f"<{url}|{label}>"


def mention(user_id: str) -> str:
    """``<@U123>`` for a real user id (the asker, from Slack's payload); anything else as plain text."""
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape(user_id)


def question_line(question: str) -> str:
    return "*Q:* " + fit(question, QUESTION_DISPLAY_CHARS)


def answer_message(
    answer: Answer,
    *,
    answer_id: str,
    source_url: str = "",
    first_rank: int = 1,
    shareable: bool = False,
    next_offset: int | None = None,
    shared_by: str = "",
) -> Message:
    """The answer to a question: the question, each hit (heading, snippet, citation) and the buttons.

    ``shareable`` adds "Share in channel" (for ephemeral answers); ``next_offset`` adds "More results";
    ``shared_by`` attributes a shared answer to the person who asked. Without ``answer_id`` (the answer
    could not be stored) Share and 👍 / 👎 are left off, and More results carries the question itself.
    """
    if not answer.hits:
        return no_answer_message(answer.query, answer.note)
    blocks: list[dict] = []
    if shared_by:
        blocks.append(context(f"{mention(shared_by)} asked:"))
    blocks.append(section(question_line(answer.query)))
    for rank, hit in enumerate(answer.hits, start=first_rank):
        blocks.append({"type": "divider"})
        blocks.append(
            section(f"*{rank}. {fit(hit.heading or hit.source, 300)}*\n{fit(hit.text, SNIPPET_CHARS)}")
        )
        blocks.append(context(f":page_facing_up: {source_link(hit, source_url)}"))
    buttons: list[dict] = []
    if shareable and answer_id:
        buttons.append(button("Share in channel", ACTION_SHARE, answer_id, style="primary"))
    if answer_id:
        buttons.append(button("👍", ACTION_VOTE_UP, answer_id))
        buttons.append(button("👎", ACTION_VOTE_DOWN, answer_id))
    if next_offset is not None:
        buttons.append(
            button("More results", ACTION_MORE, more_results_value(answer_id, answer.query, next_offset))
        )
    blocks = blocks[: MAX_BLOCKS - 1]
    if buttons:
        blocks.append({"type": "actions", "block_id": ANSWER_ACTIONS_BLOCK, "elements": buttons})
    top = answer.hits[0]
    text = f"{fit(answer.query, 200)} — {escape(top.heading or top.source)} ({escape(top.citation)})"
    return Message(text=text[:FALLBACK_TEXT_LIMIT], blocks=tuple(blocks))


def answer_result_message(result: AnswerResult, *, source_url: str = "", shareable: bool = False) -> Message:
    """The message for what became of a question (see ``answer_message`` for an answer's)."""
    if result.status == AnswerStatus.ANSWERED and result.answer is not None:
        return answer_message(
            result.answer,
            answer_id=result.answer_id,
            source_url=source_url,
            first_rank=result.first_rank,
            shareable=shareable,
            next_offset=result.next_offset,
        )
    if result.status == AnswerStatus.EMPTY:
        return empty_question_message()
    if result.status == AnswerStatus.TOO_LONG:
        return too_long_message(len(result.question), MAX_QUESTION_CHARS)
    if result.status == AnswerStatus.INDEX_UNAVAILABLE:
        return index_unavailable_message(result.note)
    if result.status == AnswerStatus.NO_MORE:
        return notice_message(f"No more results for “{fit(result.question, 300)}”.")
    return no_answer_message(result.question, result.note)


def more_results_value(answer_id: str, question: str, offset: int) -> str:
    """More results' value: ``<answer id>:<offset>``, or ``q<offset>:<question>`` for an answer not stored."""
    return f"{answer_id}:{offset}" if answer_id else f"q{offset}:{question}"


def parse_more_results_value(value: str) -> tuple[str, str, int] | None:
    """(answer id, question, offset) from ``more_results_value`` (one of the first two is empty)."""
    if value.startswith("q"):
        offset, _, question = value[1:].partition(":")
        return ("", question, int(offset)) if offset.isdigit() and question.strip() else None
    answer_id, _, offset = value.rpartition(":")
    return (answer_id, "", int(offset)) if answer_id and offset.isdigit() else None


def no_answer_message(question: str, note: str = "") -> Message:
    """Said plainly when the notes hold no answer."""
    if question.strip():
        head = f"I couldn't find anything in the notes about “{fit(question, 300)}”."
    else:
        head = "I couldn't find anything in the notes for that."
    if note:
        head += f" ({fit(note, 300)})"
    body = (
        f"{head}\nTry other words — a service or feature name such as *KMS*, *S3 encryption* or *GuardDuty* "
        "works best — or see `/awssec help`."
    )
    return Message(text=head, blocks=(section(body),))


def notice_message(text: str) -> Message:
    """A short message of our own (already mrkdwn; escape anything from outside before passing it in)."""
    return Message(text=text[:FALLBACK_TEXT_LIMIT], blocks=(section(text),))


def help_message(entries: Sequence[tuple[str, str]]) -> Message:
    """``entries``: (usage, what it does) for each subcommand."""
    lines = [
        "*awssec answers questions from the study group's AWS security notes, with citations.*",
        "• `/awssec <question>` — e.g. `/awssec what is sse-c`",
        "• `@awssec <question>` in a channel (I answer in a thread), or a direct message to me",
    ]
    lines += [f"• `/awssec {escape(usage)}` — {escape(description)}" for usage, description in entries]
    return Message(text="How to use awssec", blocks=(section("\n".join(lines)),))


def sources_message(sources: Sequence[tuple[str, int]], built_at: str) -> Message:
    """The indexed notes with their chunk counts and the index date."""
    total = sum(count for _, count in sources)
    head = f"*{len(sources)} notes indexed* ({total} chunks), index built {escape(built_at)}"
    blocks = [section(head)]
    lines: list[str] = []
    shown = 0
    for source, count in sources:
        line = f"• `{fit(source, 500)}` — {count} chunk{'s' if count != 1 else ''}"
        if sum(len(x) + 1 for x in lines) + len(line) > SECTION_TEXT_LIMIT - 100:
            if len(blocks) >= MAX_BLOCKS - 2:
                break
            blocks.append(section("\n".join(lines)))
            lines = []
        lines.append(line)
        shown += 1
    if lines:
        blocks.append(section("\n".join(lines)))
    if shown < len(sources):
        blocks.append(context(f"…and {len(sources) - shown} more notes"))
    return Message(text=f"{len(sources)} notes indexed, built {escape(built_at)}", blocks=tuple(blocks))


def too_long_message(length: int, limit: int) -> Message:
    return notice_message(
        f"That question is {length:,} characters long; please keep it under {limit:,} characters "
        "— a few key words work best."
    )


def empty_question_message() -> Message:
    return notice_message(
        "Ask me a question about the notes, e.g. `/awssec what is sse-c`, or see `/awssec help`."
    )


def index_unavailable_message(reason: str) -> Message:
    text = f"The index is not available: {fit(reason, 1500)}"
    if "awssec index" not in reason:
        text += " — run `awssec index` to rebuild it."
    return notice_message(text)


SOMETHING_WENT_WRONG = "Sorry, something went wrong while answering. Please try again in a moment."


def error_message() -> Message:
    return notice_message(SOMETHING_WENT_WRONG)
