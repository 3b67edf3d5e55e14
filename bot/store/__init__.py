"""Layer 2 of the bot, the store: ONE :class:`Store` on one engine, with one write lock and one schema.

``Store.connect(url)`` opens the database (SQLite or PostgreSQL), brings its schema up to date
(``schema``, with the Alembic migrations in ``migrations/``) and serves every table through the parts it
is made of: handled events (``events``), answers and feedback (``answers``), quiz cards, practice and
answers (``quiz``) and daily posts (``daily``). Imports only ``bot.config`` (and ``indexer``).
"""

from __future__ import annotations

from . import schema
from .answers import FeedbackRecord, SavedAnswers, StoredAnswer
from .daily import MAX_ATTEMPTS, Claim, DailyAnswerOutcome, DailyPost, DailyPosts, PostStatus
from .engine import OutageLog, create_store_engine, describe_error, is_database_error
from .events import CLAIM_LEASE, ClaimOutcome, EventClaims
from .quiz import Practice, QuizProgress

__all__ = [
    "CLAIM_LEASE",
    "MAX_ATTEMPTS",
    "Claim",
    "ClaimOutcome",
    "DailyAnswerOutcome",
    "DailyPost",
    "FeedbackRecord",
    "OutageLog",
    "PostStatus",
    "Practice",
    "Store",
    "StoredAnswer",
    "describe_error",
    "is_database_error",
]


class Store(EventClaims, SavedAnswers, QuizProgress, DailyPosts):
    """Thread-safe access to the bot's tables: every write goes through one lock (on SQLite, which
    allows one writer at a time) and one engine."""

    @classmethod
    def connect(cls, url: str) -> Store:
        """Open (creating when needed) the store at ``url`` and bring its schema up to date."""
        engine = create_store_engine(url)
        store = cls(engine)
        with store._write_lock:
            schema.upgrade(engine)
        return store

    def schema_revision(self) -> str | None:
        """The database's schema revision (the newest is ``schema.HEAD_REVISION``)."""
        with self.engine.connect() as conn:
            return schema.current_revision(conn)

    def close(self) -> None:
        self.engine.dispose()
