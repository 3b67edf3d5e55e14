"""The bot's store: handled events, answers shown, feedback (and, later, quiz state).

SQLAlchemy 2 Core on SQLite (default, in the data directory) or PostgreSQL (postgresql+psycopg://).
Other modules add their tables to ``metadata`` before ``Store.connect`` and bump ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from indexer.model import Answer, Hit

from .settings import normalize_database_url

SCHEMA_VERSION = 1
"""Bump when a table is added or changed; the quiz issue adds its tables as version 2."""

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

handled_events = Table(
    "handled_events",
    metadata,
    Column("event_key", String(255), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

answers = Table(
    "answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("question", Text, nullable=False),
    Column("hits", Text, nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("channel_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("vote", SmallInteger, nullable=False),
    Column("question", Text, nullable=False),
    Column("hits", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("answer_id", "user_id", name="uq_feedback_answer_user"),
)


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


class Store:
    """Thread-safe access to the bot's tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite allows one writer at a time; serialising here avoids "database is locked".
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()

    @classmethod
    def connect(cls, url: str) -> Store:
        """Open (creating when needed) the store at ``url`` and make sure the schema exists."""
        url = normalize_database_url(url)
        parsed = make_url(url)
        kwargs: dict = {}
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if database in ("", ":memory:"):
                kwargs["poolclass"] = StaticPool
            else:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.create_schema()
        return store

    def create_schema(self) -> None:
        with self._write_lock, self.engine.begin() as conn:
            metadata.create_all(conn)
            known = conn.execute(select(schema_version.c.version)).scalars().all()
            if SCHEMA_VERSION not in known:
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION, applied_at=_now()))

    def schema_versions(self) -> list[int]:
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(schema_version.c.version)).scalars().all())

    def close(self) -> None:
        self.engine.dispose()

    # -- events ---------------------------------------------------------------------------------------

    def claim_event(self, event_key: str, kind: str = "event") -> bool:
        """Record ``event_key``; True for the first claim only (across threads, restarts and replicas)."""
        try:
            with self._write_lock, self.engine.begin() as conn:
                conn.execute(
                    insert(handled_events).values(event_key=event_key[:255], kind=kind, received_at=_now())
                )
        except IntegrityError:
            return False
        return True

    def prune_events(self, older_than: timedelta = timedelta(days=7)) -> int:
        """Forget events older than Slack could ever redeliver; returns how many were removed."""
        with self._write_lock, self.engine.begin() as conn:
            result = conn.execute(
                delete(handled_events).where(handled_events.c.received_at < _now() - older_than)
            )
            return result.rowcount or 0

    # -- answers and feedback -------------------------------------------------------------------------

    def save_answer(self, answer: Answer, *, user_id: str, channel_id: str) -> str:
        """Keep what was shown; returns the id the buttons carry."""
        answer_id = uuid.uuid4().hex
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                insert(answers).values(
                    id=answer_id,
                    question=answer.query,
                    hits=_hits_json(answer.hits),
                    user_id=user_id,
                    channel_id=channel_id,
                    created_at=_now(),
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
        now = _now()
        values = dict(vote=vote, question=answer.question, hits=_hits_json(answer.hits), updated_at=now)
        try:
            self._upsert_feedback(answer, user_id, now, values)
        except IntegrityError:  # the same person's other click won the insert race: update it instead
            self._upsert_feedback(answer, user_id, now, values)

    def _upsert_feedback(self, answer: StoredAnswer, user_id: str, now: datetime, values: dict) -> None:
        with self._write_lock, self.engine.begin() as conn:
            changed = conn.execute(
                update(feedback)
                .where(feedback.c.answer_id == answer.id, feedback.c.user_id == user_id)
                .values(**values)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(feedback).values(answer_id=answer.id, user_id=user_id, created_at=now, **values)
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


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001 - DB-API objects
    """WAL lets readers run during a write; synchronous=NORMAL skips an fsync per commit (WAL stays
    consistent; at worst the last commits before a power cut are lost), which keeps answers fast."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _now() -> datetime:
    return datetime.now(UTC)


def _hits_json(hits: tuple[Hit, ...]) -> str:
    return json.dumps([h.to_dict() for h in hits], ensure_ascii=False)


def _hits_from_json(text: str) -> tuple[Hit, ...]:
    return tuple(Hit(**d) for d in json.loads(text))
