"""Answering a question: the page of cited snippets from the index, stored for the answer's buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from indexer.model import Answer, Hit
from indexer.search.index import SearchIndex
from indexer.search.query import search

from ..config.limits import MAX_QUESTION_CHARS
from ..store import StoredAnswer
from ..store.answers import SavedAnswers
from .index import IndexUnavailable

RESULTS_PER_PAGE = 3
MAX_OFFSET = 50
"""More results go this deep at most."""


class AnswerStatus(StrEnum):
    """What became of a question."""

    ANSWERED = "answered"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    INDEX_UNAVAILABLE = "index_unavailable"
    NOT_FOUND = "not_found"
    """The notes hold nothing for it (``note`` may say why)."""
    NO_MORE = "no_more"
    """Asked for results past the last one."""


@dataclass(frozen=True)
class AnswerResult:
    """A question's answer, or why there is none."""

    status: AnswerStatus
    question: str
    """The question as asked, trimmed."""
    answer: Answer | None = None
    """ANSWERED: the page of hits."""
    answer_id: str = ""
    """The stored answer's id; empty when it could not be stored (the database is down)."""
    first_rank: int = 1
    next_offset: int | None = None
    """Where More results would start; None when this is the last page."""
    note: str = ""
    """NOT_FOUND: what search says about it; INDEX_UNAVAILABLE: why the index is."""
    missing_topics: tuple[str, ...] = ()
    """NOT_FOUND: AWS topics the question names that the notes never mention."""
    related: tuple[Hit, ...] = ()
    """NOT_FOUND with missing topics: notes related to the rest of the question, never the answer."""


class Answering:
    """Answers questions from the bot's index and keeps each answer shown for its buttons."""

    def __init__(self, index: Callable[[], SearchIndex | IndexUnavailable], store: SavedAnswers) -> None:
        """``index``: the index to answer from at the moment of asking (it may be reloaded)."""
        self.index = index
        self.store = store

    def answer(
        self, question: str, *, search_for: str | None = None, user_id: str, channel_id: str, offset: int = 0
    ) -> AnswerResult:
        """Answer ``question`` with results from ``offset`` on, searching for ``search_for`` (default: the
        question itself; the Slack side passes the question's visible words).

        The answer is stored for its buttons; with the database down it is answered all the same, without
        an ``answer_id``.
        """
        question = question.strip()
        if not question:
            return AnswerResult(AnswerStatus.EMPTY, question)
        if len(question) > MAX_QUESTION_CHARS:
            return AnswerResult(AnswerStatus.TOO_LONG, question)
        index = self.index()
        if isinstance(index, IndexUnavailable):
            return AnswerResult(AnswerStatus.INDEX_UNAVAILABLE, question, note=index.reason)
        offset = min(offset, MAX_OFFSET)
        words = question if search_for is None else search_for
        found = search(index, words, k=offset + RESULTS_PER_PAGE + 1)
        page = found.hits[offset : offset + RESULTS_PER_PAGE]
        if not page:
            if offset:
                return AnswerResult(AnswerStatus.NO_MORE, question)
            return AnswerResult(
                AnswerStatus.NOT_FOUND,
                question,
                note=found.note,
                missing_topics=found.missing_topics,
                related=found.related[:RESULTS_PER_PAGE],
            )
        answer = Answer(query=question, hits=page)
        answer_id = self.store.attempt(
            "saving an answer",
            lambda: self.store.save_answer(answer, user_id=user_id, channel_id=channel_id),
            "",
        )
        has_more = len(found.hits) > offset + RESULTS_PER_PAGE
        return AnswerResult(
            AnswerStatus.ANSWERED,
            question,
            answer,
            answer_id,
            first_rank=offset + 1,
            next_offset=offset + RESULTS_PER_PAGE if has_more else None,
        )

    def stored(self, answer_id: str) -> StoredAnswer | None:
        """The answer a button belongs to (None: no such answer, or none named)."""
        return self.store.load_answer(answer_id[:64]) if answer_id else None

    def record_vote(self, answer: StoredAnswer, *, user_id: str, vote: int) -> None:
        """👍 (+1) or 👎 (-1) on ``answer``; a second vote by the same person replaces the first."""
        self.store.record_feedback(answer, user_id=user_id, vote=vote)
