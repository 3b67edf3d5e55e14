"""The daily quiz's posts: one row per channel and day, whose insert is the right to post.

The daily post is "exactly once per channel per day" because the right to post is a row: whoever
commits the insert of ``(channel, day)`` first posts; every other replica, restart or cron run gets an
IntegrityError and does nothing. The row then records what happened (its ``PostStatus``):

- ``posted``: Slack accepted the message (its ts is kept for updates and the reveal thread).
- ``pending`` with no owner: the post failed with an error from Slack (nothing was posted); any replica
  may retry from ``next_try_at`` on.
- ``pending`` with an owner: the post is under way — or its process died, or timed out, before
  recording the outcome. After ``stale_after`` another replica may take it over; it first looks for
  the message in the channel (by the message's metadata) and only posts when it is not there.
- ``failed``: given up after ``MAX_ATTEMPTS``; logged, not retried that day.

Taking over is a compare-and-set UPDATE on the row's previous owner and claim time, so two replicas
never both take over the same claim. Reveals are claimed the same way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from indexer.quiz.question import QuizQuestion
from indexer.quiz.review import CardState, GradeResult, as_utc

from .engine import StoreBase, aware
from .quiz import insert_answer, question_from_json, question_to_json, save_card
from .tables import daily_posts, quiz_answers

MAX_ATTEMPTS = 5
"""Posting a daily quiz is given up (status ``failed``) after this many attempts in one day."""
RETRY_BACKOFF = timedelta(minutes=1)
"""Wait after a failed post before the next attempt; doubles with each attempt."""


class PostStatus(StrEnum):
    """Where a day's quiz post is (see the module's docstring)."""

    PENDING = "pending"
    POSTED = "posted"
    FAILED = "failed"


class DailyAnswerOutcome(StrEnum):
    """What recording a member's answer to a daily quiz did."""

    RECORDED = "recorded"
    ALREADY = "already"
    """They answered it before: one answer each."""
    CLOSED = "closed"
    """Its answer is revealed already."""


@dataclass(frozen=True)
class DailyPost:
    """One channel's quiz of one day, and what has happened to it."""

    id: str
    channel_id: str
    day: date
    question: QuizQuestion
    status: PostStatus
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


class DailyPosts(StoreBase):
    """The store's daily quiz posts and the answers to them."""

    def daily_post(self, channel_id: str, day: date) -> DailyPost | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(daily_posts).where(daily_posts.c.channel_id == channel_id, daily_posts.c.day == day)
            ).first()
        return _daily(row) if row else None

    def load_daily(self, daily_id: str) -> DailyPost | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(daily_posts).where(daily_posts.c.id == daily_id[:32])).first()
        return _daily(row) if row else None

    def daily_posts(self, channel_id: str | None = None) -> list[DailyPost]:
        query = select(daily_posts).order_by(daily_posts.c.day)
        if channel_id is not None:
            query = query.where(daily_posts.c.channel_id == channel_id)
        with self.engine.connect() as conn:
            return [_daily(r) for r in conn.execute(query).all()]

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
        now = as_utc(now)
        post_id = uuid.uuid4().hex
        try:
            with self.writing() as conn:
                conn.execute(
                    insert(daily_posts).values(
                        id=post_id,
                        channel_id=channel_id,
                        day=day,
                        question_id=question.id,
                        question=question_to_json(question),
                        status=PostStatus.PENDING,
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
        if post is None or post.status != PostStatus.PENDING:
            return None
        same_claim: ColumnElement[bool]
        if post.claimed_by is None or post.claimed_at is None:
            if post.next_try_at and post.next_try_at > now:
                return None
            same_claim = daily_posts.c.claimed_by.is_(None)
            uncertain = False
        else:
            if post.claimed_at > now - stale_after:
                return None
            same_claim = and_(
                daily_posts.c.claimed_by == post.claimed_by,
                daily_posts.c.claimed_at == as_utc(post.claimed_at),
            )
            uncertain = True
        with self.writing() as conn:
            won = conn.execute(
                update(daily_posts)
                .where(
                    daily_posts.c.id == post.id,
                    daily_posts.c.status == PostStatus.PENDING,
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
        now = as_utc(now)
        with self.writing() as conn:
            return bool(
                conn.execute(
                    update(daily_posts)
                    .where(*_still_claimed(claim))
                    .values(
                        status=PostStatus.POSTED,
                        message_ts=message_ts,
                        posted_at=now,
                        reveal_due_at=now + reveal_after,
                        last_error=None,
                    )
                ).rowcount
            )

    def mark_post_failed(self, claim: Claim, error: str, now: datetime) -> PostStatus:
        """Record a post Slack refused: retried later by anyone (``pending``), or given up after
        MAX_ATTEMPTS (``failed``). Returns the new status."""
        now = as_utc(now)
        attempts = claim.post.attempts
        status = PostStatus.FAILED if attempts >= MAX_ATTEMPTS else PostStatus.PENDING
        with self.writing() as conn:
            conn.execute(
                update(daily_posts)
                .where(*_still_claimed(claim))
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
    ) -> DailyAnswerOutcome:
        """One answer per member, recorded with their card in one transaction."""
        now = as_utc(now)
        if post.revealed_at is not None:
            return DailyAnswerOutcome.CLOSED
        try:
            with self.writing() as conn:
                insert_answer(conn, user_id, post.question, result, "daily", post.id, now)
                save_card(conn, user_id, card)
        except IntegrityError:
            return DailyAnswerOutcome.ALREADY
        return DailyAnswerOutcome.RECORDED

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
        now = as_utc(now)
        newer = daily_posts.alias("newer")
        followed = (
            select(newer.c.id)
            .where(
                newer.c.channel_id == daily_posts.c.channel_id,
                newer.c.day > daily_posts.c.day,
                newer.c.status == PostStatus.POSTED,
            )
            .exists()
        )
        query = (
            select(daily_posts)
            .where(
                daily_posts.c.status == PostStatus.POSTED,
                daily_posts.c.revealed_at.is_(None),
                or_(daily_posts.c.reveal_due_at <= now, followed),
            )
            .order_by(daily_posts.c.day)
        )
        with self.engine.connect() as conn:
            return [_daily(r) for r in conn.execute(query).all()]

    def unrevealed(self, channel_id: str) -> list[DailyPost]:
        query = (
            select(daily_posts)
            .where(
                daily_posts.c.channel_id == channel_id,
                daily_posts.c.status == PostStatus.POSTED,
                daily_posts.c.revealed_at.is_(None),
            )
            .order_by(daily_posts.c.day)
        )
        with self.engine.connect() as conn:
            return [_daily(r) for r in conn.execute(query).all()]

    def claim_reveal(self, post: DailyPost, owner: str, now: datetime, stale_after: timedelta) -> bool:
        """The right to post ``post``'s reveal (compare-and-set; a stale claim may be taken over)."""
        now = as_utc(now)
        with self.writing() as conn:
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
        with self.writing() as conn:
            conn.execute(
                update(daily_posts)
                .where(daily_posts.c.id == post.id, daily_posts.c.reveal_claimed_by == owner)
                .values(revealed_at=as_utc(now))
            )

    def release_reveal(self, post: DailyPost, owner: str) -> None:
        """The reveal failed: let the next tick (any replica) try again."""
        with self.writing() as conn:
            conn.execute(
                update(daily_posts)
                .where(
                    daily_posts.c.id == post.id,
                    daily_posts.c.reveal_claimed_by == owner,
                    daily_posts.c.revealed_at.is_(None),
                )
                .values(reveal_claimed_by=None, reveal_claimed_at=None)
            )


def _still_claimed(claim: Claim) -> tuple[ColumnElement[bool], ...]:
    """The row of ``claim``, while it is still pending under that claim (a takeover changes the owner)."""
    return (
        daily_posts.c.id == claim.post.id,
        daily_posts.c.claimed_by == claim.owner,
        daily_posts.c.status == PostStatus.PENDING,
    )


def _daily(row: Any) -> DailyPost:
    return DailyPost(
        row.id,
        row.channel_id,
        row.day,
        question_from_json(row.question),
        PostStatus(row.status),
        row.claimed_by,
        aware(row.claimed_at),
        row.attempts,
        aware(row.next_try_at),
        row.message_ts,
        aware(row.posted_at),
        aware(row.reveal_due_at),
        aware(row.revealed_at),
    )
