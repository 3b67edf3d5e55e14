"""Layer 3 of the bot, services: what the bot does, with plain Python values in and out (no Slack types,
no Block Kit, no Slack markup), called by the Slack listeners and by the ``awssec`` command alike.

- ``index``: the bot's index, loaded (built first when missing or stale), or why it is unavailable.
- ``bank``: the quiz questions of an index, generated once per index.
- ``answering``: a question to the page of cited snippets that answers it, stored for its buttons.
- ``practice``: choose a question, grade the answer, review the FSRS card, record it — one flow.
- ``scores``: the leaderboard and a learner's stats.
- ``daily``: the daily quiz (posting through a ``DailyPublisher``), its answers and its reveal.

Imports only ``bot.config`` and ``bot.store`` (and ``indexer``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..store import OutageLog
from .answering import Answering
from .daily import DailyQuiz
from .index import LiveIndex
from .practice import PracticeService
from .scores import Scores


@dataclass(frozen=True)
class Services:
    """Every service of one running bot, as the composition root (``bot.runtime``) built them."""

    index: LiveIndex
    """The bot's index as it stands (``index.current()``)."""
    answering: Answering
    practice: PracticeService
    scores: Scores
    daily: DailyQuiz
    outage: OutageLog
    """The store's outage log: a database gone is logged once, whoever notices it."""
