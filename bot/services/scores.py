"""Scores: the leaderboard (this month and all time) and one learner's stats, in the group's time zone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from indexer.quiz.review import LeaderboardRow, UserStats, leaderboard, month_start, user_stats

from ..store.engine import utc_now
from ..store.quiz import QuizProgress

TERMINAL_USER_PREFIX = "cli:"
"""Whose answers were given in a terminal (``awssec quiz next``): kept for their own practice, not ranked
among the Slack members on the leaderboard."""


@dataclass(frozen=True)
class Leaderboard:
    month: list[LeaderboardRow]
    all_time: list[LeaderboardRow]
    month_start: datetime
    """The start of this month, in the group's time zone (its name heads the board)."""


class Scores:
    def __init__(
        self, store: QuizProgress, timezone: ZoneInfo, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.store = store
        self.timezone = timezone
        self.clock = clock

    def leaderboard(self) -> Leaderboard:
        now = self.clock()
        records = [r for r in self.store.answer_records() if not r.user_id.startswith(TERMINAL_USER_PREFIX)]
        start = month_start(now, self.timezone)
        return Leaderboard(
            leaderboard(records, now, self.timezone, since=start),
            leaderboard(records, now, self.timezone),
            start,
        )

    def stats(self, user_id: str) -> UserStats:
        return user_stats(self.store.answer_records(user_id), self.clock(), self.timezone)
