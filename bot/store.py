"""The bot's store: handled events, answers shown, feedback (and, later, quiz state).

SQLAlchemy 2 Core on SQLite (default, in the data directory) or PostgreSQL (postgresql+psycopg://).
Other modules add their tables to ``metadata`` before ``Store.connect`` and record their own version
(the quiz's tables are version 2, see ``bot.quiz_store``).

The bot answers without its store when the database is down (see ``Store.attempt``): the engine checks
each pooled connection before use (``pool_pre_ping``), so it reconnects by itself once the database is
back, and ``OutageLog`` logs the outage in one line when it starts and one when it ends.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Column,
    Connection,
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
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from indexer.model import Answer, Hit

from .config.settings import normalize_database_url

SCHEMA_VERSION = 3
"""The store's newest schema version: 1 the first tables, 3 the lease on event claims (2 is the quiz's)."""

CLAIM_LEASE = timedelta(seconds=60)
"""A claimed event not answered within this long (its process died) may be taken over by a redelivery."""

CONNECT_TIMEOUT_SECONDS = 3
"""PostgreSQL: give up connecting after this long, so a database that is down delays an answer little."""

T = TypeVar("T")

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
    # when the current claim was made: the first delivery, or a redelivery that took it over
    Column("claimed_at", DateTime(timezone=True)),
    # when the event was answered; NULL while its claim is under way (or after its process died)
    Column("completed_at", DateTime(timezone=True)),
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


class ClaimOutcome(StrEnum):
    """What claiming an event found: whether this delivery should answer it."""

    CLAIMED = "claimed"
    """The first delivery: answer it."""
    TAKEN_OVER = "taken_over"
    """Claimed before, but not answered within the lease (its process died): answer it."""
    IN_PROGRESS = "in_progress"
    """Claimed within the lease and not answered yet: someone is answering it."""
    COMPLETED = "completed"
    """Answered already."""

    @property
    def granted(self) -> bool:
        return self in (ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN_OVER)


class OutageLog:
    """Logs a database outage in two short lines: when the first operation fails and when one succeeds
    again. The failures in between are logged at DEBUG only, so an outage does not flood the log."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, what: str, error: BaseException) -> None:
        with self._lock:
            first = self._since is None
            if first:
                self._since = time.monotonic()
                self._failures = 0
            self._failures += 1
        log = self._logger.warning if first else self._logger.debug
        log("database unavailable while %s (%s); carrying on without it", what, describe_error(error))

    def succeeded(self) -> None:
        if self._since is None:
            return
        with self._lock:
            if self._since is None:
                return
            seconds, failures = time.monotonic() - self._since, self._failures
            self._since = None
        self._logger.info("database back after %.0f s (%d operations failed meanwhile)", seconds, failures)


class Store:
    """Thread-safe access to the bot's tables."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite allows one writer at a time; serialising here avoids "database is locked".
        self._write_lock = threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        self.outage = OutageLog(logging.getLogger("awssec.store"))

    @classmethod
    def connect(cls, url: str) -> Store:
        """Open (creating when needed) the store at ``url`` and make sure the schema is up to date."""
        url = normalize_database_url(url)
        parsed = make_url(url)
        # every pooled connection is checked before use: after an outage the pool reconnects by itself
        kwargs: dict = {"pool_pre_ping": True}
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if database in ("", ":memory:"):
                kwargs["poolclass"] = StaticPool
            else:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        elif "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        engine = create_engine(url, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.create_schema()
        return store

    def create_schema(self) -> None:
        """Create missing tables, then apply each of the store's versions this database has not had."""
        with self._write_lock, self.engine.begin() as conn:
            metadata.create_all(conn)
            known = set(conn.execute(select(schema_version.c.version)).scalars())
            for version, upgrade in _UPGRADES:
                if version not in known:
                    upgrade(conn)
                    record_schema_version(conn, version)

    def schema_versions(self) -> list[int]:
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(schema_version.c.version)).scalars().all())

    def close(self) -> None:
        self.engine.dispose()

    def attempt(self, what: str, operation: Callable[[], T], fallback: T) -> T:
        """``operation()``, or ``fallback`` if the database fails; for what the bot can do without
        (recording an answer, claiming an event). The failure goes to ``outage``, never to the caller."""
        try:
            result = operation()
        except SQLAlchemyError as err:
            self.outage.failed(what, err)
            return fallback
        self.outage.succeeded()
        return result

    # -- events ---------------------------------------------------------------------------------------

    def claim_event(
        self,
        event_key: str,
        kind: str = "event",
        *,
        lease: timedelta = CLAIM_LEASE,
        now: datetime | None = None,
    ) -> ClaimOutcome:
        """Claim ``event_key`` before answering it; ``complete_event`` once answered.

        Granted to the first claim only (across threads, restarts and replicas) — and to a later one when
        the claim before it was not completed within ``lease``, as when its process died mid-answer.
        """
        now = now or _now()
        event_key = event_key[:255]
        try:
            with self._write_lock, self.engine.begin() as conn:
                conn.execute(
                    insert(handled_events).values(
                        event_key=event_key, kind=kind, received_at=now, claimed_at=now
                    )
                )
            return ClaimOutcome.CLAIMED
        except IntegrityError:
            pass
        with self._write_lock, self.engine.begin() as conn:
            # compare-and-set: of two redeliveries taking over at once, only one changes the row
            taken = conn.execute(
                update(handled_events)
                .where(
                    handled_events.c.event_key == event_key,
                    handled_events.c.completed_at.is_(None),
                    handled_events.c.claimed_at < now - lease,
                )
                .values(claimed_at=now)
            ).rowcount
            if taken:
                return ClaimOutcome.TAKEN_OVER
            completed = conn.execute(
                select(handled_events.c.completed_at).where(handled_events.c.event_key == event_key)
            ).scalar()
        return ClaimOutcome.COMPLETED if completed is not None else ClaimOutcome.IN_PROGRESS

    def complete_event(self, event_key: str, *, now: datetime | None = None) -> None:
        """Mark a claimed event answered: no redelivery will answer it again."""
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(
                update(handled_events)
                .where(handled_events.c.event_key == event_key[:255])
                .values(completed_at=now or _now())
            )

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


def record_schema_version(conn: Connection, version: int) -> None:
    """Note that ``version`` is applied (another process may have noted it at the same moment)."""
    try:
        with conn.begin_nested():
            conn.execute(insert(schema_version).values(version=version, applied_at=_now()))
    except IntegrityError:
        pass


def _first_tables(conn: Connection) -> None:
    """Version 1: the tables themselves, which ``create_all`` has just made."""


def _lease_event_claims(conn: Connection) -> None:
    """Version 3: an event claim has the time it was made and, once answered, when (``claim_event``)."""
    present = {column["name"] for column in inspect(conn).get_columns(handled_events.name)}
    if_not_exists = "IF NOT EXISTS " if conn.dialect.name == "postgresql" else ""
    for column in (handled_events.c.claimed_at, handled_events.c.completed_at):
        if column.name not in present:
            column_type = column.type.compile(dialect=conn.dialect)
            add = f"ADD COLUMN {if_not_exists}{column.name} {column_type}"
            conn.execute(text(f"ALTER TABLE {handled_events.name} {add}"))
    # events claimed before this version were answered then (or never will be): completed
    conn.execute(
        update(handled_events)
        .where(handled_events.c.claimed_at.is_(None))
        .values(claimed_at=handled_events.c.received_at, completed_at=handled_events.c.received_at)
    )


_UPGRADES: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _first_tables),
    (3, _lease_event_claims),
)
"""The store's schema versions in order, each with what brings an older database up to it."""


def describe_error(error: BaseException) -> str:
    """A database error in one short line: the driver's error type and the first line of its message."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0][:200] if lines else ''}".rstrip(": ")


def is_database_error(error: BaseException) -> bool:
    """True for any error from the database or its driver (as SQLAlchemy raises them)."""
    return isinstance(error, SQLAlchemyError)


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
