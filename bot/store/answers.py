"""Answers as they were shown (for Share, 👍 / 👎 and More results) and the feedback on them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from indexer.model import Answer, Hit

from .engine import StoreBase, utc_now
from .tables import answers, feedback


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as it was shown, so buttons can share it or record feedback on it later."""

    id: str
    question: str
    hits: tuple[Hit, ...]
    user_id: str
    channel_id: str

    def to_answer(self) -> Answer:
        return Answer(query=self.question, hits=self.hits)


@dataclass(frozen=True)
class FeedbackRecord:
    """One person's 👍 (+1) or 👎 (-1) on one answer, with what they were shown."""

    answer_id: str
    user_id: str
    vote: int
    question: str
    hits: tuple[Hit, ...]


class SavedAnswers(StoreBase):
    """The store's answers and feedback."""

    def save_answer(self, answer: Answer, *, user_id: str, channel_id: str) -> str:
        """Keep what was shown; returns the id the buttons carry."""
        answer_id = uuid.uuid4().hex
        with self.writing() as conn:
            conn.execute(
                insert(answers).values(
                    id=answer_id,
                    question=answer.query,
                    hits=_hits_json(answer.hits),
                    user_id=user_id,
                    channel_id=channel_id,
                    created_at=utc_now(),
                )
            )
        return answer_id

    def load_answer(self, answer_id: str) -> StoredAnswer | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(answers).where(answers.c.id == answer_id)).first()
        if row is None:
            return None
        return StoredAnswer(
            id=row.id,
            question=row.question,
            hits=_hits_from_json(row.hits),
            user_id=row.user_id,
            channel_id=row.channel_id,
        )

    def record_feedback(self, answer: StoredAnswer, *, user_id: str, vote: int) -> None:
        """Store a vote (+1 or -1); a second vote by the same person on the same answer replaces the first."""
        if vote not in (1, -1):
            raise ValueError(f"vote must be +1 or -1, got {vote}")
        moment = utc_now()
        values = dict(vote=vote, question=answer.question, hits=_hits_json(answer.hits), updated_at=moment)
        try:
            self._upsert_feedback(answer, user_id, moment, values)
        except IntegrityError:  # the same person's other click won the insert race: update it instead
            self._upsert_feedback(answer, user_id, moment, values)

    def _upsert_feedback(
        self, answer: StoredAnswer, user_id: str, moment: datetime, values: dict[str, Any]
    ) -> None:
        with self.writing() as conn:
            changed = conn.execute(
                update(feedback)
                .where(feedback.c.answer_id == answer.id, feedback.c.user_id == user_id)
                .values(**values)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(feedback).values(answer_id=answer.id, user_id=user_id, created_at=moment, **values)
                )

    def feedback_records(self) -> list[FeedbackRecord]:
        """Every vote, oldest first (for analysis)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(feedback).order_by(feedback.c.id)).all()
        return [
            FeedbackRecord(
                answer_id=r.answer_id,
                user_id=r.user_id,
                vote=r.vote,
                question=r.question,
                hits=_hits_from_json(r.hits),
            )
            for r in rows
        ]


def _hits_json(hits: tuple[Hit, ...]) -> str:
    return json.dumps([h.to_dict() for h in hits], ensure_ascii=False)


def _hits_from_json(text: str) -> tuple[Hit, ...]:
    return tuple(Hit(**d) for d in json.loads(text))
