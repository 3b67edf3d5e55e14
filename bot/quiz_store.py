"""The quiz's tables, beside the bot's in the same database (SQLite or PostgreSQL).

- ``quiz_cards``: each learner's FSRS card per question.
- ``quiz_practice``: a practice question shown to someone; its first click is the answer (later clicks,
  double clicks and Slack retries are told it was already answered).
- ``quiz_answers``: every graded answer (practice and daily), for scores, streaks, the leaderboard and
  stats. A daily quiz's answers carry its id, and ``(daily_id, user_id)`` is unique: one answer each.
- ``daily_posts``: one row per channel and day, unique on ``(channel_id, day)``.

The daily post is "exactly once per channel per day" because the right to post is a row: whoever
commits the insert of ``(channel, day)`` first posts; every other replica, restart or cron run gets an
IntegrityError and does nothing. The row then records what happened:

- ``posted``: Slack accepted the message (its ts is kept for updates and the reveal thread).
- ``pending`` with no owner: the post failed with an error from Slack (nothing was posted); any replica
  may retry from ``next_try_at`` on.
- ``pending`` with an owner: the post is under way — or its process died, or timed out, before
  recording the outcome. After ``stale_after`` another replica may take it over; it first looks for
  the message in the channel (by the message's metadata) and only posts when it is not there.
- ``failed``: given up after ``MAX_ATTEMPTS``; logged, not retried that day.

Taking over is a compare-and-set UPDATE on the row's previous owner and claim time, so two replicas
never both take over the same claim.
"""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import AnswerRecord, CardState, GradeResult

from .store import Store, metadata, schema_version

QUIZ_SCHEMA_VERSION = 2
MAX_ATTEMPTS = 5
"""Posting a daily quiz is given up (status ``failed``) after this many attempts in one day."""
RETRY_BACKOFF = timedelta(minutes=1)
"""Wait after a failed post before the next attempt; doubles with each attempt."""

quiz_cards = Table(
    "quiz_cards",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("question_id", String(32), primary_key=True),
    Column("due", DateTime(timezone=True), nullable=False),
    Column("state", Integer, nullable=False),
    Column("step", Integer),
    Column("stability", Float),
    Column("difficulty", Float),
    Column("last_review", DateTime(timezone=True)),
    Column("reviews", Integer, nullable=False, default=0),
    Column("lapses", Integer, nullable=False, default=0),
)

quiz_practice = Table(
    "quiz_practice",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("shown_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("choice", Integer),
)

quiz_answers = Table(
    "quiz_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("points", Integer, nullable=False),
    Column("topic", String(500), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("daily_id", String(32)),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("daily_id", "user_id", name="uq_quiz_answers_daily_user"),
    Index("ix_quiz_answers_user", "user_id"),
    Index("ix_quiz_answers_answered_at", "answered_at"),
)

daily_posts = Table(
    "daily_posts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("channel_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", DateTime(timezone=True)),
    Column("last_error", String(500)),
    Column("message_ts", String(32)),
    Column("posted_at", DateTime(timezone=True)),
    Column("reveal_due_at", DateTime(timezone=True)),
    Column("reveal_claimed_by", String(64)),
    Column("reveal_claimed_at", DateTime(timezone=True)),
    Column("revealed_at", DateTime(timezone=True)),
    UniqueConstraint("channel_id", "day", name="uq_daily_posts_channel_day"),
)

QUIZ_TABLES = (quiz_cards, quiz_practice, quiz_answers, daily_posts)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; they were stored in UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def question_to_json(question: QuizQuestion) -> str:
    return json.dumps({**question.to_dict(with_snippet=True)}, ensure_ascii=False)


def question_from_json(text: str) -> QuizQuestion:
    d = json.loads(text)
    return QuizQuestion(
        d["id"],
        d["kind"],
        d["prompt"],
        tuple(d["choices"]),
        int(d["answer_index"]),
        d["source"],
        int(d["line_start"]),
        int(d["line_end"]),
        d["heading"],
        d["snippet"],
    )


@dataclass(frozen=True)
class Practice:
    """A practice question as it was shown to someone."""

    id: str
    user_id: str
    channel_id: str
    question: QuizQuestion
    answered: bool


@dataclass(frozen=True)
class DailyPost:
    """One channel's quiz of one day, and what has happened to it."""

    id: str
    channel_id: str
    day: date
    question: QuizQuestion
    status: str
    claimed_by: str | None
    claimed_at: datetime | None
    attempts: int
    next_try_at: datetime | None
    message_ts: str | None
    posted_at: datetime | None
    reveal_due_at: datetime | None
    revealed_at: datetime | None


@dataclass(frozen=True)
class Claim:
    """The right to post a day's quiz: ``uncertain`` when taken over from a claim whose outcome is unknown
    (the message may already be in the channel: look before posting)."""

    post: DailyPost
    owner: str
    uncertain: bool


DAILY_RECORDED = "recorded"
DAILY_ALREADY = "already"
DAILY_CLOSED = "closed"


class QuizStore:
    """The quiz's tables on the bot's :class:`~bot.store.Store` engine."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        self.outage = store.outage
        """The store's outage log: a database gone is logged once, not at every tick."""
        self._write_lock = threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
        self.create_schema()

    def create_schema(self) -> None:
        with self._write_lock, self.engine.begin() as conn:
            metadata.create_all(conn, tables=[schema_version, *QUIZ_TABLES])
            known = conn.execute(select(schema_version.c.version)).scalars().all()
            if QUIZ_SCHEMA_VERSION not in known:
                try:
                    with conn.begin_nested():
                        conn.execute(
                            insert(schema_version).values(
                                version=QUIZ_SCHEMA_VERSION, applied_at=datetime.now(UTC)
                            )
                        )
                except IntegrityError:
                    pass  # another process recorded it at the same moment

    # -- cards -----------------------------------------------------------------------------------------

    def card_states(self, user_id: str) -> dict[str, CardState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(quiz_cards).where(quiz_cards.c.user_id == user_id)).all()
        return {
            r.question_id: CardState(
                r.question_id,
                _aware(r.due),
                r.state,
                r.step,
                r.stability,
                r.difficulty,
                _aware(r.last_review),
                r.reviews,
                r.lapses,
            )
            for r in rows
        }

    def _save_card(self, conn, user_id: str, state: CardState) -> None:  # noqa: ANN001 - a Connection
        values = dict(
            due=_utc(state.due),
            state=state.state,
            step=state.step,
            stability=state.stability,
            difficulty=state.difficulty,
            last_review=_utc(state.last_review) if state.last_review else None,
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

    def save_card(self, user_id: str, state: CardState) -> None:
        with self._write_lock, self.engine.begin() as conn:
            self._save_card(conn, user_id, state)

    # -- practice --------------------------------------------------------------------------------------

    def start_practice(self, user_id: str, channel_id: str, question: QuizQuestion, now: datetime) -> str:
        practice_id = uuid.uuid4().hex
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                insert(quiz_practice).values(
                    id=practice_id,
                    user_id=user_id,
                    channel_id=channel_id,
                    question_id=question.id,
                    question=question_to_json(question),
                    shown_at=_utc(now),
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
        now = _utc(now)
        with self._write_lock, self.engine.begin() as conn:
            first = conn.execute(
                update(quiz_practice)
                .where(quiz_practice.c.id == practice.id, quiz_practice.c.answered_at.is_(None))
                .values(answered_at=now, choice=result.chosen_index)
            ).rowcount
            if not first:
                return False
            self._insert_answer(conn, practice.user_id, practice.question, result, "practice", None, now)
            self._save_card(conn, practice.user_id, card)
        return True

    @staticmethod
    def _insert_answer(
        conn,
        user_id: str,
        question: QuizQuestion,
        result: GradeResult,  # noqa: ANN001
        kind: str,
        daily_id: str | None,
        now: datetime,
    ) -> None:
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

    # -- answers ---------------------------------------------------------------------------------------

    def answer_records(self, user_id: str | None = None) -> list[AnswerRecord]:
        query = select(quiz_answers).order_by(quiz_answers.c.id)
        if user_id is not None:
            query = query.where(quiz_answers.c.user_id == user_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            AnswerRecord(r.user_id, r.question_id, bool(r.correct), _aware(r.answered_at), r.topic, r.points)
            for r in rows
        ]

    # -- daily posts -----------------------------------------------------------------------------------

    def _daily(self, row) -> DailyPost:  # noqa: ANN001 - a Row
        return DailyPost(
            row.id,
            row.channel_id,
            row.day,
            question_from_json(row.question),
            row.status,
            row.claimed_by,
            _aware(row.claimed_at),
            row.attempts,
            _aware(row.next_try_at),
            row.message_ts,
            _aware(row.posted_at),
            _aware(row.reveal_due_at),
            _aware(row.revealed_at),
        )

    def daily_post(self, channel_id: str, day: date) -> DailyPost | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(daily_posts).where(daily_posts.c.channel_id == channel_id, daily_posts.c.day == day)
            ).first()
        return self._daily(row) if row else None

    def load_daily(self, daily_id: str) -> DailyPost | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(daily_posts).where(daily_posts.c.id == daily_id[:32])).first()
        return self._daily(row) if row else None

    def daily_posts(self, channel_id: str | None = None) -> list[DailyPost]:
        query = select(daily_posts).order_by(daily_posts.c.day)
        if channel_id is not None:
            query = query.where(daily_posts.c.channel_id == channel_id)
        with self.engine.connect() as conn:
            return [self._daily(r) for r in conn.execute(query).all()]

    def posted_question_ids(self, channel_id: str) -> list[str]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(daily_posts.c.question_id).where(daily_posts.c.channel_id == channel_id)
                ).scalars()
            )

    def claim_daily(
        self,
        channel_id: str,
        day: date,
        question: QuizQuestion,
        now: datetime,
        owner: str,
        stale_after: timedelta,
    ) -> Claim | None:
        """The right to post ``channel_id``'s quiz of ``day``, or None when someone else has (or had) it.

        The first caller inserts the row (committed before anything is posted). Later callers get the
        right only to a claim left ``pending``: after a failed post once ``next_try_at`` has come, or
        after a post of unknown outcome once ``stale_after`` has passed.
        """
        now = _utc(now)
        post_id = uuid.uuid4().hex
        try:
            with self._write_lock, self.engine.begin() as conn:
                conn.execute(
                    insert(daily_posts).values(
                        id=post_id,
                        channel_id=channel_id,
                        day=day,
                        question_id=question.id,
                        question=question_to_json(question),
                        status="pending",
                        claimed_by=owner,
                        claimed_at=now,
                        attempts=1,
                    )
                )
        except IntegrityError:
            return self._take_over(channel_id, day, now, owner, stale_after)
        post = self.daily_post(channel_id, day)
        assert post is not None and post.id == post_id
        return Claim(post, owner, uncertain=False)

    def _take_over(
        self, channel_id: str, day: date, now: datetime, owner: str, stale_after: timedelta
    ) -> Claim | None:
        post = self.daily_post(channel_id, day)
        if post is None or post.status != "pending":
            return None
        if post.claimed_by is None:
            if post.next_try_at and post.next_try_at > now:
                return None
            same_claim = daily_posts.c.claimed_by.is_(None)
            uncertain = False
        else:
            if post.claimed_at and post.claimed_at > now - stale_after:
                return None
            same_claim = and_(
                daily_posts.c.claimed_by == post.claimed_by, daily_posts.c.claimed_at == _utc(post.claimed_at)
            )
            uncertain = True
        with self._write_lock, self.engine.begin() as conn:
            won = conn.execute(
                update(daily_posts)
                .where(
                    daily_posts.c.id == post.id,
                    daily_posts.c.status == "pending",
                    daily_posts.c.attempts == post.attempts,
                    same_claim,
                )
                .values(claimed_by=owner, claimed_at=now, attempts=post.attempts + 1)
            ).rowcount
        if not won:
            return None
        taken = self.load_daily(post.id)
        assert taken is not None
        return Claim(taken, owner, uncertain)

    def mark_posted(self, claim: Claim, message_ts: str, now: datetime, reveal_after: timedelta) -> bool:
        now = _utc(now)
        with self._write_lock, self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(daily_posts)
                    .where(
                        daily_posts.c.id == claim.post.id,
                        daily_posts.c.claimed_by == claim.owner,
                        daily_posts.c.status == "pending",
                    )
                    .values(
                        status="posted",
                        message_ts=message_ts,
                        posted_at=now,
                        reveal_due_at=now + reveal_after,
                        last_error=None,
                    )
                ).rowcount
            )

    def mark_post_failed(self, claim: Claim, error: str, now: datetime) -> str:
        """Record a post Slack refused: retried later by anyone, or given up after MAX_ATTEMPTS.

        Returns the new status (``pending`` or ``failed``).
        """
        now = _utc(now)
        attempts = claim.post.attempts
        status = "failed" if attempts >= MAX_ATTEMPTS else "pending"
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                update(daily_posts)
                .where(
                    daily_posts.c.id == claim.post.id,
                    daily_posts.c.claimed_by == claim.owner,
                    daily_posts.c.status == "pending",
                )
                .values(
                    status=status,
                    claimed_by=None,
                    last_error=error[:500],
                    next_try_at=now + RETRY_BACKOFF * 2 ** (attempts - 1),
                )
            )
        return status

    def answer_daily(
        self, post: DailyPost, user_id: str, result: GradeResult, card: CardState, now: datetime
    ) -> str:
        """One answer per member: ``recorded``, ``already`` (answered before) or ``closed`` (revealed)."""
        now = _utc(now)
        if post.revealed_at is not None:
            return DAILY_CLOSED
        try:
            with self._write_lock, self.engine.begin() as conn:
                self._insert_answer(conn, user_id, post.question, result, "daily", post.id, now)
                self._save_card(conn, user_id, card)
        except IntegrityError:
            return DAILY_ALREADY
        return DAILY_RECORDED

    def daily_answer_counts(self, daily_id: str) -> tuple[int, int]:
        """(answered, right) so far."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(func.count(), func.coalesce(func.sum(quiz_answers.c.points), 0)).where(
                    quiz_answers.c.daily_id == daily_id
                )
            ).one()
            right = conn.execute(
                select(func.count()).where(
                    quiz_answers.c.daily_id == daily_id, quiz_answers.c.correct.is_(True)
                )
            ).scalar_one()
        return int(row[0]), int(right)

    def first_right(self, daily_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(quiz_answers.c.user_id)
                .where(quiz_answers.c.daily_id == daily_id, quiz_answers.c.correct.is_(True))
                .order_by(quiz_answers.c.answered_at, quiz_answers.c.id)
                .limit(1)
            ).scalar()

    def reveals_due(self, now: datetime) -> list[DailyPost]:
        """Posted, unrevealed quizzes whose reveal time has come or that a newer quiz has followed."""
        now = _utc(now)
        newer = daily_posts.alias("newer")
        followed = (
            select(newer.c.id)
            .where(
                newer.c.channel_id == daily_posts.c.channel_id,
                newer.c.day > daily_posts.c.day,
                newer.c.status == "posted",
            )
            .exists()
        )
        query = (
            select(daily_posts)
            .where(
                daily_posts.c.status == "posted",
                daily_posts.c.revealed_at.is_(None),
                or_(daily_posts.c.reveal_due_at <= now, followed),
            )
            .order_by(daily_posts.c.day)
        )
        with self.engine.connect() as conn:
            return [self._daily(r) for r in conn.execute(query).all()]

    def unrevealed(self, channel_id: str) -> list[DailyPost]:
        query = (
            select(daily_posts)
            .where(
                daily_posts.c.channel_id == channel_id,
                daily_posts.c.status == "posted",
                daily_posts.c.revealed_at.is_(None),
            )
            .order_by(daily_posts.c.day)
        )
        with self.engine.connect() as conn:
            return [self._daily(r) for r in conn.execute(query).all()]

    def claim_reveal(self, post: DailyPost, owner: str, now: datetime, stale_after: timedelta) -> bool:
        """The right to post ``post``'s reveal (compare-and-set; a stale claim may be taken over)."""
        now = _utc(now)
        with self._write_lock, self.engine.begin() as conn:
            return bool(
                conn.execute(
                    update(daily_posts)
                    .where(
                        daily_posts.c.id == post.id,
                        daily_posts.c.revealed_at.is_(None),
                        or_(
                            daily_posts.c.reveal_claimed_by.is_(None),
                            daily_posts.c.reveal_claimed_at < now - stale_after,
                        ),
                    )
                    .values(reveal_claimed_by=owner, reveal_claimed_at=now)
                ).rowcount
            )

    def mark_revealed(self, post: DailyPost, owner: str, now: datetime) -> None:
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                update(daily_posts)
                .where(daily_posts.c.id == post.id, daily_posts.c.reveal_claimed_by == owner)
                .values(revealed_at=_utc(now))
            )

    def release_reveal(self, post: DailyPost, owner: str) -> None:
        """The reveal failed: let the next tick (any replica) try again."""
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                update(daily_posts)
                .where(
                    daily_posts.c.id == post.id,
                    daily_posts.c.reveal_claimed_by == owner,
                    daily_posts.c.revealed_at.is_(None),
                )
                .values(reveal_claimed_by=None, reveal_claimed_at=None)
            )
