"""Block Kit for answers: the answer to a question with its buttons, help, sources and notices (pure
functions; see ``common`` for the escaping and the limits every message keeps)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.model import Answer, Hit

from ...config.limits import MAX_QUESTION_CHARS
from ...services.answering import AnswerResult, AnswerStatus
from ..markup import escape, struck_through
from .common import (
    FALLBACK_TEXT_LIMIT,
    MAX_BLOCKS,
    SECTION_TEXT_LIMIT,
    Message,
    button,
    context,
    fit,
    mention,
    notice_message,
    section,
    source_link,
)

ACTION_SHARE = "awssec_share"
ACTION_VOTE_UP = "awssec_vote_up"
ACTION_VOTE_DOWN = "awssec_vote_down"
ACTION_MORE = "awssec_more"
ANSWER_ACTIONS_BLOCK = "awssec_answer_actions"
SNIPPET_CHARS = 700
QUESTION_DISPLAY_CHARS = 1000


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
        return no_answer_message(
            answer.query,
            answer.note,
            missing_topics=answer.missing_topics,
            related=answer.related,
            source_url=source_url,
        )
    blocks: list[dict[str, Any]] = []
    if shared_by:
        blocks.append(context(f"{mention(shared_by)} asked:"))
    blocks.append(section(question_line(answer.query)))
    for rank, hit in enumerate(answer.hits, start=first_rank):
        blocks.append({"type": "divider"})
        snippet = fit(struck_through(hit.text), SNIPPET_CHARS)
        blocks.append(section(f"*{rank}. {fit(hit.heading or hit.source, 300)}*\n{snippet}"))
        blocks.append(context(f":page_facing_up: {source_link(hit, source_url)}"))
    buttons: list[dict[str, Any]] = []
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
        return index_unavailable_message()
    if result.status == AnswerStatus.NO_MORE:
        return notice_message(f"No more results for “{fit(result.question, 300)}”.")
    return no_answer_message(
        result.question,
        result.note,
        missing_topics=result.missing_topics,
        related=result.related,
        source_url=source_url,
    )


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


def no_answer_message(
    question: str,
    note: str = "",
    *,
    missing_topics: Sequence[str] = (),
    related: Sequence[Hit] = (),
    source_url: str = "",
) -> Message:
    """Said plainly when the notes hold no answer: "Your notes don't cover Amazon Macie" when the question
    names AWS topics they never mention, with related notes labelled as related, never as the answer."""
    if missing_topics:
        return _not_covered_message(missing_topics, related, source_url)
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


def _not_covered_message(missing: Sequence[str], related: Sequence[Hit], source_url: str) -> Message:
    names = [f"*{escape(name)}*" for name in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    head = f"Your notes don't cover {listed}."
    blocks: list[dict[str, Any]] = [section(f"{head} Add notes on it, or ask about something they cover.")]
    if related:
        blocks.append(context("Related in your notes — not an answer to your question:"))
        for hit in related:
            title = fit(hit.heading or hit.source, 200)
            blocks.append(context(f"• {title} — {source_link(hit, source_url)}"))
    plain = "Your notes don't cover " + (missing[0] if len(missing) == 1 else ", ".join(missing)) + "."
    return Message(text=escape(plain)[:FALLBACK_TEXT_LIMIT], blocks=tuple(blocks))


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


def index_unavailable_message() -> Message:
    """Said in Slack, where a channel may read it: not the reason, which names files on the server (the
    bot logs it where the index failed to load)."""
    return notice_message(
        "The index is not available, so I can't search the notes right now. Whoever runs awssec can see "
        "why in its log and rebuild it with `awssec index`; I pick up the new index by myself."
    )
