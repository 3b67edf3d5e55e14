"""The quiz's records: each learner's FSRS cards, the practice questions shown, every graded answer."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import AnswerRecord, CardState, GradeResult, as_utc

from .engine import StoreBase, aware
from .tables import quiz_answers, quiz_cards, quiz_practice


@dataclass(frozen=True)
class Practice:
    """A practice question as it was shown to someone (``id`` empty: shown without a store)."""

    id: str
    user_id: str
    channel_id: str
    question: QuizQuestion
    answered: bool


class QuizProgress(StoreBase):
    """The store's quiz cards, practice questions and answers."""

    def card_states(self, user_id: str) -> dict[str, CardState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(quiz_cards).where(quiz_cards.c.user_id == user_id)).all()
        return {
            r.question_id: CardState(
                r.question_id,
                aware(r.due),
                r.state,
                r.step,
                r.stability,
                r.difficulty,
                aware(r.last_review),
                r.reviews,
                r.lapses,
            )
            for r in rows
        }

    def save_card(self, user_id: str, state: CardState) -> None:
        with self.writing() as conn:
            save_card(conn, user_id, state)

    def start_practice(self, user_id: str, channel_id: str, question: QuizQuestion, now: datetime) -> str:
        practice_id = uuid.uuid4().hex
        with self.writing() as conn:
            conn.execute(
                insert(quiz_practice).values(
                    id=practice_id,
                    user_id=user_id,
                    channel_id=channel_id,
                    question_id=question.id,
                    question=question_to_json(question),
                    shown_at=as_utc(now),
                )
            )
        return practice_id

    def load_practice(self, practice_id: str) -> Practice | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(quiz_practice).where(quiz_practice.c.id == practice_id[:32])).first()
        if row is None:
            return None
        return Practice(
            row.id, row.user_id, row.channel_id, question_from_json(row.question), row.answered_at is not None
        )

    def answer_practice(
        self, practice: Practice, result: GradeResult, card: CardState, now: datetime
    ) -> bool:
        """Record the first answer to a practice question (answer, points, card) in one transaction.

        False, and nothing recorded, when it was already answered (a double click, a retry).
        """
        now = as_utc(now)
        with self.writing() as conn:
            first = conn.execute(
                update(quiz_practice)
                .where(quiz_practice.c.id == practice.id, quiz_practice.c.answered_at.is_(None))
                .values(answered_at=now, choice=result.chosen_index)
            ).rowcount
            if not first:
                return False
            insert_answer(conn, practice.user_id, practice.question, result, "practice", None, now)
            save_card(conn, practice.user_id, card)
        return True

    def answer_records(self, user_id: str | None = None) -> list[AnswerRecord]:
        query = select(quiz_answers).order_by(quiz_answers.c.id)
        if user_id is not None:
            query = query.where(quiz_answers.c.user_id == user_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            AnswerRecord(r.user_id, r.question_id, bool(r.correct), aware(r.answered_at), r.topic, r.points)
            for r in rows
        ]


def save_card(conn: Connection, user_id: str, state: CardState) -> None:
    """Insert or update ``user_id``'s card, in the caller's transaction."""
    values = dict(
        due=as_utc(state.due),
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        last_review=as_utc(state.last_review) if state.last_review else None,
        reviews=state.reviews,
        lapses=state.lapses,
    )
    changed = conn.execute(
        update(quiz_cards)
        .where(quiz_cards.c.user_id == user_id, quiz_cards.c.question_id == state.question_id)
        .values(**values)
    ).rowcount
    if not changed:
        conn.execute(insert(quiz_cards).values(user_id=user_id, question_id=state.question_id, **values))


def insert_answer(
    conn: Connection,
    user_id: str,
    question: QuizQuestion,
    result: GradeResult,
    kind: str,
    daily_id: str | None,
    now: datetime,
) -> None:
    """Record one graded answer, in the caller's transaction."""
    conn.execute(
        insert(quiz_answers).values(
            user_id=user_id,
            question_id=question.id,
            correct=result.correct,
            points=result.points,
            topic=question.topic[:500],
            kind=kind,
            daily_id=daily_id,
            answered_at=now,
        )
    )


def question_to_json(question: QuizQuestion) -> str:
    return json.dumps({**question.to_dict(with_snippet=True)}, ensure_ascii=False)


def question_from_json(text: str) -> QuizQuestion:
    """A stored question, as :func:`question_to_json` wrote it (records of older versions read too)."""
    return QuizQuestion.from_dict(json.loads(text))
