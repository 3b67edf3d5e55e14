"""The daily quiz: one question a day in the study channel, answers counted live, the reveal in a thread.

``DailyQuiz.tick(now)`` does everything that is due at ``now`` and is what the scheduler thread of
``awssec serve`` calls every 30 seconds (tests call it directly with a controllable clock):

1. reveal every posted quiz whose reveal time (``AWSSEC_REVEAL_AFTER`` hours after posting) has come;
2. on a quiz day (``AWSSEC_QUIZ_DAYS``), from ``AWSSEC_QUIZ_TIME`` in ``AWSSEC_TIMEZONE`` until midnight,
   post that day's quiz to ``AWSSEC_QUIZ_CHANNEL`` unless the store says it is already posted. A bot that
   was down at 09:00 and is back at 11:00 posts at 11:00 (the same day, never the next one).

"Exactly once per channel per day" is the store's job (see ``bot.store.daily``): a committed insert of
the ``(channel, day)`` row is the right to post. Replicas, restarts and ``awssec quiz post`` from cron
all go through it. When a post fails, the row says how: an error from Slack is retried (after 1, 2, 4, 8
minutes, then given up and logged); a post whose outcome is unknown (a timeout, a crash between Slack's
reply and the store's update) is taken over after ``stale_after`` (5 minutes) by any replica, which
first looks for the message in the channel's history (by its metadata) so that a post Slack did get is
recorded, not repeated. Reading the history needs the ``channels:history`` scope; without it the
post is retried, and a duplicate is possible only for a post that reached Slack in the second before
its process died.

Reveals are claimed the same way (compare-and-set on the row), so two replicas never both reveal.

What reaches Slack goes through a :class:`DailyPublisher` (``bot.slack.publisher`` implements it on the
Web API); one ``DailyQuiz`` per process serves the scheduler and the daily quiz's buttons alike.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError

from indexer.quiz.review import GradeResult, choose_daily, grade, review

from ..config.settings import QuizSettings
from ..store import Claim, DailyAnswerOutcome, DailyPost, PostStatus, Store
from ..store.engine import utc_now
from .index import IndexUnavailable
from .practice import QuestionSource

logger = logging.getLogger("awssec.daily")

TICK_SECONDS = 30.0
STALE_CLAIM = timedelta(minutes=5)
"""A claim whose post never reported back is taken over after this long."""


class PublishRefused(Exception):
    """Slack refused a post (nothing was posted); ``error`` is its reason, e.g. ``not_in_channel``."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class DailyPublisher(Protocol):
    """How the daily quiz reaches its channel (``bot.slack.publisher.SlackDailyPublisher``)."""

    def post_quiz(self, post: DailyPost, answered: int, reveal_at: datetime) -> str:
        """Post the day's quiz with a button per choice; returns the message's ts. Raises PublishRefused
        when Slack refuses it; any other exception leaves the outcome unknown."""
        ...

    def find_quiz(self, post: DailyPost, since: datetime | None) -> str | None:
        """The ts of ``post``'s message if an earlier attempt did reach the channel (posted after
        ``since``), else None; raises when the channel's history cannot be read."""
        ...

    def update_count(self, post: DailyPost, answered: int, reveal_at: datetime) -> None:
        """Show on the posted quiz how many have answered."""
        ...

    def post_reveal(self, post: DailyPost, answered: int, right: int, first_right: str | None) -> None:
        """Post the answer, the tally and who got it right first in the quiz's thread."""
        ...


def quiz_day(now: datetime, settings: QuizSettings) -> date | None:
    """The local day whose quiz is due at ``now``, or None (not a quiz day, or before the quiz time)."""
    local = now.astimezone(settings.timezone)
    if local.weekday() not in settings.days or local.time() < settings.post_time:
        return None
    return local.date()


class PostOutcome(StrEnum):
    """What one attempt to post a day's quiz did."""

    POSTED = "posted"
    RECOVERED = "recovered"
    """Found already in the channel (an earlier attempt reached it): recorded, not posted again."""
    EXISTS = "exists"
    """Posted before, or another process holds the claim."""
    RETRY = "retry"
    """Slack refused; it will be retried."""
    FAILED = "failed"
    """Slack refused once too often: given up for the day."""
    UNKNOWN = "unknown"
    """No reply from Slack: checked and taken over later."""
    NO_QUESTIONS = "no-questions"


@dataclass(frozen=True)
class PostResult:
    """What one attempt to post a day's quiz did, and the post it was about."""

    status: PostOutcome
    post: DailyPost | None = None
    detail: str = ""


class DailyGrade(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    """They answered this quiz before: one answer each."""
    CLOSED = "closed"
    """Its answer is revealed already."""
    EXPIRED = "expired"
    """No such quiz, or a choice it does not have."""


@dataclass(frozen=True)
class DailyAnswer:
    """What a member's answer to a daily quiz did."""

    status: DailyGrade
    post: DailyPost | None = None
    result: GradeResult | None = None
    reveal_at: datetime | None = None
    """When the answer comes, in the group's time zone."""


class DailyQuiz:
    """Posts, counts and reveals daily quizzes. One per process; any number of processes may run."""

    def __init__(
        self,
        store: Store,
        questions: QuestionSource,
        publisher: DailyPublisher,
        settings: QuizSettings,
        *,
        owner: str | None = None,
        stale_after: timedelta = STALE_CLAIM,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.questions = questions
        self.publisher = publisher
        self.settings = settings
        self.owner = owner or f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.stale_after = stale_after
        self.clock = clock
        self._count_lock = threading.Lock()
        """Serialises the updates of the answer count on the posts (the scheduler's and the clicks')."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the tick -----------------------------------------------------------------------------------

    def tick(self, now: datetime) -> list[PostResult]:
        """Reveal what is due, then post today's quiz if it is due and not posted. Never raises.

        With the database gone nothing can be claimed, so nothing is posted or revealed: the outage is
        logged once (by the store's outage log, not at every tick) and the first tick after it catches up.
        """
        results: list[PostResult] = []
        self._guarded("revealing daily quizzes", lambda: self.reveal_due(now))
        day = quiz_day(now, self.settings)
        channel = self.settings.channel
        if channel and day is not None:

            def post_if_due() -> None:
                existing = self.store.daily_post(channel, day)
                if existing is None or existing.status == PostStatus.PENDING:
                    results.append(self.post(channel, day, now))

            self._guarded(f"posting the daily quiz to {channel}", post_if_due)
        return results

    def _guarded(self, what: str, work: Callable[[], object]) -> None:
        """``work()``; a database error goes to the outage log, anything else is logged; never raises."""
        try:
            work()
        except SQLAlchemyError as err:
            self.store.outage.failed(what, err)
            return
        except Exception:  # the scheduler must keep ticking
            logger.exception("%s failed", what)
            return
        self.store.outage.succeeded()

    def post(self, channel: str, day: date, now: datetime) -> PostResult:
        """Post ``channel``'s quiz of ``day`` unless it is (being) posted already; see the module doc."""
        existing = self.store.daily_post(channel, day)
        if existing is not None and existing.status != PostStatus.PENDING:
            failed = existing.status == PostStatus.FAILED
            return PostResult(PostOutcome.FAILED if failed else PostOutcome.EXISTS, existing)
        if existing is None:
            bank = self.questions()
            if isinstance(bank, IndexUnavailable) or not len(bank):
                logger.warning("no quiz questions: nothing to post to %s", channel)
                return PostResult(PostOutcome.NO_QUESTIONS)
            question_id = choose_daily(bank.ids, self.store.posted_question_ids(channel), channel, day)
            question = bank.get(question_id) if question_id else None
            if question is None:
                return PostResult(PostOutcome.NO_QUESTIONS)
        else:
            question = existing.question
        claim = self.store.claim_daily(channel, day, question, now, self.owner, self.stale_after)
        if claim is None:
            return PostResult(PostOutcome.EXISTS, self.store.daily_post(channel, day))
        for older in self.store.unrevealed(channel):
            if older.day < day:
                self.reveal(older, now)  # "the reveal comes … when the next quiz is posted"
        if claim.uncertain:
            ts = self._find_posted(claim)
            if ts:
                self.store.mark_posted(claim, ts, now, self.settings.reveal_after)
                logger.info(
                    "daily quiz %s for %s was already in the channel (ts %s): recorded", day, channel, ts
                )
                return PostResult(PostOutcome.RECOVERED, self.store.load_daily(claim.post.id))
        return self._send(claim, now)

    def _send(self, claim: Claim, now: datetime) -> PostResult:
        post = claim.post
        try:
            ts = self.publisher.post_quiz(post, 0, self._reveal_at(now))
        except PublishRefused as err:
            error = err.error
            status = self.store.mark_post_failed(claim, error, now)
            given_up = status == PostStatus.FAILED
            log = logger.error if given_up else logger.warning
            log(
                "Slack refused the daily quiz for %s (%s): %s",
                post.channel_id,
                error,
                "given up for today" if given_up else "will retry",
            )
            return PostResult(PostOutcome.FAILED if given_up else PostOutcome.RETRY, post, error)
        except Exception as err:  # timeout or connection: the outcome is unknown
            logger.warning(
                "no reply from Slack for the daily quiz in %s (%s); it will be checked and retried in %s",
                post.channel_id,
                err,
                self.stale_after,
            )
            return PostResult(PostOutcome.UNKNOWN, post, str(err))
        self.store.mark_posted(claim, ts, now, self.settings.reveal_after)
        logger.info(
            "posted the daily quiz for %s to %s (question %s)", post.day, post.channel_id, post.question.id
        )
        return PostResult(PostOutcome.POSTED, self.store.load_daily(post.id))

    def _find_posted(self, claim: Claim) -> str | None:
        """The ts of this claim's message if an earlier attempt did reach the channel."""
        since = claim.post.claimed_at - self.stale_after * 2 if claim.post.claimed_at else None
        try:
            return self.publisher.find_quiz(claim.post, since)
        except Exception as err:  # no history scope, or Slack down: post again
            logger.warning(
                "cannot read %s's history to check for an earlier daily post (%s); posting",
                claim.post.channel_id,
                err,
            )
            return None

    def _reveal_at(self, posted_at: datetime) -> datetime:
        return (posted_at + self.settings.reveal_after).astimezone(self.settings.timezone)

    # -- answers and reveals ----------------------------------------------------------------------------

    def answer(self, daily_id: str, user_id: str, choice: int) -> DailyAnswer:
        """Record ``user_id``'s ``choice`` (0-based) on the daily quiz ``daily_id``: graded, their card
        reviewed, one answer each, none after the reveal. The count on the post is ``refresh_count``'s."""
        post = self.store.load_daily(daily_id) if daily_id else None
        if post is None or not user_id:
            return DailyAnswer(DailyGrade.EXPIRED)
        try:
            result = grade(post.question, choice)
        except ValueError:
            return DailyAnswer(DailyGrade.EXPIRED, post)
        now = self.clock()
        question_id = post.question.id
        card = review(self.store.card_states(user_id).get(question_id), question_id, result.correct, now)
        outcome = self.store.answer_daily(post, user_id, result, card, now)
        if outcome == DailyAnswerOutcome.ALREADY:
            return DailyAnswer(DailyGrade.ALREADY, post)
        if outcome == DailyAnswerOutcome.CLOSED:
            return DailyAnswer(DailyGrade.CLOSED, post)
        reveal_at = (post.reveal_due_at or now).astimezone(self.settings.timezone)
        return DailyAnswer(DailyGrade.RECORDED, post, result, reveal_at)

    def refresh_count(self, post: DailyPost) -> None:
        """Show how many have answered (never the answer) by updating the post."""
        if not post.message_ts:
            return
        # Two clicks refreshing at once must not leave the earlier count on the post: the count is read
        # and sent in one step.
        with self._count_lock:
            answered, _ = self.store.daily_answer_counts(post.id)
            posted_at = post.posted_at or datetime.now(UTC)
            self.publisher.update_count(post, answered, self._reveal_at(posted_at))

    def reveal_due(self, now: datetime) -> int:
        count = 0
        for post in self.store.reveals_due(now):
            count += self.reveal(post, now)
        return count

    def reveal(self, post: DailyPost, now: datetime) -> bool:
        """Post the answer in the quiz's thread (once, whoever gets there first)."""
        if not post.message_ts or not self.store.claim_reveal(post, self.owner, now, self.stale_after):
            return False
        answered, right = self.store.daily_answer_counts(post.id)
        first = self.store.first_right(post.id)
        try:
            self.publisher.post_reveal(post, answered, right, first)
        except Exception:
            self.store.release_reveal(post, self.owner)
            raise
        self.store.mark_revealed(post, self.owner, now)
        logger.info("revealed the daily quiz of %s in %s", post.day, post.channel_id)
        try:
            self.refresh_count(self.store.load_daily(post.id) or post)
        except Exception:  # the count on the post is cosmetic
            logger.warning("could not update the daily post after its reveal", exc_info=True)
        return True

    # -- the scheduler thread -----------------------------------------------------------------------

    def start(
        self, clock: Callable[[], datetime] | None = None, interval: float = TICK_SECONDS
    ) -> threading.Thread:
        """Tick now and then every ``interval`` seconds in a daemon thread (at ``clock()``, default the
        service's clock), until :meth:`stop`."""
        clock = clock or self.clock

        def run() -> None:
            while not self._stop.is_set():
                try:
                    self.tick(clock())
                except Exception:  # tick already logs; never let the thread die
                    logger.exception("daily quiz tick failed")
                self._stop.wait(interval)

        self._stop.clear()
        self._thread = threading.Thread(target=run, name="awssec-daily-quiz", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
