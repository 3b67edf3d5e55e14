"""The daily quiz: one question a day in the study channel, answers counted live, the reveal in a thread.

``DailyQuiz.tick(now)`` does everything that is due at ``now`` and is what the scheduler thread of
``awssec serve`` calls every 30 seconds (tests call it directly with a controllable clock):

1. reveal every posted quiz whose reveal time (``AWSSEC_REVEAL_AFTER`` hours after posting) has come;
2. on a quiz day (``AWSSEC_QUIZ_DAYS``), from ``AWSSEC_QUIZ_TIME`` in ``AWSSEC_TIMEZONE`` until midnight,
   post that day's quiz to ``AWSSEC_QUIZ_CHANNEL`` unless the store says it is already posted. A bot that
   was down at 09:00 and is back at 11:00 posts at 11:00 (the same day, never the next one).

"Exactly once per channel per day" is the store's job (see ``bot.quiz_store``): a committed insert of
the ``(channel, day)`` row is the right to post. Replicas, restarts and ``awssec quiz post`` from cron
all go through it. When a post fails, the row says how: an error from Slack is retried (after 1, 2, 4, 8
minutes, then given up and logged); a post whose outcome is unknown (a timeout, a crash between Slack's
reply and the store's update) is taken over after ``stale_after`` (5 minutes) by any replica, which
first looks for the message in the channel's history (by its metadata) so that a post Slack did get is
recorded, not repeated. Reading the history needs the ``channels:history`` scope; without it the
post is retried, and a duplicate is possible only for a post that reached Slack in the second before
its process died.

Reveals are claimed the same way (compare-and-set on the row), so two replicas never both reveal.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from indexer.quiz.bank import QuizBank
from indexer.quiz.review import choose_daily

from .quiz_blocks import daily_post_message, reveal_message
from .quiz_store import Claim, DailyPost, QuizStore
from .settings import SettingsError

logger = logging.getLogger("awssec.daily")

TICK_SECONDS = 30.0
STALE_CLAIM = timedelta(minutes=5)
"""A claim whose post never reported back is taken over after this long."""
METADATA_EVENT = "awssec_daily_quiz"
HISTORY_LIMIT = 200
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NO_UNFURL = {"unfurl_links": False, "unfurl_media": False}


@dataclass(frozen=True)
class QuizSettings:
    """The quiz's configuration, from the environment."""

    channel: str
    """AWSSEC_QUIZ_CHANNEL: channel id for the daily quiz; empty: no daily quiz."""
    post_time: time
    """AWSSEC_QUIZ_TIME: local time of the daily post (default 09:00)."""
    timezone: ZoneInfo
    """AWSSEC_TIMEZONE: the group's time zone (default UTC), for the post time, days and streaks."""
    days: frozenset[int]
    """AWSSEC_QUIZ_DAYS: weekdays of the daily quiz, 0 = Monday (default Mon–Fri)."""
    reveal_after: timedelta
    """AWSSEC_REVEAL_AFTER: hours from the post to the answer in its thread (default 6)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> QuizSettings:
        """Read and check the quiz settings; raise SettingsError naming the first bad variable."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return (env.get(name) or "").strip()

        return cls(
            channel=get("AWSSEC_QUIZ_CHANNEL"),
            post_time=parse_time(get("AWSSEC_QUIZ_TIME") or "09:00"),
            timezone=parse_timezone(get("AWSSEC_TIMEZONE") or "UTC"),
            days=parse_days(get("AWSSEC_QUIZ_DAYS") or "mon-fri"),
            reveal_after=parse_hours(get("AWSSEC_REVEAL_AFTER") or "6"),
        )


def parse_time(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise SettingsError(f"AWSSEC_QUIZ_TIME must be a 24-hour time like 09:00, got {text!r}") from None


def parse_timezone(text: str) -> ZoneInfo:
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"AWSSEC_TIMEZONE must be an IANA time zone like Europe/Berlin or America/New_York, got {text!r}"
        ) from None


def parse_days(text: str) -> frozenset[int]:
    """``mon-fri``, ``mon,wed,fri``, ``sat-sun``, ``daily``; full day names work too."""
    value = text.strip().lower()
    if value in ("daily", "all", "every day", "mon-sun"):
        return frozenset(range(7))
    days: set[int] = set()
    for part in value.replace(" ", "").split(","):
        start, _, end = part.partition("-")
        try:
            first = DAY_NAMES.index(start[:3])
            last = DAY_NAMES.index(end[:3]) if end else first
        except ValueError:
            raise SettingsError(
                f"AWSSEC_QUIZ_DAYS must list days like mon-fri or mon,wed,fri (or daily), got {text!r}"
            ) from None
        day = first
        while True:
            days.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    return frozenset(days)


def parse_hours(text: str) -> timedelta:
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 7:
        raise SettingsError(f"AWSSEC_REVEAL_AFTER must be a number of hours between 0 and 168, got {text!r}")
    return timedelta(hours=hours)


def quiz_day(now: datetime, settings: QuizSettings) -> date | None:
    """The local day whose quiz is due at ``now``, or None (not a quiz day, or before the quiz time)."""
    local = now.astimezone(settings.timezone)
    if local.weekday() not in settings.days or local.time() < settings.post_time:
        return None
    return local.date()


@dataclass(frozen=True)
class PostResult:
    """What one attempt to post a day's quiz did."""

    status: str
    """``posted``, ``recovered`` (found already in the channel), ``exists`` (posted before, or another
    process holds the claim), ``retry`` (Slack refused; will be retried), ``failed`` (given up),
    ``unknown`` (no reply from Slack; taken over later) or ``no-questions``."""
    post: DailyPost | None = None
    detail: str = ""


_COUNT_REFRESH = threading.Lock()
"""Serialises the answer-count updates of daily posts in this process."""


class DailyQuiz:
    """Posts, counts and reveals daily quizzes. One per process; any number of processes may run."""

    def __init__(
        self,
        store: QuizStore,
        questions: Callable[[], QuizBank | None],
        client: WebClient,
        settings: QuizSettings,
        *,
        source_url: str = "",
        owner: str | None = None,
        stale_after: timedelta = STALE_CLAIM,
    ) -> None:
        self.store = store
        self.questions = questions
        self.client = client
        self.settings = settings
        self.source_url = source_url
        self.owner = owner or f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.stale_after = stale_after
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
                if existing is None or existing.status == "pending":
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
        except Exception:  # noqa: BLE001 - the scheduler must keep ticking
            logger.exception("%s failed", what)
            return
        self.store.outage.succeeded()

    def post(self, channel: str, day: date, now: datetime) -> PostResult:
        """Post ``channel``'s quiz of ``day`` unless it is (being) posted already; see the module doc."""
        existing = self.store.daily_post(channel, day)
        if existing is not None and existing.status != "pending":
            return PostResult("exists" if existing.status == "posted" else existing.status, existing)
        if existing is None:
            bank = self.questions()
            if bank is None or not len(bank):
                logger.warning("no quiz questions: nothing to post to %s", channel)
                return PostResult("no-questions")
            question_id = choose_daily(bank.ids, self.store.posted_question_ids(channel), channel, day)
            question = bank.get(question_id) if question_id else None
            if question is None:
                return PostResult("no-questions")
        else:
            question = existing.question
        claim = self.store.claim_daily(channel, day, question, now, self.owner, self.stale_after)
        if claim is None:
            return PostResult("exists", self.store.daily_post(channel, day))
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
                return PostResult("recovered", self.store.load_daily(claim.post.id))
        return self._send(claim, now)

    def _send(self, claim: Claim, now: datetime) -> PostResult:
        post = claim.post
        message = daily_post_message(post.question, post.id, post.day, 0, self._reveal_at(now))
        try:
            response = self.client.chat_postMessage(
                channel=post.channel_id,
                **message.payload(),
                **NO_UNFURL,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"daily_id": post.id}},
            )
        except SlackApiError as err:
            error = str(err.response.get("error") or err)
            status = self.store.mark_post_failed(claim, error, now)
            log = logger.error if status == "failed" else logger.warning
            log(
                "Slack refused the daily quiz for %s (%s): %s",
                post.channel_id,
                error,
                "given up for today" if status == "failed" else "will retry",
            )
            return PostResult("failed" if status == "failed" else "retry", post, error)
        except Exception as err:  # noqa: BLE001 - timeout or connection: the outcome is unknown
            logger.warning(
                "no reply from Slack for the daily quiz in %s (%s); it will be checked and retried in %s",
                post.channel_id,
                err,
                self.stale_after,
            )
            return PostResult("unknown", post, str(err))
        ts = str(response.get("ts") or "")
        self.store.mark_posted(claim, ts, now, self.settings.reveal_after)
        logger.info(
            "posted the daily quiz for %s to %s (question %s)", post.day, post.channel_id, post.question.id
        )
        return PostResult("posted", self.store.load_daily(post.id))

    def _find_posted(self, claim: Claim) -> str | None:
        """The ts of this claim's message if an earlier attempt did reach the channel."""
        since = claim.post.claimed_at - self.stale_after * 2 if claim.post.claimed_at else None
        try:
            response = self.client.conversations_history(
                channel=claim.post.channel_id,
                include_all_metadata=True,
                limit=HISTORY_LIMIT,
                oldest=f"{since.timestamp():.6f}" if since else None,
            )
        except Exception as err:  # noqa: BLE001 - no history scope, or Slack down: post again
            logger.warning(
                "cannot read %s's history to check for an earlier daily post (%s); posting",
                claim.post.channel_id,
                err,
            )
            return None
        for message in response.get("messages") or []:
            meta = message.get("metadata") or {}
            if (
                meta.get("event_type") == METADATA_EVENT
                and (meta.get("event_payload") or {}).get("daily_id") == claim.post.id
            ):
                return str(message.get("ts") or "") or None
        return None

    def _reveal_at(self, posted_at: datetime) -> datetime:
        return (posted_at + self.settings.reveal_after).astimezone(self.settings.timezone)

    # -- answers and reveals ----------------------------------------------------------------------------

    def refresh_count(self, post: DailyPost) -> None:
        """Show how many have answered (never the answer) by updating the post."""
        if not post.message_ts:
            return
        # Two clicks refreshing at once must not leave the earlier count on the post: the count is read
        # and sent in one step.
        with _COUNT_REFRESH:
            answered, _ = self.store.daily_answer_counts(post.id)
            posted_at = post.posted_at or datetime.now(UTC)
            message = daily_post_message(
                post.question, post.id, post.day, answered, self._reveal_at(posted_at)
            )
            self.client.chat_update(channel=post.channel_id, ts=post.message_ts, **message.payload())

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
        message = reveal_message(post.question, answered, right, first, self.source_url)
        try:
            self.client.chat_postMessage(
                channel=post.channel_id, thread_ts=post.message_ts, **message.payload(), **NO_UNFURL
            )
        except Exception:
            self.store.release_reveal(post, self.owner)
            raise
        self.store.mark_revealed(post, self.owner, now)
        logger.info("revealed the daily quiz of %s in %s", post.day, post.channel_id)
        try:
            self.refresh_count(self.store.load_daily(post.id) or post)
        except Exception:  # noqa: BLE001 - the count on the post is cosmetic
            logger.warning("could not update the daily post after its reveal", exc_info=True)
        return True

    # -- the scheduler thread -----------------------------------------------------------------------

    def start(
        self, clock: Callable[[], datetime] = lambda: datetime.now(UTC), interval: float = TICK_SECONDS
    ) -> threading.Thread:
        """Tick now and then every ``interval`` seconds in a daemon thread, until :meth:`stop`."""

        def run() -> None:
            while not self._stop.is_set():
                try:
                    self.tick(clock())
                except Exception:  # noqa: BLE001 - tick already logs; never let the thread die
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
