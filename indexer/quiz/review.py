"""Practice logic (pure): grading a choice, spaced repetition (FSRS), scores, streaks, the leaderboard.

Nothing here stores anything or knows about Slack: callers pass in what they loaded (card states,
answer records, the time) and persist what comes back.

Spaced repetition uses FSRS (pip ``fsrs``): a right answer is rated Good, a wrong one Again. A missed
question comes back after FSRS's relearning step (10 minutes), a mastered one after days or weeks.
:func:`choose_next` picks, in order: a due card (the one the learner is most likely to have forgotten),
mixed with a new question about one time in four; when nothing is due, a new question; when every
question has been seen and none is due, the card due soonest (practising ahead).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler, State

from indexer.quiz.question import CHOICE_LETTERS, QuizQuestion

POINTS_RIGHT = 10
"""Points for a right answer (practice or daily quiz); a wrong answer scores nothing."""
RECENT_GROUPS = 10
"""A new question waits while it shows a place of the notes that one of the learner's last this many
answers showed, when another new question is left (see :func:`choose_next`)."""
NEW_SHARE = 0.25
"""How often a new question is mixed in while cards are due."""
LEADERBOARD_SIZE = 10
WEAKEST_TOPICS = 3


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC; raises ``ValueError`` for a naive one (whose zone cannot be told)."""
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


# -- grading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeResult:
    """The outcome of one click."""

    question_id: str
    chosen_index: int
    correct: bool
    answer_index: int
    answer: str
    points: int


def grade(question: QuizQuestion, choice_index: int) -> GradeResult:
    """Grade choice ``choice_index`` (0-based) of ``question``; raises ValueError for a choice it has not."""
    if not 0 <= choice_index < len(question.choices):
        raise ValueError(f"choice {choice_index} is not one of the {len(question.choices)} choices")
    correct = choice_index == question.answer_index
    return GradeResult(
        question.id,
        choice_index,
        correct,
        question.answer_index,
        question.answer,
        POINTS_RIGHT if correct else 0,
    )


def parse_choice(text: str, choice_count: int) -> int | None:
    """``"B"``, ``"b"``, ``"2"`` or ``"2."`` -> 1 (0-based); None when it names no choice."""
    text = text.strip().rstrip(".)").strip().upper()
    if len(text) == 1 and text in CHOICE_LETTERS:
        index = CHOICE_LETTERS.index(text)
    elif text.isdigit():
        index = int(text) - 1
    else:
        return None
    return index if 0 <= index < choice_count else None


# -- spaced repetition ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardState:
    """One learner's FSRS memory state for one question."""

    question_id: str
    due: datetime
    state: int
    """FSRS state: 1 learning, 2 review, 3 relearning."""
    step: int | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    reviews: int = 0
    lapses: int = 0
    """How many times the learner got it wrong."""

    def to_card(self) -> Card:
        return Card(
            card_id=1,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=as_utc(self.due),
            last_review=as_utc(self.last_review) if self.last_review else None,
        )

    @classmethod
    def from_card(cls, question_id: str, card: Card, reviews: int, lapses: int) -> CardState:
        return cls(
            question_id,
            card.due,
            int(card.state),
            card.step,
            card.stability,
            card.difficulty,
            card.last_review,
            reviews,
            lapses,
        )


def make_scheduler(desired_retention: float = 0.9) -> Scheduler:
    """The FSRS scheduler, without interval fuzzing so that the same answers give the same schedule."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


_DEFAULT_SCHEDULER = make_scheduler()


def review(
    state: CardState | None,
    question_id: str,
    correct: bool,
    now: datetime,
    scheduler: Scheduler | None = None,
) -> CardState:
    """The card after answering ``question_id`` at ``now``: right is rated Good, wrong Again."""
    scheduler = scheduler or _DEFAULT_SCHEDULER
    now = as_utc(now)
    card = state.to_card() if state else Card(card_id=1, due=now)
    card, _ = scheduler.review_card(card, Rating.Good if correct else Rating.Again, now)
    reviews = (state.reviews if state else 0) + 1
    lapses = (state.lapses if state else 0) + (0 if correct else 1)
    return CardState.from_card(question_id, card, reviews, lapses)


def _new_order(user_id: str, question_id: str) -> str:
    """Each learner meets new questions in an order of their own, stable across restarts."""
    return hashlib.sha256(f"{user_id}\x1f{question_id}".encode()).hexdigest()


def choose_next(
    question_ids: Sequence[str],
    states: Mapping[str, CardState],
    now: datetime,
    *,
    user_id: str = "",
    rng: random.Random | None = None,
    exclude: Iterable[str] = (),
    new_share: float = NEW_SHARE,
    scheduler: Scheduler | None = None,
    groups: Mapping[str, Collection[str]] | None = None,
) -> str | None:
    """The question to ask next (None only when there are no questions).

    ``question_ids`` is the bank; ``states`` the learner's cards (cards of questions no longer in the
    bank are ignored); ``exclude`` (e.g. the question just answered) is avoided when anything else is left.
    ``groups`` (question id -> the places of the notes it shows: its table, where its choices are): a
    new question sharing a place with one of the learner's last few answers waits while another is new,
    since the answer shown after one question rules out the wrong choices of the next.
    """
    scheduler = scheduler or _DEFAULT_SCHEDULER
    rng = rng or random.Random()
    now = as_utc(now)
    skip = set(exclude)
    pool = [q for q in question_ids if q not in skip] or list(question_ids)
    if not pool:
        return None
    seen = [states[q] for q in pool if q in states]
    new = [q for q in pool if q not in states]
    due = [s for s in seen if as_utc(s.due) <= now]
    if due and (not new or rng.random() >= new_share):
        # the most forgotten first: lowest retrievability, then most overdue
        return min(
            due, key=lambda s: (scheduler.get_card_retrievability(s.to_card(), now), s.due, s.question_id)
        ).question_id
    if new:
        if groups:
            recent = _recent_places(states, groups)
            new = [q for q in new if recent.isdisjoint(groups.get(q, ()))] or new
        return min(new, key=lambda q: _new_order(user_id, q))
    return min(seen, key=lambda s: (s.due, s.question_id)).question_id


def _recent_places(states: Mapping[str, CardState], groups: Mapping[str, Collection[str]]) -> set[str]:
    """The places of the notes shown by the learner's last ``RECENT_GROUPS`` answers."""
    answered = [(as_utc(s.last_review), s.question_id) for s in states.values() if s.last_review is not None]
    return {place for _, q in sorted(answered)[-RECENT_GROUPS:] for place in groups.get(q, ())}


# -- scores, streaks, leaderboard, stats ----------------------------------------------------------


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as stored: who, which question, right or not, when, and the question's topic."""

    user_id: str
    question_id: str
    correct: bool
    answered_at: datetime
    topic: str = ""
    points: int = 0


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day ``moment`` falls on in ``tz`` (the study group's time zone)."""
    return as_utc(moment).astimezone(tz).date()


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one answer, ending today — or yesterday, when today has no answer
    yet (a streak is only broken once a whole day passes without one)."""
    answered = set(days)
    day = today if today in answered else today - timedelta(days=1)
    count = 0
    while day in answered:
        count += 1
        day -= timedelta(days=1)
    return count


def longest_streak(days: Iterable[date]) -> int:
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Midnight on the first day of ``now``'s month in ``tz``, as an aware datetime."""
    local = as_utc(now).astimezone(tz)
    return datetime(local.year, local.month, 1, tzinfo=tz)


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    user_id: str
    points: int
    right: int
    answered: int
    streak: int


def leaderboard(
    records: Iterable[AnswerRecord],
    now: datetime,
    tz: ZoneInfo,
    *,
    since: datetime | None = None,
    limit: int = LEADERBOARD_SIZE,
) -> list[LeaderboardRow]:
    """Top ``limit`` learners by points (answers from ``since`` on, all when None).

    Ties go to more right answers, then to whoever reached the score first, then by user id.
    Streaks count every answer, whatever ``since`` is.
    """
    points: dict[str, int] = {}
    right: dict[str, int] = {}
    answered: dict[str, int] = {}
    reached: dict[str, datetime] = {}
    days: dict[str, set[date]] = {}
    since_utc = as_utc(since) if since else None
    for r in sorted(records, key=lambda r: as_utc(r.answered_at)):
        days.setdefault(r.user_id, set()).add(local_date(r.answered_at, tz))
        if since_utc and as_utc(r.answered_at) < since_utc:
            continue
        points[r.user_id] = points.get(r.user_id, 0) + r.points
        right[r.user_id] = right.get(r.user_id, 0) + int(r.correct)
        answered[r.user_id] = answered.get(r.user_id, 0) + 1
        if r.points:
            reached[r.user_id] = as_utc(r.answered_at)
    today = local_date(now, tz)
    far = datetime.max.replace(tzinfo=UTC)
    order = sorted(answered, key=lambda u: (-points[u], -right[u], reached.get(u, far), u))
    return [
        LeaderboardRow(rank, u, points[u], right[u], answered[u], streak(days[u], today))
        for rank, u in enumerate(order[:limit], start=1)
    ]


@dataclass(frozen=True)
class TopicScore:
    topic: str
    right: int
    answered: int

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class UserStats:
    answered: int
    right: int
    points: int
    streak: int
    longest_streak: int
    weakest: tuple[TopicScore, ...]
    """Topics with a wrong answer, worst accuracy first."""

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0


def user_stats(
    records: Iterable[AnswerRecord], now: datetime, tz: ZoneInfo, weakest: int = WEAKEST_TOPICS
) -> UserStats:
    """One learner's totals from their own answer records."""
    records = list(records)
    by_topic: dict[str, list[int]] = {}
    for r in records:
        score = by_topic.setdefault(r.topic or "(no heading)", [0, 0])
        score[0] += int(r.correct)
        score[1] += 1
    topics = [TopicScore(t, right, total) for t, (right, total) in by_topic.items() if right < total]
    topics.sort(key=lambda t: (t.accuracy, -t.answered, t.topic))
    days = [local_date(r.answered_at, tz) for r in records]
    return UserStats(
        answered=len(records),
        right=sum(r.correct for r in records),
        points=sum(r.points for r in records),
        streak=streak(days, local_date(now, tz)),
        longest_streak=longest_streak(days),
        weakest=tuple(topics[:weakest]),
    )


# -- the daily quiz -------------------------------------------------------------------------------


def choose_daily(
    question_ids: Sequence[str], already_posted: Iterable[str], channel_id: str, day: date
) -> str | None:
    """The question of the day for a channel: one it has not had yet (all again once every question
    has been posted), picked by a hash of channel and day, so every replica picks the same one."""
    if not question_ids:
        return None
    posted = set(already_posted)
    fresh = [q for q in question_ids if q not in posted] or list(question_ids)
    salt = f"{channel_id}\x1f{day.isoformat()}\x1f"
    return min(fresh, key=lambda q: hashlib.sha256((salt + q).encode()).digest())
